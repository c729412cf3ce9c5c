/** The whole screen, laid out for the terminal's size from state the hooks derive. */
import { Box, Text } from "ink";
import { useMemo } from "react";
import { canUndo, secondsUntilCommit, type EntryState } from "../state/entry-reducer.ts";
import { shownResult, type EngineView } from "../state/engine-view.ts";
import { summariseLatency } from "../state/latency-stats.ts";
import { planLayout } from "../layout.ts";
import { Banner, bannerRows, type BannerProps } from "./Banner.tsx";
import { DevicePicker, type DevicePickerProps } from "./DevicePicker.tsx";
import { EntryLine } from "./EntryLine.tsx";
import { HelpOverlay } from "./HelpOverlay.tsx";
import { History } from "./History.tsx";
import { KeyHelp, type KeyMode } from "./KeyHelp.tsx";
import { LatencyPanel } from "./LatencyPanel.tsx";
import { LevelMeter } from "./LevelMeter.tsx";
import { Notice } from "./Notice.tsx";
import { Prediction } from "./Prediction.tsx";
import { StatusBar } from "./StatusBar.tsx";

export interface ScreenProps {
  columns: number;
  rows: number;
  view: EngineView;
  entry: EntryState;
  paused: boolean;
  /** The source cannot start: what went wrong, the fix, what to press. */
  banner?: BannerProps | null;
  picker?: Omit<DevicePickerProps, "width" | "rows"> | null;
  helpOpen?: boolean;
  latencyExpanded?: boolean;
  /** No colour (NO_COLOR): confidence shows as marks after the digits. */
  plain?: boolean;
  /** `p` would play the demo. */
  demo?: boolean;
  /** A short message for the key line, e.g. where numbers are saved. */
  note?: string;
  sourceName?: string;
}

export function Screen(props: ScreenProps) {
  const { columns, rows, view, entry, paused, banner, picker, helpOpen = false, latencyExpanded = false, plain = false, note, sourceName } = props;
  const layout = planLayout(columns, rows, { bannerRows: banner ? bannerRows(banner, columns) : 0, latencyExpanded });
  const latency = useMemo(() => summariseLatency(view.latencies), [view.latencies]);
  const commitIn = paused ? null : secondsUntilCommit(entry, view.t);
  const inner = layout.framed ? columns - 4 : columns;
  const alert = view.alert;
  const notice = alert ? { message: alert.message, hint: alert.hint, tone: alert.kind === "device" ? ("error" as const) : ("warning" as const) } : null;
  const mode: KeyMode = helpOpen ? "help" : picker ? "picker" : banner ? "failed" : paused ? "paused" : "listening";

  // the title sits on the top border, outside the box that clips the body to its rows
  const frame = (title: string, body: React.ReactNode, height?: number) =>
    layout.framed ? (
      <Box borderStyle="round" borderColor="gray" paddingX={1} flexDirection="column" height={height}>
        <Box position="absolute" marginTop={-1}>
          <Text dimColor>{` ${title} `}</Text>
        </Box>
        <Box flexDirection="column" height={height === undefined ? undefined : height - 2} overflow="hidden">
          {body}
        </Box>
      </Box>
    ) : (
      <Box flexDirection="column" height={height} overflow="hidden">
        {body}
      </Box>
    );
  const boxed = (n: number) => (layout.framed ? n + 2 : n);

  const prediction = layout.digitScale > 0 ? <Prediction last={shownResult(view)} width={inner} scale={layout.digitScale} plain={plain} /> : null;
  const latencyPanel = layout.latency === "hidden" ? null : <LatencyPanel summary={latency} folded={layout.latency === "folded"} width={inner} />;
  const middle =
    layout.latency === "table-beside" ? (
      <Box flexDirection="row" justifyContent="space-between">
        {prediction}
        {latencyPanel}
      </Box>
    ) : (
      <Box flexDirection="column">
        {prediction}
        {latencyPanel}
      </Box>
    );
  // the device picker and the help take the middle and history areas
  const overlayRows = boxed(layout.middleRows) + boxed(layout.historyRows) - (layout.framed ? 2 : 0);
  const overlay = helpOpen
    ? frame("help", <HelpOverlay width={inner} plain={plain} />, boxed(overlayRows))
    : picker
      ? frame("device", <DevicePicker {...picker} width={inner} rows={Math.max(1, overlayRows - 2)} />, boxed(overlayRows))
      : null;
  const entryLine = frame(
    "entry",
    <EntryLine digits={entry.digits} confidence={entry.confidence} commitIn={commitIn} paused={paused} held={entry.held} width={inner} plain={plain} />,
  );

  return (
    <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
      {banner ? <Banner {...banner} /> : null}
      <StatusBar view={view} paused={paused} width={columns} sourceName={sourceName} failed={Boolean(banner)} />
      <Notice notice={notice} width={columns} />
      {frame("level", <LevelMeter meter={view.meter} width={inner} paused={paused} />)}
      {overlay ?? (layout.middleRows > 0 ? frame("prediction · latency", middle, boxed(layout.middleRows)) : null)}
      {entryLine}
      {overlay ? null : frame("history", <History history={entry.history} rows={layout.historyRows} width={inner} plain={plain} />, boxed(layout.historyRows))}
      <KeyHelp
        context={{ mode, editing: entry.digits !== "", canUndo: canUndo(entry), demo: Boolean(props.demo), latencyFolded: !latencyExpanded }}
        width={columns}
        extra={note}
      />
    </Box>
  );
}
