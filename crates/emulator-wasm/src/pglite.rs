//! The core's [`Backend`] for `postgres: "pglite"`: each cluster's primary is a PGlite database
//! run by the JS host (js/emulator/pglite.js). This side assigns each node a loopback address,
//! keeps the limit of live databases and each cluster's [`Live`] record (what the lifecycle reads:
//! a cluster is RUNNING only once the host says its database answers), and records the work in a
//! queue the host drains after each exchange and carries out asynchronously.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard};

use instaclustr_pg_emulator_core::live::{BackupState, Live};
use instaclustr_pg_emulator_core::state::ClusterRec;
use instaclustr_pg_emulator_core::{ApiError, Backend};
use serde::Serialize;

/// The default of `maxDatabases` (about 200 MB of memory each, never given back by PGlite).
pub const DEFAULT_MAX_DATABASES: usize = 4;

/// Work for the host, in the order the API asked for it.
#[derive(Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Job {
    /// A new cluster's primary: a database from the template, or from the newest backup of
    /// `restore_from` taken at or before `restore_to_ms`.
    Provision {
        cluster_id: String,
        address: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        restore_from: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        restore_to_ms: Option<f64>,
    },
    /// A cluster of a restored snapshot: its database from the snapshot's dump (or the template).
    Resume { cluster_id: String, address: String },
    /// A backup (a dump of the database) triggered at `start_ms`.
    Backup { cluster_id: String, start_ms: f64 },
    /// The cluster is deleted: close its database and listener.
    Delete { cluster_id: String },
}

struct Inner {
    /// Addresses for new nodes (its own generator: the emulator's draws stay the seed's).
    rng: fastrand::Rng,
    /// Live databases by cluster ID (each holds a slot until deleted).
    lives: BTreeMap<String, Arc<Live>>,
    /// Each live cluster's node addresses.
    addresses: BTreeMap<String, Vec<Ipv4Addr>>,
    jobs: Vec<Job>,
}

/// Addresses held by the emulators of this module instance (one per JS realm: a process).
fn held() -> MutexGuard<'static, BTreeSet<Ipv4Addr>> {
    static HELD: Mutex<BTreeSet<Ipv4Addr>> = Mutex::new(BTreeSet::new());
    HELD.lock().unwrap_or_else(|p| p.into_inner())
}

/// The PGlite backend.
pub struct Pglite {
    max: usize,
    inner: Mutex<Inner>,
}

