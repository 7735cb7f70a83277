//! A local emulator of the Instaclustr PostgreSQL Provisioning V2 API, for demos and tests.
//!
//! It serves the 11 operations of the API plus the account cluster list on `127.0.0.1`, with
//! HTTP Basic authentication, the validation of the `instaclustr-pg` library, a lifecycle that
//! runs on timestamps (scaled by [`Config::speed`]), real per-cluster CA certificates, optional
//! SQLite persistence, CORS, a static folder and injected faults. See `emulator/README.md` for
//! the behaviour and the command line.
//!
//! The behaviour is the I/O-free core's (`instaclustr-pg-emulator-core`, also compiled to
//! WebAssembly for the npm package); this crate is its native host: the HTTP server, the wall
//! clock, the SQLite state file and real PostgreSQL servers (the core's `Backend`).
//!
//! # In-process use (tests)
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! use instaclustr_pg_emulator::{serve, Config};
//! let server = serve(Config {
//!     accounts: vec![("alice".into(), "secret-key".into())],
//!     speed: 1000.0,
//!     test_mode: true,
//!     quiet: true,
//!     ..Config::default()
//! })
//! .await?;
//! let base = server.url(); // "http://127.0.0.1:<port>", a free port (port 0)
//! # let _ = base;
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//! [`serve`] binds, starts accepting on the current tokio runtime and returns at once; the
//! [`Server`] handle gives the address and stops the server ([`Server::shutdown`]; dropping the
//! handle stops it too).
#![deny(missing_docs)]

mod accept;
mod clock;
mod http;
pub mod postgres;
mod store;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use instaclustr_pg_emulator_core::{Emulator, Options, Outcome};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use instaclustr_pg_emulator_core::{
    DEFAULT_BODY_LIMIT, DEFAULT_FAULT_KINDS, DEMO_KEY, DEMO_USER,
};

use crate::store::Store;

/// Default port of the binary.
pub const DEFAULT_PORT: u16 = 8090;

/// Emulator settings (the command-line options). Its `Debug` shows the account names, never
/// their keys.
#[derive(Clone)]
pub struct Config {
    /// Port on 127.0.0.1; 0 picks a free one. Default for the library: 0.
    pub port: u16,
    /// Accounts `(username, api key)`; empty: one demo account ([`DEMO_USER`]).
    pub accounts: Vec<(String, String)>,
    /// Random key for the demo account instead of [`DEMO_KEY`].
    pub random_key: bool,
    /// Time factor: every lifecycle delay is divided by it. Default 1.
    pub speed: f64,
    /// Folder served at `/` (the demo console), same origin as the API.
    pub static_dir: Option<PathBuf>,
    /// SQLite file for persistence; in memory when `None`.
    pub state_file: Option<PathBuf>,
    /// Honour the `X-Emulator-Fault*` headers and serve `/__emulator/stats`.
    pub test_mode: bool,
    /// Probability (0..1) of a random fault on each API request.
    pub fault_rate: f64,
    /// Seed of the emulator's random generator (cluster IDs, passwords, CA keys, random faults):
    /// the same seed gives the same run. `None`: a seed from the operating system, so that no two
    /// runs share IDs or passwords.
    pub seed: Option<u64>,
    /// Kinds drawn by random faults; empty: [`DEFAULT_FAULT_KINDS`].
    pub fault_kinds: Vec<String>,
    /// Requests per second allowed (token bucket, burst = one second's worth); `None`: no limit.
    pub rate_limit: Option<f64>,
    /// No request log on stderr.
    pub quiet: bool,
    /// Largest request body in bytes (413 above).
    pub body_limit: usize,
    /// Real PostgreSQL servers per node (`--postgres`). Default for the library: off; the
    /// binary's default is `auto`.
    pub postgres: postgres::Mode,
    /// Most real nodes running at once (over it, a create or restore is a 409).
    pub postgres_max_nodes: usize,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let users: Vec<&str> = self.accounts.iter().map(|(u, _)| u.as_str()).collect();
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("accounts", &users)
            .field("random_key", &self.random_key)
            .field("speed", &self.speed)
            .field("static_dir", &self.static_dir)
            .field("state_file", &self.state_file)
            .field("test_mode", &self.test_mode)
            .field("fault_rate", &self.fault_rate)
            .field("seed", &self.seed)
            .field("fault_kinds", &self.fault_kinds)
            .field("rate_limit", &self.rate_limit)
            .field("quiet", &self.quiet)
            .field("body_limit", &self.body_limit)
            .field("postgres", &self.postgres)
            .field("postgres_max_nodes", &self.postgres_max_nodes)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: 0,
            accounts: Vec::new(),
            random_key: false,
            speed: 1.0,
            static_dir: None,
            state_file: None,
            test_mode: false,
            fault_rate: 0.0,
            seed: None,
            fault_kinds: Vec::new(),
            rate_limit: None,
            quiet: false,
            body_limit: DEFAULT_BODY_LIMIT,
            postgres: postgres::Mode::Off,
            postgres_max_nodes: postgres::DEFAULT_MAX_NODES,
        }
    }
}

