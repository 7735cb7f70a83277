//! The emulator core ([`instaclustr_pg_emulator_core`]) as a WebAssembly module for
//! `instaclustr-pg/emulator` (js/emulator/): an `EmulatorCore` class whose `begin`/`run` answer
//! one HTTP exchange each as a plain object (`Exchange` in js/emulator/index.d.ts), the state's
//! snapshot and restore, and the request-log line. The host (js/emulator/) does the I/O: the
//! clock, the waits of stalls and slow bodies, sockets and files.
//!
//! Nothing here panics on input (a panic aborts the module and every later call): options,
//! snapshots and requests that cannot be used are thrown as JS `Error`s with a message saying
//! what is wrong. PostgreSQL is off (records only) or `pglite` ([`pglite::Pglite`]): each
//! cluster's primary a PGlite database the host runs, from the work this module queues.
#![cfg(target_arch = "wasm32")]

mod pglite;

use std::net::Ipv4Addr;
use std::sync::Arc;

use instaclustr_pg_emulator_core::{
    After, Backend, Begin, Emulator, Off, Options, Outcome, Reply, Request,
};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// The snapshot's key of the generator's state (a u64).
const RNG: &str = "rng";

/// The options' JSON, camelCase (js/emulator/ builds it from `createEmulator`'s options).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OptionsJson {
    #[serde(default)]
    accounts: Vec<(String, String)>,
    #[serde(default = "one")]
    speed: f64,
    #[serde(default)]
    test_mode: bool,
    #[serde(default)]
    fault_rate: f64,
    #[serde(default)]
    fault_kinds: Vec<String>,
    #[serde(default)]
    rate_limit: Option<f64>,
    #[serde(default = "default_body_limit")]
    body_limit: usize,
    #[serde(default)]
    static_files: bool,
    /// `"off"` (the default) or `"pglite"`.
    #[serde(default)]
    postgres: Option<String>,
    /// The most live PGlite databases (`"pglite"` only).
    #[serde(default)]
    max_databases: Option<usize>,
}

fn one() -> f64 {
    1.0
}

fn default_body_limit() -> usize {
    instaclustr_pg_emulator_core::DEFAULT_BODY_LIMIT
}

impl OptionsJson {
    /// The core's options, after the checks the native command line makes (the core checks the
    /// speed and the fault kinds itself).
    fn into_options(self) -> Result<(Options, Option<usize>), String> {
        if !(0.0..=1.0).contains(&self.fault_rate) {
            return Err("faultRate: must be between 0 and 1".into());
        }
        if let Some(r) = self.rate_limit {
            if !(r.is_finite() && r > 0.0) {
                return Err("rateLimit: must be a positive number".into());
            }
        }
        // the core names a bad kind, not where it is: each is checked alone to name its index
        for (i, kind) in self.fault_kinds.iter().enumerate() {
            let alone = Options {
                fault_kinds: vec![kind.clone()],
                ..Options::default()
            };
            alone
                .checked()
                .map_err(|e| format!("faultKinds[{i}]: {e}"))?;
        }
        for (i, (user, key)) in self.accounts.iter().enumerate() {
            if user.is_empty() || key.is_empty() {
                // never the value: it holds a key
                return Err(format!("accounts[{i}]: expected \"<username>:<apiKey>\""));
            }
        }
        let pglite = match self.postgres.as_deref() {
            None | Some("off") => None,
            Some("pglite") => Some(match self.max_databases {
                None => pglite::DEFAULT_MAX_DATABASES,
                Some(0) => return Err("maxDatabases: must be at least 1".into()),
                Some(n) => n,
            }),
            Some(_) => return Err("postgres: expected \"off\" or \"pglite\"".into()),
        };
        let options = Options {
            accounts: self.accounts,
            speed: self.speed,
            test_mode: self.test_mode,
            fault_rate: self.fault_rate,
            fault_kinds: self.fault_kinds,
            rate_limit: self.rate_limit,
            body_limit: self.body_limit,
            static_files: self.static_files,
        };
        Ok((options, pglite))
    }
}

