//! JS strings for the fixed names the builders and the options reader use (object keys, header
//! names, HTTP methods), made once per module instance.
//!
//! Each `JsValue::from_str` decodes its UTF-8 with a `TextDecoder` call, about 0.1-0.2 µs for a
//! short string in Node: the ten-odd names of every built request cost more than building it
//! (bench/FINDINGS.md). Only names are cached, never values (an `Authorization` header or a key).

use std::cell::RefCell;

use wasm_bindgen::JsValue;

thread_local! {
    /// The names made so far; a few dozen at most (the names are fixed in the code).
    static NAMES: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The JS string `s`, one of the crate's fixed names.
pub(crate) fn name(s: &str) -> JsValue {
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        if let Some((_, v)) = n.iter().find(|(k, _)| k == s) {
            return v.clone();
        }
        let v = JsValue::from_str(s);
        n.push((s.to_owned(), v.clone()));
        v
    })
}
