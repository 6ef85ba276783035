// A local stand-in for MeshAgent's OAuth and accounts API, built to
// ../shared/meshagent-agent-turn-protocol.md §4, for tests only. It runs on a
// random loopback port and keeps everything in memory. Tests steer the failure
// cases through `behaviour` and read what happened from `log`.

import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ParticipantToken, websocketRoomUrl } from "@meshagent/meshagent";
import { SignJWT } from "jose";
import { participantApiScope } from "../../lib/participant-scope";

export interface StandInProfile {
  id?: unknown;
  email?: unknown;
  first_name?: unknown;
  last_name?: unknown;
  [key: string]: unknown;
}

export interface StandInBehaviour {
  /** What /oauth/authorize sends back besides a fresh code. */
  authorize: "ok" | "wrong-state" | "replay-last-code" | "deny";
  /** What /oauth/token answers to the authorization_code grant. */
  token: "ok" | 400 | 401 | 500 | "hang";
  /** What /oauth/token answers to the refresh_token grant. */
  refresh: "ok" | "fail";
  /** Profile for the next sign-ins; "oversized" answers 1 MiB. */
  profile: StandInProfile | "oversized";
  /** Lifetime of issued access tokens. */
  accessTokenSeconds: number;
  /** Rooms `connect` refuses with 403. */
  forbiddenRooms: string[];
}

export interface StandInConnect {
  room: string;
  accessToken: string;
  userId: string;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  challenge: string;
  profile: StandInProfile | "oversized";
  used: boolean;
}

interface AccessRecord {
  profile: StandInProfile | "oversized";
  expiresAt: number;
}

export interface MeshAgentAccountsStandIn {
  url: string;
  clientId: string;
  clientSecret: string;
  projectId: string;
  behaviour: StandInBehaviour;
  /** Requests and outcomes, in order. */
  log: {
    authorizations: URLSearchParams[];
    tokenGrants: { grant: string; outcome: string }[];
    connects: StandInConnect[];
    roomLists: number;
  };
  /** Every access and refresh token issued so far (tests check none reaches a browser). */
  issuedTokens(): string[];
  /** An access token for the current profile without the OAuth dance, for tests of the other endpoints. */
  issueAccessToken(): string;
  /** Also accept this MeshAgent API key as a bearer token (the project's own credential). */
  acceptApiKey(key: string): void;
  /** Whether `accessToken` is the newest one of its holder and not expired. */
  isCurrent(accessToken: string): boolean;
  close(): Promise<void>;
}

const DEFAULT_PROFILE: StandInProfile = {
  id: "3f1c7a52-0d4e-4c1b-9f6a-1b2c3d4e5f60",
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
};

export interface StandInOptions {
  /** Rooms the project lists. */
  rooms?: string[];
  /** Secret the local room verifies tokens with; `connect` signs with it. */
  roomSecret: string;
  /** The local room's ws:// base URL, for `room_url`. */
  roomApiUrl: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const token = (prefix: string) => `${prefix}_${randomBytes(24).toString("base64url")}`;

async function readBody(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if ((request.headers["content-type"] ?? "").includes("application/json")) {
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  response.end(JSON.stringify(body));
}

/** Client authentication: client_secret_post, or client_secret_basic. */
function clientOf(request: IncomingMessage, body: Record<string, string>): { id?: string; secret?: string } {
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":").map(decodeURIComponent);
    return { id, secret };
  }
  return { id: body.client_id, secret: body.client_secret };
}

