import { describe, expect, it } from "vitest";
import { jsonLength } from "./fields";
import { TURN_LIMITS } from "./limits";
import { parseClientRequest } from "./parse";
import {
  askUserFieldName,
  askUserForFileResultSchema,
  askUserResultSchema,
  parseUiToolCall,
  UI_CLIENT_TOOLS,
  UI_LIMITS,
  UI_TOOLKIT_NAME,
  UI_TOOLS,
} from "./ui-toolkit";
import * as z from "zod/mini";

// An ask_user call as MeshAgent's tailwind/Flutter schema describes it.
const ASK = {
  subject: "Trip details",
  help: "So I can plan the trip",
  form: [
    { input: { name: "city", description: "Where to?", multiline: false, default_value: "" } },
    { checkbox: { name: "hotel", description: "Need a hotel?", default_value: true } },
    {
      radio_group: {
        name: "class",
        description: "Travel class",
        default_value: "economy",
        options: [
          { name: "Economy", value: "economy" },
          { name: "Business", value: "business" },
        ],
      },
    },
    {
      select: {
        name: "month",
        description: "Month",
        default_value: "may",
        options: [{ name: "May", value: "may" }],
      },
    },
  ],
};

describe("the ui toolkit", () => {
  it("has MeshAgent's tool names", () => {
    expect(UI_TOOLKIT_NAME).toBe("ui");
    expect(UI_CLIENT_TOOLS.map((t) => t.name)).toEqual([
      "ask_user",
      "ask_user_for_file",
      "show_toast",
      "display_document",
    ]);
  });

  it("offers its tools as client_toolkits a turn.start accepts", () => {
    const turn = parseClientRequest({
      type: "meshagent.agent.turn.start",
      thread_id: "t",
      content: [{ type: "text", text: "hi" }],
      client_toolkits: UI_CLIENT_TOOLS,
    });
    expect(turn?.type === "meshagent.agent.turn.start" && turn.client_toolkits?.length).toBe(4);
    for (const tool of UI_CLIENT_TOOLS) {
      expect(jsonLength(tool.input_schema)).toBeLessThan(TURN_LIMITS.json);
      // strict-mode shape: every property required, nothing extra
      const schema = tool.input_schema as { required: string[]; properties: object; additionalProperties: boolean };
      expect(schema.additionalProperties).toBe(false);
      expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    }
  });

  it("parses ask_user with all four field kinds", () => {
    const call = parseUiToolCall(UI_TOOLS.askUser, ASK);
    expect(call?.tool).toBe("ask_user");
    if (call?.tool !== "ask_user") throw new Error("not ask_user");
    expect(call.args.form.map(askUserFieldName)).toEqual(["city", "hotel", "class", "month"]);
  });

  it("fills missing optional parts instead of refusing a sloppy model", () => {
    const call = parseUiToolCall("ask_user", { subject: "Name?", form: [{ input: { name: "name" } }] });
    expect(call).toEqual({
      tool: "ask_user",
      args: {
        subject: "Name?",
        help: "",
        form: [{ input: { name: "name", description: "", multiline: false, default_value: "" } }],
      },
    });
  });

  it.each([
    ["no subject", { ...ASK, subject: "" }],
    ["a field of no known kind", { ...ASK, form: [{ slider: { name: "x" } }] }],
    ["a field without a name", { ...ASK, form: [{ input: { name: "" } }] }],
    ["duplicate field names", { ...ASK, form: [ASK.form[0], ASK.form[0]] }],
    ["a select without options", { ...ASK, form: [{ select: { name: "s", options: [] } }] }],
    [
      "too many fields",
      { ...ASK, form: Array.from({ length: UI_LIMITS.formFields + 1 }, (_, i) => ({ input: { name: `f${i}` } })) },
    ],
    ["a huge subject", { ...ASK, subject: "x".repeat(UI_LIMITS.label + 1) }],
    ["a string instead of a form", { ...ASK, form: "<script>alert(1)</script>" }],
  ])("refuses ask_user with %s", (_label, args) => {
    expect(parseUiToolCall("ask_user", args)).toBeNull();
  });

  it("parses the other three tools and refuses unknown tools", () => {
    expect(parseUiToolCall("show_toast", { title: "Done", description: "All good" })).toEqual({
      tool: "show_toast",
      args: { title: "Done", description: "All good" },
    });
    expect(parseUiToolCall("display_document", { path: "files/a.md" })?.tool).toBe("display_document");
    expect(parseUiToolCall("ask_user_for_file", { title: "Pick one" })).toEqual({
      tool: "ask_user_for_file",
      args: { title: "Pick one", description: "" },
    });
    expect(parseUiToolCall("display_document", {})).toBeNull();
    expect(parseUiToolCall("toString", {})).toBeNull();
    expect(parseUiToolCall("__proto__", {})).toBeNull();
    expect(parseUiToolCall("run_shell", { cmd: "rm -rf /" })).toBeNull();
  });

  it("types the answers", () => {
    expect(z.safeParse(askUserResultSchema, { city: "Oslo", hotel: true }).success).toBe(true);
    expect(z.safeParse(askUserResultSchema, { city: { nested: 1 } }).success).toBe(false);
    expect(z.safeParse(askUserForFileResultSchema, { path: "files/a.pdf", name: "a.pdf" }).success).toBe(true);
    expect(z.safeParse(askUserForFileResultSchema, { path: "" }).success).toBe(false);
  });
});
