import { describe, expect, it } from "vitest";
import { nextDevArgs } from "./next-dev-args";

describe("npm run dev's next dev arguments", () => {
  it("listen on 127.0.0.1 by default", () => {
    expect(nextDevArgs([], undefined)).toEqual(["--hostname", "127.0.0.1"]);
    expect(nextDevArgs(["--port", "3005"], undefined)).toEqual(["--port", "3005", "--hostname", "127.0.0.1"]);
  });

  it("honour an interface the user chose", () => {
    expect(nextDevArgs(["-H", "0.0.0.0"], undefined)).toEqual(["-H", "0.0.0.0"]);
    expect(nextDevArgs(["--hostname", "::"], "10.0.0.2")).toEqual(["--hostname", "::"]);
    expect(nextDevArgs(["--hostname=0.0.0.0"], undefined)).toEqual(["--hostname=0.0.0.0"]);
    expect(nextDevArgs([], "0.0.0.0")).toEqual(["--hostname", "0.0.0.0"]);
  });
});
