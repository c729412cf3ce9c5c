/**
 * Environment variables that decide which audio server/devices PortAudio sees (a module of its
 * own: the microphone source needs them without loading bun:ffi, which every `bun listen` would
 * then pay for).
 */
export const AUDIO_ENV_VARS = [
  "PULSE_SERVER",
  "PULSE_SOURCE",
  "PULSE_RUNTIME_PATH",
  "PULSE_COOKIE",
  "ALSA_CONFIG_PATH",
  "ALSA_CARD",
  "JACK_DEFAULT_SERVER",
] as const;
