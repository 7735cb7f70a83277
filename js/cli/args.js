// Argument parsing of the `instaclustr-pg` command: Node's built-in `util.parseArgs` (Node 18.3+),
// not a registry package: the package stays dependency-free (nothing to download or audit at
// install time) and parseArgs covers what the tool needs (long and short flags, `--flag=value`,
// strict unknown-option errors, positionals). Help text is generated from the same tables.
import { parseArgs } from "node:util";

/** A usage problem: exit code 2, nothing sent. `problems` lists every one found. */
export class UsageError extends Error {
  constructor(message, problems = [message]) {
    super(message);
    this.name = "UsageError";
    this.code = "USAGE_ERROR";
    this.problems = problems;
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.message, problems: this.problems };
  }
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  json: { type: "boolean", help: "print exactly one JSON document on stdout (errors as JSON on stderr)" },
  verbose: { type: "boolean", short: "v", help: "log every request (method, URL, attempt, status, time) on stderr" },
  username: { type: "string", value: "USER", help: "account user name (default $INSTACLUSTR_USERNAME)" },
  "api-key": {
    type: "string",
    value: "KEY",
    help: "provisioning API key (default $INSTACLUSTR_API_KEY; prefer the variable: arguments are visible to other users)",
  },
  "base-url": {
    type: "string",
    value: "URL",
    help: "API base URL (default $INSTACLUSTR_BASE_URL or https://api.instaclustr.com)",
  },
  "no-color": { type: "boolean", help: "no colours (also when NO_COLOR is set)" },
  help: { type: "boolean", short: "h", help: "show help" },
};

/**
 * Parses `argv` against the command's `options` (plus the global ones). Returns `{ values,
 * positionals }`; throws a `UsageError` listing every problem (unknown option, missing value,
 * wrong number of arguments, missing required option).
 */
export function parseCommandArgs(argv, command) {
  const spec = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
  const config = {};
  for (const [name, o] of Object.entries(spec)) {
    config[name] = { type: o.type };
    if (o.short) config[name].short = o.short;
    if (o.multiple) config[name].multiple = true;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e));
  }
  const { values, positionals } = parsed;
  if (values.help || !command) return { values, positionals };
  const problems = [];
  const wanted = command.args ?? [];
  // `optionalArgs` may follow the required ones (the command checks which its action needs)
  const most = wanted.length + (command.optionalArgs ?? []).length;
  if (positionals.length < wanted.length)
    problems.push(
      `missing ${wanted
        .slice(positionals.length)
        .map((a) => `<${a}>`)
        .join(" ")}`,
    );
  if (positionals.length > most) problems.push(`unexpected argument ${JSON.stringify(positionals[most])}`);
  for (const [name, o] of Object.entries(command.options ?? {})) {
    if (o.required && values[name] === undefined) problems.push(`--${name} is required`);
  }
  if (problems.length) throw new UsageError(problems.join("; "), problems);
  return { values, positionals };
}

// parseArgs messages name the option and include hints about `--`; keep the first sentence
function parseArgsMessage(e) {
  const text = String(e?.message ?? e);
  return text.split(/\. (?=To specify|Did you)/)[0].replace(/\.$/, "");
}

/** `30m`, `90s`, `1h30m`, `500ms`, or a plain number of seconds -> milliseconds. */
export function parseDuration(text, flag) {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  let rest = s;
  while (rest) {
    const m = rest.match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)/);
    if (!m) throw new UsageError(`${flag}: ${JSON.stringify(s)} is not a duration (e.g. 90s, 30m, 1h30m)`);
    total += Number(m[1]) * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  if (!(total > 0)) throw new UsageError(`${flag}: must be longer than 0`);
  return Math.round(total);
}

/** `now`, epoch milliseconds (digits) or an ISO 8601 date-time (checked by the package). */
export function parsePointInTimeArg(text) {
  const s = String(text).trim();
  if (s === "now") return Date.now();
  if (/^\d+$/.test(s)) return Number(s);
  return s;
}
