//! The last argument of the request builders, `{ baseUrl?, username?, apiKey? }`: read by serde
//! into [`JsRequestOptions`], whose tsify derive is its `.d.ts` declaration.

use tsify::Tsify;
use wasm_bindgen::JsValue;

use crate::key::Key;
use instaclustr_pg_core::model::Secret;
use instaclustr_pg_core::request::RequestOptions;
use instaclustr_pg_core::validate::{Violation, ViolationCode};

/// Where and as whom a request is sent (all optional).
#[derive(serde::Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "RequestOptions")]
struct JsRequestOptions {
    /// `https://` URL of the API, or `http://` on a loopback host; default `https://api.instaclustr.com`.
    #[tsify(optional, type = "string | undefined")]
    base_url: Key,
    /// Account user name (Basic authentication).
    #[tsify(optional, type = "string | undefined")]
    username: Key,
    /// Provisioning API key (Basic authentication). Never appears in any error.
    #[tsify(optional, type = "string | undefined")]
    api_key: Key,
}

/// Reads the builders' options; a value of the wrong type is a violation at its key (the value
/// itself is never repeated).
pub(crate) fn read(js: &Option<JsValue>, v: &mut Vec<Violation>) -> RequestOptions {
    let mut opts = RequestOptions::default();
    let Some(js) = js.as_ref().filter(|o| !o.is_undefined() && !o.is_null()) else {
        return opts;
    };
    if !js.is_object() {
        v.push(Violation::new(
            "options",
            ViolationCode::Type,
            "must be an object { baseUrl?, username?, apiKey? }",
        ));
        return opts;
    }
    let Some(o) = crate::key::read_object::<JsRequestOptions>(js) else {
        v.push(Violation::new(
            "options",
            ViolationCode::Type,
            "must be an object whose keys can be read",
        ));
        return opts;
    };
    let mut text = |key: &str, value: &Key| -> Option<String> {
        if value.0.is_undefined() || value.0.is_null() {
            return None;
        }
        let s = value.0.as_string();
        if s.is_none() {
            v.push(Violation::new(key, ViolationCode::Type, "must be a string"));
        }
        s
    };
    opts.base_url = text("baseUrl", &o.base_url);
    opts.username = text("username", &o.username);
    opts.api_key = text("apiKey", &o.api_key).map(Secret::new);
    opts
}
