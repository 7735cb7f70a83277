//! Per-cluster certificate authority and the certificate download: a zip holding the CA as PEM,
//! DER and a Java keystore (JKS) truststore.
//!
//! The JKS file is written by hand (no maintained Rust crate writes JKS): big-endian magic
//! `0xFEEDFEED`, version 2, one trusted-certificate entry (tag 2, alias, creation time, type
//! `X.509`, DER bytes), then the SHA-1 integrity digest over the UTF-16BE bytes of the store
//! password, the UTF-8 bytes of `"Mighty Aphrodite"` and every preceding byte of the file. The
//! store password is [`JKS_PASSWORD`] (`changeit`, Java's default), so
//! `keytool -list -keystore truststore.jks -storepass changeit` lists the entry.

use std::io::{Cursor, Write};

use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, LineEnding};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, KeyIdMethod, KeyUsagePurpose, PublicKeyData,
    SignatureAlgorithm, SigningKey,
};
use sha1::{Digest, Sha1};

/// Password of the JKS truststore in the certificate zip.
pub const JKS_PASSWORD: &str = "changeit";

/// Names of the entries in the certificate zip.
pub const PEM_NAME: &str = "cluster-ca-certificate.pem";
/// DER entry name.
pub const DER_NAME: &str = "cluster-ca-certificate.der";
/// JKS entry name.
pub const JKS_NAME: &str = "truststore.jks";

/// A generated CA certificate: PEM text and base64 of the DER (the persisted form), with its
/// private key (PKCS#8 PEM) so that the emulator can sign the nodes' server certificates.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct CaCert {
    /// PEM text.
    pub pem: String,
    /// Base64 (standard) of the DER bytes.
    pub der_b64: String,
    /// The CA's private key (PKCS#8 PEM); absent in state files written before real servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_pem: Option<String>,
    /// The cluster ID the CA was made for (its subject names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
}

/// A server certificate and its private key, both PEM.
pub struct ServerCert {
    /// Certificate PEM.
    pub cert_pem: String,
    /// Private key PEM (PKCS#8).
    pub key_pem: String,
}

/// An ECDSA P-256 key signing for rcgen (rcgen's own signers need ring or aws-lc, which do not
/// build for wasm32 without a C compiler). Signatures are deterministic (RFC 6979): no
/// randomness is needed to sign.
struct P256Key {
    key: p256::ecdsa::SigningKey,
    /// The uncompressed public point (SEC1), what `subjectPublicKey` holds.
    public: Vec<u8>,
}

impl P256Key {
    fn new(key: p256::ecdsa::SigningKey) -> Self {
        let public = key
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        Self { key, public }
    }

    /// A new key from the generator's bytes (a draw that is no valid scalar is drawn again).
    fn generate(rng: &mut fastrand::Rng) -> Result<Self, String> {
        for _ in 0..16 {
            let mut bytes = [0u8; 32];
            rng.fill(&mut bytes);
            if let Ok(k) = p256::ecdsa::SigningKey::from_slice(&bytes) {
                return Ok(Self::new(k));
            }
        }
        Err("no valid key drawn".into())
    }

    fn from_pem(pem: &str) -> Result<Self, String> {
        p256::SecretKey::from_pkcs8_pem(pem)
            .map(|k| Self::new(k.into()))
            .map_err(|_| "the key is not a PKCS#8 P-256 key".to_owned())
    }

    fn to_pem(&self) -> Result<String, String> {
        p256::SecretKey::from(&self.key)
            .to_pkcs8_pem(LineEnding::LF)
            .map(|p| p.to_string())
            .map_err(|e| e.to_string())
    }

    /// The key identifier of RFC 5280 (4.2.1.2, method 1): SHA-1 of the public key.
    fn key_id(&self) -> KeyIdMethod {
        KeyIdMethod::PreSpecified(Sha1::digest(&self.public).to_vec())
    }
}

