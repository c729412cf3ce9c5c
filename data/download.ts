import { existsSync, statSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { UserError } from "../engine/errors.ts";
import { fileSha256 } from "./fsdd-pins.ts";

/**
 * Why a download failed: `unreachable` (no connection at all), `interrupted` (the transfer broke
 * off; the part file is kept and a new attempt resumes it), `http` (the server refused),
 * `mismatch` (the bytes are wrong; the part file is deleted).
 */
export type DownloadFailure = "unreachable" | "interrupted" | "http" | "mismatch";

export class DownloadError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly failure: DownloadFailure,
  ) {
    super(message, hint);
    this.name = "DownloadError";
  }
}

export interface DownloadOptions {
  /** Called as bytes arrive with the bytes in the part file so far and the expected total (0 if unknown). */
  onProgress?: (done: number, total: number) => void;
  /** Give up when no byte arrives for this long (connection or transfer), in ms. */
  stallMs?: number;
  /** Extra hint appended to `unreachable` errors, e.g. how to work offline. */
  offlineHint?: string;
}

export interface DownloadResult {
  /** Size of the complete part file. */
  bytes: number;
  /** Bytes already on disk that the server let us keep (0 for a fresh download). */
  resumedFrom: number;
  /** True when a part file existed but had to be thrown away (server ignored Range, or it changed). */
  restarted: boolean;
  /** The SHA-256 the server advertised (Hugging Face's `X-Linked-Etag` / LFS `ETag`), if any; already verified. */
  sha256?: string;
}

const DEFAULT_STALL_MS = 30_000;
const MAX_REDIRECTS = 10;

/**
 * Downloads `url` into `partPath`, resuming a previous partial download with an HTTP Range request.
 * Servers that ignore Range (200 instead of 206) or answer for a different offset make it start over.
 * The result is complete when it returns: its size matches Content-Length / Content-Range, and its
 * SHA-256 matches the one the server advertised, if any. Renaming the part file into place is the
 * caller's job (after its own checks).
 */
export async function downloadResumable(url: string, partPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  let offset = existsSync(partPath) ? statSync(partPath).size : 0;
  const resumedFrom0 = offset;
  let restarted = false;

  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(new Error(`no data for ${Math.round(stallMs / 1000)} s`)), stallMs);
  };

  try {
    armStallTimer();
    let { response, sha256 } = await request(url, offset, abort.signal, options.offlineHint);

    if (response.status === 416 && offset > 0) {
      // Nothing left to send from our offset: either the part is already whole, or it is longer than the file.
      await response.body?.cancel();
      const total = totalFromContentRange(response.headers.get("content-range"));
      if (total === offset) {
        await verifySha256(partPath, sha256, url);
        return { bytes: offset, resumedFrom: offset, restarted: false, sha256 };
      }
      await rm(partPath, { force: true });
      offset = 0;
      restarted = true;
      ({ response, sha256 } = await request(url, 0, abort.signal, options.offlineHint));
    }
    if (response.status === 206) {
      const start = startFromContentRange(response.headers.get("content-range"));
      if (start !== offset) {
        await response.body?.cancel();
        await rm(partPath, { force: true });
        offset = 0;
        restarted = true;
        ({ response, sha256 } = await request(url, 0, abort.signal, options.offlineHint));
      }
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw httpError(url, response.status, response.statusText);
    }
    if (response.status === 200 && offset > 0) {
      restarted = true; // the server ignored Range: it sends the whole file again
      offset = 0;
    }

    const length = Number(response.headers.get("content-length") ?? NaN);
    const total =
      response.status === 206
        ? (totalFromContentRange(response.headers.get("content-range")) ?? (Number.isFinite(length) ? offset + length : 0))
        : Number.isFinite(length)
          ? length
          : 0;

    const file = await open(partPath, offset > 0 ? "a" : "w");
    let done = offset;
    try {
      options.onProgress?.(done, total);
      if (response.body) {
        for await (const chunk of response.body) {
          armStallTimer();
          await file.write(chunk);
          done += chunk.byteLength;
          options.onProgress?.(done, total);
        }
      }
    } catch (err) {
      const reason = abort.signal.aborted ? String((abort.signal.reason as Error)?.message ?? abort.signal.reason) : describeNetworkError(err);
      throw new DownloadError(
        `${url}: the download broke off after ${formatBytes(done)}${total ? ` of ${formatBytes(total)}` : ""} (${reason})`,
        "run the same command again: it resumes where it stopped",
        "interrupted",
      );
    } finally {
      await file.close();
    }

    if (total > 0 && done < total) {
      throw new DownloadError(
        `${url}: the server closed the connection after ${formatBytes(done)} of ${formatBytes(total)}`,
        "run the same command again: it resumes where it stopped",
        "interrupted",
      );
    }
    if (total > 0 && done > total) {
      await rm(partPath, { force: true });
      throw new DownloadError(`${url}: received ${done} bytes, but the server announced ${total}`, "run the command again", "mismatch");
    }
    await verifySha256(partPath, sha256, url);
    return { bytes: done, resumedFrom: restarted ? 0 : resumedFrom0, restarted, sha256 };
  } finally {
    clearTimeout(timer);
  }
}

