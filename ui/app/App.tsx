/** The live app: wires the engine's events into the hooks and the keys into actions. */
import { useApp, useWindowSize } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ModelFile } from "../../engine/model-file.ts";
import { listInputDevices, type InputDevice } from "../../native/devices.ts";
import { REPEAT_WINDOW_MS } from "../terminal/interrupts.ts";
import { Screen } from "./components/Screen.tsx";
import { createEventHub } from "./hooks/event-hub.ts";
import { useKeyBindings } from "./hooks/use-key-bindings.ts";
import { useDevicePicker } from "./hooks/use-device-picker.ts";
import { useDigitEntry } from "./hooks/use-digit-entry.ts";
import { useEngineView } from "./hooks/use-engine-view.ts";
import { useToggle } from "./hooks/use-toggle.ts";
import { describeSource, type SourceChoice } from "./sources.ts";
import { useEngine, type EngineTuning } from "./use-engine.ts";

const QUIT_TIMEOUT_MS = 4000;

export interface AppProps {
  source: SourceChoice;
  model: ModelFile;
  commitAfter: number;
  tuning?: EngineTuning;
  /** Called once per committed number. */
  onCommit: (number: string) => void;
  /** Called when `u` takes the last committed number back. */
  onUndo?: (number: string) => void;
  /** Called when `e` asks for enrolment; the app then quits (releasing the microphone) so it can run. */
  onEnrol?: () => void;
  /** Called on quitting with the digits left on the entry line (not committed). */
  onQuit?: (pending: string) => void;
  /** Called with the device picked with `d` (to remember it). */
  onDeviceChosen?: (device: InputDevice) => void;
  /** What `p` plays when the source cannot start (null: no demo WAVs found). */
  demo: SourceChoice | null;
  /** A note for the key line, e.g. "→ numbers.txt". */
  note?: string;
  /** No colour: confidence shows as marks. */
  plain?: boolean;
  maxFps?: number;
  listDevices?: () => InputDevice[];
}

export function App(props: AppProps) {
  const {
    source,
    model,
    commitAfter,
    tuning,
    onCommit,
    onUndo,
    onQuit,
    onEnrol,
    onDeviceChosen,
    demo,
    note,
    plain = false,
    maxFps,
    listDevices = listInputDevices,
  } = props;
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const [hub] = useState(createEventHub);
  const engine = useEngine({ source, model, emit: hub.emit, tuning });
  const { entry, dispatch } = useDigitEntry({ subscribe: hub.subscribe, commitAfter, onCommit, onUndo });
  const view = useEngineView(hub.subscribe, { maxFps, timeStep: entry.digits === "" ? 1 : 0.1 });
  const picker = useDevicePicker(listDevices, view.source?.device);
  const [helpOpen, toggleHelp, setHelpOpen] = useToggle();
  const [latencyExpanded, toggleLatency] = useToggle();
  const [quitting, setQuitting] = useState(false);

  const quit = useCallback(() => {
    if (quitting) return;
    setQuitting(true);
    onQuit?.(entry.digits);
    // a device that does not let go within QUIT_TIMEOUT_MS must not keep the app open
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS));
    void Promise.race([engine.stop(), timeout]).then(() => exit());
  }, [engine, exit, quitting, onQuit, entry.digits]);

  // `kill` ends the app the way q does (the device is released first); a second one, later than
  // a copy of the first (`bun run` forwards what the group got), at once. A closed terminal
  // (SIGHUP) keeps the default: the process ends, nothing is left to draw on.
  const firstTerm = useRef<number | undefined>(undefined);
  useEffect(() => {
    const onTerm = () => {
      const now = performance.now();
      if (firstTerm.current === undefined) {
        firstTerm.current = now;
        quit();
      } else if (now - firstTerm.current >= REPEAT_WINDOW_MS) process.exit(143);
    };
    process.on("SIGTERM", onTerm);
    return () => {
      process.off("SIGTERM", onTerm);
    };
  }, [quit]);

  useKeyBindings(helpOpen ? "help" : picker.open ? "picker" : "main", {
    "type-digit": (input) => {
      for (const d of input) dispatch({ type: "type", digit: Number(d), t: view.t });
    },
    backspace: () => dispatch({ type: "backspace" }),
    commit: () => dispatch({ type: "commit" }),
    clear: () => dispatch({ type: "clear" }),
    undo: () => dispatch({ type: "undo" }),
    "toggle-pause": () => {
      if (!engine.togglePause()) dispatch({ type: "resume" });
    },
    "toggle-latency": toggleLatency,
    help: toggleHelp,
    "close-help": () => setHelpOpen(false),
    devices: picker.show,
    demo: () => {
      if (demo && engine.failure) engine.switchTo(demo);
    },
    quit,
    enrol: () => {
      if (!onEnrol || quitting) return;
      onEnrol();
      quit();
    },
    "picker-up": () => picker.move(-1),
    "picker-down": () => picker.move(1),
    "picker-close": picker.close,
    "picker-choose": () => {
      const device = picker.choose();
      if (!device) return;
      engine.switchTo({ kind: "microphone", device: device.index });
      onDeviceChosen?.(device);
    },
  });

  const failure = engine.failure;
  const demoOffered = Boolean(demo && failure && failure.source !== demo);
  const banner = failure
    ? {
        message: `cannot listen to ${describeSource(failure.source)}: ${failure.message}`,
        hint: failure.hint,
        action: demoOffered ? "press p to play a demo recording through the engine, d to pick a device" : "press d to pick a device",
      }
    : null;
  return (
    <Screen
      columns={columns}
      rows={rows}
      view={view}
      entry={entry}
      paused={engine.paused}
      banner={banner}
      picker={picker.open ? { devices: picker.devices, error: picker.error, selected: picker.selected, current: view.source?.device } : null}
      helpOpen={helpOpen}
      latencyExpanded={latencyExpanded}
      plain={plain}
      demo={demoOffered}
      note={quitting ? "stopping…" : note}
      sourceName={engine.source.kind === "files" ? describeSource(engine.source) : undefined}
    />
  );
}
