// The transport campaign's cases, shared by its two runs: transport.mjs (Node, pkg/node.js) and
// transport-chromium.mjs (a page of headless Chromium, pkg/web.js). Browser-safe: no Node import.
// The servers are servers.mjs's `transportServers` (their URLs come in `env.urls`); what the
// servers saw is judged afterwards, in the runner's process, by `serverChecks`.
//
// 1. base URLs: a plain-http remote is refused (ValidationError at baseUrl), loopback and https
//    allowed, and the refusal shows no credentials;
// 2. redirects: 301/302/303/307/308 towards another origin (the target's port, on 127.0.0.1 and on
//    `localhost`), from a same-origin, a CORS-enabled and a CORS-less server, for a GET and a
//    DELETE: never followed, the target never gets a request, so never the Authorization header;
// 3. bounded bodies (maxResponseBytes): declared and undeclared (chunked) lengths, over, at and
//    under the limit, and the 16 MiB default against a 20 MB body;
// 4. cross-origin calls as a browser makes them: CORS allowed, refused at the preflight, refused
//    on the answer only, and no cookie ever sent (`credentials: "omit"`).
// Where a browser's fetch differs from Node's, each case says what the package guarantees there.

export const KEY = "recognizable-api-key-0xC0FFEE";
export const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
export const STATUSES = [301, 302, 303, 307, 308];
export const HOSTS = ["127.0.0.1", "localhost"];
// the redirecting servers: in Chromium `same` is the page's own origin, the others are not
export const VIAS = ["same", "cors", "bare"];
export const BIG = 20 * 1024 * 1024;
const COOKIE = "campaign_sid";
const MB = 1024 * 1024;

/** The collector of checks: `check(ok, what)`, `skip(what)`, and what they found. */
export function checker() {
  const out = { checks: 0, failures: [], skipped: [] };
  out.check = (ok, what) => { out.checks++; if (!ok) out.failures.push(what); };
  out.skip = (what) => { out.skipped.push(what); };
  return out;
}

const describe = (e) => `${e?.name} ${e?.code} ${e?.status ?? ""} outcomeUnknown=${e?.outcomeUnknown}`;

/** Awaits `p` (a promise or a function) and checks it rejected with `code` and `more(e)`. */
async function rejects(c, p, code, what, more = () => true) {
  try {
    await (typeof p === "function" ? p() : p);
    c.check(false, `${what}: resolved`);
  } catch (e) {
    c.check(e?.code === code && more(e), `${what}: got ${describe(e)}, expected ${code}`);
  }
}

/** Awaits `p` and checks it resolved to something `ok` accepts. */
async function resolves(c, p, what, ok = () => true) {
  try {
    const v = await p;
    c.check(ok(v), `${what}: resolved to ${JSON.stringify(v)?.slice(0, 100)}`);
  } catch (e) {
    c.check(false, `${what}: rejected with ${describe(e)}`);
  }
}

/**
 * What a redirected call must give. Node's fetch hands `redirect: "manual"` answers over as they
 * came: an ApiError with the 3xx status. A browser gives an `opaqueredirect` (status 0, Location
 * hidden), which the package reports as an ApiError with status 0: the guarantee there is "not
 * followed, reported as API_ERROR", the status is the browser's to hide. From the CORS-less
 * server a browser does not even send the request: its preflight (Authorization is not a
 * CORS-safelisted header) gets no CORS answer, fetch rejects, and the package reports a
 * NETWORK_ERROR (the request with the key never left).
 */
export function redirectExpectation(browser, via, status) {
  if (!browser) return { code: "API_ERROR", status };
  if (via === "bare") return { code: "NETWORK_ERROR" };
  return { code: "API_ERROR", status: 0 };
}

/**
 * Runs the cases with the package `api`. `env`: { urls (of transportServers), browser (a page of a
 * browser: cookies exist and CORS applies), rounds, fixture (the create-cluster body),
 * fetch?(url, init), memoryMb?() (the process's RSS; Node only) }. Resolves to plain data:
 * { checks, failures, skipped, redirects, calls } (`calls`: how many requests of each kind the
 * page made, for `serverChecks`).
 */
