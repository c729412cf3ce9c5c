/** Source, run state and counters on one line. */
import { Box, Text } from "ink";
import { memo } from "react";
import { totalRejected, type EngineView } from "../state/engine-view.ts";
import type { RejectReason } from "../../../engine/events.ts";
import { fit, formatRate, REASON_LABELS } from "./format.ts";

export interface StatusBarProps {
  view: EngineView;
  paused: boolean;
  width: number;
  /** What is playing, when it is not a microphone (e.g. the file name). */
  sourceName?: string;
  /** The source could not start. */
  failed?: boolean;
}

function runLabel(view: EngineView, paused: boolean, failed: boolean): { text: string; color: string } {
  if (failed) return { text: "✖ not listening", color: "red" };
  if (paused) return { text: "❚❚ paused", color: "yellow" };
  switch (view.run) {
    case "starting":
      return { text: "… starting", color: "gray" };
    case "running":
      return { text: "● listening", color: "green" };
    case "ended":
      return { text: "■ end of stream", color: "cyan" };
    case "stopped":
      return { text: "■ stopped", color: "gray" };
    case "error":
      return { text: "✖ error", color: "red" };
  }
}

export function sourceLabel(view: EngineView, name?: string): string {
  const s = view.source;
  if (!s) return name ?? "no source";
  const what = s.device ? `mic ${s.device}` : (name ?? s.source);
  return `${what} · ${formatRate(s.sampleRate)}${s.channels > 1 ? ` ×${s.channels}` : ""}`;
}

export const StatusBar = memo(function StatusBar({ view, paused, width, sourceName, failed = false }: StatusBarProps) {
  const run = runLabel(view, paused, failed);
  const rej = totalRejected(view);
  const reasons = Object.entries(view.rejected).map(([reason, n]) => `${REASON_LABELS[reason as RejectReason] ?? reason} ${n}`);
  const rejDetail = rej > 0 ? ` (${reasons.join(", ")})` : "";
  const counters = `t ${Math.floor(view.t)} s · utterances ${view.utterances} · rejected ${rej}${rejDetail} · dropped ${view.droppedSamples}`;
  const head = `${run.text}  `;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={run.color} bold>
          {head}
        </Text>
        <Text>{fit(sourceLabel(view, sourceName), width - head.length)}</Text>
      </Text>
      <Text dimColor>{fit(counters, width)}</Text>
    </Box>
  );
});
