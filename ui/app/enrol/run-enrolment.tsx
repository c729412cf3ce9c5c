/** Runs the guided enrolment on a terminal, then adapts and saves the profile. */
import { render } from "ink";
import { profilePath } from "../../../engine/adaptation/profile-store.ts";
import type { ModelFile } from "../../../engine/model-file.ts";
import { MicrophoneSource } from "../../../native/microphone-source.ts";
import { enrol } from "../../../train/enrolment.ts";
import type { Profile } from "../../../engine/adaptation/profile-store.ts";
import { EnrolApp, type RecordedTake, figuresText } from "./EnrolApp.tsx";
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
  let saved: Profile | undefined;
  const adapt = (takes: RecordedTake[]) =>
    enrol(
      o.model,
      takes.map((r) => r.take),
      { name: o.name, keepAudio: o.keepAudio },
    );
  const app = render(
    <EnrolApp
      model={o.model}
      prompts={prompts}
      source={new MicrophoneSource({ device })}
      profileName={o.name}
      replacing={o.replacing}
      adapt={adapt}
      onFinish={(takes, profile) => {
        result = takes;
        saved = profile;
      }}
    />,
    { exitOnCtrlC: false, interactive: true },
  );
  await app.waitUntilExit();
  const recorded = result as RecordedTake[] | null;
  const profile = saved as Profile | undefined;
  if (!recorded || !profile) {
    console.log("enrolment cancelled: no profile saved");
    return 1;
  }
  const flagged = recorded.filter((r) => r.flags.length).length;
  // the screen showed these; they stay in the scrollback after it closes
  console.log(`${recorded.length} takes recorded${flagged ? ` (${flagged} flagged)` : ""}`);
  for (const line of figuresText(profile)) console.log(line);
  const f = profile.figures!;
  console.log(`saved profile ${o.name}: ${profilePath(o.name)} (adapted in ${(f.adaptMs / 1000).toFixed(1)} s)`);
  console.log(`bun start and bun listen now use it (--profile none turns it off)`);
  return 0;
}
