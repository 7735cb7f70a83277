// Human views of the API's answers (a cluster, backup events, a request of a dry run); --json
// prints the answers themselves.
import { renderTable } from "./table.js";

/** Every node of a cluster. */
export const nodesOf = (c) => (c.dataCentres ?? []).flatMap((dc) => dc.nodes ?? []);

/** A one-screen description of a cluster. */
export function clusterLines(cl, c) {
  const lines = [
    `${c.bold(cl.name ?? "")}  ${cl.id}`,
    `status       ${c.status(cl.status)}${cl.currentClusterOperationStatus && cl.currentClusterOperationStatus !== "NO_OPERATION" ? ` (${cl.currentClusterOperationStatus})` : ""}`,
    `version      PostgreSQL ${cl.postgresqlVersion ?? "?"}`,
    `sla tier     ${cl.slaTier ?? "?"}`,
  ];
  for (const dc of cl.dataCentres ?? []) {
    lines.push(
      `data centre  ${dc.name}: ${dc.cloudProvider} ${dc.region} ${dc.network}, ${dc.numberOfNodes} x ${dc.nodeSize}`,
    );
    const nodes = dc.nodes ?? [];
    if (nodes.length) {
      lines.push(
        ...renderTable(nodes, [
          { key: "id", title: "NODE" },
          { key: "status", title: "STATUS", format: (s) => c.status(s) },
          { key: "nodeRoles", title: "ROLE", format: (r) => (Array.isArray(r) ? r.join(",") : r) },
          { key: "privateAddress", title: "PRIVATE" },
          { key: "publicAddress", title: "PUBLIC" },
        ]).map((l) => `  ${l}`),
      );
    }
  }
  return lines;
}

/** The backup events as table rows and columns. */
export function backupTable(events, ctx) {
  const rows = (events.clusterDataCentres ?? []).flatMap((dc) =>
    (dc.nodes ?? []).flatMap((n) =>
      (n.events ?? []).map((e) => ({
        dataCentre: dc.name,
        node: n.id,
        type: e.type,
        state: e.state,
        progress: e.progress === undefined ? undefined : `${Math.round(e.progress * 100)} %`,
        start: e.start === undefined ? undefined : new Date(Number(e.start)).toISOString(),
      })),
    ),
  );
  return [
    rows,
    [
      { key: "dataCentre", title: "DATA CENTRE" },
      { key: "node", title: "NODE" },
      { key: "type", title: "TYPE" },
      { key: "state", title: "STATE", format: (s) => ctx.out.c.status(s) },
      { key: "progress", title: "PROGRESS" },
      { key: "start", title: "STARTED" },
    ],
  ];
}

/** The result of a --dry-run: the request as it would be sent (key masked). */
export function dryRunResult(ctx, req) {
  const shown = ctx.showRequest(req);
  return {
    data: { dryRun: true, request: shown },
    human: () => ["dry run: this request would be sent (nothing was sent):", "", ...ctx.requestLines(shown)],
  };
}
