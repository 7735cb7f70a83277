//! Point-in-time parsing for restores, and formatting of an instant as ISO 8601 UTC.
//!
//! Accepted inputs (all give epoch milliseconds):
//! - a JSON number of epoch milliseconds (a JS `Date` arrives as its `getTime()` number): a whole
//!   number, `0 ..= now + CLOCK_SKEW_MS`;
//! - a string of ASCII digits (1..16), read the same way;
//! - an RFC 3339 / ISO 8601 date-time `YYYY-MM-DDThh:mm[:ss[.f…]]<zone>`: `T`, `t` or one space
//!   between date and time; seconds optional (ISO 8601 reduced precision, as `Date.parse` also
//!   accepts); a fraction of 1..9 digits after `.` or `,`, truncated to whole milliseconds
//!   (sub-millisecond digits are common in generated timestamps and do not name another
//!   millisecond); a zone is required (`Z`, `z`, `±hh:mm`, `±hhmm` or `±hh`) because a local time
//!   is ambiguous.
//!
//! Refused: wrong JSON types (`type`); malformed text, impossible calendar dates or times
//! (Feb 30, Feb 29 outside leap years, hour 24, leap second 60), fractional milliseconds, and
//! numbers that look like epoch *seconds* (`format`); instants before 1970 or later than now plus
//! [`CLOCK_SKEW_MS`] (`range`).
//!
//! Date arithmetic is hand-written (Howard Hinnant's days-from-civil algorithms): a date-time crate
//! such as chrono would add far more to the wasm build than these twenty lines.

use super::view::{AsJson, Json};
use super::{Violation, ViolationCode};
use crate::civil::{civil_from_days, days_from_civil};

/// How far in the future a point in time may be, to allow for clocks that disagree: 5 minutes.
pub const CLOCK_SKEW_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Numbers below this (1973-03-03 as milliseconds) are suspected to be epoch seconds when the same
/// number of seconds is a plausible recent instant (after 2000-01-01, not in the future).
pub const SECONDS_SUSPECT_BELOW: f64 = 1e11;

/// 2000-01-01T00:00:00Z in ms: the earliest instant the seconds heuristic considers plausible.
const PLAUSIBLE_SINCE_MS: f64 = 946_684_800_000.0;

/// The largest instant a JS `Date` can hold (year 275760), in ms.
const MAX_MS: f64 = 8.64e15;

const PATH: &str = "pointInTime";
const ACCEPTED: &str =
    "must be epoch milliseconds or an iso 8601 date-time with a time zone, e.g. 2023-11-05T13:15:30Z";

fn one(code: ViolationCode, message: impl Into<String>) -> Vec<Violation> {
    vec![Violation::new(PATH, code, message)]
}

/// Parses a point in time (see the module documentation for the accepted forms) into epoch
/// milliseconds; `now_ms` is the current time in epoch ms.
///
/// # Errors
/// One violation at path `pointInTime`: `type` for a value that is neither a number nor a string,
/// `format` for malformed text, an invalid calendar date, fractional milliseconds or a number that
/// looks like epoch seconds, `range` before 1970 or beyond now plus [`CLOCK_SKEW_MS`].
pub fn point_in_time(value: &impl AsJson, now_ms: f64) -> Result<f64, Vec<Violation>> {
    value.with_json(|value| point_in_time_of(value, now_ms))
}

