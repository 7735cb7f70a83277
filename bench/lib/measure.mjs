// Measuring helpers: repeated samples after warm-up, medians, percentiles.

export const median = (xs) => quantile(xs, 0.5);

export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const now = () => performance.now();

/**
 * Operations per second of `fn` (synchronous): warm up for `warmupMs`, calibrate a batch that
 * takes about `sampleMs`, then time `samples` batches; returns the median of the per-batch rates
 * and the spread (min..max) of those rates.
 */
export function opsPerSecond(fn, { warmupMs = 300, sampleMs = 80, samples = 15 } = {}) {
  let sink = 0;
  const t0 = now();
  let n = 0;
  while (now() - t0 < warmupMs || n < 3) {
    sink ^= fn() === undefined ? 0 : 1;
    n += 1;
  }
  const per = (now() - t0) / n;
  const batch = Math.max(1, Math.round(sampleMs / Math.max(per, 1e-6)));
  const rates = [];
  for (let s = 0; s < samples; s += 1) {
    const a = now();
    for (let i = 0; i < batch; i += 1) sink ^= fn() === undefined ? 0 : 1;
    const ms = now() - a;
    rates.push((batch * 1000) / ms);
  }
  globalThis.__benchSink = sink;
  return { ops: median(rates), min: Math.min(...rates), max: Math.max(...rates), batch, samples };
}

/** Latencies in ms of `samples` sequential calls of the async `fn`, after `warmup` calls. */
export async function latencies(fn, { warmup = 20, samples = 200 } = {}) {
  for (let i = 0; i < warmup; i += 1) await fn();
  const out = [];
  for (let i = 0; i < samples; i += 1) {
    const a = now();
    await fn();
    out.push(now() - a);
  }
  return out;
}