/** GETs `url` from `offset`, following redirects by hand so the SHA-256 headers of every hop are seen. */
async function request(url: string, offset: number, signal: AbortSignal, offlineHint?: string): Promise<{ response: Response; sha256?: string }> {
  let current = url;
  let sha256: string | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { "accept-encoding": "identity" };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    let response: Response;
    try {
      response = await fetch(current, { headers, redirect: "manual", signal });
    } catch (err) {
      const reason = signal.aborted ? String((signal.reason as Error)?.message ?? signal.reason) : describeNetworkError(err);
      throw new DownloadError(`could not reach ${hostOf(current)} (${reason})`, offlineHint, "unreachable");
    }
    sha256 ??= sha256Header(response.headers);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    return { response, sha256 };
  }
  throw new DownloadError(`${url}: more than ${MAX_REDIRECTS} redirects`, undefined, "http");
}

/** Hugging Face sends an LFS file's SHA-256 as `X-Linked-Etag` (on the redirect) or as its `ETag`. */
function sha256Header(headers: Headers): string | undefined {
  for (const name of ["x-linked-etag", "etag"]) {
    const m = /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(headers.get(name)?.trim() ?? "");
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}

async function verifySha256(path: string, expected: string | undefined, url: string): Promise<void> {
  if (!expected) return;
  const actual = await fileSha256(path);
  if (actual !== expected) {
    await rm(path, { force: true });
    throw new DownloadError(
      `${url}: SHA-256 mismatch (got ${actual.slice(0, 12)}…, the server says ${expected.slice(0, 12)}…); the download was discarded`,
      "run the command again; if it repeats, the server or a proxy is corrupting the file",
      "mismatch",
    );
  }
}

function httpError(url: string, status: number, statusText: string): DownloadError {
  const hint =
    status === 404
      ? "check the base URL (--base-url or FSDD_BASE_URL): it must be the folder that holds the parquet files"
      : status === 401 || status === 403
        ? "the server refused access; check the URL, or copy the files and use --from DIR"
        : status >= 500
          ? "the server failed; try again later, or copy the files and use --from DIR"
          : undefined;
  return new DownloadError(`${url}: HTTP ${status}${statusText ? ` ${statusText}` : ""}`, hint, "http");
}

/** `bytes 100-199/1000` → 100. */
function startFromContentRange(header: string | null): number | undefined {
  const m = /^bytes\s+(\d+)-\d+\/(?:\d+|\*)$/i.exec(header?.trim() ?? "");
  return m ? Number(m[1]) : undefined;
}

/** `bytes 100-199/1000` or `bytes *\/1000` → 1000. */
function totalFromContentRange(header: string | null): number | undefined {
  const m = /\/(\d+)$/.exec(header?.trim() ?? "");
  return m ? Number(m[1]) : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function describeNetworkError(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  const short = message.split(/\.\s|\n/)[0]!.replace(/\.$/, "");
  return typeof code === "string" && !short.includes(code) ? `${code}: ${short}` : short;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
