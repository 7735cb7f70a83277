// The package as a component test meets it: Vitest in a DOM environment (`--environment jsdom`
// or `happy-dom`, given by ../matrix.test.mjs), the client over msw on the global `fetch`, and
// over a live emulator (EMULATOR_URL, EMULATOR_USERNAME, EMULATOR_API_KEY). The package is the
// packed tarball installed in the scratch project these files are copied into.
//
// Both environments put their own globals in place of Node's (jsdom its own `Uint8Array`,
// happy-dom its own `fetch` and `Response`) while Node's `fetch` and streams keep yielding values
// of Node's realm: the client must read them all the same.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { AbortError, ApiError, InstaclustrClient, InstaclustrError, NetworkError, TimeoutError } from "instaclustr-pg";

const API = "https://api.instaclustr.com/cluster-management/v2";
const VERSIONS = `${API}/data-sources/applications/postgresql/versions/v2/`;
const CLUSTER = `${API}/resources/applications/postgresql/clusters/v2/:id/`;
const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
// answered slowly (5 s), and in chunks of 7 bytes
const SLOW = "5a0e0000-0000-4000-8000-000000000001";
const CHUNKED = "c4c4c4c4-0000-4000-8000-000000000002";
const VERSIONS_BODY = [{ applicationVersions: [{ application: "POSTGRESQL", versions: ["15.2.0", "16.4.0"] }] }];

const seen = [];
const server = setupServer(
  http.get(VERSIONS, ({ request }) => {
    seen.push(request.headers.get("authorization"));
    return HttpResponse.json(VERSIONS_BODY);
  }),
  http.get(CLUSTER, async ({ params }) => {
    if (params.id === SLOW) {
      await delay(5_000);
      return HttpResponse.json({});
    }
    if (params.id === CHUNKED) {
      // the body in many small chunks, each a Uint8Array of Node's realm
      const text = JSON.stringify({ errors: [{ name: "clusterId", message: "cluster not found" }] });
      const bytes = new TextEncoder().encode(text);
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.subarray(i, i + 7));
          c.close();
        },
      });
      return new HttpResponse(stream, { status: 404, headers: { "content-type": "application/json" } });
    }
    return HttpResponse.json({ errors: [{ name: "clusterId", message: "cluster not found" }] }, { status: 404 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new InstaclustrClient({ username: "alice", apiKey: "alice-api-key", retry: { baseDelayMs: 1, maxDelayMs: 1 } });

/** The rejection of `promise` (fails the test when it resolves). */
async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

test("the DOM environment is in place", () => {
  expect(typeof window).toBe("object");
  expect(typeof document.createElement).toBe("function");
});

describe("msw on the global fetch", () => {
  test("a call reads the answer's bytes, whatever realm its chunks come from", async () => {
    seen.length = 0;
    const versions = await client().listVersions();
    expect(versions).toEqual(VERSIONS_BODY);
    expect(seen).toEqual([`Basic ${btoa("alice:alice-api-key")}`]);
  });

  test("a non-2xx answer is an ApiError at the first attempt, also in many chunks", async () => {
    for (const id of [ID, CHUNKED]) {
      const e = await rejection(client().getCluster(id));
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toBeInstanceOf(InstaclustrError);
      expect(e.code).toBe("API_ERROR");
      expect(e.status).toBe(404);
      expect(e.errors).toEqual([{ name: "clusterId", message: "cluster not found" }]);
      expect(e.attempts).toBe(1);
    }
  });

  test("a fetch that gives no Response fails at the first attempt", async () => {
    let calls = 0;
    const c = new InstaclustrClient({
      username: "alice",
      apiKey: "alice-api-key",
      fetch: async () => {
        calls += 1;
        return { status: 200, body: null };
      },
    });
    const e = await rejection(c.listVersions());
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.code).toBe("NETWORK_ERROR");
    expect(e.attempts).toBe(1);
    expect(calls).toBe(1);
  });

  test("an abort keeps the signal's reason as the cause", async () => {
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    const pending = client().getCluster(SLOW, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    const e = await rejection(pending);
    expect(e).toBeInstanceOf(AbortError);
    expect(e.code).toBe("ABORT_ERROR");
    expect(e.cause).toBe(reason);
  });

  test("AbortSignal.timeout gives a TimeoutError", async () => {
    const e = await rejection(client().getCluster(SLOW, { signal: AbortSignal.timeout(30) }));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e.code).toBe("TIMEOUT_ERROR");
    expect(e.cause?.name).toBe("TimeoutError");
  });

  test("after free(), a call says the client was freed", async () => {
    const c = client();
    c.free();
    c.free(); // idempotent
    const e = await rejection(c.listVersions());
    expect(e).toBeInstanceOf(InstaclustrError);
    expect(e.code).toBe("CLIENT_FREED");
  });
});

describe.skipIf(!process.env.EMULATOR_URL)("a live emulator", () => {
  const live = () =>
    new InstaclustrClient({
      username: process.env.EMULATOR_USERNAME,
      apiKey: process.env.EMULATOR_API_KEY,
      baseUrl: process.env.EMULATOR_URL,
    });

  test("the whole lifecycle of a cluster", { timeout: 60_000 }, async () => {
    const c = live();
    const [list] = await c.listVersions();
    const postgresql = list.applicationVersions.find((a) => a.application === "POSTGRESQL");
    const version = postgresql.versions.at(-1);
    const created = await c.createCluster({
      name: `vitest-${Math.random().toString(36).slice(2, 8)}`,
      postgresqlVersion: version,
      privateNetworkCluster: false,
      slaTier: "NON_PRODUCTION",
      synchronousModeStrict: false,
      dataCentres: [{
        name: "AWS_VPC_US_EAST_1",
        cloudProvider: "AWS_VPC",
        region: "US_EAST_1",
        network: "10.1.0.0/16",
        nodeSize: "PGS-DEV-t4g.small-5",
        numberOfNodes: 1,
        clientToClusterEncryption: true,
        intraDataCentreReplication: [{ replicationMode: "ASYNCHRONOUS" }],
      }],
    });
    const running = await c.waitForCluster(created.id, { maxWaitMs: 50_000, minDelayMs: 50, maxDelayMs: 200 });
    expect(running.status).toBe("RUNNING");
    expect(running.dataCentres[0].nodes.length).toBe(1);
    const { pem, der } = await c.downloadCertificate(created.id);
    expect(pem.startsWith("-----BEGIN CERTIFICATE-----")).toBe(true);
    expect(der.length).toBeGreaterThan(100);
    const mine = await c.listClusters();
    expect(mine.map((s) => s.id)).toContain(created.id);
    await c.deleteCluster(created.id);
    const gone = await c.waitForCluster(created.id, { until: "DELETED", maxWaitMs: 50_000, minDelayMs: 50, maxDelayMs: 200 });
    // the cluster as last seen (DELETED), or undefined once the API says it is gone (404)
    if (gone !== undefined) expect(gone.status).toBe("DELETED");
    const e = await rejection(c.getCluster("00000000-0000-4000-8000-000000000000"));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(404);
  });
});