/// What the HTTP side shares: the core, the state file, and the host's own settings.
pub(crate) struct App {
    /// The emulator.
    pub emu: Emulator,
    /// The state file, if any.
    store: Mutex<Option<Store>>,
    /// The folder served outside the API.
    pub static_dir: Option<PathBuf>,
    /// No request log.
    pub quiet: bool,
}

impl App {
    /// Saves the snapshot when the exchange changed the clusters (a failure is a warning: the
    /// answer stands).
    pub fn save_if(&self, outcome: &Outcome) {
        if outcome.changed {
            self.save();
        }
    }

    fn save(&self) {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = store.as_mut() {
            if let Err(e) = s.save(&self.emu.snapshot()) {
                eprintln!("warning: state: {e}");
            }
        }
    }
}

/// A running emulator.
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    demo_key: Option<String>,
    pg: Arc<dyn postgres::Backend>,
}

impl Server {
    /// The bound address (127.0.0.1 and the actual port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The demo account's key when no account was configured.
    pub fn demo_key(&self) -> Option<&str> {
        self.demo_key.as_deref()
    }
    /// Which servers back the clusters (the banner's `postgres:` line).
    pub fn postgres_description(&self) -> String {
        self.pg.description()
    }
    /// Whether clusters get real PostgreSQL servers.
    pub fn real_postgres(&self) -> bool {
        self.pg.is_real()
    }
    /// The folder holding the real servers' data (`<cluster id>/<node index>/data`).
    pub fn postgres_data_dir(&self) -> Option<PathBuf> {
        self.pg.data_dir()
    }
    /// Stops accepting, closes open connections, waits for the accept loop to end, then stops
    /// every PostgreSQL server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        let pg = self.pg.clone();
        let _ = tokio::task::spawn_blocking(move || pg.shutdown()).await;
    }
    /// Waits until the server stops (it runs until [`Server::shutdown`] or the process ends).
    pub async fn wait(mut self) {
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        // blocking, bounded (each server gets SIGINT, then SIGKILL after 20 s)
        self.pg.shutdown();
    }
}

/// Starts the emulator on 127.0.0.1 (see the crate documentation).
///
/// # Errors
/// A message when the port cannot be bound or the state file cannot be opened.
pub async fn serve(config: Config) -> Result<Server, String> {
    let mut config = config;
    let mut demo_key = None;
    if config.accounts.is_empty() {
        let key = if config.random_key {
            (0..32).map(|_| fastrand::alphanumeric()).collect()
        } else {
            DEMO_KEY.to_owned()
        };
        demo_key = Some(key.clone());
        config.accounts.push((DEMO_USER.to_owned(), key));
    }
    let options = Options {
        accounts: config.accounts.clone(),
        speed: config.speed,
        test_mode: config.test_mode,
        fault_rate: config.fault_rate,
        fault_kinds: config.fault_kinds.clone(),
        rate_limit: config.rate_limit,
        body_limit: config.body_limit,
        static_files: config.static_dir.is_some(),
    }
    .checked()?;
    let store = match &config.state_file {
        Some(p) => Some(Store::open(p)?),
        None => None,
    };
    let saved = match &store {
        Some(s) => s.load()?,
        None => None,
    };
    let pg = postgres::open(&postgres::Options {
        mode: config.postgres.clone(),
        max_nodes: config.postgres_max_nodes,
        data_dir: config.state_file.as_ref().map(|p| {
            let mut name = p.as_os_str().to_owned();
            name.push(".postgres");
            PathBuf::from(name)
        }),
        quiet: config.quiet,
    })?;
    let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
    let emu = Emulator::new(options, seed, pg.clone())?;
    let app = Arc::new(App {
        emu,
        store: Mutex::new(store),
        static_dir: config.static_dir.clone(),
        quiet: config.quiet,
    });
    if let Some(snapshot) = saved {
        // the saved clusters, their real servers restarted; a snapshot that cannot be read is
        // refused, and the file is left as it is
        app.emu.restore(&snapshot).map_err(|e| {
            let file = config.state_file.as_ref().map(|p| p.display().to_string());
            format!("{}: {e}", file.unwrap_or_default())
        })?;
        app.save();
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let router = http::router(app);
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(accept::accept_loop(listener, router, stop_rx));
    Ok(Server {
        addr,
        stop,
        task: Some(task),
        demo_key,
        pg,
    })
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn debug_of_the_config_names_accounts_without_their_keys() {
        let c = Config {
            accounts: vec![("alice".into(), "secret-key-123".into())],
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(
            shown.contains("alice") && !shown.contains("secret-key-123"),
            "{shown}"
        );
    }
}