export async function runTransport(api, env) {
  const c = checker();
  const fetch = env.fetch ?? ((u, init) => globalThis.fetch(u, init));
  const { InstaclustrClient, ValidationError } = api;
  // quick retries: a browser's refused request (a NETWORK_ERROR) of a GET is retried
  const make = (baseUrl, more = {}) => new InstaclustrClient({ baseUrl, username: "alice", apiKey: KEY, retry: { baseDelayMs: 1, maxDelayMs: 2 }, ...more });
  const calls = { redirects: { same: 0, cors: 0, bare: 0 } };

  // --- 1. base URLs (the same in both: decided before any request)
  for (const u of ["http://api.example.com", "http://10.0.0.1:8090", "http://127.0.0.1.example.com", "http://localhost.example.com", "ftp://127.0.0.1", "http://alice:pw@127.0.0.1"]) {
    try {
      make(u);
      c.check(false, `${u} accepted`);
    } catch (e) {
      c.check(e instanceof ValidationError && e.code === "VALIDATION_ERROR" && e.violations.some((v) => v.path.endsWith("baseUrl")), `${u}: ${e?.name} ${JSON.stringify(e?.violations)}`);
      c.check(!JSON.stringify(e).includes(KEY) && !String(e).includes(KEY) && !String(e).includes("pw@") && !JSON.stringify(e).includes("pw@"), `${u}: the error shows credentials`);
    }
  }
  for (const u of ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://api.example.com"]) {
    try { make(u); c.check(true, u); } catch (e) { c.check(false, `${u} refused: ${describe(e)}`); }
  }

  // --- 2. redirects
  let redirects = 0;
  for (let round = 0; round < env.rounds; round++) {
    for (const via of VIAS) {
      for (const status of STATUSES) {
        for (const host of HOSTS) {
          const cl = make(`${env.urls[via]}/redirect/${status}/${host}`);
          const e = redirectExpectation(env.browser, via, status);
          const more = (err) => e.status === undefined || err.status === e.status;
          await rejects(c, cl.getCluster(ID), e.code, `${status} to ${host} via ${via} (GET)`, more);
          await rejects(c, cl.deleteCluster(ID), e.code, `${status} to ${host} via ${via} (DELETE)`, more);
          calls.redirects[via] += 2;
          redirects += 2;
        }
      }
    }
  }

  // --- 3. bounded bodies: the size asked of the server goes in the query, added by a wrapping fetch
  const call = (kind, n, limit) => new InstaclustrClient({
    baseUrl: `${env.urls.sizes}/${kind}`, username: "alice", apiKey: KEY, maxRetries: 0,
    ...(limit === undefined ? {} : { maxResponseBytes: limit }),
    fetch: (u, init) => fetch(`${u}${u.includes("?") ? "&" : "?"}n=${n}`, init),
  }).listVersions();
  const empty = (v) => Array.isArray(v) && v.length === 0;
  for (let round = 0; round < env.rounds; round++) {
    for (const kind of ["declared", "chunked"]) {
      // the bodies are valid (an empty list padded with spaces): a DECODE_ERROR is the size's
      await rejects(c, call(kind, 1001, 1000), "DECODE_ERROR", `${kind} 1001 > 1000`);
      await resolves(c, call(kind, 1000, 1000), `${kind} 1000 = 1000`, empty);
      await resolves(c, call(kind, 999, 1000), `${kind} 999 < 1000`, empty);
      await rejects(c, call(kind, 10 * MB, 4096), "DECODE_ERROR", `${kind} 10 MB > 4 KB`);
      const before = env.memoryMb?.();
      await rejects(c, call(kind, BIG), "DECODE_ERROR", `${kind} 20 MB > 16 MiB default`);
      if (env.memoryMb) {
        const grown = env.memoryMb() - before;
        c.check(grown < 200, `${kind}: memory grew ${grown.toFixed(0)} MB reading a refused 20 MB body`);
      } else if (round === 0) {
        c.skip(`${kind}: memory growth reading a refused 20 MB body (no process memory in a page)`);
      }
      await resolves(c, call(kind, 16 * MB, 16 * MB), `${kind} 16 MiB = limit`, empty);
    }
  }
  await rejects(c, () => new InstaclustrClient({ username: "a", apiKey: KEY, maxResponseBytes: -1 }), "VALIDATION_ERROR", "negative maxResponseBytes");

  // --- 4. cross-origin. In Node there are no origins: every server simply answers.
  const body = { ...JSON.parse(JSON.stringify(env.fixture)), name: "transport-cors" };
  await resolves(c, make(`${env.urls.cors}/api`).listVersions(), "CORS-enabled server: GET", empty);
  if (env.browser) {
    // the preflight gets no CORS answer: fetch rejects before the request is sent. A page sees
    // the same bare TypeError ("Failed to fetch") here as for an answer it hides (below), so the
    // package must count the POST as maybe acted on: outcomeUnknown, conservatively
    await rejects(c, make(`${env.urls.bare}/api`).listVersions(), "NETWORK_ERROR", "CORS-less server: GET");
    await rejects(c, make(`${env.urls.bare}/api`).createCluster(body), "NETWORK_ERROR", "CORS-less server: POST",
      (e) => e.outcomeUnknown === true);
    // the preflight passes, the request is sent and answered, the browser hides the answer: the
    // package cannot tell what happened, so a POST's outcome is unknown (serverChecks verifies the
    // POST did arrive, with its Authorization)
    await rejects(c, make(`${env.urls.half}/api`).listVersions(), "NETWORK_ERROR", "answer without CORS: GET");
    await rejects(c, make(`${env.urls.half}/api`).createCluster(body), "NETWORK_ERROR", "answer without CORS: POST",
      (e) => e.outcomeUnknown === true);
  } else {
    await resolves(c, make(`${env.urls.bare}/api`).listVersions(), "CORS-less server: GET (no CORS in Node)", empty);
    await rejects(c, make(`${env.urls.bare}/api`).createCluster(body), "API_ERROR", "CORS-less server: POST (no CORS in Node)", (e) => e.status === 400);
    await resolves(c, make(`${env.urls.half}/api`).listVersions(), "answer without CORS: GET (no CORS in Node)", empty);
    await rejects(c, make(`${env.urls.half}/api`).createCluster(body), "API_ERROR", "answer without CORS: POST (no CORS in Node)", (e) => e.status === 400);
  }
  // cookies: the page's origin holds one (127.0.0.1: every port shares it); a plain same-origin
  // fetch carries it (the control, checked by serverChecks), the package's calls never do
  if (typeof document === "object" && env.browser) {
    document.cookie = `${COOKIE}=${KEY}; path=/; SameSite=Lax`;
    await fetch(`${env.urls.same}/api/probe`);
    await resolves(c, make(`${env.urls.same}/api`).listVersions(), "same-origin call with a cookie set", empty);
    await resolves(c, make(`${env.urls.cors}/api`).listVersions(), "cross-origin call with a cookie set", empty);
    document.cookie = `${COOKIE}=; path=/; max-age=0`;
  } else {
    c.skip("cookies never sent (Node's fetch keeps no cookies)");
  }
  return { checks: c.checks, failures: c.failures, skipped: c.skipped, redirects, calls };
}

