// Bounded concurrency, shared by the command-line tool (`clusters`) and the demo console (which
// imports it from the package's cli/): a list of calls made a few at a time rather than one after
// another or all at once (the API rate-limits an account).

/**
 * `fn(item)` of every item with at most `limit` of them pending at once; the results in the
 * items' order. The first rejection rejects the whole and no further item is started.
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} limit at least 1
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
