// Connecting to a cluster: `connect` opens `psql` on the primary (TLS verify-full with the
// cluster's CA; the default user's password handed over in the environment, never printed, as
// `heroku pg:psql` and `fly postgres connect` do); `connection-string` prints the libpq URL with
// the password masked unless `--reveal-password` (the explicit opt-in of `terraform output -raw`
// and `gh auth token`, for scripts). The CA is written to a private temporary folder, removed when
// psql exits.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { resolveId } from "./resolve.js";
import { nodesOf } from "./views.js";

const USER = "icpostgresql";

/** The primary's address: the first node of the primary data centre (the first data centre). */
function primaryHost(cluster) {
  const dcs = cluster.dataCentres ?? [];
  const primary = dcs.find((dc) => (dc.interDataCentreReplication ?? []).some((r) => r.isPrimaryDataCentre)) ?? dcs[0];
  const node = nodesOf({ dataCentres: primary ? [primary] : [] })[0];
  return node?.publicAddress ?? node?.privateAddress;
}

/** A failure of `connect` itself (exit 1). */
class ConnectError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "ConnectError";
    this.code = code;
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export const CONNECT_COMMANDS = {
  connect: {
    summary:
      "open psql on the cluster's primary (TLS with its CA; the password passed in the environment, never printed)",
    args: ["id|name"],
    options: {
      dbname: { type: "string", value: "DB", help: "database (default postgres)" },
      psql: { type: "string", value: "PATH", help: "the psql to run (default: psql on PATH)" },
    },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const client = ctx.client();
      const cluster = await client.getCluster(id, ctx.call());
      const host = primaryHost(cluster);
      if (!host)
        throw new ConnectError(`${cluster.name} has no node address yet (status ${cluster.status})`, "NOT_READY");
      const cert = await client.downloadCertificate(id, ctx.call());
      const dir = mkdtempSync(join(tmpdir(), "instaclustr-pg-connect-"));
      const ca = join(dir, "ca.pem");
      writeFileSync(ca, cert.pem, { mode: 0o600 });
      const conn = `host=${host} port=5432 user=${USER} dbname=${v.dbname ?? "postgres"} sslmode=verify-full sslrootcert=${ca}`;
      const program = v.psql ?? "psql";
      ctx.out.note(`connecting to ${cluster.name} (${host}) as ${USER}`);
      try {
        const code = await new Promise((resolve, reject) => {
          const child = spawn(program, [conn], {
            stdio: "inherit",
            // the password only in the child's environment: not an argument, not printed
            env: { ...process.env, PGPASSWORD: cluster.defaultUserPassword ?? "", PGSSLMODE: "verify-full" },
          });
          child.on("error", (e) =>
            reject(
              e.code === "ENOENT"
                ? new ConnectError(
                    `${program} was not found: install the PostgreSQL client (e.g. apt-get install postgresql-client, brew install libpq), or pass --psql PATH; for another client, instaclustr-pg connection-string ${ref} --reveal-password`,
                    "PSQL_NOT_FOUND",
                  )
                : e,
            ),
          );
          child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
        });
        if (code !== 0) throw new ConnectError(`psql exited with status ${code}`, "PSQL_FAILED");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return { data: { id, host, user: USER, connected: true }, human: () => [] };
    },
  },
  "connection-string": {
    summary: "the libpq connection URL of the primary (the password masked unless --reveal-password)",
    args: ["id|name"],
    options: {
      "reveal-password": {
        type: "boolean",
        help: "print the default user's password in it (for scripts; it then shows in your terminal and logs)",
      },
      dbname: { type: "string", value: "DB", help: "database (default postgres)" },
    },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const cluster = await ctx.client().getCluster(id, ctx.call());
      const host = primaryHost(cluster);
      if (!host)
        throw new ConnectError(`${cluster.name} has no node address yet (status ${cluster.status})`, "NOT_READY");
      const password = v["reveal-password"] ? encodeURIComponent(cluster.defaultUserPassword ?? "") : "***";
      const url = `postgresql://${USER}:${password}@${host}:5432/${encodeURIComponent(v.dbname ?? "postgres")}?sslmode=verify-full&sslrootcert=ca.pem`;
      // revealed on request only: the result is not masked then (main.js masks every other result)
      return { data: { id, url }, human: () => [url], reveal: Boolean(v["reveal-password"]) };
    },
  },
};
