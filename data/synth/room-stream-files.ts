import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DATA_DIR, loadSplit } from "../fsdd.ts";
import { encodeWav16 } from "../../engine/audio/wav.ts";
import { writingTo } from "../write-guard.ts";
import { type RoomOptions, buildRoomStreams } from "./room-streams.ts";
import { type TtsVoice, requireTts, speak, voiceName } from "./tts.ts";

/** `speak` with every (voice, text) said once per process: room voices repeat their digits. */
export function cachedSpeaker(rate: number): (voice: TtsVoice, text: string) => Float32Array {
  const cache = new Map<string, Float32Array>();
  return (voice, text) => {
    const key = `${voiceName(voice)}|${text}`;
    let x = cache.get(key);
    if (!x) cache.set(key, (x = speak(voice, text, rate)));
    return x;
  };
}

/** Builds the room streams from FSDD (test foreground, train babble) and writes NAME.wav + NAME.json into `dir`; returns how many. */
export async function writeRoomStreams(
  dir: string,
  o: Omit<RoomOptions, "onStream">,
  onStream?: (name: string) => void,
  dataDir = DEFAULT_DATA_DIR,
): Promise<number> {
  requireTts(["espeak-ng", "flite"]);
  const rate = 8000;
  const [test, train] = await Promise.all([loadSplit("test", dataDir), loadSplit("train", dataDir)]);
  const streams = buildRoomStreams({ test, train, speak: cachedSpeaker(rate), rate }, { ...o, onStream });
  await writingTo(dir, "--out", async () => {
    mkdirSync(dir, { recursive: true });
    for (const s of streams) {
      writeFileSync(join(dir, `${s.name}.wav`), encodeWav16(s.samples, rate));
      writeFileSync(join(dir, `${s.name}.json`), `${JSON.stringify(s.truth, null, 1)}\n`);
    }
  });
  return streams.length;
}
