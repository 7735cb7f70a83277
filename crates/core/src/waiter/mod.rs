//! Waiters: poll until a cluster is running (or gone), until a backup has finished, or until a
//! node's reload has completed, with a growing delay, a deadline, cancellation and progress
//! reports.
//!
//! Default delays: first poll after [`DEFAULT_MIN_DELAY_MS`] (5 s), each next delay 1.5 times
//! longer up to [`DEFAULT_MAX_DELAY_MS`] (30 s). Provisioning takes minutes; polling faster
//! than every few seconds only spends the account's rate limit (which every script of the
//! account shares) and learns nothing sooner. Each poll is a normal `getCluster` /
//! `listBackups` call with its own retries.
//!
//! The judgement works on a small view of each observation ([`ClusterView`], [`BackupView`]):
//! the native client makes it from its typed model, the wasm client from the value `JSON.parse`
//! built of the checked body, and each keeps its own value of the answer (`V` in [`Client::wait_with`], the one loop
//! of both waiters).

mod view;

pub use view::{BackupNodeView, BackupView, ClusterView, EventView, Parsed};

use crate::client::{elapsed_ms, CallError, CallOptions, CallResult, Client};
use crate::endpoints::{self, Endpoint};
use crate::error::Error;
use crate::model::{
    BackupEventState, ClusterBackupEvents, ClusterStatus, OperationStatus, PostgresqlCluster,
    ReloadStatus,
};
use crate::transport::{aborted_opt, race, Abort, Either, Runtime, Transport};

/// Default first delay between polls.
pub const DEFAULT_MIN_DELAY_MS: u64 = 5_000;
/// Default largest delay between polls.
pub const DEFAULT_MAX_DELAY_MS: u64 = 30_000;

/// What to wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitUntil {
    /// `status` RUNNING and `currentClusterOperationStatus` NO_OPERATION.
    Running,
    /// The cluster is gone (404) or DELETED.
    Deleted,
}

/// Options of a waiter.
#[derive(Clone, Debug)]
pub struct WaitOptions {
    /// Target state (clusters only).
    pub until: WaitUntil,
    /// First delay between polls.
    pub min_delay_ms: u64,
    /// Largest delay between polls.
    pub max_delay_ms: u64,
    /// Give up after this long ([`Error::Waiter`]).
    pub max_wait_ms: u64,
    /// Cancels the wait at once.
    pub abort: Option<Abort>,
    /// `waitForBackup` only: ignore backup events that started before this instant (epoch ms).
    pub since_ms: Option<f64>,
}

impl WaitOptions {
    /// Default delays, waiting at most `max_wait_ms`.
    pub fn new(until: WaitUntil, max_wait_ms: u64) -> Self {
        Self {
            until,
            min_delay_ms: DEFAULT_MIN_DELAY_MS,
            max_delay_ms: DEFAULT_MAX_DELAY_MS,
            max_wait_ms,
            abort: None,
            since_ms: None,
        }
    }

    /// The delay before poll number `n + 1` (0-based `n`): `min * 1.5^n`, at most `max`.
    pub fn delay_ms(&self, n: u32) -> u64 {
        let min = self.min_delay_ms.min(self.max_delay_ms) as f64;
        let d = min * 1.5f64.powi(n.min(64) as i32);
        if d.is_finite() {
            (d as u64).min(self.max_delay_ms)
        } else {
            self.max_delay_ms
        }
    }
}

/// A node as observed by a waiter.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeProgress {
    /// Node ID.
    pub id: Option<String>,
    /// Name of its data centre.
    pub data_centre: String,
    /// Its status (clusters) or the state of its newest backup event (backups).
    pub status: Option<String>,
    /// Backup progress 0..1 (backups only).
    pub progress: Option<f64>,
}

/// One observation of a waiter, given to the progress callback.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Cluster ID.
    pub cluster_id: String,
    /// Cluster status (`None` for backups, or a cluster that is gone: `DELETED`).
    pub status: Option<String>,
    /// `currentClusterOperationStatus` (clusters).
    pub operation_status: Option<String>,
    /// Per-node view.
    pub nodes: Vec<NodeProgress>,
    /// Overall progress 0..1 (backups; for clusters 1 when done, else 0).
    pub progress: f64,
    /// Polls made so far.
    pub polls: u32,
    /// Milliseconds since the wait started.
    pub elapsed_ms: u64,
}

enum Verdict<T> {
    Done(T),
    Fail(String),
    Continue,
}

