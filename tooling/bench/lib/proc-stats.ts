/** CPU time and memory of other processes, from /proc (Linux only; NaN elsewhere). */

import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS = 100;

/** The stat(5) fields of a process ("1234") or one of its threads ("1234/task/1235"), or null if it is gone. */
function statFields(entry: string | number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    // Fields after the command name, which may contain spaces: field 3 (state) is at index 0.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** utime + stime from statFields, in seconds: stat(5) fields 14 and 15 sit at 11 and 12 there. */
function cpuSeconds(fields: string[]): number {
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The numeric entries of a /proc directory (process or thread ids); empty if it cannot be read. */
function ids(dir: string): string[] {
  try {
    return readdirSync(dir).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}

/** utime + stime of one process, in seconds. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = statFields(pid);
  return fields ? cpuSeconds(fields) : Number.NaN;
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
  for (const entry of ids("/proc")) {
    const fields = statFields(entry);
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
  return ids("/proc").some((entry) => {
    const fields = statFields(entry);
    return fields !== null && fields[0] !== "Z" && Number(fields[2]) === pgid;
  });
}

/** One thread's CPU time and time spent runnable but waiting for a CPU, in seconds, with what it is. */
interface ThreadTimes {
  label: string;
  cpuS: number;
  waitS: number;
}

/** "chromium renderer 1234", "node 5678": a process's name and, for Chromium's, its type. */
function processLabel(pid: string): string | null {
  try {
    const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    // Chromium rewrites its children's command lines as one space-separated string.
    const type = /--type=(\S+)/.exec(readFileSync(`/proc/${pid}/cmdline`, "utf8"))?.[1];
    return type ? `${name} ${type} ${pid}` : `${name} ${pid}`;
  } catch {
    return null;
  }
}

/**
 * Every thread's times now (Linux: /proc/<pid>/task/<tid>/stat, comm and
 * schedstat; empty elsewhere). Two readings bracket a measurement; in
 * between nothing is read, so the measurement is not disturbed.
 */
export function threadTimes(): Map<string, ThreadTimes> {
  const out = new Map<string, ThreadTimes>();
  for (const pid of ids("/proc")) {
    const label = processLabel(pid);
    if (!label) continue;
    for (const tid of ids(`/proc/${pid}/task`)) {
      const task = `${pid}/task/${tid}`;
      const fields = statFields(task);
      if (!fields) continue;
      try {
        const thread = readFileSync(`/proc/${task}/comm`, "utf8").trim();
        // schedstat: time on a CPU, time waiting on a run queue (ns), time slices.
        const waitNs = Number(readFileSync(`/proc/${task}/schedstat`, "utf8").split(" ")[1]);
        out.set(`${pid}/${tid}`, { label: `${label}: ${thread}`, cpuS: cpuSeconds(fields), waitS: waitNs / 1e9 });
      } catch {
        // The thread ended while being read.
      }
    }
  }
  return out;
}

/** The threads that used the most CPU between two readings, as "cpu s (waited s) label" lines. */
export function busiestThreads(before: Map<string, ThreadTimes>, after: Map<string, ThreadTimes>, count: number) {
  const rows = [...after].map(([key, now]) => {
    const then = before.get(key);
    return { label: now.label, cpuS: now.cpuS - (then?.cpuS ?? 0), waitS: now.waitS - (then?.waitS ?? 0) };
  });
  const total = rows.reduce((sum, row) => sum + row.cpuS, 0);
  const top = rows
    .sort((a, b) => b.cpuS - a.cpuS)
    .slice(0, count)
    .map((row) => `${row.cpuS.toFixed(2)} s (waited ${row.waitS.toFixed(2)} s) ${row.label}`);
  return { totalCpuS: total, top };
}