impl Pglite {
    /// At most `max` live databases; addresses drawn from a generator seeded with `seed`.
    pub fn new(max: usize, seed: u64) -> Self {
        Self {
            max,
            inner: Mutex::new(Inner {
                rng: fastrand::Rng::with_seed(seed ^ 0x5047_4c69_7465_u64),
                lives: BTreeMap::new(),
                addresses: BTreeMap::new(),
                jobs: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The queued work, oldest first, emptied.
    pub fn take_jobs(&self) -> Vec<Job> {
        std::mem::take(&mut self.lock().jobs)
    }

    /// The live record of cluster `id`, when it has a database.
    pub fn live(&self, id: &str) -> Option<Arc<Live>> {
        self.lock().lives.get(id).cloned()
    }

    /// A fresh address in 127.64.0.0–127.191.255.254, held until released.
    fn allocate(rng: &mut fastrand::Rng) -> Option<Ipv4Addr> {
        let mut h = held();
        for _ in 0..200 {
            let a = Ipv4Addr::new(127, rng.u8(64..=191), rng.u8(..), rng.u8(2..=254));
            if h.insert(a) {
                return Some(a);
            }
        }
        None
    }

    fn release(addresses: &[Ipv4Addr]) {
        let mut h = held();
        for a in addresses {
            h.remove(a);
        }
    }

    /// The over-the-limit refusal, naming `dataCentres` as the native limit does.
    fn over_limit(&self, in_use: usize) -> ApiError {
        ApiError::new(
            409,
            "dataCentres",
            format!(
                "the emulator runs at most {} PGlite databases and {in_use} are in use: delete a cluster, or start the emulator with a larger maxDatabases (--postgres-max-databases) or postgres off",
                self.max
            ),
        )
    }
}

/// A node's address (public unless the cluster is private-network only), when loopback.
fn node_address(public: Option<&str>, private: &str) -> Option<Ipv4Addr> {
    public
        .or(Some(private))
        .and_then(|a| a.parse::<Ipv4Addr>().ok())
        .filter(Ipv4Addr::is_loopback)
}

impl Backend for Pglite {
    fn description(&self) -> String {
        format!(
            "postgres: pglite, each cluster's primary a PGlite database (PGlite's PostgreSQL version whatever the cluster's; standbys are records; a restore returns the newest backup at or before the instant; one session at a time), at most {} databases",
            self.max
        )
    }

    fn is_real(&self) -> bool {
        true
    }

    fn provision(
        &self,
        rec: &mut ClusterRec,
        restore_from: Option<(&ClusterRec, f64)>,
    ) -> Result<(), ApiError> {
        let mut inner = self.lock();
        let in_use = inner.lives.len();
        if in_use >= self.max {
            return Err(self.over_limit(in_use));
        }
        let private_only = rec.spec.private_network_cluster;
        let mut addresses = Vec::new();
        for dc in &mut rec.dcs {
            for node in &mut dc.nodes {
                let Some(a) = Self::allocate(&mut inner.rng) else {
                    Self::release(&addresses);
                    return Err(ApiError::new(
                        503,
                        "",
                        "no free loopback address for a node",
                    ));
                };
                addresses.push(a);
                if private_only {
                    node.private_address = a.to_string();
                } else {
                    node.public_address = Some(a.to_string());
                }
            }
        }
        let Some(primary) = addresses.first().copied() else {
            return Err(ApiError::new(500, "", "a cluster with no node"));
        };
        let live = Arc::new(Live::new(addresses.len()));
        rec.live = Some(live.clone());
        inner.lives.insert(rec.id.clone(), live);
        inner.addresses.insert(rec.id.clone(), addresses);
        inner.jobs.push(Job::Provision {
            cluster_id: rec.id.clone(),
            address: primary.to_string(),
            restore_from: restore_from.map(|(src, _)| src.id.clone()),
            restore_to_ms: restore_from.map(|(_, at)| at),
        });
        Ok(())
    }

    fn resume(&self, rec: &mut ClusterRec) {
        if rec.deleted_ms.is_some() {
            return;
        }
        let addresses: Option<Vec<Ipv4Addr>> = rec
            .dcs
            .iter()
            .flat_map(|d| &d.nodes)
            .map(|n| node_address(n.public_address.as_deref(), &n.private_address))
            .collect();
        // a record made with postgres off (documentation addresses) stays a record
        let Some(addresses) = addresses.filter(|a| !a.is_empty()) else {
            return;
        };
        let live = Arc::new(Live::new(addresses.len()));
        rec.live = Some(live.clone());
        let mut inner = self.lock();
        let in_use = inner.lives.len();
        if in_use >= self.max {
            live.fail(format!(
                "over the limit of {} PGlite databases: its database is not started",
                self.max
            ));
            return;
        }
        {
            let mut h = held();
            if let Some(taken) = addresses.iter().find(|a| h.contains(a)) {
                live.fail(format!("address {taken} is in use"));
                return;
            }
            h.extend(addresses.iter().copied());
        }
        inner.lives.insert(rec.id.clone(), live);
        inner.jobs.push(Job::Resume {
            cluster_id: rec.id.clone(),
            address: addresses[0].to_string(),
        });
        inner.addresses.insert(rec.id.clone(), addresses);
    }

    fn resize(&self, _: &ClusterRec, _: usize, _: &str) {}

    fn backup(&self, rec: &ClusterRec, start_ms: f64) {
        let mut inner = self.lock();
        let Some(live) = inner.lives.get(&rec.id) else {
            return;
        };
        live.backup_started(start_ms);
        inner.jobs.push(Job::Backup {
            cluster_id: rec.id.clone(),
            start_ms,
        });
    }

    fn delete(&self, rec: &ClusterRec) {
        let mut inner = self.lock();
        if inner.lives.remove(&rec.id).is_none() {
            return;
        }
        if let Some(addresses) = inner.addresses.remove(&rec.id) {
            Self::release(&addresses);
        }
        inner.jobs.push(Job::Delete {
            cluster_id: rec.id.clone(),
        });
    }

    fn shutdown(&self) {}
}

/// An emulator closed (its core freed) gives its addresses back to the process.
impl Drop for Pglite {
    fn drop(&mut self) {
        let inner = self.lock();
        for addresses in inner.addresses.values() {
            Self::release(addresses);
        }
    }
}

/// What the host reports back, on the live records the lifecycle reads.
impl Pglite {
    /// Cluster `id`'s database answers since `ms`: every node is ready (standbys are records).
    pub fn ready(&self, id: &str, ms: f64) {
        let inner = self.lock();
        if let (Some(live), Some(addresses)) = (inner.lives.get(id), inner.addresses.get(id)) {
            for k in 0..addresses.len() {
                live.set_ready(k, ms);
            }
        }
    }

    /// Cluster `id`'s database could not be made: the cluster is FAILED.
    pub fn failed(&self, id: &str, message: String) {
        if let Some(live) = self.live(id) {
            live.fail(message);
        }
    }

    /// The backup of cluster `id` triggered at `start_ms` ended at `end_ms` (`ok`: a dump exists).
    pub fn backup_ended(&self, id: &str, start_ms: f64, end_ms: f64, ok: bool) {
        if let Some(live) = self.live(id) {
            let state = if ok {
                BackupState::Done(end_ms)
            } else {
                BackupState::Failed(end_ms)
            };
            live.backup_ended(start_ms, state);
        }
    }
}
