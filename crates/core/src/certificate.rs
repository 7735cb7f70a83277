//! The cluster CA certificate bundle: the API returns a zip holding the CA certificate as PEM,
//! DER and a Java keystore. This module reads that zip (central directory; stored and deflate
//! entries, inflated by `miniz_oxide`; CRC-32 checked) within fixed bounds, so a hostile or
//! broken answer gives [`Error::Decode`] instead of exhausting memory.
//!
//! Bounds: at most [`MAX_ENTRIES`] entries and [`MAX_UNCOMPRESSED`] bytes uncompressed in total
//! (a CA bundle is a few KB); ZIP64, encrypted entries and other compression methods are refused.

use base64::Engine as _;

use crate::error::Error;

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

/// One file of a zip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    /// Its name (path inside the zip).
    pub name: String,
    /// Its uncompressed content.
    pub data: Vec<u8>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::Decode {
        message: format!("certificate zip: {}", message.into()),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

const EOCD_SIG: u32 = 0x0605_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const LFH_SIG: u32 = 0x0403_4b50;

/// Reads every file entry of a zip (directories skipped), within [`MAX_ENTRIES`] and
/// [`MAX_UNCOMPRESSED`].
///
/// # Errors
/// [`Error::Decode`] when the bytes are not a well-formed zip, exceed a bound, use ZIP64,
/// encryption or a method other than stored/deflate, or fail the CRC-32 check.
pub fn read_zip(bytes: &[u8]) -> Result<Vec<ZipEntry>, Error> {
    // End of central directory: 22 bytes + a comment of at most 65535 bytes, found from the end.
    if bytes.len() < 22 {
        return Err(bad("too short to be a zip"));
    }
    let lowest = bytes.len().saturating_sub(22 + 65_535);
    let mut eocd = None;
    let mut i = bytes.len() - 22;
    loop {
        if u32_at(bytes, i) == Some(EOCD_SIG) {
            eocd = Some(i);
            break;
        }
        if i == lowest {
            break;
        }
        i -= 1;
    }
    let eocd = eocd.ok_or_else(|| bad("no end of central directory record"))?;
    let disk = u16_at(bytes, eocd + 4).unwrap_or(1);
    let cd_disk = u16_at(bytes, eocd + 6).unwrap_or(1);
    let count = u16_at(bytes, eocd + 10).ok_or_else(|| bad("truncated end record"))?;
    let cd_size = u32_at(bytes, eocd + 12).ok_or_else(|| bad("truncated end record"))?;
    let cd_offset = u32_at(bytes, eocd + 16).ok_or_else(|| bad("truncated end record"))?;
    if disk != 0 || cd_disk != 0 {
        return Err(bad("multi-disk zips are not supported"));
    }
    if count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        return Err(bad("zip64 is not supported"));
    }
    let count = usize::from(count);
    if count > MAX_ENTRIES {
        return Err(bad(format!(
            "{count} entries, at most {MAX_ENTRIES} allowed"
        )));
    }
    let cd_start = cd_offset as usize;
    let cd_end = cd_start
        .checked_add(cd_size as usize)
        .ok_or_else(|| bad("bad central directory"))?;
    if cd_end > eocd {
        return Err(bad("central directory lies outside the file"));
    }

    let mut entries = Vec::new();
    let mut total: usize = 0;
    let mut at = cd_start;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CDH_SIG) || at + 46 > cd_end {
            return Err(bad("bad central directory entry"));
        }
        let field =
            |off: usize| u16_at(bytes, at + off).ok_or_else(|| bad("truncated central directory"));
        let field32 =
            |off: usize| u32_at(bytes, at + off).ok_or_else(|| bad("truncated central directory"));
        let flags = field(8)?;
        let method = field(10)?;
        let crc = field32(16)?;
        let csize = field32(20)? as usize;
        let usize_ = field32(24)? as usize;
        let name_len = usize::from(field(28)?);
        let extra_len = usize::from(field(30)?);
        let comment_len = usize::from(field(32)?);
        let local = field32(42)? as usize;
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("truncated entry name"))?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at = at + 46 + name_len + extra_len + comment_len;
        if at > cd_end {
            return Err(bad("central directory entry overruns the directory"));
        }
        if name.ends_with('/') {
            continue;
        }
        if flags & 1 != 0 {
            return Err(bad(format!("entry {name:?} is encrypted")));
        }
        if csize == 0xFFFF_FFFF || usize_ == 0xFFFF_FFFF {
            return Err(bad("zip64 is not supported"));
        }
        total = total
            .checked_add(usize_)
            .ok_or_else(|| bad("sizes overflow"))?;
        if total > MAX_UNCOMPRESSED {
            return Err(bad(format!(
                "uncompressed size exceeds {MAX_UNCOMPRESSED} bytes"
            )));
        }
        // The local header repeats name and extra with possibly different lengths.
        if u32_at(bytes, local) != Some(LFH_SIG) {
            return Err(bad(format!("entry {name:?} has no local header")));
        }
        let lname =
            usize::from(u16_at(bytes, local + 26).ok_or_else(|| bad("truncated local header"))?);
        let lextra =
            usize::from(u16_at(bytes, local + 28).ok_or_else(|| bad("truncated local header"))?);
        let start = local + 30 + lname + lextra;
        let data = start
            .checked_add(csize)
            .and_then(|end| bytes.get(start..end))
            .ok_or_else(|| bad(format!("entry {name:?} lies outside the file")))?;
        let content = match method {
            0 => {
                if csize != usize_ {
                    return Err(bad(format!("stored entry {name:?} has mismatched sizes")));
                }
                data.to_vec()
            }
            8 => {
                miniz_oxide::inflate::decompress_to_vec_with_limit(data, usize_).map_err(|_| {
                    bad(format!(
                        "entry {name:?} does not inflate within its declared size"
                    ))
                })?
            }
            m => {
                return Err(bad(format!(
                "entry {name:?} uses compression method {m}, only stored and deflate are supported"
            )))
            }
        };
        if content.len() != usize_ {
            return Err(bad(format!("entry {name:?} is not of its declared size")));
        }
        if crc32(&content) != crc {
            return Err(bad(format!("entry {name:?} fails its crc-32 check")));
        }
        entries.push(ZipEntry {
            name,
            data: content,
        });
    }
    Ok(entries)
}

