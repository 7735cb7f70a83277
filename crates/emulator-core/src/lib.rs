//! The emulator of the Instaclustr PostgreSQL Provisioning V2 API with no I/O: accounts,
//! clusters and their lifecycle computed from timestamps, validation, the catalogue, backups and
//! restores, certificates and the certificate zip, routing, CORS, authentication, the rate limit,
//! fault decisions and versioned snapshots.
//!
//! A host (the native server in `emulator/`, the npm package's wasm module) does the I/O: it
//! hands each HTTP request to [`Emulator::begin`] with the current time, waits when told to
//! ([`Begin::Stall`], then [`Emulator::run`]), and sends, drops or slowly sends the reply as the
//! [`Outcome`] says. Time (`now_ms`, milliseconds since the epoch) and randomness (the `seed`)
//! are the only inputs besides the requests: the same inputs give the same answers.
//!
//! ```
//! use std::sync::Arc;
//! use instaclustr_pg_emulator_core::{Begin, Emulator, Off, Options, Request};
//!
//! let emulator = Emulator::new(Options::default(), 7, Arc::new(Off { reason: "example".into() }))
//!     .expect("default options are valid");
//! let headers = vec![("authorization".to_owned(), "Basic ZGVtbzpkZW1vLWFwaS1rZXk=".to_owned())];
//! let req = Request {
//!     method: "GET",
//!     path: "/cluster-management/v2/data-sources/clusters/v2",
//!     query: None,
//!     headers: &headers,
//!     body: b"",
//! };
//! let Begin::Done(outcome) = emulator.begin(&req, 1.7e12) else { panic!("no fault asked") };
//! assert_eq!(outcome.reply.status, 200);
//! ```
#![deny(missing_docs)]

mod api;
mod app;
mod auth;
mod backend;
pub mod catalog;
pub mod cert;
pub mod cors;
mod exchange;
mod fault_kind;
mod faults;
mod ids;
pub mod live;
mod log;
pub mod parameters;
mod rate_limit;
mod reply;
mod request;
mod router;
mod snapshot;
pub mod state;

use std::sync::{Arc, Mutex};

pub use app::{Options, DEFAULT_BODY_LIMIT, DEFAULT_FAULT_KINDS, DEMO_KEY, DEMO_USER};
pub use backend::{Backend, Off};
pub use exchange::{After, Begin, Outcome};
pub use reply::{ApiError, Reply};
pub use request::Request;
pub use snapshot::VERSION as SNAPSHOT_VERSION;

use app::{App, Bucket};
use faults::Fault;
use router::Route;

/// The emulator: its state behind locks, usable through `&self` from several threads.
pub struct Emulator {
    app: App,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("options", &self.app.options)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// An emulator with no cluster; its generator seeded with `seed`.
    ///
    /// # Errors
    /// A message naming a bad option (see [`Options::checked`]).
    pub fn new(options: Options, seed: u64, backend: Arc<dyn Backend>) -> Result<Self, String> {
        let options = options.checked()?;
        let burst = options.rate_limit.unwrap_or(1.0).max(1.0);
        Ok(Self {
            app: App {
                accounts: options.accounts.iter().cloned().collect(),
                pg: backend,
                state: Mutex::new(state::State::default()),
                rng: Mutex::new(fastrand::Rng::with_seed(seed)),
                bucket: Mutex::new(Bucket {
                    tokens: burst,
                    at_ms: None,
                }),
                options,
            },
        })
    }

    /// The options in force (defaults filled in: the demo account when none was given).
    pub fn options(&self) -> &Options {
        &self.app.options
    }

