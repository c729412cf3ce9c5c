import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { iterationRng } from "./mutate.ts";
import { Invariant, type TargetName, makeTarget } from "./targets.ts";

/** Something the fuzzer found: an input (replayable from target, seed, iteration) and what it did. */
export interface Finding {
  target: string;
  seed: number;
  iteration: number;
  kind: "exception" | "invariant" | "crash" | "hang" | "stack-trace" | "memory";
  message: string;
}

export interface CampaignResult {
  target: string;
  seed: number;
  iterations: number;
  accepted: number;
  refused: number;
  findings: Finding[];
  /** Largest peak resident memory of any worker process, in MB (10^6 bytes). */
  peakRssMb: number;
  seconds: number;
}

export interface WorkerOptions {
  model?: string;
  dataDir?: string;
}

/** Peak resident memory of this process so far, in kB (VmHWM), or 0 where /proc is missing. */
export function peakRssKb(pid: number | "self" = "self"): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The result of one input, replayed in this process: null when it was handled, else the finding. */
export async function replay(target: TargetName, seed: number, iteration: number, options: WorkerOptions = {}): Promise<Finding | null> {
  const t = makeTarget(target, options);
  try {
    return await runOne(t, target, seed, iteration);
  } finally {
    t.close();
  }
}

async function runOne(t: ReturnType<typeof makeTarget>, target: string, seed: number, i: number): Promise<Finding | null> {
  const rng = iterationRng(seed, i);
  try {
    await t.run(t.input(rng), rng);
    return null;
  } catch (err) {
    return toFinding(err, target, seed, i);
  }
}

function toFinding(err: unknown, target: string, seed: number, iteration: number): Finding {
  const e = err as Error;
  const where =
    e?.stack
      ?.split("\n")
      .slice(1, 3)
      .map((l) => l.trim())
      .join(" < ") ?? "";
  return {
    target,
    seed,
    iteration,
    kind: err instanceof Invariant ? "invariant" : "exception",
    message: `${e?.name ?? "Error"}: ${e?.message ?? String(err)} ${where}`.trim(),
  };
}

/**
 * The worker side: runs iterations [from, to) of one target in this process, one line each on
 * `write`: "i N" before, "r N accepted|refused" or "f N {finding}" after, and "rss KB" at the end.
 */
export async function runWorker(
  target: TargetName,
  seed: number,
  from: number,
  to: number,
  options: WorkerOptions,
  write: (line: string) => void,
): Promise<void> {
  const t = makeTarget(target, options);
  try {
    for (let i = from; i < to; i++) {
      write(`i ${i}`);
      const rng = iterationRng(seed, i);
      let outcome: "accepted" | "refused" | undefined;
      let finding: Finding | null = null;
      try {
        outcome = await t.run(t.input(rng), rng);
      } catch (err) {
        finding = toFinding(err, target, seed, i);
      }
      write(finding ? `f ${i} ${JSON.stringify(finding)}` : `r ${i} ${outcome}`);
    }
  } finally {
    t.close();
    write(`rss ${peakRssKb()}`);
  }
}

export interface CampaignOptions extends WorkerOptions {
  target: TargetName;
  seed: number;
  iterations: number;
  /** An iteration that runs longer than this is a hang: its worker is killed, the campaign goes on. */
  hangMs?: number;
  /** The command line that starts a worker for "TARGET:SEED:FROM:TO". */
  workerCommand: (spec: string) => string[];
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs `iterations` inputs of one target in worker processes, so that a crash (a segfault, an
 * out-of-memory abort) or a hang costs one iteration: the worker is restarted after it.
 */
export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const t0 = performance.now();
  const hangMs = o.hangMs ?? 20_000;
  const result: CampaignResult = { target: o.target, seed: o.seed, iterations: o.iterations, accepted: 0, refused: 0, findings: [], peakRssMb: 0, seconds: 0 };
  let next = 0;
  while (next < o.iterations) {
    const p = Bun.spawn(o.workerCommand(`${o.target}:${o.seed}:${next}:${o.iterations}`), { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const stderr = new Response(p.stderr).text();
    let current = -1;
    let finished = -1;
    let last = performance.now();
    let hung = false;
    let sawRss = false;
    const watchdog = setInterval(() => {
      result.peakRssMb = Math.max(result.peakRssMb, (peakRssKb(p.pid) * 1024) / 1e6);
      if (performance.now() - last > hangMs && !hung) {
        hung = true;
        p.kill("SIGKILL");
      }
    }, 250);
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of p.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        last = performance.now();
        const [tag, n, ...rest] = line.split(" ");
        if (tag === "i") current = Number(n);
        else if (tag === "r") {
          finished = Number(n);
          if (rest[0] === "accepted") result.accepted++;
          else result.refused++;
          o.onProgress?.(finished + 1, o.iterations);
        } else if (tag === "f") {
          finished = Number(n);
          result.findings.push(JSON.parse(rest.join(" ")) as Finding);
          o.onProgress?.(finished + 1, o.iterations);
        } else if (tag === "rss") {
          sawRss = true;
          result.peakRssMb = Math.max(result.peakRssMb, (Number(n) * 1024) / 1e6);
        }
      }
    }
    const code = await p.exited;
    clearInterval(watchdog);
    if (current > finished) {
      // the worker died or was killed inside an iteration
      const why = hung
        ? `no result after ${hangMs} ms`
        : `worker exited with ${p.signalCode ?? code}: ${(await stderr).trim().split("\n").slice(-3).join(" | ")}`;
      result.findings.push({ target: o.target, seed: o.seed, iteration: current, kind: hung ? "hang" : "crash", message: why });
      next = current + 1;
    } else if (!sawRss || code !== 0) {
      throw new Error(`fuzz worker for ${o.target} failed outside any iteration (exit ${code}): ${(await stderr).trim().slice(-500)}`);
    } else next = o.iterations;
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

/** The entry file of a package.json script ("listen" → ui/…/listen-command.ts), wherever the commands live. */
export function scriptEntry(root: string, script: string): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const file = pkg.scripts[script]?.split(/\s+/)[1];
  if (!file || !existsSync(join(root, file))) throw new Error(`package.json has no runnable script "${script}"`);
  return join(root, file);
}