impl PublicKeyData for P256Key {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }
    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

impl SigningKey for P256Key {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        let sig: p256::ecdsa::Signature = self.key.sign(msg);
        Ok(sig.to_der().as_bytes().to_vec())
    }
}

/// The CA's parameters: the same for generation and for signing (the issuer name of a server
/// certificate must be the CA's subject).
fn ca_params(cluster_id: &str, key: &P256Key) -> Result<CertificateParams, String> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
    params.key_identifier_method = key.key_id();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Instaclustr emulator");
    params.distinguished_name.push(
        DnType::CommonName,
        format!("Instaclustr PostgreSQL cluster CA {cluster_id}"),
    );
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(params)
}

fn random_serial(rng: &mut fastrand::Rng) -> rcgen::SerialNumber {
    let mut serial = [0u8; 16];
    rng.fill(&mut serial);
    serial[0] &= 0x7f;
    rcgen::SerialNumber::from_slice(&serial)
}

/// A server certificate for a node at `ip`, signed by the cluster CA: the address is both in the
/// subject alternative names (so `sslmode=verify-full` succeeds) and the common name.
///
/// # Errors
/// A message when the CA has no key (a state file from before real servers) or signing fails.
pub fn server_cert(
    ca: &CaCert,
    ip: std::net::Ipv4Addr,
    now_iso: &str,
    rng: &mut fastrand::Rng,
) -> Result<ServerCert, String> {
    let (Some(ca_key), Some(cluster_id)) = (&ca.key_pem, &ca.cluster_id) else {
        return Err("the cluster CA has no private key".into());
    };
    let ca_key = P256Key::from_pem(ca_key)?;
    let issuer = rcgen::Issuer::new(ca_params(cluster_id, &ca_key)?, ca_key);
    let key = P256Key::generate(rng)?;
    let mut params = CertificateParams::new(vec![ip.to_string()]).map_err(|e| e.to_string())?;
    params.key_identifier_method = key.key_id();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Instaclustr emulator");
    params
        .distinguished_name
        .push(DnType::CommonName, ip.to_string());
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let (y, m, d) = ymd(now_iso);
    params.not_before = rcgen::date_time_ymd(y, m, d.saturating_sub(1).max(1));
    params.not_after = rcgen::date_time_ymd(y + 5, m, d.min(28));
    params.serial_number = Some(random_serial(rng));
    let cert = params.signed_by(&key, &issuer).map_err(|e| e.to_string())?;
    Ok(ServerCert {
        cert_pem: cert.pem(),
        key_pem: key.to_pem()?,
    })
}

impl CaCert {
    /// DER bytes.
    pub fn der(&self) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(&self.der_b64)
            .unwrap_or_default()
    }
}

/// Generates a self-signed CA (ECDSA P-256) for a cluster, valid from yesterday for ten years.
///
/// # Errors
/// A message when key generation or signing fails (not expected).
pub fn generate_ca(
    cluster_id: &str,
    now_iso: &str,
    rng: &mut fastrand::Rng,
) -> Result<CaCert, String> {
    let key = P256Key::generate(rng)?;
    let mut params = ca_params(cluster_id, &key)?;
    let (y, m, d) = ymd(now_iso);
    params.not_before = rcgen::date_time_ymd(y, m, d.saturating_sub(1).max(1));
    params.not_after = rcgen::date_time_ymd(y + 10, m, d.min(28));
    params.serial_number = Some(random_serial(rng));
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    Ok(CaCert {
        pem: cert.pem(),
        der_b64: base64::engine::general_purpose::STANDARD.encode(cert.der()),
        key_pem: Some(key.to_pem()?),
        cluster_id: Some(cluster_id.to_owned()),
    })
}

