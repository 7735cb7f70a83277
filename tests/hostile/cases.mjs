// The hostile-response corpus, shared by the Node runner and the browser page:
// this file is plain ES (no Node import) so Chromium loads it as it is. Each kind says what the
// server answers (`answer`: status, headers, body; or `special`, produced by server.mjs) and what
// the client must give: a typed error (`code`, optionally `status`) or a value accepted by `value`.
// After every kind, a normal call on the same module must still work (module alive).

export const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
export const USERNAME = "hostile";
export const API_KEY = "hostile-api-key-0xBADC0DE";
export const BIG = 50 * 1024 * 1024; // the 50 MB body
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function goodCluster() {
  return {
    id: ID, name: "my-cluster", postgresqlVersion: "16.2.0", privateNetworkCluster: false,
    slaTier: "NON_PRODUCTION", synchronousModeStrict: false, status: "RUNNING",
    currentClusterOperationStatus: "NO_OPERATION", description: "hostile corpus", pciComplianceMode: false,
    twoFactorDelete: [{ confirmationEmail: "ops@example.com" }],
    dataCentres: [{
      id: "a8c32b20-c8f0-11e7-abc4-cec278b6b50a", name: "dc_1", cloudProvider: "AWS_VPC", region: "US_EAST_1",
      network: "10.1.0.0/16", nodeSize: "PGS-DEV-t4g.small-5", numberOfNodes: 2, clientToClusterEncryption: true,
      status: "RUNNING", intraDataCentreReplication: [{ replicationMode: "SYNCHRONOUS" }],
      interDataCentreReplication: [{ isPrimaryDataCentre: true }], tags: [{ key: "team", value: "db" }],
      nodes: [{
        id: "9a27373a-0451-4121-94ba-873fc441f313", nodeSize: "PGS-DEV-t4g.small-5", status: "RUNNING",
        rack: "us-east-1a", privateAddress: "10.1.0.5", publicAddress: "52.0.5.140", nodeRoles: ["PRIMARY"],
        startTime: "2019-08-24T14:15:22Z",
      }],
    }],
  };
}

const JSON_HEADERS = { "content-type": "application/json" };
const json = (status, value) => ({ status, headers: JSON_HEADERS, body: typeof value === "string" ? value : JSON.stringify(value) });
const text = (s) => new TextEncoder().encode(s);
const createBody = () => {
  const c = goodCluster();
  for (const k of ["id", "status", "currentClusterOperationStatus", "pciComplianceMode"]) delete c[k];
  const dc = c.dataCentres[0];
  for (const k of ["id", "status", "nodes"]) delete dc[k];
  return c;
};

// every position of the good cluster (paths to each value), in a fixed order
export function positions(v = goodCluster(), here = []) {
  const out = [];
  const walk = (x, p) => {
    if (p.length) out.push(p);
    if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...p, i]));
    else if (x && typeof x === "object") for (const k of Object.keys(x)) walk(x[k], [...p, k]);
  };
  walk(v, here);
  return out;
}

/** A value of another JSON type than `v`. */
export function wrongType(v) {
  if (typeof v === "string") return 12345;
  if (typeof v === "number") return "12";
  if (typeof v === "boolean") return "true";
  if (Array.isArray(v)) return { not: "an array" };
  if (v && typeof v === "object") return ["not", "an", "object"];
  return {};
}

export function withValueAt(path, f) {
  const c = goodCluster();
  let at = c;
  for (const seg of path.slice(0, -1)) at = at[seg];
  const last = path[path.length - 1];
  at[last] = f(at[last]);
  return c;
}

const pathText = (p) => p.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("").replace(/^\./, "");

const isObject = (v) => v !== null && typeof v === "object";
const clusterValue = (v) => (isObject(v) && v.id === ID ? null : `not the cluster: ${JSON.stringify(v)?.slice(0, 120)}`);

