/**
 * The shared streams' folder as written in help texts and examples: relative to the project
 * (shared-streams.ts knows the rest; this module loads nothing, for commands' help texts).
 */
export const STREAMS_DIR_SHOWN = "../shared/streams";
