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
pub mod binaries;
pub mod engine;
pub mod node;
pub mod run;
pub mod settings;

use std::path::PathBuf;
use std::str::FromStr;

pub use engine::Engine;

// the progress record lives below state.rs (`crate::live`); still named here, where it is written
pub use crate::live::{BackupState, Live};
use crate::state::{ApiError, ClusterRec};

/// Default maximum number of real nodes running at once.
pub const DEFAULT_MAX_NODES: usize = 8;

/// The `--postgres` switch.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Mode {
    /// Real servers when the binaries are found, else records only.
    Auto,
    /// Records only (no PostgreSQL).
    #[default]
    Off,
    /// Real servers from the binaries in this folder (`initdb`, `postgres`, `pg_basebackup`).
    Path(PathBuf),
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Self::Auto),
            "off" => Ok(Self::Off),
            "" => Err("--postgres: expected auto, off or a folder of PostgreSQL binaries".into()),
            p => Ok(Self::Path(PathBuf::from(p))),
        }
    }
}

/// What the API handlers ask of the PostgreSQL side.
pub trait Backend: Send + Sync {
    /// One line for the start-up banner: which servers back the clusters.
    fn description(&self) -> String;
    /// Whether clusters get real servers.
    fn is_real(&self) -> bool;
    /// The folder holding the clusters' data folders (real servers only).
    fn data_dir(&self) -> Option<PathBuf> {
        None
    }
    /// A new cluster (create or restore), before it is stored: assigns the node addresses and
    /// starts provisioning. `restore_from` is the source cluster and the instant to recover to.
    ///
    /// # Errors
    /// A 4xx when the node limit would be exceeded; a 500 when the work cannot be started.
    fn provision(
        &self,
        rec: &mut ClusterRec,
        restore_from: Option<(&ClusterRec, f64)>,
    ) -> Result<(), ApiError>;
    /// A cluster loaded from the state file: restart its servers.
    fn resume(&self, rec: &mut ClusterRec);
    /// The nodes of data centre `dc` get the settings of `size`, one by one.
    fn resize(&self, rec: &ClusterRec, dc: usize, size: &str);
    /// A base backup of the cluster, triggered at `start_ms` (its events follow it).
    fn backup(&self, rec: &ClusterRec, start_ms: f64);
    /// Stops the cluster's servers and removes their data.
    fn delete(&self, rec: &ClusterRec);
    /// Stops every server (idempotent, blocking, bounded in time).
    fn shutdown(&self);
}

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

/// Settings of the real side.
#[derive(Clone, Debug)]
pub struct Options {
    /// The switch.
    pub mode: Mode,
    /// Most real nodes at once.
    pub max_nodes: usize,
    /// Where data folders live; `None`: a temporary folder removed at shutdown.
    pub data_dir: Option<PathBuf>,
    /// No progress lines on stderr.
    pub quiet: bool,
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
