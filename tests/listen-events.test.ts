/**
 * `bun listen --json` against its JSON Schema (docs/events.schema.json), validated with Ajv, the
 * reference JSON Schema implementation: real output on noisy streams, every example in
 * docs/events.md, and a schema that names every event type the code has. Also the `committed`
 * events of --commit-after, --level-interval with --fast, and output that a slow reader gets whole.
 * On the virtual microphone, the warnings and failures a file cannot make: `silence-warning`,
 * `dropped` (a reader that stops reading blocks the listener while the capture thread overruns
 * the ring) and `device-error` (the audio server killed).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import type { EventOf, ListenEvent } from "../engine/events.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { liveCaptureSkipReason, skipNote, startVirtualMic } from "./support/virtual-mic.ts";

const ROOT = join(import.meta.dir, "..");
const schema = JSON.parse(readFileSync(join(ROOT, "docs/events.schema.json"), "utf8"));
// strict: a misspelt keyword in the schema is an error, not a rule silently ignored
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** Every event type, checked by the compiler against the ListenEvent union. */
const EVENT_TYPES: Record<ListenEvent["type"], true> = {
  started: true,
  level: true,
  "speech-start": true,
  "speech-end": true,
  prediction: true,
  rejected: true,
  committed: true,
  dropped: true,
  "repaired-samples": true,
  "silence-warning": true,
  "device-error": true,
  stopped: true,
};

