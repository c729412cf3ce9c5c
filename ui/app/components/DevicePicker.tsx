/** The list of input devices, one highlighted; the keys are handled by the app. */
import { Box, Text } from "ink";
import { NO_DEVICE_HINT, type InputDevice } from "../../../native/devices.ts";
import { fit, formatRate } from "./format.ts";

export interface DevicePickerProps {
  devices: readonly InputDevice[] | null;
  error?: string;
  selected: number;
  current?: string;
  width: number;
  rows: number;
}

export function DevicePicker({ devices, error, selected, current, width, rows }: DevicePickerProps) {
  const body = (() => {
    if (error)
      return (
        <Text color="red" wrap="wrap">
          {error}
        </Text>
      );
    if (devices === null) return <Text dimColor>listing devices…</Text>;
    if (devices.length === 0) return <Text color="yellow">{`no input devices; fix: ${NO_DEVICE_HINT}`}</Text>;
    const first = Math.max(0, Math.min(selected - rows + 1, devices.length - rows));
    return devices.slice(first, first + rows).map((d, j) => {
      const i = first + j;
      const mark = i === selected ? "▸ " : "  ";
      const tags = [d.isDefault ? "default" : "", d.name === current ? "in use" : ""].filter(Boolean).join(", ");
      const text = `${mark}${d.index}  ${d.name}  ${d.hostApi}, ${d.maxInputChannels} ch, ${formatRate(d.defaultSampleRate)}${tags ? ` (${tags})` : ""}`;
      return (
        <Text key={d.index} inverse={i === selected}>
          {fit(text, width)}
        </Text>
      );
    });
  })();
  return (
    <Box flexDirection="column">
      <Text bold>input device</Text>
      {body}
      <Text dimColor>{fit("↑/↓ choose · ⏎ listen on it · esc back", width)}</Text>
    </Box>
  );
}