fn cluster_progress(id: &str, c: ClusterView, polls: u32, elapsed: u64, done: bool) -> Progress {
    Progress {
        cluster_id: id.to_owned(),
        status: c.status,
        operation_status: c.operation_status,
        nodes: c.nodes,
        progress: if done { 1.0 } else { 0.0 },
        polls,
        elapsed_ms: elapsed,
    }
}

/// Judges one cluster observation (the wire values read as the model's enumerations).
fn judge_cluster(until: WaitUntil, c: &ClusterView) -> Verdict<()> {
    let status = c.status.as_deref().map(ClusterStatus::from);
    let op = c.operation_status.as_deref().map(OperationStatus::from);
    if op == Some(OperationStatus::OperationFailed) {
        return Verdict::Fail("the cluster operation failed (OPERATION_FAILED)".into());
    }
    match until {
        WaitUntil::Running => match &status {
            Some(ClusterStatus::Running)
                if op == Some(OperationStatus::NoOperation) || op.is_none() =>
            {
                Verdict::Done(())
            }
            Some(ClusterStatus::Failed) => Verdict::Fail("the cluster is FAILED".into()),
            Some(s @ (ClusterStatus::Deleted | ClusterStatus::Deleting)) => Verdict::Fail(format!(
                "the cluster is {} while waiting for RUNNING",
                s.as_str()
            )),
            _ => Verdict::Continue,
        },
        WaitUntil::Deleted => match status {
            Some(ClusterStatus::Deleted) => Verdict::Done(()),
            _ => Verdict::Continue,
        },
    }
}

/// Overall backup progress and verdict: the newest event of every node (started at or after
/// `since`) must be COMPLETED; one FAILED fails the wait.
pub fn backup_progress(
    events: &ClusterBackupEvents,
    since_ms: Option<f64>,
) -> (Vec<NodeProgress>, f64, Option<bool>) {
    backup_view_progress(&BackupView::from(events), since_ms)
}

/// [`backup_progress`] of a view.
pub fn backup_view_progress(
    view: &BackupView,
    since_ms: Option<f64>,
) -> (Vec<NodeProgress>, f64, Option<bool>) {
    let mut nodes = Vec::new();
    let mut sum = 0.0;
    let mut all_done = true;
    let mut failed = false;
    for n in &view.nodes {
        let newest = n
            .events
            .iter()
            .filter(|e| match (since_ms, e.start) {
                (Some(s), Some(st)) => st >= s,
                (Some(_), None) => false,
                (None, _) => true,
            })
            .max_by(|a, b| a.start.unwrap_or(0.0).total_cmp(&b.start.unwrap_or(0.0)));
        let state = newest.and_then(|e| e.state.as_deref());
        let known = state.map(BackupEventState::from);
        let p = match newest {
            Some(e) => match known {
                Some(BackupEventState::Completed) => 1.0,
                _ => e
                    .progress
                    .filter(|p| p.is_finite())
                    .unwrap_or(0.0)
                    .clamp(0.0, 1.0),
            },
            None => 0.0,
        };
        match known {
            Some(BackupEventState::Completed) => {}
            Some(BackupEventState::Failed) => failed = true,
            _ => all_done = false,
        }
        sum += p;
        nodes.push(NodeProgress {
            id: n.id.clone(),
            data_centre: n.data_centre.clone(),
            status: state.map(str::to_owned),
            progress: Some(p),
        });
    }
    let overall = if nodes.is_empty() {
        0.0
    } else {
        sum / nodes.len() as f64
    };
    let verdict = if failed {
        Some(false)
    } else if all_done && !nodes.is_empty() {
        Some(true)
    } else {
        None
    };
    (nodes, overall, verdict)
}

/// What a waiter polls: the cluster (`getCluster`) or its backup events (`listBackups`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watch {
    /// `waitForCluster`: polls `getCluster`, until [`WaitOptions::until`].
    Cluster,
    /// `waitForBackup`: polls `listBackups`, until every node's newest backup is COMPLETED.
    Backup,
    /// `waitForReload`: polls `getNodeReload` (the ID is a node's), until the reload is
    /// COMPLETED; FAILED fails the wait.
    Reload,
}

impl Watch {
    fn name(self) -> &'static str {
        match self {
            Watch::Cluster => "waitForCluster",
            Watch::Backup => "waitForBackup",
            Watch::Reload => "waitForReload",
        }
    }
}

