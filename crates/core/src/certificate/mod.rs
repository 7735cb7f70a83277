//! The cluster CA certificate bundle: the API returns a zip holding the CA certificate as PEM,
//! DER and a Java keystore. `read_zip` (feature `inflate`) reads that zip with the `zip` crate
//! within fixed bounds, so that a hostile or broken answer gives `Error::Decode` instead of
//! exhausting memory; `extract` takes the certificates from its entries.
//!
//! Bounds: at most [`MAX_ENTRIES`] entries and [`MAX_UNCOMPRESSED`] bytes uncompressed in total
//! (a CA bundle is a few KB); encrypted entries and compression methods other than stored and
//! deflate are refused; every entry is checked against its declared size and CRC-32.
//!
//! The reader is native only (the `inflate` feature). The npm package reads the zip in
//! js/certificate.js with the platform's `DecompressionStream` (no zip reader in the .wasm), with
//! the same bounds; the wasm tests hold the two to the same verdicts on good, corrupted and
//! hostile zips.

use base64::Engine as _;

#[cfg(feature = "inflate")]
use crate::error::Error;

#[cfg(feature = "inflate")]
pub mod testing;

/// Largest number of entries read from a certificate zip.
pub const MAX_ENTRIES: usize = 64;
/// Largest total uncompressed size of a certificate zip's entries (1 MiB).
pub const MAX_UNCOMPRESSED: usize = 1024 * 1024;

/// One file of a zip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    /// Its name (path inside the zip).
    pub name: String,
    /// Its uncompressed content.
    pub data: Vec<u8>,
}

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

#[cfg(feature = "inflate")]
fn bad(message: impl std::fmt::Display) -> Error {
    Error::Decode {
        message: format!("certificate zip: {message}"),
    }
}

#[cfg(feature = "inflate")]
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Extracts PEM, DER and JKS from the certificate zip of the API.
///
/// # Errors
/// [`Error::Decode`] when the zip is bad (see [`read_zip`]), has no `.pem`/`.crt` entry, or its
/// PEM is not text holding a certificate.
#[cfg(feature = "inflate")]
pub fn extract(zip: Vec<u8>) -> Result<Certificates, Error> {
    let entries = read_zip(&zip)?;
    from_entries(zip, &entries)
}

