import { InputError, type Problem } from "../errors.js";
import type { ParsedProfile } from "../profile/parse.js";
import { parseProfile } from "../profile/parse.js";
import type { ModelPreset } from "../models/schema.js";
import { readInput } from "./io.js";

export interface LoadedProfiles {
  readonly profiles: ParsedProfile[];
  readonly problems: Problem[];
}

/** Read and validate each profile; a bad one is reported and the others still processed. */
export function loadProfiles(paths: readonly string[], presets: ReadonlyMap<string, ModelPreset>): LoadedProfiles {
  const profiles: ParsedProfile[] = [];
  const problems: Problem[] = [];
  for (const path of paths) {
    try {
      const input = readInput(path);
      const r = parseProfile(input.file, input.text, presets);
      if (r.ok) profiles.push(r.value);
      else problems.push(...r.problems);
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  }
  return { profiles, problems };
}
