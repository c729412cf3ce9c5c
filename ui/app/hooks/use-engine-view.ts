/**
 * The engine view (meter, latest result, latencies, counters), folded from events as they come but
 * handed to React at most `maxFps` times a second: level events arrive every few milliseconds and
 * must not each cost a render.
 */
import { useEffect, useRef, useState } from "react";
import { engineViewReducer, initialEngineView, type EngineView } from "../state/engine-view.ts";
import type { Subscribe } from "./event-hub.ts";

export const DEFAULT_VIEW_FPS = 20;

export function useEngineView(subscribe: Subscribe, maxFps = DEFAULT_VIEW_FPS): EngineView {
  const [view, setView] = useState(initialEngineView);
  const current = useRef(view);
  useEffect(() => {
    const interval = 1000 / maxFps;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = -Infinity;
    const flush = () => {
      timer = undefined;
      lastFlush = performance.now();
      setView(current.current);
    };
    const unsubscribe = subscribe((event) => {
      const next = engineViewReducer(current.current, event);
      if (next === current.current) return;
      current.current = next;
      if (timer !== undefined) return;
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
