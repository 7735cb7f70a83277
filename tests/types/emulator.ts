// Type-check of `instaclustr-pg/emulator` and `instaclustr-pg/emulator/msw`: the options, the
// emulator's methods, its fetch as the client's, the msw handlers for setupServer.
import { setupServer } from "msw/node";
import { InstaclustrClient } from "../../pkg/index.js";
import { createEmulator, type Emulator, type EmulatorSnapshot } from "../../pkg/emulator/index.js";
import { handlers } from "../../pkg/emulator/msw.js";

export async function useEmulator(): Promise<void> {
  const emulator: Emulator = await createEmulator({ accounts: ["alice:key-a"], speed: 10, seed: 7n, postgres: "off", testMode: true, faultRate: 0, rateLimit: 100, bodyLimit: 1 << 20 });
  const client = new InstaclustrClient({ username: "alice", apiKey: "key-a", fetch: emulator.fetch });
  void client;
  const later: number = emulator.advance(180_000);
  const now: number = emulator.now();
  void [later, now];
  const snap: EmulatorSnapshot = emulator.snapshot();
  const version: number = snap.version;
  void version;
  const again = await createEmulator({ snapshot: JSON.parse(JSON.stringify(snap)) as EmulatorSnapshot });
  again.reset();
  const r: Response = await again.fetch("https://api.instaclustr.com/provisioning/v2/clusters", { signal: AbortSignal.timeout(1000) });
  void r;
  const server = setupServer(...handlers(emulator, { baseUrl: "https://api.instaclustr.com" }));
  server.listen();
  server.close();
  await again.close();
  const withDb = await createEmulator({ postgres: "pglite", maxDatabases: 2 });
  const db = await withDb.database("a-cluster-id");
  const rows: { n: number }[] = (await db.query<{ n: number }>("select 1 as n")).rows;
  void rows;
  const full: EmulatorSnapshot = await withDb.snapshotWithDatabases();
  void full;
  // @ts-expect-error postgres is "off" or "pglite"
  await createEmulator({ postgres: "native" });
  // @ts-expect-error accounts are "username:apiKey" strings
  await createEmulator({ accounts: [{ username: "a" }] });
}
