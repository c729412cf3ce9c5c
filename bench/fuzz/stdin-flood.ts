import type { Finding } from "./campaign.ts";
import { peakRssKb } from "./campaign.ts";

export interface FloodRun {
  format: "s16le" | "f32le";
  rate: number;
  channels: number;
  bytes: number;
}

export interface FloodResult extends FloodRun {
  exitCode: number | null;
  seconds: number;
  peakRssMb: number;
  events: number;
  repairedSamples: number;
  /** Stream time the final summary reports (all bytes read: bytes / frame bytes / rate). */
  streamSeconds: number;
  finding?: Finding;
}

/** Random bytes from a seeded xorshift, a block at a time (fast enough for a GiB). */
function randomBlock(state: Uint32Array, out: Uint32Array): void {
  let x = state[0]! || 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
  state[0] = x;
}

/**
 * Pipes `run.bytes` random bytes into a real `bun listen --stdin --json` process and checks what
 * comes out: exit 0, every line a JSON event, a final `stopped` event, no stack trace, and no
 * stall longer than `hangMs`. Peak RSS is the process's VmHWM, sampled until it exits.
 */
export async function floodStdin(listenEntry: string, run: FloodRun, seed: number, hangMs = 30_000): Promise<FloodResult> {
  const t0 = performance.now();
  const p = Bun.spawn(
    [
      "bun",
      listenEntry,
      "--stdin",
      "--format",
      run.format,
      "--rate",
      String(run.rate),
      "--channels",
      String(run.channels),
      "--json",
      "--level-interval",
      "1000",
    ],
    {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  let peakKb = 0;
  let last = performance.now();
  let hung = false;
  const watchdog = setInterval(() => {
    peakKb = Math.max(peakKb, peakRssKb(p.pid));
    if (performance.now() - last > hangMs && !hung) {
      hung = true;
      p.kill("SIGKILL");
    }
  }, 200);
  const stdout = new Response(p.stdout).text();
  const stderr = new Response(p.stderr).text();
  const state = Uint32Array.of(seed * 2654435761 || 1);
  const block = new Uint32Array(1 << 18);
  try {
    for (let sent = 0; sent < run.bytes && !hung; ) {
      randomBlock(state, block);
      const n = Math.min(block.byteLength, run.bytes - sent);
      p.stdin.write(new Uint8Array(block.buffer, 0, n));
      await p.stdin.flush();
      sent += n;
      last = performance.now();
    }
    await p.stdin.end();
  } catch {
    // the process went away: judged by its exit below
  }
  last = performance.now();
  const code = await p.exited;
  clearInterval(watchdog);
  const out = await stdout;
  const err = await stderr;
  const result: FloodResult = {
    ...run,
    exitCode: code,
    seconds: (performance.now() - t0) / 1000,
    peakRssMb: (peakKb * 1024) / 1e6,
    events: 0,
    repairedSamples: 0,
    streamSeconds: 0,
  };
  const problem = (kind: Finding["kind"], message: string) => {
    result.finding = { target: "stdin-cli", seed, iteration: 0, kind, message: `${run.format} ${run.rate} Hz ${run.channels} ch: ${message}` };
  };
  const lines = out.trim().split("\n").filter(Boolean);
  result.events = lines.length;
  try {
    const last = JSON.parse(lines.at(-1) ?? "{}") as { type?: string; summary?: { repairedSamples: number; seconds: number } };
    for (const l of lines) JSON.parse(l);
    if (last.type !== "stopped") problem("crash", "no final stopped event");
    result.repairedSamples = last.summary?.repairedSamples ?? 0;
    result.streamSeconds = last.summary?.seconds ?? 0;
    // every byte sent was read: the stream lasted as long as the bytes say
    const expected = run.bytes / ((run.format === "s16le" ? 2 : 4) * run.channels) / run.rate;
    if (!hung && Math.abs(result.streamSeconds - expected) > 1)
      problem("crash", `the stream ended at ${result.streamSeconds.toFixed(1)} s of ${expected.toFixed(1)} s sent`);
  } catch {
    problem("crash", "a line of --json output is not JSON");
  }
  if (hung) problem("hang", `no progress for ${hangMs} ms`);
  else if (code !== 0) problem("crash", `exit ${p.signalCode ?? code}: ${err.trim().split("\n").slice(-2).join(" | ")}`);
  if (/\n\s+at /.test(err)) problem("stack-trace", err.trim().split("\n").slice(0, 2).join(" | "));
  return result;
}
