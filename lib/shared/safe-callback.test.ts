import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/shared/safe-callback";

const APP = "https://app.example";

/** Where a browser on the app would end up if it followed `Location: <path>`. */
function landsOnApp(path: string): boolean {
  const url = new URL(path, `${APP}/signin`);
  // A path that normalises to "//host/..." is on-site for the URL parser but is
  // read as another host by code that re-joins it with an origin (D2).
  return url.origin === APP && !url.pathname.startsWith("//");
}

/** Header values must be visible ASCII; `Headers` throws on anything else a server could not send. */
function isValidLocation(path: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(path)) return false;
  try {
    new Headers({ Location: path });
    return true;
  } catch {
    return false;
  }
}

function checkResult(input: string, result: string): void {
  const context = `input ${JSON.stringify(input)} -> ${JSON.stringify(result)}`;
  expect(isValidLocation(result), context).toBe(true);
  expect(landsOnApp(result), context).toBe(true);
  // Fed back in (e.g. carried along as callbackUrl again), it stays put.
  expect(safeCallbackPath(result), context).toBe(result);
  // A page that decodes it once more still gets an on-site value from the check.
  let decoded: string | null = null;
  try {
    decoded = decodeURIComponent(result);
  } catch {
    decoded = null;
  }
  if (decoded !== null) expect(landsOnApp(safeCallbackPath(decoded)), context).toBe(true);
}

const TRICKS = [
  "/%09/evil.example/x", // D1: decoded by the page into a tab
  "/\t/evil.example/x",
  "/\n/evil.example/x",
  "/\r\n/evil.example/x",
  "/.//evil.example/x", // D2
  "/a/..//evil.example/x",
  "/./../..//evil.example/x",
  "/%2e/%2e%2e//evil.example/x",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "/\t\\evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "https://evil.example/",
  "http:evil.example",
  "https:/evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/%2F%2Fevil.example",
  "/%5C%5Cevil.example",
  "%2F%2Fevil.example",
  "/@evil.example",
  "/x@evil.example",
  "https://app.example@evil.example/",
  "/\u3002evil.example",
  "/\uff0f\uff0fevil.example",
  "/\u2215\u2215evil.example",
  "/%0Ax", // D12: raw newline would be an invalid header
  "/\u00e9t\u00e9",
  "/\u202eevil",
  "/\ud800",
  "/x?next=//evil.example",
  "/x#//evil.example",
];

describe("safeCallbackPath", () => {
  it.each([
    ["/rooms/lobby", "/rooms/lobby"],
    ["/", "/"],
    ["/rooms/lobby?x=1#top", "/rooms/lobby?x=1#top"],
    ["/a/../rooms/lobby", "/rooms/lobby"],
    ["/\u00e9", "/%C3%A9"],
    ["/%0Ax", "/%0Ax"],
    ["/x y", "/x%20y"],
    ["https://evil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/\t/evil.example/x", "/"],
    ["/.//evil.example/x", "/"],
    ["/a/..//evil.example/x", "/"],
    ["javascript:alert(1)", "/"],
    ["rooms/lobby", "/"],
    ["", "/"],
    ["/" + "a".repeat(3000), "/"],
    [undefined, "/"],
    [42, "/"],
  ])("%j -> %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it("uses the fallback given", () => {
    expect(safeCallbackPath("//evil.example", "/rooms/lobby")).toBe("/rooms/lobby");
  });

  it("accepts absolute URLs only on the app origin when one is given", () => {
    expect(safeCallbackPath(`${APP}/rooms/lobby`, "/", APP)).toBe("/rooms/lobby");
    expect(safeCallbackPath("https://evil.example/rooms/lobby", "/", APP)).toBe("/");
    expect(safeCallbackPath("http://app.example/rooms/lobby", "/", APP)).toBe("/");
    expect(safeCallbackPath(`https://user:pw@app.example/x`, "/", APP)).toBe("/");
    expect(safeCallbackPath("/rooms/lobby", "/", APP)).toBe("/rooms/lobby");
    expect(safeCallbackPath("http://callback.invalid/x")).toBe("/");
  });

  it.each(TRICKS)("keeps %j on the site with a valid Location", (input) => {
    checkResult(input, safeCallbackPath(input));
    checkResult(input, safeCallbackPath(input, "/", APP));
    // The page receives callbackUrl decoded from the query string; check that form too.
    let decoded = input;
    try {
      decoded = decodeURIComponent(input);
    } catch {
      // Not decodable: Next hands the raw value to the page.
    }
    checkResult(decoded, safeCallbackPath(decoded));
  });

  it("fuzz: 20,000 generated values, 0 off-origin results, 0 invalid headers", () => {
    // mulberry32: a seeded generator so a failure reproduces.
    let seed = 0x5eed12;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const pieces = [
      "/",
      "\\",
      ".",
      "..",
      "%",
      "%2F",
      "%2f",
      "%5C",
      "%2E",
      "%09",
      "%0A",
      "%0D",
      "%00",
      "%25",
      "%E2%80%AE",
      "\t",
      "\n",
      "\r",
      " ",
      "\u0000",
      "\u007f",
      "@",
      ":",
      "?",
      "#",
      "&",
      "=",
      "evil.example",
      "app.example",
      "rooms",
      "http:",
      "https:",
      "javascript:",
      "\u3002",
      "\uff0f",
      "\u2215",
      "\u202e",
      "\u2028",
      "\ud800",
      "\ufeff",
    ];
    const randomUnicode = () => String.fromCodePoint(Math.floor(random() * 0x10ffff) & ~0x800 /* skip surrogates */);

    let offOrigin = 0;
    let invalidHeader = 0;
    const accepted = new Set<string>();
    const runs = 20_000;
    for (let i = 0; i < runs; i++) {
      let value = random() < 0.7 ? "/" : "";
      const length = 1 + Math.floor(random() * 8);
      for (let j = 0; j < length; j++) value += random() < 0.15 ? randomUnicode() : pick(pieces);
      for (const origin of [undefined, APP]) {
        const result = safeCallbackPath(value, "/", origin);
        if (!landsOnApp(result)) offOrigin++;
        if (!isValidLocation(result)) invalidHeader++;
        if (result !== "/") accepted.add(result);
      }
      let decoded: string | null = null;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        decoded = null;
      }
      if (decoded !== null) {
        const result = safeCallbackPath(decoded);
        if (!landsOnApp(result)) offOrigin++;
        if (!isValidLocation(result)) invalidHeader++;
      }
    }
    expect({ offOrigin, invalidHeader }).toEqual({ offOrigin: 0, invalidHeader: 0 });
    // The generator must also exercise the accepting path, not only the fallback.
    expect(accepted.size).toBeGreaterThan(1000);
  }, 60_000);
});
