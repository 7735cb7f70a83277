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
                signal: signal.clone(),
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

impl SignalLink {
    /// The signal's `reason` once it has fired.
    fn reason(&self) -> Option<JsValue> {
        get(&self.signal, "aborted")
            .is_truthy()
            .then(|| get(&self.signal, "reason"))
    }

    /// The JS error of `e`, a failed call under this signal: an abort keeps the signal's
    /// `reason` as the error's `cause`, and a reason named `TimeoutError` (what
    /// `AbortSignal.timeout` gives) makes it a `TimeoutError` rather than an `AbortError`.
    pub(super) fn call_error(link: Option<&SignalLink>, e: CallError) -> JsValue {
        let reason = match (&e.error, link) {
            (Error::Aborted, Some(l)) => l.reason(),
            _ => None,
        };
        let Some(reason) = reason else {
            return call_error(&e);
        };
        let e = if get(&reason, "name").as_string().as_deref() == Some("TimeoutError") {
            CallError {
                error: Error::Timeout {
                    elapsed_ms: e.elapsed_ms,
                },
                ..e
            }
        } else {
            e
        };
        let err = call_error(&e);
        // as `new Error(message, { cause })` has it: an own property, not enumerable
        let descriptor: JsValue = Object::new().into();
        set(&descriptor, "value", &reason);
        set(&descriptor, "writable", &JsValue::TRUE);
        set(&descriptor, "configurable", &JsValue::TRUE);
        Object::define_property(
            err.unchecked_ref::<Object>(),
            &key("cause"),
            descriptor.unchecked_ref(),
        );
        err
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
    let timeout_ms = r.uint_up_to("timeoutMs", &o.timeout_ms.0, MAX_MS);
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
