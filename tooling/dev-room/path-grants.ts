// Storage and sync grants of a participant token (`api.storage`, `api.sync`):
// which room paths a participant may read and write.
//
// The SDK serialises StorageGrant / SyncGrant as `{paths?: [{path, readOnly}]}`
// (camelCase, from JSON.stringify of the class); the Python SDK writes
// `read_only`. No `paths` means every path. Storage grants match by prefix
// (StorageGrant.matches); sync grants match exactly or by a trailing `*`
// (SyncGrant.matches). Grant paths are compared in the room-relative form the
// dev room uses, so a leading "/" or "./" in a grant is ignored.

import { isLegacyVersion, type Grant } from "./token";

interface PathGrant {
  path: string;
  readOnly: boolean;
}

export interface PathGrants {
  kind: "storage" | "sync";
  /** null: every path, read and write. */
  paths: PathGrant[] | null;
}

export function pathGrantsOf(grants: Grant[], version: unknown, kind: "storage" | "sync"): PathGrants | null {
  const api = grants.find((g) => g.name === "api");
  if (api === undefined || typeof api.scope !== "object" || api.scope === null) {
    return isLegacyVersion(version) ? { kind, paths: null } : null;
  }
  const grant = (api.scope as Record<string, unknown>)[kind];
  if (typeof grant !== "object" || grant === null) return null;
  const paths = (grant as Record<string, unknown>).paths;
  if (paths === undefined || paths === null) return { kind, paths: null };
  if (!Array.isArray(paths)) return { kind, paths: [] };
  const parsed: PathGrant[] = [];
  for (const item of paths) {
    if (typeof item !== "object" || item === null) continue;
    const { path, readOnly, read_only: readOnlySnake } = item as Record<string, unknown>;
    if (typeof path !== "string") continue;
    parsed.push({ path: stripLeading(path), readOnly: readOnly === true || readOnlySnake === true });
  }
  return { kind, paths: parsed };
}

function stripLeading(path: string): string {
  let p = path;
  for (;;) {
    if (p.startsWith("./")) p = p.slice(2);
    else if (p.startsWith("/")) p = p.slice(1);
    else return p;
  }
}

function matches(kind: PathGrants["kind"], grant: string, path: string): boolean {
  if (kind === "storage") return path.startsWith(grant);
  return grant === path || (grant.endsWith("*") && path.startsWith(grant.slice(0, -1)));
}

export function canRead(grants: PathGrants | null, path: string): boolean {
  if (grants === null) return false;
  if (grants.paths === null) return true;
  return grants.paths.some((g) => matches(grants.kind, g.path, path));
}

export function canWrite(grants: PathGrants | null, path: string): boolean {
  if (grants === null) return false;
  if (grants.paths === null) return true;
  const first = grants.paths.find((g) => matches(grants.kind, g.path, path));
  return first !== undefined && !first.readOnly;
}

/** A folder can be listed when it is readable itself or when some granted prefix lies inside it. */
export function canList(grants: PathGrants | null, folder: string): boolean {
  if (canRead(grants, folder)) return true;
  if (grants === null || grants.paths === null) return false;
  const prefix = folder === "" ? "" : `${folder}/`;
  return grants.paths.some((g) => g.path.startsWith(prefix));
}
