/** `bun devices`: lists the audio input devices PortAudio sees. */
import { UserError } from "../../engine/errors.ts";
import { parseCommand, runCommand } from "../terminal/command.ts";
import { listInputDevices, NO_DEVICE_HINT, type InputDevice } from "../../native/devices.ts";

const spec = {
  name: "bun devices",
  summary: "List the audio input devices (use one with `bun record --device NAME|INDEX`).",
  usage: ["bun devices [--json]"],
  options: { json: { type: "boolean" } },
  help: { json: "print a JSON array instead of a table" },
  examples: ["bun devices", "bun devices --json"],
} as const;

export function formatDeviceTable(devices: InputDevice[]): string {
  const header = ["", "index", "name", "host API", "inputs", "default rate"];
  const rows = devices.map((d) => [d.isDefault ? "*" : "", String(d.index), d.name, d.hostApi, String(d.maxInputChannels), `${d.defaultSampleRate} Hz`]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 1 || c === 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line), "", "* default input"].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const devices = listInputDevices();
  if (values.json) {
    console.log(JSON.stringify(devices, null, 2));
    return 0;
  }
  if (devices.length === 0) throw new UserError("no audio input device found", NO_DEVICE_HINT);
  console.log(formatDeviceTable(devices));
  return 0;
}

if (import.meta.main) await runCommand(main);
