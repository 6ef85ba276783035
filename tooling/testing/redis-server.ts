import { spawn, type ChildProcess } from "node:child_process";
import { createServer, createConnection } from "node:net";

/** A throwaway redis-server (Debian package) on a free loopback port, no persistence. */
export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER_BIN || "redis-server";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.setTimeout(500);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let exited = false;
  let spawnError = "";
  child.once("exit", () => (exited = true));
  child.once("error", (error) => {
    exited = true;
    spawnError = `: ${error.message} (install the redis-server package or set REDIS_SERVER_BIN)`;
  });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (exited) throw new Error(`${REDIS_SERVER} exited before answering on port ${port}${spawnError}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${REDIS_SERVER} did not answer on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