/// The view of one observation, as [`Observe`] reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    /// A cluster (`getCluster`).
    Cluster(ClusterView),
    /// Backup events (`listBackups`).
    Backup(BackupView),
    /// A node's latest reload (`getNodeReload`): its status.
    Reload(Option<String>),
}

/// How a waiter reads a poll's final answer: the caller's value of it and the view judged. A
/// plain function, so that one waiter loop serves both waiters for a given value type `T`.
pub type Observe<T> = fn(u16, &[u8]) -> Result<(T, View), Error>;

/// One observation judged: the progress event, the verdict, and the status a `WaiterError`
/// then reports (the cluster's status; for backups `FAILED` on a failure, else none).
struct Judged {
    progress: Progress,
    verdict: Verdict<()>,
    last: Option<String>,
}

impl<T: Transport, R: Runtime> Client<T, R> {
    fn waiter_error(
        &self,
        name: &'static str,
        start: f64,
        polls: u32,
        message: String,
        last: Option<String>,
    ) -> CallError {
        CallError {
            error: Error::Waiter {
                message,
                last_status: last,
            },
            operation: name,
            attempts: polls,
            elapsed_ms: elapsed_ms(start, self.now()),
            outcome_unknown: false,
            hint: None,
            headers: Vec::new(),
        }
    }

    /// Sleeps `ms` unless aborted; `Err` when aborted.
    async fn wait_sleep(&self, ms: u64, abort: Option<&Abort>) -> Result<(), ()> {
        match race(self.runtime().sleep(ms), aborted_opt(abort)).await {
            Either::Left(()) => Ok(()),
            Either::Right(()) => Err(()),
        }
    }

    /// Polls `getCluster` until `opts.until` is reached. Fails fast on OPERATION_FAILED, FAILED,
    /// or DELETED/DELETING while waiting for RUNNING; `on_progress` sees every observation.
    /// Returns the last cluster seen (`None` when it is gone).
    ///
    /// # Errors
    /// [`Error::Waiter`] on a terminal state or when `max_wait_ms` passes, [`Error::Aborted`],
    /// or the error of a poll that failed after its retries.
    pub async fn wait_for_cluster(
        &self,
        cluster_id: &str,
        opts: &WaitOptions,
        on_progress: &mut dyn FnMut(&Progress),
    ) -> CallResult<Option<PostgresqlCluster>> {
        let observe: Observe<Option<PostgresqlCluster>> = |status, body| {
            let c = endpoints::GetCluster::parse(status, body)?;
            let view = View::Cluster(ClusterView::from(&c));
            Ok((Some(c), view))
        };
        self.wait_with(Watch::Cluster, cluster_id, opts, on_progress, observe)
            .await
    }

    /// Polls `listBackups` until the newest backup event of every node is COMPLETED (fails on
    /// one FAILED); `on_progress` gets overall progress 0..1 and per-node states.
    ///
    /// # Errors
    /// As [`Client::wait_for_cluster`].
    pub async fn wait_for_backup(
        &self,
        cluster_id: &str,
        opts: &WaitOptions,
        on_progress: &mut dyn FnMut(&Progress),
    ) -> CallResult<ClusterBackupEvents> {
        let observe: Observe<ClusterBackupEvents> = |status, body| {
            let events = endpoints::ListBackups::parse(status, body)?;
            let view = View::Backup(BackupView::from(&events));
            Ok((events, view))
        };
        self.wait_with(Watch::Backup, cluster_id, opts, on_progress, observe)
            .await
    }

    /// Polls `getNodeReload` until the node's latest reload is COMPLETED (fails fast on
    /// FAILED); `on_progress` sees every observation (the node's ID in `cluster_id`).
    ///
    /// # Errors
    /// As [`Client::wait_for_cluster`].
    pub async fn wait_for_reload(
        &self,
        node_id: &str,
        opts: &WaitOptions,
        on_progress: &mut dyn FnMut(&Progress),
    ) -> CallResult<crate::model::ReloadOperation> {
        let observe: Observe<crate::model::ReloadOperation> = |status, body| {
            let r = endpoints::GetNodeReload::parse(status, body)?;
            let view = View::Reload(r.status.as_ref().map(|s| s.as_str().to_owned()));
            Ok((r, view))
        };
        self.wait_with(Watch::Reload, node_id, opts, on_progress, observe)
            .await
    }

