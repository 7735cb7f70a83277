//! The one call path of the client's methods: each method only describes its call as a
//! [`Call`] (its endpoint's built request, how to read the answer) and [`JsClient::send`] runs
//! every one through the same non-generic future (send with retries, deadline and abort in the
//! core, then read and convert), so the wasm holds one call state machine, not one per method.

use super::certificate;
use super::read::{current_cluster, Answer, Read};
use super::*;
use crate::checked::view;
use instaclustr_pg_core::client::{elapsed_ms, update_guard};
use instaclustr_pg_core::request::HttpRequest;
use instaclustr_pg_core::transport::Runtime as _;

/// The update guard's step before the request: the current cluster (given, or fetched with
/// `get`; JSON the shape check of a cluster accepted) compared with the desired `body`.
pub(crate) struct Guard {
    current: Option<Vec<u8>>,
    get: Result<HttpRequest, Error>,
    /// The JSON text of the update body.
    body: String,
}

impl Guard {
    /// The guard of an update whose body has the JSON text `body`: against `current` when the
    /// caller gave it, else against the answer of `get`.
    pub(crate) fn new(
        current: Option<Vec<u8>>,
        get: Result<HttpRequest, Error>,
        body: String,
    ) -> Guard {
        Guard { current, get, body }
    }
}

/// One call, type-erased: its operation, its built request (or why it cannot be built,
/// reported when it would be sent), the outcome-unknown hint and the reading of the answer.
pub(crate) struct Call {
    op: Operation,
    req: Result<HttpRequest, Error>,
    hint: Option<String>,
    read: Read,
    guard: Option<Guard>,
}

impl Call {
    /// Operation `op`'s call: its request (or why it cannot be built), its outcome-unknown hint
    /// and how its answer is read.
    pub(crate) fn from_parts(
        op: Operation,
        req: Result<HttpRequest, Error>,
        hint: Option<String>,
        read: Read,
    ) -> Call {
        Call {
            op,
            req,
            hint,
            read,
            guard: None,
        }
    }

    /// The same call behind the update guard.
    pub(crate) fn guarded(self, guard: Guard) -> Call {
        Call {
            guard: Some(guard),
            ..self
        }
    }
}

impl JsClient {
    /// Runs `call` (or rejects with its argument error) under the call options `opts`.
    pub(crate) fn send(&self, opts: &JsValue, call: Result<Call, JsValue>) -> Promise {
        let call = match call {
            Ok(c) => c,
            Err(e) => return reject(e),
        };
        let (options, link) = match call_options(opts) {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let c = self.inner.clone();
        spawn(Box::pin(async move {
            let r = perform(&c, &options, call, link.as_ref()).await;
            drop(link);
            r
        }))
    }
}

/// The one future of every method: guard, send, read, convert. The guard's `getCluster` and
/// the call itself are sent from the same loop, so that the future holds one exchange (the
/// core's retry, deadline and abort state machine) and one reading of its answer, not two.
/// `signal` is the caller's, whose reason an abort keeps.
async fn perform(
    c: &Inner,
    options: &CallOptions,
    call: Call,
    signal: Option<&SignalLink>,
) -> Result<JsValue, JsValue> {
    let Call {
        op,
        req,
        mut hint,
        read,
        guard,
    } = call;
    let name = op.name();
    let the_call = (req, read);
    // the step to send now, and the call to send after it (when the guard's GET comes first)
    let (mut step, mut then, desired) = match guard {
        None => (the_call, None, None),
        Some(Guard {
            current: Some(current),
            body,
            ..
        }) => {
            refuse_update(&current, &body, name)?;
            (the_call, None, None)
        }
        Some(Guard {
            current: None,
            get,
            body,
        }) => ((get, current_cluster as Read), Some(the_call), Some(body)),
    };
    let mut start;
    // the attempts of the last exchange (a certificate zip that cannot be read reports them)
    let mut attempts = 0;
    let answer = loop {
        let (req, read) = step;
        // errors carry the method's name, also those of the guard's `getCluster`
        let req = req.map_err(|e| call_error(&CallError::bare(e, name)))?;
        start = c.runtime().now_ms();
        let answered = match c.exchange(&req, options).await {
            Ok(ex) => {
                attempts = ex.attempts();
                c.read(&ex, &req, read)
            }
            Err(e) => Err(e),
        };
        let answer = answered.map_err(|mut e| {
            e.operation = name;
            // never true for the guard's GET
            if e.outcome_unknown {
                e.hint = hint.take();
            }
            SignalLink::call_error(signal, e)
        })?;
        match (answer, then.take()) {
            (Answer::Current(current), Some(next)) => {
                if let Some(body) = &desired {
                    refuse_update(&current, body, name)?;
                }
                step = next;
            }
            (answer, _) => break answer,
        }
    };
    match answer {
        Answer::Js(v) => Ok(v),
        Answer::Zip(z) => certificate::extract(&z).await.map_err(|error| {
            call_error(&CallError {
                elapsed_ms: elapsed_ms(start, c.runtime().now_ms()),
                attempts,
                ..CallError::bare(error, name)
            })
        }),
        // only the guard's step reads the current cluster
        Answer::Current(_) => Ok(JsValue::UNDEFINED),
    }
}

/// The update guard's refusal (the core's `update_guard`): a `ValidationError` naming every
/// field of `body` that differs from `current` although the API does not allow it to change.
fn refuse_update(current: &[u8], body: &str, name: &'static str) -> Result<(), JsValue> {
    let arena = arena();
    update_guard(&view(current, &arena), &view(body.as_bytes(), &arena))
        .map_err(|e| call_error(&CallError::bare(e, name)))
}
