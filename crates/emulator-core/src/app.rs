//! The emulator's settings ([`Options`]) and the shared state every handler reads ([`App`]):
//! the accounts, the backend, the clusters, the generator and the rate-limit bucket.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Deserialize;

use crate::backend::Backend;
use crate::state::State;

/// Username of the demo account created when no account is configured.
pub const DEMO_USER: &str = "demo";
/// API key of the demo account.
pub const DEMO_KEY: &str = "demo-api-key";
/// Default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// Fault kinds drawn by random faults (`fault_rate`) unless [`Options::fault_kinds`] is set.
pub const DEFAULT_FAULT_KINDS: &[&str] = &[
    "500",
    "502",
    "503",
    "504",
    "429",
    "drop",
    "drop-after",
    "stall:3000",
    "slow-body:2000",
    "garbage",
];

/// The behaviour settings shared by both hosts (camelCase in JSON, every field optional there).
/// Its `Debug` shows the account names, never their keys.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// Accounts `(username, api key)`; empty: the demo account [`DEMO_USER`] / [`DEMO_KEY`].
    pub accounts: Vec<(String, String)>,
    /// Time factor: every lifecycle delay is divided by it. Default 1.
    pub speed: f64,
    /// Honour the `X-Emulator-Fault*` headers, serve `/__emulator/stats` and
    /// `/__emulator/maintenance/{clusterId}`.
    pub test_mode: bool,
    /// Probability (0..1) of a random fault on each API request.
    pub fault_rate: f64,
    /// Kinds drawn by random faults; empty: [`DEFAULT_FAULT_KINDS`].
    pub fault_kinds: Vec<String>,
    /// Requests per second allowed (token bucket on the injected clock, burst one second's
    /// worth); `None`: no limit.
    pub rate_limit: Option<f64>,
    /// Largest request body in bytes (413 above).
    pub body_limit: usize,
    /// The host serves a static folder outside the API: a request there with another method
    /// than GET or HEAD is a 405 (without one, a JSON 404).
    pub static_files: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            speed: 1.0,
            test_mode: false,
            fault_rate: 0.0,
            fault_kinds: Vec::new(),
            rate_limit: None,
            body_limit: DEFAULT_BODY_LIMIT,
            static_files: false,
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let users: Vec<&str> = self.accounts.iter().map(|(u, _)| u.as_str()).collect();
        f.debug_struct("Options")
            .field("accounts", &users)
            .field("speed", &self.speed)
            .field("test_mode", &self.test_mode)
            .field("fault_rate", &self.fault_rate)
            .field("fault_kinds", &self.fault_kinds)
            .field("rate_limit", &self.rate_limit)
            .field("body_limit", &self.body_limit)
            .field("static_files", &self.static_files)
            .finish()
    }
}

impl Options {
    /// The options with their defaults filled in (the demo account, the default fault kinds).
    ///
    /// # Errors
    /// A message naming a bad setting: a speed that is not a positive number or an unknown
    /// fault kind.
    pub fn checked(mut self) -> Result<Self, String> {
        if !(self.speed.is_finite() && self.speed > 0.0) {
            return Err("speed must be a positive number".into());
        }
        if self.accounts.is_empty() {
            self.accounts
                .push((DEMO_USER.to_owned(), DEMO_KEY.to_owned()));
        }
        if self.fault_kinds.is_empty() {
            self.fault_kinds = DEFAULT_FAULT_KINDS
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
        }
        for k in &self.fault_kinds {
            if crate::fault_kind::parse_fault(k).is_none() {
                return Err(format!("unknown fault kind {k:?}"));
            }
        }
        Ok(self)
    }
}

/// The token bucket of the rate limit: tokens, and when they were counted (epoch ms; `None`
/// before the first request).
pub(crate) struct Bucket {
    pub tokens: f64,
    pub at_ms: Option<f64>,
}

/// Shared emulator state.
pub struct App {
    /// Settings (defaults filled in).
    pub options: Options,
    /// username -> api key.
    pub accounts: HashMap<String, String>,
    /// The PostgreSQL side (real servers or records only).
    pub pg: Arc<dyn Backend>,
    pub(crate) state: Mutex<State>,
    pub(crate) rng: Mutex<fastrand::Rng>,
    pub(crate) bucket: Mutex<Bucket>,
}

impl App {
    /// Locks the state (a poisoned lock is recovered: the state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The state as of `now`: locked, with the clusters deleted long enough ago purged (what
    /// every handler reads first).
    pub fn lock_now(&self, now: f64) -> MutexGuard<'_, State> {
        let mut st = self.lock();
        st.purge(now, self.options.speed);
        st
    }

    /// The emulator's generator (never locked while the state's lock is taken after it).
    pub fn rng(&self) -> MutexGuard<'_, fastrand::Rng> {
        self.rng.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new random UUID.
    pub fn uuid(&self) -> String {
        crate::ids::new_uuid(&mut self.rng())
    }

    /// A new cluster's ID: a random UUID no cluster has (a restored generator could repeat one).
    pub fn new_cluster_id(&self) -> String {
        loop {
            let id = self.uuid();
            if !self.lock().clusters.contains_key(&id) {
                return id;
            }
        }
    }
}
