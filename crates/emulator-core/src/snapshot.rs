//! The versioned JSON snapshot of the state: `{"version": 1, "clusters": [...], "rng": seed}`.
//! Clusters' secrets are included (it is a state file).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::ClusterRec;

/// The version this emulator writes; it reads it and every older one.
pub const VERSION: u64 = 1;

/// The snapshot's form.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Snapshot {
    /// [`VERSION`].
    pub version: u64,
    /// Every cluster, deleted ones still visible included, ordered by ID.
    pub clusters: Vec<ClusterRec>,
    /// The generator's state, so that a restored emulator draws what the saved one would have.
    #[serde(default)]
    pub rng: Option<u64>,
}

/// Reads a snapshot.
///
/// # Errors
/// What is wrong: no version, a newer version, or the record that does not read (with serde's
/// message).
pub fn read(v: &Value) -> Result<Snapshot, String> {
    let version = match v.get("version") {
        None => return Err("not an emulator snapshot: no \"version\"".into()),
        Some(x) => x
            .as_u64()
            .ok_or_else(|| "damaged snapshot: \"version\" is not a whole number".to_owned())?,
    };
    if version > VERSION {
        return Err(format!(
            "snapshot version {version} is newer than this emulator's ({VERSION}): use a newer emulator"
        ));
    }
    let snap = Snapshot::deserialize(v).map_err(|e| format!("damaged snapshot: {e}"))?;
    let mut seen = std::collections::BTreeSet::new();
    for c in &snap.clusters {
        if !seen.insert(c.id.as_str()) {
            return Err(format!("damaged snapshot: cluster {} appears twice", c.id));
        }
    }
    Ok(snap)
}