    /// The waiters' one loop ([`Client::wait_for_cluster`], [`Client::wait_for_backup`]),
    /// reading each poll's answer with `observe`: the caller's value and the view judged. A
    /// cluster that is gone (404 while waiting for DELETED) gives `T::default()`.
    ///
    /// # Errors
    /// As [`Client::wait_for_cluster`].
    pub async fn wait_with<V: Default>(
        &self,
        watch: Watch,
        cluster_id: &str,
        opts: &WaitOptions,
        on_progress: &mut dyn FnMut(&Progress),
        observe: Observe<V>,
    ) -> CallResult<V> {
        let name = watch.name();
        let start = self.now();
        let deadline = start + opts.max_wait_ms as f64;
        let abort = opts.abort.as_ref();
        let cluster_id_owned = cluster_id.to_owned();
        let req = match watch {
            Watch::Cluster => endpoints::GetCluster {
                cluster_id: cluster_id_owned,
            }
            .build(self.request_options()),
            Watch::Backup => endpoints::ListBackups {
                cluster_id: cluster_id_owned,
            }
            .build(self.request_options()),
            Watch::Reload => endpoints::GetNodeReload {
                node_id: cluster_id_owned,
            }
            .build(self.request_options()),
        };
        let mut polls = 0u32;
        let mut last: Option<String>;
        loop {
            if abort.is_some_and(Abort::is_aborted) {
                return Err(self
                    .waiter_error(name, start, polls, String::new(), None)
                    .into_aborted());
            }
            polls += 1;
            let call = CallOptions {
                abort: opts.abort.clone(),
                timeout_ms: None,
            };
            let got = match &req {
                Ok(req) => match self.exchange(req, &call).await {
                    Ok(ex) => self.read(&ex, req, observe),
                    Err(e) => Err(e),
                },
                Err(e) => Err(CallError::bare(e.clone(), watch_operation(watch))),
            };
            let el = elapsed_ms(start, self.now());
            match got {
                Ok((value, view)) => {
                    let judged = self.judge(opts, cluster_id, view, polls, el, start);
                    on_progress(&judged.progress);
                    last = judged.last;
                    match judged.verdict {
                        Verdict::Done(()) => return Ok(value),
                        Verdict::Fail(m) => {
                            return Err(self.waiter_error(name, start, polls, m, last))
                        }
                        Verdict::Continue => {}
                    }
                }
                Err(e)
                    if watch == Watch::Cluster
                        && opts.until == WaitUntil::Deleted
                        && matches!(e.error, Error::Api { status: 404, .. }) =>
                {
                    on_progress(&Progress {
                        cluster_id: cluster_id.to_owned(),
                        status: Some("DELETED".into()),
                        operation_status: None,
                        nodes: Vec::new(),
                        progress: 1.0,
                        polls,
                        elapsed_ms: el,
                    });
                    return Ok(V::default());
                }
                Err(e) => {
                    return Err(CallError {
                        operation: name,
                        attempts: polls,
                        elapsed_ms: el,
                        ..e
                    })
                }
            }
            if self.pause(opts, polls, deadline).await.is_err() {
                return Err(self
                    .waiter_error(name, start, polls, String::new(), None)
                    .into_aborted());
            }
            if self.now() >= deadline {
                let m = match watch {
                    Watch::Cluster => format!(
                        "the cluster did not reach the target state within {} ms",
                        opts.max_wait_ms
                    ),
                    Watch::Backup => {
                        format!("the backup did not complete within {} ms", opts.max_wait_ms)
                    }
                    Watch::Reload => {
                        format!("the reload did not complete within {} ms", opts.max_wait_ms)
                    }
                };
                return Err(self.waiter_error(name, start, polls, m, last));
            }
        }
    }

