import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWav, encodeWav16, mixToMono } from "../engine/audio/wav.ts";
import type { EngineEvent } from "../engine/events.ts";
import { WavFileReader } from "../engine/audio/wav-reader.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("wav-reader");
const haveStreams = existsSync(STREAMS_DIR);
const haveSox = Bun.spawnSync(["sh", "-c", "command -v sox"]).exitCode === 0;

/** Reads the whole file through WavFileReader in blocks of `block` frames. */
function readInBlocks(path: string, block: number): Float32Array {
  const r = WavFileReader.open(path)!;
  const out = new Float32Array(r.frames);
  const buf = new Float32Array(block);
  for (let at = 0; ; ) {
    const n = r.decodeInto(buf, at);
    if (n === 0) break;
    out.set(buf.subarray(0, n), at);
    at += n;
  }
  r.close();
  return out;
}

function differing(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
}

describe.skipIf(!haveStreams || !haveSox)("WavFileReader: every format read from disk in blocks, the same samples as the whole-file decoder", () => {
  const src = join(STREAMS_DIR, "s11_48k_stereo_clean.wav");
  const formats: [string, string[]][] = [
    ["uint8", ["-e", "unsigned-integer", "-b", "8"]],
    ["int16", ["-e", "signed-integer", "-b", "16"]],
    ["int24", ["-e", "signed-integer", "-b", "24"]],
    ["int32", ["-e", "signed-integer", "-b", "32"]],
    ["float32", ["-e", "floating-point", "-b", "32"]],
    ["float64", ["-e", "floating-point", "-b", "64"]],
    ["mulaw", ["-e", "mu-law"]],
    ["alaw", ["-e", "a-law"]],
  ];
  for (const [encoding, args] of formats) {
    test(encoding, () => {
      const path = join(tempDir(), `${encoding}.wav`);
      expect(Bun.spawnSync(["sox", src, ...args, path, "trim", "0", "1.5"]).exitCode).toBe(0);
      const whole = decodeWav(new Uint8Array(readFileSync(path)), path);
      expect(whole.encoding).toBe(encoding);
      const expected = mixToMono(whole.samples, whole.channels);
      for (const block of [1, 4096, 100_003]) expect(differing(readInBlocks(path, block), expected)).toBe(0);
    });
  }
});

describe.skipIf(!haveStreams || !haveSox)("WavFileReader: 16-bit files share one mixer", () => {
  test("mono and stereo files read in alternation (the mixer's read-ahead taken over by the other) give each file's own samples", () => {
    const src = join(STREAMS_DIR, "s11_48k_stereo_clean.wav");
    const paths = ["2", "1"].map((c) => {
      const path = join(tempDir(), `int16-${c}ch.wav`);
      expect(Bun.spawnSync(["sox", src, "-e", "signed-integer", "-b", "16", "-c", c, path, "trim", "0", "12"]).exitCode).toBe(0);
      return path;
    });
    const expected = paths.map((path) => {
      const whole = decodeWav(new Uint8Array(readFileSync(path)), path);
      return mixToMono(whole.samples, whole.channels);
    });
    const readers = paths.map((path) => WavFileReader.open(path)!);
    const got = readers.map((r) => new Float32Array(r.frames));
    const buf = new Float32Array(5000);
    for (let at = 0; at < got[0]!.length; at += buf.length) {
      readers.forEach((r, i) => {
        const n = r.decodeInto(buf, at);
        got[i]!.set(buf.subarray(0, n), at);
      });
    }
    for (const r of readers) r.close();
    expect(differing(got[0]!, expected[0]!)).toBe(0);
    expect(differing(got[1]!, expected[1]!)).toBe(0);
    expect(expected[1]!.some((v) => Math.abs(v) > 0.01)).toBe(true);
  });
});

