//! The certificate zip reader and PEM decoder on arbitrary bytes.
#![no_main]
use instaclustr_pg_core::certificate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = certificate::read_zip(data);
    let _ = certificate::extract(data.to_vec());
    let _ = certificate::first_pem_block(&String::from_utf8_lossy(data));
});
