//! The emulator's state: clusters per account, their lifecycle computed lazily from timestamps,
//! counters.
//!
//! Every status (`PROVISIONING` → `RUNNING`, a resize in progress, backup progress, the `DELETED`
//! window) is a function of the current time and of the instants recorded when requests arrived.
//! All durations below are for speed 1 and are divided by the speed. With real PostgreSQL servers
//! (a host's [`Backend`](crate::Backend)) those times are lower bounds: a node is also waited for
//! until its server accepts logins, and a resize until its nodes have restarted (the cluster's
//! `live` record, written by the backend).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

use instaclustr_pg_core::model::{
    ClusterStatus, NodeDetails, NodeRole, OperationStatus, PostgresqlCluster, Secret,
};
use instaclustr_pg_core::validate::format_iso_millis;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::cert::CaCert;
use crate::ids::{alphanumeric, new_uuid};
use crate::live::{BackupState, Live};
use crate::reply::ApiError;

/// First node of a new cluster running after this long.
pub const NODE_FIRST_MS: f64 = 120_000.0;
/// Each further node running this much later.
pub const NODE_STEP_MS: f64 = 45_000.0;
/// The cluster running this long after its last node.
pub const CLUSTER_AFTER_LAST_MS: f64 = 15_000.0;
/// Resize: each node of the data centre takes this long, one after the other.
pub const RESIZE_NODE_MS: f64 = 60_000.0;
/// Backup of the first node takes this long...
pub const BACKUP_MS: f64 = 90_000.0;
/// ...and each further node this much longer.
pub const BACKUP_STAGGER_MS: f64 = 5_000.0;
/// A deleted cluster answers with status `DELETED` this long, then is gone (404).
pub const DELETED_VISIBLE_MS: f64 = 60_000.0;
/// A node reload takes this long (`GENESIS` until then, `COMPLETED` after).
pub const RELOAD_MS: f64 = 10_000.0;
/// list-backups window (real time, not scaled).
pub const BACKUP_LIST_WINDOW_MS: f64 = 7.0 * 24.0 * 3600.0 * 1000.0;

/// A node as stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct NodeRec {
    /// Node ID.
    pub id: String,
    /// Rack.
    pub rack: String,
    /// Private address, inside the data centre's network.
    pub private_address: String,
    /// Public address (none for private network clusters).
    pub public_address: Option<String>,
    /// Roles.
    pub roles: Vec<String>,
}

/// A data centre as stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct DcRec {
    /// Data centre ID.
    pub id: String,
    /// Node size at creation.
    pub initial_node_size: String,
    /// Nodes.
    pub nodes: Vec<NodeRec>,
}

/// A resize request.
#[derive(Clone, Serialize, Deserialize)]
pub struct ResizeRec {
    /// Its operation ID (empty in records written before resize operations were served: one is
    /// derived from `start_ms` then, see [`ResizeRec::operation_id`]).
    #[serde(default)]
    pub id: String,
    /// When it was accepted.
    pub start_ms: f64,
    /// Index of the data centre.
    pub dc: usize,
    /// New node size.
    pub to: String,
}

impl ResizeRec {
    /// The operation's ID.
    pub fn operation_id(&self) -> String {
        if self.id.is_empty() {
            format!("00000000-0000-4000-8000-{:012x}", self.start_ms as u64)
        } else {
            self.id.clone()
        }
    }
}

/// A node reload request.
#[derive(Clone, Serialize, Deserialize)]
pub struct ReloadRec {
    /// Operation ID.
    pub id: String,
    /// The node.
    pub node_id: String,
    /// When it was asked for.
    pub start_ms: f64,
}

/// A maintenance event scheduled by a test (`POST /__emulator/maintenance`, test mode only).
#[derive(Clone, Serialize, Deserialize)]
pub struct MaintenanceRec {
    /// Event ID.
    pub id: String,
    /// What is done.
    pub description: String,
    /// When it starts.
    pub start_ms: f64,
    /// When it ends.
    pub end_ms: f64,
}