/// The emulator's state and rules; one per `createEmulator`.
#[wasm_bindgen]
pub struct EmulatorCore {
    inner: Emulator,
    /// The PGlite backend (`postgres: "pglite"`), also the core's.
    pglite: Option<Arc<pglite::Pglite>>,
    /// Server certificates' keys and serials (its own: the emulator's draws stay the seed's).
    cert_rng: std::sync::Mutex<fastrand::Rng>,
}

#[wasm_bindgen]
impl EmulatorCore {
    /// An emulator from its options (JSON text) and the 64-bit seed of its randomness in two
    /// halves.
    ///
    /// # Errors
    /// An `Error` naming the option that is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str, seed_hi: u32, seed_lo: u32) -> Result<EmulatorCore, JsError> {
        let options: OptionsJson = serde_json::from_str(options_json)
            .map_err(|e| JsError::new(&format!("emulator options: {e}")))?;
        let (options, max_databases) = options.into_options().map_err(|e| JsError::new(&e))?;
        let seed = (u64::from(seed_hi) << 32) | u64::from(seed_lo);
        let pglite = max_databases.map(|max| Arc::new(pglite::Pglite::new(max, seed)));
        let backend: Arc<dyn Backend> = match &pglite {
            Some(p) => p.clone(),
            None => Arc::new(Off {
                reason: "--postgres off".into(),
            }),
        };
        let inner = Emulator::new(options, seed, backend)
            .map_err(|e| JsError::new(&format!("emulator options: {e}")))?;
        Ok(EmulatorCore {
            inner,
            pglite,
            cert_rng: std::sync::Mutex::new(fastrand::Rng::with_seed(seed ^ 0x6365_7274)),
        })
    }

    /// The first step of an exchange: `{ stallMs, fault }` when the host must wait before
    /// calling `run` with the same arguments, else the whole answer.
    ///
    /// # Errors
    /// An `Error` when the headers are not name/value pairs.
    pub fn begin(
        &self,
        method: &str,
        path: &str,
        query: Option<String>,
        headers: Vec<String>,
        body: &[u8],
        now_ms: f64,
    ) -> Result<JsValue, JsError> {
        let headers = pairs(headers)?;
        let req = request(method, path, query.as_deref(), &headers, body);
        match self.inner.begin(&req, checked_now(now_ms)?) {
            Begin::Done(outcome) => exchange(&outcome),
            Begin::Stall { ms, fault } => {
                let o = Object::new();
                set(&o, "stallMs", &JsValue::from_f64(ms as f64))?;
                set(&o, "fault", &JsValue::from_str(&fault))?;
                Ok(o.into())
            }
        }
    }

    /// The second step of an exchange after a stall (the host waited `stallMs`): the answer
    /// (without the stall's fault label, which the host keeps from `begin`).
    ///
    /// # Errors
    /// An `Error` when the headers are not name/value pairs.
    pub fn run(
        &self,
        method: &str,
        path: &str,
        query: Option<String>,
        headers: Vec<String>,
        body: &[u8],
        now_ms: f64,
    ) -> Result<JsValue, JsError> {
        let headers = pairs(headers)?;
        let req = request(method, path, query.as_deref(), &headers, body);
        exchange(&self.inner.run(&req, checked_now(now_ms)?))
    }

    /// The whole state as JSON text (`{"version": 1, ...}`), secrets of clusters included. The
    /// generator's 64-bit state (`rng`) is a string of digits: a JS number would round it.
    pub fn snapshot(&self) -> String {
        let mut snapshot = self.inner.snapshot();
        if let Some(rng) = snapshot.get_mut(RNG) {
            if rng.is_u64() {
                *rng = serde_json::Value::String(rng.to_string());
            }
        }
        snapshot.to_string()
    }

    /// Replaces the state with a snapshot's (JSON text).
    ///
    /// # Errors
    /// An `Error` saying what is wrong when the text is not JSON, the snapshot is damaged or its
    /// version is newer than this emulator's; the state is then unchanged.
    pub fn restore(&self, snapshot_json: &str) -> Result<(), JsError> {
        let mut value: serde_json::Value = serde_json::from_str(snapshot_json)
            .map_err(|e| JsError::new(&format!("snapshot: not JSON: {e}")))?;
        if let Some(rng) = value.get_mut(RNG) {
            if let Some(text) = rng.as_str() {
                let state = text.parse::<u64>().map_err(|_| {
                    JsError::new("snapshot: rng: expected the generator's state (digits)")
                })?;
                *rng = serde_json::Value::from(state);
            }
        }
        self.inner
            .restore(&value)
            .map_err(|e| JsError::new(&format!("snapshot: {e}")))
    }

    /// Removes every cluster (and the fault counters and stats); accounts and options stay.
    pub fn reset(&self) {
        self.inner.reset();
    }

    /// The backend's one-line description (the start-up `postgres:` line).
    pub fn description(&self) -> String {
        self.inner.backend().description()
    }

    /// The PGlite work queued since the last call (JSON text: an array of `{kind, clusterId,
    /// ...}`, oldest first; `[]` with postgres off).
    #[wasm_bindgen(js_name = takeJobs)]
    pub fn take_jobs(&self) -> String {
        let jobs = self
            .pglite
            .as_ref()
            .map(|p| p.take_jobs())
            .unwrap_or_default();
        serde_json::to_string(&jobs).unwrap_or_else(|_| "[]".into())
    }

    /// Cluster `id`'s database answers since `nowMs` (the emulator's clock): its nodes are ready.
    #[wasm_bindgen(js_name = databaseReady)]
    pub fn database_ready(&self, id: &str, now_ms: f64) -> Result<(), JsError> {
        let now = checked_now(now_ms)?;
        if let Some(p) = &self.pglite {
            p.ready(id, now);
        }
        Ok(())
    }

    /// Cluster `id`'s database could not be made (`message`: why, for the log): it is FAILED.
    #[wasm_bindgen(js_name = databaseFailed)]
    pub fn database_failed(&self, id: &str, message: String) {
        if let Some(p) = &self.pglite {
            p.failed(id, message);
        }
    }

    /// The backup of cluster `id` triggered at `startMs` ended at `endMs` (`ok`: its dump exists).
    #[wasm_bindgen(js_name = backupEnded)]
    pub fn backup_ended(
        &self,
        id: &str,
        start_ms: f64,
        end_ms: f64,
        ok: bool,
    ) -> Result<(), JsError> {
        let end = checked_now(end_ms)?;
        if let Some(p) = &self.pglite {
            if start_ms.is_finite() {
                p.backup_ended(id, start_ms, end, ok);
            }
        }
        Ok(())
    }

    /// Cluster `id`'s current default-user password (the wire's SCRAM secret), when it exists.
    #[wasm_bindgen(js_name = clusterPassword)]
    pub fn cluster_password(&self, id: &str) -> Option<String> {
        self.inner
            .cluster(id)
            .filter(|c| c.deleted_ms.is_none())
            .map(|c| c.password)
    }

    /// A server certificate for `address` signed by cluster `id`'s CA (the one the certificate
    /// download returns): `{ certPem, keyPem }`.
    ///
    /// # Errors
    /// An `Error` when there is no such cluster, the address is not an IPv4 address or the CA
    /// cannot sign (a state file from before real servers).
    #[wasm_bindgen(js_name = serverCertificate)]
    pub fn server_certificate(
        &self,
        id: &str,
        address: &str,
        now_ms: f64,
    ) -> Result<JsValue, JsError> {
        let now = checked_now(now_ms)?;
        let rec = self
            .inner
            .cluster(id)
            .ok_or_else(|| JsError::new(&format!("no cluster {id}")))?;
        let ip: Ipv4Addr = address
            .parse()
            .map_err(|_| JsError::new("address: not an IPv4 address"))?;
        let iso = instaclustr_pg_core::validate::format_iso_millis(now);
        let cert = {
            let mut rng = self.cert_rng.lock().unwrap_or_else(|p| p.into_inner());
            instaclustr_pg_emulator_core::cert::server_cert(&rec.ca, ip, &iso, &mut rng)
        }
        .map_err(|e| JsError::new(&format!("cluster {id}: {e}")))?;
        let o = Object::new();
        set(&o, "certPem", &JsValue::from_str(&cert.cert_pem))?;
        set(&o, "keyPem", &JsValue::from_str(&cert.key_pem))?;
        Ok(o.into())
    }

    /// The request-log line (JSON text, no newline) of an exchange `begin`/`run` returned.
    ///
    /// # Errors
    /// An `Error` when `exchange` is not such an object.
    #[wasm_bindgen(js_name = logLine)]
    pub fn log_line(
        method: &str,
        path: &str,
        exchange: &JsValue,
        wall_ms: f64,
        now_ms: f64,
    ) -> Result<String, JsError> {
        let status = get(exchange, "status")?
            .as_f64()
            .filter(|s| (100.0..=999.0).contains(s))
            .ok_or_else(|| JsError::new("exchange: no status"))?;
        let after = match get(exchange, "after")?.as_string().as_deref() {
            Some("drop") => After::Drop,
            Some("slow-body") => After::SlowBody {
                ms: get(exchange, "slowMs")?.as_f64().unwrap_or(0.0).max(0.0) as u64,
            },
            _ => After::Send,
        };
        let outcome = Outcome {
            reply: Reply {
                status: status as u16,
                headers: Vec::new(),
                body: Vec::new(),
            },
            after,
            fault: get(exchange, "fault")?.as_string(),
            routed: get(exchange, "routed")?.as_bool().unwrap_or(true),
            changed: get(exchange, "changed")?.as_bool().unwrap_or(false),
        };
        let wall_ms = if wall_ms.is_finite() { wall_ms } else { 0.0 };
        Ok(Emulator::log_line(
            method,
            path,
            &outcome,
            wall_ms,
            checked_now(now_ms)?,
        ))
    }
}

