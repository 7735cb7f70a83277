// The JS contract of the built package (pkg/, from scripts/build), through both entries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import * as api from "../../pkg/node.js";
import * as web from "../../pkg/web.js";
import { createRequire } from "node:module";
import { createClusterBody as cluster } from "../fixtures/create-cluster.mjs";

const cjs = createRequire(import.meta.url)("../../pkg/node.cjs");

const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const KEY = "sup3r-s3cret-api-key-do-not-leak";
const PASSWORD = "pw-0f-the-default-user";
const opts = { baseUrl: "http://127.0.0.1:8080", username: "alice", apiKey: KEY };

const CONTRACT = [
  "validateCreateCluster", "validateUpdateCluster", "validateRestoreCluster", "parsePointInTime",
  "buildCreateClusterRequest", "buildGetClusterRequest", "buildUpdateClusterRequest", "buildDeleteClusterRequest",
  "buildListBackupsRequest", "buildTriggerBackupRequest", "buildRestoreClusterRequest", "buildListVersionsRequest",
  "buildListCompatibleVersionsRequest", "buildListCompatibleNodeSizesRequest", "buildDownloadCertificateRequest",
  "buildListClustersRequest",
  "parseCreateClusterResponse", "parseGetClusterResponse", "parseUpdateClusterResponse", "parseDeleteClusterResponse",
  "parseListBackupsResponse", "parseTriggerBackupResponse", "parseRestoreClusterResponse", "parseListVersionsResponse",
  "parseListCompatibleVersionsResponse", "parseListCompatibleNodeSizesResponse", "parseDownloadCertificateResponse",
  "parseListClustersResponse",
];
const ERRORS = {
  InstaclustrError: "INSTACLUSTR_ERROR", ValidationError: "VALIDATION_ERROR", ApiError: "API_ERROR",
  DecodeError: "DECODE_ERROR", NetworkError: "NETWORK_ERROR", TimeoutError: "TIMEOUT_ERROR",
  AbortError: "ABORT_ERROR", WaiterError: "WAITER_ERROR",
};


/** Every text form of an error: none may contain a secret. */
function assertNoSecret(err) {
  for (const text of [err.message, String(err), err.stack ?? "", JSON.stringify(err), JSON.stringify(err.toJSON())]) {
    assert.ok(!text.includes(KEY), `api key leaked: ${text}`);
    assert.ok(!text.includes(PASSWORD), `password leaked: ${text}`);
    assert.ok(!text.includes(Buffer.from(`alice:${KEY}`).toString("base64")), `credentials leaked: ${text}`);
  }
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

test("every contract name is exported by both entries", () => {
  for (const name of CONTRACT) {
    assert.equal(typeof api[name], "function", name);
    assert.equal(typeof web[name], "function", `${name} in the web entry`);
    assert.equal(cjs[name], api[name], `${name} is the same function for import and require`);
  }
  for (const name of Object.keys(ERRORS)) assert.equal(typeof api[name], "function", name);
});

test("error classes: Error subclasses with stable name, code and toJSON", () => {
  for (const [name, code] of Object.entries(ERRORS)) {
    const Cls = api[name];
    const e = new Cls("boom", { operation: "getCluster" });
    assert.ok(e instanceof Error);
    assert.ok(e instanceof api.InstaclustrError);
    assert.equal(e.name, name);
    assert.equal(e.code, code);
    assert.equal(e.operation, "getCluster");
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { name, code, message: "boom", operation: "getCluster", ...defaults(name) });
  }
  assert.equal(cjs.ApiError, api.ApiError, "one class for import and require in Node");
});

function defaults(name) {
  return {
    ValidationError: { violations: [] }, ApiError: { status: 0, errors: [] },
    NetworkError: { outcomeUnknown: false }, TimeoutError: { outcomeUnknown: false },
  }[name] ?? {};
}

