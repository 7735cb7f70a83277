//! Reading an operation's JS arguments, once for its builder and its client method: every
//! argument problem is collected (so that all of them are reported at once), and the operation's
//! request, outcome-unknown hint and update guard are prepared from what was read.

use wasm_bindgen::prelude::*;

use crate::client::{Call, Guard, JsClient, Read};
use crate::errors::{to_js_error, validation_error};
use crate::fetch::request_to_js;
use instaclustr_pg_core::endpoints::ConfigurationRef;
use instaclustr_pg_core::endpoints::Endpoint;
use instaclustr_pg_core::request::{HttpRequest, RequestOptions};
use instaclustr_pg_core::validate::{Bump, Json, Violation, ViolationCode};
use instaclustr_pg_core::{Error, Operation};

/// Which export reads the arguments: the `build*Request` function or the client method. They
/// differ only where the JS signatures differ: the path of a body (`""` for a builder, whose
/// first argument is the body; `body` for a method) and the call options of a method.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Build,
    Call,
}

/// The text and arena a body is read into; it outlives the [`Json`] view of the body.
pub(crate) struct Slot {
    text: String,
    arena: Bump,
}

impl Default for Slot {
    fn default() -> Self {
        Slot {
            text: String::new(),
            arena: crate::arena(),
        }
    }
}

/// A body argument: its [`Json`] view and its JSON text.
pub(crate) struct Body<'t> {
    pub(crate) view: Json<'t>,
    pub(crate) text: &'t str,
}

/// The reading of one call's arguments.
pub(crate) struct Cx<'a> {
    mode: Mode,
    /// The request options: the builder's `options` or the client's.
    pub(crate) opts: &'a RequestOptions,
    /// The current time, epoch ms (the restore's point in time is checked against it).
    pub(crate) now_ms: f64,
    /// The method's call options (`undefined` for a builder).
    pub(crate) call_options: &'a JsValue,
    violations: Vec<Violation>,
}

/// An operation's call as its arguments describe it, before it is built into JS or sent.
pub(crate) struct Prepared {
    op: Operation,
    req: Result<HttpRequest, Error>,
    hint: Option<String>,
    guard: Option<Guard>,
}

impl Prepared {
    /// The same call behind the update guard.
    pub(crate) fn guarded(self, guard: Guard) -> Prepared {
        Prepared {
            guard: Some(guard),
            ..self
        }
    }
}

impl<'a> Cx<'a> {
    pub(crate) fn new(
        mode: Mode,
        opts: &'a RequestOptions,
        now_ms: f64,
        call_options: &'a JsValue,
    ) -> Self {
        Cx {
            mode,
            opts,
            now_ms,
            call_options,
            violations: Vec::new(),
        }
    }

    /// Whether the arguments are read for a client method.
    pub(crate) fn is_call(&self) -> bool {
        self.mode == Mode::Call
    }

    /// Records a problem of an argument.
    pub(crate) fn violation(&mut self, v: Violation) {
        self.violations.push(v);
    }

    /// A string argument (an ID, a version): missing is `required`, another type is `type`;
    /// `""` stands in for it then (the builder's own violation at `path` is not reported twice).
    pub(crate) fn string(&mut self, js: &JsValue, path: &str) -> String {
        js.as_string().unwrap_or_else(|| {
            let code = if js.is_undefined() || js.is_null() {
                ViolationCode::Required
            } else {
                ViolationCode::Type
            };
            self.violation(Violation::new(path, code, "must be a string"));
            String::new()
        })
    }

