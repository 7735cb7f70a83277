// Type-check of the public .d.ts (`tsc -p tests/types`): every export used with its declared
// types; `@ts-expect-error` lines prove the types refuse what the runtime refuses.
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
  HttpRequest,
  PostgresqlCluster,
  RequestOptions,
  Violation,
  ViolationCode,
} from "../../pkg/index.js";

const options: RequestOptions = { baseUrl: "http://127.0.0.1:8080", username: "alice", apiKey: "key" };

const cluster: PostgresqlCluster = {
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
const status: ClusterStatus | undefined = got.status;
const known: ClusterStatus = "SOMETHING_NEW"; // open enumeration
const updated: PostgresqlCluster | undefined = parseUpdateClusterResponse(202, new Uint8Array());
const nothing: void = parseDeleteClusterResponse(204, "");
const zip: Uint8Array = parseDownloadCertificateResponse(200, new Uint8Array([1]));
const start: number | undefined = parseListBackupsResponse(200, "{}").clusterDataCentres?.[0]?.nodes?.[0]?.events?.[0]?.start;
const restoredId: string | undefined = parseRestoreClusterResponse(202, "{}").restoredClusterId;
const versions: string[] | undefined = parseListVersionsResponse(200, "[]")[0]?.applicationVersions?.[0]?.versions;
const sizes: string[] | undefined = parseListCompatibleNodeSizesResponse(200, "[]")[0]?.cloudProviderNodeSizes?.[0]?.nodeSizes;
const ids: string[] = parseListClustersResponse(200, "[]").flatMap((a) => (a.clusters ?? []).map((c) => c.id));
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
  }
}

// @ts-expect-error: the options are an object
buildListVersionsRequest("https://api.instaclustr.com");
// @ts-expect-error: a cluster needs its required fields
buildCreateClusterRequest({ name: "x" });
// @ts-expect-error: numberOfNodes is a number, never a bigint
const nodes: bigint = cluster.dataCentres[0].numberOfNodes;
// @ts-expect-error: body is a string or bytes
parseGetClusterResponse(200, { not: "a body" });
// @ts-expect-error: the result is a plain array, not a Map
parseListVersionsResponse(200, "[]").get("x");

export {};
