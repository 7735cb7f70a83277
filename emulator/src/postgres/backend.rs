//! What the API handlers ask of the PostgreSQL side (the [`Backend`] trait) and the settings that
//! choose a backend ([`Options`], the `--postgres` [`Mode`]). Below the two files that use them:
//! the engine (`engine.rs`) implements the trait and is built from the options, and `mod.rs`
//! builds the engine or [`Off`](super::Off) in [`open`](super::open), so the engine needs nothing
//! of `mod.rs`.

use std::path::PathBuf;
use std::str::FromStr;

use crate::state::{ApiError, ClusterRec};

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
    /// Sets (`Some`) or resets (`None`) configuration `name` in the server configuration of
    /// every node of cluster `id` (`ALTER SYSTEM`): each node applies it at its next reload.
    /// Blocks until done; call it without holding the state's lock.
    ///
    /// # Errors
    /// A 400 naming `name` (not a parameter of the server, or one that only a restart applies)
    /// or `value` (refused by the server); a 503 when the servers do not answer in time.
    fn configure(&self, _id: &str, _name: &str, _value: Option<&str>) -> Result<(), ApiError> {
        Ok(())
    }
    /// Reloads the server of node `node` (its index over the cluster's data centres) of cluster
    /// `id`. Blocks until done.
    ///
    /// # Errors
    /// A 503 when the server does not answer in time.
    fn reload(&self, _id: &str, _node: usize) -> Result<(), ApiError> {
        Ok(())
    }
    /// Sets the default user's password on the servers of cluster `id` (every node, standbys
    /// once they have replayed it); the emulator logs in with it from then on. Blocks until done.
    ///
    /// # Errors
    /// A 503 when the servers do not answer in time.
    fn set_password(&self, _id: &str, _password: &str) -> Result<(), ApiError> {
        Ok(())
    }
    /// Stops every server (idempotent, blocking, bounded in time).
    fn shutdown(&self);
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
