/**
 * The one place the UI touches the streaming engine: it starts a run on a source, forwards every
 * event to `emit`, and offers pause/resume, switching source and stopping. A source that cannot
 * start (no PortAudio, no device, a bad file) becomes `failure`, shown as a banner with its fix.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { createEngine, type Engine, type EngineOptions } from "../../engine/engine.ts";
import { UserError, errorMessage } from "../../engine/errors.ts";
import type { EngineEvent } from "../../engine/events.ts";
import type { ModelFile } from "../../engine/model-file.ts";
import type { AudioSource } from "../../engine/sources/audio-source.ts";
import { FileSource } from "../../engine/sources/file-source.ts";
import { MicrophoneSource } from "../../native/microphone-source.ts";
import type { SourceChoice } from "./sources.ts";

export interface EngineFailure {
  message: string;
  hint?: string;
  source: SourceChoice;
}

export interface EngineControls {
  source: SourceChoice;
  failure: EngineFailure | null;
  paused: boolean;
  /** Pauses or resumes listening; returns whether it is now paused. */
  togglePause(): boolean;
  /** Stops the current run and starts one on `source`. */
  switchTo(source: SourceChoice): void;
  /** Stops the engine and releases the device; safe to call twice. */
  stop(): Promise<void>;
}

function openSource(choice: SourceChoice, index: number): AudioSource {
  if (choice.kind === "microphone") return new MicrophoneSource({ device: choice.device });
  return new FileSource(choice.paths[index]!, { realtime: true, speed: choice.speed });
}

export function describeFailure(err: unknown): { message: string; hint?: string } {
  if (err instanceof UserError) return { message: err.message, hint: err.hint };
  return { message: errorMessage(err) };
}

/** The engine settings the app passes on (VAD hangover, rejection threshold). */
export type EngineTuning = Pick<EngineOptions, "vad" | "rejectBelow">;

export function useEngine(options: { source: SourceChoice; model: ModelFile; emit: (e: EngineEvent) => void; tuning?: EngineTuning }): EngineControls {
  const { model, emit } = options;
  // read when a run starts: the tuning is fixed for the app's life
  const tuning = useRef(options.tuning);
  const [source, setSource] = useState(options.source);
  const [failure, setFailure] = useState<EngineFailure | null>(null);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(false);
  const engineRef = useRef<Engine | null>(null);
  // the previous run's stop: a new run waits for it, so a device is never opened twice
  const stopped = useRef<Promise<void>>(Promise.resolve());

  const stopCurrent = useCallback(async (): Promise<void> => {
    const engine = engineRef.current;
    engineRef.current = null;
    await engine?.stop().catch(() => {});
  }, []);

  useEffect(() => {
    let cancelled = false;
    const play = (index: number) => {
      const engine = createEngine({
        ...tuning.current,
        model,
        source: openSource(source, index),
        onEvent: (event) => {
          emit(event);
          // a playlist moves on to its next file when one ends
          if (event.type === "stopped" && event.reason === "end-of-stream" && source.kind === "files" && index + 1 < source.paths.length) {
            setTimeout(() => !cancelled && play(index + 1), 0);
          }
        },
      });
      engineRef.current = engine;
      engine.start().catch((err: unknown) => {
        if (engineRef.current === engine) engineRef.current = null;
        if (!cancelled) setFailure({ ...describeFailure(err), source });
      });
    };
    setFailure(null);
    pausedRef.current = false;
    setPaused(false);
    const begun = stopped.current.then(() => {
      if (!cancelled) play(0);
    });
    return () => {
      cancelled = true;
      stopped.current = begun.then(stopCurrent);
    };
  }, [source, model, emit, stopCurrent]);

  const togglePause = useCallback((): boolean => {
    const engine = engineRef.current;
    if (!engine) return pausedRef.current;
    pausedRef.current = !pausedRef.current;
    if (pausedRef.current) engine.pause();
    else engine.resume();
    setPaused(pausedRef.current);
    return pausedRef.current;
  }, []);

  const stop = useCallback(async () => {
    await stopped.current;
    await stopCurrent();
  }, [stopCurrent]);

  return { source, failure, paused, togglePause, switchTo: setSource, stop };
}