fn request<'a>(
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    headers: &'a [(String, String)],
    body: &'a [u8],
) -> Request<'a> {
    Request {
        method,
        path,
        query,
        headers,
        body,
    }
}

/// The flat `[name, value, ...]` list as pairs, names lower-cased.
fn pairs(flat: Vec<String>) -> Result<Vec<(String, String)>, JsError> {
    if flat.len() % 2 != 0 {
        return Err(JsError::new("headers: expected name, value pairs"));
    }
    let mut out = Vec::with_capacity(flat.len() / 2);
    let mut it = flat.into_iter();
    while let (Some(name), Some(value)) = (it.next(), it.next()) {
        out.push((name.to_ascii_lowercase(), value));
    }
    Ok(out)
}

/// Epoch milliseconds the core can compute with (a finite, non-negative number).
fn checked_now(now_ms: f64) -> Result<f64, JsError> {
    if now_ms.is_finite() && now_ms >= 0.0 {
        Ok(now_ms)
    } else {
        Err(JsError::new("nowMs: must be a finite, non-negative number"))
    }
}

/// The outcome as the `Exchange` object of js/emulator/.
fn exchange(outcome: &Outcome) -> Result<JsValue, JsError> {
    let o = Object::new();
    set(&o, "status", &JsValue::from(outcome.reply.status))?;
    let headers = Array::new();
    for (name, value) in &outcome.reply.headers {
        headers.push(&JsValue::from_str(name));
        headers.push(&JsValue::from_str(value));
    }
    set(&o, "headers", &headers)?;
    set(&o, "body", &Uint8Array::from(outcome.reply.body.as_slice()))?;
    let (after, slow) = match &outcome.after {
        After::Send => ("send", None),
        After::Drop => ("drop", None),
        After::SlowBody { ms } => ("slow-body", Some(*ms)),
    };
    set(&o, "after", &JsValue::from_str(after))?;
    if let Some(ms) = slow {
        set(&o, "slowMs", &JsValue::from_f64(ms as f64))?;
    }
    if let Some(fault) = &outcome.fault {
        set(&o, "fault", &JsValue::from_str(fault))?;
    }
    set(&o, "routed", &JsValue::from_bool(outcome.routed))?;
    set(&o, "changed", &JsValue::from_bool(outcome.changed))?;
    Ok(o.into())
}

fn set(o: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(o, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new("exchange: cannot set a property"))
}

fn get(o: &JsValue, key: &str) -> Result<JsValue, JsError> {
    if !o.is_object() {
        return Err(JsError::new("exchange: not an object"));
    }
    Reflect::get(o, &JsValue::from_str(key)).map_err(|_| JsError::new("exchange: unreadable"))
}
