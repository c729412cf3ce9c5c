import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ProcessRun {
  /** Spawn to exit, as the user waits for it. */
  wallMs: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Runs a command to completion and times it from spawn to exit. */
export function runProcess(cmd: string[], options: ProcessOptions = {}): ProcessRun {
  const t0 = performance.now();
  const p = Bun.spawnSync(cmd, { cwd: options.cwd, env: options.env ?? process.env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const wallMs = performance.now() - t0;
  return { wallMs, exitCode: p.exitCode ?? -1, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

const GNU_TIME = "/usr/bin/time";

/** Peak resident memory of the largest process of a command's tree, in MB (10^6 bytes). */
export interface RssRun extends ProcessRun {
  peakRssMb: number;
  method: "time -v" | "VmHWM";
}

/**
 * Runs a command and reports its peak RSS: through GNU time when installed (the kernel's
 * maximum over the process tree), else by polling VmHWM of the process and its descendants.
 */
export async function runProcessRss(cmd: string[], options: ProcessOptions = {}): Promise<RssRun> {
  if (existsSync(GNU_TIME)) {
    const out = join(tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
    try {
      const run = runProcess([GNU_TIME, "-f", "%M", "-o", out, ...cmd], options);
      const kb = Number(readFileSync(out, "utf8").trim().split("\n").pop());
      if (Number.isFinite(kb) && kb > 0) return { ...run, peakRssMb: (kb * 1024) / 1e6, method: "time -v" };
    } catch {
      // fall through to polling
    } finally {
      rmSync(out, { force: true });
    }
  }
  return pollRss(cmd, options);
}

function descendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    try {
      for (const task of readdirSafe(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        if (children) for (const c of children.split(/\s+/)) out.push(Number(c));
      }
    } catch {
      // the process ended between two reads
    }
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function pollRss(cmd: string[], options: ProcessOptions): Promise<RssRun> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, { cwd: options.cwd, env: options.env ?? process.env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let peakKb = 0;
  const stdout = new Response(p.stdout).text();
  const stderr = new Response(p.stderr).text();
  let done = false;
  const exited = p.exited.then((code) => {
    done = true;
    return code;
  });
  while (!done) {
    for (const pid of descendants(p.pid)) peakKb = Math.max(peakKb, vmHwmKb(pid));
    await Bun.sleep(2);
  }
  const exitCode = await exited;
  return { wallMs: performance.now() - t0, exitCode, stdout: await stdout, stderr: await stderr, peakRssMb: (peakKb * 1024) / 1e6, method: "VmHWM" };
}
