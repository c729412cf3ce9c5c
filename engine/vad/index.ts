export { DEFAULT_VAD_OPTIONS, resolveVadOptions, type VadOptions } from "./options.ts";
export { VadSegmenter, type VadEvent, type VadEventHandler, type VadLevel, type VadRejectReason, type VadState } from "./segmenter.ts";