/// A cluster as stored.
#[derive(Clone, Serialize, Deserialize)]
pub struct ClusterRec {
    /// Cluster ID (lowercase UUID).
    pub id: String,
    /// Owning account (username).
    pub account: String,
    /// When provisioning started.
    pub created_ms: f64,
    /// The requested cluster, read-only fields removed; `nodeSize` follows resizes.
    pub spec: PostgresqlCluster,
    /// Default user password.
    pub password: String,
    /// Data centres.
    pub dcs: Vec<DcRec>,
    /// Resizes, oldest first.
    pub resizes: Vec<ResizeRec>,
    /// Backup trigger instants, oldest first.
    pub backups: Vec<f64>,
    /// When deleted.
    pub deleted_ms: Option<f64>,
    /// CA certificate.
    pub ca: CaCert,
    /// Source cluster of a restore.
    pub restored_from: Option<String>,
    /// Configuration properties set (`createConfiguration`): parameter name -> value.
    #[serde(default)]
    pub configurations: BTreeMap<String, String>,
    /// Node reloads, oldest first.
    #[serde(default)]
    pub reloads: Vec<ReloadRec>,
    /// Maintenance events (only a test schedules one).
    #[serde(default)]
    pub maintenance: Vec<MaintenanceRec>,
    /// Progress of the real servers (none in `--postgres off` mode).
    #[serde(skip)]
    pub live: Option<Arc<Live>>,
}

impl ClusterRec {
    fn node_count(&self) -> usize {
        self.dcs.iter().map(|d| d.nodes.len()).sum()
    }

    /// When the `k`-th node (over all data centres) is running.
    fn node_ready_ms(&self, k: usize, speed: f64) -> f64 {
        self.created_ms + (NODE_FIRST_MS + k as f64 * NODE_STEP_MS) / speed
    }

    /// Whether the real servers (if any) all accept logins.
    fn live_ready(&self) -> bool {
        self.live.as_ref().is_none_or(|l| l.all_ready())
    }

    /// Whether provisioning the real servers failed (the cause is on the emulator's stderr).
    fn live_failed(&self) -> bool {
        self.live
            .as_ref()
            .is_some_and(|l| !l.all_ready() && l.failure().is_some())
    }

    /// Whether the real servers are busy with an operation (a resize).
    fn live_busy(&self) -> bool {
        self.live.as_ref().is_some_and(|l| l.busy())
    }

    /// When the cluster is running.
    pub fn running_ms(&self, speed: f64) -> f64 {
        self.node_ready_ms(self.node_count().saturating_sub(1), speed)
            + CLUSTER_AFTER_LAST_MS / speed
    }

    /// When the last resize ends (none: `f64::MIN`).
    fn resize_end_ms(&self, speed: f64) -> f64 {
        self.resizes
            .iter()
            .map(|r| {
                let n = self.dcs.get(r.dc).map_or(1, |d| d.nodes.len().max(1));
                r.start_ms + n as f64 * RESIZE_NODE_MS / speed
            })
            .fold(f64::MIN, f64::max)
    }

    /// Whether the record is gone for good at `now`.
    pub fn gone(&self, now: f64, speed: f64) -> bool {
        self.deleted_ms
            .is_some_and(|d| now >= d + DELETED_VISIBLE_MS / speed)
    }

    /// A 409 naming `field` ("cannot `doing` now: ...") unless the cluster is RUNNING at `now`:
    /// what backups, configurations, the password and reloads each need first.
    pub fn require_running(
        &self,
        now: f64,
        speed: f64,
        field: &str,
        doing: &str,
    ) -> Result<(), ApiError> {
        let (status, _) = self.status(now, speed);
        if status == ClusterStatus::Running {
            return Ok(());
        }
        Err(ApiError::new(
            409,
            field,
            format!("cannot {doing} now: the cluster is {status}, not RUNNING"),
        ))
    }

