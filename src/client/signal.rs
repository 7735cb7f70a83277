//! Per-call options and the bridge from a JS `AbortSignal` to the core's [`Abort`].

use super::*;

/// Links a JS `AbortSignal` to an [`Abort`]; the listener is removed when this is dropped.
pub(super) struct SignalLink {
    signal: JsValue,
    listener: Option<Closure<dyn FnMut()>>,
}

impl SignalLink {
    pub(super) fn new(signal: &JsValue, abort: &Abort) -> Self {
        if get(signal, "aborted").is_truthy() {
            abort.abort();
            return Self {
                signal: JsValue::UNDEFINED,
                listener: None,
            };
        }
        let add = get(signal, "addEventListener");
        let Some(add) = add.dyn_ref::<Function>() else {
            return Self {
                signal: JsValue::UNDEFINED,
                listener: None,
            };
        };
        let a = abort.clone();
        let listener = Closure::<dyn FnMut()>::new(move || a.abort());
        let _ = add.call2(signal, &key("abort"), listener.as_ref());
        Self {
            signal: signal.clone(),
            listener: Some(listener),
        }
    }
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        if let Some(l) = &self.listener {
            if let Some(remove) = get(&self.signal, "removeEventListener").dyn_ref::<Function>() {
                let _ = remove.call2(&self.signal, &key("abort"), l.as_ref());
            }
        }
    }
}

pub(super) fn is_signal_like(v: &JsValue) -> bool {
    v.is_object() && get(v, "addEventListener").is_function()
}

/// Judges `options.signal` (absent, or an `AbortSignal`), for the call options and the
/// waiters' options alike.
#[inline(never)]
pub(super) fn check_signal(r: &mut Reader<'_>, signal: &JsValue) {
    if !(signal.is_undefined() || signal.is_null() || is_signal_like(signal)) {
        r.violations.push(Violation::new(
            "options.signal",
            ViolationCode::Type,
            "must be an AbortSignal",
        ));
    }
}

/// A new [`Abort`], linked to `signal` when it is an `AbortSignal`.
#[inline(never)]
pub(super) fn abort_of(signal: &JsValue) -> (Abort, Option<SignalLink>) {
    let abort = Abort::new();
    let link = is_signal_like(signal).then(|| SignalLink::new(signal, &abort));
    (abort, link)
}

/// Per-call options: `{ signal?, timeoutMs? }` (and method-specific keys read by the caller).
pub(super) fn call_options(opts: &JsValue) -> Result<(CallOptions, Option<SignalLink>), JsValue> {
    let mut r = Reader::new(opts, "options");
    let o: JsCallOptions = r.read();
    let timeout_ms = r.ms_of("timeoutMs", &o.timeout_ms.0, MAX_MS);
    let signal = o.signal.0;
    check_signal(&mut r, &signal);
    r.finish()?;
    let (abort, link) = abort_of(&signal);
    Ok((
        CallOptions {
            abort: Some(abort),
            timeout_ms,
        },
        link,
    ))
}