/// Reads every file entry of a zip (directories skipped), within [`MAX_ENTRIES`] and
/// [`MAX_UNCOMPRESSED`], each checked against its declared size and CRC-32.
///
/// # Errors
/// [`Error::Decode`] naming what is wrong when the bytes are not a well-formed zip, exceed a
/// bound, use encryption or a method other than stored/deflate, or an entry does not inflate or
/// fails its size or CRC-32 check.
#[cfg(feature = "inflate")]
pub fn read_zip(bytes: &[u8]) -> Result<Vec<ZipEntry>, Error> {
    use std::io::Read as _;
    use zip::read::{ArchiveOffset, Config};
    use zip::CompressionMethod;

    // the archive starts at the first byte: a directory offset that is off is a fault, not a
    // prefix to skip
    let config = Config {
        archive_offset: ArchiveOffset::Known(0),
    };
    let unreadable = |e: zip::result::ZipError| bad(format!("not a readable zip: {e}"));
    let mut archive =
        zip::ZipArchive::with_config(config, std::io::Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > MAX_ENTRIES {
        return Err(bad(format!(
            "{} entries, at most {MAX_ENTRIES} allowed",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut out = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        // the entry's metadata first: what is refused is refused before anything is inflated
        let file = archive.by_index_raw(index).map_err(unreadable)?;
        let name = file.name().to_owned();
        if name.ends_with('/') {
            continue;
        }
        if file.encrypted() {
            return Err(bad(format!("entry {name:?} is encrypted")));
        }
        let method = file.compression();
        if method != CompressionMethod::Stored && method != CompressionMethod::Deflated {
            // the method's number, as the zip holds it (the crate's only accessor is deprecated
            // in favour of matching on constants, which cannot name an unknown method)
            #[allow(deprecated)]
            let number = method.to_u16();
            return Err(bad(format!(
                "entry {name:?} uses compression method {number}, only stored and deflate are supported"
            )));
        }
        let size = file.size();
        total = total.saturating_add(size);
        if total > MAX_UNCOMPRESSED as u64 {
            return Err(bad(format!(
                "uncompressed size exceeds {MAX_UNCOMPRESSED} bytes"
            )));
        }
        let end = file
            .data_start()
            .and_then(|start| start.checked_add(file.compressed_size()));
        if end.is_none_or(|end| end > bytes.len() as u64) {
            return Err(bad(format!("entry {name:?} lies outside the file")));
        }
        drop(file);
        let file = archive.by_index(index).map_err(unreadable)?;
        let crc = file.crc32();
        // one byte past the declared size shows a lying size without inflating a bomb
        let mut data = Vec::with_capacity(size as usize);
        if let Err(e) = file.take(size + 1).read_to_end(&mut data) {
            // the crate checks the CRC-32 when the content ends: said as such when that failed
            if data.len() as u64 == size && crc32fast::hash(&data) != crc {
                return Err(bad(format!("entry {name:?} fails its crc-32 check")));
            }
            return Err(bad(format!("entry {name:?} does not inflate: {e}")));
        }
        if data.len() as u64 > size {
            return Err(bad(format!(
                "entry {name:?} does not inflate within its declared size"
            )));
        }
        if (data.len() as u64) < size {
            return Err(bad(format!("entry {name:?} is not of its declared size")));
        }
        out.push(ZipEntry { name, data });
    }
    Ok(out)
}

#[cfg(feature = "inflate")]
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

    fn message(r: Result<Vec<ZipEntry>, Error>) -> String {
        match r {
            Err(Error::Decode { message }) => message,
            other => panic!("not a decode error: {other:?}"),
        }
    }

    #[test]
    fn garbage_and_refusals_name_what_is_wrong() {
        for garbage in [
            &b""[..],
            b"PK\x05\x06",
            &[
                0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
            &[0xff; 300],
        ] {
            assert!(message(read_zip(garbage)).starts_with("certificate zip: "));
        }
        let p = pem(b"abc");
        let mut z = zip(&[("a.pem", p.as_bytes(), false)]);
        let cd = z.len() - 22 - (46 + 5);
        z[cd + 10] = 9;
        assert_eq!(
            message(read_zip(&z)),
            "certificate zip: entry \"a.pem\" uses compression method 9, only stored and deflate are supported"
        );
        z[cd + 8] = 1;
        assert_eq!(
            message(read_zip(&z)),
            "certificate zip: entry \"a.pem\" is encrypted"
        );
        // a declared size shorter than the content, or longer
        for (declared, says) in [
            (100, "does not inflate within its declared size"),
            (9000, "is not of its declared size"),
        ] {
            let mut z = zip(&[("a.pem", &[b'a'; 5000], true)]);
            let cd = z.len() - 22 - (46 + 5);
            z[cd + 24..cd + 28].copy_from_slice(&(declared as u32).to_le_bytes());
            let got = message(read_zip(&z));
            assert!(got.ends_with(says), "{got}");
        }
        // a declared CRC-32 that the content does not have
        let mut z = zip(&[("a.pem", p.as_bytes(), true)]);
        let cd = z.len() - 22 - (46 + 5);
        z[cd + 16] ^= 1;
        assert_eq!(
            message(read_zip(&z)),
            "certificate zip: entry \"a.pem\" fails its crc-32 check"
        );
        // a compressed size past the end of the file
        let mut z = zip(&[("a.pem", p.as_bytes(), true)]);
        let cd = z.len() - 22 - (46 + 5);
        z[cd + 20..cd + 24].copy_from_slice(&60_000u32.to_le_bytes());
        assert_eq!(
            message(read_zip(&z)),
            "certificate zip: entry \"a.pem\" lies outside the file"
        );
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
