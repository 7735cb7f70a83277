//! A JS string copied into wasm memory as UTF-8 with one `TextEncoder.encodeInto` call.
//!
//! Hand-written rather than wasm-bindgen's `JsValue::as_string`: its glue copies an ASCII
//! string one `charCodeAt` at a time in JS, about 3.5 µs for the 1.4 KB create body against
//! 0.15 µs for `encodeInto` (Node 20), which was a sixth of `validateCreateCluster`.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type TextEncoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;

    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, s: &JsString, dest: &Uint8Array) -> EncodeIntoResult;

    type EncodeIntoResult;

    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;
}

thread_local! {
    /// One UTF-8 encoder for the module (global in Node 18+, browsers and workers).
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// `s` as a Rust string (a lone surrogate becomes U+FFFD, as with `as_string`).
pub(crate) fn to_string(s: &JsString) -> String {
    // at most 3 UTF-8 bytes per UTF-16 unit
    let room = (s.length() as usize).saturating_mul(3);
    let mut buf: Vec<u8> = Vec::with_capacity(room);
    let written = ENCODER.with(|e| {
        // SAFETY: the view covers `buf`'s allocation and is dropped before anything can allocate
        // in (and so move or grow) the wasm memory: `encodeInto` only writes into it
        let view = unsafe { Uint8Array::view_mut_raw(buf.as_mut_ptr(), room) };
        e.encode_into(s, &view).written() as usize
    });
    // SAFETY: `encodeInto` wrote `written` (<= room) initialized bytes at the start of `buf`
    unsafe { buf.set_len(written.min(room)) };
    // encodeInto writes well-formed UTF-8; checked anyway, never trusted blindly
    String::from_utf8(buf).unwrap_or_default()
}