/// [`point_in_time`] of a view.
pub(super) fn point_in_time_of(value: &Json<'_>, now_ms: f64) -> Result<f64, Vec<Violation>> {
    let ms = match value {
        Json::Number(n) => {
            let Some(f) = n.as_f64().filter(|f| f.is_finite()) else {
                return Err(one(
                    ViolationCode::Range,
                    "must be a finite number of epoch milliseconds",
                ));
            };
            if f.fract() != 0.0 {
                return Err(one(
                    ViolationCode::Format,
                    "must be a whole number of epoch milliseconds",
                ));
            }
            check_epoch(f, now_ms)?
        }
        Json::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            if s.len() > 16 {
                return Err(one(
                    ViolationCode::Range,
                    "is too large for epoch milliseconds",
                ));
            }
            let f = s
                .parse::<u64>()
                .map_err(|_| one(ViolationCode::Format, ACCEPTED))? as f64;
            check_epoch(f, now_ms)?
        }
        Json::String(s) => parse_date_time(s).map_err(|m| one(ViolationCode::Format, m))?,
        other => {
            return Err(one(
                ViolationCode::Type,
                format!(
                    "must be a number of epoch milliseconds or a date-time string, not {}",
                    super::json::type_name(other)
                ),
            ))
        }
    };
    check_range(ms, now_ms)?;
    Ok(ms)
}

/// The seconds heuristic, for numbers (not for date-time strings).
fn check_epoch(ms: f64, now_ms: f64) -> Result<f64, Vec<Violation>> {
    if (0.0..SECONDS_SUSPECT_BELOW).contains(&ms) {
        let as_ms = ms * 1000.0;
        if as_ms >= PLAUSIBLE_SINCE_MS && as_ms <= now_ms + CLOCK_SKEW_MS {
            return Err(one(
                ViolationCode::Format,
                format!(
                    "looks like epoch seconds, not milliseconds: as seconds it is {}; multiply by 1000",
                    format_iso_millis(as_ms)
                ),
            ));
        }
    }
    Ok(ms)
}

fn check_range(ms: f64, now_ms: f64) -> Result<(), Vec<Violation>> {
    if ms < 0.0 {
        return Err(one(
            ViolationCode::Range,
            "must not be before 1970-01-01T00:00:00Z",
        ));
    }
    if ms > MAX_MS || ms > now_ms + CLOCK_SKEW_MS {
        return Err(one(
            ViolationCode::Range,
            "must not be in the future (5 minutes of clock skew are allowed)",
        ));
    }
    Ok(())
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A tiny cursor over ASCII bytes.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Option<i64> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
}

/// Parses an RFC 3339 / ISO 8601 date-time with a zone into epoch ms (not range-checked).
fn parse_date_time(s: &str) -> Result<f64, String> {
    let bad = || ACCEPTED.to_owned();
    let mut c = Cursor {
        b: s.as_bytes(),
        i: 0,
    };
    let y = c.digits(4).ok_or_else(bad)?;
    let mo = c.eat(b'-').then(|| c.digits(2)).flatten().ok_or_else(bad)?;
    let d = c.eat(b'-').then(|| c.digits(2)).flatten().ok_or_else(bad)?;
    if c.peek().is_none() {
        return Err("needs a time and a time zone, e.g. 2023-11-05T13:15:30Z".to_owned());
    }
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return Err(bad());
    }
    let h = c.digits(2).ok_or_else(bad)?;
    let mi = c.eat(b':').then(|| c.digits(2)).flatten().ok_or_else(bad)?;
    let mut sec = 0;
    let mut frac_ms = 0;
    if c.eat(b':') {
        sec = c.digits(2).ok_or_else(bad)?;
        if c.eat(b'.') || c.eat(b',') {
            let start = c.i;
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                c.i += 1;
            }
            let n = c.i - start;
            if n == 0 || n > 9 {
                return Err(bad());
            }
            // first three digits, right-padded: ".5" = 500 ms, ".123456" = 123 ms (truncated)
            frac_ms = (0..3).fold(0, |acc, k| {
                let digit = if k < n {
                    c.b.get(start + k).map_or(0, |b| i64::from(b - b'0'))
                } else {
                    0
                };
                acc * 10 + digit
            });
        }
    }
    let offset_min = match c.peek() {
        Some(b'Z' | b'z') => {
            c.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c.digits(2).ok_or_else(bad)?;
            let om = if c.peek().is_some() {
                c.eat(b':');
                c.digits(2).ok_or_else(bad)?
            } else {
                0
            };
            if oh > 23 || om > 59 {
                return Err("has an invalid time zone offset".to_owned());
            }
            let total = oh * 60 + om;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        None => {
            return Err("needs a time zone: Z or an offset like +01:00".to_owned());
        }
        Some(_) => return Err(bad()),
    };
    if c.peek().is_some() {
        return Err(bad());
    }
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return Err(format!(
            "is not a valid calendar date: {y:04}-{mo:02}-{d:02}"
        ));
    }
    if h > 23 || mi > 59 || sec > 59 {
        return Err(format!(
            "is not a valid time of day: {h:02}:{mi:02}:{sec:02}"
        ));
    }
    let days = days_from_civil(y, mo, d);
    let ms = ((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) + frac_ms;
    Ok(ms as f64)
}