/// Year, month, day of an ISO date-time (`YYYY-MM-DD...`), 2024-01-01 when unreadable; the
/// year kept within 1971..=9989 so that the validity's ends are dates rcgen accepts (it panics
/// on a year out of -9999..=9999).
fn ymd(iso: &str) -> (i32, u8, u8) {
    let y = iso
        .get(0..4)
        .and_then(|s| s.parse::<i32>().ok())
        .unwrap_or(2024)
        .clamp(1971, 9989);
    let m = iso
        .get(5..7)
        .and_then(|s| s.parse().ok())
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(1);
    let d = iso
        .get(8..10)
        .and_then(|s| s.parse().ok())
        .filter(|d| (1..=31).contains(d))
        .unwrap_or(1);
    (y, m, d)
}

/// The zip (MS-DOS) date-time of an instant in milliseconds since the epoch, UTC; the zip
/// format's earliest (1980-01-01) when out of its range.
fn zip_time(ms: u64) -> zip::DateTime {
    let iso = instaclustr_pg_core::validate::format_iso_millis(ms as f64);
    let num = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<u8>().ok());
    let year = iso.get(0..4).and_then(|s| s.parse::<u16>().ok());
    match (
        year,
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) {
        (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => {
            zip::DateTime::from_date_and_time(y, mo, d, h, mi, s).unwrap_or_default()
        }
        _ => zip::DateTime::default(),
    }
}

/// Java's "modified UTF-8" with a u16 length, as `DataOutputStream.writeUTF`.
fn write_utf(out: &mut Vec<u8>, s: &str) {
    let mut bytes = Vec::new();
    for c in s.chars() {
        let mut buf = [0u16; 2];
        for unit in c.encode_utf16(&mut buf) {
            let u = *unit;
            if (1..=0x7f).contains(&u) {
                bytes.push(u as u8);
            } else if u <= 0x7ff {
                bytes.push(0xc0 | (u >> 6) as u8);
                bytes.push(0x80 | (u & 0x3f) as u8);
            } else {
                bytes.push(0xe0 | (u >> 12) as u8);
                bytes.push(0x80 | ((u >> 6) & 0x3f) as u8);
                bytes.push(0x80 | (u & 0x3f) as u8);
            }
        }
    }
    bytes.truncate(u16::MAX as usize);
    out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    out.extend_from_slice(&bytes);
}

/// A JKS truststore holding one trusted certificate under `alias`.
pub fn jks(der: &[u8], alias: &str, created_ms: u64, password: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(der.len() + 128);
    out.extend_from_slice(&0xFEED_FEEDu32.to_be_bytes());
    out.extend_from_slice(&2u32.to_be_bytes());
    out.extend_from_slice(&1u32.to_be_bytes());
    out.extend_from_slice(&2u32.to_be_bytes()); // trusted certificate entry
    write_utf(&mut out, alias);
    out.extend_from_slice(&created_ms.to_be_bytes());
    write_utf(&mut out, "X.509");
    out.extend_from_slice(&(der.len() as u32).to_be_bytes());
    out.extend_from_slice(der);
    let mut h = Sha1::new();
    for unit in password.encode_utf16() {
        h.update(unit.to_be_bytes());
    }
    h.update(b"Mighty Aphrodite");
    h.update(&out);
    out.extend_from_slice(&h.finalize());
    out
}

/// The certificate zip (deflate): PEM, DER and JKS entries.
///
/// # Errors
/// A message when the zip writer fails (not expected: it writes to memory).
pub fn certificate_zip(ca: &CaCert, created_ms: u64) -> Result<Vec<u8>, String> {
    let der = ca.der();
    let jks = jks(&der, "instaclustr-cluster-ca", created_ms, JKS_PASSWORD);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // the entries' time is the cluster's creation (the zip crate would read the clock)
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(created_ms));
    for (name, bytes) in [
        (PEM_NAME, ca.pem.as_bytes()),
        (DER_NAME, &der[..]),
        (JKS_NAME, &jks[..]),
    ] {
        w.start_file(name, opts).map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(w.finish().map_err(|e| e.to_string())?.into_inner())
}
