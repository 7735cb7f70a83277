//! Real PostgreSQL behind the emulator: one server per node, on its own loopback address, with
//! TLS signed by the cluster CA, Instaclustr's users, streaming standbys, resizes that restart the
//! nodes one by one, and the processes stopped when the emulator stops.
//!
//! The API handlers talk to a [`Backend`]: [`Off`] (records only, today's behaviour) or the
//! [`Engine`] (real servers). The engine does its work on one worker thread per cluster; what it
//! has achieved is published in the cluster's [`Live`] record, which the lifecycle in
//! `state.rs` consults: a node is `RUNNING` only when its server accepts a TLS login as
//! `icpostgresql` (the scaled time stays a lower bound).

pub mod address;
mod backend;
pub mod binaries;
pub mod engine;
pub mod node;
pub mod parameters;
pub mod run;
pub mod settings;

pub use backend::{Backend, Mode, Options};
pub use engine::Engine;

// the progress record lives below state.rs (`crate::live`); still named here, where it is written
pub use crate::live::{BackupState, Live};
use crate::state::{ApiError, ClusterRec};

/// Default maximum number of real nodes running at once.
pub const DEFAULT_MAX_NODES: usize = 8;

/// Records only: nothing runs, the lifecycle is the timestamps'.
pub struct Off {
    /// Why (`--postgres off`, or no binaries found by `auto`).
    pub reason: String,
}

impl Backend for Off {
    fn description(&self) -> String {
        format!("postgres: off ({}), clusters are records only", self.reason)
    }
    fn is_real(&self) -> bool {
        false
    }
    fn provision(&self, _: &mut ClusterRec, _: Option<(&ClusterRec, f64)>) -> Result<(), ApiError> {
        Ok(())
    }
    fn resume(&self, _: &mut ClusterRec) {}
    fn resize(&self, _: &ClusterRec, _: usize, _: &str) {}
    fn backup(&self, _: &ClusterRec, _: f64) {}
    fn delete(&self, _: &ClusterRec) {}
    fn shutdown(&self) {}
}

/// The backend for `options`.
///
/// # Errors
/// A message when `--postgres <path>` names a folder without the binaries, or the data folder
/// cannot be made.
pub fn open(options: &Options) -> Result<std::sync::Arc<dyn Backend>, String> {
    let found =
        match &options.mode {
            Mode::Off => {
                return Ok(std::sync::Arc::new(Off {
                    reason: "--postgres off".into(),
                }))
            }
            Mode::Auto => match binaries::discover() {
                Some(b) => b,
                None => return Ok(std::sync::Arc::new(Off {
                    reason:
                        "--postgres auto found no PostgreSQL binaries in /usr/lib/postgresql/*/bin"
                            .into(),
                })),
            },
            Mode::Path(p) => binaries::at(p)?,
        };
    Ok(std::sync::Arc::new(Engine::new(found, options)?))
}
