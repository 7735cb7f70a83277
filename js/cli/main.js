#!/usr/bin/env node
// `instaclustr-pg`, the command-line tool of the package (its `bin`): parses the arguments, runs
// the command on the package's public API, prints the result and exits with the documented code
// (exit.js). Ctrl-C aborts the request in flight and any wait through one AbortSignal (a second
// Ctrl-C exits at once).
import { readFileSync } from "node:fs";

import { GLOBAL_OPTIONS, UsageError, parseCommandArgs, parseDuration } from "./args.js";
import { COMMANDS } from "./commands.js";
import { Context } from "./context.js";
import { EXIT, exitCodeOf } from "./exit.js";
import { commandHelp, toolHelp } from "./help.js";
import { Output } from "./output.js";
import { maskSecrets } from "./plan.js";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 18 || (major === 18 && minor < 3)) {
  process.stderr.write(`instaclustr-pg needs Node 18.3 or newer (this is ${process.versions.node})\n`);
  process.exit(EXIT.USAGE);
}

/** Runs the tool with `argv`; resolves to the exit code. */
export async function main(
  argv,
  { stdout = process.stdout, stderr = process.stderr, stdin = process.stdin, env = process.env, signal } = {},
) {
  const json = argv.includes("--json");
  const noColor = argv.includes("--no-color");
  const early = new Output({ json, stdout, stderr, env, noColor });
  const at = commandIndex(argv);
  const name = at < 0 ? undefined : argv[at];
  const command = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (name !== undefined && !command) {
    early.error(new UsageError(`unknown command ${JSON.stringify(name)}; run instaclustr-pg --help`));
    return EXIT.USAGE;
  }
  const rest = at < 0 ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseCommandArgs(rest, command));
    // durations are checked before anything is sent (a wait comes after its change)
    for (const flag of ["timeout", "poll-interval"])
      if (values[flag] !== undefined) parseDuration(values[flag], `--${flag}`);
  } catch (e) {
    early.error(e);
    return exitCodeOf(e, false);
  }
  if (values.help) {
    stdout.write((command ? commandHelp(name, command) : toolHelp(COMMANDS)) + "\n");
    return EXIT.OK;
  }
  if (!command) {
    stderr.write(toolHelp(COMMANDS) + "\n");
    return EXIT.USAGE;
  }
  const out = new Output({ json: values.json, stdout, stderr, env, noColor: values["no-color"] });
  const ctx = new Context({ values, out, signal, env, stdin, stderr });
  try {
    const r = await command.run(ctx, positionals, values);
    // a command that printed its own output (the emulator) returns nothing
    if (r === undefined) return EXIT.OK;
    // defaultUserPassword (in every cluster the API returns) is never printed, not even with
    // --json, unless the command's explicit opt-in (--reveal-password) asked for it
    out.result(r.reveal ? r.data : maskSecrets(r.data), r.human ?? (() => out.table(...r.table)));
    return EXIT.OK;
  } catch (e) {
    const interrupted = Boolean(signal?.aborted);
    const code = exitCodeOf(e, interrupted);
    const extra = {};
    if (code === EXIT.OUTCOME_UNKNOWN && name !== undefined) extra.lookup = lookupHint(name, values, positionals);
    if (interrupted) extra.interrupted = true;
    out.error(e, extra);
    return code;
  }
}

/** Index of the command name: the first argument that is neither an option nor a global option's value. */
function commandIndex(argv) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!a.startsWith("-") || a === "-") return i;
    const opt = a.startsWith("--") ? GLOBAL_OPTIONS[a.slice(2)] : undefined;
    if (opt?.type === "string" && !a.includes("=")) i++;
  }
  return -1;
}

/** How to find out what happened to a change whose outcome is unknown. */
function lookupHint(name, values, positionals) {
  if ((name === "create" || name === "apply") && values.file) {
    let cluster;
    try {
      cluster = JSON.parse(readFileSync(values.file, "utf8")).name;
    } catch {
      // the file was read before the request was sent; if it is gone now, name it instead
    }
    return typeof cluster === "string"
      ? `instaclustr-pg clusters --name ${cluster}`
      : `instaclustr-pg clusters --name <the "name" of ${values.file}>`;
  }
  if (name === "restore" && values.name) return `instaclustr-pg clusters --name ${values.name}`;
  if (positionals[0]) return `instaclustr-pg get ${positionals[0]}`;
  return "instaclustr-pg clusters";
}

// run as the bin (not when imported)
const controller = new AbortController();
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(EXIT.INTERRUPTED);
  controller.abort();
});
// a reader that went away (`instaclustr-pg clusters | head -1`) ends the command quietly
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => process.exit(e?.code === "EPIPE" ? EXIT.OK : EXIT.FAILURE));
}
const code = await main(process.argv.slice(2), { signal: controller.signal });
// exit once stdout and stderr are flushed (pending retry or poll timers must not keep the process)
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
