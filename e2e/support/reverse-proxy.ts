import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback reverse proxy like nginx in front of a self-hosted app: it passes
 * requests to `upstream` and adds the X-Forwarded-* headers a proxy sets.
 */
export interface ReverseProxy {
  url: string;
  close(): Promise<void>;
}

export async function startReverseProxy(options: {
  upstream: string;
  /** Headers added to every request, e.g. X-Forwarded-Host and -Proto. */
  forwarded: Record<string, string>;
  /** Host header sent upstream (nginx' default is the upstream address). */
  host?: string;
}): Promise<ReverseProxy> {
  const upstream = new URL(options.upstream);
  const server: Server = createServer((incoming, outgoing) => {
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: options.host ?? upstream.host };
    const previous = incoming.headers["x-forwarded-for"];
    const address = incoming.socket.remoteAddress ?? "";
    headers["x-forwarded-for"] = previous ? `${previous}, ${address}` : address;
    for (const [name, value] of Object.entries(options.forwarded)) headers[name.toLowerCase()] = value;
    const proxied = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    proxied.on("error", () => {
      outgoing.writeHead(502).end();
    });
    incoming.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
