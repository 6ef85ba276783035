// The `ui` toolkit a browser hosts for agents: the same tool names and
// argument shapes as MeshAgent's tailwind and Flutter UIs (ask_user,
// ask_user_for_file, show_toast, display_document), so an agent written for
// MeshAgent's UIs works with this app and the other way round.
//
// Two halves: the JSON `input_schema`s an agent is given (in a turn's
// `client_toolkits`, or a room toolkit registration), and zod parsers for the
// arguments a browser receives, which come from an agent and are untrusted.

import * as z from "zod/mini";
import { nonEmpty, str } from "./fields";
import type { ClientTool } from "./messages";

export const UI_TOOLKIT_NAME = "ui";

export const UI_TOOLS = {
  askUser: "ask_user",
  askUserForFile: "ask_user_for_file",
  showToast: "show_toast",
  displayDocument: "display_document",
} as const;
/** @public the browser's ui toolkit uses it */
export type UiToolName = (typeof UI_TOOLS)[keyof typeof UI_TOOLS];

export const UI_LIMITS = {
  /** Fields in one ask_user form. */
  formFields: 24,
  /** Options in one select or radio group. */
  options: 50,
  /** Subject, titles, field and option names. */
  label: 200,
  /** Help texts and field descriptions. */
  text: 2000,
  /** One input's value. */
  value: 8000,
  /** A room path. */
  path: 1024,
} as const;

const label = str(UI_LIMITS.label);
const text = str(UI_LIMITS.text);
const option = z.object({ name: label, value: str(UI_LIMITS.value) });
const options = z.pipe(z.array(z.unknown()).check(z.minLength(1), z.maxLength(UI_LIMITS.options)), z.array(option));
// Field names key the answer object; they must be non-empty.
const fieldName = nonEmpty(UI_LIMITS.label);

/** One form field: exactly one of input, checkbox, radio_group, select. */
const askUserFieldSchema = z.union([
  z.object({
    input: z.object({
      name: fieldName,
      description: z._default(text, ""),
      multiline: z._default(z.boolean(), false),
      default_value: z._default(str(UI_LIMITS.value), ""),
    }),
  }),
  z.object({
    checkbox: z.object({
      name: fieldName,
      description: z._default(text, ""),
      default_value: z._default(z.boolean(), false),
    }),
  }),
  z.object({
    radio_group: z.object({
      name: fieldName,
      description: z._default(text, ""),
      default_value: z._default(str(UI_LIMITS.value), ""),
      options,
    }),
  }),
  z.object({
    select: z.object({
      name: fieldName,
      description: z._default(text, ""),
      default_value: z._default(str(UI_LIMITS.value), ""),
      options,
    }),
  }),
]);
export type AskUserField = z.infer<typeof askUserFieldSchema>;

/** The field inside a form item, whatever its kind. */
export function askUserFieldName(field: AskUserField): string {
  if ("input" in field) return field.input.name;
  if ("checkbox" in field) return field.checkbox.name;
  if ("radio_group" in field) return field.radio_group.name;
  return field.select.name;
}

const askUserArgsSchema = z.object({
  subject: nonEmpty(UI_LIMITS.label),
  help: z._default(text, ""),
  form: z.pipe(
    z.array(z.unknown()).check(z.maxLength(UI_LIMITS.formFields)),
    z
      .array(askUserFieldSchema)
      .check(
        z.refine((form) => new Set(form.map(askUserFieldName)).size === form.length, "form field names must be unique"),
      ),
  ),
});
/** @public the browser's ui toolkit uses it */
export type AskUserArgs = z.infer<typeof askUserArgsSchema>;

/** ask_user's answer: field name → the person's value (text or checkbox). */
export const askUserResultSchema = z
  .record(nonEmpty(UI_LIMITS.label), z.union([str(UI_LIMITS.value), z.boolean()]))
  .check(z.refine((value) => Object.keys(value).length <= UI_LIMITS.formFields));
/** @public the browser's ui toolkit uses it */
export type AskUserResult = z.infer<typeof askUserResultSchema>;

const askUserForFileArgsSchema = z.object({
  title: nonEmpty(UI_LIMITS.label),
  description: z._default(text, ""),
});
/** @public the browser's ui toolkit uses it */
export type AskUserForFileArgs = z.infer<typeof askUserForFileArgsSchema>;

/**
 * ask_user_for_file's answer, as `{type: "json", json: …}`: the file is
 * uploaded to room storage and the agent gets its room path (MeshAgent's UIs
 * send the bytes instead, which a turn-protocol JSON message cannot carry).
 */
export const askUserForFileResultSchema = z.object({
  path: nonEmpty(UI_LIMITS.path),
  name: nonEmpty(UI_LIMITS.label),
});
/** @public the browser's ui toolkit uses it */
export type AskUserForFileResult = z.infer<typeof askUserForFileResultSchema>;

