/** A tiny fan-out of engine events to the hooks that derive screen state from them. */
import type { EngineEvent } from "../../../engine/events.ts";

export type EventListener = (event: EngineEvent) => void;
export type Subscribe = (listener: EventListener) => () => void;

export interface EventHub {
  emit: EventListener;
  subscribe: Subscribe;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event) {
      for (const l of listeners) l(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
