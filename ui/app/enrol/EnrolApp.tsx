/**
 * The guided enrolment screen: one prompt at a time ("say SEVEN") with the level meter; each
 * take is cut from the microphone where the engine found the utterance, shown with what the
 * current model heard and any flag (another digit, clipped, too quiet); r redoes the last take.
 * After the last prompt the engine lets go of the microphone and `onFinish` gets the takes.
 */
import { Box, Text, useApp, useInput, useWindowSize } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";
import { createEngine, type RecognitionEngine } from "../../../engine/engine.ts";
import type { EngineEvent } from "../../../engine/events.ts";
import type { ModelFile } from "../../../engine/model-file.ts";
import type { AudioSource } from "../../../engine/sources/audio-source.ts";
import { resampleTo } from "../../../engine/resampler.ts";
import { DIGIT_WORDS } from "../../../data/synth/voices.ts";
import type { EnrolTake } from "../../../train/enrolment.ts";
import type { Profile } from "../../../engine/adaptation/profile-store.ts";
import { Banner } from "../components/Banner.tsx";
import { LevelMeter } from "../components/LevelMeter.tsx";
import { createEventHub } from "../hooks/event-hub.ts";
import { useEngineView } from "../hooks/use-engine-view.ts";
import { describeFailure } from "../use-engine.ts";
import { FLAG_TEXT, type Heard, type Prompt, ROOM_SECONDS, type TakeFlag, takeFlags } from "./enrol-plan.ts";
import { TapSource } from "./tap-source.ts";

/** Audio kept before and after the utterance the engine found (its edges are where the VAD decided). */
const MARGIN_S = 0.15;

export interface RecordedTake {
  prompt: Prompt;
  take: EnrolTake;
  heard: Heard;
  flags: TakeFlag[];
}

export interface EnrolAppProps {
  model: ModelFile;
  prompts: Prompt[];
  source: AudioSource;
  profileName: string;
  /** Asks before recording when a profile of this name would be replaced. */
  replacing: boolean;
  /**
   * Adapts to the takes once the last prompt is done and the microphone is let go of (the screen
   * then shows the accuracy before and after on held-back takes, until a key closes it).
   */
  adapt?: (takes: RecordedTake[]) => Profile;
  /** Called once with the takes (and the profile `adapt` saved) when done, or with null when the user quits. */
  onFinish: (takes: RecordedTake[] | null, profile?: Profile) => void;
}

/** What the adaptation measured, as the enrolment screen and its closing lines say it. */
export function figuresText(profile: Profile): string[] {
  const f = profile.figures;
  const lines: string[] = [];
  if (!f) return lines;
  if (f.dropped) lines.push(`${f.dropped} take${f.dropped > 1 ? "s" : ""} left out: the model confidently heard another digit`);
  if (f.heldBack)
    lines.push(`on ${f.heldBack} takes held back from adaptation: ${(f.before * 100).toFixed(0)} % right before, ${(f.after * 100).toFixed(0)} % after`);
  else lines.push("(one take per digit: none held back to measure before/after; --takes 2 or more measures it)");
  return lines;
}

function heardText(h: Heard): string {
  if (h.digit === undefined) return h.rejected ? `nothing (${h.rejected})` : "nothing";
  return `${h.digit} (${Math.round((h.confidence ?? 0) * 100)} %)${h.rejected ? `, rejected: ${h.rejected}` : ""}`;
}

function takeLine(r: RecordedTake): string {
  const what =
    r.prompt.kind === "digit" ? DIGIT_WORDS[r.prompt.label]!.toUpperCase() : r.prompt.kind === "oh" ? "OH" : r.prompt.kind === "phrase" ? "phrase" : "room";
  const ok = r.prompt.label >= 0 && r.heard.digit === r.prompt.label ? "✓" : r.prompt.label >= 0 ? "✗" : "·";
  return `${ok} ${what.padEnd(6)} heard ${r.prompt.kind === "room" ? "—" : heardText(r.heard)}`;
}

