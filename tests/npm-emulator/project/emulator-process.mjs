// Shared by the CLI tests of the scratch projects (tests/npm-emulator/project, and
// tests/npm-emulator-pglite/project, whose run script copies this file): `instaclustr-pg emulator`
// as a process of its own.
import { spawn } from "node:child_process";
import path from "node:path";

const BIN = path.resolve("node_modules/.bin/instaclustr-pg");

/**
 * Starts `npx instaclustr-pg emulator ...args` (`npx: false`: the installed bin itself); `{ url,
 * lines, stderr, stop() }` once it listens (it has printed its start-up lines, up to `speed:`), or
 * a rejection after `timeoutMs`. `stop` sends SIGTERM to its process group.
 */
export function startEmulator(args, { npx = true, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    // its own process group: SIGTERM reaches npx and the server under it
    const [cmd, pre] = npx ? ["npx", ["instaclustr-pg"]] : [BIN, []];
    const proc = spawn(cmd, [...pre, "emulator", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      process.kill(-proc.pid, "SIGKILL");
      reject(new Error(`no url printed: ${out} ${err}`));
    }, timeoutMs);
    proc.stderr.on("data", (d) => (err += d));
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`emulator exited (${code}): ${err}`), { code, stderr: err }));
    });
    proc.stdout.on("data", (d) => {
      out += d;
      if (!out.includes("\nspeed:") || !out.endsWith("\n")) return;
      clearTimeout(timer);
      proc.removeAllListeners("exit");
      const lines = out.split("\n");
      const m = lines[0].match(/^listening on (http:\/\/127\.0\.0\.1:(\d+))$/);
      if (!m) return reject(new Error(`first line: ${lines[0]}`));
      resolve({
        url: m[1],
        lines,
        stderr: () => err,
        stop: () =>
          new Promise((done) => {
            proc.once("exit", (code, signal) => done({ code, signal }));
            process.kill(-proc.pid, "SIGTERM");
          }),
      });
    });
  });
}
