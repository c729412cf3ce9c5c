/**
 * The few libc calls the audio layer needs: fd 2 redirection (ALSA and JACK print dozens of
 * harmless lines on stderr while PortAudio probes devices) and copying environment variables
 * into the C environment (Bun's `process.env` is a JS copy: libraries reading getenv() do not
 * see changes made to it, nor does a Worker's process.env carry them).
 */
import { dlopen, FFIType, toArrayBuffer } from "bun:ffi";
import { closeSync, openSync } from "node:fs";

const LIBC_NAMES = process.platform === "darwin" ? ["/usr/lib/libSystem.B.dylib", "libc.dylib"] : ["libc.so.6", "libc.so"];

function openLibc() {
  for (const name of LIBC_NAMES) {
    try {
      return dlopen(name, {
        dup: { args: [FFIType.i32], returns: FFIType.i32 },
        dup2: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
        close: { args: [FFIType.i32], returns: FFIType.i32 },
        setenv: { args: [FFIType.cstring, FFIType.cstring, FFIType.i32], returns: FFIType.i32 },
        unsetenv: { args: [FFIType.cstring], returns: FFIType.i32 },
        dlopen: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.ptr },
        dlsym: { args: [FFIType.ptr, FFIType.cstring], returns: FFIType.ptr },
        fopen: { args: [FFIType.cstring, FFIType.cstring], returns: FFIType.ptr },
      }).symbols;
    } catch {
      // try the next name
    }
  }
  return null;
}

let libc: ReturnType<typeof openLibc> | undefined;
function getLibc() {
  if (libc === undefined) libc = openLibc();
  return libc;
}

const cString = (s: string) => Buffer.from(`${s}\0`, "utf8");

/**
 * Runs `fn` with file descriptor 2 pointed at /dev/null, then restores it. Set
 * SPOKEN_DIGITS_AUDIO_DEBUG=1 to see the library output instead. While `fn` runs, stderr
 * writes from any thread of the process are lost, so keep `fn` short.
 */
export function withStderrSilenced<T>(fn: () => T): T {
  const c = getLibc();
  if (!c || process.env.SPOKEN_DIGITS_AUDIO_DEBUG) return fn();
  const saved = c.dup(2);
  if (saved < 0) return fn();
  let devnull = -1;
  try {
    devnull = openSync("/dev/null", "w");
    c.dup2(devnull, 2);
  } catch {
    // no /dev/null: run unsilenced
  } finally {
    if (devnull >= 0) closeSync(devnull);
  }
  try {
    return fn();
  } finally {
    c.dup2(saved, 2);
    c.close(saved);
  }
}

/**
 * Copies `vars` into the C environment (an undefined value unsets the variable), so that native
 * libraries initialised afterwards (PortAudio → ALSA → PulseAudio) read them.
 */
export function setNativeEnv(vars: Record<string, string | undefined>): void {
  const c = getLibc();
  if (!c) return;
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) c.unsetenv(cString(name));
    else c.setenv(cString(name), cString(value), 1);
  }
}

let cStderrQuiet = false;

/**
 * Points C's `stderr` stream (the FILE* that native libraries print with) at /dev/null, once per
 * process, so that PortAudio's and ALSA's own lines ("Expression '…' failed in
 * 'src/hostapi/alsa/pa_linux_alsa.c'", "ALSA lib pcm.c: …") stay off the terminal, in particular
 * when the audio server dies mid-capture, while the commands' messages, written to file
 * descriptor 2 directly, are untouched. SPOKEN_DIGITS_AUDIO_DEBUG=1 keeps the library output.
 */
export function quietNativeStderr(): void {
  if (cStderrQuiet || process.env.SPOKEN_DIGITS_AUDIO_DEBUG) return;
  cStderrQuiet = true;
  const c = getLibc();
  if (!c || process.platform !== "linux") return;
  const RTLD_NOW = 2;
  const self = c.dlopen(null, RTLD_NOW);
  const variable = self ? c.dlsym(self, cString("stderr")) : null;
  const devnull = c.fopen(cString("/dev/null"), cString("w"));
  if (!variable || !devnull) return;
  new BigUint64Array(toArrayBuffer(variable, 0, 8))[0] = BigInt(devnull);
}