function check(event: unknown): void {
  if (!validate(event)) throw new Error(`${JSON.stringify(event)}\n${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

function listen(args: string[]) {
  const r = Bun.spawnSync(["bun", "listen", ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(r.exitCode).toBe(0);
  return r.stdout
    .toString()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ListenEvent);
}

describe("the schema", () => {
  test("has one definition per event type, and refuses a stray or a missing field", () => {
    const types = (schema.oneOf as { $ref: string }[]).map((r) => r.$ref.replace("#/$defs/", "")).sort();
    expect(types).toEqual(Object.keys(EVENT_TYPES).sort());
    const level = { type: "level", t: 1, rmsDb: -30, peakDb: -20, bandDb: -31, noiseFloorDb: -60, thresholdDb: -53, speaking: false, vad: "quiet" };
    expect(validate(level)).toBe(true);
    expect(validate({ ...level, extra: 1 })).toBe(false);
    const { vad: _, ...noVad } = level;
    expect(validate(noVad)).toBe(false);
    expect(validate({ ...level, vad: "talking" })).toBe(false);
    expect(validate({ type: "committed", t: 2, number: "", reason: "pause" })).toBe(false);
  });

  test("docs/events.md shows a valid example of every event type", () => {
    const doc = readFileSync(join(ROOT, "docs/events.md"), "utf8");
    const examples = [...doc.matchAll(/```json\n(.*?)\n```/gs)].map((m) => JSON.parse(m[1]!) as ListenEvent);
    for (const e of examples) check(e);
    expect(examples.map((e): string => e.type).sort()).toEqual(Object.keys(EVENT_TYPES).sort());
  });
});

const NOISY = join(STREAMS_DIR, "s04_8k_pinkhum50_snr10.wav");
const STEREO = join(STREAMS_DIR, "s12_48k_stereo_pinkhum60_snr10.wav");

describe.skipIf(!existsSync(NOISY) || !existsSync(STEREO))("bun listen --json", () => {
  test("real output on two noisy streams fits the schema, committed events included", () => {
    const seen = new Set<string>();
    for (const wav of [NOISY, STEREO]) {
      // a high threshold makes rejections on noisy input; --top 5 lists more classes
      const events = listen(["--file", wav, "--fast", "--json", "--level-interval", "20", "--commit-after", "1", "--reject-below", "0.9", "--top", "5"]);
      for (const e of events) {
        check(e);
        seen.add(e.type);
      }
      expect(events[0]!.type).toBe("started");
      expect(events.at(-1)!.type).toBe("stopped");
    }
    for (const type of ["started", "level", "speech-start", "speech-end", "prediction", "rejected", "committed", "stopped"]) expect(seen).toContain(type);
  }, 60_000);

  test("--commit-after: the pause ends each number; the numbers hold every digit, in order", () => {
    const events = listen(["--file", NOISY, "--fast", "--json", "--level-interval", "0", "--commit-after", "1.5"]);
    expect(events.some((e) => e.type === "level")).toBe(false);
    const predictions = events.filter((e): e is EventOf<"prediction"> => e.type === "prediction");
    const committed = events.filter((e): e is Extract<ListenEvent, { type: "committed" }> => e.type === "committed");
    expect(committed.map((c) => c.number).join("")).toBe(predictions.map((p) => p.digit).join(""));
    expect(committed.length).toBeGreaterThan(1);
    // each pause commit comes --commit-after after the last speech before it (a digit, or an
    // utterance rejected after it: speech keeps the number open), at the next level tick
    const speechEnds = events.filter((e): e is EventOf<"speech-end"> => e.type === "speech-end");
    for (const c of committed.filter((x) => x.reason === "pause")) {
      const last = predictions.filter((p) => p.end <= c.t).at(-1)!;
      expect(c.t - last.end).toBeGreaterThanOrEqual(1.5 - 1e-9);
      const lastSpeech = speechEnds.filter((e) => e.t <= c.t).at(-1)!;
      expect(c.t - lastSpeech.end).toBeGreaterThanOrEqual(1.5 - 1e-9);
      expect(c.t - lastSpeech.end).toBeLessThanOrEqual(1.5 + 0.1 + 1e-9);
    }
    expect(committed.at(-1)!.reason).toBe("end-of-stream");
  }, 60_000);

  test("--level-interval with --fast: a level every interval; a slow reader still gets every line", async () => {
    // the reader waits before reading: the 64 KB pipe fills and the writer must wait for it
    // (a shell pipe: Bun.spawn's own pipes are drained by the parent at once)
    const child = Bun.spawn(["sh", "-c", `bun listen --file ${STEREO} --fast --json --level-interval 10 | (sleep 1.5; cat)`], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    const text = await new Response(child.stdout).text();
    expect(await child.exited).toBe(0);
    const events = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ListenEvent);
    expect(text.length).toBeGreaterThan(200_000);
    expect(events.at(-1)!.type).toBe("stopped");
    const levels = events.filter((e): e is EventOf<"level"> => e.type === "level");
    const seconds = (events.at(-1) as EventOf<"stopped">).summary.seconds;
    expect(levels.length).toBeGreaterThanOrEqual(Math.floor(seconds / 0.01) - 2);
    for (let i = 1; i < levels.length; i++) expect(levels[i]!.t - levels[i - 1]!.t).toBeCloseTo(0.01, 9);
  }, 60_000);
});

/** Seconds of audio the microphone ring holds (MicrophoneOptions.bufferSeconds' default). */
const RING_SECONDS = 4;
const liveSkip = liveCaptureSkipReason();

describe.skipIf(liveSkip !== undefined)(`bun listen --json on the virtual microphone${skipNote(liveSkip)}`, () => {
  test("silence-warning, dropped and device-error, made for real, fit the schema; the lost device exits 1", async () => {
    const mic = await startVirtualMic();
    const work = mkdtempSync(join(tmpdir(), "listen-events-"));
    try {
      const [gate, status] = [join(work, "gate"), join(work, "status")];
      const listener = `bun ${join(ROOT, "ui/commands/listen-command.ts")} --device pulse --json --level-interval 10`;
      // Nobody reads the pipe until the gate file appears: the pipe fills, the listener's next
      // write blocks its main thread, and the capture thread overruns the ring behind it.
      const script = `{ ${listener}; echo $? > ${status}; } | { while [ ! -e ${gate} ]; do sleep 0.05; done; cat; }`;
      const child = Bun.spawn(["sh", "-c", script], { cwd: ROOT, env: mic.childEnv(), stdout: "pipe", stderr: "pipe" });
      // The capture is running once PulseAudio lists its recording stream; from then on the
      // audio is clocked: 100 level lines a second fill the 64 KB pipe in about 7 s of audio,
      // and the ring overruns RING_SECONDS after that. A slower listener only fills it later
      // in wall time, with fewer seconds read: the stall only grows.
      const deadline = Date.now() + 30_000;
      const recording = () =>
        Bun.spawnSync(["pactl", "list", "short", "source-outputs"], { env: mic.childEnv(), stdout: "pipe" }).stdout.toString().trim() !== "";
      while (!recording() && Date.now() < deadline) await Bun.sleep(100);
      expect(recording()).toBe(true);
      await Bun.sleep((12 + RING_SECONDS) * 1000);
      writeFileSync(gate, "");

      const events: ListenEvent[] = [];
      const decoder = new TextDecoder();
      let buffered = "";
      let killed = false;
      for await (const chunk of child.stdout) {
        buffered += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          events.push(JSON.parse(buffered.slice(0, nl)) as ListenEvent);
          buffered = buffered.slice(nl + 1);
        }
        // once both warnings are out, the audio server dies under the listener
        if (!killed && events.some((e) => e.type === "dropped") && events.some((e) => e.type === "silence-warning")) {
          killed = true;
          await mic.kill();
        }
        if (!killed && Date.now() > deadline + 60_000) break;
      }
      await child.exited;
      const stderr = await new Response(child.stderr).text();
      for (const e of events) check(e);
      const types = new Set(events.map((e) => e.type));
      for (const type of ["started", "level", "silence-warning", "dropped", "device-error", "stopped"])
        expect({ type, seen: types.has(type as ListenEvent["type"]) }).toEqual({ type, seen: true });
      const dropped = events.filter((e): e is EventOf<"dropped"> => e.type === "dropped");
      expect(dropped[0]!.samples).toBeGreaterThan(0);
      const rate = (events[0] as EventOf<"started">).sampleRate;
      console.log(`stalled reader: ${dropped.at(-1)!.total} samples (${(dropped.at(-1)!.total / rate).toFixed(1)} s) dropped in ${dropped.length} events`);
      const stopped = events.at(-1) as EventOf<"stopped">;
      expect(stopped.type).toBe("stopped");
      expect(stopped.reason).toBe("error");
      expect(stopped.summary.droppedSamples).toBe(dropped.at(-1)!.total);
      expect(readFileSync(status, "utf8").trim()).toBe("1");
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await mic.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
