/**
 * Hands-free digit entry as a pure state machine: recognised digits append to the entry line, and
 * a pause in speech of `commitAfter` seconds (stream time since the last end of speech) commits the
 * line to the history. Keys edit the line (type a digit, backspace, clear, commit, undo the last
 * commit). No timers: time only moves when the engine reports stream time, so a paused engine never
 * commits behind the user's back.
 */
import type { EngineEvent } from "../../../engine/events.ts";

/** Per digit: the model's confidence in it, or null for a digit typed on the keyboard. */
export type DigitConfidence = number | null;

export interface CommittedNumber {
  digits: string;
  confidence: readonly DigitConfidence[];
}

export interface EntryState {
  /** The number being entered, e.g. "0435". */
  digits: string;
  /** The confidence of each digit of `digits`. */
  confidence: readonly DigitConfidence[];
  /** Committed numbers, oldest first. */
  history: readonly CommittedNumber[];
  /**
   * The line holds a number taken back with undo: it waits for the user (edit, Enter, or more
   * digits) instead of committing itself again after the pause.
   */
  held: boolean;
  /** Seconds of stream time after the last end of speech before the line commits itself. */
  commitAfter: number;
  /** An utterance is open (between speech-start and speech-end). */
  speaking: boolean;
  /**
   * Stream time the pause is measured from: the last end of speech, or null when nothing was said
   * since the stream (re)started. Pending digits without one start counting at the next tick.
   */
  lastSpeechEnd: number | null;
  /** An utterance ended and its prediction (or rejection) has not arrived yet. */
  awaitingResult: boolean;
}

export type EntryAction =
  | { type: "digit"; digit: number; end: number; confidence: number }
  /** A digit typed on the keyboard at stream time t. */
  | { type: "type"; digit: number; t: number }
  /** The last committed number goes back on the (empty) entry line, to be edited or committed again. */
  | { type: "undo" }
  | { type: "rejected"; end: number }
  | { type: "speech-start"; t: number }
  | { type: "speech-end"; t: number }
  /** Stream time has advanced to t (level events). */
  | { type: "tick"; t: number }
  | { type: "backspace" }
  | { type: "commit" }
  | { type: "clear" }
  /** A new engine run began: its stream time starts again at 0. */
  | { type: "stream-reset" }
  /** Listening resumes after a pause: the pause before a commit starts again. */
  | { type: "resume" }
  /** The source ended (end of a file): whatever is on the line is committed. */
  | { type: "end-of-stream" };

/**
 * A result that never arrives (an engine that drops an utterance) must not block commits forever:
 * after this many seconds past the pause the line commits anyway.
 */
export const RESULT_GRACE_S = 1;

export const DEFAULT_COMMIT_AFTER_S = 2;

export function initialEntryState(commitAfter = DEFAULT_COMMIT_AFTER_S): EntryState {
  return { digits: "", confidence: [], history: [], held: false, commitAfter, speaking: false, lastSpeechEnd: null, awaitingResult: false };
}

function commit(state: EntryState): EntryState {
  if (state.digits === "") return state;
  return { ...state, digits: "", confidence: [], held: false, history: [...state.history, { digits: state.digits, confidence: state.confidence }] };
}

function append(state: EntryState, digit: number, confidence: DigitConfidence, lastSpeechEnd: number): EntryState {
  return { ...state, digits: state.digits + String(digit), confidence: [...state.confidence, confidence], lastSpeechEnd, held: false };
}

/** Undo takes a number back only onto an empty line: two numbers never merge into one. */
export function canUndo(state: EntryState): boolean {
  return state.digits === "" && state.history.length > 0;
}

/** Seconds left before the entry line commits itself, or null when no automatic commit is pending. */
export function secondsUntilCommit(state: EntryState, now: number): number | null {
  if (state.digits === "" || state.held || state.speaking || state.lastSpeechEnd === null) return null;
  return Math.max(0, state.commitAfter - (now - state.lastSpeechEnd));
}

function pauseIsLongEnough(state: EntryState, t: number): boolean {
  if (state.digits === "" || state.held || state.speaking || state.lastSpeechEnd === null) return false;
  const pause = t - state.lastSpeechEnd;
  return pause >= state.commitAfter + (state.awaitingResult ? RESULT_GRACE_S : 0);
}

export function entryReducer(state: EntryState, action: EntryAction): EntryState {
  switch (action.type) {
    case "digit":
      return { ...append(state, action.digit, action.confidence, Math.max(state.lastSpeechEnd ?? action.end, action.end)), awaitingResult: false };
    case "type":
      // the pause before the commit counts from the key, as from the end of a spoken digit
      return append(state, action.digit, null, Math.max(state.lastSpeechEnd ?? action.t, action.t));
    case "undo": {
      const last = state.history.at(-1);
      if (!last || !canUndo(state)) return state;
      return { ...state, digits: last.digits, confidence: last.confidence, history: state.history.slice(0, -1), held: true };
    }
    case "rejected":
      return state.awaitingResult ? { ...state, awaitingResult: false } : state;
    case "speech-start":
      return state.speaking ? state : { ...state, speaking: true };
    case "speech-end":
      return { ...state, speaking: false, lastSpeechEnd: action.t, awaitingResult: true };
    case "tick":
      if (state.lastSpeechEnd === null && state.digits !== "" && !state.speaking && !state.held) return { ...state, lastSpeechEnd: action.t };
      return pauseIsLongEnough(state, action.t) ? commit(state) : state;
    case "backspace":
      return state.digits === "" ? state : { ...state, digits: state.digits.slice(0, -1), confidence: state.confidence.slice(0, -1) };
    case "commit":
      return commit(state);
    case "clear":
      return state.digits === "" ? state : { ...state, digits: "", confidence: [], held: false };
    case "stream-reset":
    case "resume":
      return { ...state, speaking: false, lastSpeechEnd: null, awaitingResult: false };
    case "end-of-stream":
      return { ...commit(state), speaking: false, awaitingResult: false };
  }
}

/** The entry action an engine event stands for, if any. */
export function entryActionForEvent(event: EngineEvent): EntryAction | null {
  switch (event.type) {
    case "prediction":
      return { type: "digit", digit: event.digit, end: event.end, confidence: event.confidence };
    case "rejected":
      return { type: "rejected", end: event.end };
    case "speech-start":
      return { type: "speech-start", t: event.t };
    case "speech-end":
      return { type: "speech-end", t: event.end };
    case "level":
      return { type: "tick", t: event.t };
    case "started":
      return { type: "stream-reset" };
    case "stopped":
      return event.reason === "end-of-stream" ? { type: "end-of-stream" } : null;
    default:
      return null;
  }
}
