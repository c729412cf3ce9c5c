/** The whole screen, laid out for the terminal's size from state the hooks derive. */
import { Box, Text } from "ink";
import { useMemo } from "react";
import { secondsUntilCommit, type EntryState } from "../state/entry-reducer.ts";
import type { EngineView } from "../state/engine-view.ts";
import { summariseLatency } from "../state/latency-stats.ts";
import { planLayout } from "../layout.ts";
import { Banner, bannerRows, type BannerProps } from "./Banner.tsx";
import { DevicePicker, type DevicePickerProps } from "./DevicePicker.tsx";
import { EntryLine } from "./EntryLine.tsx";
import { History } from "./History.tsx";
import { KeyHelp } from "./KeyHelp.tsx";
import { LatencyPanel, LATENCY_PANEL_WIDTH } from "./LatencyPanel.tsx";
import { LevelMeter } from "./LevelMeter.tsx";
import { Prediction } from "./Prediction.tsx";
import { StatusBar } from "./StatusBar.tsx";

export interface ScreenProps {
  columns: number;
  rows: number;
  view: EngineView;
  entry: EntryState;
  paused: boolean;
  banner?: BannerProps | null;
  picker?: Omit<DevicePickerProps, "width" | "rows"> | null;
  /** A short message for the key line, e.g. where numbers are saved. */
  note?: string;
  sourceName?: string;
}

export function Screen({ columns, rows, view, entry, paused, banner, picker, note, sourceName }: ScreenProps) {
  const alert = view.alert;
  const shownBanner: BannerProps | null = banner ?? (alert ? { message: alert.message, hint: alert.hint, tone: alert.kind === "silence" ? "warning" : "error" } : null);
  const layout = planLayout(columns, rows, shownBanner ? bannerRows(shownBanner, columns) : 0);
  const latency = useMemo(() => summariseLatency(view.latencies), [view.latencies]);
  const commitIn = paused ? null : secondsUntilCommit(entry, view.t);
  const inner = layout.framed ? columns - 4 : columns;

  const prediction = <Prediction last={view.last} width={layout.framed ? inner - LATENCY_PANEL_WIDTH - 4 : columns} />;
  const latencyPanel = <LatencyPanel summary={latency} compact={layout.latencyCompact} />;
  const middle = picker ? (
    <DevicePicker {...picker} width={inner} rows={Math.max(1, layout.middleRows - 2)} />
  ) : layout.framed ? (
    <Box flexDirection="row" justifyContent="space-between">
      {prediction}
      {latencyPanel}
    </Box>
  ) : (
    <Box flexDirection="column">
      {layout.showPrediction ? prediction : null}
      {layout.showLatency ? latencyPanel : null}
    </Box>
  );

  const frame = (title: string, body: React.ReactNode, height?: number) =>
    layout.framed ? (
      <Box borderStyle="round" borderColor="gray" paddingX={1} flexDirection="column" height={height}>
        <Box position="absolute" marginTop={-1}>
          <Text dimColor>{` ${title} `}</Text>
        </Box>
        {body}
      </Box>
    ) : (
      body
    );

  return (
    <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
      {shownBanner ? <Banner {...shownBanner} /> : null}
      <StatusBar view={view} paused={paused} width={columns} sourceName={sourceName} failed={Boolean(banner)} />
      {frame("level", <LevelMeter meter={view.meter} width={inner} paused={paused} />)}
      {layout.middleRows > 0 || picker ? (
        <Box height={layout.middleRows + (layout.framed ? 2 : 0)} flexDirection="column" overflow="hidden">
          {frame(picker ? "device" : "prediction · latency", middle, layout.framed ? layout.middleRows + 2 : undefined)}
        </Box>
      ) : null}
      {frame("entry", <EntryLine digits={entry.digits} commitIn={commitIn} paused={paused} width={inner} />)}
      <Box flexGrow={1} flexDirection="column" overflow="hidden">
        {frame("history", <History history={entry.history} rows={layout.historyRows} width={inner} />, layout.framed ? layout.historyRows + 2 : undefined)}
      </Box>
      <KeyHelp width={columns} extra={note} />
    </Box>
  );
}
