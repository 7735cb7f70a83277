//! The cluster CA certificate bundle: the API returns a zip holding the CA certificate as PEM,
//! DER and a Java keystore. [`zip`] reads that zip (central directory; stored and deflate
//! entries; CRC-32 checked) within fixed bounds, so a hostile or broken answer gives
//! [`Error::Decode`] instead of exhausting memory; this module takes the certificates from its
//! entries.
//!
//! Bounds: at most [`MAX_ENTRIES`] entries and [`MAX_UNCOMPRESSED`] bytes uncompressed in total
//! (a CA bundle is a few KB); ZIP64, encrypted entries and other compression methods are refused.
//!
//! The inflate step is pluggable ([`extract_with`]): `miniz_oxide` (the `inflate` feature,
//! `extract`) for the native client. The npm package does not run this reader: js/certificate.js
//! reads the zip with the platform's `DecompressionStream`, bound for bound and message for
//! message as here (the wasm tests compare the two on corrupted zips).

use std::future::Future;

use base64::Engine as _;

use crate::error::Error;

mod crc32;
#[cfg(feature = "inflate")]
pub mod testing;
pub mod zip;

pub use crc32::crc32;
#[cfg(feature = "inflate")]
pub use zip::read_zip;
pub use zip::{Deflated, ZipEntry};

/// Largest number of entries read from a certificate zip.
pub const MAX_ENTRIES: usize = 64;
/// Largest total uncompressed size of a certificate zip's entries (1 MiB).
pub const MAX_UNCOMPRESSED: usize = 1024 * 1024;

/// The CA certificate in its three forms, with the original zip.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificates {
    /// The zip as downloaded.
    pub zip: Vec<u8>,
    /// PEM text (from the `.pem` / `.crt` entry), ready for Node's `tls` or `pg` `ssl.ca`.
    pub pem: String,
    /// DER bytes (from the `.der` / `.cer` entry, or decoded from the first PEM block when the
    /// zip has none).
    pub der: Vec<u8>,
    /// Java keystore bytes (from the `.jks` entry; empty when the zip has none).
    pub jks: Vec<u8>,
}

