/**
 * A private PulseAudio daemon acting as a microphone, for live-capture tests (the configuration
 * is in ./virtual-mic/). Usage in a test file:
 *
 *   const skip = liveCaptureSkipReason();
 *   describe.skipIf(skip !== undefined)(`live capture${skipNote(skip)}`, () => {
 *     let mic: VirtualMic;
 *     beforeAll(async () => { mic = await startVirtualMic(); });
 *     afterAll(() => mic?.stop());
 *     // run the capture with mic.env in a child process, wait for its ready signal, then mic.play(wav)
 *   });
 *
 * PortAudio reads PULSE_SERVER / ALSA_CONFIG_PATH at Pa_Initialize from the C environment:
 * pass `mic.env` to a child process, or as `env` to createMicrophone / listInputDevices.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, copyFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPortAudio } from "../../native/portaudio.ts";

const CONFIG_DIR = join(import.meta.dir, "virtual-mic");
const ALSA_PLUGIN_DIRS = ["/usr/lib/x86_64-linux-gnu/alsa-lib", "/usr/lib/aarch64-linux-gnu/alsa-lib", "/usr/lib64/alsa-lib", "/usr/lib/alsa-lib"];
/** A daemon left behind by a killed test run exits this long after its last client. */
const ORPHAN_IDLE_EXIT_SECONDS = 60;

export type VirtualMicSupport = { available: true } | { available: false; reason: string };

/** Whether this machine can run the virtual microphone; says what is missing when it cannot. */
export function virtualMicSupport(): VirtualMicSupport {
  if (process.platform !== "linux") return { available: false, reason: "the virtual microphone needs Linux (PulseAudio behind ALSA)" };
  const missing = ["pulseaudio", "paplay", "pactl"].filter((tool) => !Bun.which(tool));
  if (missing.length) {
    return { available: false, reason: `${missing.join(", ")} not installed (apt-get install pulseaudio pulseaudio-utils)` };
  }
  if (!ALSA_PLUGIN_DIRS.some((dir) => existsSync(join(dir, "libasound_module_pcm_pulse.so")))) {
    return { available: false, reason: "the ALSA pulse plugin is not installed (apt-get install libasound2-plugins)" };
  }
  return { available: true };
}

/** Why PortAudio cannot be loaded here, or undefined when it can. */
export function portAudioMissingReason(): string | undefined {
  try {
    loadPortAudio();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why live-capture tests must be skipped here (no PortAudio, no virtual microphone), or undefined. */
export function liveCaptureSkipReason(): string | undefined {
  const support = virtualMicSupport();
  return portAudioMissingReason() ?? (support.available ? undefined : support.reason);
}

/** " (skipped: reason)" for a describe title, or "" when nothing is skipped. */
export const skipNote = (reason: string | undefined) => (reason ? ` (skipped: ${reason})` : "");

export interface VirtualMicEnv {
  PULSE_SERVER: string;
  ALSA_CONFIG_PATH: string;
  [name: string]: string;
}

export interface VirtualMic {
  /** The daemon's private folder (configs, socket, log). */
  dir: string;
  /** What a PortAudio client needs to capture from the virtual microphone. */
  env: VirtualMicEnv;
  /** process.env plus `env`, ready for Bun.spawn. */
  childEnv(): Record<string, string>;
  /** Plays a WAV file into the microphone with paplay; resolves when playback has finished. */
  play(wavPath: string): Promise<void>;
  /** Kills the daemon now (capture in progress fails, as when a real server dies). */
  kill(): Promise<void>;
  /** Kills the daemon and removes its folder. */
  stop(): Promise<void>;
}

export async function startVirtualMic(): Promise<VirtualMic> {
  const support = virtualMicSupport();
  if (!support.available) throw new Error(`virtual microphone unavailable: ${support.reason}`);
  const dir = mkdtempSync(join(tmpdir(), "vmic-"));
  mkdirSync(join(dir, "config"));
  mkdirSync(join(dir, "run"));
  for (const file of ["vmic.pa", "asound-pulse.conf"]) copyFileSync(join(CONFIG_DIR, file), join(dir, file));
  const env: VirtualMicEnv = {
    PULSE_SERVER: `unix:${join(dir, "run", "pulse", "native")}`,
    ALSA_CONFIG_PATH: join(dir, "asound-pulse.conf"),
  };
  const log = join(dir, "pulse.log");
  // A child rather than a daemonized process: stop() can kill it by its own pid.
  const daemon = Bun.spawn(
    ["pulseaudio", "-n", "-F", join(dir, "vmic.pa"), "--daemonize=no", `--exit-idle-time=${ORPHAN_IDLE_EXIT_SECONDS}`, `--log-target=file:${log}`],
    {
      env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), XDG_RUNTIME_DIR: join(dir, "run") },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  const childEnv = () => ({ ...(process.env as Record<string, string>), ...env });

  let ready = false;
  for (let i = 0; i < 100 && !ready && daemon.exitCode === null; i++) {
    ready = Bun.spawnSync(["pactl", "info"], { env: childEnv(), stdout: "ignore", stderr: "ignore" }).exitCode === 0;
    if (!ready) await Bun.sleep(50);
  }
  if (!ready) {
    daemon.kill();
    const tail = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n") : "(no log)";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`virtual microphone: PulseAudio did not start\n${tail}`);
  }

  const kill = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill();
    await daemon.exited;
  };
  return {
    dir,
    env,
    childEnv,
    async play(wavPath: string) {
      const player = Bun.spawn(["paplay", wavPath], { env: childEnv(), stdout: "ignore", stderr: "pipe" });
      const code = await player.exited;
      if (code !== 0) throw new Error(`paplay ${wavPath} failed (${code}): ${await new Response(player.stderr).text()}`);
    },
    kill,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