/// CRC-32 (IEEE, reflected, as zip uses it) with one 256-entry table built at compile time.
/// Written by hand: crc32fast's slice-by-16 tables add 16 KB of data to the `.wasm` (measured
/// with wasm-opt -Os) to check a few KB of certificate; this is 1 KB and a dozen lines.
pub fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    };
    let mut c = !0u32;
    for &b in data {
        c = TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

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
pub fn extract(zip: Vec<u8>) -> Result<Certificates, Error> {
    let entries = read_zip(&zip)?;
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

/// Test helpers: a minimal zip writer (stored or deflate entries), used by this crate's tests
/// and by integration tests to build good and hostile zips.
#[doc(hidden)]
pub mod testing {
    /// Builds a zip of `(name, data, deflate)` entries.
    pub fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut cd = Vec::new();
        for (name, data, deflate) in entries {
            let crc = super::crc32(data);
            let (method, payload): (u16, Vec<u8>) = if *deflate {
                (8, miniz_oxide::deflate::compress_to_vec(data, 6))
            } else {
                (0, data.to_vec())
            };
            let offset = out.len() as u32;
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            out.extend_from_slice(&[20, 0, 0, 0]);
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0, 0]);
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&payload);
            cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            cd.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
            cd.extend_from_slice(&method.to_le_bytes());
            cd.extend_from_slice(&[0, 0, 0, 0]);
            cd.extend_from_slice(&crc.to_le_bytes());
            cd.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            cd.extend_from_slice(&(data.len() as u32).to_le_bytes());
            cd.extend_from_slice(&(name.len() as u16).to_le_bytes());
            cd.extend_from_slice(&[0; 12]);
            cd.extend_from_slice(&offset.to_le_bytes());
            cd.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&cd);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    /// A PEM wrapping `der`.
    pub fn pem(der: &[u8]) -> String {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{pem, zip};
    use super::*;

    fn is_decode(r: Result<impl std::fmt::Debug, Error>) -> bool {
        matches!(r, Err(Error::Decode { .. }))
    }

    #[test]
    fn crc32_check_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
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
