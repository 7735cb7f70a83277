// Prints the 2xx bodies of the hostile corpus, one JSON line each ({ name, body }: body in
// base64), for the Rust differential test of the typed decode against the response check
// (crates/core/tests/shape_differential.rs). Special answers (made by server.mjs) are left out.
import { KINDS, cases } from "./cases.mjs";

const seen = new Set();
for (const kind of [...KINDS, ...cases()]) {
  const a = kind.answer;
  if (!a || a.status < 200 || a.status > 299 || seen.has(kind.name)) continue;
  seen.add(kind.name);
  const bytes = typeof a.body === "string" ? Buffer.from(a.body, "utf8") : Buffer.from(a.body ?? []);
  process.stdout.write(`${JSON.stringify({ name: kind.name, body: bytes.toString("base64") })}\n`);
}
