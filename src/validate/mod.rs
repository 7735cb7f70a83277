//! Pure validators. Each works on untyped JSON (`serde_json::Value`) so that a wrong type is
//! reported as a violation like any other, and each returns *every* violation, not the first.
//!
//! Entry points (stable contract used by requests, the emulator and the JS surface):
//! - [`create_cluster`], [`update_cluster`], [`restore_cluster`]: request bodies;
//! - [`cluster_id`]: a cluster ID in a path (UUID);
//! - [`point_in_time`]: the point-in-time parser.

mod violation;

pub use violation::{Violation, ViolationCode};

use serde_json::Value;

/// Validates a create-cluster body (`PostgresqlClusterV2`), field rules and cross-field rules.
pub fn create_cluster(body: &Value) -> Vec<Violation> {
    let _ = body;
    Vec::new() // TODO(validate): filled in by the validation work
}

/// Validates an update body (`PostgresqlClusterUpdateV2`): exactly one data centre.
pub fn update_cluster(body: &Value) -> Vec<Violation> {
    let _ = body;
    Vec::new() // TODO(validate)
}

/// Validates a restore body (`ClusterRestoreV2`); `now_ms` is the current time, for `pointInTime`.
pub fn restore_cluster(body: &Value, now_ms: f64) -> Vec<Violation> {
    let _ = (body, now_ms);
    Vec::new() // TODO(validate)
}

/// Validates a cluster ID given as a path parameter (a UUID); `path` names it in violations.
pub fn cluster_id(id: &str, path: &str) -> Vec<Violation> {
    let _ = (id, path);
    Vec::new() // TODO(validate)
}
