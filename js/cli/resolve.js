// `<id|name>` arguments: a UUID is used as the cluster ID as is; anything else is a cluster name,
// looked up in the account cluster list (`listClusters` with `search: "name:<name>"`) and
// confirmed with `getCluster` (the list carries IDs only, and a search may match loosely).
import { ApiError } from "instaclustr-pg";

import { UsageError } from "./args.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cluster name that matches no cluster of the account (exit 1: the API was asked). */
export class NotFound extends Error {
  constructor(name) {
    super(`no cluster named ${JSON.stringify(name)} in the account`);
    this.name = "NotFound";
    this.code = "NOT_FOUND";
    this.clusterName = name;
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.message, clusterName: this.clusterName };
  }
}

export const isClusterId = (s) => UUID.test(s);

/**
 * The live clusters (not DELETED) named exactly `name`, as `getCluster` returns them.
 * A cluster that disappears between the list and the get is skipped.
 */
export async function clustersNamed(ctx, name) {
  const client = ctx.client();
  const list = await client.listClusters(ctx.call({ search: `name:${name}` }));
  const found = [];
  for (const { id } of list) {
    try {
      const c = await client.getCluster(id, ctx.call());
      if (c.name === name && c.status !== "DELETED") found.push(c);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }
  return found;
}

/** The cluster ID of an `<id|name>` argument (one lookup for a name). */
export async function resolveId(ctx, ref) {
  if (isClusterId(ref)) return ref;
  const found = await clustersNamed(ctx, ref);
  if (found.length === 0) throw new NotFound(ref);
  if (found.length > 1)
    throw new UsageError(
      `${found.length} clusters are named ${JSON.stringify(ref)}: use an ID (${found.map((c) => c.id).join(", ")})`,
    );
  return found[0].id;
}