export async function startMeshAgentAccounts(options: StandInOptions): Promise<MeshAgentAccountsStandIn> {
  const clientId = token("client");
  const clientSecret = token("secret");
  const projectId = "8a0f4c2e-5b7d-4e19-a3c6-2d9e8f7a6b51";
  const codes = new Map<string, CodeRecord>();
  const access = new Map<string, AccessRecord>();
  const refresh = new Map<string, StandInProfile | "oversized">();
  const newest = new Map<string, string>();
  const issued: string[] = [];
  let lastCode: { code: string; redirectUri: string } | null = null;
  const apiKeys = new Set<string>();
  const hanging = new Set<ServerResponse>();

  const behaviour: StandInBehaviour = {
    authorize: "ok",
    token: "ok",
    refresh: "ok",
    profile: { ...DEFAULT_PROFILE },
    accessTokenSeconds: 3600,
    forbiddenRooms: [],
  };
  const log: MeshAgentAccountsStandIn["log"] = { authorizations: [], tokenGrants: [], connects: [], roomLists: 0 };

  const holderOf = (profile: StandInProfile | "oversized") =>
    profile === "oversized" ? "oversized" : String(profile.id ?? "no-id");

  function issueTokens(profile: StandInProfile | "oversized") {
    const accessToken = token("mat");
    const refreshToken = token("mrt");
    access.set(accessToken, { profile, expiresAt: nowSeconds() + behaviour.accessTokenSeconds });
    refresh.set(refreshToken, profile);
    newest.set(holderOf(profile), accessToken);
    issued.push(accessToken, refreshToken);
    return {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: behaviour.accessTokenSeconds,
      refresh_token: refreshToken,
      scope: "profile:read",
    };
  }

  function bearer(request: IncomingMessage): { accessToken: string; record: AccessRecord } | null {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? "");
    const record = match ? access.get(match[1]!) : undefined;
    if (!match || !record || record.expiresAt <= nowSeconds()) return null;
    return { accessToken: match[1]!, record };
  }

  function authorize(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    log.authorizations.push(params);
    const redirectUri = params.get("redirect_uri") ?? "";
    if (params.get("client_id") !== clientId || !redirectUri) return json(response, 400, { error: "invalid_client" });
    if (params.get("response_type") !== "code" || params.get("code_challenge_method") !== "S256") {
      return json(response, 400, { error: "invalid_request" });
    }
    const back = new URL(redirectUri);
    const state = params.get("state") ?? "";
    if (behaviour.authorize === "deny") {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("state", state);
    } else {
      let code = token("code");
      codes.set(code, {
        clientId,
        redirectUri,
        challenge: params.get("code_challenge") ?? "",
        profile: behaviour.profile,
        used: false,
      });
      if (behaviour.authorize === "replay-last-code" && lastCode) code = lastCode.code;
      else lastCode = { code, redirectUri };
      back.searchParams.set("code", code);
      back.searchParams.set("state", behaviour.authorize === "wrong-state" ? token("state") : state);
    }
    response.writeHead(302, { Location: back.href });
    response.end();
  }

  async function tokenEndpoint(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const client = clientOf(request, body);
    const grant = body.grant_type ?? "";
    const answer = (status: number, payload: unknown, outcome: string) => {
      log.tokenGrants.push({ grant, outcome });
      json(response, status, payload);
    };
    if (grant === "authorization_code" && behaviour.token !== "ok") {
      if (behaviour.token === "hang") {
        log.tokenGrants.push({ grant, outcome: "hang" });
        hanging.add(response);
        return;
      }
      if (behaviour.token === 401) return answer(401, { error: "invalid_client" }, "401");
      if (behaviour.token === 400) return answer(400, { error: "invalid_request" }, "400");
      response.writeHead(500, { "Content-Type": "text/html" });
      response.end("<h1>Internal Server Error</h1>");
      log.tokenGrants.push({ grant, outcome: "500" });
      return;
    }
    if (client.id !== clientId || client.secret !== clientSecret) {
      return answer(401, { error: "invalid_client" }, "bad client");
    }
    if (grant === "authorization_code") {
      const record = codes.get(body.code ?? "");
      if (!record) return answer(400, { error: "invalid_grant" }, "unknown code");
      if (record.used) return answer(400, { error: "invalid_grant", error_description: "code reused" }, "replayed");
      record.used = true;
      if (record.redirectUri !== body.redirect_uri) return answer(400, { error: "invalid_grant" }, "redirect_uri");
      const verifier = body.code_verifier ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (!verifier || challenge !== record.challenge) {
        return answer(400, { error: "invalid_grant", error_description: "PKCE" }, "pkce mismatch");
      }
      return answer(200, issueTokens(record.profile), "ok");
    }
    if (grant === "refresh_token") {
      const profile = refresh.get(body.refresh_token ?? "");
      if (!profile || behaviour.refresh === "fail") return answer(400, { error: "invalid_grant" }, "refused");
      // MeshAgent may keep the refresh token; the stand-in rotates it, the stricter case.
      refresh.delete(body.refresh_token ?? "");
      return answer(200, issueTokens(profile), "ok");
    }
    answer(400, { error: "unsupported_grant_type" }, "unsupported");
  }

  function profileEndpoint(request: IncomingMessage, response: ServerResponse): void {
    const caller = bearer(request);
    if (!caller) return json(response, 401, { error: "invalid_token" });
    if (caller.record.profile === "oversized") {
      return json(response, 200, { ...DEFAULT_PROFILE, padding: "x".repeat(1024 * 1024) });
    }
    json(response, 200, caller.record.profile);
  }

  async function connect(request: IncomingMessage, response: ServerResponse, room: string): Promise<void> {
    await readBody(request);
    const caller = bearer(request);
    if (!caller || caller.record.profile === "oversized") return json(response, 401, { error: "invalid_token" });
    if (behaviour.forbiddenRooms.includes(room)) return json(response, 403, { error: "forbidden" });
    const profile = caller.record.profile;
    log.connects.push({ room, accessToken: caller.accessToken, userId: String(profile.id) });
    const name = [profile.first_name, profile.last_name].filter(Boolean).join(" ") || String(profile.email);
    const participant = new ParticipantToken({ name, projectId });
    participant.addRoomGrant(room);
    participant.addRoleGrant("user");
    participant.addApiGrant(participantApiScope());
    const jwt = await new SignJWT({ ...participant.toJson(), exp: nowSeconds() + 600 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(options.roomSecret));
    json(response, 200, {
      jwt,
      room_name: room,
      project_id: projectId,
      room_url: websocketRoomUrl({ roomName: room, apiUrl: options.roomApiUrl }),
    });
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const rooms = /^\/accounts\/projects\/([^/]+)\/rooms(?:\/([^/]+)\/connect)?$/.exec(url.pathname);
    const handle = async () => {
      if (request.method === "GET" && url.pathname === "/oauth/authorize") return authorize(url, response);
      if (request.method === "POST" && url.pathname === "/oauth/token") return tokenEndpoint(request, response);
      if (request.method === "GET" && url.pathname === "/accounts/profiles/me") {
        return profileEndpoint(request, response);
      }
      if (rooms && rooms[1] === projectId) {
        if (request.method === "POST" && rooms[2]) return connect(request, response, decodeURIComponent(rooms[2]));
        if (request.method === "GET" && !rooms[2]) {
          const apiKey = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
          if (!bearer(request) && !(apiKey && apiKeys.has(apiKey)))
            return json(response, 401, { error: "invalid_token" });
          log.roomLists += 1;
          return json(response, 200, {
            rooms: (options.rooms ?? []).map((name) => ({ id: `room-${name}`, name, metadata: {}, annotations: {} })),
          });
        }
      }
      json(response, 404, { error: "not_found" });
    };
    handle().catch(() => json(response, 500, { error: "server_error" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    projectId,
    behaviour,
    log,
    issuedTokens: () => [...issued],
    issueAccessToken: () => issueTokens(behaviour.profile).access_token,
    acceptApiKey: (key) => void apiKeys.add(key),
    isCurrent(accessToken) {
      const record = access.get(accessToken);
      return Boolean(record && record.expiresAt > nowSeconds() && newest.get(holderOf(record.profile)) === accessToken);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
