/**
 * Memory of a running stage, sampled from /proc (Linux): the resident set of a process and all its
 * descendants (the pipeline CLI and the dbt it starts), and the proportional set size of a
 * PostgreSQL server's processes. PSS, not RSS, for Postgres: every backend maps the same shared
 * buffers, so a sum of RSS would count them once per backend.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (2nd field) may hold spaces and parentheses: fields start after the last ')'
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // gone meanwhile
  }
}

/** `root` and every process descending from it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** A field of /proc/<pid>/<file> in kB (0 when the process is gone or hides it). */
function kb(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const text = readFileSync(`/proc/${pid}/${file}`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export const treeRssMb = (root: number) =>
  processTree(root).reduce((sum, pid) => sum + kb(pid, 'status', 'VmRSS'), 0) / 1024;

/** The sum of each process's own peak (VmHWM): an upper bound of the tree's peak, as peaks need not coincide. */
export const treeHwmMb = (root: number) =>
  processTree(root).reduce((sum, pid) => sum + kb(pid, 'status', 'VmHWM'), 0) / 1024;

export const treePssMb = (root: number) =>
  processTree(root).reduce((sum, pid) => sum + kb(pid, 'smaps_rollup', 'Pss'), 0) / 1024;

export interface Sampler {
  /** The highest value seen since the last reset, and restarts the peak. */
  takePeak(): number;
  stop(): void;
}

/** Samples `measure` every `everyMs` and keeps its peak. */
export function samplePeak(measure: () => number, everyMs = 250): Sampler {
  let peak = measure();
  const timer = setInterval(() => {
    peak = Math.max(peak, measure());
  }, everyMs);
  timer.unref();
  return {
    takePeak() {
      const value = Math.max(peak, measure());
      peak = 0;
      return value;
    },
    stop: () => clearInterval(timer),
  };
}
