// `bun data:fetch` against a local HTTP server that serves the real parquet files, run as a child
// process so the real CLI is tested: fresh download, skip, resume after a dropped connection,
// a server that ignores Range, corrupt and tampered files, no network, --from.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const SHARED = join(ROOT, "../shared/fsdd_parquet");
const NAMES = ["train-00000-of-00001.parquet", "test-00000-of-00001.parquet"] as const;
const TRAIN = NAMES[0];
const TEST = NAMES[1];

const files = new Map<string, Buffer>(NAMES.map((n) => [n, readFileSync(join(SHARED, n))]));
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
const digests = new Map<string, string>(NAMES.map((n) => [n, sha256(files.get(n)!)]));

interface Hit {
  mode: string;
  file: string;
  range?: string;
  status: number;
}
const hits: Hit[] = [];
/** Files whose next request in `drop` mode breaks off after 40 % of the body. */
const dropNext = new Set<string>();

/**
 * Modes (first path segment): `ok` serves files with Range and a SHA-256 ETag; `plain` the same
 * without ETag; `hub` redirects to `plain` with the SHA-256 in `X-Linked-Etag`, as huggingface.co does;
 * `drop` is `ok` but breaks off the requests listed in `dropNext`; `norange` ignores Range;
 * `corrupt` serves random bytes of the right size; `tampered` flips one byte but keeps the real ETag;
 * `forged` flips one byte and announces the forged file's own SHA-256, as a lying mirror would.
 */
