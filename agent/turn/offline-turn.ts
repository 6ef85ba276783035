// The turn brain used without a model: commands that exercise every event the
// Agents tab renders (streamed markdown, an error, a file item, a slow turn to
// Stop or steer, reasoning, tool calls with logs and approval, and the
// browser's `ui` tools), so the whole tab is testable offline. Anything that
// is not a command goes to the legacy offline brain (help, who, about, ping,
// or your words back).

import { inputText, roomPathFromUrl, roomUrl } from "../../lib/shared/agent-turn/content";
import { UI_TOOLS } from "../../lib/shared/agent-turn/ui-toolkit";
import { createOfflineBrain } from "../brain/offline";
import { BrainError, type Brain } from "../brain/types";
import type { TurnBrain, TurnRun } from "./brain";
import {
  listRoomFiles,
  readTextFile,
  runTool,
  saveTextFile,
  sleep,
  slowBuild,
  ToolFailure,
  filesPath,
} from "./room-tools";
import { pieces, SAMPLE_MARKDOWN } from "./sample-answer";

export interface OfflineTurnOptions {
  /** Answers anything that is not a command. Default: the legacy offline brain. */
  fallback?: Brain;
  /** Pause between streamed pieces. Default 25 ms. */
  pieceDelayMs?: number;
  /** Pause between the slow command's steps. Default 500 ms. */
  slowStepMs?: number;
}

export const OFFLINE_COMMANDS = [
  ["help", "this list"],
  ["markdown", "a long streamed markdown answer with a table and code"],
  ["error", "a turn that ends with an error"],
  ["file", "a file item: the newest room file"],
  ["think", "a reasoning item, then an answer"],
  ["slow", "a slow count you can Stop, or steer by typing while it runs"],
  ["build", "a slow tool call with stdout and stderr log lines"],
  ["files", "lists the room's files (tool call)"],
  ["read <file>", "shows a text file from the room (tool call)"],
  ["save <file>: <text>", "saves a text file, after you approve it"],
  ["toast <text>", "shows you a toast (your browser's ui tool)"],
  ["ask me <question>", "asks you in a form (ui tool) and uses your answer"],
  ["upload", "asks you for a file (ui tool), then tells its name and size"],
  ["show <file>", "opens a room file in your viewer (ui tool)"],
  ["who", "who is in the room"],
  ["about", "what I am"],
  ["ping", "pong"],
] as const;

const HELP = [
  "I'm running without a model. With a file attached I tell you its name and size. Commands:",
  "",
  ...OFFLINE_COMMANDS.map(([command, what]) => `- \`${command}\` — ${what}`),
].join("\n");

function formatBytes(size: number | null): string {
  if (size === null) return "unknown size";
  return `${size.toLocaleString("en-US")} bytes`;
}

/** Markdown-safe inline code for a value someone else chose. */
function code(value: string): string {
  return `\`${value.replace(/`/g, "'").slice(0, 200)}\``;
}

