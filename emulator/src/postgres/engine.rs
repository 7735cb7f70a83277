//! The real backend: one worker thread per cluster that provisions, resizes and deletes its
//! servers in order, publishing progress in the cluster's [`Live`] record.
//!
//! Data lives in `<state file>.postgres/<cluster id>/<node index>/` with `--state` (kept, and the
//! servers restarted on the next start), else in a temporary folder removed at shutdown. Every
//! server is a child process of the emulator; [`Engine::shutdown`] (called by
//! `Server::shutdown`, its `Drop`, and the binary on Ctrl-C / SIGTERM) stops them all.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use instaclustr_pg_core::model::ReplicationMode;
use instaclustr_pg_core::validate::format_iso_millis;
use serde_json::json;

use super::address;
use super::backend::Options;
use super::binaries::Binaries;
use super::node::{self, NodeDir, Tools, ADMIN_ROLE, ADMIN_USER, DEFAULT_USER, REPLICATION_USER};
use super::run::RunAs;
use super::settings::{NodeSettings, Recovery, Sync};
use crate::clock::now_ms;
use instaclustr_pg_emulator_core::cert::{self, CaCert};
use instaclustr_pg_emulator_core::live::{BackupState, Live};
use instaclustr_pg_emulator_core::state::ClusterRec;
use instaclustr_pg_emulator_core::{ApiError, Backend};

/// Real PostgreSQL servers.
pub struct Engine {
    tools: Tools,
    base: PathBuf,
    temporary: bool,
    max_nodes: usize,
    quiet: bool,
    stop: Arc<AtomicBool>,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    nodes_in_use: usize,
    workers: HashMap<String, Worker>,
}

struct Worker {
    tx: Sender<Job>,
    handle: JoinHandle<()>,
    nodes: usize,
}

enum Job {
    Provision(Option<RestoreFrom>),
    Resume,
    Resize {
        dc: usize,
        size: String,
    },
    Backup {
        start_ms: f64,
    },
    Configure {
        name: String,
        value: Option<String>,
        reply: Sender<Result<(), ApiError>>,
    },
    Reload {
        node: usize,
        reply: Sender<Result<(), ApiError>>,
    },
    Password {
        password: String,
        reply: Sender<Result<(), ApiError>>,
    },
    Delete,
}

/// How long an API request waits for its cluster's worker (busy with a resize, say).
const ASK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The source of a point-in-time restore.
struct RestoreFrom {
    /// The source cluster's folder (its `backups/`, `wal/`, `secrets`, node 0's `ca.pem`).
    dir: PathBuf,
    /// Its primary.
    primary: Ipv4Addr,
    /// The instant to recover to.
    target_ms: f64,
}

/// One node as the worker sees it.
struct NodeWork {
    dc: usize,
    address: Ipv4Addr,
    size: String,
    dir: NodeDir,
    child: Option<Child>,
}

struct DcWork {
    sync: bool,
    strict: bool,
}

/// Passwords the emulator keeps for itself, in `<cluster dir>/secrets` (mode 0600).
struct Secrets {
    admin: String,
    replication: String,
}

/// Everything a cluster's worker owns.
struct ClusterWork {
    id: String,
    dir: PathBuf,
    tools: Tools,
    live: Arc<Live>,
    ca: CaCert,
    password: String,
    nodes: Vec<NodeWork>,
    dcs: Vec<DcWork>,
    stop: Arc<AtomicBool>,
    quiet: bool,
    /// The data survives a shutdown (`--state`): servers then stop with a clean checkpoint.
    keep_data: bool,
}

fn random_secret() -> String {
    (0..32).map(|_| fastrand::alphanumeric()).collect()
}