const showToastArgsSchema = z.object({
  title: nonEmpty(UI_LIMITS.label),
  description: z._default(text, ""),
});
/** @public the browser's ui toolkit uses it */
export type ShowToastArgs = z.infer<typeof showToastArgsSchema>;

const displayDocumentArgsSchema = z.object({ path: nonEmpty(UI_LIMITS.path) });
/** @public the browser's ui toolkit uses it */
export type DisplayDocumentArgs = z.infer<typeof displayDocumentArgsSchema>;

export type UiToolCall =
  | { tool: "ask_user"; args: AskUserArgs }
  | { tool: "ask_user_for_file"; args: AskUserForFileArgs }
  | { tool: "show_toast"; args: ShowToastArgs }
  | { tool: "display_document"; args: DisplayDocumentArgs };

const UI_ARG_SCHEMAS: Record<UiToolName, z.core.$ZodType> = {
  ask_user: askUserArgsSchema,
  ask_user_for_file: askUserForFileArgsSchema,
  show_toast: showToastArgsSchema,
  display_document: displayDocumentArgsSchema,
};

/** A `ui` tool call with parsed arguments, or null for an unknown tool or bad arguments. Never throws. */
export function parseUiToolCall(tool: string, args: unknown): UiToolCall | null {
  if (!Object.hasOwn(UI_ARG_SCHEMAS, tool)) return null;
  try {
    const parsed = z.safeParse(UI_ARG_SCHEMAS[tool as UiToolName], args);
    return parsed.success ? ({ tool, args: parsed.data } as UiToolCall) : null;
  } catch {
    return null;
  }
}

// ---- the JSON schemas an agent is given -----------------------------------
// Strict-mode compatible (every property required, no extra properties), as
// MeshAgent's own definitions are, so OpenAI's structured tool calls accept them.

const stringProp = (description?: string) => (description ? { type: "string", description } : { type: "string" });
const optionList = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "value"],
    properties: { name: stringProp(), value: stringProp() },
  },
};
const fieldKind = (kind: string, properties: Record<string, unknown>, description?: string) => ({
  type: "object",
  additionalProperties: false,
  required: [kind],
  ...(description ? { description } : {}),
  properties: {
    [kind]: { type: "object", additionalProperties: false, required: Object.keys(properties), properties },
  },
});

const ASK_USER_INPUT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["subject", "help", "form"],
  properties: {
    subject: stringProp("a very short description suitable for a dialog title"),
    help: stringProp(
      "helpful information that explains why this information is being collected and how it will be used",
    ),
    form: {
      type: "array",
      items: {
        anyOf: [
          fieldKind("input", {
            name: stringProp(),
            description: stringProp(),
            multiline: { type: "boolean" },
            default_value: stringProp(),
          }),
          fieldKind("checkbox", { name: stringProp(), description: stringProp(), default_value: { type: "boolean" } }),
          fieldKind(
            "radio_group",
            { name: stringProp(), description: stringProp(), default_value: stringProp(), options: optionList },
            "lets the user pick one option from a list; best for multiple choice questions",
          ),
          fieldKind("select", {
            name: stringProp(),
            description: stringProp(),
            default_value: stringProp(),
            options: optionList,
          }),
        ],
      },
    },
  },
};

const titleAndDescription = (title: string, description: string) => ({
  type: "object",
  additionalProperties: false,
  required: ["title", "description"],
  properties: { title: stringProp(title), description: stringProp(description) },
});

/** The four tools as `client_toolkits` entries (the agent exposes them under toolkit "client"). */
export const UI_CLIENT_TOOLS: readonly ClientTool[] = [
  {
    name: UI_TOOLS.askUser,
    title: "ask user",
    description: "ask the user a question with a form; returns the answers by field name",
    input_schema: ASK_USER_INPUT_SCHEMA,
  },
  {
    name: UI_TOOLS.askUserForFile,
    title: "ask user for file",
    description: "ask the user for a file; it is uploaded to room storage and its room path is returned",
    input_schema: titleAndDescription(
      "a very short description suitable for a dialog title",
      "helpful information that explains why this file is needed and how it will be used",
    ),
  },
  {
    name: UI_TOOLS.showToast,
    title: "show toast",
    description: "let the user know something important with a toast",
    input_schema: titleAndDescription(
      "a very short summary suitable for a toast title",
      "a longer description suitable for a toast description",
    ),
  },
  {
    name: UI_TOOLS.displayDocument,
    title: "display document",
    description: "open a room file for the user in a viewer",
    input_schema: {
      type: "object",
      additionalProperties: false,
      required: ["path"],
      properties: { path: stringProp("the file's path in room storage") },
    },
  },
];