    /// Cluster status and operation status at `now`.
    pub fn status(&self, now: f64, speed: f64) -> (ClusterStatus, OperationStatus) {
        if self.deleted_ms.is_some() {
            (ClusterStatus::Deleted, OperationStatus::NoOperation)
        } else if self.live_failed() {
            (ClusterStatus::Failed, OperationStatus::NoOperation)
        } else if now < self.running_ms(speed) || !self.live_ready() {
            (
                ClusterStatus::Provisioning,
                OperationStatus::OperationInProgress,
            )
        } else if now < self.resize_end_ms(speed) || self.live_busy() {
            (ClusterStatus::Running, OperationStatus::OperationInProgress)
        } else {
            (ClusterStatus::Running, OperationStatus::NoOperation)
        }
    }

    /// Whether node `node_id` is one of this cluster's.
    pub fn has_node(&self, node_id: &str) -> bool {
        self.dcs
            .iter()
            .flat_map(|d| &d.nodes)
            .any(|n| n.id.eq_ignore_ascii_case(node_id))
    }

    /// A reload as the API describes it (`PostgresqlReloadOperationV2`) at `now`.
    pub fn reload_json(&self, r: &ReloadRec, now: f64, speed: f64) -> Value {
        let end = r.start_ms + RELOAD_MS / speed;
        let (status, modified, message) = if now >= end {
            ("COMPLETED", end, "the node's configuration was reloaded")
        } else {
            ("GENESIS", r.start_ms, "reload requested")
        };
        json!({
            "operationId": r.id,
            "nodeId": r.node_id,
            "status": status,
            "message": message,
            "timeCreated": format_iso_millis(r.start_ms),
            "timeModified": format_iso_millis(modified),
        })
    }

