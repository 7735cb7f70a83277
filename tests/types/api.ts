// Type-check of the public .d.ts (`tsc -p tests/types`, strict with exactOptionalPropertyTypes and
// noUncheckedIndexedAccess): every export used with its declared types; `@ts-expect-error` lines
// prove the types refuse what the runtime refuses, and what it never returns.
import {
  ApiError,
  DecodeError,
  InstaclustrError,
  ValidationError,
  buildCreateClusterRequest,
  buildDownloadCertificateRequest,
  buildGetClusterRequest,
  buildListClustersRequest,
  buildListCompatibleNodeSizesRequest,
  buildListCompatibleVersionsRequest,
  buildListVersionsRequest,
  buildRestoreClusterRequest,
  buildUpdateClusterRequest,
  parseDeleteClusterResponse,
  parseDownloadCertificateResponse,
  parseGetClusterResponse,
  parseListBackupsResponse,
  parseListClustersResponse,
  parseListCompatibleNodeSizesResponse,
  parseListVersionsResponse,
  parsePointInTime,
  parseRestoreClusterResponse,
  parseUpdateClusterResponse,
  validateCreateCluster,
  validateRestoreCluster,
  validateUpdateCluster,
} from "../../pkg/index.js";
import type {
  ClusterStatus,
  CloudProvider,
  HttpRequest,
  PostgresqlCluster,
  PostgresqlClusterInput,
  PostgresqlDataCentreInput,
  RequestOptions,
  RestoreClusterInput,
  SlaTier,
  Violation,
  ViolationCode,
} from "../../pkg/index.js";

const options: RequestOptions = { baseUrl: "http://127.0.0.1:8080", username: "alice", apiKey: "key" };
// every option takes undefined, as the runtime does (exactOptionalPropertyTypes)
const fromForm: string | undefined = undefined;
const loose: RequestOptions = { baseUrl: fromForm, username: fromForm, apiKey: fromForm };

const cluster: PostgresqlClusterInput = {
  name: "my-cluster",
  postgresqlVersion: "16.2.0",
  privateNetworkCluster: false,
  slaTier: "NON_PRODUCTION",
  synchronousModeStrict: false,
  dataCentres: [
    {
      name: "dc_1",
      cloudProvider: "AWS_VPC",
      region: "US_EAST_1",
      network: "10.1.0.0/16",
      nodeSize: "PGS-DEV-t4g.small-5",
      numberOfNodes: 2,
      clientToClusterEncryption: true,
      intraDataCentreReplication: [{ replicationMode: "SYNCHRONOUS" }],
    },
  ],
};

// an input's enumerations are closed: a typo does not compile
const typo: PostgresqlClusterInput = {
  ...cluster,
  // @ts-expect-error: not an SLA tier
  slaTier: "NON_PRODUCTON",
};
const dc: PostgresqlDataCentreInput = {
  name: "dc_1",
  // @ts-expect-error: not a cloud provider
  cloudProvider: "AWS",
  region: "US_EAST_1",
  network: "10.1.0.0/16",
  nodeSize: "PGS-DEV-t4g.small-5",
  numberOfNodes: 1,
  clientToClusterEncryption: true,
  // @ts-expect-error: not a replication mode
  intraDataCentreReplication: [{ replicationMode: "ASYNC" }],
  providerAccountName: fromForm, // optional fields take undefined
};
const tier: SlaTier = "PRODUCTION";
// @ts-expect-error: closed
const newTier: SlaTier = "ENTERPRISE";
// the read-only fields are not part of an input
// @ts-expect-error: no id in a create body
const withId: PostgresqlClusterInput = { ...cluster, id: "x" };
const restoreBody: RestoreClusterInput = { clusterId: "id", pointInTime: undefined, restoredClusterName: fromForm };
// @ts-expect-error: a restore's answer field is not part of its body
const restoreWithAnswer: RestoreClusterInput = { clusterId: "id", restoredClusterId: "x" };

const violations: Violation[] = validateCreateCluster(cluster);
const code: ViolationCode | undefined = violations[0]?.code;
validateUpdateCluster({ dataCentres: [] });
validateRestoreCluster("anything goes in");

