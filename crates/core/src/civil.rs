//! Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01 (H. Hinnant's
//! `days_from_civil` / `civil_from_days`), the one copy shared by the point-in-time parser and
//! formatter (`validate`) and the `Retry-After` date parser (`retry`).
//!
//! Written by hand, after looking for a crate: the formatter must cover the whole range of a JS
//! `Date` (±8.64e15 ms, years -271821 to 275760), which `time` and `jiff` (years ±9999) and
//! `chrono` (years ±262143) cannot represent, and the callers need only these two pure integer
//! functions, not a crate's parsing, formatting and time-zone machinery in the wasm.

/// Days since 1970-01-01 of year `y`, month `m` (1-12), day `d` (1-31); negative before 1970.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month (1-12) and day (1-31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_dates() {
        for (days, ymd) in [
            (0, (1970, 1, 1)),
            (-1, (1969, 12, 31)),
            (18_321, (2020, 2, 29)),
            (11_016, (2000, 2, 29)),
            (-719_468, (0, 3, 1)),
            (2_932_896, (9999, 12, 31)),
            // the ends of the JS Date range (±8.64e15 ms), beyond the date crates' ranges
            (100_000_000, (275_760, 9, 13)),
            (-100_000_000, (-271_821, 4, 20)),
        ] {
            assert_eq!(civil_from_days(days), ymd, "{days}");
            assert_eq!(days_from_civil(ymd.0, ymd.1, ymd.2), days, "{ymd:?}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = days_from_civil(1900, 1, 1);
        let mut prev = civil_from_days(start - 1);
        for days in start..start + 146_097 {
            let ymd = civil_from_days(days);
            assert_eq!(days_from_civil(ymd.0, ymd.1, ymd.2), days);
            assert_ne!(ymd, prev);
            prev = ymd;
        }
    }
}
