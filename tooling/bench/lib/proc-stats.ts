/** CPU time and memory of other processes, from /proc (Linux only; NaN elsewhere). */

import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS = 100;

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may contain spaces: field 3 (state) is at index 0.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** utime + stime of one process, in seconds. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = statFields(pid);
  // stat(5) fields 14 and 15 (utime, stime) sit at 11 and 12 here.
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : Number.NaN;
}

/** Resident set size of one process, in bytes. */
export function processRssBytes(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Summed RSS of every process in a process group (the bench starts each
 * server as a group leader; `next start` may run its server in a child).
 */
export function groupRssBytes(pgid: number | undefined): number {
  if (pgid === undefined) return Number.NaN;
  let total = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return Number.NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    // stat(5) field 5 (pgrp) sits at index 2.
    if (!fields || Number(fields[2]) !== pgid) continue;
    const rss = processRssBytes(Number(entry));
    if (Number.isFinite(rss)) {
      total += rss;
      found = true;
    }
  }
  return found ? total : Number.NaN;
}

/** Whether any process of the group is still alive (zombies aside). */
export function groupAlive(pgid: number | undefined): boolean {
  if (pgid === undefined) return false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return false;
  }
  return entries.some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const fields = statFields(Number(entry));
    return fields !== null && fields[0] !== "Z" && Number(fields[2]) === pgid;
  });
}
