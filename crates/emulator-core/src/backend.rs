//! What the API handlers ask of the PostgreSQL side (the [`Backend`] trait), and [`Off`], the
//! backend of records only. The native emulator implements the trait with real servers.

use std::path::PathBuf;

use crate::reply::ApiError;
use crate::state::ClusterRec;

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
    /// A cluster loaded from a state file or snapshot: restart its servers.
    fn resume(&self, rec: &mut ClusterRec);
    /// The nodes of data centre `dc` get the settings of `size`, one by one.
    fn resize(&self, rec: &ClusterRec, dc: usize, size: &str);
    /// A base backup of the cluster, triggered at `start_ms` (its events follow it).
    fn backup(&self, rec: &ClusterRec, start_ms: f64);
    /// Stops the cluster's servers and removes their data.
    fn delete(&self, rec: &ClusterRec);
    /// Sets (`Some`) or resets (`None`) configuration `name` in the server configuration of
    /// every node of cluster `id` (`ALTER SYSTEM`): each node applies it at its next reload.
    /// Blocks until done; called without holding the state's lock.
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
