/**
 * `bun enroll:eval`: how much enrolment gains on unfamiliar voices. Synthetic speakers (espeak-ng,
 * flite) each say every digit several times at varied rate and pitch; each is enrolled on its
 * first takes and tested on the others, beside the model as trained.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ENROL_VOICES, writeEnrolVoices, writeOhTakes } from "../../data/synth/enrol-voices.ts";
import { requireTts, voiceName } from "../../data/synth/tts.ts";
import { UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { seededRng } from "../../data/synth/signals.ts";
import { type EnrolledVoice, enrolledVoice } from "../../train/enroll-cv.ts";
import { ENROL_ADAPT, takesFromDir } from "../../train/enrolment.ts";
import { mean } from "../../train/metrics.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";

export const enrollEvalSpec = {
  name: "bun enroll:eval",
  summary: "Measure enrolment on synthetic voices: each enrolled on its first takes per digit, tested on its other takes and phrases.",
  usage: ["bun enroll:eval [--voices artifacts/enrol-voices] [--shots 1,3,5] [--model models/default.json]"],
  options: {
    voices: { type: "string", default: "artifacts/enrol-voices" },
    shots: { type: "string", default: "3" },
    phrases: { type: "string", default: "3" },
    "no-oh": { type: "boolean" },
    takes: { type: "string", default: "8" },
    adapt: { type: "string" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    out: { type: "string", default: "artifacts/enroll_voices.json" },
  },
  metavar: { voices: "DIR", shots: "K", phrases: "N", takes: "N", adapt: "JSON", model: "FILE", out: "FILE" },
  help: {
    voices: "folder of one folder of takes per voice ({digit}_{k}.wav, n_{k}.wav); made with espeak-ng and flite when missing",
    shots: "takes per digit enrolled, comma-separated for several runs",
    phrases: "non-digit phrases enrolled per voice (the others measure false accepts)",
    "no-oh": 'leave the voices\' "oh" takes out (by default the first K are enrolled as 0 and the rest measure how often "oh" is heard as 0)',
    takes: "takes per digit made per voice when the folder is made",
    adapt: "JSON overriding the adaptation settings (see train/speaker-adaptation.ts), for experiments",
    model: "model file",
    out: "where the figures go (JSON)",
  },
  examples: ["bun enroll:eval", "bun enroll:eval --shots 1,3,5", "bun enroll:eval --shots 3 --no-oh"],
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(enrollEvalSpec, argv);
  const model = loadModelFile(values.model);
  const dir = values.voices!;
  const takesPerDigit = numberFlag("takes", values.takes, 8, 2, 20);
  const phrases = numberFlag("phrases", values.phrases, 3, 0, 10);
  if (!existsSync(dir)) {
    requireTts(ENROL_VOICES.map((v) => v.engine));
    console.error(`making ${ENROL_VOICES.length} synthetic voices in ${dir} …`);
    writeEnrolVoices(dir, { takes: takesPerDigit, phrases: phrases + 12, rate: 16000, rng: seededRng(5), onVoice: (n) => console.error(`  ${n}`) });
  }
  // "oh" takes are made apart from the digits (their own random stream), so older folders gain them unchanged
  if (ENROL_VOICES.some((v) => existsSync(join(dir, voiceName(v))) && !existsSync(join(dir, voiceName(v), "o_1.wav")))) {
    requireTts(ENROL_VOICES.map((v) => v.engine));
    console.error(`adding "oh" takes to the voices in ${dir} …`);
    writeOhTakes(dir, { takes: takesPerDigit, rate: 16000, rng: seededRng(6), onVoice: (n) => console.error(`  ${n}`) });
  }
  let adapt = ENROL_ADAPT;
  if (values.adapt) {
    try {
      adapt = { ...ENROL_ADAPT, ...JSON.parse(values.adapt) };
    } catch (err) {
      throw new UserError(`--adapt is not JSON: ${(err as Error).message}`);
    }
  }
  const voices = readdirSync(dir)
    .filter((f) => existsSync(join(dir, f, "0_1.wav")))
    .sort();
  if (!voices.length) throw new UserError(`${dir}: no voice folders`, "delete it and run the command again to make them");
  const takes = voices.map((v) => takesFromDir(join(dir, v), model.features.sampleRate).filter((t) => !values["no-oh"] || t.kind !== "oh"));
  const report: Record<string, unknown> = {};
  for (const shots of values.shots!.split(",").map((s) => numberFlag("shots", s, 3, 1, takesPerDigit - 1))) {
    const rows: EnrolledVoice[] = voices.map((v, i) => enrolledVoice(model, basename(v), takes[i]!, shots, phrases, adapt));
    for (const r of rows) {
      console.log(
        `  ${r.voice.padEnd(34)} plain ${r.plain.toFixed(3)} enrolled ${r.enrolled.toFixed(3)}  digits accepted ${r.digitsAcceptedPlain.toFixed(2)} → ${r.digitsAcceptedEnrolled.toFixed(2)}  non-digits accepted ${r.nondigitPlain.toFixed(2)} → ${r.nondigitEnrolled.toFixed(2)}  "oh" as 0 ${r.ohPlain.toFixed(2)} → ${r.ohEnrolled.toFixed(2)} (accepted ${r.ohAcceptedEnrolled.toFixed(2)})  ${r.adaptMs.toFixed(0)} ms`,
      );
    }
    const summary = {
      mean: mean(rows.map((r) => r.enrolled)),
      worst: Math.min(...rows.map((r) => r.enrolled)),
      plainMean: mean(rows.map((r) => r.plain)),
      digitsAccepted: { plain: mean(rows.map((r) => r.digitsAcceptedPlain)), enrolled: mean(rows.map((r) => r.digitsAcceptedEnrolled)) },
      nondigitAccepted: { plain: mean(rows.map((r) => r.nondigitPlain)), enrolled: mean(rows.map((r) => r.nondigitEnrolled)) },
      ohAsZero: {
        plain: mean(rows.map((r) => r.ohPlain)),
        enrolled: mean(rows.map((r) => r.ohEnrolled)),
        acceptedEnrolled: mean(rows.map((r) => r.ohAcceptedEnrolled)),
        tested: rows.reduce((n, r) => n + r.ohTested, 0),
      },
      voices: Object.fromEntries(
        rows.map((r) => [r.voice, { plain: r.plain, enrolled: r.enrolled, nondigitPlain: r.nondigitPlain, nondigitEnrolled: r.nondigitEnrolled }]),
      ),
    };
    report[`shots${shots}`] = summary;
    console.log(
      `${shots} take${shots > 1 ? "s" : ""} per digit: plain ${summary.plainMean.toFixed(4)} → enrolled ${summary.mean.toFixed(4)} (worst ${summary.worst.toFixed(3)}); digits accepted and right ${summary.digitsAccepted.plain.toFixed(3)} → ${summary.digitsAccepted.enrolled.toFixed(3)}; non-digits accepted ${summary.nondigitAccepted.plain.toFixed(3)} → ${summary.nondigitAccepted.enrolled.toFixed(3)}; "oh" heard as 0 ${summary.ohAsZero.plain.toFixed(3)} → ${summary.ohAsZero.enrolled.toFixed(3)}, accepted ${summary.ohAsZero.acceptedEnrolled.toFixed(3)} (${summary.ohAsZero.tested} takes)`,
    );
  }
  mkdirSync(join(values.out!, ".."), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify({ model: values.model, adapt, oh: !values["no-oh"], ...report }, null, 2)}\n`);
  console.log(`wrote ${values.out}`);
  return 0;
}

if (import.meta.main) await runCommand(() => main(process.argv.slice(2)));
