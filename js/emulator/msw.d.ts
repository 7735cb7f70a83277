// Types of `instaclustr-pg/emulator/msw` (msw 2.x, an optional peer dependency).
import type { HttpHandler } from "msw";
import type { Emulator } from "./index.js";

/**
 * msw request handlers for every request under `baseUrl` (default
 * `https://api.instaclustr.com`), answered by `emulator.fetch`; for `setupServer` and `setupWorker`.
 */
export function handlers(emulator: Pick<Emulator, "fetch">, options?: { baseUrl?: string }): HttpHandler[];
