//! Retry policy: which failures are retried, and how long to wait before the next attempt.
//!
//! Defaults, and why:
//! - `max_retries = 3` (4 attempts): the Instaclustr API is rate limited per account; a client
//!   that hammers it on errors makes the limit bite every other script of the account. Three
//!   retries ride out a brief 503 or a rate-limit window and still fail within seconds.
//! - `base_delay_ms = 500`, `max_delay_ms = 20_000`, exponential with **full jitter**
//!   (`random(0, min(cap, base * 2^n))`): the spread keeps concurrent clients from retrying in
//!   lock-step; 500 ms is long enough to let a rate-limit window move, 20 s bounds one wait.
//! - `max_retry_after_ms = 60_000`: a `Retry-After` (seconds or HTTP date) is honoured as a lower
//!   bound on the wait, but one asking for more than a minute is not slept through silently: the
//!   call fails with the 429/503 (whose headers carry the value) and the caller decides.
//!
//! What is retried: HTTP 429, 502, 503, 504 and network failures. GET, PUT and DELETE are
//! idempotent and retried on any of them. The POSTs (create, restore, trigger backup) carry no
//! idempotency key in this API, so they are retried only when the server provably did not act:
//! a 429 (the request was refused before processing) or a connection that never opened.

use crate::operation::Operation;
use crate::transport::TransportError;

/// How many times and how long to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retries).
    pub max_retries: u32,
    /// First backoff ceiling in milliseconds; doubled per retry.
    pub base_delay_ms: u64,
    /// Largest backoff ceiling in milliseconds.
    pub max_delay_ms: u64,
    /// Largest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay_ms: 500,
            max_delay_ms: 20_000,
            max_retry_after_ms: 60_000,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Full-jitter backoff before retry number `retry` (0-based): a uniform value in
    /// `[0, min(max_delay_ms, base_delay_ms * 2^retry)]`; `random` is in `[0, 1)`.
    pub fn backoff_ms(&self, retry: u32, random: f64) -> u64 {
        let factor = 1u64.checked_shl(retry.min(62)).unwrap_or(u64::MAX);
        let ceiling = self
            .base_delay_ms
            .saturating_mul(factor)
            .min(self.max_delay_ms);
        let r = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        ((ceiling as f64) * r).round() as u64
    }

    /// The wait before retry number `retry`, honouring a `Retry-After` of `retry_after_ms` as a
    /// lower bound; `None` when the server asks for longer than `max_retry_after_ms`.
    pub fn delay_ms(&self, retry: u32, random: f64, retry_after_ms: Option<u64>) -> Option<u64> {
        let backoff = self.backoff_ms(retry, random);
        match retry_after_ms {
            Some(ra) if ra > self.max_retry_after_ms => None,
            Some(ra) => Some(ra.max(backoff)),
            None => Some(backoff),
        }
    }
}

/// Statuses retried: rate limited, bad gateway, unavailable, gateway timeout.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether an HTTP answer with `status` may be retried for `operation`.
pub fn may_retry_status(operation: Operation, status: u16) -> bool {
    if !is_retryable_status(status) {
        return false;
    }
    // A 429 is a refusal before processing: safe even for the POSTs.
    operation.is_idempotent() || status == 429
}

/// Whether a transport failure may be retried for `operation`.
pub fn may_retry_transport(operation: Operation, error: &TransportError) -> bool {
    match error {
        TransportError::NeverReached(_) => true,
        TransportError::MaybeReached(_) => operation.is_idempotent(),
        TransportError::TooLarge { .. }
        | TransportError::Redirect { .. }
        | TransportError::Unusable { .. } => false,
    }
}

/// Parses a `Retry-After` value: delta seconds (`"120"`) or an HTTP date
/// (`"Sun, 06 Nov 1994 08:49:37 GMT"`, the IMF-fixdate form), relative to `now_ms`.
/// A date in the past gives 0; anything else unparseable gives `None` (ignored).
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        let secs: u64 = v.parse().unwrap_or(u64::MAX);
        return Some(secs.saturating_mul(1000));
    }
    let at = parse_http_date_ms(v)?;
    let delta = at - now_ms;
    Some(if delta.is_finite() && delta > 0.0 {
        delta.ceil() as u64
    } else {
        0
    })
}

