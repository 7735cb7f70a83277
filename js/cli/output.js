// Where the command's output goes: the result on stdout (a table or text on a terminal, exactly
// one JSON document with --json), notes and errors on stderr (errors as one JSON document with
// --json). Colours only on a terminal, never with NO_COLOR or --no-color. Nothing here ever sees
// the API key: values come from the package's results and errors, which never carry it.
import { renderTable } from "./table.js";

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 };

/** Whether `stream` may be coloured (https://no-color.org: any non-empty NO_COLOR disables). */
export function colorAllowed(stream, env, noColorFlag) {
  return Boolean(stream.isTTY) && !noColorFlag && !(env.NO_COLOR && env.NO_COLOR !== "") && env.TERM !== "dumb";
}

/** Colour helpers that are identity functions when colour is off. */
export function palette(enabled) {
  const p = {};
  for (const [name, code] of Object.entries(CODES))
    p[name] = enabled ? (s) => (s === "" ? "" : `\x1b[${code}m${s}\x1b[0m`) : (s) => String(s);
  p.status = (s) => {
    if (s === undefined || s === null) return s;
    if (/^(RUNNING|COMPLETED|NO_OPERATION|DELETED)$/.test(s)) return p.green(s);
    if (/FAIL/.test(s)) return p.red(s);
    return p.yellow(s);
  };
  return p;
}

export class Output {
  constructor({ json, stdout, stderr, env, noColor }) {
    this.json = Boolean(json);
    this.stdout = stdout;
    this.stderr = stderr;
    this.c = palette(!this.json && colorAllowed(stdout, env, noColor));
    this.ce = palette(colorAllowed(stderr, env, noColor));
  }

  /** The command's result: `data` as JSON with --json, otherwise `human()` lines. */
  result(data, human) {
    if (this.json) {
      this.stdout.write(JSON.stringify(data === undefined ? null : data, null, 2) + "\n");
      return;
    }
    const lines = human ? human(this.c) : [];
    if (lines.length) this.stdout.write(lines.join("\n") + "\n");
  }

  /** A table of `rows` (human output only; --json prints `data` instead). */
  table(rows, columns) {
    return rows.length ? renderTable(rows, columns) : ["(none)"];
  }

  /** A note for the person at the terminal, on stderr (never part of the result). */
  note(text) {
    if (!this.json) this.stderr.write(text + "\n");
  }

  /** A diagnostic that is printed with --json too (stderr). */
  log(text) {
    this.stderr.write(text + "\n");
  }

  /** An error: one JSON document on stderr with --json, otherwise readable lines. */
  error(err, extra = {}) {
    const doc = errorDocument(err, extra);
    if (this.json) {
      this.stderr.write(JSON.stringify({ error: doc }, null, 2) + "\n");
      return;
    }
    const c = this.ce;
    const lines = [
      `${c.red(doc.interrupted ? "interrupted" : "error")}: ${doc.message}${doc.code ? c.dim(` (${doc.code}${doc.status ? ` ${doc.status}` : ""})`) : ""}`,
    ];
    for (const v of doc.violations ?? []) lines.push(`  ${v.path || "(body)"}: ${v.message} ${c.dim(`[${v.code}]`)}`);
    for (const p of doc.problems ?? []) if (p !== doc.message) lines.push(`  ${p}`);
    for (const e of doc.errors ?? []) lines.push(`  ${e.name ? `${e.name}: ` : ""}${e.message ?? ""}`);
    if (doc.hint) lines.push(`  hint: ${doc.hint}`);
    if (doc.lookup) lines.push(`  look it up with: ${doc.lookup}`);
    this.stderr.write(lines.join("\n") + "\n");
  }
}

/**
 * The JSON form of an error: the package's `toJSON()` (code, status, violations, errors, hint, ...;
 * never a secret), or name/code/message for anything else. The stack is never included.
 */
export function errorDocument(err, extra = {}) {
  let doc;
  if (err && typeof err.toJSON === "function") doc = err.toJSON();
  else doc = { name: err?.name ?? "Error", code: err?.code, message: String(err?.message ?? err) };
  delete doc.stack;
  return { ...doc, ...extra };
}