/// Formats epoch milliseconds as an ISO 8601 UTC string with milliseconds,
/// e.g. `2023-11-05T13:15:30.000Z`. Fractions are floored to whole milliseconds; a non-finite
/// value is treated as 0 and values are clamped to the JS `Date` range (±8.64e15 ms), so this
/// never panics.
pub fn format_iso_millis(ms: f64) -> String {
    let ms = if ms.is_finite() {
        ms.clamp(-MAX_MS, MAX_MS)
    } else {
        0.0
    };
    let total = ms.floor() as i64;
    let millis = total.rem_euclid(1000);
    let secs = total.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const NOW: f64 = 1_700_000_000_000.0; // 2023-11-14T22:13:20Z

    fn ok(v: Value) -> f64 {
        point_in_time(&v, NOW).unwrap_or_else(|e| panic!("{v}: {e:?}"))
    }

    fn err(v: Value) -> ViolationCode {
        let e = point_in_time(&v, NOW).expect_err(&v.to_string());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "pointInTime");
        e[0].code
    }

    #[test]
    fn epoch_millis() {
        assert_eq!(ok(json!(1_420_070_400_000_u64)), 1_420_070_400_000.0);
        assert_eq!(ok(json!("1420070400000")), 1_420_070_400_000.0);
        assert_eq!(ok(json!(1_420_070_400_000.0)), 1_420_070_400_000.0);
        assert_eq!(ok(json!(0)), 0.0);
        assert_eq!(ok(json!("0")), 0.0);
        assert_eq!(ok(json!(NOW + CLOCK_SKEW_MS)), NOW + CLOCK_SKEW_MS);
    }

    #[test]
    fn refused_numbers() {
        assert_eq!(err(json!(1.5)), ViolationCode::Format);
        assert_eq!(err(json!(-1)), ViolationCode::Range);
        assert_eq!(err(json!(NOW + CLOCK_SKEW_MS + 1.0)), ViolationCode::Range);
        assert_eq!(err(json!("99999999999999999")), ViolationCode::Range);
        assert_eq!(err(json!("9999999999999999")), ViolationCode::Range);
        assert_eq!(err(json!(1e300)), ViolationCode::Range);
    }

    #[test]
    fn epoch_seconds_are_recognised() {
        let e = point_in_time(&json!(1_420_070_400), NOW).unwrap_err();
        assert_eq!(e[0].code, ViolationCode::Format);
        assert!(e[0].message.contains("seconds"), "{}", e[0].message);
        assert_eq!(err(json!("1700000000")), ViolationCode::Format);
        // not plausible as seconds either: small numbers are early-1970 milliseconds
        assert_eq!(ok(json!(86_400_000)), 86_400_000.0);
        // seconds that would be in the future are not flagged as seconds (they are 1970 ms)
        assert_eq!(ok(json!(1_800_000_000)), 1_800_000_000.0);
    }

    #[test]
    fn iso_date_times() {
        assert_eq!(ok(json!("2015-01-01T00:00:00Z")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01T00:00:00.000Z")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01t00:00:00z")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01 00:00:00Z")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01T00:00Z")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01T01:00:00+01:00")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01T01:00:00+0100")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01T01:00:00+01")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2014-12-31T19:30:00-04:30")), 1_420_070_400_000.0);
        assert_eq!(ok(json!("2015-01-01T00:00:00.5Z")), 1_420_070_400_500.0);
        assert_eq!(
            ok(json!("2015-01-01T00:00:00,123456789Z")),
            1_420_070_400_123.0
        );
        assert_eq!(ok(json!("2023-11-05T13:15:30Z")), 1_699_190_130_000.0);
        assert_eq!(ok(json!("2000-02-29T00:00:00Z")), 951_782_400_000.0);
        assert_eq!(ok(json!("1970-01-01T00:00:00Z")), 0.0);
    }

    #[test]
    fn refused_date_times() {
        for s in [
            "",
            "2015-01",
            "2015-01-01",
            "2015-01-01T00:00:00",
            "2015-01-01T00Z",
            "2015-1-01T00:00:00Z",
            "2015-01-01T00:00:00.Z",
            "2015-01-01T00:00:00.1234567890Z",
            "2015-01-01T00:00:00Zjunk",
            " 2015-01-01T00:00:00Z",
            "2015-01-01T00:00:00+1",
            "2015-01-01X00:00:00Z",
            "-1",
            "1e12",
            "now",
        ] {
            assert_eq!(err(json!(s)), ViolationCode::Format, "{s:?}");
        }
        for s in [
            "2015-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2015-02-30T00:00:00Z",
            "2015-04-31T00:00:00Z",
            "2015-13-01T00:00:00Z",
            "2015-00-10T00:00:00Z",
            "2015-01-00T00:00:00Z",
            "2015-01-01T24:00:00Z",
            "2015-01-01T23:60:00Z",
            "2015-01-01T23:59:60Z",
            "2015-01-01T00:00:00+24:00",
            "2015-01-01T00:00:00+01:60",
        ] {
            assert_eq!(err(json!(s)), ViolationCode::Format, "{s:?}");
        }
        assert_eq!(err(json!("1969-12-31T23:59:59.999Z")), ViolationCode::Range);
        assert_eq!(
            err(json!("1970-01-01T00:00:00+00:01")),
            ViolationCode::Range
        );
        assert_eq!(err(json!("2030-01-01T00:00:00Z")), ViolationCode::Range);
        assert_eq!(err(json!("9999-12-31T23:59:59Z")), ViolationCode::Range);
    }

    #[test]
    fn leap_years() {
        assert!(point_in_time(&json!("2016-02-29T00:00:00Z"), NOW).is_ok());
        assert!(point_in_time(&json!("2000-02-29T00:00:00Z"), NOW).is_ok());
        assert!(point_in_time(&json!("1900-02-29T00:00:00Z"), NOW).is_err());
    }

    #[test]
    fn wrong_types() {
        for v in [json!(null), json!(true), json!([]), json!({})] {
            assert_eq!(err(v), ViolationCode::Type);
        }
    }

    #[test]
    fn formats_iso_millis() {
        assert_eq!(format_iso_millis(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_iso_millis(951_782_400_000.0),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(
            format_iso_millis(1_700_000_000_123.9),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(
            format_iso_millis(1_699_190_130_000.0),
            "2023-11-05T13:15:30.000Z"
        );
        assert_eq!(format_iso_millis(-1.0), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_iso_millis(f64::NAN), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_iso_millis(f64::INFINITY), "1970-01-01T00:00:00.000Z");
        let _ = format_iso_millis(f64::MAX);
        let _ = format_iso_millis(f64::MIN);
    }

    #[test]
    fn round_trip() {
        for ms in [0.0, 1.0, 951_782_400_000.0, 1_420_070_400_123.0, NOW] {
            let s = format_iso_millis(ms);
            assert_eq!(parse_date_time(&s), Ok(ms), "{s}");
        }
    }
}