/// A single-quoted SQL literal.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl Engine {
    /// An engine over `bin`.
    ///
    /// # Errors
    /// A message when the server user is missing (as root) or the data folder cannot be made.
    pub fn new(bin: Binaries, options: &Options) -> Result<Self, String> {
        let run = RunAs::detect()?;
        let (base, temporary) = match &options.data_dir {
            Some(d) => (d.clone(), false),
            None => (
                scratch_dir().join(format!(
                    "instaclustr-pg-emulator.{}.{}",
                    std::process::id(),
                    fastrand::u32(..)
                )),
                true,
            ),
        };
        if !temporary {
            // the temporary folder is made with the first cluster (nothing is left behind by an
            // emulator that made none, even when it is killed)
            std::fs::create_dir_all(&base).map_err(|e| format!("{}: {e}", base.display()))?;
            set_mode(&base, 0o755)?;
        }
        Ok(Self {
            tools: Tools { bin, run },
            base,
            temporary,
            max_nodes: options.max_nodes,
            quiet: options.quiet,
            stop: Arc::new(AtomicBool::new(false)),
            inner: Mutex::new(Inner::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn cluster_dir(&self, id: &str) -> PathBuf {
        self.base.join(id)
    }

    /// Starts a worker for `rec` (addresses already set) and gives it `job`.
    fn spawn(&self, rec: &mut ClusterRec, job: Job) -> Result<(), ApiError> {
        let n = rec.dcs.iter().map(|d| d.nodes.len()).sum::<usize>();
        let live = Arc::new(Live::new(n));
        let mut nodes = Vec::new();
        let mut dcs = Vec::new();
        let dir = self.cluster_dir(&rec.id);
        for (di, (dc, spec)) in rec.dcs.iter().zip(&rec.spec.data_centres).enumerate() {
            dcs.push(DcWork {
                sync: spec
                    .intra_data_centre_replication
                    .first()
                    .is_some_and(|r| r.replication_mode == ReplicationMode::Synchronous),
                strict: rec.spec.synchronous_mode_strict,
            });
            for n in &dc.nodes {
                let address = n
                    .public_address
                    .as_deref()
                    .or(Some(n.private_address.as_str()))
                    .and_then(|a| a.parse::<Ipv4Addr>().ok())
                    .filter(Ipv4Addr::is_loopback)
                    .ok_or_else(|| ApiError::new(500, "", "a node has no loopback address"))?;
                let k = nodes.len();
                nodes.push(NodeWork {
                    dc: di,
                    address,
                    size: spec.node_size.clone(),
                    dir: NodeDir(dir.join(k.to_string())),
                    child: None,
                });
            }
        }
        let work = ClusterWork {
            id: rec.id.clone(),
            dir,
            tools: self.tools.clone(),
            live: live.clone(),
            ca: rec.ca.clone(),
            password: rec.password.clone(),
            nodes,
            dcs,
            stop: self.stop.clone(),
            quiet: self.quiet,
            keep_data: !self.temporary,
        };
        let (tx, rx) = channel();
        let _ = tx.send(job);
        let mut inner = self.lock();
        if self.stop.load(Ordering::Acquire) {
            return Err(ApiError::new(503, "", "the emulator is stopping"));
        }
        let handle = std::thread::Builder::new()
            .name(format!("pg-{}", &rec.id[..8.min(rec.id.len())]))
            .spawn(move || work.run(rx))
            .map_err(|e| ApiError::new(500, "", format!("cannot start a worker: {e}")))?;
        inner.nodes_in_use += n;
        inner.workers.insert(
            rec.id.clone(),
            Worker {
                tx,
                handle,
                nodes: n,
            },
        );
        rec.live = Some(live);
        Ok(())
    }

    fn send(&self, id: &str, job: Job) {
        if let Some(w) = self.lock().workers.get(id) {
            let _ = w.tx.send(job);
        }
    }

    /// Gives cluster `id`'s worker the job `make` builds around a reply channel, and waits for
    /// the reply (no worker: nothing to do).
    fn ask(
        &self,
        id: &str,
        make: impl FnOnce(Sender<Result<(), ApiError>>) -> Job,
    ) -> Result<(), ApiError> {
        let (tx, rx) = channel();
        {
            let inner = self.lock();
            let Some(w) = inner.workers.get(id) else {
                return Ok(());
            };
            if w.tx.send(make(tx)).is_err() {
                return Err(ApiError::new(503, "", "the cluster's servers are stopping"));
            }
        }
        rx.recv_timeout(ASK_TIMEOUT).unwrap_or_else(|_| {
            Err(ApiError::new(
                503,
                "",
                "the cluster's servers did not answer in time",
            ))
        })
    }

    /// Takes the node count back once a worker is gone.
    fn reap(&self) {
        let mut inner = self.lock();
        let done: Vec<String> = inner
            .workers
            .iter()
            .filter(|(_, w)| w.handle.is_finished())
            .map(|(id, _)| id.clone())
            .collect();
        for id in done {
            if let Some(w) = inner.workers.remove(&id) {
                inner.nodes_in_use = inner.nodes_in_use.saturating_sub(w.nodes);
                let _ = w.handle.join();
            }
        }
    }
}

/// Where temporary data goes: `/dev/shm` when it is a RAM file system with at least 1 GiB free
/// (initdb, base backups and the removal at shutdown are then much faster: removing a 2-node
/// cluster's 2,000 files took 2.9 s on the disk of a CI machine), else the temporary folder.
fn scratch_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if free_bytes(shm).is_some_and(|b| b >= 1 << 30) {
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a valid C string and a buffer of the right type; read only when the call succeeded.
    let st = unsafe {
        if libc::statvfs(c.as_ptr(), st.as_mut_ptr()) != 0 {
            return None;
        }
        st.assume_init()
    };
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", path.display()))
}

impl Backend for Engine {
    fn description(&self) -> String {
        let who = match self.tools.run.ids {
            Some(_) => format!(" as user {}", super::run::SERVER_USER),
            None => String::new(),
        };
        format!(
            "postgres: real servers, PostgreSQL {} ({}){who}, at most {} nodes, data in {}",
            self.tools.bin.version,
            self.tools.bin.dir.display(),
            self.max_nodes,
            self.base.display()
        )
    }

    fn is_real(&self) -> bool {
        true
    }

    fn data_dir(&self) -> Option<PathBuf> {
        Some(self.base.clone())
    }

    fn provision(
        &self,
        rec: &mut ClusterRec,
        restore_from: Option<(&ClusterRec, f64)>,
    ) -> Result<(), ApiError> {
        self.reap();
        let n = rec.dcs.iter().map(|d| d.nodes.len()).sum::<usize>();
        let in_use = self.lock().nodes_in_use;
        if in_use + n > self.max_nodes {
            return Err(ApiError::new(
                409,
                "dataCentres",
                format!(
                    "the emulator runs at most {} real PostgreSQL nodes and {in_use} are in use: delete a cluster, or start the emulator with a larger --postgres-max-nodes or --postgres off",
                    self.max_nodes
                ),
            ));
        }
        let mut held = Vec::new();
        let private_only = rec.spec.private_network_cluster;
        for dc in &mut rec.dcs {
            for node in &mut dc.nodes {
                let a = match address::allocate() {
                    Ok(a) => a,
                    Err(e) => {
                        held.iter().copied().for_each(address::release);
                        return Err(ApiError::new(503, "", e));
                    }
                };
                held.push(a);
                if private_only {
                    node.private_address = a.to_string();
                } else {
                    node.public_address = Some(a.to_string());
                }
            }
        }
        let restore = restore_from.and_then(|(src, target_ms)| {
            let primary = src
                .live
                .as_ref()
                .and(src.dcs.first()?.nodes.first())
                .and_then(|n| {
                    n.public_address
                        .as_deref()
                        .or(Some(n.private_address.as_str()))?
                        .parse::<Ipv4Addr>()
                        .ok()
                });
            match primary {
                Some(primary) => Some(RestoreFrom {
                    dir: self.cluster_dir(&src.id),
                    primary,
                    target_ms,
                }),
                None => {
                    eprintln!("warning: postgres: cluster {} has no real servers: the restored cluster starts empty", src.id);
                    None
                }
            }
        });
        if let Err(e) = self.spawn(rec, Job::Provision(restore)) {
            held.into_iter().for_each(address::release);
            return Err(e);
        }
        Ok(())
    }

    fn resume(&self, rec: &mut ClusterRec) {
        let dir = self.cluster_dir(&rec.id);
        if rec.deleted_ms.is_some() {
            let _ = std::fs::remove_dir_all(&dir);
            return;
        }
        let addresses: Vec<Option<Ipv4Addr>> = rec
            .dcs
            .iter()
            .flat_map(|d| &d.nodes)
            .map(|n| {
                n.public_address
                    .as_deref()
                    .or(Some(n.private_address.as_str()))
                    .and_then(|a| a.parse::<Ipv4Addr>().ok())
                    .filter(Ipv4Addr::is_loopback)
            })
            .collect();
        if addresses.iter().any(Option::is_none) {
            // a record made with --postgres off: it stays a record
            return;
        }
        if rec.ca.key_pem.is_none() {
            match cert::generate_ca(
                &rec.id,
                &format_iso_millis(now_ms()),
                &mut fastrand::Rng::new(),
            ) {
                Ok(ca) => rec.ca = ca,
                Err(e) => {
                    eprintln!("warning: postgres: cluster {}: {e}", rec.id);
                    return;
                }
            }
        }
        let taken: Vec<Ipv4Addr> = addresses
            .iter()
            .flatten()
            .copied()
            .filter(|a| !address::claim(*a))
            .collect();
        if !taken.is_empty() {
            eprintln!(
                "warning: postgres: cluster {}: address {} is in use; its servers are not started",
                rec.id, taken[0]
            );
            let live = Live::new(addresses.len());
            live.fail(format!("address {} is in use", taken[0]));
            rec.live = Some(Arc::new(live));
            return;
        }
        if let Err(e) = self.spawn(rec, Job::Resume) {
            eprintln!(
                "warning: postgres: cluster {}: {}",
                rec.id,
                e.errors.first().map_or("", |x| x.1.as_str())
            );
        }
    }

    fn resize(&self, rec: &ClusterRec, dc: usize, size: &str) {
        if let Some(live) = &rec.live {
            live.set_busy(true);
        }
        self.send(
            &rec.id,
            Job::Resize {
                dc,
                size: size.to_owned(),
            },
        );
    }

    fn backup(&self, rec: &ClusterRec, start_ms: f64) {
        if let Some(live) = &rec.live {
            live.backup_started(start_ms);
        }
        self.send(&rec.id, Job::Backup { start_ms });
    }

    fn delete(&self, rec: &ClusterRec) {
        self.send(&rec.id, Job::Delete);
    }

    fn configure(&self, id: &str, name: &str, value: Option<&str>) -> Result<(), ApiError> {
        self.ask(id, |reply| Job::Configure {
            name: name.to_owned(),
            value: value.map(str::to_owned),
            reply,
        })
    }

    fn reload(&self, id: &str, node: usize) -> Result<(), ApiError> {
        self.ask(id, |reply| Job::Reload { node, reply })
    }

    fn set_password(&self, id: &str, password: &str) -> Result<(), ApiError> {
        self.ask(id, |reply| Job::Password {
            password: password.to_owned(),
            reply,
        })
    }

    fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
        let workers: Vec<Worker> = {
            let mut inner = self.lock();
            inner.nodes_in_use = 0;
            inner.workers.drain().map(|(_, w)| w).collect()
        };
        for w in workers {
            drop(w.tx);
            let _ = w.handle.join();
        }
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.base);
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl ClusterWork {
    fn log(&self, what: &str, k: usize) {
        if !self.quiet {
            eprintln!(
                "{}",
                json!({"time": format_iso_millis(now_ms()), "postgres": what, "cluster": self.id,
                       "node": k, "address": self.nodes[k].address.to_string()})
            );
        }
    }

    fn failed(&self, what: &str, e: &str) {
        let msg = format!("{what}: {e}");
        eprintln!(
            "{}",
            json!({"time": format_iso_millis(now_ms()), "postgres": "failed", "cluster": self.id, "error": msg})
        );
        self.live.fail(msg);
    }

    fn run(mut self, rx: Receiver<Job>) {
        let mut deleted = false;
        while let Ok(job) = rx.recv() {
            if self.stop.load(Ordering::Acquire) {
                break;
            }
            match job {
                Job::Provision(restore) => {
                    if let Err(e) = self.provision(restore.as_ref()) {
                        self.failed("provisioning", &e);
                    }
                }
                Job::Backup { start_ms } => match self.backup(start_ms) {
                    Ok(end) => self.live.backup_ended(start_ms, BackupState::Done(end)),
                    Err(e) => {
                        self.live
                            .backup_ended(start_ms, BackupState::Failed(now_ms()));
                        self.failed("backup", &e);
                    }
                },
                Job::Resume => {
                    if let Err(e) = self.resume() {
                        self.failed("restart", &e);
                    }
                }
                Job::Resize { dc, size } => {
                    if let Err(e) = self.resize(dc, &size) {
                        self.failed("resize", &e);
                    }
                    self.live.set_busy(false);
                }
                Job::Configure { name, value, reply } => {
                    let _ = reply.send(self.configure(&name, value.as_deref()));
                }
                Job::Reload { node, reply } => {
                    let _ = reply.send(self.reload(node));
                }
                Job::Password { password, reply } => {
                    let _ = reply.send(self.set_password(password));
                }
                Job::Delete => {
                    deleted = true;
                    break;
                }
            }
        }
        // every node at once; immediate when the data is thrown away anyway
        let how = if deleted || !self.keep_data {
            node::Shutdown::Immediate
        } else {
            node::Shutdown::Fast
        };
        for c in self.nodes.iter_mut().filter_map(|n| n.child.as_mut()) {
            node::signal(c, how);
        }
        for n in &mut self.nodes {
            if let Some(c) = &mut n.child {
                node::wait_stopped(c);
            }
            n.child = None;
        }
        for n in &self.nodes {
            address::release(n.address);
        }
        if deleted {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn secrets_path(&self) -> PathBuf {
        self.dir.join("secrets")
    }

    fn load_secrets(&self) -> Option<Secrets> {
        load_secrets(&self.dir)
    }

    fn new_secrets(&self) -> Result<Secrets, String> {
        let s = Secrets {
            admin: random_secret(),
            replication: random_secret(),
        };
        save_secrets(&self.secrets_path(), &s)?;
        Ok(s)
    }

    fn settings(&self, k: usize, sync: Sync) -> NodeSettings {
        NodeSettings {
            address: self.nodes[k].address,
            node_size: self.nodes[k].size.clone(),
            sync,
            name: format!("{}-{k}", &self.id[..8.min(self.id.len())]),
            archive: (k == 0).then(|| self.archive_dir()),
            recovery: None,
        }
    }

    /// Whether node `k` streams from node 0 (the cluster's primary).
    fn is_standby(k: usize) -> bool {
        k > 0
    }

    /// The primary's synchronous setting: on when its data centre asks for it and has a standby.
    fn primary_sync(&self) -> Sync {
        let dc = self.nodes.first().map_or(0, |n| n.dc);
        let standbys = self.nodes.iter().skip(1).filter(|n| n.dc == dc).count();
        if self.dcs.get(dc).is_some_and(|d| d.sync) && standbys > 0 {
            Sync::On
        } else {
            Sync::Off
        }
    }

    fn prepare_node(&self, k: usize) -> Result<(), String> {
        let cert = cert::server_cert(
            &self.ca,
            self.nodes[k].address,
            &format_iso_millis(now_ms()),
            &mut fastrand::Rng::new(),
        )?;
        node::prepare(&self.tools, &self.nodes[k].dir, &self.ca.pem, &cert)
    }

    fn start_node(&mut self, k: usize, sync: Sync, login_as: (&str, &str)) -> Result<(), String> {
        node::write_settings(&self.tools, &self.nodes[k].dir, &self.settings(k, sync))?;
        let mut child = node::start(&self.tools, &self.nodes[k].dir)?;
        let r = node::wait_login(
            &self.tools,
            &self.nodes[k].dir,
            &mut child,
            self.nodes[k].address,
            login_as.0,
            login_as.1,
            &self.stop,
        );
        self.nodes[k].child = Some(child);
        r
    }

    fn admin_sql(&self, secrets: &Secrets, sql: &str) -> Result<String, String> {
        node::sql(
            &self.tools,
            &self.nodes[0].dir,
            self.nodes[0].address,
            ADMIN_USER,
            &secrets.admin,
            sql,
        )
    }

    fn provision(&mut self, restore: Option<&RestoreFrom>) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        if let Some(base) = self.dir.parent() {
            // the server user must be able to traverse it whatever the umask
            set_mode(base, 0o755)?;
        }
        set_mode(&self.dir, 0o755)?;
        self.tools.run.own_dir(&self.archive_dir())?;
        let secrets = match restore {
            Some(src) => {
                let secrets = self.restore_primary(src)?;
                self.ready(0);
                secrets
            }
            None => self.init_primary()?,
        };
        for k in 1..self.nodes.len() {
            self.provision_standby(k, &secrets)?;
        }
        self.apply_primary_sync(&secrets, self.primary_sync())
    }

    /// A new primary: `initdb`, start, Instaclustr's roles.
    fn init_primary(&mut self) -> Result<Secrets, String> {
        let secrets = self.new_secrets()?;
        self.prepare_node(0)?;
        node::init(&self.tools, &self.nodes[0].dir, &secrets.admin)?;
        // synchronous replication is switched on once the standbys stream (the bootstrap's
        // commits would wait for them otherwise)
        self.start_node(0, Sync::Off, (ADMIN_USER, &secrets.admin.clone()))?;
        let bootstrap = format!(
            "CREATE ROLE {ADMIN_ROLE} NOLOGIN CREATEDB CREATEROLE;\n\
             GRANT CREATE ON DATABASE postgres TO {ADMIN_ROLE};\n\
             GRANT ALL ON SCHEMA public TO {ADMIN_ROLE};\n\
             CREATE ROLE {DEFAULT_USER} LOGIN CREATEDB CREATEROLE PASSWORD {pw} IN ROLE {ADMIN_ROLE};\n\
             CREATE ROLE {REPLICATION_USER} LOGIN REPLICATION PASSWORD {rpw};\n",
            pw = literal(&self.password),
            rpw = literal(&secrets.replication),
        );
        self.admin_sql(&secrets, &bootstrap)?;
        self.ready(0);
        Ok(secrets)
    }

    fn provision_standby(&mut self, k: usize, secrets: &Secrets) -> Result<(), String> {
        self.prepare_node(k)?;
        let app = format!("node{k}");
        node::clone_from(
            &self.tools,
            &self.nodes[k].dir,
            self.nodes[0].address,
            &secrets.replication,
            &app,
        )?;
        let pw = self.password.clone();
        self.start_node(k, Sync::Off, (DEFAULT_USER, &pw))?;
        self.ready(k);
        Ok(())
    }

    fn ready(&self, k: usize) {
        self.live.set_ready(k, now_ms());
        self.log("node ready", k);
    }

    fn apply_primary_sync(&self, secrets: &Secrets, sync: Sync) -> Result<(), String> {
        node::write_settings(&self.tools, &self.nodes[0].dir, &self.settings(0, sync))?;
        self.admin_sql(secrets, "SELECT pg_reload_conf();")
            .map(|_| ())
    }

    fn resume(&mut self) -> Result<(), String> {
        let Some(secrets) = self.load_secrets() else {
            return self.provision(None);
        };
        if !self.nodes[0].dir.has_data() {
            return self.provision(None);
        }
        self.tools.run.own_dir(&self.archive_dir())?;
        for (start, end, _) in backups_on_disk(&self.dir) {
            self.live.backup_ended(start as f64, BackupState::Done(end));
        }
        self.prepare_node(0)?;
        let sync = self.primary_sync();
        let admin = secrets.admin.clone();
        self.start_node(0, sync, (ADMIN_USER, &admin))?;
        self.ready(0);
        for k in 1..self.nodes.len() {
            if !Self::is_standby(k) {
                continue;
            }
            if self.nodes[k].dir.has_data() {
                self.prepare_node(k)?;
                let pw = self.password.clone();
                self.start_node(k, Sync::Off, (DEFAULT_USER, &pw))?;
                self.ready(k);
            } else {
                self.provision_standby(k, &secrets)?;
            }
        }
        Ok(())
    }

    /// Restarts the nodes of data centre `dc` one by one (standbys first, the primary last)
    /// with the settings of `size`.
    fn resize(&mut self, dc: usize, size: &str) -> Result<(), String> {
        let secrets = self
            .load_secrets()
            .ok_or_else(|| "the cluster's secrets are missing".to_owned())?;
        let mut order: Vec<usize> = (0..self.nodes.len())
            .filter(|k| self.nodes[*k].dc == dc)
            .collect();
        order.sort_by_key(|k| *k == 0);
        let sync = self.primary_sync();
        let relax = sync == Sync::On && !self.dcs.get(dc).is_some_and(|d| d.strict);
        for k in order {
            if self.stop.load(Ordering::Acquire) {
                return Err("stopping".into());
            }
            self.nodes[k].size = size.to_owned();
            if k != 0 && relax {
                // not strict: commits do not wait while the only standbys restart
                self.apply_primary_sync(&secrets, Sync::Off)?;
            }
            if let Some(c) = &mut self.nodes[k].child {
                node::stop(c);
            }
            self.nodes[k].child = None;
            self.log("restarting with the new size", k);
            let login = if k == 0 {
                (ADMIN_USER, secrets.admin.clone())
            } else {
                (DEFAULT_USER, self.password.clone())
            };
            let node_sync = if k == 0 { sync } else { Sync::Off };
            self.start_node(k, node_sync, (login.0, &login.1))?;
            if k != 0 && relax {
                self.apply_primary_sync(&secrets, sync)?;
            }
        }
        Ok(())
    }
}

/// The first `ERROR:` line of a psql failure, without its prefix (PostgreSQL's own message).
fn server_error(e: &str) -> String {
    e.lines()
        .find_map(|l| l.split_once("ERROR:").map(|(_, m)| m.trim().to_owned()))
        .unwrap_or_else(|| e.trim().to_owned())
}

fn unavailable(what: &str, e: &str) -> ApiError {
    eprintln!(
        "{}",
        json!({"time": format_iso_millis(now_ms()), "postgres": "failed", "error": format!("{what}: {e}")})
    );
    ApiError::new(503, "", format!("{what} failed on the cluster's servers"))
}

/// Configurations, reloads and the default user's password (`Backend::configure`, `reload`,
/// `set_password`).
impl ClusterWork {
    fn node_sql(&self, k: usize, secrets: &Secrets, sql: &str) -> Result<String, String> {
        node::sql(
            &self.tools,
            &self.nodes[k].dir,
            self.nodes[k].address,
            ADMIN_USER,
            &secrets.admin,
            sql,
        )
    }

    fn secrets_or_503(&self) -> Result<Secrets, ApiError> {
        self.load_secrets()
            .ok_or_else(|| unavailable("configuration", "the cluster's secrets are missing"))
    }

    /// `ALTER SYSTEM SET` / `RESET` on every node, the primary first (its refusal is the
    /// answer). Only parameters a reload applies: one of context `postmaster` or `internal`
    /// would wait for a restart the API cannot ask for (and a wrong one could keep the server
    /// from starting again), so it is refused.
    fn configure(&self, name: &str, value: Option<&str>) -> Result<(), ApiError> {
        let secrets = self.secrets_or_503()?;
        // the name's form was checked (letters, digits, `_` and dots): safe inside quotes
        let context = self
            .node_sql(
                0,
                &secrets,
                &format!(
                    "SELECT context FROM pg_settings WHERE name = lower({});",
                    literal(name)
                ),
            )
            .map_err(|e| unavailable("configuration", &e))?;
        match context.as_str() {
            "" => {
                return Err(ApiError::new(
                    400,
                    "name",
                    format!("{name} is not a parameter of this postgresql server"),
                ))
            }
            "postmaster" | "internal" => {
                return Err(ApiError::new(
                    400,
                    "name",
                    format!("{name} takes effect only when the server restarts (context {context}): it cannot be set by configuration"),
                ))
            }
            _ => {}
        }
        let sql = match value {
            Some(v) => format!("ALTER SYSTEM SET \"{name}\" = {};", literal(v)),
            None => format!("ALTER SYSTEM RESET \"{name}\";"),
        };
        for k in 0..self.nodes.len() {
            if let Err(e) = self.node_sql(k, &secrets, &sql) {
                if k == 0 {
                    return Err(ApiError::new(400, "value", server_error(&e)));
                }
                return Err(unavailable("configuration", &e));
            }
        }
        self.log("configuration written", 0);
        Ok(())
    }

    /// `pg_reload_conf()` on node `k`.
    fn reload(&self, k: usize) -> Result<(), ApiError> {
        let secrets = self.secrets_or_503()?;
        if k >= self.nodes.len() {
            return Err(ApiError::new(404, "nodeId", "no such node"));
        }
        self.node_sql(k, &secrets, "SELECT pg_reload_conf();")
            .map_err(|e| unavailable("reload", &e))?;
        self.log("reloaded", k);
        Ok(())
    }

    /// `ALTER ROLE icpostgresql PASSWORD` on the primary, then waits until every standby has
    /// replayed it (the new password logs in there).
    fn set_password(&mut self, password: String) -> Result<(), ApiError> {
        let secrets = self.secrets_or_503()?;
        let sql = format!("ALTER ROLE {DEFAULT_USER} PASSWORD {};", literal(&password));
        self.node_sql(0, &secrets, &sql).map_err(|e| {
            unavailable(
                "password change",
                &server_error(&e).replace(&password, "***"),
            )
        })?;
        self.password = password;
        for k in 1..self.nodes.len() {
            let t = std::time::Instant::now();
            loop {
                let ok = node::sql(
                    &self.tools,
                    &self.nodes[k].dir,
                    self.nodes[k].address,
                    DEFAULT_USER,
                    &self.password,
                    "SELECT 1;",
                )
                .is_ok();
                if ok {
                    break;
                }
                if t.elapsed() > std::time::Duration::from_secs(30) {
                    return Err(unavailable(
                        "password change",
                        "a standby did not replay it",
                    ));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
        self.log("default user's password changed", 0);
        Ok(())
    }
}

/// Backups and point-in-time restore.
impl ClusterWork {
    fn archive_dir(&self) -> PathBuf {
        self.dir.join("wal")
    }

    fn backups_dir(&self) -> PathBuf {
        self.dir.join("backups")
    }

    /// A real base backup of the primary into `backups/<start ms>/data`; its end instant.
    fn backup(&mut self, start_ms: f64) -> Result<f64, String> {
        let secrets = self
            .load_secrets()
            .ok_or_else(|| "the cluster's secrets are missing".to_owned())?;
        self.tools.run.own_dir(&self.backups_dir())?;
        let target = self
            .backups_dir()
            .join(format!("{}", start_ms.round() as u64));
        let _ = std::fs::remove_dir_all(&target);
        self.tools.run.own_dir(&target)?;
        node::base_backup(
            &self.tools,
            &self.nodes[0].dir.ca(),
            self.nodes[0].address,
            &secrets.replication,
            &target.join("data"),
        )?;
        let end = now_ms();
        std::fs::write(target.join("done"), format!("{}", end.round() as u64))
            .map_err(|e| format!("{}: {e}", target.display()))?;
        if !self.quiet {
            eprintln!(
                "{}",
                json!({"time": format_iso_millis(end), "postgres": "base backup done",
                       "cluster": self.id, "ms": (end - start_ms).round() as i64})
            );
        }
        Ok(end)
    }

    /// Makes the source archive hold WAL beyond the target: a committed transaction after it,
    /// a WAL switch, and a wait until the archiver has copied that segment.
    fn seal_source_wal(&self, src: &RestoreFrom, secrets: &Secrets) -> Result<(), String> {
        let src_node = NodeDir(src.dir.join("0"));
        let sql = |q: &str| {
            node::sql(
                &self.tools,
                &src_node,
                src.primary,
                ADMIN_USER,
                &secrets.admin,
                q,
            )
        };
        sql("SELECT txid_current();")?;
        let segment = sql("SELECT pg_walfile_name(pg_switch_wal());")?;
        let start = std::time::Instant::now();
        loop {
            let archived = sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver;")?;
            if archived.as_str() >= segment.as_str() {
                return Ok(());
            }
            if start.elapsed() > node::READY_TIMEOUT {
                return Err(format!("the source did not archive {segment} in time"));
            }
            if self.stop.load(Ordering::Acquire) {
                return Err("stopping".into());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// The primary of a restored cluster: the latest base backup of the source that ended
    /// before the target, WAL replayed from the source's archive up to the target
    /// (`recovery_target_time`), promoted; the default user then gets this cluster's password.
    fn restore_primary(&mut self, src: &RestoreFrom) -> Result<Secrets, String> {
        let secrets = load_secrets(&src.dir)
            .ok_or_else(|| "the source cluster's secrets are missing".to_owned())?;
        self.seal_source_wal(src, &secrets)?;
        let backups = backups_on_disk(&src.dir);
        let (_, _, backup) = backups
            .iter()
            .rev()
            .find(|(_, end, _)| *end <= src.target_ms)
            .or_else(|| backups.first())
            .ok_or_else(|| "the source cluster has no completed base backup".to_owned())?;
        save_secrets(&self.secrets_path(), &secrets)?;
        self.prepare_node(0)?;
        node::from_backup(&self.tools, &self.nodes[0].dir, &backup.join("data"))?;
        let mut s = self.settings(0, Sync::Off);
        s.recovery = Some(Recovery {
            source_archive: src.dir.join("wal"),
            // PostgreSQL's form ("2026-12-02 00:39:40.326+00"): it refuses the ISO `T`/`Z`
            target_time: format_iso_millis(src.target_ms)
                .replacen('T', " ", 1)
                .replace('Z', "+00"),
        });
        node::write_settings(&self.tools, &self.nodes[0].dir, &s)?;
        let mut child = node::start(&self.tools, &self.nodes[0].dir)?;
        let r = node::wait_login(
            &self.tools,
            &self.nodes[0].dir,
            &mut child,
            self.nodes[0].address,
            ADMIN_USER,
            &secrets.admin,
            &self.stop,
        );
        self.nodes[0].child = Some(child);
        r?;
        let start = std::time::Instant::now();
        while self.admin_sql(&secrets, "SELECT pg_is_in_recovery();")? != "f" {
            if start.elapsed() > node::READY_TIMEOUT || self.stop.load(Ordering::Acquire) {
                return Err("the restored server was not promoted in time".into());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        // recovery done: the settings without it, and this cluster's default password
        node::write_settings(
            &self.tools,
            &self.nodes[0].dir,
            &self.settings(0, Sync::Off),
        )?;
        self.admin_sql(
            &secrets,
            &format!(
                "ALTER ROLE {DEFAULT_USER} PASSWORD {};",
                literal(&self.password)
            ),
        )?;
        Ok(secrets)
    }
}

/// The completed base backups in a cluster folder, `(start ms, end ms, folder)`, oldest first.
fn backups_on_disk(dir: &Path) -> Vec<(u64, f64, PathBuf)> {
    let mut out: Vec<(u64, f64, PathBuf)> = std::fs::read_dir(dir.join("backups"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let start = e.file_name().to_str()?.parse::<u64>().ok()?;
            let end = std::fs::read_to_string(e.path().join("done"))
                .ok()?
                .trim()
                .parse::<f64>()
                .ok()?;
            Some((start, end, e.path()))
        })
        .collect();
    out.sort_by_key(|b| b.0);
    out
}

fn load_secrets(dir: &Path) -> Option<Secrets> {
    let text = std::fs::read_to_string(dir.join("secrets")).ok()?;
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")).map(str::to_owned))
    };
    Some(Secrets {
        admin: get("admin")?,
        replication: get("replication")?,
    })
}

fn save_secrets(path: &Path, s: &Secrets) -> Result<(), String> {
    std::fs::write(
        path,
        format!("admin={}\nreplication={}\n", s.admin, s.replication),
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    set_mode(path, 0o600)
}
