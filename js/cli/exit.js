// Exit codes of the `instaclustr-pg` command (documented in `--help` and the README):
//   0   success
//   1   API or network failure (non-2xx answer, unreachable API, a waiter that saw FAILED, ...)
//   2   usage or validation error: nothing was sent
//   3   timed out waiting (--wait / wait --timeout)
//   4   outcome unknown: a change may have been made although the call failed (look it up)
//   130 interrupted (Ctrl-C): the request and any wait were aborted
export const EXIT = Object.freeze({
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  WAIT_TIMEOUT: 3,
  OUTCOME_UNKNOWN: 4,
  INTERRUPTED: 130,
});

export const EXIT_HELP = `Exit codes:
  0    success
  1    API or network failure
  2    usage or validation error (nothing was sent)
  3    timed out waiting
  4    outcome unknown (a change may have been made: look it up as printed)
  130  interrupted (Ctrl-C aborts the request and any wait)`;

/** A wait that ran past the command's --timeout (exit 3). */
export class WaitTimeout extends Error {
  constructor(message, props = {}) {
    super(message);
    this.name = "WaitTimeout";
    this.code = "WAIT_TIMEOUT";
    Object.assign(this, props);
  }

  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message };
    for (const k of Object.keys(this)) if (this[k] !== undefined) out[k] = this[k];
    return out;
  }
}

/**
 * The exit code of a failure. `interrupted`: whether Ctrl-C was pressed (an abort then is 130
 * whatever the error looks like).
 */
export function exitCodeOf(err, interrupted) {
  if (interrupted) return EXIT.INTERRUPTED;
  switch (err?.code) {
    case "USAGE_ERROR":
    case "VALIDATION_ERROR":
    case "PLAN_REFUSED":
      return EXIT.USAGE;
    case "WAIT_TIMEOUT":
      return EXIT.WAIT_TIMEOUT;
    case "ABORT_ERROR":
      return EXIT.INTERRUPTED;
    default:
      if (err?.outcomeUnknown === true) return EXIT.OUTCOME_UNKNOWN;
      return EXIT.FAILURE;
  }
}