/// IMF-fixdate (RFC 9110 §5.6.7) to epoch milliseconds. Written by hand: it is one fixed format
/// of 29 characters and a date-time crate would cost more than this function.
fn parse_http_date_ms(v: &str) -> Option<f64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts: Vec<&str> = v.split_ascii_whitespace().collect();
    let [wd, day, mon, year, time, gmt] = parts.as_slice() else {
        return None;
    };
    if !wd.ends_with(',') || *gmt != "GMT" {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == mon)? as u32 + 1;
    let t: Vec<&str> = time.split(':').collect();
    let [h, mi, s] = t.as_slice() else {
        return None;
    };
    let (h, mi, s): (u32, u32, u32) = (h.parse().ok()?, mi.parse().ok()?, s.parse().ok()?);
    if !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 || !(1970..=9999).contains(&year) {
        return None;
    }
    let days = crate::civil::days_from_civil(year, i64::from(month), i64::from(day));
    Some(((days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(0, 0.0), 0);
        assert_eq!(p.backoff_ms(0, 0.999_999), 500);
        assert_eq!(p.backoff_ms(1, 0.5), 500);
        assert_eq!(p.backoff_ms(2, 0.999_999), 2000);
        assert_eq!(p.backoff_ms(10, 0.999_999), 20_000);
        assert_eq!(p.backoff_ms(200, 0.999_999), 20_000);
        assert_eq!(p.backoff_ms(3, f64::NAN), 0);
        for r in 0..100 {
            let d = p.backoff_ms(3, f64::from(r) / 100.0);
            assert!(d <= 4000);
        }
    }

    #[test]
    fn retry_after_is_a_lower_bound_and_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(0, 0.0, Some(2000)), Some(2000));
        assert_eq!(p.delay_ms(5, 0.999_999, Some(1000)), Some(16_000));
        assert_eq!(p.delay_ms(0, 0.0, Some(60_000)), Some(60_000));
        assert_eq!(p.delay_ms(0, 0.0, Some(60_001)), None);
        assert_eq!(p.delay_ms(0, 0.0, None), Some(0));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("0", 0.0), Some(0));
        assert_eq!(parse_retry_after(" 7 ", 0.0), Some(7000));
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0.0),
            Some(u64::MAX)
        );
        // 1994-11-06T08:49:37Z = 784111777 s
        let at = 784_111_777_000.0;
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 1500.0),
            Some(1500)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 10.0),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", -5000.0),
            Some(5000)
        );
        assert_eq!(
            parse_retry_after(
                "Sat, 29 Feb 2020 23:59:59 GMT",
                1_583_020_799_000.0 - 1000.0
            ),
            Some(1000)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
    }

    #[test]
    fn what_is_retried() {
        use Operation::*;
        for op in Operation::ALL {
            assert!(may_retry_status(op, 429), "{op}");
            assert!(!may_retry_status(op, 500));
            assert!(!may_retry_status(op, 404));
            assert!(may_retry_transport(
                op,
                &TransportError::NeverReached("refused".into())
            ));
            assert!(!may_retry_transport(
                op,
                &TransportError::TooLarge { limit: 1 }
            ));
            for maybe_reached in [false, true] {
                let e = TransportError::Unusable {
                    message: "no response".into(),
                    maybe_reached,
                };
                assert!(!may_retry_transport(op, &e), "{op}");
            }
        }
        for op in [
            GetCluster,
            UpdateCluster,
            DeleteCluster,
            ListBackups,
            DownloadCertificate,
        ] {
            assert!(may_retry_status(op, 503));
            assert!(may_retry_transport(
                op,
                &TransportError::MaybeReached("reset".into())
            ));
        }
        for op in [CreateCluster, RestoreCluster, TriggerBackup] {
            for s in [502, 503, 504] {
                assert!(!may_retry_status(op, s));
            }
            assert!(!may_retry_transport(
                op,
                &TransportError::MaybeReached("reset".into())
            ));
        }
    }
}