/**
 * The kinds. Fields: name, what, call (default getCluster), answer | special, expect
 * ({ code, status? } | { codes: [...] } | { value(v) -> null | problem }), client (extra options),
 * maxMs (time bound, default 10 s), server(stats) -> null | problem (Node side, after the kind).
 */
export const KINDS = [
  { name: "truncated-json", what: "200 with a cluster cut in half",
    answer: { ...json(200, JSON.stringify(goodCluster()).slice(0, 180)) }, expect: { code: "DECODE_ERROR" } },
  { name: "html-200", what: "HTML error page with 200",
    answer: { status: 200, headers: { "content-type": "text/html" }, body: "<!doctype html><html><body><h1>Oops</h1></body></html>" },
    expect: { code: "DECODE_ERROR" } },
  { name: "html-502", what: "HTML error page with 502 (retried, then the API error)",
    answer: { status: 502, headers: { "content-type": "text/html" }, body: "<html><body>502 Bad Gateway</body></html>" },
    expect: { code: "API_ERROR", status: 502 } },
  { name: "empty-200", what: "empty body with 200",
    answer: { status: 200, headers: JSON_HEADERS, body: "" }, expect: { code: "DECODE_ERROR" } },
  { name: "whitespace-200", what: "only whitespace with 200",
    answer: { status: 200, headers: JSON_HEADERS, body: " \r\n\t " }, expect: { code: "DECODE_ERROR" } },
  { name: "null-body", what: "null where the cluster object is expected",
    answer: json(200, "null"), expect: { code: "DECODE_ERROR" } },
  { name: "null-data-centre", what: "null where a data centre object is expected",
    answer: json(200, { ...goodCluster(), dataCentres: [null] }), expect: { code: "DECODE_ERROR" } },
  { name: "null-lists", what: "null for the lists the server may send as null (nodes, tags)",
    answer: json(200, withValueAt(["dataCentres", 0, "nodes"], () => null)), expect: { value: clusterValue } },
  { name: "array-for-object", what: "a list where the cluster object is expected",
    answer: json(200, [goodCluster()]), expect: { code: "DECODE_ERROR" } },
  { name: "string-body", what: "a JSON string where an object is expected",
    answer: json(200, '"RUNNING"'), expect: { code: "DECODE_ERROR" } },
  { name: "create-202-garbage", what: "create answered 202 with garbage", call: (c) => c.createCluster(createBody()),
    answer: { status: 202, headers: JSON_HEADERS, body: "accepted!!1 {id:" }, expect: { code: "DECODE_ERROR" } },
  { name: "backup-202-garbage", what: "trigger backup answered 202 with garbage (body ignored: a value)",
    call: (c) => c.triggerBackup(ID), answer: { status: 202, headers: JSON_HEADERS, body: "\u0000\u0001garbage" },
    expect: { value: (v) => (v === undefined ? null : `resolved to ${v}`) } },
  { name: "invalid-utf8", what: "invalid UTF-8 inside a JSON string",
    answer: { status: 200, headers: JSON_HEADERS, body: [...text('{"id":"'), 0xff, 0xfe, 0xc3, ...text('","name":"x"}')] },
    expect: { code: "DECODE_ERROR" } },
  { name: "bom-prefix", what: "a UTF-8 byte-order mark before the JSON",
    answer: { status: 200, headers: JSON_HEADERS, body: [0xef, 0xbb, 0xbf, ...text(JSON.stringify(goodCluster()))] },
    expect: { code: "DECODE_ERROR" } },
  { name: "trailing-garbage", what: "a valid cluster followed by garbage",
    answer: json(200, `${JSON.stringify(goodCluster())} }{ trailing`), expect: { code: "DECODE_ERROR" } },
  { name: "body-50mb-declared", what: "a 50 MB body with Content-Length: refused at the headers",
    special: "big-declared", expect: { code: "DECODE_ERROR" },
    server: (s) => (s.written < BIG ? null : `the whole ${s.written} bytes were sent`) },
  { name: "body-50mb-chunked", what: "a 50 MB chunked body (no length): refused at the limit, stream cancelled",
    special: "big-chunked", expect: { code: "DECODE_ERROR" }, maxMs: 20_000,
    server: (s) => (s.written < BIG * 0.8 ? null : `the client read ${s.written} of ${BIG} bytes`) },
  { name: "body-over-configured-limit", what: "a 5 KB answer with maxResponseBytes 1000",
    client: { maxResponseBytes: 1000 }, answer: json(200, { ...goodCluster(), description: "d".repeat(5000) }),
    expect: { code: "DECODE_ERROR" } },
  { name: "deep-nesting", what: "100 000 levels of nested arrays",
    answer: json(200, "[".repeat(100_000) + "]".repeat(100_000)), expect: { code: "DECODE_ERROR" } },
  { name: "deep-nesting-objects", what: "100 000 levels of nested objects under a field",
    answer: json(200, '{"dataCentres":' + '{"a":'.repeat(100_000) + "1" + "}".repeat(100_001)), expect: { code: "DECODE_ERROR" } },
  { name: "deep-nesting-error-body", what: "deep nesting in a 500 error body (retried, then the API error)",
    answer: json(500, '{"errors":' + "[".repeat(50_000)), expect: { code: "API_ERROR", status: 500 } },
  { name: "duplicate-keys", what: "duplicate keys in the cluster object",
    answer: json(200, JSON.stringify(goodCluster()).replace('"name":"my-cluster"', '"name":"my-cluster","name":"other"')),
    expect: { code: "DECODE_ERROR" } },
  { name: "number-out-of-range", what: "numberOfNodes 1e400",
    answer: json(200, JSON.stringify(goodCluster()).replace('"numberOfNodes":2', '"numberOfNodes":1e400')),
    expect: { code: "DECODE_ERROR" } },
  { name: "number-too-large-int", what: "numberOfNodes 2^64",
    answer: json(200, JSON.stringify(goodCluster()).replace('"numberOfNodes":2', '"numberOfNodes":18446744073709551616')),
    expect: { code: "DECODE_ERROR" } },
  { name: "number-fraction", what: "numberOfNodes 2.5",
    answer: json(200, JSON.stringify(goodCluster()).replace('"numberOfNodes":2', '"numberOfNodes":2.5')),
    expect: { code: "DECODE_ERROR" } },
  { name: "nan-literal", what: "NaN and Infinity literals (not JSON)",
    answer: json(200, JSON.stringify(goodCluster()).replace('"numberOfNodes":2', '"numberOfNodes":NaN')),
    expect: { code: "DECODE_ERROR" } },
  { name: "unknown-enums", what: "unknown enum values everywhere: parsed, values kept",
    answer: json(200, (() => {
      const c = goodCluster();
      Object.assign(c, { status: "HIBERNATING", currentClusterOperationStatus: "TELEPORTING", slaTier: "GOLD" });
      Object.assign(c.dataCentres[0], { cloudProvider: "MARS_CLOUD", region: "OLYMPUS_MONS", status: "MOVING" });
      c.dataCentres[0].nodes[0].status = "DREAMING";
      c.dataCentres[0].intraDataCentreReplication[0].replicationMode = "TELEPATHIC";
      return c;
    })()),
    expect: { value: (v) => {
      const dc = v?.dataCentres?.[0];
      const got = [v?.status, v?.currentClusterOperationStatus, v?.slaTier, dc?.cloudProvider, dc?.region, dc?.status,
        dc?.nodes?.[0]?.status, dc?.intraDataCentreReplication?.[0]?.replicationMode];
      const want = ["HIBERNATING", "TELEPORTING", "GOLD", "MARS_CLOUD", "OLYMPUS_MONS", "MOVING", "DREAMING", "TELEPATHIC"];
      return JSON.stringify(got) === JSON.stringify(want) ? null : `kept ${JSON.stringify(got)}`;
    } } },
  { name: "unknown-fields", what: "unknown fields at every level: ignored",
    answer: json(200, (() => {
      const c = goodCluster();
      c.futureField = { deep: [1, 2, 3] };
      c.dataCentres[0].futureField = "x";
      c.dataCentres[0].nodes[0].futureField = null;
      return c;
    })()),
    expect: { value: clusterValue } },
  { name: "huge-string", what: "a 4 MB description (under the limit): a value",
    answer: json(200, { ...goodCluster(), description: "x".repeat(4 * 1024 * 1024) }),
    expect: { value: (v) => (v?.description?.length === 4 * 1024 * 1024 ? null : "description lost") } },
  { name: "wide-list", what: "100 000 clusters in the account list: a value",
    call: (c) => c.listClusters(),
    answer: json(200, [{ clusters: Array.from({ length: 100_000 }, (_, i) => ({ application: "POSTGRESQL", id: ID, name: `c-${i}` })) }]),
    expect: { value: (v) => (Array.isArray(v) && v.length === 100_000 ? null : `length ${v?.length}`) } },
  { name: "list-wrong-top-level", what: "an object where the versions list is expected",
    call: (c) => c.listVersions(), answer: json(200, { applicationVersions: [] }), expect: { code: "DECODE_ERROR" } },
  { name: "backups-wrong-types", what: "backup events with string progress and negative times",
    call: (c) => c.listBackups(ID),
    answer: json(200, { id: ID, name: "c", clusterDataCentres: [{ id: "d", name: "n", nodes: [{ id: "x", events: [{ start: "yesterday", progress: "half", state: 7 }] }] }] }),
    expect: { code: "DECODE_ERROR" } },
  { name: "restore-wrong-id-type", what: "restore accepted with a numeric restoredClusterId",
    call: (c) => c.restoreCluster({ clusterId: ID, pointInTime: Date.now() - 3_600_000 }),
    answer: json(202, { restoredClusterId: 42 }), expect: { codes: ["DECODE_ERROR", "VALIDATION_ERROR"] } },
  { name: "api-error-odd-entries", what: "400 with an error list of odd entries",
    answer: json(400, { errors: [1, null, "plain", { name: 5, message: ["x"] }, { name: "n", message: "m" }] }),
    expect: { code: "API_ERROR", status: 400, check: (e) => (Array.isArray(e.errors) && e.errors.some((x) => x.message === "m") ? null : `errors ${JSON.stringify(e.errors)}`) } },
  { name: "api-error-not-json", what: "401 with a plain-text body",
    answer: { status: 401, headers: { "content-type": "text/plain" }, body: "Unauthorized" }, expect: { code: "API_ERROR", status: 401 } },
  { name: "api-error-huge-body", what: "404 with a 2 MB body: raw text kept short",
    answer: { status: 404, headers: { "content-type": "text/plain" }, body: "n".repeat(2 * 1024 * 1024) },
    expect: { code: "API_ERROR", status: 404, check: (e) => ((e.raw ?? "").length <= 1100 ? null : `raw ${e.raw.length} chars`) } },
  { name: "status-out-of-range", what: "status 600",
    answer: { status: 600, headers: JSON_HEADERS, body: "{}" }, expect: { codes: ["NETWORK_ERROR", "API_ERROR"] } },
  { name: "redirect-elsewhere", what: "302 to another origin: not followed",
    answer: { status: 302, headers: { location: "http://203.0.113.7/steal" }, body: "" },
    // a browser hides the status of a redirect it did not follow (opaqueredirect, status 0)
    expect: { code: "API_ERROR", statuses: [302, 0] } },
  { name: "bad-content-encoding", what: "Content-Encoding gzip with a body that is not gzip",
    answer: { status: 200, headers: { ...JSON_HEADERS, "content-encoding": "gzip" }, body: JSON.stringify(goodCluster()) },
    expect: { codes: ["NETWORK_ERROR", "DECODE_ERROR"] } },
  { name: "length-lie", what: "Content-Length 100000 then 10 bytes and a closed connection",
    special: "length-lie", expect: { codes: ["NETWORK_ERROR"] } },
  { name: "reset-mid-body", what: "connection destroyed in the middle of the body",
    special: "reset-mid-body", expect: { codes: ["NETWORK_ERROR"] } },
  { name: "slow-drip", what: "one byte every 100 ms: the call deadline ends it",
    client: { timeoutMs: 600 }, special: "slow-drip", expect: { code: "TIMEOUT_ERROR" }, maxMs: 5_000 },
  { name: "waiter-garbage", what: "waitForCluster polling an HTML page with 200",
    call: (c) => c.waitForCluster(ID, { maxWaitMs: 3_000, minDelayMs: 10, maxDelayMs: 20 }),
    answer: { status: 200, headers: { "content-type": "text/html" }, body: "<html>maintenance</html>" },
    expect: { code: "DECODE_ERROR" }, maxMs: 5_000 },
  { name: "waiter-unknown-status", what: "waitForCluster polling a status it does not know (kept, waited on until maxWaitMs)",
    call: (c) => c.waitForCluster(ID, { maxWaitMs: 300, minDelayMs: 10, maxDelayMs: 20 }),
    answer: json(200, { ...goodCluster(), status: "HIBERNATING" }),
    expect: { code: "WAITER_ERROR" }, maxMs: 3_000 },
  { name: "zip-not-a-zip", what: "certificate: a body that is not a zip", call: (c) => c.downloadCertificate(ID),
    answer: { status: 200, headers: { "content-type": "application/zip" }, body: "PK this is not a zip at all" }, expect: { code: "DECODE_ERROR" } },
  { name: "zip-empty", what: "certificate: empty body", call: (c) => c.downloadCertificate(ID),
    answer: { status: 200, headers: { "content-type": "application/zip" }, body: "" }, expect: { code: "DECODE_ERROR" } },
  { name: "zip-truncated", what: "certificate: a good zip cut short", call: (c) => c.downloadCertificate(ID),
    special: "zip-truncated", expect: { code: "DECODE_ERROR" } },
  { name: "zip-bad-crc", what: "certificate: an entry whose CRC-32 is wrong", call: (c) => c.downloadCertificate(ID),
    special: "zip-bad-crc", expect: { code: "DECODE_ERROR" } },
  { name: "zip-no-pem", what: "certificate: a valid zip without a PEM entry", call: (c) => c.downloadCertificate(ID),
    special: "zip-no-pem", expect: { code: "DECODE_ERROR" } },
  { name: "zip-bomb", what: "certificate: 64 MB of zeros deflated (a zip bomb)", call: (c) => c.downloadCertificate(ID),
    special: "zip-bomb", expect: { code: "DECODE_ERROR" } },
  { name: "zip-bomb-lying-size", what: "certificate: a zip bomb whose headers claim 1 KB", call: (c) => c.downloadCertificate(ID),
    special: "zip-bomb-lying", expect: { code: "DECODE_ERROR" } },
  { name: "zip-many-entries", what: "certificate: 5 000 entries", call: (c) => c.downloadCertificate(ID),
    special: "zip-many", expect: { code: "DECODE_ERROR" } },
];

