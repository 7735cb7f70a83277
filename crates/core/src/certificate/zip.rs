//! The zip container of the certificate bundle: its entries read from the central directory
//! within fixed bounds, the deflated ones inflated by a pluggable step (`miniz_oxide` for the
//! native client; the npm package reads the zip with js/certificate.js, which mirrors this reader
//! and is held equal to it by the wasm tests), every entry checked
//! against its declared size and CRC-32.
//!
//! The reading is in two steps so that the inflate step can be asynchronous: `list` walks the
//! central directory (every bound and header check) and keeps the first fault it meets; then each
//! listed entry is inflated and checked in order, and the listing's fault, if any, is reported
//! after them: the same first error, with the same message, as one pass over the zip.

use std::future::Future;

use super::crc32::crc32;
use super::{bad, MAX_ENTRIES, MAX_UNCOMPRESSED};
use crate::error::Error;

/// One file of a zip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    /// Its name (path inside the zip).
    pub name: String,
    /// Its uncompressed content.
    pub data: Vec<u8>,
}

/// A deflated entry as listed, before it is inflated: what the inflate step is given.
#[derive(Debug)]
pub struct Deflated<'a> {
    /// The raw deflate stream (the entry's compressed bytes).
    pub data: &'a [u8],
    /// The declared uncompressed size: the inflate step reads no further (a zip bomb stops
    /// here).
    pub size: usize,
    /// The declared CRC-32 of the uncompressed bytes.
    pub crc: u32,
}

/// A listed entry: its content is stored or still deflated.
struct Listed<'a> {
    name: String,
    crc: u32,
    size: usize,
    stored: bool,
    data: &'a [u8],
}

/// The entries of a zip up to its first fault, and that fault.
struct Listing<'a> {
    entries: Vec<Listed<'a>>,
    fault: Result<(), Error>,
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

/// Walks the central directory: the file entries (directories skipped) until the first fault.
/// A fault of the end record is returned at once (no entry is read before it).
fn list(bytes: &[u8]) -> Result<Listing<'_>, Error> {
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
    let fault = entries_of(bytes, count, cd_start, cd_end, &mut entries);
    Ok(Listing { entries, fault })
}

/// The `count` central directory entries from `at` (within `cd_end`), pushed onto `entries`
/// until the first fault.
fn entries_of<'a>(
    bytes: &'a [u8],
    count: usize,
    mut at: usize,
    cd_end: usize,
    entries: &mut Vec<Listed<'a>>,
) -> Result<(), Error> {
    let mut total: usize = 0;
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
        let size = field32(24)? as usize;
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
        if csize == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
            return Err(bad("zip64 is not supported"));
        }
        total = total
            .checked_add(size)
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
        let stored = match method {
            0 if csize != size => {
                return Err(bad(format!("stored entry {name:?} has mismatched sizes")));
            }
            0 => true,
            8 => false,
            m => {
                return Err(bad(format!(
                "entry {name:?} uses compression method {m}, only stored and deflate are supported"
            )))
            }
        };
        entries.push(Listed {
            name,
            crc,
            size,
            stored,
            data,
        });
    }
    Ok(())
}