export function createOfflineTurnBrain(options: OfflineTurnOptions = {}): TurnBrain {
  const fallback = options.fallback ?? createOfflineBrain();
  const pieceDelay = options.pieceDelayMs ?? 25;
  const slowStep = options.slowStepMs ?? 500;

  // Characters answered per turn, for the usage footer's (estimated) token counts.
  const written = new WeakMap<TurnRun, number>();
  const count = (run: TurnRun, text: string) => written.set(run, (written.get(run) ?? 0) + text.length);

  async function stream(run: TurnRun, text: string, pieceSize = 24): Promise<void> {
    count(run, text);
    const writer = run.out.text("final_answer");
    for (const piece of pieces(text, pieceSize)) {
      writer.write(piece);
      if (pieceDelay > 0) await sleep(pieceDelay, run.signal);
    }
    writer.end();
  }

  function say(run: TurnRun, text: string): void {
    count(run, text);
    const writer = run.out.text("final_answer");
    writer.write(text);
    writer.end();
  }

  /** A ui tool of the browser, or a sentence saying it was not offered. */
  async function uiTool(run: TurnRun, tool: string, args: Record<string, unknown>) {
    if (!run.clientTools.includes(tool)) {
      say(run, `Your browser did not offer me its ${code(tool)} tool with this message, so I can't do that here.`);
      return null;
    }
    run.out.status(`Waiting for you (${tool})`, "busy");
    try {
      return await runTool(run.out, tool, args, () => run.out.clientTool(tool, args), { toolkit: "client" });
    } finally {
      run.out.status("Thinking");
    }
  }

  async function attachments(run: TurnRun): Promise<boolean> {
    const files = run.input.flatMap((item) => (item.type === "file" ? [item] : []));
    if (files.length === 0) return false;
    const lines: string[] = [];
    for (const file of files) {
      const path = roomPathFromUrl(file.url);
      const name = file.name ?? path?.split("/").pop() ?? file.url;
      try {
        const entry = path ? await run.files.stat(path) : null;
        lines.push(
          entry
            ? `- **${name.replace(/[*_`[\]]/g, "")}**: ${formatBytes(entry.size)}`
            : `- ${code(name)}: I can't find it in room storage.`,
        );
      } catch (error) {
        lines.push(`- ${code(name)}: ${error instanceof ToolFailure ? error.message : "I can't read it."}`);
      }
    }
    const text = run.text.trim();
    say(
      run,
      `You gave me ${files.length === 1 ? "a file" : `${files.length} files`}:\n\n${lines.join("\n")}` +
        (text ? `\n\nYou also wrote: ${code(text)}` : ""),
    );
    return true;
  }

  async function command(run: TurnRun): Promise<boolean> {
    const text = run.text.trim();
    const [first = "", ...restWords] = text.split(/\s+/);
    const word = first.toLowerCase().replace(/[^a-z]/g, "");
    const rest = restWords.join(" ");
    switch (word) {
      case "help":
      case "commands":
        say(run, HELP);
        return true;
      case "markdown":
      case "long":
        run.out.status("Writing");
        {
          const note = run.out.text("commentary");
          note.write("Writing a long answer with a table and code…");
          note.end();
        }
        await stream(run, SAMPLE_MARKDOWN);
        return true;
      case "error":
        throw new BrainError("This is the demo error you asked for: the turn ends with an error, and I stay up.");
      case "think": {
        run.out.reasoning(
          "The person asked me to think. I have no model, so I note that thinking shows as a collapsed reasoning item.",
        );
        say(run, "Done thinking. The reasoning above is collapsed by default.");
        return true;
      }
      case "file": {
        const newest = (await listRoomFiles(run.files)).find((file) => !file.isFolder);
        if (!newest) {
          say(run, "There are no files in the room yet. Attach one, or say `save notes.md: hello`.");
          return true;
        }
        say(run, `The newest file in the room is ${code(newest.name)}:`);
        run.out.file(roomUrl(newest.path));
        return true;
      }
      case "slow":
        await slow(run);
        return true;
      case "build": {
        run.out.status("Building", "busy");
        const result = await runTool(run.out, "build", { target: "demo" }, (call) => slowBuild(call, run.signal));
        say(run, `The build finished: ${code(JSON.stringify(result.type === "json" ? result.json : {}))}.`);
        return true;
      }
      case "files": {
        const result = await runTool(run.out, "list_room_files", { folder: "files/" }, async () => ({
          type: "json",
          json: {
            files: (await listRoomFiles(run.files)).map((f) => ({ path: f.path, size: f.size, folder: f.isFolder })),
          },
        }));
        const files =
          result.type === "json" ? (result.json as { files: { path: string; size: number | null }[] }).files : [];
        say(
          run,
          files.length === 0
            ? "The room has no files yet."
            : `| file | size |\n| --- | --- |\n${files.map((f) => `| ${code(f.path)} | ${formatBytes(f.size)} |`).join("\n")}`,
        );
        return true;
      }
      case "read": {
        const result = await runTool(run.out, "read_room_file", { path: rest }, async () => {
          const file = await readTextFile(run.files, rest);
          return { type: "text", text: file.text };
        });
        const body = result.type === "text" ? result.text : "";
        say(run, `${code(filesPath(rest) ?? rest)}:\n\n\`\`\`\`text\n${body.replace(/````/g, "'''")}\n\`\`\`\``);
        return true;
      }
      case "save": {
        const colon = rest.indexOf(":");
        const name = colon > 0 ? rest.slice(0, colon).trim() : "";
        const body = colon > 0 ? rest.slice(colon + 1).trim() : "";
        if (!name || !body) {
          say(run, "Say it as `save <file>: <text>`, for example `save notes.md: hello`.");
          return true;
        }
        const args = { path: filesPath(name) ?? name, text: body };
        const result = await runTool(
          run.out,
          "save_room_file",
          args,
          async () => ({ type: "json", json: await saveTextFile(run.files, name, body) }),
          { approval: true },
        );
        const saved = result.type === "json" ? (result.json as { path: string; size: number }) : null;
        if (saved) {
          say(run, `Saved ${code(saved.path)} (${formatBytes(saved.size)}).`);
          run.out.file(roomUrl(saved.path));
        }
        return true;
      }
      case "toast": {
        const result = await uiTool(run, UI_TOOLS.showToast, {
          title: `From ${run.room.agentName}`,
          description: rest.slice(0, 500) || "Hello from the demo agent!",
        });
        if (result) say(run, "I showed you a toast.");
        return true;
      }
      case "ask": {
        if (!/^me\b/i.test(rest)) return false;
        const question = rest.replace(/^me\b\s*/i, "").trim() || "What should I call you?";
        const result = await uiTool(run, UI_TOOLS.askUser, {
          subject: question.slice(0, 200),
          help: `${run.room.agentName} asks, and repeats your answer back.`,
          form: [
            { input: { name: "answer", description: question.slice(0, 500), multiline: false, default_value: "" } },
          ],
        });
        if (result?.type === "json") {
          const answer = (result.json as Record<string, unknown>)?.answer;
          say(run, `You answered: ${code(typeof answer === "string" ? answer : JSON.stringify(answer ?? null))}.`);
        }
        return true;
      }
      case "upload": {
        const result = await uiTool(run, UI_TOOLS.askUserForFile, {
          title: "Pick a file",
          description: "I'll tell you its name and size.",
        });
        if (result?.type === "json") {
          const path = String((result.json as Record<string, unknown>)?.path ?? "");
          const entry = await run.files.stat(path).catch(() => null);
          say(
            run,
            entry ? `You gave me ${code(entry.name)}: ${formatBytes(entry.size)}.` : `I can't find ${code(path)}.`,
          );
        }
        return true;
      }
      case "show": {
        const path = filesPath(rest);
        const entry = path ? await run.files.stat(path).catch(() => null) : null;
        if (!path || !entry || entry.isFolder) {
          say(run, `There is no file ${code(rest || "(none given)")} in the room. Say \`files\` to see them.`);
          return true;
        }
        const result = await uiTool(run, UI_TOOLS.displayDocument, { path });
        if (result) say(run, `I opened ${code(path)} for you.`);
        return true;
      }
    }
    return false;
  }

  async function slow(run: TurnRun): Promise<void> {
    run.out.status("Counting slowly", "steerable");
    const writer = run.out.text("final_answer");
    writer.write("Counting slowly (press Stop, or type to steer me):");
    for (let n = 1; n <= 20; n++) {
      const steered = await Promise.race([
        sleep(slowStep, run.signal).then(() => false),
        run.nextSteer().then(() => true),
      ]);
      if (steered) {
        const steers = run.takeSteers();
        writer.write(`\n\n↪ Steered by ${code(steers.join(" / "))}: I stop counting at ${n - 1}, as you asked.`);
        writer.end();
        return;
      }
      writer.write(` ${n}`);
    }
    writer.write(". Done.");
    writer.end();
  }

  return {
    description: "offline commands (no model configured)",
    async run(run) {
      const inputChars = inputText(run.input).length;
      let handled = await attachments(run);
      try {
        if (!handled) handled = await command(run);
      } catch (error) {
        // A tool the person rejected or that failed is part of the answer, not a broken turn.
        if (!(error instanceof ToolFailure) || run.signal.aborted) throw error;
        say(run, error.message);
        handled = true;
      }
      if (!handled) {
        const answer = await fallback.reply({
          text: run.text,
          history: run.history,
          userName: run.userName,
          room: run.room,
          signal: run.signal,
          progress: (status) => run.out.status(status),
        });
        await stream(run, answer, 40);
      }
      // No model, no tokens: estimated at four characters each, so the footer has something true-ish to show.
      run.out.usage({ inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil((written.get(run) ?? 0) / 4) });
    },
  };
}
