import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { listInputDevices, selectInputDevice, type InputDevice } from "../native/devices.ts";
import { liveCaptureSkipReason, portAudioMissingReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";

const ROOT = join(import.meta.dir, "..");
const PROJECT_ASOUND = join(ROOT, "tests/support/virtual-mic/asound-pulse.conf");

async function run(args: string[], env: Record<string, string | undefined>) {
  const proc = Bun.spawn(["bun", ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

const device = (index: number, name: string, isDefault = false): InputDevice => ({
  index,
  name,
  hostApi: "ALSA",
  maxInputChannels: 2,
  defaultSampleRate: 48000,
  defaultLowInputLatency: 0.01,
  defaultHighInputLatency: 0.04,
  isDefault,
});

describe("selectInputDevice", () => {
  const devices = [device(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)"), device(3, "USB Headset Mic"), device(4, "pulse"), device(5, "default", true)];

  test("no selector picks the default input", () => {
    expect(selectInputDevice(devices).index).toBe(5);
  });

  test("an index, as number or digits", () => {
    expect(selectInputDevice(devices, 3).name).toBe("USB Headset Mic");
    expect(selectInputDevice(devices, "4").name).toBe("pulse");
  });

  test("a case-insensitive name substring; an exact name wins over substrings", () => {
    expect(selectInputDevice(devices, "headset").index).toBe(3);
    expect(selectInputDevice([...devices, device(6, "pulse monitor")], "PULSE").index).toBe(4);
  });

  test("ambiguous, unknown and missing devices are UserErrors that list what exists", () => {
    const ambiguous = () => selectInputDevice(devices, "a");
    expect(ambiguous).toThrow(UserError);
    expect(ambiguous).toThrow(/matches 3 input devices/);
    expect(() => selectInputDevice(devices, "webcam")).toThrow(/no input device matches "webcam".*3 "USB Headset Mic"/);
    expect(() => selectInputDevice(devices, 9)).toThrow(/no input device has index 9/);
    expect(() => selectInputDevice([], undefined)).toThrow(/no audio input device found/);
    expect(() => selectInputDevice([device(0, "a"), device(1, "b")])).toThrow(/no default input device/);
    expect(selectInputDevice([device(7, "only")]).index).toBe(7);
  });
});

const missingPa = portAudioMissingReason();
const liveReason = liveCaptureSkipReason();

describe.skipIf(liveReason !== undefined)(`devices through the virtual microphone${skipNote(liveReason)}`, () => {
  let mic: VirtualMic;
  beforeAll(async () => {
    mic = await startVirtualMic();
  });
  afterAll(() => mic?.stop());

  test("listInputDevices sees the PulseAudio inputs `pulse` and `default` (default marked)", () => {
    const devices = listInputDevices(mic.env);
    const names = devices.map((d) => d.name);
    expect(names).toContain("pulse");
    expect(names).toContain("default");
    const def = devices.find((d) => d.isDefault)!;
    expect(def.name).toBe("default");
    expect(def.hostApi).toBe("ALSA");
    expect(def.maxInputChannels).toBeGreaterThan(0);
    expect(def.defaultSampleRate).toBeGreaterThanOrEqual(8000);
    expect(def.defaultHighInputLatency).toBeGreaterThan(def.defaultLowInputLatency);
  });

  test("`bun devices` prints a table and `--json` the same devices", async () => {
    const table = await run(["ui/commands/devices-command.ts"], mic.childEnv());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^\*\s+\d+\s+default\s+ALSA\s+\d+\s+\d+ Hz$/m);
    expect(table.stdout).toMatch(/^\s+\d+\s+pulse\s+ALSA/m);
    expect(table.stderr).toBe(""); // ALSA/JACK noise silenced
    const json = await run(["ui/commands/devices-command.ts", "--json"], mic.childEnv());
    expect(json.code).toBe(0);
    const devices = JSON.parse(json.stdout) as InputDevice[];
    expect(devices.map((d) => d.name).sort()).toEqual(["default", "pulse"]);
  });
});

describe.skipIf(missingPa !== undefined)(`no audio device${skipNote(missingPa)}`, () => {
  // An audio server that does not exist: PortAudio initialises and finds no device.
  const noServer = { ...process.env, PULSE_SERVER: "unix:/nonexistent/pulse/native", ALSA_CONFIG_PATH: PROJECT_ASOUND };

  test("listInputDevices returns nothing", () => {
    expect(listInputDevices(noServer)).toEqual([]);
  });

  test("`bun devices` says so in one line with the fix, exit 2, no stack trace; --json prints []", async () => {
    const r = await run(["ui/commands/devices-command.ts"], noServer);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no audio input device found\n  fix: .*pactl info.*virtual-mic/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const json = await run(["ui/commands/devices-command.ts", "--json"], noServer);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });
});

test("without the PortAudio library, `bun devices` names the package to install", async () => {
  const r = await run(["ui/commands/devices-command.ts"], { ...process.env, SPOKEN_DIGITS_PORTAUDIO: "/nonexistent/libportaudio.so.2" });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("error: PortAudio library not found (tried /nonexistent/libportaudio.so.2)");
  expect(r.stderr).toMatch(/fix: install it with `(sudo )?apt-get install libportaudio2`|brew install portaudio/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
});