    /// The backend.
    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.app.pg
    }

    /// A copy of cluster `id`'s record (a deleted one still visible included), for a host's
    /// backend: its current default-user password, its CA, its node addresses.
    pub fn cluster(&self, id: &str) -> Option<state::ClusterRec> {
        self.app.lock().clusters.get(id).cloned()
    }

    /// First step of an exchange: routing, stats, the fault decision, then (unless the fault is
    /// a stall) the whole work. Never panics on any input.
    pub fn begin(&self, req: &Request<'_>, now_ms: f64) -> Begin {
        if req.method == "OPTIONS" {
            return Begin::Done(self.preflight(req));
        }
        let route = router::route(req.method, req.path);
        let Route::Operation(op, _) = &route else {
            let routed = !matches!(route, Route::Outside);
            let reply = router::other(&self.app, &route, req, now_ms);
            return Begin::Done(self.finish(reply, None, routed));
        };
        {
            let mut st = self.app.lock();
            *st.stats
                .requests_by_operation
                .entry(op.name().to_owned())
                .or_default() += 1;
        }
        let (fault, label) = match faults::choose(&self.app, req) {
            Ok(Some(f)) => f,
            Ok(None) => return Begin::Done(self.work(req, now_ms, None)),
            Err(e) => return Begin::Done(self.finish(e.reply(), None, true)),
        };
        self.app.lock().stats.faults_injected += 1;
        let fault_label = Some(label.clone());
        let done = match fault {
            Fault::Status(code) => self.finish(faults::status_reply(code, req), fault_label, true),
            Fault::Drop => {
                let mut o = self.finish(Reply::empty(200), fault_label, true);
                o.after = After::Drop;
                o
            }
            Fault::Stall(ms) => return Begin::Stall { ms, fault: label },
            Fault::DropAfter => {
                let mut o = self.work(req, now_ms, fault_label);
                o.after = After::Drop;
                o
            }
            Fault::Garbage => {
                let mut o = self.work(req, now_ms, fault_label);
                o.reply = faults::garbage_reply();
                cors::decorate(&mut o.reply);
                o
            }
            Fault::SlowBody(ms) => {
                let mut o = self.work(req, now_ms, fault_label);
                o.after = After::SlowBody { ms };
                o
            }
        };
        Begin::Done(done)
    }

    /// Second step after a stall (the host waited): does the work, with no new fault draw.
    /// Never panics on any input. The outcome names no fault: the host logs the stall's label
    /// ([`Begin::Stall`]'s `fault`).
    pub fn run(&self, req: &Request<'_>, now_ms: f64) -> Outcome {
        if req.method == "OPTIONS" {
            return self.preflight(req);
        }
        let route = router::route(req.method, req.path);
        if !matches!(route, Route::Operation(..)) {
            let routed = !matches!(route, Route::Outside);
            let reply = router::other(&self.app, &route, req, now_ms);
            return self.finish(reply, None, routed);
        }
        self.work(req, now_ms, None)
    }

    /// The work of a routed operation: rate limit, authentication, then the operation.
    fn work(&self, req: &Request<'_>, now: f64, fault: Option<String>) -> Outcome {
        let Route::Operation(op, param) = router::route(req.method, req.path) else {
            return self.finish(
                ApiError::new(404, "path", "no operation").reply(),
                fault,
                true,
            );
        };
        let reply = rate_limit::check(&self.app, now).and_then(|()| {
            let account = auth::authenticate(&self.app, req).map_err(|e| e.reply())?;
            router::operation(&self.app, op, param.as_deref(), &account, req, now)
                .map_err(|e| e.reply())
        });
        let reply = reply.unwrap_or_else(|r| r);
        self.finish(reply, fault, true)
    }

    /// A CORS preflight's outcome (every `OPTIONS`, whatever the path).
    fn preflight(&self, req: &Request<'_>) -> Outcome {
        Outcome {
            reply: cors::preflight(req),
            after: After::Send,
            fault: None,
            routed: true,
            changed: false,
        }
    }

    /// The outcome of a reply: CORS headers added, the state's change flag taken.
    fn finish(&self, mut reply: Reply, fault: Option<String>, routed: bool) -> Outcome {
        cors::decorate(&mut reply);
        let changed = std::mem::take(&mut self.app.lock().changed);
        Outcome {
            reply,
            after: After::Send,
            fault,
            routed,
            changed,
        }
    }

    /// The whole state as versioned JSON: `{"version": 1, ...}`; clusters' secrets included
    /// (it is a state file).
    pub fn snapshot(&self) -> serde_json::Value {
        let clusters = self.app.lock().clusters.values().cloned().collect();
        let rng = self.app.rng().get_seed();
        let snap = snapshot::Snapshot {
            version: snapshot::VERSION,
            clusters,
            rng: Some(rng),
        };
        serde_json::to_value(&snap).unwrap_or(serde_json::Value::Null)
    }

    /// Replaces the state with a snapshot's; the backend resumes each of its clusters.
    ///
    /// # Errors
    /// A damaged snapshot, or one with a newer `version`: the message says what is wrong, and
    /// the current state is unchanged.
    pub fn restore(&self, snapshot: &serde_json::Value) -> Result<(), String> {
        let snap = snapshot::read(snapshot)?;
        let mut clusters = std::collections::BTreeMap::new();
        for mut c in snap.clusters {
            self.app.pg.resume(&mut c);
            clusters.insert(c.id.clone(), c);
        }
        if let Some(seed) = snap.rng {
            self.app.rng().seed(seed);
        }
        let mut st = self.app.lock();
        st.clusters = clusters;
        st.changed = true;
        Ok(())
    }

    /// Removes every cluster (their servers too), the fault counters and the stats; accounts
    /// and options stay.
    pub fn reset(&self) {
        let clusters = {
            let mut st = self.app.lock();
            st.fault_counts.clear();
            st.stats = state::Stats::default();
            st.changed = true;
            std::mem::take(&mut st.clusters)
        };
        for c in clusters.values() {
            if c.deleted_ms.is_none() {
                self.app.pg.delete(c);
            }
        }
    }

    /// The request-log line (JSON text, no newline) the hosts print on stderr unless quiet:
    /// `{"time": ISO of now_ms, "method", "path", "status": number or "dropped", "ms": wall ms
    /// (one decimal), "fault"?}`.
    pub fn log_line(
        method: &str,
        path: &str,
        outcome: &Outcome,
        wall_ms: f64,
        now_ms: f64,
    ) -> String {
        log::line(method, path, outcome, wall_ms, now_ms)
    }
}

#[cfg(test)]
mod tests;
