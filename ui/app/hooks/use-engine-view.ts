/**
 * The engine view (meter, latest result, latencies, counters), folded from events as they come but
 * handed to React at most `maxFps` times a second: level events arrive every few milliseconds and
 * must not each cost a render; nor does a change too small to see (a fraction of a dB).
 */
import { useEffect, useRef, useState } from "react";
import { engineViewReducer, initialEngineView, looksTheSame, type EngineView } from "../state/engine-view.ts";
import type { Subscribe } from "./event-hub.ts";

export const DEFAULT_VIEW_FPS = 20;

export interface EngineViewOptions {
  maxFps?: number;
  /**
   * Seconds of stream time worth a redraw on their own: 0.1 while a countdown is on screen, 1 when
   * only the clock would move (an idle microphone then costs one frame a second).
   */
  timeStep?: number;
}

export function useEngineView(subscribe: Subscribe, { maxFps = DEFAULT_VIEW_FPS, timeStep = 0.1 }: EngineViewOptions = {}): EngineView {
  const [view, setView] = useState(initialEngineView);
  const current = useRef(view);
  const step = useRef(timeStep);
  step.current = timeStep;
  useEffect(() => {
    const interval = 1000 / maxFps;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = -Infinity;
    let shown = current.current;
    const flush = () => {
      timer = undefined;
      lastFlush = performance.now();
      shown = current.current;
      setView(shown);
    };
    const unsubscribe = subscribe((event) => {
      const next = engineViewReducer(current.current, event);
      if (next === current.current) return;
      current.current = next;
      if (timer !== undefined || looksTheSame(shown, next, step.current)) return;
      const wait = lastFlush + interval - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [subscribe, maxFps]);
  return view;
}
