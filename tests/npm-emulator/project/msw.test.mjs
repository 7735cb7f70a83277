// `instaclustr-pg/emulator/msw` with msw's setupServer: the client on the global fetch, answered
// by the emulator for one base URL; other URLs are not touched.
import assert from "node:assert/strict";
import { test } from "node:test";

import { setupServer } from "msw/node";
import { InstaclustrClient } from "instaclustr-pg";
import { createEmulator } from "instaclustr-pg/emulator";
import { handlers } from "instaclustr-pg/emulator/msw";

import { lifecycle } from "./lib.mjs";

test("whole lifecycle through msw's setupServer with the client on the global fetch", async () => {
  const emulator = await createEmulator({ accounts: ["alice:key-a"] });
  const baseUrl = "https://api.example.test";
  const server = setupServer(...handlers(emulator, { baseUrl }));
  server.listen({ onUnhandledRequest: "error" });
  try {
    const client = new InstaclustrClient({ username: "alice", apiKey: "key-a", baseUrl, now: emulator.now });
    await lifecycle(client, emulator, "msw-life");
    await assert.rejects(fetch("https://elsewhere.example.test/x"));
  } finally {
    server.close();
    await emulator.close();
  }
  assert.throws(() => handlers({}, { baseUrl: "https://x" }), TypeError);
  assert.throws(() => handlers(emulator, { baseUrl: "not a url" }), TypeError);
});