test("builders return { method, url, headers, body? }", () => {
  const r = api.buildCreateClusterRequest(cluster(), opts);
  assert.deepEqual(Object.keys(r), ["method", "url", "headers", "body"]);
  assert.equal(r.method, "POST");
  assert.equal(r.url, "http://127.0.0.1:8080/cluster-management/v2/resources/applications/postgresql/clusters/v2/");
  assert.deepEqual(r.headers, {
    Accept: "application/json",
    "Content-Type": "application/json",
    Authorization: `Basic ${Buffer.from(`alice:${KEY}`).toString("base64")}`,
  });
  assert.equal(JSON.parse(r.body).dataCentres[0].nodeSize, "PGS-DEV-t4g.small-5");

  const g = api.buildGetClusterRequest(ID);
  assert.ok(!("body" in g));
  assert.equal(g.url, `https://api.instaclustr.com/cluster-management/v2/resources/applications/postgresql/clusters/v2/${ID}/`);
  assert.deepEqual(g.headers, { Accept: "application/json" });

  const expect = [
    [api.buildUpdateClusterRequest(ID, { dataCentres: cluster().dataCentres }), "PUT", `/resources/applications/postgresql/clusters/v2/${ID}/`],
    [api.buildDeleteClusterRequest(ID), "DELETE", `/resources/applications/postgresql/clusters/v2/${ID}/`],
    [api.buildListBackupsRequest(ID), "GET", `/data-sources/applications/postgresql/clusters/v2/${ID}/list-backups/v2/`],
    [api.buildTriggerBackupRequest(ID), "POST", `/operations/applications/postgres/clusters/v2/${ID}/trigger-backup/v2/`],
    [api.buildRestoreClusterRequest({ clusterId: ID, pointInTime: 1420070400000 }), "POST", "/operations/applications/postgres/restore/v2"],
    [api.buildListVersionsRequest(), "GET", "/data-sources/applications/postgresql/versions/v2/"],
    [api.buildListCompatibleVersionsRequest("16.2.0"), "GET", "/data-sources/applications/postgresql/compatible-versions/v2/16.2.0"],
    [api.buildListCompatibleNodeSizesRequest({}), "GET", "/data-sources/applications/postgresql/compatible-node-sizes/v2/"],
    [api.buildListCompatibleNodeSizesRequest({ pgbouncerRequired: false }), "GET", "/data-sources/applications/postgresql/compatible-node-sizes/v2/?pgbouncerRequired=false"],
    [api.buildDownloadCertificateRequest("a/b"), "GET", "/operations/applications/postgres/clusters/v2/a%2Fb/certificate/v2/"],
    [api.buildListClustersRequest(), "GET", "/data-sources/clusters/v2"],
  ];
  for (const [req, method, path] of expect) {
    assert.equal(req.method, method, path);
    assert.equal(req.url, `https://api.instaclustr.com/cluster-management/v2${path}`);
  }
  const restore = JSON.parse(api.buildRestoreClusterRequest({ clusterId: ID, pointInTime: new Date(1420070400000) }).body);
  assert.equal(restore.pointInTime, "2015-01-01T00:00:00.000Z");
  assert.equal(api.buildDownloadCertificateRequest(ID).headers.Accept, "application/zip");
});

test("invalid input throws a ValidationError carrying every violation, without the key", () => {
  const e = thrown(() => api.buildDownloadCertificateRequest("", { ...opts, baseUrl: "http://example.com" }));
  assert.ok(e instanceof Error && e instanceof api.ValidationError && e instanceof api.InstaclustrError);
  assert.equal(e.code, "VALIDATION_ERROR");
  assert.deepEqual(e.violations.map((v) => v.path), ["clusterId", "baseUrl"]);
  for (const v of e.violations) assert.deepEqual(Object.keys(v).sort(), ["code", "message", "path"]);
  assertNoSecret(e);
  const t = thrown(() => api.buildListVersionsRequest({ apiKey: 42 }));
  assert.deepEqual(t.violations.map((v) => [v.path, v.code]), [["apiKey", "type"]]);
  assertNoSecret(thrown(() => api.buildListVersionsRequest({ ...opts, apiKey: `${KEY}\n` })));
  assert.ok(thrown(() => api.parsePointInTime(true)) instanceof api.ValidationError);
});