    /// The resize operations of data centre `dc` at `now` (`ResizeOperationInfoV2` each, oldest
    /// first), from the resize lifecycle: the nodes are replaced one after the other, each in
    /// [`RESIZE_NODE_MS`].
    pub fn resize_operations(&self, dc: usize, now: f64, speed: f64) -> Vec<(bool, Value)> {
        let step = RESIZE_NODE_MS / speed;
        let nodes: &[NodeRec] = self.dcs.get(dc).map_or(&[], |d| &d.nodes);
        self.resizes
            .iter()
            .filter(|r| r.dc == dc)
            .map(|r| {
                let id = r.operation_id();
                let end = r.start_ms + nodes.len().max(1) as f64 * step;
                let active = now < end && self.deleted_ms.is_none();
                let replace: Vec<Value> = nodes
                    .iter()
                    .enumerate()
                    .map(|(j, n)| {
                        let from = r.start_ms + j as f64 * step;
                        let status = if now >= from + step {
                            "REPLACED"
                        } else if now >= from {
                            "RESTARTING"
                        } else {
                            "GENESIS"
                        };
                        json!({
                            "id": uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("{id}/{j}").as_bytes()).to_string(),
                            "nodeId": n.id,
                            // the emulator keeps a node's ID through a resize
                            "newNodeId": n.id,
                            "created": format_iso_millis(from),
                            "status": status,
                        })
                    })
                    .collect();
                let mut v = json!({
                    "id": id,
                    "status": if active { "IN_PROGRESS" } else if self.deleted_ms.is_some() && now < end { "DELETED" } else { "COMPLETED" },
                    "newNodeSize": r.to,
                    "nodePurpose": "POSTGRESQL",
                    "concurrentResizes": 1,
                    "created": format_iso_millis(r.start_ms),
                    "replaceOperations": replace,
                });
                if !active {
                    v["completed"] = json!(format_iso_millis(end.min(self.deleted_ms.unwrap_or(end))));
                }
                (active, v)
            })
            .collect()
    }

    /// Per-node backup events of one trigger: `(start, end, duration)` for global node `k`.
    fn backup_times(start: f64, k: usize, speed: f64) -> (f64, f64) {
        let dur = (BACKUP_MS + k as f64 * BACKUP_STAGGER_MS) / speed;
        (start, start + dur)
    }

    /// Start and end of a node's event: the scaled end, or later the real base backup's end
    /// (infinite while it runs), and whether it failed.
    fn backup_span(&self, start: f64, k: usize, speed: f64) -> (f64, f64, bool) {
        let (start, end) = Self::backup_times(start, k, speed);
        match self.live.as_ref().and_then(|l| l.backup(start)) {
            Some(BackupState::Done(real)) => (start, end.max(real), false),
            Some(BackupState::Failed(real)) => (start, end.max(real), true),
            Some(BackupState::Running) => (start, f64::INFINITY, false),
            None => (start, end, false),
        }
    }

    /// When the earliest completed backup completed (all its node events done), if any.
    pub fn first_completed_backup(&self, now: f64, speed: f64) -> Option<f64> {
        let last = self.node_count().saturating_sub(1);
        self.backups
            .iter()
            .filter_map(|s| {
                let (_, end, failed) = self.backup_span(*s, last, speed);
                (!failed).then_some(end)
            })
            .filter(|end| *end <= now)
            .fold(None, |acc: Option<f64>, e| {
                Some(acc.map_or(e, |a| a.min(e)))
            })
    }

    /// The cluster as the API describes it at `now`.
    pub fn view(&self, now: f64, speed: f64) -> PostgresqlCluster {
        let (status, op) = self.status(now, speed);
        let mut c = self.spec.clone();
        c.id = Some(self.id.clone());
        c.status = Some(status.clone());
        c.current_cluster_operation_status = Some(op);
        c.default_user_password = Some(Secret::new(self.password.clone()));
        c.pci_compliance_mode = Some(false);
        let mut k = 0usize;
        for (di, (dc, rec)) in c.data_centres.iter_mut().zip(&self.dcs).enumerate() {
            dc.id = Some(rec.id.clone());
            dc.status = Some(status.clone());
            let mut nodes = Vec::new();
            for (j, n) in rec.nodes.iter().enumerate() {
                let mut ready = self.node_ready_ms(k, speed);
                if let Some(live) = &self.live {
                    // a real node is ready when its server accepts logins, not before
                    ready = live.ready_at(k).map_or(f64::INFINITY, |r| r.max(ready));
                }
                k += 1;
                let mut size = rec.initial_node_size.clone();
                for r in self.resizes.iter().filter(|r| r.dc == di) {
                    if now >= r.start_ms + (j + 1) as f64 * RESIZE_NODE_MS / speed {
                        size = r.to.clone();
                    }
                }
                let node_status = match (&self.deleted_ms, now >= ready) {
                    (Some(_), _) => ClusterStatus::Deleted,
                    (None, true) => ClusterStatus::Running,
                    (None, false) if self.live_failed() => ClusterStatus::Failed,
                    (None, false) => ClusterStatus::Provisioning,
                };
                nodes.push(NodeDetails {
                    id: Some(n.id.clone()),
                    rack: Some(n.rack.clone()),
                    node_size: Some(size),
                    private_address: Some(n.private_address.clone()),
                    public_address: n.public_address.clone(),
                    start_time: (now >= ready).then(|| format_iso_millis(ready)),
                    deletion_time: self.deleted_ms.map(format_iso_millis),
                    status: Some(node_status),
                    node_roles: Some(n.roles.iter().map(|r| NodeRole::from(r.as_str())).collect()),
                });
            }
            dc.nodes = Some(nodes);
            dc.deleted_nodes = Some(Vec::new());
        }
        c
    }

    /// `CommonClusterBackupEventsV2` at `now`: the events of the last 7 days.
    pub fn backup_events(&self, now: f64, speed: f64) -> Value {
        let mut k = 0usize;
        let dcs: Vec<Value> = self
            .spec
            .data_centres
            .iter()
            .zip(&self.dcs)
            .map(|(dc, rec)| {
                let nodes: Vec<Value> = rec
                    .nodes
                    .iter()
                    .map(|n| {
                        let events: Vec<Value> = self
                            .backups
                            .iter()
                            .filter(|s| **s >= now - BACKUP_LIST_WINDOW_MS && **s <= now)
                            .map(|s| {
                                let (start, end, failed) = self.backup_span(*s, k, speed);
                                let scaled_end = Self::backup_times(*s, k, speed).1;
                                let progress = if now >= end {
                                    1.0
                                } else if scaled_end > start {
                                    // a real backup still running stays below 1
                                    ((now - start) / (scaled_end - start)).clamp(0.0, 0.99)
                                } else {
                                    0.99
                                };
                                let progress = (progress * 1000.0).floor() / 1000.0;
                                if now >= end && failed {
                                    json!({"start": start.round() as i64, "end": end.round() as i64, "progress": progress.min(0.99),
                                           "state": "FAILED", "type": "postgresql-backup"})
                                } else if now >= end {
                                    json!({"start": start.round() as i64, "end": end.round() as i64, "progress": 1.0,
                                           "state": "COMPLETED", "type": "postgresql-backup"})
                                } else {
                                    json!({"start": start.round() as i64, "progress": progress,
                                           "state": "ACTIVE", "type": "postgresql-backup"})
                                }
                            })
                            .collect();
                        k += 1;
                        let mut v = json!({"id": n.id, "privateAddress": n.private_address, "events": events});
                        if let Some(p) = &n.public_address {
                            v["publicAddress"] = json!(p);
                        }
                        v
                    })
                    .collect();
                json!({"id": rec.id, "name": dc.name, "nodes": nodes})
            })
            .collect();
        json!({"id": self.id, "name": self.spec.name, "clusterDataCentres": dcs})
    }
}

