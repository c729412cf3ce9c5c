import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adaptModel, modelFingerprint } from "../engine/adaptation/adapted-model.ts";
import {
  PROFILE_FORMAT,
  PROFILE_VERSION,
  type Profile,
  lastEnrolled,
  listProfiles,
  loadProfile,
  profilePath,
  profilesDir,
  removeProfile,
  saveProfile,
} from "../engine/adaptation/profile-store.ts";
import { UserError } from "../engine/errors.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { matrixData, packMatrix } from "../engine/packed-matrix.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const tempDir = tempDirs("profiles");
const model = loadModelFile(join(import.meta.dir, "../models/default.json"));
const output = model.layers[model.layers.length - 1]!;

function profile(name: string, created: string): Profile {
  const { rows, cols, data } = matrixData(output.weights);
  const weights = Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    name,
    created,
    model: { fingerprint: modelFingerprint(model) },
    adaptation: { output: { weights: packMatrix(weights), bias: [...output.bias] } },
    takes: [{ file: "7_1.wav", label: "7" }],
    keepsAudio: true,
  };
}

function problemOf(path: string, edit: (p: Record<string, unknown>) => void, name = "a"): string {
  const p = JSON.parse(readFileSync(path, "utf8"));
  edit(p);
  writeFileSync(path, JSON.stringify(p));
  try {
    loadProfile(name, join(path, ".."));
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error("the profile loaded");
}

describe("profile store", () => {
  test("profiles live under $XDG_CONFIG_HOME, else ~/.config", () => {
    expect(profilesDir({ XDG_CONFIG_HOME: "/x/cfg", HOME: "/home/u" })).toBe("/x/cfg/spoken-digits/profiles");
    expect(profilesDir({ HOME: "/home/u" })).toBe("/home/u/.config/spoken-digits/profiles");
    // a relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored
    expect(profilesDir({ XDG_CONFIG_HOME: "cfg", HOME: "/home/u" })).toBe("/home/u/.config/spoken-digits/profiles");
  });

  test("a saved profile loads back, and adapts the model it was made for", () => {
    const dir = tempDir();
    saveProfile(profile("a", "2026-01-01T00:00:00Z"), dir);
    const loaded = loadProfile("a", dir);
    expect(loaded.model.fingerprint).toBe(modelFingerprint(model));
    const adapted = adaptModel(model, loaded.adaptation);
    // the model's own output layer back: the same fingerprint, nothing else changed
    expect(modelFingerprint(adapted)).toBe(modelFingerprint(model));
    expect(adapted.layers[0]).toBe(model.layers[0]);
    expect(adapted.standardize).toBe(model.standardize);
    // a profile that moves the input mean to its speaker's (a later enrolment) adapts that too
    const mean = model.standardize.mean.map((m) => m + 1);
    const shifted = { ...loaded, adaptation: { ...loaded.adaptation, standardize: { mean, scale: [...model.standardize.scale] } } };
    saveProfile(shifted, dir);
    expect(adaptModel(model, loadProfile("a", dir).adaptation).standardize.mean).toEqual(mean);
  });

  test("the newest profile is the last enrolled; remove deletes it", () => {
    const dir = tempDir();
    saveProfile(profile("old", "2026-01-01T00:00:00Z"), dir);
    saveProfile(profile("new", "2026-02-01T00:00:00Z"), dir);
    expect(listProfiles(dir).map((p) => p.name)).toEqual(["new", "old"]);
    expect(lastEnrolled(dir)).toBe("new");
    removeProfile("new", dir);
    expect(lastEnrolled(dir)).toBe("old");
    expect(() => removeProfile("new", dir)).toThrow(/no profile named "new"/);
  });

  test("broken profiles are refused with what is wrong", () => {
    const dir = tempDir();
    const path = saveProfile(profile("a", "2026-01-01T00:00:00Z"), dir);
    const good = readFileSync(path, "utf8");
    const cases: [(p: Record<string, unknown>) => void, RegExp][] = [
      [(p) => (p.format = "something"), /format is "something"/],
      [(p) => (p.version = 99), /version 99 is not supported/],
      [(p) => ((p.adaptation as Profile["adaptation"]).output.bias = [1, 2]), /bias must hold 10 finite numbers/],
      [(p) => ((p.adaptation as Profile["adaptation"]).output.weights.float32 = "AAAA"), /float32 holds 3 bytes/],
      [(p) => (p.takes = [{ file: "../../etc/passwd", label: "1" }]), /takes must be a list/],
      [(p) => (p.name = "b"), /names itself "b"/],
      [(p) => ((p.adaptation as Profile["adaptation"]).standardize = { mean: [0, 1], scale: [1] }), /standardize must hold mean and scale/],
    ];
    for (const [edit, message] of cases) {
      writeFileSync(path, good);
      expect(problemOf(path, edit)).toMatch(message);
    }
    writeFileSync(path, "{ not json");
    expect(() => loadProfile("a", dir)).toThrow(/not JSON/);
    expect(listProfiles(dir)[0]!.problem).toMatch(/not JSON/);
  });

  test("names that are not file names are refused", () => {
    for (const bad of ["../x", "a/b", "", "none", ".hidden"]) expect(() => profilePath(bad, "/tmp")).toThrow(UserError);
  });

  test("an unknown profile names the ones there are", () => {
    const dir = tempDir();
    saveProfile(profile("alice", "2026-01-01T00:00:00Z"), dir);
    expect(() => loadProfile("bob", dir)).toThrow(/no profile named "bob"/);
    try {
      loadProfile("bob", dir);
    } catch (err) {
      expect((err as UserError).hint).toContain("alice");
    }
  });
});
