//! The point-in-time parser on arbitrary text and numbers, with an arbitrary clock.
#![no_main]
use instaclustr_pg_core::validate;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (now, rest) = match data.split_first_chunk::<8>() {
        Some((n, rest)) => (f64::from_le_bytes(*n), rest),
        None => (1_764_000_000_000.0, data),
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let _ = validate::point_in_time(&Value::String(text.clone()), now);
    let _ = validate::point_in_time(&Value::String(text), 1_764_000_000_000.0);
    if let Ok(v) = serde_json::from_slice::<Value>(rest) {
        let _ = validate::point_in_time(&v, now);
    }
    let _ = validate::format_iso_millis(now);
});
