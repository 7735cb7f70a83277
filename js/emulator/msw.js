// `instaclustr-pg/emulator/msw`: msw 2.x request handlers that answer through an in-process
// emulator (`createEmulator`), for `setupServer` (Node) and `setupWorker` (browsers). msw is an
// optional peer dependency of the package, imported by this module only and never bundled (two
// copies of msw break its handler checks).
import { http } from "msw";

/**
 * Handlers for every request under `baseUrl` (default the Instaclustr API's): each is passed to
 * `emulator.fetch` and its response returned.
 */
export function handlers(emulator, { baseUrl = "https://api.instaclustr.com" } = {}) {
  if (!emulator || typeof emulator.fetch !== "function")
    throw new TypeError("handlers(emulator): expected the emulator createEmulator() returned");
  if (typeof baseUrl !== "string" || !/^https?:\/\/[^/]/.test(baseUrl))
    throw new TypeError("baseUrl: expected an absolute http(s) URL");
  const base = baseUrl.replace(/\/+$/, "");
  // msw hands over a Request it owns: a clone keeps its body readable for msw's own listeners
  const answer = ({ request }) => emulator.fetch(request.clone());
  return [http.all(base, answer), http.all(`${base}/*`, answer)];
}
