//! CRC-32 (IEEE, reflected), as zip uses it to check each entry.

/// CRC-32 (IEEE, reflected, as zip uses it), bit by bit. Written by hand: crc32fast's
/// slice-by-16 tables add 16 KB of data to the `.wasm` (measured with wasm-opt -Os), and even one
/// 256-entry table is 1 KB of it (about 1 KB gzip'd), to check a few KB of certificate, where
/// eight shifts a byte take microseconds.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = (c >> 1) ^ (0xEDB8_8320 & (c & 1).wrapping_neg());
        }
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::crc32;

    #[test]
    fn crc32_check_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }
}