function handle(mode: string, name: string, rangeHeader: string | undefined, res: import("node:http").ServerResponse): number {
  const real = files.get(name);
  if (!real || !["ok", "plain", "hub", "drop", "norange", "corrupt", "tampered", "forged", "forgedplain"].includes(mode)) {
    res.writeHead(404).end("not found");
    return 404;
  }
  if (mode === "hub") {
    res.writeHead(302, { location: `/plain/${name}`, "x-linked-etag": `"${digests.get(name)}"` }).end();
    return 302;
  }
  let body: Uint8Array = real;
  if (mode === "corrupt") {
    body = new Uint8Array(real.length);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919 + 13) & 0xff;
  }
  if (mode === "tampered" || mode.startsWith("forged")) {
    body = new Uint8Array(real);
    body[body.length >> 1]! ^= 0xff;
  }
  const headers: Record<string, string> = { "content-type": "application/octet-stream", "accept-ranges": "bytes" };
  if (mode !== "corrupt" && mode !== "plain" && mode !== "forgedplain") headers.etag = `"${mode === "forged" ? sha256(body) : digests.get(name)}"`;
  if (mode === "drop" && dropNext.delete(name)) {
    res.writeHead(200, { ...headers, "content-length": String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length * 0.4)), () => setTimeout(() => res.socket?.destroy(), 10));
    return 200;
  }
  const m = /^bytes=(\d+)-$/.exec(rangeHeader ?? "");
  if (m && mode !== "norange") {
    const start = Number(m[1]);
    if (start >= body.length) {
      res.writeHead(416, { ...headers, "content-range": `bytes */${body.length}` }).end();
      return 416;
    }
    res.writeHead(206, { ...headers, "content-length": String(body.length - start), "content-range": `bytes ${start}-${body.length - 1}/${body.length}` });
    res.end(body.subarray(start));
    return 206;
  }
  res.writeHead(200, { ...headers, "content-length": String(body.length) });
  res.end(body);
  return 200;
}

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    const [, mode = "", name = ""] = (req.url ?? "").split("/");
    const range = req.headers.range;
    hits.push({ mode, file: name, range, status: handle(mode, name, range, res) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const tmp = tempDirs("fsdd-fetch");

async function fetchCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.FSDD_BASE_URL;
  delete env.HF_ENDPOINT;
  const proc = Bun.spawn(["bun", "ui/commands/data-fetch-command.ts", ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

function expectInstalled(dir: string): void {
  for (const n of NAMES) {
    expect(sha256(readFileSync(join(dir, n)))).toBe(digests.get(n)!);
  }
  expect(readdirSync(dir).filter((f) => f.endsWith(".part"))).toEqual([]);
}

/** A user error: non-zero exit, an `error:` line and its fix, and no stack frames. */
function expectUserError(r: { code: number; stderr: string }, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/^error: /m);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe("bun data:fetch over HTTP", () => {
  test("downloads both files, verifies them, then skips them on the next run", async () => {
    const dir = tmp();
    const first = await fetchCli("--base-url", `${base}/ok`, "--dir", dir);
    expect(first.code).toBe(0);
    expectInstalled(dir);
    expect(first.stdout).toContain("SHA-256 verified");
    expect(first.stdout).toContain("2700 rows");
    expect(first.stdout).toContain("300 rows");

    const before = hits.length;
    const second = await fetchCli("--base-url", `${base}/ok`, "--dir", dir);
    expect(second.code).toBe(0);
    expect(second.stdout.match(/already present and valid/g)?.length).toBe(2);
    expect(hits.length).toBe(before);

    const forced = await fetchCli("--base-url", `${base}/ok`, "--dir", dir, "--force");
    expect(forced.code).toBe(0);
    expect(hits.length).toBe(before + 2);
    expectInstalled(dir);
  });

  test("follows the hub's redirect and checks the SHA-256 it announces", async () => {
    const dir = tmp();
    const since = hits.length;
    const r = await fetchCli("--base-url", `${base}/hub`, "--dir", dir);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/SHA-256 verified/g)?.length).toBe(2);
    expect(hits.slice(since).map((h) => `${h.mode} ${h.status}`)).toEqual(["hub 302", "plain 200", "hub 302", "plain 200"]);
    expectInstalled(dir);
  });

  test("a dropped connection leaves a .part file that the next run resumes with Range", async () => {
    const dir = tmp();
    dropNext.add(TRAIN);
    const broken = await fetchCli("--base-url", `${base}/drop`, "--dir", dir, "--retries", "0");
    expectUserError(broken, /broke off|closed the connection/);
    expect(broken.stderr).toContain("resumes");
    expect(existsSync(join(dir, TRAIN))).toBe(false);
    const partSize = statSync(join(dir, `${TRAIN}.part`)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(files.get(TRAIN)!.length);

    const since = hits.length;
    const resumed = await fetchCli("--base-url", `${base}/drop`, "--dir", dir);
    expect(resumed.code).toBe(0);
    expect(hits.slice(since).find((h) => h.file === TRAIN)).toEqual({ mode: "drop", file: TRAIN, range: `bytes=${partSize}-`, status: 206 });
    expect(resumed.stdout).toContain("resumed at");
    expectInstalled(dir);
  });

  test("with retries, one run resumes by itself after a drop", async () => {
    const dir = tmp();
    dropNext.add(TEST);
    const since = hits.length;
    const r = await fetchCli("--base-url", `${base}/drop`, "--dir", dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("resuming (attempt 2 of 3)");
    const testHits = hits.slice(since).filter((h) => h.file === TEST);
    expect(testHits.length).toBe(2);
    expect(testHits[1]!.status).toBe(206);
    expectInstalled(dir);
  });

  test("a server that ignores Range makes it start over instead of appending", async () => {
    const dir = tmp();
    writeFileSync(join(dir, `${TEST}.part`), new Uint8Array(5000).fill(0x55));
    const since = hits.length;
    const r = await fetchCli("--base-url", `${base}/norange`, "--dir", dir);
    expect(r.code).toBe(0);
    const testHit = hits.slice(since).find((h) => h.file === TEST)!;
    expect(testHit.range).toBe("bytes=5000-");
    expect(testHit.status).toBe(200);
    expectInstalled(dir);
  });

  test("a corrupt file fails the parquet check and nothing is left in place", async () => {
    const dir = tmp();
    const r = await fetchCli("--base-url", `${base}/corrupt`, "--dir", dir);
    expectUserError(r, /not a valid FSDD train split .*nothing was installed/);
    expect(r.stderr).toContain(`${base}/corrupt/${TRAIN}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a file whose SHA-256 differs from the server's ETag is discarded", async () => {
    const dir = tmp();
    const r = await fetchCli("--base-url", `${base}/tampered`, "--dir", dir);
    expectUserError(r, /SHA-256 mismatch/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a file that is not the pinned release is refused, whatever the server announces (or with no checksum at all)", async () => {
    for (const mode of ["forged", "forgedplain"]) {
      const dir = tmp();
      const r = await fetchCli("--base-url", `${base}/${mode}`, "--dir", dir);
      expectUserError(r, /is not the pinned FSDD train file .*nothing was installed/);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  test("a present file that is not the pinned release is replaced", async () => {
    const dir = tmp();
    const bad = new Uint8Array(files.get(TRAIN)!);
    bad[bad.length >> 1]! ^= 0xff;
    writeFileSync(join(dir, TRAIN), bad);
    const r = await fetchCli("--base-url", `${base}/ok`, "--dir", dir);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain("not the pinned FSDD train file");
    expect(sha256(readFileSync(join(dir, TRAIN)))).toBe(digests.get(TRAIN)!);
  });

  test("a wrong base URL names the HTTP status and the flag to fix", async () => {
    const r = await fetchCli("--base-url", `${base}/nowhere`, "--dir", tmp());
    expectUserError(r, /HTTP 404/);
    expect(r.stderr).toContain("--base-url");
  });

  test("no network: one error line with the --from fix", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    const port = typeof address === "object" && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await fetchCli("--base-url", `http://127.0.0.1:${port}/data`, "--dir", tmp());
    expectUserError(r, /could not reach 127\.0\.0\.1/);
    expect(r.stderr).toContain("--from DIR");
    expect(r.stderr.trim().split("\n").length).toBe(2); // the error and its fix
  });
});

describe("bun data:fetch --from", () => {
  test("copies a local copy, checked, as writable files", async () => {
    const dir = tmp();
    const r = await fetchCli("--from", SHARED, "--dir", dir);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/copied from/g)?.length).toBe(2);
    expectInstalled(dir);
    expect(statSync(join(dir, TEST)).mode & 0o200).toBe(0o200);
  });

  test("finds the files in DIR/data (a clone of the hub repository)", async () => {
    const clone = tmp();
    const dir = tmp();
    Bun.spawnSync(["mkdir", "-p", join(clone, "data")]);
    for (const n of NAMES) writeFileSync(join(clone, "data", n), files.get(n)!);
    const r = await fetchCli("--from", clone, "--dir", dir);
    expect(r.code).toBe(0);
    expectInstalled(dir);
  });

  test("a truncated local copy is refused and nothing is installed", async () => {
    const src = tmp();
    const dir = tmp();
    writeFileSync(join(src, TRAIN), files.get(TRAIN)!.subarray(0, 100_000));
    writeFileSync(join(src, TEST), files.get(TEST)!);
    const r = await fetchCli("--from", src, "--dir", dir);
    expectUserError(r, /not a valid FSDD train split/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a folder without the files is named", async () => {
    const r = await fetchCli("--from", tmp(), "--dir", tmp());
    expectUserError(r, /no train-00000-of-00001\.parquet in /);
  });
});
