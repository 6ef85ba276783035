import type { Page, Response as PageResponse } from "@playwright/test";
import { startMeshAgentAccounts, type MeshAgentAccountsStandIn } from "../tooling/testing/meshagent-accounts";
import { ROOM_SECRET } from "./env";
import { expect as baseExpect, RoomPage, test } from "./fixtures";
import { joinWithSdk, ROOM_URL, userToken } from "./sdk-client";
import { BASE_APP_ENV, startApp, type AppProcess } from "./support/app-process";

/**
 * "Sign in with MeshAgent" in Chromium through the real Auth.js flow, against
 * the local stand-in for MeshAgent's accounts API (tooling/testing/), on extra
 * `next start` processes of the e2e build: one where the app mints room tokens
 * (the default), one where MeshAgent does (MESHAGENT_ROOM_ACCESS=user), one
 * with the provider half configured.
 */
let standIn: MeshAgentAccountsStandIn;
let app: AppProcess;
let userMode: AppProcess;
let misconfigured: AppProcess;

const ROOMS = "ma-lobby,ma-files,lobby";
const localhost = (url: string) => url.replace("127.0.0.1", "localhost");
/** Where the browser opens each app: its AUTH_URL. */
const at = (process: AppProcess) => localhost(process.url);

// Three extra app processes and a whole OAuth round trip per test on a small shared machine.
test.describe.configure({ timeout: 120_000 });
const expect = baseExpect.configure({ timeout: 30_000 });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  standIn = await startMeshAgentAccounts({ roomSecret: ROOM_SECRET!, roomApiUrl: ROOM_URL, rooms: ["ma-lobby"] });
  const meshagent = {
    ...BASE_APP_ENV,
    AUTH_MESHAGENT_ID: standIn.clientId,
    AUTH_MESHAGENT_SECRET: standIn.clientSecret,
    MESHAGENT_ACCOUNTS_URL: standIn.url,
    MESHAGENT_ACCOUNTS_TIMEOUT_SECONDS: "2",
    MESHAGENT_ROOMS: ROOMS,
  };
  // AUTH_URL pins the origin the redirect URI is built on, as a deployment registers it with MeshAgent.
  // `localhost`, not 127.0.0.1: NextRequest reports 127.0.0.1 as localhost, so route handlers would build
  // another redirect URI than the sign-in action did (docs/maintainers.md).
  const authUrl = (url: string) => ({ AUTH_URL: localhost(url) });
  [app, userMode, misconfigured] = await Promise.all([
    startApp((url) => ({ ...meshagent, ...authUrl(url) })),
    startApp((url) => ({
      ...meshagent,
      MESHAGENT_ROOM_ACCESS: "user",
      MESHAGENT_PROJECT_ID: standIn.projectId,
      ...authUrl(url),
    })),
    startApp((url) => ({ ...BASE_APP_ENV, AUTH_MESHAGENT_ID: "only-the-id", MESHAGENT_ROOMS: ROOMS, ...authUrl(url) })),
  ]);
  // Warm the pages the tests open first, so no test pays for a cold server.
  for (const base of [app.url, userMode.url]) {
    for (const path of ["/", "/signin", "/rooms/ma-lobby"]) await (await fetch(`${base}${path}`)).text();
  }
});

test.afterAll(async () => {
  await Promise.all([app?.stop(), userMode?.stop(), misconfigured?.stop()]);
  await standIn?.close();
});

test.beforeEach(() => {
  Object.assign(standIn.behaviour, {
    authorize: "ok",
    token: "ok",
    refresh: "ok",
    profile: { id: "ada-1", email: "ada@example.com", first_name: "Ada", last_name: "Lovelace" },
    accessTokenSeconds: 3600,
    forbiddenRooms: [],
  });
});

/** Everything the browser received, as text, to check that no MeshAgent token ever reached it. */
function recordBodies(page: Page): () => Promise<string> {
  const responses: PageResponse[] = [];
  page.on("response", (response) => void responses.push(response));
  return async () => {
    const texts = await Promise.all(responses.map((response) => response.text().catch(() => "")));
    const cookies = JSON.stringify(await page.context().cookies());
    return texts.join("\n") + cookies;
  };
}