impl std::fmt::Debug for Certificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificates")
            .field("zip_len", &self.zip.len())
            .field("pem_len", &self.pem.len())
            .field("der_len", &self.der.len())
            .field("jks_len", &self.jks.len())
            .finish()
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::Decode {
        message: format!("certificate zip: {}", message.into()),
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Extracts PEM, DER and JKS from the certificate zip of the API, inflating with `miniz_oxide`.
///
/// # Errors
/// As [`extract_with`].
#[cfg(feature = "inflate")]
pub fn extract(zip: Vec<u8>) -> Result<Certificates, Error> {
    zip::now(extract_with(zip, |d| std::future::ready(zip::inflate(d))))
}

/// Extracts PEM, DER and JKS from the certificate zip of the API, inflating its deflated
/// entries with `inflate` (see [`zip::read_zip_with`]).
///
/// # Errors
/// [`Error::Decode`] when the zip is bad (see [`zip::read_zip_with`]), has no `.pem`/`.crt`
/// entry, or its PEM is not text holding a certificate.
pub async fn extract_with<F, Fut>(zip: Vec<u8>, inflate: F) -> Result<Certificates, Error>
where
    F: FnMut(Deflated<'_>) -> Fut,
    Fut: Future<Output = Option<Vec<u8>>>,
{
    let entries = zip::read_zip_with(&zip, inflate).await?;
    from_entries(zip, &entries)
}

/// The certificates held by the entries of `zip`.
fn from_entries(zip: Vec<u8>, entries: &[ZipEntry]) -> Result<Certificates, Error> {
    let find = |exts: &[&str]| {
        entries
            .iter()
            .find(|e| exts.contains(&extension(&e.name).as_str()))
    };
    let pem_entry = find(&["pem", "crt"]).ok_or_else(|| bad("no .pem entry"))?;
    let pem = String::from_utf8(pem_entry.data.clone())
        .map_err(|_| bad("the .pem entry is not utf-8 text"))?;
    let der_from_pem =
        first_pem_block(&pem).ok_or_else(|| bad("the .pem entry holds no certificate"))?;
    let der = match find(&["der", "cer"]) {
        Some(e) => e.data.clone(),
        None => der_from_pem,
    };
    let jks = find(&["jks"]).map(|e| e.data.clone()).unwrap_or_default();
    Ok(Certificates { zip, pem, der, jks })
}

/// Decodes the first `CERTIFICATE` block of a PEM text.
pub fn first_pem_block(pem: &str) -> Option<Vec<u8>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let start = pem.find(BEGIN)? + BEGIN.len();
    let len = pem.get(start..)?.find(END)?;
    let b64: String = pem
        .get(start..start + len)?
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    (!der.is_empty()).then_some(der)
}

#[cfg(all(test, feature = "inflate"))]
mod tests {
    use super::testing::{pem, zip};
    use super::*;

    fn is_decode(r: Result<impl std::fmt::Debug, Error>) -> bool {
        matches!(r, Err(Error::Decode { .. }))
    }

    #[test]
    fn good_zip_stored_and_deflate() {
        let der = b"\x30\x82\x01\x0aDER-CERT-BYTES".repeat(20);
        let p = pem(&der);
        let z = zip(&[
            ("certs/", b"", false),
            ("certs/cluster-ca-certificate.pem", p.as_bytes(), true),
            ("certs/cluster-ca-certificate.der", &der, false),
            ("certs/truststore.jks", b"\xfe\xed\xfe\xedJKS", true),
        ]);
        let c = extract(z.clone()).unwrap();
        assert_eq!(c.zip, z);
        assert_eq!(c.pem, p);
        assert_eq!(c.der, der);
        assert_eq!(c.jks, b"\xfe\xed\xfe\xedJKS");
        assert_eq!(read_zip(&z).unwrap().len(), 3);
    }

    #[test]
    fn der_derived_from_pem_when_absent() {
        let der = b"0123456789".to_vec();
        let z = zip(&[("ca.CRT", pem(&der).as_bytes(), false)]);
        let c = extract(z).unwrap();
        assert_eq!(c.der, der);
        assert!(c.jks.is_empty());
    }

    #[test]
    fn bad_zips_are_decode_errors() {
        assert!(is_decode(extract(Vec::new())));
        assert!(is_decode(extract(
            b"not a zip at all, just some text here".to_vec()
        )));
        assert!(is_decode(extract(zip(&[("readme.txt", b"hi", false)])))); // no pem
        assert!(is_decode(extract(zip(&[(
            "a.pem",
            b"no cert here",
            false
        )]))));
        assert!(is_decode(extract(zip(&[("a.pem", b"\xff\xfe", false)]))));
        // corrupt the CRC of the one entry (local data changed)
        let p = pem(b"abc");
        let mut z = zip(&[("a.pem", p.as_bytes(), false)]);
        z[40] ^= 0xff;
        assert!(is_decode(read_zip(&z)));
        // truncated at every length: never a panic, always an error
        let good = zip(&[("a.pem", p.as_bytes(), true), ("b.jks", b"x", false)]);
        for n in 0..good.len() {
            assert!(read_zip(&good[..n]).is_err(), "prefix {n}");
        }
        // every single-byte corruption: never a panic
        for i in 0..good.len() {
            let mut z = good.clone();
            z[i] = z[i].wrapping_add(0x5a);
            let _ = extract(z);
        }
    }

    #[test]
    fn bombs_and_limits_are_refused() {
        // 2 MiB of zeros deflates to a few KB: refused by the total-size cap
        let zeros = vec![0u8; 2 * 1024 * 1024];
        assert!(is_decode(read_zip(&zip(&[("a.pem", &zeros, true)]))));
        // a lying declared size: inflating past it fails
        let mut z = zip(&[("a.pem", &vec![b'a'; 5000], true)]);
        let cd = z.len() - 22 - (46 + 5);
        z[cd + 24..cd + 28].copy_from_slice(&100u32.to_le_bytes());
        assert!(is_decode(read_zip(&z)));
        // too many entries
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("f{i}.txt")).collect();
        let entries: Vec<(&str, &[u8], bool)> = names
            .iter()
            .map(|n| (n.as_str(), &b"x"[..], false))
            .collect();
        assert!(is_decode(read_zip(&zip(&entries))));
    }
}