/// Builds the stored form of a new cluster from a validated request.
pub fn new_cluster(
    id: String,
    account: &str,
    mut spec: PostgresqlCluster,
    now: f64,
    ca: CaCert,
    restored_from: Option<String>,
    rng: &mut fastrand::Rng,
) -> ClusterRec {
    spec.id = None;
    spec.status = None;
    spec.current_cluster_operation_status = None;
    spec.default_user_password = None;
    spec.pci_compliance_mode = None;
    spec.resize_settings = None;
    let private_only = spec.private_network_cluster;
    let mut dcs = Vec::new();
    for dc in &mut spec.data_centres {
        dc.id = None;
        dc.status = None;
        dc.nodes = None;
        dc.deleted_nodes = None;
        let base = instaclustr_pg_core::validate::parse_cidr(&dc.network)
            .map(|c| u32::from(c.addr))
            .unwrap_or(u32::from(Ipv4Addr::new(10, 0, 0, 0)));
        let pgbouncer = dc.pg_bouncer.as_ref().is_some_and(|p| !p.is_empty());
        let provider = dc.cloud_provider.as_str().to_owned();
        let region = dc.region.to_ascii_lowercase().replace('_', "-");
        let nodes = (0..dc.number_of_nodes as usize)
            .map(|j| {
                let mut roles = vec!["POSTGRESQL".to_owned()];
                if pgbouncer {
                    roles.push("PGBOUNCER".to_owned());
                }
                let letter = (b'a' + (j % 3) as u8) as char;
                let rack = match provider.as_str() {
                    "AWS_VPC" | "GCP" => format!("{region}{letter}"),
                    _ => format!("{region}-{}", j % 3 + 1),
                };
                NodeRec {
                    id: new_uuid(rng),
                    rack,
                    private_address: Ipv4Addr::from(base.wrapping_add(10 + j as u32)).to_string(),
                    // documentation ranges (RFC 5737), never routed; real servers replace it
                    // with the node's loopback address
                    public_address: (!private_only).then(|| {
                        let net = ["192.0.2", "198.51.100", "203.0.113"][rng.usize(..3)];
                        format!("{net}.{}", rng.u8(1..=254))
                    }),
                    roles,
                }
            })
            .collect();
        dcs.push(DcRec {
            id: new_uuid(rng),
            initial_node_size: dc.node_size.clone(),
            nodes,
        });
    }
    let password = alphanumeric(rng, 24);
    ClusterRec {
        id,
        account: account.to_owned(),
        created_ms: now,
        spec,
        password,
        dcs,
        resizes: Vec::new(),
        backups: Vec::new(),
        deleted_ms: None,
        ca,
        restored_from,
        configurations: BTreeMap::new(),
        reloads: Vec::new(),
        maintenance: Vec::new(),
        live: None,
    }
}

