import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeWav, encodeWav16, mixToMono } from "../engine/audio/wav.ts";
import { Classifier } from "../engine/classifier.ts";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { RawPcmSource } from "../engine/sources/stdin-source.ts";
import { digitStringAccuracy } from "../engine/scoring.ts";
import { runEngine } from "../engine/stream-eval.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { UserError } from "../engine/errors.ts";
import { main } from "../ui/commands/listen-command.ts";
import { CommandExit } from "../ui/terminal/command.ts";
import { runMain } from "./support/run-main.ts";

const ROOT = join(import.meta.dir, "..");
const STREAMS = STREAMS_DIR;
const have = existsSync(STREAMS);
const model = loadModelFile(join(ROOT, "models", "default.json"));
const work = mkdtempSync(join(tmpdir(), "engine-sources-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function listen(args: string[], stdin?: Uint8Array, env: Record<string, string> = {}) {
  const r = Bun.spawnSync(["bun", join(ROOT, "ui", "commands", "listen-command.ts"), ...args], {
    stdin: stdin ?? "ignore",
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function jsonEvents(stdout: string): EngineEvent[] {
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EngineEvent);
}

function noise(seconds: number, rate: number, rmsDb: number, seed = 1): Float32Array {
  let s = seed;
  const g = 10 ** (rmsDb / 20) * Math.sqrt(3);
  return Float32Array.from({ length: Math.round(seconds * rate) }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return g * ((s / 2 ** 32) * 2 - 1);
  });
}

describe.skipIf(!have)("sources deliver the same audio to the one engine", () => {
  const wav = join(STREAMS, "s11_48k_stereo_clean.wav");

  test("raw s16le stereo PCM on stdin gives the digits the WAV file gives", () => {
    const audio = decodeWav(readFileSync(wav), wav);
    const pcm = new Int16Array(audio.samples.length);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.max(-1, Math.min(1, audio.samples[i]!)) * 32767);
    const viaStdin = listen(
      ["--stdin", "--format", "s16le", "--rate", "48000", "--channels", "2", "--json", "--level-interval", "0"],
      new Uint8Array(pcm.buffer),
    );
    const viaFile = listen(["--file", wav, "--fast", "--json", "--level-interval", "0"]);
    expect(viaStdin.code).toBe(0);
    expect(viaFile.code).toBe(0);
    const digits = (out: string) =>
      jsonEvents(out)
        .flatMap((e) => (e.type === "prediction" ? [e.digit] : []))
        .join("");
    const truth = JSON.parse(readFileSync(wav.replace(".wav", ".json"), "utf8")).digits as string;
    expect(digits(viaStdin.stdout)).toBe(digits(viaFile.stdout));
    expect(digitStringAccuracy(truth, digits(viaFile.stdout))).toBeGreaterThanOrEqual(0.9);
  });

  test("f32le on stdin, delivered in odd-sized chunks, matches the in-process raw source", async () => {
    const audio = decodeWav(readFileSync(wav), wav);
    const mono = mixToMono(audio.samples, audio.channels);
    const bytes = new Uint8Array(mono.buffer.slice(0));
    let pos = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pos >= bytes.length) return c.close();
        const n = 1 + ((pos * 7919) % 5003); // chunk sizes that split samples
        c.enqueue(bytes.slice(pos, pos + n));
        pos += n;
      },
    });
    const raw = await runEngine(model, new RawPcmSource({ format: "f32le", sampleRate: 48000, channels: 1 }, stream));
    const file = await runEngine(model, new FileSource(wav, { realtime: false }));
    expect(raw.summary.digits).toBe(file.summary.digits);
    expect(raw.summary.droppedSamples).toBe(0);
  });

  test("engines run one after another can share one classifier, built for their model only", async () => {
    const own = await runEngine(model, new FileSource(wav, { realtime: false }));
    const classifier = new Classifier(model);
    for (let i = 0; i < 2; i++) {
      const shared = await runEngine(model, new FileSource(wav, { realtime: false }), { classifier });
      expect(shared.predictions.map((p) => [p.digit, p.confidence])).toEqual(own.predictions.map((p) => [p.digit, p.confidence]));
    }
    expect(() => createEngine({ model: { ...model }, source: new FileSource(wav, { realtime: false }), classifier })).toThrow(/built for EngineOptions.model/);
  });

  test("real-time file playback paces the stream like a clock (at 20× speed) and drops nothing", async () => {
    const run = await runEngine(model, new FileSource(wav, { realtime: true, speed: 20 }));
    const fast = await runEngine(model, new FileSource(wav, { realtime: false }));
    expect(run.summary.digits).toBe(fast.summary.digits);
    expect(run.summary.droppedSamples).toBe(0);
    // 19.7 s of audio at 20× takes about a second of wall clock, not milliseconds
    expect(run.wallMs).toBeGreaterThan(500);
  });
});

describe("no digit from silence or noise alone", () => {
  for (const [what, make] of [
    ["digital silence", () => new Float32Array(8000 * 10)],
    ["white noise at -40 dBFS", () => noise(10, 16000, -40)],
    ["white noise at -20 dBFS", () => noise(10, 16000, -20)],
    [
      "50 Hz hum with harmonics at -15 dBFS",
      () => Float32Array.from({ length: 160000 }, (_, i) => [1, 2, 3, 5].reduce((s, h) => s + (0.18 / h) * Math.sin((2 * Math.PI * 50 * h * i) / 16000), 0)),
    ],
  ] as const) {
    test(what, async () => {
      const samples = make();
      const rate = samples.length === 80000 ? 8000 : 16000;
      const path = join(work, `${what.replace(/\W+/g, "_")}.wav`);
      writeFileSync(path, encodeWav16(samples, rate));
      const run = await runEngine(model, new FileSource(path, { realtime: false }));
      expect(run.predictions).toHaveLength(0);
    });
  }
});

describe("listen refuses bad input with one clear line", () => {
  test("a missing file", () => {
    const r = listen(["--file", join(work, "nope.wav"), "--fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no such file");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("two sources at once, and a bad stdin format", async () => {
    await expect(main(["--file", "x.wav", "--stdin"])).rejects.toThrow("choose one source");
    await expect(main(["--stdin", "--format", "u8"])).rejects.toThrow(new UserError("--format u8 is not s16le or f32le"));
  });

  test("no PortAudio library: the install command, not a stack trace", () => {
    const r = listen([], undefined, { SPOKEN_DIGITS_PORTAUDIO: join(work, "libportaudio-missing.so") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PortAudio library not found");
    expect(r.stderr).toContain("apt-get install libportaudio2");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("no input device (an audio server that is not there): the fix, and no hang", () => {
    const r = listen([], undefined, {
      PULSE_SERVER: `unix:${join(work, "no-such-socket")}`,
      ALSA_CONFIG_PATH: join(ROOT, "tests", "support", "virtual-mic", "asound-pulse.conf"),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no audio input device found");
    expect(r.stderr).toContain("fix:");
  });

  test("--help lists every option", async () => {
    const { out, thrown } = await runMain(main, ["--help"]);
    expect(thrown).toBeInstanceOf(CommandExit);
    expect((thrown as CommandExit).code).toBe(0);
    for (const flag of ["--device", "--file", "--fast", "--stdin", "--json", "--hangover"]) expect(out).toContain(flag);
  });
});