export function EnrolApp({ model, prompts, source, profileName, replacing, adapt, onFinish }: EnrolAppProps) {
  const { exit } = useApp();
  const { columns } = useWindowSize();
  const [hub] = useState(createEventHub);
  const view = useEngineView(hub.subscribe, { maxFps: 15 });
  const [confirmed, setConfirmed] = useState(!replacing);
  const [index, setIndex] = useState(0);
  const [takes, setTakes] = useState<RecordedTake[]>([]);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null);
  const tapRef = useRef<TapSource | null>(null);
  const engineRef = useRef<RecognitionEngine | null>(null);
  const indexRef = useRef(0);
  indexRef.current = index;
  const roomStart = useRef<number | null>(null);
  const finished = useRef(false);
  const [adapted, setAdapted] = useState<Profile | "adapting" | null>(null);

  const finish = useCallback(
    (result: RecordedTake[] | null) => {
      if (finished.current) return;
      finished.current = true;
      const engine = engineRef.current;
      void (engine ? engine.stop().catch(() => undefined) : Promise.resolve()).then(() => {
        if (!result || !adapt) {
          onFinish(result);
          exit();
          return;
        }
        setAdapted("adapting");
        // a moment for the screen to say so: the fit holds the thread for a second or two
        setTimeout(() => {
          try {
            setAdapted(adapt(result));
          } catch (err) {
            setFailure(describeFailure(err));
          }
        }, 50);
      });
    },
    [exit, onFinish, adapt],
  );

  const record = useCallback(
    (samples: Float32Array, heard: Heard) => {
      const i = indexRef.current;
      const prompt = prompts[i];
      const tap = tapRef.current;
      if (!prompt || !tap || finished.current) return;
      const rate = model.features.sampleRate;
      const atModelRate = tap.sampleRate === rate ? samples : resampleTo(samples, tap.sampleRate, rate);
      const take: EnrolTake = {
        samples: atModelRate,
        label: prompt.label,
        kind: prompt.kind === "digit" ? undefined : prompt.kind,
        raw: { samples, sampleRate: tap.sampleRate },
      };
      const recorded = { prompt, take, heard, flags: takeFlags(prompt, samples, heard) };
      setTakes((all) => [...all.slice(0, i), recorded]);
      roomStart.current = null;
      setIndex(i + 1);
    },
    [model, prompts],
  );

  const onEvent = useCallback(
    (e: EngineEvent) => {
      hub.emit(e);
      const prompt = prompts[indexRef.current];
      const tap = tapRef.current;
      if (!prompt || !tap) return;
      if (prompt.kind === "room") {
        if (e.type !== "level") return;
        roomStart.current ??= tap.time;
        if (tap.time - roomStart.current >= ROOM_SECONDS) record(tap.clip(roomStart.current, tap.time), {});
        return;
      }
      if (e.type === "prediction") record(tap.clip(e.start - MARGIN_S, e.end + MARGIN_S), { digit: e.digit, confidence: e.confidence });
      else if (e.type === "rejected" && e.reason !== "too-short") {
        record(tap.clip(e.start - MARGIN_S, e.end + MARGIN_S), { digit: e.digit, confidence: e.confidence, rejected: e.reason });
      }
    },
    [hub, prompts, record],
  );

  useEffect(() => {
    if (!confirmed) return;
    const tap = new TapSource(source);
    tapRef.current = tap;
    const engine = createEngine({ model, source: tap, onEvent, levelIntervalMs: 50 });
    engineRef.current = engine;
    engine.start().catch((err: unknown) => setFailure(describeFailure(err)));
    return () => {
      void engine.stop().catch(() => undefined);
    };
    // the props never change during an enrolment: the engine runs once, from the confirmation on
  }, [confirmed, model, source, onEvent]);

  useEffect(() => {
    if (confirmed && index >= prompts.length) finish(takes);
  }, [confirmed, index, prompts.length, takes, finish]);

  useInput((input, key) => {
    if (adapted && adapted !== "adapting") {
      onFinish(takes, adapted);
      exit();
      return;
    }
    if (failure && finished.current && (input === "q" || key.escape)) {
      onFinish(null);
      exit();
      return;
    }
    if (!confirmed) {
      if (input === "y") setConfirmed(true);
      else if (input === "n" || input === "q" || key.escape) finish(null);
      return;
    }
    if (input === "q" || key.escape || (key.ctrl && input === "c")) finish(null);
    else if (input === "r" && index > 0) {
      roomStart.current = null;
      setTakes((all) => all.slice(0, index - 1));
      setIndex(index - 1);
    } else if (input === "s" && prompts[index]?.optional) {
      roomStart.current = null;
      setIndex(index + 1);
    }
  });

  const width = Math.max(40, Math.min(columns, 100));
  if (!confirmed) {
    return (
      <Box flexDirection="column">
        <Text>{`A profile named "${profileName}" exists already.`}</Text>
        <Text bold>press y to record a new one and replace it, n to leave it as it is</Text>
      </Box>
    );
  }
  if (adapted && adapted !== "adapting") {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold color="greenBright">{`profile "${profileName}" adapted in ${(adapted.figures!.adaptMs / 1000).toFixed(1)} s and saved`}</Text>
        {figuresText(adapted).map((line) => (
          <Text key={line}>{line}</Text>
        ))}
        <Box marginTop={1}>
          <Text dimColor>press any key to close</Text>
        </Box>
      </Box>
    );
  }
  const prompt = prompts[index];
  const digitsDone = takes.filter((t) => t.prompt.kind === "digit").length;
  const digitsTotal = prompts.filter((p) => p.kind === "digit").length;
  const last = takes[takes.length - 1];
  return (
    <Box flexDirection="column" width={width}>
      <Text
        dimColor
      >{`enrolling "${profileName}" · digits ${digitsDone}/${digitsTotal} · prompt ${Math.min(index + 1, prompts.length)}/${prompts.length}`}</Text>
      {failure ? <Banner message={`cannot listen: ${failure.message}`} hint={failure.hint} action="press q to quit" /> : null}
      <Box marginY={1}>
        <Text bold color="cyanBright">
          {prompt ? `▶ ${prompt.text}` : "done: adapting…"}
        </Text>
      </Box>
      <LevelMeter meter={view.meter} width={width} />
      <Box flexDirection="column" marginTop={1}>
        {takes.slice(-5).map((t, i) => (
          <Text key={`${takes.length}-${i}`} dimColor={t !== last}>
            {takeLine(t)}
          </Text>
        ))}
        {last?.flags.map((f) => (
          <Text key={f} color="yellow">{`  ⚠ ${FLAG_TEXT[f]}`}</Text>
        ))}
      </Box>
      <Box marginTop={1}>
        <Text dimColor>{`r redo the last take${prompt?.optional ? " · s skip this one" : ""} · q quit without saving`}</Text>
      </Box>
    </Box>
  );
}
