/** The `--profile NAME` flag every recognizing command takes, and its help (loads nothing, for commands' specs). */
export const PROFILE_FLAG = { profile: { type: "string", short: "p" } } as const;
export const PROFILE_HELP = "speaker profile made by `bun enroll` that adapts the model to its voice; none: the model as trained";
export const PROFILE_HELP_LAST = `${PROFILE_HELP} (default: the last enrolled profile, if any)`;
