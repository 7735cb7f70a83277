//! The JavaScript surface of the npm package `instaclustr-pg`: every `#[wasm_bindgen]` item, over
//! the core crate `instaclustr-pg-core` (compiled for `wasm32` only; natively this crate is
//! empty). Functions take and return plain JS values whose TypeScript types are declared in
//! `types.rs` and by the tsify derives of the models; failures are thrown as the error classes
//! of `js/errors.js`.
#![cfg(target_arch = "wasm32")]
#![deny(missing_docs)]

mod checked;
pub mod client;
pub mod errors;
pub mod fetch;
mod key;
mod lists;
mod names;
pub mod operations;
mod outputs;
mod params;
mod request_options;
mod settle;
mod types;
mod utf8;
pub mod validate;

use wasm_bindgen::prelude::*;

use instaclustr_pg_core::validate::{Bump, Json, Violation, ViolationCode};

pub(crate) fn not_json(path: &str) -> Violation {
    Violation::new(
        path,
        ViolationCode::Type,
        "must be a json-compatible value (no cycles, bigint or functions)",
    )
}

/// The text of a JS input as `JSON.stringify` writes it (so a `Date` becomes its ISO string and
/// `undefined` fields disappear); `None` when there is none (`undefined`, a function), which
/// reads as `null`. A value JSON cannot represent (a cycle, a `BigInt`) is a `type` violation
/// at `path`.
pub(crate) fn json_text(input: &JsValue, path: &str) -> Result<Option<String>, Violation> {
    if input.is_undefined() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(input).map_err(|_| not_json(path))?;
    // `undefined` (a function, a symbol) is not a string
    Ok(text.is_string().then(|| utf8::to_string(&text)))
}

/// The arena of one [`Json`] view: room for a create body's lists and objects in one allocation.
pub(crate) fn arena() -> Bump {
    Bump::with_capacity(4096)
}

/// A JS input as a [`Json`] view of its text, kept in `text` (see [`json_text`]): what every
/// validator, builder and client method reads, without building a `serde_json::Value` (whose
/// parser, B-tree maps and printer would be about 8 KB of the gzip'd `.wasm`, bench/FINDINGS.md).
pub(crate) fn to_json_view<'t>(
    input: &JsValue,
    path: &str,
    text: &'t mut String,
    arena: &'t Bump,
) -> Result<Json<'t>, Violation> {
    match json_text(input, path)? {
        Some(s) => {
            *text = s;
            Json::parse(text, arena).map_err(|_| not_json(path))
        }
        None => Ok(Json::Null),
    }
}

/// The current time, epoch ms.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The allocator of the module: lol_alloc's free list (sorted by address, neighbours merged on
/// free) instead of std's dlmalloc, 2.3 KB smaller in the gzip'd `.wasm` with the parse,
/// validate and build timings unchanged (measured side by side, bench/FINDINGS.md). The hot
/// paths allocate little: one buffer per body, the validation's arena (bumpalo), the strings
/// of violations.
// SAFETY: a wasm module instance is single-threaded (this build has no shared memory or
// threads), which is what `AssumeSingleThreaded` requires.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
