/** Runs the guided enrolment on a terminal, then adapts and saves the profile. */
import { render } from "ink";
import { profilePath } from "../../../engine/adaptation/profile-store.ts";
import type { ModelFile } from "../../../engine/model-file.ts";
import { MicrophoneSource } from "../../../native/microphone-source.ts";
import { enrol } from "../../../train/enrolment.ts";
import { EnrolApp, type RecordedTake } from "./EnrolApp.tsx";
import { enrolmentPlan } from "./enrol-plan.ts";

export interface GuidedEnrolment {
  model: ModelFile;
  name: string;
  replacing: boolean;
  keepAudio: boolean;
  takesPerDigit: number;
  phrases: number;
  oh: boolean;
  device?: string;
}

export async function runGuidedEnrolment(o: GuidedEnrolment): Promise<number> {
  const prompts = enrolmentPlan({ takes: o.takesPerDigit, oh: o.oh, phrases: o.phrases });
  const device = o.device !== undefined && /^\d+$/.test(o.device) ? Number(o.device) : o.device;
  let result: RecordedTake[] | null = null;
  const app = render(
    <EnrolApp model={o.model} prompts={prompts} source={new MicrophoneSource({ device })} profileName={o.name} replacing={o.replacing} onFinish={(takes) => (result = takes)} />,
    { exitOnCtrlC: false, interactive: true },
  );
  await app.waitUntilExit();
  const recorded = result as RecordedTake[] | null;
  if (!recorded) {
    console.log("enrolment cancelled: no profile saved");
    return 1;
  }
  const flagged = recorded.filter((r) => r.flags.length).length;
  console.log(`${recorded.length} takes recorded${flagged ? ` (${flagged} flagged)` : ""}; adapting…`);
  const profile = enrol(o.model, recorded.map((r) => r.take), { name: o.name, keepAudio: o.keepAudio });
  const f = profile.figures!;
  if (f.dropped) console.log(`${f.dropped} take${f.dropped > 1 ? "s" : ""} left out: the model confidently heard another digit`);
  if (f.heldBack) console.log(`on ${f.heldBack} takes held back from adaptation: ${(f.before * 100).toFixed(0)} % right before, ${(f.after * 100).toFixed(0)} % after`);
  else console.log("(one take per digit: none held back to measure before/after; --takes 2 or more measures it)");
  console.log(`saved profile ${o.name}: ${profilePath(o.name)} (adapted in ${(f.adaptMs / 1000).toFixed(1)} s)`);
  console.log(`bun start and bun listen now use it (--profile none turns it off)`);
  return 0;
}
