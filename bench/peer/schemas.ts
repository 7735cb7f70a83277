// zod schemas of the peer client: the same field rules as instaclustr-pg's validators (names,
// versions, counts, enums, ranges, private CIDR networks, cross-field rules), written the way a
// TypeScript developer would write them today. Types come from `schema.d.ts`, generated from
// spec/ by openapi-typescript.
import * as z from "zod";
import type { components } from "./schema";

type S = components["schemas"];

// ---- field rules -------------------------------------------------------------------------------

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

const clusterName = z.string().min(3).max(48).regex(NAME);
const version = z.string().regex(VERSION);

const CloudProvider = z.enum(["AWS_VPC", "GCP", "AZURE", "AZURE_AZ", "ONPREMISES"]);
const SlaTier = z.enum(["PRODUCTION", "NON_PRODUCTION"]);
const PoolMode = z.enum(["TRANSACTION", "SESSION", "STATEMENT"]);
const ReplicationMode = z.enum(["ASYNCHRONOUS", "SYNCHRONOUS"]);

/** `a.b.c.d/p` as [address as u32, prefix], or undefined. */
export function parseCidr(s: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const o = m.slice(1, 5).map(Number);
  const p = Number(m[5]);
  if (o.some((x) => x > 255) || p > 32) return undefined;
  return [((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0, p];
}

const inRange = (a: number, base: number, bits: number) => (a >>> (32 - bits)) === (base >>> (32 - bits));

const network = z.string().superRefine((s, ctx) => {
  const c = parseCidr(s);
  if (!c) {
    ctx.addIssue({ code: "custom", message: "must be an ipv4 cidr block such as 10.0.0.0/16", params: { code: "format" } });
    return;
  }
  const [a, p] = c;
  if (p < 12 || p > 22) {
    ctx.addIssue({ code: "custom", message: "prefix length must be from /12 to /22", params: { code: "range" } });
  }
  if (!(inRange(a, 0x0a000000, 8) || inRange(a, 0xac100000, 12) || inRange(a, 0xc0a80000, 16))) {
    ctx.addIssue({
      code: "custom",
      message: "must be in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
      params: { code: "range" },
    });
  }
  if (p > 0 && p < 32 && (a & (0xffffffff >>> p)) !== 0) {
    ctx.addIssue({ code: "custom", message: "host bits must be zero", params: { code: "format" } });
  }
});

const one = <T extends z.ZodType>(item: T) => z.array(item).max(1);

const DataCentreInput = z.object({
  name: z.string().min(1),
  cloudProvider: CloudProvider,
  region: z.string().min(1),
  network,
  nodeSize: z.string().min(1),
  numberOfNodes: z.number().int().min(1).max(5),
  clientToClusterEncryption: z.boolean(),
  providerAccountName: z.string().optional(),
  intraDataCentreReplication: z.array(z.object({ replicationMode: ReplicationMode })).length(1),
  interDataCentreReplication: one(z.object({ isPrimaryDataCentre: z.boolean() })).optional(),
  pgBouncer: one(z.object({ pgBouncerVersion: version, poolMode: PoolMode })).optional(),
  awsSettings: one(
    z.object({ ebsEncryptionKey: z.guid().optional(), customVirtualNetworkId: z.string().optional() }),
  ).optional(),
  gcpSettings: one(z.object({ customVirtualNetworkId: z.string().optional() })).optional(),
  azureSettings: one(z.object({ resourceGroup: z.string().optional() })).optional(),
  tags: z.array(z.object({ key: z.string().min(1), value: z.string() })).optional(),
});

const PROVIDER_SETTINGS = [
  ["awsSettings", ["AWS_VPC"]],
  ["gcpSettings", ["GCP"]],
  ["azureSettings", ["AZURE", "AZURE_AZ"]],
] as const;

/** A create-cluster body (`PostgresqlClusterV2` as sent), field and cross-field rules. */
export const CreateClusterInput = z
  .object({
    name: clusterName,
    postgresqlVersion: version,
    slaTier: SlaTier,
    privateNetworkCluster: z.boolean(),
    synchronousModeStrict: z.boolean(),
    description: z.string().optional(),
    dataCentres: z.array(DataCentreInput).min(1).max(2),
    twoFactorDelete: one(
      z.object({
        confirmationEmail: z.string().regex(EMAIL),
        confirmationPhoneNumber: z.string().regex(PHONE).optional(),
      }),
    ).optional(),
    resizeSettings: one(
      z.object({ notifySupportContacts: z.boolean().optional(), concurrency: z.number().int().min(1).optional() }),
    ).optional(),
  })
  .superRefine((c, ctx) => {
    const dcs = c.dataCentres;
    const names = new Set<string>();
    dcs.forEach((dc, i) => {
      if (names.has(dc.name)) {
        ctx.addIssue({ code: "custom", path: ["dataCentres", i, "name"], message: "data centre names must be unique", params: { code: "conflict" } });
      }
      names.add(dc.name);
      if (c.slaTier === "PRODUCTION" && dc.nodeSize.includes("-DEV-")) {
        ctx.addIssue({ code: "custom", path: ["dataCentres", i, "nodeSize"], message: "developer node sizes cannot be used with slaTier PRODUCTION", params: { code: "conflict" } });
      }
      for (const [key, providers] of PROVIDER_SETTINGS) {
        if (dc[key] && dc[key].length > 0 && !(providers as readonly string[]).includes(dc.cloudProvider)) {
          ctx.addIssue({ code: "custom", path: ["dataCentres", i, key], message: `only allowed with cloudProvider ${providers.join(" or ")}`, params: { code: "conflict" } });
        }
      }
    });
    if (dcs.length === 2) {
      const primaries = dcs.filter((dc) => dc.interDataCentreReplication?.[0]?.isPrimaryDataCentre === true).length;
      if (primaries !== 1) {
        ctx.addIssue({ code: "custom", path: ["dataCentres"], message: "exactly one data centre must have interDataCentreReplication[0].isPrimaryDataCentre = true", params: { code: "conflict" } });
      }
      const a = parseCidr(dcs[0].network);
      const b = parseCidr(dcs[1].network);
      if (a && b) {
        const p = Math.min(a[1], b[1]);
        if (p === 0 || a[0] >>> (32 - p) === b[0] >>> (32 - p)) {
          ctx.addIssue({ code: "custom", path: ["dataCentres", 1, "network"], message: "networks of the data centres must not overlap", params: { code: "conflict" } });
        }
      }
    }
  });

export type CreateClusterInput = z.infer<typeof CreateClusterInput>;

// the zod type must describe what the generated API type accepts
const _typesAgree: (x: CreateClusterInput) => S["PostgresqlClusterV2"] = (x) => x;
void _typesAgree;

// ---- responses: shapes and types, open enums (an unknown value from the server is kept) -----------

const open = <T extends [string, ...string[]]>(values: T) => z.union([z.enum(values), z.string()]);
const str = z.string().optional();
const num = z.number().optional();
const bool = z.boolean().optional();

const NodeDetails = z.object({
  id: str,
  rack: str,
  nodeSize: str,
  privateAddress: str,
  publicAddress: str,
  startTime: str,
  deletionTime: str,
  status: str,
  nodeRoles: z.array(z.string()).optional(),
});

const DataCentre = z.object({
  id: str,
  name: str,
  status: str,
  cloudProvider: open(["AWS_VPC", "GCP", "AZURE", "AZURE_AZ", "ONPREMISES"]).optional(),
  region: str,
  network: str,
  nodeSize: str,
  numberOfNodes: num,
  clientToClusterEncryption: bool,
  providerAccountName: str,
  intraDataCentreReplication: z.array(z.object({ replicationMode: open(["ASYNCHRONOUS", "SYNCHRONOUS"]).optional() })).optional(),
  interDataCentreReplication: z.array(z.object({ isPrimaryDataCentre: bool })).optional(),
  pgBouncer: z.array(z.object({ pgBouncerVersion: str, poolMode: open(["TRANSACTION", "SESSION", "STATEMENT"]).optional() })).optional(),
  awsSettings: z.array(z.object({ ebsEncryptionKey: str, customVirtualNetworkId: str })).nullish(),
  gcpSettings: z.array(z.object({ customVirtualNetworkId: str })).nullish(),
  azureSettings: z.array(z.object({ resourceGroup: str })).nullish(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
  nodes: z.array(NodeDetails).nullish(),
  deletedNodes: z.array(NodeDetails).nullish(),
});

/** A getCluster response (`PostgresqlClusterV2` as received). */
export const Cluster = z.object({
  id: str,
  name: str,
  status: open(["RUNNING", "PROVISIONING", "PROVISIONED", "GENESIS", "DELETED", "FAILED"]).optional(),
  currentClusterOperationStatus: open(["NO_OPERATION", "OPERATION_IN_PROGRESS", "OPERATION_FAILED"]).optional(),
  postgresqlVersion: str,
  slaTier: open(["PRODUCTION", "NON_PRODUCTION"]).optional(),
  privateNetworkCluster: bool,
  synchronousModeStrict: bool,
  pciComplianceMode: bool,
  description: str,
  defaultUserPassword: str,
  dataCentres: z.array(DataCentre).nullish(),
  twoFactorDelete: z.array(z.object({ confirmationEmail: str, confirmationPhoneNumber: str })).nullish(),
  resizeSettings: z.array(z.object({ notifySupportContacts: bool, concurrency: num })).nullish(),
});
export type Cluster = z.infer<typeof Cluster>;

const BackupEvent = z.object({
  start: num,
  end: z.number().nullish(),
  progress: num,
  state: open(["ACTIVE", "COMPLETED", "FAILED"]).optional(),
  type: str,
});

/** A listBackups response (`CommonClusterBackupEventsV2`). */
export const BackupEvents = z.object({
  id: str,
  name: str,
  clusterDataCentres: z
    .array(
      z.object({
        id: str,
        name: str,
        nodes: z.array(z.object({ id: str, privateAddress: str, publicAddress: str, events: z.array(BackupEvent).nullish() })).nullish(),
      }),
    )
    .nullish(),
});
export type BackupEvents = z.infer<typeof BackupEvents>;
