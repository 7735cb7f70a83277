//! Probe functions: each runs one slice of the package's work so the bench can time the slices.
use instaclustr_pg_core::endpoints::{CreateCluster, Endpoint};
use instaclustr_pg_core::model::{ClusterBackupEvents, PostgresqlCluster};
use instaclustr_pg_core::request::RequestOptions;
use instaclustr_pg_core::validate;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn swb<T: Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .unwrap_or(JsValue::NULL)
}

fn with_path<T: DeserializeOwned>(b: &[u8]) -> Option<T> {
    let mut de = serde_json::Deserializer::from_slice(b);
    serde_path_to_error::deserialize::<_, T>(&mut de).ok()
}

fn plain<T: DeserializeOwned>(b: &[u8]) -> Option<T> {
    serde_json::from_slice(b).ok()
}

/// Boundary only: a string copied into wasm memory.
#[wasm_bindgen]
pub fn probe_noop_str(s: &str) -> usize {
    s.len()
}

/// Boundary only: bytes copied into wasm memory.
#[wasm_bindgen]
pub fn probe_noop_bytes(b: &[u8]) -> usize {
    b.len()
}

/// Boundary only: a string of `n` bytes returned to JS.
#[wasm_bindgen]
pub fn probe_return_str(n: usize) -> String {
    "x".repeat(n)
}

macro_rules! parse_probes {
    ($t:ty, $path:ident, $plain:ident, $value:ident, $swb:ident, $json:ident, $path_swb:ident) => {
        /// Rust decode as the package does it (serde_path_to_error), nothing returned.
        #[wasm_bindgen]
        pub fn $path(b: &[u8]) -> bool {
            with_path::<$t>(b).is_some()
        }
        /// Rust decode with plain serde_json, nothing returned.
        #[wasm_bindgen]
        pub fn $plain(b: &[u8]) -> bool {
            plain::<$t>(b).is_some()
        }
        /// Untyped serde_json::Value, nothing returned.
        #[wasm_bindgen]
        pub fn $value(b: &[u8]) -> bool {
            plain::<serde_json::Value>(b).is_some()
        }
        /// Plain decode, then serde-wasm-bindgen objects.
        #[wasm_bindgen]
        pub fn $swb(b: &[u8]) -> JsValue {
            plain::<$t>(b).map(|v| swb(&v)).unwrap_or(JsValue::NULL)
        }
        /// Plain decode, then JSON text (the caller runs JSON.parse).
        #[wasm_bindgen]
        pub fn $json(b: &[u8]) -> String {
            plain::<$t>(b)
                .and_then(|v| serde_json::to_string(&v).ok())
                .unwrap_or_default()
        }
        /// As the package: path-tracking decode, then serde-wasm-bindgen objects.
        #[wasm_bindgen]
        pub fn $path_swb(b: &[u8]) -> JsValue {
            with_path::<$t>(b).map(|v| swb(&v)).unwrap_or(JsValue::NULL)
        }
    };
}

parse_probes!(
    PostgresqlCluster,
    cluster_decode_path,
    cluster_decode_plain,
    cluster_decode_value,
    cluster_swb,
    cluster_json,
    cluster_path_swb
);
parse_probes!(
    ClusterBackupEvents,
    backups_decode_path,
    backups_decode_plain,
    backups_decode_value,
    backups_swb,
    backups_json,
    backups_path_swb
);

/// Validation from JSON text (JSON.stringify done by the caller), violations as JSON text.
#[wasm_bindgen]
pub fn validate_text(s: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v) => serde_json::to_string(&validate::create_cluster(&v)).unwrap_or_default(),
        Err(_) => "null".into(),
    }
}

/// Validation from JSON text, violations as serde-wasm-bindgen objects.
#[wasm_bindgen]
pub fn validate_text_swb(s: &str) -> JsValue {
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v) => swb(&validate::create_cluster(&v)),
        Err(_) => JsValue::NULL,
    }
}

/// serde_json::Value from JSON text only.
#[wasm_bindgen]
pub fn value_from_text(s: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(s).is_ok()
}

/// The whole create request from JSON text: `[method, url, headers..., body]` as JSON text.
#[wasm_bindgen]
pub fn build_text(s: &str, username: String, api_key: String) -> String {
    let Ok(body) = serde_json::from_str::<serde_json::Value>(s) else {
        return String::new();
    };
    let opts = RequestOptions {
        username: Some(username),
        api_key: Some(instaclustr_pg_core::model::Secret::new(api_key)),
        ..Default::default()
    };
    match (CreateCluster { body }).build(&opts) {
        Ok(r) => {
            let headers: serde_json::Map<String, serde_json::Value> = r
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            serde_json::json!({
                "method": r.method.as_str(),
                "url": r.url,
                "headers": headers,
                "body": r.body,
            })
            .to_string()
        }
        Err(_) => String::new(),
    }
}

/// The floor of any Rust-side check: a syntax-only scan (serde::de::IgnoredAny), nothing built.
#[wasm_bindgen]
pub fn scan_ignored(b: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok()
}