const req: HttpRequest = buildCreateClusterRequest(cluster, options);
const method: "GET" | "POST" | "PUT" | "DELETE" = req.method;
const auth: string | undefined = req.headers["Authorization"];
const body: string | undefined = req.body;
buildGetClusterRequest("id");
buildUpdateClusterRequest("id", { dataCentres: cluster.dataCentres }, options);
buildRestoreClusterRequest({ clusterId: "id", pointInTime: new Date() });
buildRestoreClusterRequest({ clusterId: "id", pointInTime: "2024-01-01T00:00:00Z" });
buildListVersionsRequest();
buildListCompatibleVersionsRequest("16.2.0", options);
buildListCompatibleNodeSizesRequest({ pgbouncerRequired: true });
buildListClustersRequest({ search: "name:x" }, options);
buildDownloadCertificateRequest("id", options);

const got: PostgresqlCluster = parseGetClusterResponse(200, "{}");
// what the API always returns is there
const id: string = got.id;
const status: ClusterStatus = got.status;
const nodeIds: (string | undefined)[] = got.dataCentres.flatMap((d) => d.nodes.map((n) => n.id));
const dcId: string | undefined = got.dataCentres[0]?.id; // noUncheckedIndexedAccess: the list may be empty
const known: ClusterStatus = "SOMETHING_NEW"; // open enumeration
const answeredTier: SlaTier | (string & {}) = got.slaTier; // an answer's enumeration is open
const provider: CloudProvider | (string & {}) | undefined = got.dataCentres[0]?.cloudProvider;
// @ts-expect-error: an answer's tier may be one this version does not know
const closedTier: SlaTier = got.slaTier;
// @ts-expect-error: an answer is not a create body (its enumerations are open)
buildCreateClusterRequest(got);
// an update body may be the cluster's own data centre with a change
buildUpdateClusterRequest(got.id, { dataCentres: got.dataCentres.slice(0, 1).map((d) => ({ ...d, nodeSize: "PGS-DEV-t4g.medium-30" })) });
const updated: PostgresqlCluster | undefined = parseUpdateClusterResponse(202, new Uint8Array());
const nothing: void = parseDeleteClusterResponse(204, "");
const zip: Uint8Array = parseDownloadCertificateResponse(200, new Uint8Array([1]));
// the lists the check fills with [] are always there
const starts: (number | undefined)[] = parseListBackupsResponse(200, "{}").clusterDataCentres.flatMap((d) => d.nodes.flatMap((n) => n.events.map((e) => e.start)));
const restoredId: string = parseRestoreClusterResponse(202, "{}").restoredClusterId;
const versions: string[] | undefined = parseListVersionsResponse(200, "[]")[0]?.applicationVersions[0]?.versions;
const application: string | undefined = parseListVersionsResponse(200, "[]")[0]?.applicationVersions[0]?.application;
const sizes: string[] = parseListCompatibleNodeSizesResponse(200, "[]").flatMap((l) => l.cloudProviderNodeSizes.flatMap((p) => p.nodeSizes));
const ids: string[] = parseListClustersResponse(200, "[]").flatMap((a) => a.clusters.map((c) => c.id));
const ms: number = parsePointInTime(new Date());

try {
  buildGetClusterRequest("x");
} catch (e) {
  if (e instanceof ValidationError) {
    const paths: string[] = e.violations.map((v) => v.path);
    const c: "VALIDATION_ERROR" = e.code;
  } else if (e instanceof ApiError) {
    const s: number = e.status;
    const names: (string | undefined)[] = e.errors.map((x) => x.name);
  } else if (e instanceof DecodeError) {
    const m: string = e.message;
  }
  if (e instanceof InstaclustrError) {
    const asError: Error = e;
    const json: Record<string, unknown> = e.toJSON();
    // one union discriminated by code
    if (e.code === "API_ERROR") {
      const s: number = e.status;
    } else if (e.code === "VALIDATION_ERROR") {
      const v: Violation[] = e.violations;
    } else if (e.code === "CLIENT_FREED") {
      const op: string | undefined = e.operation;
    } else if (e.code === "NETWORK_ERROR" || e.code === "TIMEOUT_ERROR") {
      const unknown: boolean = e.outcomeUnknown;
    } else {
      // @ts-expect-error: no status on the other errors
      void e.status;
    }
    const cause: unknown = e.cause;
  }
}

// @ts-expect-error: the options are an object
buildListVersionsRequest("https://api.instaclustr.com");
// @ts-expect-error: a cluster needs its required fields
buildCreateClusterRequest({ name: "x" });
// @ts-expect-error: numberOfNodes is a number, never a bigint
const nodes: bigint = cluster.dataCentres[0]!.numberOfNodes;
// @ts-expect-error: body is a string or bytes
parseGetClusterResponse(200, { not: "a body" });
// @ts-expect-error: the result is a plain array, not a Map
parseListVersionsResponse(200, "[]").get("x");

export {};