    /// Judges one observation: its progress event, verdict and reported status. A backup's
    /// progress event is timed after judging, a cluster's at the answer.
    fn judge(
        &self,
        opts: &WaitOptions,
        cluster_id: &str,
        view: View,
        polls: u32,
        el: u64,
        start: f64,
    ) -> Judged {
        match view {
            View::Cluster(c) => {
                let verdict = judge_cluster(opts.until, &c);
                let last = c.status.clone();
                let done = matches!(verdict, Verdict::Done(()));
                Judged {
                    progress: cluster_progress(cluster_id, c, polls, el, done),
                    verdict,
                    last,
                }
            }
            View::Backup(b) => {
                let (nodes, progress, verdict) = backup_view_progress(&b, opts.since_ms);
                let progress = Progress {
                    cluster_id: cluster_id.to_owned(),
                    status: None,
                    operation_status: None,
                    nodes,
                    progress,
                    polls,
                    elapsed_ms: elapsed_ms(start, self.now()),
                };
                let (verdict, last) = match verdict {
                    Some(true) => (Verdict::Done(()), None),
                    Some(false) => (
                        Verdict::Fail("a node's backup FAILED".into()),
                        Some("FAILED".into()),
                    ),
                    None => (Verdict::Continue, None),
                };
                Judged {
                    progress,
                    verdict,
                    last,
                }
            }
            View::Reload(status) => {
                let known = status.as_deref().map(ReloadStatus::from);
                let verdict = match known {
                    Some(ReloadStatus::Completed) => Verdict::Done(()),
                    Some(ReloadStatus::Failed) => Verdict::Fail("the reload FAILED".into()),
                    _ => Verdict::Continue,
                };
                let done = matches!(verdict, Verdict::Done(()));
                // the ID waited on is the node's: it is the event's `clusterId` and its one node
                let progress = Progress {
                    cluster_id: cluster_id.to_owned(),
                    status: status.clone(),
                    operation_status: None,
                    nodes: vec![NodeProgress {
                        id: Some(cluster_id.to_owned()),
                        data_centre: String::new(),
                        status: status.clone(),
                        progress: Some(if done { 1.0 } else { 0.0 }),
                    }],
                    progress: if done { 1.0 } else { 0.0 },
                    polls,
                    elapsed_ms: el,
                };
                Judged {
                    progress,
                    verdict,
                    last: status,
                }
            }
        }
    }

    /// Sleeps the delay after poll `polls`, cut at the deadline (one last poll then happens at
    /// the deadline). `Err` when aborted.
    async fn pause(&self, opts: &WaitOptions, polls: u32, deadline: f64) -> Result<(), ()> {
        let remaining = deadline - self.now();
        let delay = opts.delay_ms(polls - 1);
        if remaining <= 0.0 {
            return Ok(());
        }
        self.wait_sleep(delay.min(remaining.ceil() as u64), opts.abort.as_ref())
            .await
    }
}

/// The operation a poll's own errors name before the waiter renames them.
fn watch_operation(watch: Watch) -> &'static str {
    match watch {
        Watch::Cluster => endpoints::GetCluster::SPEC.operation.name(),
        Watch::Backup => endpoints::ListBackups::SPEC.operation.name(),
        Watch::Reload => endpoints::GetNodeReload::SPEC.operation.name(),
    }
}

impl CallError {
    fn into_aborted(self) -> Self {
        Self {
            error: Error::Aborted,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_the_cap() {
        let o = WaitOptions::new(WaitUntil::Running, 1000);
        assert_eq!(o.delay_ms(0), 5000);
        assert_eq!(o.delay_ms(1), 7500);
        assert_eq!(o.delay_ms(2), 11_250);
        assert_eq!(o.delay_ms(10), 30_000);
        assert_eq!(o.delay_ms(u32::MAX), 30_000);
        let o = WaitOptions {
            min_delay_ms: 50_000,
            ..o
        };
        assert_eq!(o.delay_ms(0), 30_000);
    }

    #[test]
    fn backup_progress_uses_the_newest_event_per_node() {
        let ev: ClusterBackupEvents = serde_json::from_value(serde_json::json!({
            "clusterDataCentres": [{"name": "dc", "nodes": [
                {"id": "a", "events": [
                    {"start": 1.0, "state": "COMPLETED", "progress": 1.0},
                    {"start": 5.0, "state": "ACTIVE", "progress": 0.5}]},
                {"id": "b", "events": [{"start": 6.0, "state": "COMPLETED", "progress": 1.0, "end": null}]}
            ]}]
        }))
        .unwrap();
        let (nodes, p, v) = backup_progress(&ev, None);
        assert_eq!(nodes.len(), 2);
        assert!((p - 0.75).abs() < 1e-9);
        assert_eq!(v, None);
        // only events since 6: node a has none -> not done
        let (_, p, v) = backup_progress(&ev, Some(6.0));
        assert!((p - 0.5).abs() < 1e-9);
        assert_eq!(v, None);
        let failed: ClusterBackupEvents = serde_json::from_value(serde_json::json!({
            "clusterDataCentres": [{"nodes": [{"events": [{"start": 1.0, "state": "FAILED"}]}]}]
        }))
        .unwrap();
        assert_eq!(backup_progress(&failed, None).2, Some(false));
        assert_eq!(
            backup_progress(&ClusterBackupEvents::default(), None).2,
            None
        );
    }
}
