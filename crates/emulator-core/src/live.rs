//! What a real PostgreSQL backend (the native emulator's engine) has achieved for a cluster, read
//! by the lifecycle (`state.rs`). A module of its own below the lifecycle: a cluster's record
//! keeps it, and the backend, which takes the cluster records of `state.rs`, writes to it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Per-cluster progress, shared between the engine's worker and the API.
#[derive(Default)]
pub struct Live {
    /// Per node (over all data centres, in order): when its server first accepted a login
    /// (milliseconds since the epoch), 0 while not yet.
    ready_ms: Vec<AtomicU64>,
    /// A resize (or another operation) is being carried out.
    busy: AtomicBool,
    /// The last failure, for the log and tests.
    failure: Mutex<Option<String>>,
    /// Real base backups by trigger instant (ms, rounded).
    backups: Mutex<Vec<(u64, BackupState)>>,
}

/// A real base backup's state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BackupState {
    /// `pg_basebackup` is running.
    Running,
    /// Finished at this instant (ms since the epoch).
    Done(f64),
    /// Failed at this instant (the cause is on stderr).
    Failed(f64),
}

impl Live {
    /// For `nodes` nodes, none ready.
    pub fn new(nodes: usize) -> Self {
        Self {
            ready_ms: (0..nodes).map(|_| AtomicU64::new(0)).collect(),
            ..Self::default()
        }
    }
    /// When node `k` became ready, if it has.
    pub fn ready_at(&self, k: usize) -> Option<f64> {
        let v = self.ready_ms.get(k)?.load(Ordering::Acquire);
        (v > 0).then_some(v as f64)
    }
    /// Every node is ready.
    pub fn all_ready(&self) -> bool {
        self.ready_ms.iter().all(|r| r.load(Ordering::Acquire) > 0)
    }
    /// Node `k` is ready at `ms`.
    pub fn set_ready(&self, k: usize, ms: f64) {
        if let Some(r) = self.ready_ms.get(k) {
            r.store((ms as u64).max(1), Ordering::Release);
        }
    }
    /// An operation is in progress.
    pub fn busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }
    /// Marks an operation in progress or done.
    pub fn set_busy(&self, b: bool) {
        self.busy.store(b, Ordering::Release);
    }
    /// Records a failure.
    pub fn fail(&self, message: String) {
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(message);
    }
    /// The last failure.
    pub fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// A base backup triggered at `start_ms` is running.
    pub fn backup_started(&self, start_ms: f64) {
        let mut b = self.backups.lock().unwrap_or_else(|p| p.into_inner());
        let key = start_ms.round() as u64;
        if !b.iter().any(|(s, _)| *s == key) {
            b.push((key, BackupState::Running));
        }
    }
    /// The base backup triggered at `start_ms` finished (`Done`) or failed.
    pub fn backup_ended(&self, start_ms: f64, state: BackupState) {
        let mut b = self.backups.lock().unwrap_or_else(|p| p.into_inner());
        let key = start_ms.round() as u64;
        match b.iter_mut().find(|(s, _)| *s == key) {
            Some(e) => e.1 = state,
            None => b.push((key, state)),
        }
    }
    /// The real backup of the trigger at `start_ms` (`None` when the engine knows none).
    pub fn backup(&self, start_ms: f64) -> Option<BackupState> {
        let key = start_ms.round() as u64;
        self.backups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(s, _)| *s == key)
            .map(|(_, e)| *e)
    }
}
