//! Random identifiers from the emulator's own generator (seeded by the host: no OS randomness).

/// A random (version 4) UUID, lower-case, from `rng`'s bytes.
pub fn new_uuid(rng: &mut fastrand::Rng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// `n` random ASCII letters and digits.
pub fn alphanumeric(rng: &mut fastrand::Rng, n: usize) -> String {
    (0..n).map(|_| rng.alphanumeric()).collect()
}
