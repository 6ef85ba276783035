/**
 * Child process: the "limit" for the app's HTTP side. A bare node:http server
 * that
 *   GET /api/room-connection  signs the same participant JWT as the app (same
 *                             header and claims, fresh exp) with jose and
 *                             returns { url, jwt } — no session, no framework;
 *   GET /bare                 a static HTML page for time-to-connected;
 *   GET /bare.js              that page's script (the SDK bundled by esbuild).
 * Env: BENCH_PORT, BENCH_JWT_SECRET, BENCH_JWT_CLAIMS (JSON, without exp),
 * BENCH_TTL_SECONDS, BENCH_ROOM_URL, BENCH_BARE_JS (file). Prints `BENCH_READY <port>`.
 */

import { readFileSync } from "node:fs";
import http from "node:http";
import { SignJWT, type JWTPayload } from "jose";
import { exitWithParent } from "./child-lifetime";

const port = Number(process.env.BENCH_PORT);
const key = new TextEncoder().encode(process.env.BENCH_JWT_SECRET ?? "");
const claims = JSON.parse(process.env.BENCH_JWT_CLAIMS ?? "{}") as JWTPayload;
const ttlSeconds = Number(process.env.BENCH_TTL_SECONDS ?? 600);
const roomUrl = process.env.BENCH_ROOM_URL ?? "";
const script = process.env.BENCH_BARE_JS ? readFileSync(process.env.BENCH_BARE_JS) : Buffer.from("");

const html = Buffer.from(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bare room</title>
<script src="/bare.js" defer></script>
</head>
<body><main id="root"><p>Connecting…</p></main></body>
</html>
`);

const server = http.createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/api/room-connection") {
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
    new SignJWT({ ...claims, exp })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(key)
      .then((jwt) => {
        const body = JSON.stringify({ url: roomUrl, jwt });
        res.writeHead(200, {
          "Content-Type": "application/json",
          "Cache-Control": "no-store",
          "Content-Length": Buffer.byteLength(body),
        });
        res.end(body);
      })
      .catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
  } else if (req.method === "GET" && path === "/bare") {
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": html.length,
      "Cache-Control": "no-store",
    });
    res.end(html);
  } else if (req.method === "GET" && path === "/bare.js") {
    // Same caching as Next's hashed chunks: immutable, so warm navigations hit the cache.
    res.writeHead(200, {
      "Content-Type": "application/javascript; charset=utf-8",
      "Content-Length": script.length,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
    res.end(script);
  } else if (path === "/healthz") {
    res.writeHead(200).end("ok");
  } else {
    res.writeHead(404).end("not found");
  }
});
server.keepAliveTimeout = 5000;

server.listen(port, "127.0.0.1", () => {
  console.log(`BENCH_READY ${port}`);
});
exitWithParent(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
