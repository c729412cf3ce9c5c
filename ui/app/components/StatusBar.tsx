/** Source, run state and counters on one line. */
import { Box, Text } from "ink";
import { totalRejected, type EngineView } from "../state/engine-view.ts";
import { fit, formatRate } from "./format.ts";

export interface StatusBarProps {
  view: EngineView;
  paused: boolean;
  width: number;
}

function runLabel(view: EngineView, paused: boolean): { text: string; color: string } {
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

export function sourceLabel(view: EngineView): string {
  const s = view.source;
  if (!s) return "no source";
  const what = s.device ? `mic ${s.device}` : s.source;
  return `${what} · ${formatRate(s.sampleRate)}${s.channels > 1 ? ` ×${s.channels}` : ""}`;
}

export function StatusBar({ view, paused, width }: StatusBarProps) {
  const run = runLabel(view, paused);
  const r = view.rejected;
  const rej = totalRejected(view);
  const rejDetail = rej > 0 ? ` (short ${r["too-short"]}, long ${r["too-long"]}, unsure ${r["low-confidence"]})` : "";
  const counters = `t ${view.t.toFixed(1)} s · utterances ${view.utterances} · rejected ${rej}${rejDetail} · dropped ${view.droppedSamples}`;
  const head = `${run.text}  `;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={run.color} bold>{head}</Text>
        <Text>{fit(sourceLabel(view), width - head.length)}</Text>
      </Text>
      <Text dimColor>{fit(counters, width)}</Text>
    </Box>
  );
}