/** The cases: each kind once, and `wrong-type` once per position of a cluster. */
export function cases() {
  const out = KINDS.map((k) => ({ ...k, kind: k.name }));
  for (const p of positions()) {
    out.push({
      kind: "wrong-type-every-position", name: `wrong-type:${pathText(p)}`, what: `a wrong JSON type at ${pathText(p)}`,
      answer: json(200, withValueAt(p, wrongType)),
      // a typed error, or a value where the field is loose; never anything else
      expect: { codes: ["DECODE_ERROR"], orValue: true, check: (e) => {
        const key = [...p].reverse().find((s) => typeof s === "string");
        return e.message.includes(key) ? null : `the message does not name ${key}: ${e.message}`;
      } },
    });
  }
  return out;
}

function deadline(ms) {
  let id;
  const p = new Promise((resolve) => { id = setTimeout(() => resolve({ timedOut: true }), ms); });
  return { p, cancel: () => clearTimeout(id) };
}

function judge(c, api, r) {
  const e = c.expect;
  if (r.timedOut) return `no answer within ${c.maxMs ?? 10_000} ms`;
  if ("value" in r) {
    if (e.value) return e.value(r.value);
    if (e.orValue) return null;
    return `resolved instead of ${e.code ?? e.codes}`;
  }
  const err = r.error;
  if (!(err instanceof Error)) return `rejected with a non-Error ${String(err)}`;
  if (!(err instanceof api.InstaclustrError)) return `not an InstaclustrError: ${err?.name}: ${err?.message}`;
  if (e.value) return `rejected (${err.code}: ${err.message}) instead of a value`;
  const codes = e.codes ?? [e.code];
  if (!codes.includes(err.code)) return `code ${err.code} (${err.message}), expected ${codes.join("|")}`;
  const classes = { DECODE_ERROR: api.DecodeError, API_ERROR: api.ApiError, NETWORK_ERROR: api.NetworkError, TIMEOUT_ERROR: api.TimeoutError, VALIDATION_ERROR: api.ValidationError, WAITER_ERROR: api.WaiterError };
  if (classes[err.code] && !(err instanceof classes[err.code])) return `code ${err.code} but not its class`;
  if (e.status !== undefined && err.status !== e.status) return `status ${err.status}, expected ${e.status}`;
  if (e.statuses && !e.statuses.includes(err.status)) return `status ${err.status}, expected one of ${e.statuses}`;
  const text = `${err.message} ${String(err)} ${JSON.stringify(err)}`;
  if (text.includes(API_KEY)) return "the api key leaked into the error";
  return e.check ? e.check(err) : null;
}