    /// A JSON body argument named `name` (as a method's parameter), as a view of its text kept
    /// in `slot`; `null` when JSON cannot hold it (a `type` violation).
    pub(crate) fn body<'t>(&mut self, js: &JsValue, name: &str, slot: &'t mut Slot) -> Body<'t> {
        let path = if self.is_call() { name } else { "" };
        match crate::json_text(js, path) {
            Ok(Some(text)) => slot.text = text,
            Ok(None) => {}
            Err(v) => self.violation(v),
        }
        let text: &'t str = &slot.text;
        if text.is_empty() {
            return Body {
                view: Json::Null,
                text,
            };
        }
        match Json::parse(text, &slot.arena) {
            Ok(view) => Body { view, text },
            Err(_) => {
                self.violation(crate::not_json(path));
                Body {
                    view: Json::Null,
                    text,
                }
            }
        }
    }

    /// An optional string parameter (`undefined` and `null` leave it out).
    pub(crate) fn optional_string(&mut self, js: &JsValue, path: &str) -> Option<String> {
        (!js.is_undefined() && !js.is_null()).then(|| self.string(js, path))
    }

    /// An optional boolean parameter (`undefined` and `null` leave it out).
    pub(crate) fn optional_bool(&mut self, js: &JsValue, path: &str) -> Option<bool> {
        if js.is_undefined() || js.is_null() {
            return None;
        }
        let b = js.as_bool();
        if b.is_none() {
            self.violation(Violation::new(
                path,
                ViolationCode::Type,
                "must be a boolean",
            ));
        }
        b
    }

    /// A configuration ID argument: the string `<clusterId>|<name>` or `{ clusterId, name }`
    /// (each part a string, else a violation at `path.clusterId` / `path.name`).
    pub(crate) fn configuration(&mut self, js: &JsValue, path: &str) -> ConfigurationRef {
        if let Some(id) = js.as_string() {
            return ConfigurationRef::Id(id);
        }
        if !js.is_object() {
            let code = if js.is_undefined() || js.is_null() {
                ViolationCode::Required
            } else {
                ViolationCode::Type
            };
            self.violation(Violation::new(
                path,
                code,
                "must be a configuration id: <clusterId>|<name>, or { clusterId, name }",
            ));
            return ConfigurationRef::Id(String::new());
        }
        let mut part = |k: &str| {
            let v = js_sys::Reflect::get(js, &JsValue::from_str(k)).unwrap_or_default();
            let mut p = String::with_capacity(path.len() + k.len() + 1);
            p.push_str(path);
            p.push('.');
            p.push_str(k);
            self.string(&v, &p)
        };
        let cluster_id = part("clusterId");
        let name = part("name");
        ConfigurationRef::Parts { cluster_id, name }
    }

    /// An optional parameters object: absent, `null` or an object (`path` must be an object
    /// otherwise).
    pub(crate) fn params_object(&mut self, js: &JsValue, path: &str) {
        if !js.is_undefined() && !js.is_null() && !js.is_object() {
            self.violation(Violation::new(
                path,
                ViolationCode::Type,
                "must be an object",
            ));
        }
    }

    /// The call of an endpoint named by one string argument (a cluster ID, a version):
    /// `endpoint` makes it from the string read at `path`.
    pub(crate) fn by_string<E: Endpoint>(
        &mut self,
        js: &JsValue,
        path: &str,
        endpoint: impl FnOnce(String) -> E,
    ) -> Prepared {
        let s = self.string(js, path);
        self.endpoint(&endpoint(s))
    }

    /// `E`'s call, built from the endpoint value.
    pub(crate) fn endpoint<E: Endpoint>(&self, endpoint: &E) -> Prepared {
        Self::built::<E>(endpoint.build(self.opts), endpoint.outcome_unknown_hint())
    }

    /// `E`'s call from its request and outcome-unknown hint, built already (from a body read as
    /// a [`Json`] view).
    pub(crate) fn built<E: Endpoint>(
        req: Result<HttpRequest, Error>,
        hint: Option<String>,
    ) -> Prepared {
        Prepared {
            op: E::SPEC.operation,
            req,
            hint,
            guard: None,
        }
    }

    /// The builder's result: the request as JS, or a `ValidationError` with the argument
    /// problems first, then those of `options` (`early`), then the builder's own (an argument
    /// that could not be read is reported once, not also as the empty value the builder saw).
    pub(crate) fn finish_build(
        self,
        early: Vec<Violation>,
        p: Prepared,
    ) -> Result<JsValue, JsValue> {
        let mut all = self.violations;
        all.extend(early);
        match p.req {
            Ok(req) if all.is_empty() => Ok(request_to_js(&req)),
            Ok(_) => Err(validation_error(all)),
            Err(Error::Validation { violations }) => {
                let unread: Vec<String> = all.iter().map(|v| v.path.clone()).collect();
                for x in violations {
                    if !all.contains(&x) && !unread.contains(&x.path) {
                        all.push(x);
                    }
                }
                Err(validation_error(all))
            }
            Err(other) => Err(to_js_error(&other, None)),
        }
    }

    /// The method's call, read by `read`, or a `ValidationError` with every argument problem.
    pub(crate) fn finish_call(self, p: Prepared, read: Read) -> Result<Call, JsValue> {
        if !self.violations.is_empty() {
            return Err(validation_error(self.violations));
        }
        let call = Call::from_parts(p.op, p.req, p.hint, read);
        Ok(match p.guard {
            Some(guard) => call.guarded(guard),
            None => call,
        })
    }
}

impl JsClient {
    /// Reads a method's arguments with `prepare` and runs the call under `options`.
    pub(crate) fn run(
        &self,
        options: Option<JsValue>,
        read: Read,
        prepare: impl FnOnce(&mut Cx<'_>) -> Prepared,
    ) -> js_sys::Promise {
        let opts = options.unwrap_or_default();
        let now = match self.now_ms() {
            Ok(now) => now,
            Err(e) => return js_sys::Promise::reject(&e),
        };
        let mut cx = Cx::new(Mode::Call, self.request_options(), now, &opts);
        let prepared = prepare(&mut cx);
        let call = cx.finish_call(prepared, read);
        self.send(&opts, call)
    }
}
