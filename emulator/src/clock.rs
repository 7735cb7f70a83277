//! The wall clock, the only clock of the native emulator: the core's `now_ms` and the times the
//! PostgreSQL engine records.

/// Milliseconds since the epoch, now.
pub fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}