/// Counters served by `GET /__emulator/stats`.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Clusters created by `POST .../clusters/v2/` (not restores), all accounts.
    pub clusters_created: u64,
    /// The same per account.
    pub clusters_created_by_account: BTreeMap<String, u64>,
    /// Clusters created by restores.
    pub clusters_restored: u64,
    /// Requests by operation name (every request that reached an API route, faults included).
    pub requests_by_operation: BTreeMap<String, u64>,
    /// Faults injected (header or random).
    pub faults_injected: u64,
    /// Requests refused by the rate limit.
    pub rate_limited: u64,
}

/// All mutable state, behind one mutex.
#[derive(Default)]
pub struct State {
    /// Clusters by ID.
    pub clusters: BTreeMap<String, ClusterRec>,
    /// Counters.
    pub stats: Stats,
    /// Fault tokens seen (`X-Emulator-Fault-Once` / `-Count`).
    pub fault_counts: BTreeMap<String, u64>,
    /// The clusters changed since the host last saved them (set by [`State::save`], the insert
    /// and the purge; read and cleared by each exchange).
    pub changed: bool,
}

impl State {
    /// Drops clusters whose `DELETED` window has passed.
    pub fn purge(&mut self, now: f64, speed: f64) {
        let before = self.clusters.len();
        self.clusters.retain(|_, c| !c.gone(now, speed));
        if self.clusters.len() != before {
            self.changed = true;
        }
    }

    /// The caller's cluster (404 for unknown and other accounts' clusters).
    pub fn get(&self, account: &str, id: &str) -> Result<&ClusterRec, ApiError> {
        self.clusters
            .get(&id.to_ascii_lowercase())
            .filter(|c| c.account == account)
            .ok_or_else(|| ApiError::no_cluster(id))
    }

    /// Mutable access to the caller's cluster.
    pub fn get_mut(&mut self, account: &str, id: &str) -> Result<&mut ClusterRec, ApiError> {
        self.clusters
            .get_mut(&id.to_ascii_lowercase())
            .filter(|c| c.account == account)
            .ok_or_else(|| ApiError::no_cluster(id))
    }

    /// Changes the caller's cluster with `f`, and when `f` succeeds notes that the state changed
    /// (a host with a state file saves it): what every handler that changes a cluster does.
    ///
    /// # Errors
    /// A 404 when the account has no such cluster; `f`'s error (nothing is noted then).
    pub fn change<T>(
        &mut self,
        account: &str,
        id: &str,
        f: impl FnOnce(&mut ClusterRec) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let out = f(self.get_mut(account, id)?)?;
        self.changed = true;
        Ok(out)
    }

    /// Notes that cluster `id` changed (a host with a state file saves it).
    pub fn save(&mut self, id: &str) {
        if self.clusters.contains_key(id) {
            self.changed = true;
        }
    }

    /// Inserts a new cluster.
    pub fn insert(&mut self, rec: ClusterRec) {
        self.clusters.insert(rec.id.clone(), rec);
        self.changed = true;
    }
}
