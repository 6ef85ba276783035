// Local development secrets, kept out of git in <root>/.meshagent-dev/secrets.json
// so `npm run dev` works without any configuration. Shared with the dev launcher:
// `roomSecret` signs room tokens, `authSecret` is for the app's auth library.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface DevSecrets {
  roomSecret: string;
  authSecret: string;
}

export const DEV_SECRETS_DIR = ".meshagent-dev";
export const DEV_SECRETS_FILE = "secrets.json";
const REQUIRED_KEYS = ["roomSecret", "authSecret"] as const;

function newSecret(): string {
  return randomBytes(32).toString("hex");
}

function readSecretsFile(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    // Never overwrite a file we cannot read: it may hold secrets someone relies on.
    throw new Error(`${file} is not a JSON object; fix it or delete it to have new dev secrets generated`);
  }
  return parsed as Record<string, unknown>;
}

/** Reads the dev secrets, generating and persisting any that are missing. Other keys in the file are kept. */
export function loadDevSecrets(rootDir: string): DevSecrets {
  const dir = path.join(rootDir, DEV_SECRETS_DIR);
  const file = path.join(dir, DEV_SECRETS_FILE);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Belt and braces next to the repo's .gitignore: nothing in this directory is ever committed.
  const ignoreFile = path.join(dir, ".gitignore");
  if (!fs.existsSync(ignoreFile)) fs.writeFileSync(ignoreFile, "*\n", { mode: 0o600 });

  const existing = readSecretsFile(file);
  const data: Record<string, unknown> = { ...(existing ?? {}) };
  let changed = existing === null;
  for (const key of REQUIRED_KEYS) {
    if (typeof data[key] !== "string" || (data[key] as string).length === 0) {
      data[key] = newSecret();
      changed = true;
    }
  }
  if (changed) {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (existing === null) {
      try {
        // Exclusive create: if the launcher and the room server race, the first writer wins.
        fs.writeFileSync(file, text, { mode: 0o600, flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadDevSecrets(rootDir);
        throw error;
      }
    } else {
      // Write-then-rename so a crash never leaves a truncated secrets file.
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, text, { mode: 0o600 });
      fs.renameSync(temp, file);
    }
  }
  return { roomSecret: data.roomSecret as string, authSecret: data.authSecret as string };
}
