// What a command runs with: the client (built from the environment and flags through the
// package's `InstaclustrClient.fromEnv`), the output, the Ctrl-C `AbortSignal` passed to every
// call and wait, the request options of the request builders (for --dry-run), progress
// reporting and confirmation prompts.
import { createInterface } from "node:readline";
import { InstaclustrClient, WaiterError } from "instaclustr-pg";

import { UsageError, parseDuration } from "./args.js";
import { WaitTimeout } from "./exit.js";
import { maskSecrets, MASK } from "./plan.js";
import { createProgress } from "./progress.js";

export const DEFAULT_WAIT = "30m";

export class Context {
  constructor({ values, out, signal, env, stdin, stderr }) {
    this.values = values;
    this.out = out;
    this.signal = signal;
    this.env = env;
    this.stdin = stdin;
    this.stderr = stderr;
    this.requests = 0;
    this._client = undefined;
  }

  /** `{ username, apiKey, baseUrl }` from the flags, else the environment (the key is never printed). */
  credentials() {
    const pick = (flag, variable) => {
      const v = this.values[flag] ?? this.env[variable];
      return v === undefined || v === "" ? undefined : v;
    };
    return {
      username: pick("username", "INSTACLUSTR_USERNAME"),
      apiKey: pick("api-key", "INSTACLUSTR_API_KEY"),
      baseUrl: pick("base-url", "INSTACLUSTR_BASE_URL"),
    };
  }

  /** The options of the package's `build*Request` functions. */
  requestOptions() {
    const { username, apiKey, baseUrl } = this.credentials();
    return { username, apiKey, baseUrl };
  }

  /** The client, created on first use; missing credentials are a usage error (exit 2). */
  client() {
    if (this._client) return this._client;
    const { username, apiKey, baseUrl } = this.credentials();
    const problems = [];
    if (!username) problems.push("no user name: set INSTACLUSTR_USERNAME or pass --username");
    if (!apiKey) problems.push("no API key: set INSTACLUSTR_API_KEY or pass --api-key");
    if (problems.length) throw new UsageError(problems.join("; "), problems);
    const overrides = { username, apiKey };
    if (baseUrl) overrides.baseUrl = baseUrl;
    if (this.values.verbose) {
      // the hooks receive operation, method, URL, attempt, status and time: never headers or keys
      overrides.onRequest = (e) => this.out.log(`> ${e.method} ${e.url} (${e.operation}, attempt ${e.attempt})`);
      overrides.onResponse = (e) =>
        this.out.log(`< ${e.status ?? e.error} ${e.method} ${e.url} ${Math.round(e.elapsedMs)} ms`);
    }
    this._client = InstaclustrClient.fromEnv(overrides);
    return this._client;
  }

  /** Call options of every request: the Ctrl-C signal. */
  call(extra = {}) {
    return { signal: this.signal, ...extra };
  }

  /** A built request as printed by --dry-run: the Authorization header and secrets in the body masked. */
  showRequest(req) {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers ?? {}))
      headers[k] = k.toLowerCase() === "authorization" ? `${String(v).split(" ")[0]} ${MASK}` : v;
    const shown = { method: req.method, url: req.url, headers };
    if (req.body !== undefined) shown.body = maskSecrets(JSON.parse(req.body));
    return shown;
  }

  /** Human lines of a request shown by --dry-run. */
  requestLines(shown) {
    const lines = [`${shown.method} ${shown.url}`];
    for (const [k, v] of Object.entries(shown.headers)) lines.push(`${k}: ${v}`);
    if (shown.body !== undefined) lines.push("", JSON.stringify(shown.body, null, 2));
    return lines;
  }

  /** Options of a wait from the command's --timeout and --poll-interval. */
  waitOptions(label, extra = {}) {
    const maxWaitMs = parseDuration(this.values.timeout ?? DEFAULT_WAIT, "--timeout");
    const opts = { maxWaitMs, signal: this.signal, ...extra };
    if (this.values["poll-interval"] !== undefined) {
      const ms = parseDuration(this.values["poll-interval"], "--poll-interval");
      opts.minDelayMs = ms;
      opts.maxDelayMs = ms;
    }
    const progress = createProgress({ stderr: this.stderr, tty: Boolean(this.stderr.isTTY), c: this.out.ce, label });
    opts.onProgress = (p) => progress.update(p);
    return { opts, progress };
  }

  /** Runs one of the package's waiters; a wait that ran out of --timeout becomes `WaitTimeout` (exit 3). */
  async wait(kind, id, label, extra = {}) {
    const { opts, progress } = this.waitOptions(label, extra);
    const client = this.client();
    try {
      return kind === "backup" ? await client.waitForBackup(id, opts) : await client.waitForCluster(id, opts);
    } catch (e) {
      if (e instanceof WaiterError && (e.elapsedMs ?? 0) >= opts.maxWaitMs) {
        throw new WaitTimeout(`${label}: not done within ${this.values.timeout ?? DEFAULT_WAIT}`, {
          clusterId: id,
          lastStatus: e.lastStatus,
          elapsedMs: e.elapsedMs,
        });
      }
      throw e;
    } finally {
      progress.done();
    }
  }

  /** Reads one line from stdin after `question` (on stderr); undefined at end of input. Aborted by Ctrl-C. */
  ask(question) {
    return new Promise((resolve, reject) => {
      const rl = createInterface({
        input: this.stdin,
        output: this.stdin.isTTY ? this.stderr : undefined,
        terminal: Boolean(this.stdin.isTTY),
      });
      let answered = false;
      const finish = (v) => {
        if (answered) return;
        answered = true;
        this.signal.removeEventListener("abort", onAbort);
        rl.close();
        resolve(v);
      };
      const onAbort = () => {
        answered = true;
        rl.close();
        reject(Object.assign(new Error("interrupted"), { code: "ABORT_ERROR" }));
      };
      this.signal.addEventListener("abort", onAbort, { once: true });
      if (!this.stdin.isTTY) this.stderr.write(question);
      rl.question(question, (line) => finish(line.trim()));
      rl.once("close", () => finish(undefined));
    });
  }

  /** Asks for `expected` to be typed; anything else is a usage error (exit 2, nothing sent). */
  async confirm(question, expected, flag = "--yes") {
    const answer = await this.ask(question);
    if (answer !== expected) {
      throw new UsageError(
        `not confirmed (${answer === undefined ? "no input" : "the answer did not match"}); nothing was sent: type ${JSON.stringify(expected)} or pass ${flag}`,
      );
    }
  }
}