/**
 * Runs every case against `base` (the hostile server's origin) with the package `api`
 * (`pkg/node.js` or `pkg/web.js`); returns one result per case:
 * { kind, name, ok, problem, ms, alive, outcome }.
 */
export async function runAll(api, base, { only, onResult } = {}) {
  const results = [];
  const good = new api.InstaclustrClient({ baseUrl: `${base}/good`, username: USERNAME, apiKey: API_KEY });
  for (const c of cases()) {
    if (only && !only.some((o) => c.name.startsWith(o))) continue;
    const client = new api.InstaclustrClient({
      baseUrl: `${base}/k/${encodeURIComponent(c.name)}`, username: USERNAME, apiKey: API_KEY, timeoutMs: 8_000,
      retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...(c.client ?? {}),
    });
    const call = c.call ?? ((cl) => cl.getCluster(ID));
    const start = Date.now();
    const limit = deadline(c.maxMs ?? 10_000);
    let r;
    try {
      r = await Promise.race([call(client).then((value) => ({ value }), (error) => ({ error })), limit.p]);
    } catch (error) {
      r = { error }; // the call threw synchronously
    }
    limit.cancel();
    const ms = Date.now() - start;
    let problem = judge(c, api, r);
    // the module is still alive: a normal call and a synchronous export work
    let alive = false;
    try {
      const got = await good.getCluster(ID);
      const v = api.validateCreateCluster({});
      alive = got?.id === ID && Array.isArray(v) && v.length > 0;
    } catch (err) {
      problem = problem ?? `module not alive after the kind: ${err?.name}: ${err?.message}`;
    }
    if (!alive) problem = problem ?? "module not alive after the kind";
    const outcome = r.timedOut ? "timeout" : "value" in r ? "value" : `${r.error?.code ?? r.error?.name}`;
    const res = { kind: c.kind, name: c.name, ok: problem === null, problem, ms, alive, outcome };
    results.push(res);
    if (onResult) await onResult(res);
  }
  return results;
}