/// Reads every file entry of a zip (directories skipped), within [`MAX_ENTRIES`] and
/// [`MAX_UNCOMPRESSED`], inflating the deflated ones with `inflate`: it gives the inflated
/// bytes, or `None` when the stream is not valid deflate or inflates past [`Deflated::size`]
/// (it must stop reading there). Each entry's content is then checked against its declared
/// size and CRC-32 here, whatever the inflate step checked.
///
/// # Errors
/// [`Error::Decode`] when the bytes are not a well-formed zip, exceed a bound, use ZIP64,
/// encryption or a method other than stored/deflate, or an entry does not inflate or fails its
/// size or CRC-32 check.
pub async fn read_zip_with<F, Fut>(bytes: &[u8], mut inflate: F) -> Result<Vec<ZipEntry>, Error>
where
    F: FnMut(Deflated<'_>) -> Fut,
    Fut: Future<Output = Option<Vec<u8>>>,
{
    let listing = list(bytes)?;
    let mut out = Vec::with_capacity(listing.entries.len());
    for e in listing.entries {
        let content = if e.stored {
            e.data.to_vec()
        } else {
            let deflated = Deflated {
                data: e.data,
                size: e.size,
                crc: e.crc,
            };
            inflate(deflated).await.ok_or_else(|| {
                bad(format!(
                    "entry {:?} does not inflate within its declared size",
                    e.name
                ))
            })?
        };
        if content.len() != e.size {
            return Err(bad(format!(
                "entry {:?} is not of its declared size",
                e.name
            )));
        }
        if crc32(&content) != e.crc {
            return Err(bad(format!("entry {:?} fails its crc-32 check", e.name)));
        }
        out.push(ZipEntry {
            name: e.name,
            data: content,
        });
    }
    listing.fault.map(|()| out)
}

/// Reads every file entry of a zip, inflating with `miniz_oxide` (see [`read_zip_with`]).
///
/// # Errors
/// As [`read_zip_with`].
#[cfg(feature = "inflate")]
pub fn read_zip(bytes: &[u8]) -> Result<Vec<ZipEntry>, Error> {
    now(read_zip_with(bytes, |d| std::future::ready(inflate(d))))
}

/// Inflates with `miniz_oxide`, stopping past the declared size.
#[cfg(feature = "inflate")]
pub(super) fn inflate(d: Deflated<'_>) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(d.data, d.size).ok()
}

/// The result of a future whose every await is ready (the `miniz_oxide` inflate step), polled
/// once.
#[cfg(feature = "inflate")]
pub(super) fn now<T>(fut: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    use std::task::{Context, Poll, Waker};
    let mut fut = std::pin::pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(r) => r,
        // not reachable: no step of the reading waits; an error rather than a panic all the same
        Poll::Pending => Err(bad("the zip reading did not finish")),
    }
}

#[cfg(all(test, feature = "inflate"))]
mod tests {
    use super::super::testing::zip;
    use super::*;

    fn message(r: Result<Vec<ZipEntry>, Error>) -> String {
        match r {
            Err(Error::Decode { message }) => message,
            other => panic!("not a decode error: {other:?}"),
        }
    }

    #[test]
    fn an_earlier_entry_fails_before_a_later_fault_of_the_directory() {
        // the first entry does not inflate (its stream is cut); the second's method is unknown
        let mut z = zip(&[("a.pem", &[b'a'; 300], true), ("b.der", b"x", false)]);
        let cd = z.len() - 22 - (46 + 5) * 2;
        z[cd + 46 + 5 + 10] = 99;
        assert_eq!(
            message(read_zip(&z)),
            "certificate zip: entry \"b.der\" uses compression method 99, only stored and deflate are supported"
        );
        z[30 + 5] ^= 0xff; // corrupt the deflate stream of a.pem
        let got = message(read_zip(&z));
        assert!(got.starts_with("certificate zip: entry \"a.pem\""), "{got}");
    }

    #[test]
    fn the_inflate_step_is_given_the_declared_size_and_crc_and_its_answer_is_checked() {
        let data = b"some certificate bytes".repeat(10);
        let z = zip(&[("a.pem", &data, true)]);
        let mut seen = Vec::new();
        let inflated = now(read_zip_with(&z, |d| {
            seen.push((d.size, d.crc));
            std::future::ready(inflate(d))
        }))
        .unwrap();
        assert_eq!(inflated[0].data, data);
        assert_eq!(seen, vec![(data.len(), crc32(&data))]);
        // a step that gives other bytes is caught by the size and the CRC-32 checks
        let short = now(read_zip_with(&z, |_| std::future::ready(Some(vec![b'x']))));
        assert_eq!(
            message(short),
            "certificate zip: entry \"a.pem\" is not of its declared size"
        );
        let wrong = now(read_zip_with(&z, |d| {
            std::future::ready(Some(vec![b'x'; d.size]))
        }));
        assert_eq!(
            message(wrong),
            "certificate zip: entry \"a.pem\" fails its crc-32 check"
        );
        let refused = now(read_zip_with(&z, |_| std::future::ready(None)));
        assert_eq!(
            message(refused),
            "certificate zip: entry \"a.pem\" does not inflate within its declared size"
        );
    }
}