/**
 * Checks what the servers saw (`records` of transportServers) after `runTransport` gave `result`
 * in a browser (`browser`) or in Node. Adds to `c` (a `checker()`).
 */
export function serverChecks(c, records, result, browser) {
  const strip = (rs) => JSON.stringify(rs.slice(0, 5).map((r) => ({ ...r, cookie: r.cookie && "(present)" })));
  c.check(records.target.length === 0, `the redirect target was reached: ${strip(records.target)}`);
  for (const via of VIAS) {
    const sent = records[via].filter((r) => r.path.startsWith("/redirect/") && r.method !== "OPTIONS");
    const asked = result.calls.redirects[via];
    if (browser && via === "bare") {
      // the requests with the key never left the browser; the preflights did (without it)
      c.check(sent.length === 0, `CORS-less redirector got ${sent.length} requests past the preflight`);
      const pre = records[via].filter((r) => r.path.startsWith("/redirect/") && r.method === "OPTIONS");
      c.check(pre.length > 0 && pre.every((r) => !r.authorization), `CORS-less redirector: ${pre.length} preflights, some with Authorization`);
    } else {
      // every redirected call reached the redirector once, with its key (it is the base URL's
      // origin): not retried, and the test is not vacuous
      c.check(sent.length === asked && sent.every((r) => r.authorization), `redirector ${via}: ${sent.length} requests for ${asked} calls (${sent.filter((r) => !r.authorization).length} without Authorization)`);
    }
  }
  const byMethod = (name, method) => records[name].filter((r) => r.path.startsWith("/api/cluster-management") && r.method === method);
  if (browser) {
    c.check(records.bare.filter((r) => r.path.startsWith("/api/")).every((r) => r.method === "OPTIONS" && !r.authorization), "the CORS-less server got a request past the preflight");
    c.check(byMethod("half", "POST").length === 1 && byMethod("half", "POST")[0].authorization, `the POST whose answer the browser hid did not arrive once with Authorization: ${strip(records.half)}`);
    const probe = records.same.filter((r) => r.path === "/api/probe");
    c.check(probe.length === 1 && probe[0].cookie?.includes(COOKIE), `cookie control: a plain same-origin fetch carried no cookie (${strip(probe)})`);
    const calls = [...records.same, ...records.cors].filter((r) => r.path.startsWith("/api/cluster-management") && r.method === "GET");
    c.check(calls.length >= 2 && calls.every((r) => !r.cookie), `a call of the package carried a cookie: ${strip(calls)}`);
  } else {
    c.check(byMethod("bare", "GET").length === 1 && byMethod("half", "POST").length === 1, "Node: the CORS-less servers did not get one GET and one POST");
  }
  const sizes = records.sizes.filter((r) => r.written !== undefined);
  c.check(sizes.length > 0, "the size server got no request");
}

/** What each server got: "name: METHOD n (k with Authorization, c with a cookie), ..." per line. */
export function recordSummary(records) {
  return Object.entries(records).map(([name, rs]) => {
    const by = {};
    for (const r of rs) {
      const b = (by[r.method] ??= { n: 0, auth: 0, cookie: 0 });
      b.n++;
      if (r.authorization) b.auth++;
      if (r.cookie) b.cookie++;
    }
    const parts = Object.entries(by).map(([m, b]) => `${m} ${b.n} (${b.auth} with Authorization, ${b.cookie} with a cookie)`);
    return `${name}: ${parts.join(", ") || "no request"}`;
  });
}

/** The largest number of bytes the size server wrote for one refused 20 MB chunked body, in MB. */
export function bigChunkedWrittenMb(records) {
  const big = records.sizes.filter((r) => r.path.startsWith("/chunked") && r.n === BIG);
  return big.length ? Math.max(...big.map((r) => r.written)) / MB : 0;
}
