// The peer client: what a TypeScript developer would write for this API today. Types generated
// from spec/ by openapi-typescript, calls made with openapi-fetch, inputs and responses checked
// with zod. It offers the same functions as instaclustr-pg, so the benchmark can call both the
// same way.
import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { BackupEvents, Cluster, CreateClusterInput } from "./schemas";

export { parseCidr } from "./schemas";

/** One problem with an input, as instaclustr-pg reports it. */
export interface Violation {
  path: string;
  code: string;
  message: string;
}

export interface RequestOptions {
  baseUrl?: string;
  username?: string;
  apiKey?: string;
}

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export class ValidationError extends Error {
  readonly code = "VALIDATION";
  constructor(readonly violations: Violation[]) {
    super(`invalid input: ${violations.map((v) => `${v.path}: ${v.message}`).join("; ")}`);
    this.name = "ValidationError";
  }
}

export class ApiError extends Error {
  readonly code = "API";
  constructor(readonly status: number, readonly errors: unknown) {
    super(`the api answered ${status}`);
    this.name = "ApiError";
  }
}

export class DecodeError extends Error {
  readonly code = "DECODE";
  constructor(message: string, readonly violations: Violation[] = []) {
    super(message);
    this.name = "DecodeError";
  }
}

const DEFAULT_BASE_URL = "https://api.instaclustr.com";
const CLUSTER_PATH = "/cluster-management/v2/resources/applications/postgresql/clusters/v2/";

function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  origin?: string;
  params?: { code?: string };
}

function codeOf(i: Issue): string {
  switch (i.code) {
    case "invalid_type":
      return "type";
    case "too_small":
    case "too_big":
      return i.origin === "array" ? "count" : i.origin === "string" ? "length" : "range";
    case "invalid_format":
      return "pattern";
    case "invalid_value":
      return "enum";
    case "custom":
      return i.params?.code ?? "format";
    default:
      return i.code;
  }
}

const toViolations = (issues: readonly Issue[]): Violation[] =>
  issues.map((i) => ({ path: jsonPath(i.path), code: codeOf(i), message: i.message }));

/** Every violation of a create-cluster body (empty when valid). */
export function validateCreateCluster(body: unknown): Violation[] {
  const r = CreateClusterInput.safeParse(body);
  return r.success ? [] : toViolations(r.error.issues as unknown as Issue[]);
}

function baseOf(o: RequestOptions): string {
  const base = (o.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const u = new URL(base);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname))) {
    throw new ValidationError([{ path: "baseUrl", code: "format", message: "must be https, or http on a loopback host" }]);
  }
  return base;
}

function headersOf(o: RequestOptions, body: boolean): Record<string, string> {
  const h: Record<string, string> = { Accept: "application/json" };
  if (body) h["Content-Type"] = "application/json";
  if (o.username !== undefined && o.apiKey !== undefined) h.Authorization = `Basic ${btoa(`${o.username}:${o.apiKey}`)}`;
  return h;
}

/** The create-cluster request (nothing sent); throws ValidationError on an invalid body. */
export function buildCreateClusterRequest(body: unknown, o: RequestOptions = {}): HttpRequest {
  const r = CreateClusterInput.safeParse(body);
  if (!r.success) throw new ValidationError(toViolations(r.error.issues as unknown as Issue[]));
  return { method: "POST", url: baseOf(o) + CLUSTER_PATH, headers: headersOf(o, true), body: JSON.stringify(r.data) };
}

function text(body: string | Uint8Array): string {
  return typeof body === "string" ? body : new TextDecoder().decode(body);
}

function parseWith<T>(schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } }, status: number, body: string | Uint8Array): T {
  const t = text(body);
  if (status < 200 || status > 299) {
    let errors: unknown = t;
    try {
      errors = (JSON.parse(t) as { errors?: unknown }).errors ?? t;
    } catch {
      // not json: keep the text
    }
    throw new ApiError(status, errors);
  }
  let json: unknown;
  try {
    json = JSON.parse(t);
  } catch (e) {
    throw new DecodeError(`the body is not json: ${(e as Error).message}`);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new DecodeError("the body does not match the schema", toViolations(r.error.issues as Issue[]));
  return r.data;
}

/** The cluster of a getCluster response. */
export const parseGetClusterResponse = (status: number, body: string | Uint8Array): Cluster => parseWith(Cluster, status, body);

/** The backup events of a listBackups response. */
export const parseListBackupsResponse = (status: number, body: string | Uint8Array): BackupEvents =>
  parseWith(BackupEvents, status, body);

export interface ClientOptions extends RequestOptions {
  fetch?: typeof globalThis.fetch;
}

export interface WaitOptions {
  /** Fixed delay between polls (the usual hand-written loop). Default 5,000 ms. */
  intervalMs?: number;
  maxWaitMs?: number;
  onProgress?: (c: Cluster) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client: openapi-fetch for the calls, zod for the responses. */
export class PeerClient {
  private readonly api;

  constructor(o: ClientOptions) {
    this.api = createClient<paths>({
      baseUrl: baseOf(o),
      headers: headersOf(o, false),
      fetch: o.fetch,
    });
  }

  async getCluster(clusterId: string): Promise<Cluster> {
    const { data, error, response } = await this.api.GET(
      "/cluster-management/v2/resources/applications/postgresql/clusters/v2/{clusterId}/",
      { params: { path: { clusterId } } },
    );
    if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    const r = Cluster.safeParse(data);
    if (!r.success) throw new DecodeError("the body does not match the schema", toViolations(r.error.issues as Issue[]));
    return r.data;
  }

  /** Polls getCluster at a fixed interval until RUNNING with no operation in progress. */
  async waitForCluster(clusterId: string, o: WaitOptions = {}): Promise<Cluster> {
    const interval = o.intervalMs ?? 5_000;
    const deadline = Date.now() + (o.maxWaitMs ?? 30 * 60_000);
    for (;;) {
      const c = await this.getCluster(clusterId);
      o.onProgress?.(c);
      if (c.currentClusterOperationStatus === "OPERATION_FAILED") throw new Error(`cluster ${clusterId} failed`);
      if (c.status === "RUNNING" && c.currentClusterOperationStatus === "NO_OPERATION") return c;
      if (Date.now() + interval > deadline) throw new Error(`cluster ${clusterId} not running in time`);
      await sleep(interval);
    }
  }
}
