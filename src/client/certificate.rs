//! The certificate zip of `downloadCertificate`, read by js/certificate.js: listed, bounded,
//! inflated by the platform's `DecompressionStream` and checked (sizes, CRC-32) there, with the
//! bounds and verdicts of the core's native reader (`instaclustr_pg_core::certificate`, on the
//! `zip` crate), so that the `.wasm` holds no zip reader (bench/FINDINGS.md: about 6.4 KB of the
//! gzip'd `.wasm` against about 1.5 KB of minified JavaScript); the wasm tests hold the two to
//! the same answers over corrupted zips (tests/wasm_client.rs).

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;

use instaclustr_pg_core::Error;

use crate::settle::{self, Settled};

#[wasm_bindgen(module = "/js/certificate.js")]
extern "C" {
    /// Reads `zip` and settles the future `id` with `{ zip, pem, der, jks }` or a message.
    #[wasm_bindgen(js_name = extractCertificate)]
    fn extract_certificate(zip: &Uint8Array, id: u32, done: &Function);
}

/// `{ zip, pem, der, jks }` (the `Certificates` of the `.d.ts`) from the certificate zip.
///
/// # Errors
/// [`Error::Decode`] for a bad zip, naming what is wrong.
pub(super) async fn extract(zip: &[u8]) -> Result<JsValue, Error> {
    let settled = Settled::new();
    extract_certificate(&Uint8Array::from(zip), settled.id(), &settle::callback());
    let outcome = settled.await;
    match outcome.as_string() {
        Some(message) => Err(Error::Decode { message }),
        None => Ok(outcome),
    }
}