async function signInWithMeshAgent(page: Page, base: string, callbackUrl = "/"): Promise<void> {
  await page.goto(`${base}/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByRole("button", { name: "Sign in with MeshAgent" }).click();
}

const refreshes = () => standIn.log.tokenGrants.filter((grant) => grant.grant === "refresh_token");
const signInError = (page: Page) => page.getByRole("main").getByRole("alert");

test("the button, MeshAgent, back signed in with the person's name, the room joined; no token reaches the browser", async ({
  page,
}) => {
  const received = recordBodies(page);
  await page.goto(`${at(app)}/rooms/ma-lobby`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Frooms%2Fma-lobby$/);
  await page.getByRole("button", { name: "Sign in with MeshAgent" }).click();
  await expect(page).toHaveURL(`${at(app)}/rooms/ma-lobby`);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Ada Lovelace");
  await new RoomPage(page).expectLive();

  const authorize = standIn.log.authorizations.at(-1)!;
  expect(authorize.get("redirect_uri")).toBe(`${at(app)}/api/auth/callback/meshagent`);
  expect(authorize.get("code_challenge_method")).toBe("S256");

  const session = await (await page.request.get(`${at(app)}/api/auth/session`)).json();
  expect(session.user).toEqual({ id: "meshagent:ada-1", name: "Ada Lovelace" });
  const everything = (await received()) + JSON.stringify(session);
  expect(standIn.issuedTokens().length).toBeGreaterThan(0);
  for (const secret of standIn.issuedTokens()) expect(everything).not.toContain(secret);
});

test("an access token about to expire is refreshed on the way into a room", async ({ page }) => {
  standIn.behaviour.accessTokenSeconds = 61; // due for refresh after one second
  await signInWithMeshAgent(page, at(app));
  await expect(page.getByTestId("signed-in-user")).toHaveText("Ada Lovelace");
  const before = refreshes().length;
  await page.waitForTimeout(1500);
  await page.goto(`${at(app)}/rooms/ma-lobby`);
  await new RoomPage(page).expectLive();
  expect(refreshes().length).toBe(before + 1);
  expect(refreshes().at(-1)?.outcome).toBe("ok");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Ada Lovelace");
});

test("a refresh MeshAgent refuses signs the person out and says why", async ({ page }) => {
  standIn.behaviour.accessTokenSeconds = 61;
  await signInWithMeshAgent(page, at(app));
  await expect(page.getByTestId("signed-in-user")).toHaveText("Ada Lovelace");
  standIn.behaviour.refresh = "fail";
  await page.waitForTimeout(1500);
  await page.goto(`${at(app)}/rooms/ma-lobby`);
  await expect(page).toHaveURL(/\/signin\?/);
  await expect(signInError(page)).toContainText("Your MeshAgent sign-in expired");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
  await page.goto(`${at(app)}/`);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

const BAD_INPUT = [
  ["a state that does not match", { authorize: "wrong-state" }, "could not be verified"],
  ["MeshAgent refusing", { authorize: "deny" }, "cancelled or refused"],
  ["the token endpoint answering 400", { token: 400 }, "did not accept this sign-in"],
  ["the token endpoint answering 401", { token: 401 }, "did not accept this site's OAuth client"],
  ["the token endpoint answering 500", { token: 500 }, "not working right now"],
  ["the token endpoint hanging", { token: "hang" }, "did not answer in time"],
  ["a profile without an id", { profile: { email: "x@example.com", first_name: "X" } }, "without an account id"],
  ["an oversized profile", { profile: "oversized" }, "too large"],
  ["markup in the name", { profile: { id: "eve-1", first_name: "<b>Eve</b><script>x()</script>" } }, "contains markup"],
] as const;

for (const [what, behaviour, message] of BAD_INPUT) {
  test(`bad input: ${what} gives a clear message and signs nobody in`, async ({ page }) => {
    Object.assign(standIn.behaviour, behaviour);
    await signInWithMeshAgent(page, at(app), "/rooms/ma-lobby");
    await expect(page).toHaveURL(/\/signin\?/);
    await expect(signInError(page)).toContainText(message);
    await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
    const session = await (await page.request.get(`${at(app)}/api/auth/session`)).json();
    expect(session?.user).toBeUndefined();
  });
}

test("bad input: a replayed code is refused by MeshAgent, with a clear message", async ({ page, browser }) => {
  const first = await browser.newPage();
  await signInWithMeshAgent(first, at(app));
  await expect(first.getByTestId("signed-in-user")).toHaveText("Ada Lovelace");
  await first.close();
  standIn.behaviour.authorize = "replay-last-code";
  await signInWithMeshAgent(page, at(app));
  await expect(signInError(page)).toContainText("already used");
  expect(standIn.log.tokenGrants.at(-1)?.outcome).toBe("replayed");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
});

test("bad input: a PKCE verifier from another sign-in attempt is refused by MeshAgent", async ({ page, browser }) => {
  // Stop both browsers at MeshAgent's door, then give the first one the second one's PKCE cookie.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  let ours = "";
  await page.route(`${standIn.url}/oauth/authorize**`, (route) => {
    ours = route.request().url();
    return route.abort();
  });
  await otherPage.route(`${standIn.url}/oauth/authorize**`, (route) => route.abort());
  for (const target of [page, otherPage]) await signInWithMeshAgent(target, at(app)).catch(() => {});
  await expect.poll(async () => (await other.cookies()).some((cookie) => cookie.name.includes("pkce"))).toBe(true);
  await expect.poll(() => ours).not.toBe("");
  const theirs = (await other.cookies()).find((cookie) => cookie.name.includes("pkce"))!;
  await page.context().addCookies([theirs]);
  await page.unroute(`${standIn.url}/oauth/authorize**`);
  // Our own authorize URL (our state, our challenge), now with their verifier in the jar.
  await page.goto(ours);
  await expect(signInError(page)).toContainText("did not match");
  expect(standIn.log.tokenGrants.at(-1)?.outcome).toBe("pkce mismatch");
  await other.close();
});

test("a long MeshAgent name is bounded", async ({ page }) => {
  standIn.behaviour.profile = { id: "eve-1", first_name: "Eve", last_name: "Q".repeat(300) };
  await signInWithMeshAgent(page, at(app));
  const name = page.getByTestId("signed-in-user");
  await expect(name).toHaveText(/^Eve Q+…$/);
  expect((await name.innerText()).length).toBeLessThanOrEqual(41);
});

test("callbackUrl to another site is ignored after signing in with MeshAgent", async ({ page }) => {
  await signInWithMeshAgent(page, at(app), "https://evil.example/");
  await expect(page).toHaveURL(`${at(app)}/`);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Ada Lovelace");
});

test("a half-configured provider: no button, and the sign-in page names the missing variable", async ({ page }) => {
  await page.goto(`${at(misconfigured)}/signin`);
  await expect(page.getByRole("main").getByRole("alert").first()).toContainText("AUTH_MESHAGENT_SECRET");
  await expect(page.getByRole("button", { name: "Sign in with MeshAgent" })).toHaveCount(0);
});

test("MESHAGENT_ROOM_ACCESS=user: MeshAgent issues the room token for the person, and the room is joined", async ({
  page,
}) => {
  const connects = standIn.log.connects.length;
  await signInWithMeshAgent(page, at(userMode), "/rooms/ma-lobby");
  await expect(page).toHaveURL(`${at(userMode)}/rooms/ma-lobby`);
  await new RoomPage(page).expectLive();
  expect(standIn.log.connects.length).toBeGreaterThan(connects);
  expect(standIn.log.connects.at(-1)).toMatchObject({ room: "ma-lobby", userId: "ada-1" });
  // The project's rooms, listed with the person's own token.
  await page.goto(`${at(userMode)}/`);
  await expect(page.getByTestId("room-list-entry")).toHaveText(["#ma-lobby"]);
});

test("MESHAGENT_ROOM_ACCESS=user: someone signed in another way is told to sign in with MeshAgent", async ({
  page,
}) => {
  await page.goto(`${at(userMode)}/signin?callbackUrl=%2Frooms%2Fma-lobby`);
  await page.getByLabel("Display name").fill("Dev Dora");
  await page.getByRole("button", { name: "Sign in with a name" }).click();
  await expect(page.getByTestId("room-failed")).toContainText("sign in with MeshAgent");
  const response = await page.request.get(`${at(userMode)}/api/room-connection?room=ma-lobby`);
  expect(response.status()).toBe(403);
});

test("the home page lists local rooms with a file or people in them, not a room you may not join", async ({ page }) => {
  for (const room of ["ma-files", "ma-forbidden"]) {
    const { client } = await joinWithSdk(room, await userToken(room, "uploader"));
    await client.storage.upload("files/notes.txt", new TextEncoder().encode("hello"));
    client.dispose();
  }
  await signInWithMeshAgent(page, at(app));
  const list = page.getByTestId("room-list");
  await expect(list.getByRole("link", { name: "#ma-files" })).toBeVisible();
  await expect(list.getByRole("link", { name: "#ma-forbidden" })).toHaveCount(0);
  await list.getByRole("link", { name: "#ma-files" }).click();
  await expect(page).toHaveURL(`${at(app)}/rooms/ma-files`);
  await new RoomPage(page).expectLive();
});
