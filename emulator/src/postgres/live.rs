//! What the engine has achieved for a cluster, read by the lifecycle (`state.rs`).

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
}
