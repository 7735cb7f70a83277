// `--help` of the tool and of each command, generated from the command and option tables.
import { GLOBAL_OPTIONS } from "./args.js";
import { EXIT_HELP } from "./exit.js";

function optionLines(options) {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return [flag, `${o.help ?? ""}${o.required ? " (required)" : ""}`];
  });
  const w = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`);
}

const ENV = `Environment:
  INSTACLUSTR_USERNAME, INSTACLUSTR_API_KEY   credentials (the key is never printed, not even with --verbose)
  INSTACLUSTR_BASE_URL                        API base URL (e.g. a local emulator)
  NO_COLOR                                    no colours`;

/** The tool's help. */
export function toolHelp(commands) {
  const names = Object.keys(commands);
  const w = Math.max(...names.map((n) => n.length));
  return [
    "instaclustr-pg: the Instaclustr PostgreSQL Provisioning API on the command line",
    "",
    "Usage: instaclustr-pg <command> [arguments] [options]",
    "",
    "Commands:",
    ...names.map((n) => `  ${n.padEnd(w)}  ${commands[n].summary}`),
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    ENV,
    "",
    EXIT_HELP,
    "",
    "Run `instaclustr-pg <command> --help` for a command's arguments and options.",
  ].join("\n");
}

/** One command's help. */
export function commandHelp(name, command) {
  const args = [
    ...(command.args ?? []).map((a) => `<${a}>`),
    ...(command.optionalArgs ?? []).map((a) => `[<${a}>]`),
  ].join(" ");
  const lines = [
    `instaclustr-pg ${name}: ${command.summary}`,
    "",
    `Usage: instaclustr-pg ${name}${args ? ` ${args}` : ""} [options]`,
  ];
  if (command.args?.some((a) => a.includes("name")))
    lines.push("", "A cluster is given by its ID (UUID) or by its name (looked up in the account cluster list).");
  if (command.options) lines.push("", "Options:", ...optionLines(command.options));
  lines.push("", "Global options:", ...optionLines(GLOBAL_OPTIONS), "", EXIT_HELP);
  return lines.join("\n");
}
