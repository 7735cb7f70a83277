// The command's inputs before anything is sent: JSON files, and the package's validators' verdicts
// turned into its ValidationError (exit 2).
import { readFileSync } from "node:fs";
import { ValidationError } from "instaclustr-pg";

import { UsageError } from "./args.js";

/** Throws the package's ValidationError when `violations` is not empty (exit 2, nothing sent). */
export function check(violations, operation) {
  if (violations && violations.length) {
    throw new ValidationError(
      `invalid ${operation} input: ${violations.length} violation${violations.length === 1 ? "" : "s"}`,
      { violations, operation },
    );
  }
}

/** The JSON of `file`; unreadable or not JSON is a usage error. */
export function readJsonFile(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--file ${file}: cannot read (${e.code ?? e.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--file ${file}: not JSON (${e.message})`);
  }
}