test("parsers: typed values, ApiError, DecodeError", () => {
  const body = JSON.stringify({ ...cluster(), id: ID, status: "RUNNING", defaultUserPassword: PASSWORD });
  const c = api.parseGetClusterResponse(200, body);
  assert.equal(c.status, "RUNNING");
  assert.equal(c.dataCentres[0].numberOfNodes, 2);
  assert.equal(typeof c.dataCentres[0].numberOfNodes, "number");
  assert.ok(!("twoFactorDelete" in c), "absent optional fields are left out, not null");
  assert.deepEqual(api.parseCreateClusterResponse(202, new TextEncoder().encode(body)), c);
  assert.equal(api.parseUpdateClusterResponse(202, ""), undefined);
  assert.equal(api.parseDeleteClusterResponse(204, ""), undefined);
  assert.equal(api.parseTriggerBackupResponse(202, new Uint8Array()), undefined);
  const versions = api.parseListVersionsResponse(200, '[{"applicationVersions":[{"application":"POSTGRESQL","versions":["16.2.0"]}]}]');
  assert.deepEqual(versions, [{ applicationVersions: [{ application: "POSTGRESQL", versions: ["16.2.0"] }] }]);
  assert.equal(Object.getPrototypeOf(versions[0]), Object.prototype, "plain objects, never Map");
  const zip = api.parseDownloadCertificateResponse(200, new Uint8Array([80, 75, 3, 4]));
  assert.ok(zip instanceof Uint8Array);
  assert.deepEqual([...zip], [80, 75, 3, 4]);

  const a = thrown(() => api.parseGetClusterResponse(404, '{"errors":[{"name":"clusterId","message":"not found"}]}'));
  assert.ok(a instanceof api.ApiError && a instanceof Error);
  assert.equal(a.code, "API_ERROR");
  assert.equal(a.status, 404);
  assert.deepEqual(a.errors, [{ name: "clusterId", message: "not found" }]);
  assert.equal(a.operation, "getCluster");
  const raw = thrown(() => api.parseListVersionsResponse(502, "<html>bad gateway</html>"));
  assert.equal(raw.raw, "<html>bad gateway</html>");
  assert.deepEqual(raw.errors, []);

  const d = thrown(() => api.parseGetClusterResponse(200, "{not json"));
  assert.ok(d instanceof api.DecodeError && d instanceof Error);
  assert.equal(d.code, "DECODE_ERROR");
  const wrongPassword = JSON.stringify({ ...cluster(), defaultUserPassword: 123456789 });
  const p = thrown(() => api.parseGetClusterResponse(200, wrongPassword));
  assert.ok(p instanceof api.DecodeError);
  assert.ok(!p.message.includes("123456789"));
});

test("the module keeps working after bad input", () => {
  const bad = [
    () => api.parseGetClusterResponse(200, new Uint8Array([0xff, 0xfe, 0x00])),
    () => api.parseListVersionsResponse(200, "[".repeat(100000)),
    () => api.buildCreateClusterRequest(undefined, "not options"),
    () => api.buildCreateClusterRequest({ get x() { throw new Error("getter"); } }),
    () => api.parseListBackupsResponse("200", {}),
    () => api.validateCreateCluster(Symbol("s")),
    () => api.parsePointInTime(new Date("invalid")),
  ];
  for (let i = 0; i < 3; i++) {
    for (const f of bad) {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof Error, `always an Error: ${e}`);
      }
    }
  }
  assert.equal(api.buildListVersionsRequest().method, "GET");
  assert.deepEqual(api.validateCreateCluster(cluster()).filter((v) => v.path === "name"), []);
});

test("the public .d.ts has no any", () => {
  const dts = readFileSync(new URL("../../pkg/index.d.ts", import.meta.url), "utf8");
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.ok(!/\bany\b/.test(code), "no `any` type in index.d.ts");
  for (const name of CONTRACT) assert.match(dts, new RegExp(`export function ${name}\\(`), name);
  for (const name of Object.keys(ERRORS)) assert.match(dts, new RegExp(`export declare class ${name}\\b`), name);
});

test("parsePointInTime and validateRestoreCluster take the present from options.now", () => {
  const hour = 3_600_000;
  const ahead = Date.now() + hour;
  const iso = new Date(ahead).toISOString();
  const future = thrown(() => api.parsePointInTime(iso));
  assert.ok(future instanceof api.ValidationError, "an hour ahead of the real clock is the future");
  assert.equal(api.parsePointInTime(iso, { now: ahead + hour }), ahead);
  const body = { clusterId: ID, pointInTime: iso };
  assert.deepEqual(api.validateRestoreCluster(body).map((v) => v.path), ["pointInTime"]);
  assert.deepEqual(api.validateRestoreCluster(body, { now: ahead + hour }), []);
  const bad = thrown(() => api.parsePointInTime(iso, { now: "soon" }));
  assert.deepEqual(bad.violations.map((v) => v.path), ["options.now"]);
});
