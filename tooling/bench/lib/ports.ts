import net from "node:net";
import { RESERVED_PORTS } from "./paths";

const claimed = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * First free loopback port at or above `from` (3200+ for HTTP, 7727+ for
 * room servers), skipping the ports other people's servers use and ports this
 * run already handed out.
 */
export async function freePort(from: number, span = 100): Promise<number> {
  for (let port = from; port < from + span; port++) {
    if (RESERVED_PORTS.has(port) || claimed.has(port)) continue;
    if (await canListen(port)) {
      claimed.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${from}-${from + span - 1}`);
}
