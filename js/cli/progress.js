// Progress of a wait on stderr: on a terminal one line redrawn in place, a bar with the overall
// progress, the cluster state and every node's state; otherwise (a pipe, a log file, CI) plain
// timestamped lines, one per change. stdout is never touched, so --json output stays one document.

const BAR = 24;

/**
 * A reporter for the waiters' `onProgress` (`WaitProgress` of the package). `label`: what is
 * awaited ("provisioning orders-db"). `tty`: whether stderr is a terminal; `c`: palette of stderr.
 */
export function createProgress({ stderr, tty, c, label, now = () => new Date() }) {
  let last = "";
  let drawn = false;

  function nodeStates(p) {
    return (p.nodes ?? []).map((n, i) => `${n.id ? n.id.slice(0, 8) : `node${i + 1}`} ${c.status(n.status ?? "?")}`);
  }

  function bar(fraction) {
    const f = Math.max(0, Math.min(1, Number(fraction) || 0));
    const full = Math.round(f * BAR);
    return `[${c.green("#".repeat(full))}${c.dim("-".repeat(BAR - full))}] ${String(Math.round(f * 100)).padStart(3)} %`;
  }

  function state(p) {
    const op =
      p.currentClusterOperationStatus && p.currentClusterOperationStatus !== "NO_OPERATION"
        ? ` / ${p.currentClusterOperationStatus}`
        : "";
    return p.status ? `${c.status(p.status)}${op}` : op.replace(/^ \/ /, "");
  }

  return {
    /** One observation of the waiter. */
    update(p) {
      if (tty) {
        const secs = Math.round((p.elapsedMs ?? 0) / 1000);
        const nodes = nodeStates(p);
        let line = `${label} ${bar(p.progress)} ${state(p)}  ${nodes.join(", ")}  ${secs}s`;
        const cols = stderr.columns || 120;
        // eslint-disable-next-line no-control-regex -- the ANSI colour sequences' escape byte
        if (line.replace(/\x1b\[[0-9;]*m/g, "").length > cols && nodes.length) {
          const counts = {};
          for (const n of p.nodes) counts[n.status ?? "?"] = (counts[n.status ?? "?"] ?? 0) + 1;
          line = `${label} ${bar(p.progress)} ${state(p)}  nodes ${Object.entries(counts)
            .map(([s, k]) => `${k}x${c.status(s)}`)
            .join(" ")}  ${secs}s`;
        }
        stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      const nodes = (p.nodes ?? [])
        .map((n, i) => `${n.id ? n.id.slice(0, 8) : `node${i + 1}`}=${n.status ?? "?"}`)
        .join(" ");
      const text = [
        `${label}:`,
        p.status,
        p.currentClusterOperationStatus,
        `${Math.round((Number(p.progress) || 0) * 100)}%`,
        nodes && `nodes ${nodes}`,
      ]
        .filter(Boolean)
        .join(" ");
      if (text === last) return;
      last = text;
      stderr.write(`${now().toISOString()} ${text}\n`);
    },
    /** Ends the redrawn line (terminal) so later output starts on a fresh line. */
    done() {
      if (tty && drawn) stderr.write("\n");
      drawn = false;
    },
  };
}
