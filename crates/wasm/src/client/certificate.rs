//! The certificate zip of `downloadCertificate` read by the core ([`certificate::extract_with`]:
//! every bound, size and CRC-32 check) with the platform inflating its deflated entries through
//! `DecompressionStream`. This keeps `miniz_oxide` out of the package (about 4.2 KB of the
//! gzip'd `.wasm`, measured).
//!
//! `"deflate-raw"` reads the entry's stream as it is, as the native reader does; it came to
//! Node in 21.2 / 20.12 and to Chrome in 103. Where the platform lacks it (Node 18), the stream
//! is wrapped in a gzip member ([`gzip_member`]), which every platform with
//! `DecompressionStream` reads; the gzip reader also checks the trailer made of the declared
//! CRC-32 and size, so there a deflated entry whose declared CRC-32 or size is wrong is refused
//! as "does not inflate within its declared size" rather than with the native reader's size or
//! CRC-32 message (still a `DecodeError`). Browsers also refuse bytes left after the end of the
//! deflate stream (within the entry's compressed size), which Node and `miniz_oxide` ignore:
//! such an entry is refused with those same words where natively it passes or fails its size
//! or CRC-32 check.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ReadableStream, Response};

use crate::fetch::read_stream;

use instaclustr_pg_core::certificate::zip::gzip_member;
use instaclustr_pg_core::certificate::{self, Certificates, Deflated};
use instaclustr_pg_core::Error;

#[wasm_bindgen]
extern "C" {
    /// `DecompressionStream` (Compression Streams API), a transform stream.
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    /// A `ReadableStream`, for its `pipeThrough` (web-sys has it behind more features).
    type Piped;

    #[wasm_bindgen(method, catch, js_name = pipeThrough)]
    fn pipe_through(
        this: &Piped,
        transform: &DecompressionStream,
    ) -> Result<ReadableStream, JsValue>;
}

/// Extracts PEM, DER and JKS from the certificate zip (see [`certificate::extract_with`]).
///
/// # Errors
/// [`Error::Decode`] for a bad zip, with the messages of the native reader.
pub(super) async fn extract(zip: Vec<u8>) -> Result<Certificates, Error> {
    certificate::extract_with(zip, |d: Deflated<'_>| {
        let size = d.size;
        let input = match DecompressionStream::new("deflate-raw") {
            Ok(raw) => Ok((raw, d.data.to_vec())),
            Err(_) => DecompressionStream::new("gzip")
                .map(|gzip| (gzip, gzip_member(d.data, d.crc, d.size))),
        };
        async move {
            let (stream, bytes) = input.ok()?;
            inflate(stream, bytes, size).await
        }
    })
    .await
}

/// Inflates `bytes` with `stream`, reading no more than `limit` bytes: `None` when the stream
/// fails or gives more (a zip bomb, or a size that lies: read no further).
async fn inflate(stream: DecompressionStream, bytes: Vec<u8>, limit: usize) -> Option<Vec<u8>> {
    let mut bytes = bytes;
    let input = Response::new_with_opt_u8_array(Some(&mut bytes))
        .ok()?
        .body()?;
    let output = input.unchecked_ref::<Piped>().pipe_through(&stream).ok()?;
    read_stream(&output, limit).await
}