describe("headers the whole-file decoder got wrong or could not bound", () => {
  test("an odd-sized chunk without its pad byte: the data chunk is still found", () => {
    const samples = Float32Array.from({ length: 800 }, (_, i) => 0.5 * Math.sin(i / 5));
    const plain = encodeWav16(samples, 8000);
    // RIFF header and fmt chunk, then a 3-byte "note" chunk with no pad byte, then the data chunk
    const extra = new Uint8Array([..."note"].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3]));
    const bytes = new Uint8Array(plain.length + extra.length);
    bytes.set(plain.subarray(0, 36));
    bytes.set(extra, 36);
    bytes.set(plain.subarray(36), 36 + extra.length);
    const path = join(tempDir(), "nopad.wav");
    writeFileSync(path, bytes);
    expect(differing(readInBlocks(path, 256), decodeWav(plain).samples)).toBe(0);
    // the whole-file decoder walks the chunks the same way (it said "no data chunk" before)
    expect(differing(decodeWav(bytes, "nopad.wav").samples, decodeWav(plain).samples)).toBe(0);
  });

  test("/dev/zero and /dev/urandom as a WAV: refused at once, nothing read beyond the header", () => {
    expect(() => WavFileReader.open("/dev/zero")).toThrow("/dev/zero: not a WAV file");
    expect(() => WavFileReader.open("/dev/urandom")).toThrow("/dev/urandom: not a WAV file");
  });
});

function listen(args: string[], options: { timeoutMs?: number } = {}) {
  return Bun.spawn(["bun", "run", "--silent", "listen", ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe", ...options });
}

describe("listen --file on things that are not regular files", () => {
  test("/dev/zero: one line, exit 2, no memory growth", async () => {
    const p = listen(["--file", "/dev/zero", "--fast"]);
    expect(await p.exited).toBe(2);
    const err = await new Response(p.stderr).text();
    expect(err).toContain("/dev/zero: not a WAV file");
    expect(err).not.toMatch(/\n\s+at /);
  }, 20_000);

  test("a FIFO with no writer: SIGTERM ends it without hanging", async () => {
    const dir = tempDir();
    const fifo = join(dir, "in.wav");
    expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
    const p = listen(["--file", fifo, "--json"]);
    await Bun.sleep(1500);
    const t0 = performance.now();
    p.kill("SIGTERM");
    const code = await p.exited;
    // against a hang in open() on the FIFO, not a speed figure
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect([0, 143]).toContain(code);
  }, 20_000);

  test.skipIf(!haveStreams)(
    "a WAV written into a FIFO is recognised like the file",
    async () => {
      const dir = tempDir();
      const fifo = join(dir, "in.wav");
      expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
      const wav = join(STREAMS_DIR, "s09_44k_f32_clean.wav");
      const p = listen(["--file", fifo, "--json", "--level-interval", "0"]);
      const writer = Bun.spawn(["sh", "-c", `cat "${wav}" > "${fifo}"`]);
      const [code, out] = await Promise.all([p.exited, new Response(p.stdout).text(), writer.exited]);
      expect(code).toBe(0);
      const events = out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as EngineEvent);
      const digits = events.flatMap((e) => (e.type === "prediction" ? [e.digit] : [])).join("");
      const fast = Bun.spawnSync(["bun", "run", "--silent", "listen", "--file", wav, "--fast", "--json", "--level-interval", "0"], { cwd: ROOT });
      const fileDigits = fast.stdout
        .toString()
        .trim()
        .split("\n")
        .flatMap((l) => {
          const e = JSON.parse(l) as EngineEvent;
          return e.type === "prediction" ? [e.digit] : [];
        })
        .join("");
      expect(digits).toBe(fileDigits);
      expect(digits.length).toBeGreaterThanOrEqual(12);
    },
    60_000,
  );

  test("a process substitution's /dev/fd path that `bun run` did not pass on: says why and what to do", () => {
    const r = Bun.spawnSync(["bun", "run", "--silent", "listen", "--file", "/dev/fd/63", "--fast"], { cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.toString()).toContain("process substitution");
    expect(r.stderr.toString()).toContain("--stdin");
  }, 20_000);
});
