/** The device picker's state: open/closed, the listed input devices, the highlighted row. */
import { useCallback, useState } from "react";
import { errorMessage } from "../../../engine/errors.ts";
import type { InputDevice } from "../../../native/devices.ts";

export interface DevicePicker {
  open: boolean;
  devices: readonly InputDevice[] | null;
  error?: string;
  selected: number;
  show(): void;
  close(): void;
  move(delta: number): void;
  /** The highlighted device (and closes the picker), or null when there is none. */
  choose(): InputDevice | null;
}

/** `list` enumerates the devices (PortAudio's, in the app); it may throw a UserError. */
export function useDevicePicker(list: () => InputDevice[], current?: string): DevicePicker {
  const [state, setState] = useState<{ open: boolean; devices: InputDevice[] | null; error?: string; selected: number }>({
    open: false,
    devices: null,
    selected: 0,
  });

  const show = useCallback(() => {
    setState({ open: true, devices: null, selected: 0 });
    // let "listing devices…" reach the screen before PortAudio probes the host APIs
    setTimeout(() => {
      try {
        const devices = list();
        const at = devices.findIndex((d) => d.name === current);
        const selected =
          at >= 0
            ? at
            : Math.max(
                0,
                devices.findIndex((d) => d.isDefault),
              );
        setState((s) => (s.open ? { open: true, devices, selected } : s));
      } catch (err) {
        setState((s) => (s.open ? { open: true, devices: [], error: errorMessage(err), selected: 0 } : s));
      }
    }, 20);
  }, [list, current]);

  const close = useCallback(() => setState((s) => ({ ...s, open: false })), []);

  const move = useCallback(
    (delta: number) =>
      setState((s) => {
        const n = s.devices?.length ?? 0;
        return n === 0 ? s : { ...s, selected: (s.selected + delta + n) % n };
      }),
    [],
  );

  const choose = useCallback((): InputDevice | null => {
    const device = state.devices?.[state.selected] ?? null;
    if (device) setState((s) => ({ ...s, open: false }));
    return device;
  }, [state]);

  return { ...state, show, close, move, choose };
}
