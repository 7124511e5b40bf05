/**
 * Runs a command and measures it as a whole process tree (Linux /proc), because `/usr/bin/time -v` and
 * `process.resourceUsage()` see one process only, and the main job may fan out:
 *
 * - peak RSS: every 25 ms the resident memory (VmRSS) of the child and all its descendants is summed;
 *   the peak is the largest sum, or the largest single process's own peak (VmHWM, tracked by the kernel)
 *   if that is higher. Worker threads live inside their process, so a one-process tree is exact.
 * - CPU: user + system time of the tree's processes, as of their last sample (all threads included).
 * - background: CPU used by everything else on the machine meanwhile, as a share of all cores; other
 *   jobs on a shared machine inflate wall times, and this says by how much to distrust a sample.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface TreeMeasurement {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  /** Other processes' CPU while this ran, 0–1 of all cores. */
  readonly background: number;
}

const SAMPLE_MS = 25;
/** Milliseconds per clock tick of /proc/<pid>/stat and /proc/stat (USER_HZ is 100 on Linux). */
const TICK_MS = 10;

interface ProcessSample {
  readonly rssKb: number;
  readonly hwmKb: number;
  /** utime + stime, in ms. */
  readonly cpuMs: number;
}

function readProcess(pid: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from state (field 3): utime is field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0), hwmKb: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0), cpuMs: ticks * TICK_MS };
  } catch {
    return undefined; // exited between listing and reading
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const tree: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    tree.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const numbers = values.map(Number);
  const idle = numbers[3]! + numbers[4]!; // idle + iowait
  const total = numbers.slice(0, 8).reduce((a, b) => a + b, 0); // without guest time, counted in user
  return { busy: total - idle, total };
}

/** Share of the machine's CPU busy over the next `ms` (another job, or steal time on a shared host). */
export async function machineBusy(ms: number): Promise<number> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTicks();
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}

export function measureTree(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<TreeMeasurement> {
  return new Promise((resolve, reject) => {
    const machineBefore = machineTicks();
    const start = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let peakKb = 0;
    const cpuByPid = new Map<number, number>();
    const sample = () => {
      if (child.pid === undefined) return;
      let rssKb = 0;
      for (const pid of descendants(child.pid)) {
        const info = readProcess(pid);
        if (!info) continue;
        rssKb += info.rssKb;
        peakKb = Math.max(peakKb, info.hwmKb);
        cpuByPid.set(pid, info.cpuMs);
      }
      peakKb = Math.max(peakKb, rssKb);
    };
    const timer = setInterval(sample, SAMPLE_MS);
    sample();
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - start;
      const machineAfter = machineTicks();
      const cpuMs = [...cpuByPid.values()].reduce((a, b) => a + b, 0);
      const machineBusyMs = (machineAfter.busy - machineBefore.busy) * TICK_MS;
      const background = Math.max(0, (machineBusyMs - cpuMs) / (wallMs * cpus().length));
      resolve({ code, stdout, stderr, wallMs, cpuMs, peakRssMb: peakKb / 1024, background: Math.min(1, background) });
    });
  });
}
