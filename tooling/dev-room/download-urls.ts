// storage.download_url: short-lived signed HTTP links to one room file, served
// by the dev room's own HTTP server at /storage/<room>/<path>?token=<jwt>.
// The JWT is signed with a key derived from the room secret (so a participant
// token can never pass as a link and vice versa) and names the room and path,
// which must equal the ones in the URL.

import { createHmac } from "node:crypto";
import type http from "node:http";
import { SignJWT, errors, jwtVerify } from "jose";
import { baseName, mimeTypeOf, roomPath } from "./room-paths";
import type { RoomStorage } from "./storage-store";
import { RequestError } from "./content";

const AUDIENCE = "dev-room-download";
const ROUTE = /^\/storage\/([^/]+)\/(.+)$/;

export class DownloadUrls {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly httpBase: () => string,
    private readonly storage: RoomStorage,
  ) {
    this.key = createHmac("sha256", secret).update("meshagent dev room download urls v1").digest();
  }

  async sign(room: string, path: string): Promise<string> {
    const token = await new SignJWT({ room, path })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .sign(this.key);
    const encodedPath = path.split("/").map(encodeURIComponent).join("/");
    return `${this.httpBase()}/storage/${encodeURIComponent(room)}/${encodedPath}?token=${token}`;
  }

  /** Serves the request if it is a download link; false when the URL is not one. */
  handles(rawUrl: string): boolean {
    return ROUTE.test(rawUrl.split("?")[0]);
  }

  async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "";
    const queryStart = rawUrl.indexOf("?");
    const match = ROUTE.exec(queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart));
    const token = new URLSearchParams(queryStart === -1 ? "" : rawUrl.slice(queryStart + 1)).get("token");
    if (req.method !== "GET" && req.method !== "HEAD") return plain(res, 405, "method not allowed");
    if (match === null) return plain(res, 404, "not found");
    let room: string;
    let path: string;
    try {
      room = decodeURIComponent(match[1]);
      path = roomPath(match[2].split("/").map(decodeURIComponent).join("/"));
    } catch (error) {
      return plain(res, 400, error instanceof RequestError ? error.message : "invalid link encoding");
    }
    if (!token) return plain(res, 403, "missing download token");
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, { algorithms: ["HS256"], audience: AUDIENCE }));
    } catch (error) {
      return plain(res, 403, error instanceof errors.JWTExpired ? "download link expired" : "invalid download link");
    }
    if (claims.room !== room || claims.path !== path)
      return plain(res, 403, "download link is not valid for this file");
    // One open file for stat and read, so a concurrent overwrite cannot make them disagree.
    const handle = await this.storage
      .openForRead(room, path)
      .then(({ handle }) => handle)
      .catch(() => null);
    const info = handle ? await handle.stat().catch(() => null) : null;
    if (handle === null || info === null || !info.isFile()) {
      await handle?.close().catch(() => {});
      return plain(res, 404, "file not found");
    }
    const name = baseName(path);
    res.writeHead(200, {
      "Content-Type": mimeTypeOf(name),
      "Content-Length": String(info.size),
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      // Uploaded HTML or SVG must not run scripts on this origin.
      "Content-Security-Policy":
        "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'",
      "Access-Control-Allow-Origin": "*",
    });
    if (req.method === "HEAD") {
      await handle.close().catch(() => {});
      res.end();
      return;
    }
    const stream = handle.createReadStream();
    stream.on("error", () => res.destroy());
    stream.pipe(res);
  }
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    "Access-Control-Allow-Origin": "*",
  });
  res.end(text);
}
