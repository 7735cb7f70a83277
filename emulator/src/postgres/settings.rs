//! The server settings the emulator writes: `emulator.conf` (included from `postgresql.conf`)
//! and `pg_hba.conf`.

use std::net::Ipv4Addr;
use std::path::PathBuf;

/// Memory settings of a node size, kept small so that many nodes fit on a laptop or a CI
/// machine; larger sizes get more (so a resize is visible in `SHOW shared_buffers`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Memory {
    /// `shared_buffers` in MB.
    pub shared_buffers_mb: u32,
    /// `work_mem` in MB.
    pub work_mem_mb: u32,
}

/// The memory of a node size: by the disk size that ends the name (`PGS-DEV-t4g.small-5`: 5 GB),
/// from 16 MB of shared buffers for the smallest to 64 MB for the largest.
pub fn memory(node_size: &str) -> Memory {
    let disk: u32 = node_size
        .rsplit('-')
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or(5);
    let shared_buffers_mb = match disk {
        0..=5 => 16,
        6..=30 => 24,
        31..=250 => 32,
        251..=500 => 48,
        _ => 64,
    };
    Memory {
        shared_buffers_mb,
        work_mem_mb: 2,
    }
}

/// Synchronous replication of a primary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sync {
    /// `ASYNCHRONOUS`, or no standby.
    Off,
    /// `SYNCHRONOUS`: commits wait for one standby.
    On,
}

/// Everything that goes into one node's `emulator.conf`.
#[derive(Clone, Debug)]
pub struct NodeSettings {
    /// Listen address.
    pub address: Ipv4Addr,
    /// Node size.
    pub node_size: String,
    /// Synchronous replication (primaries only).
    pub sync: Sync,
    /// Cluster name shown in `ps` (`<cluster id prefix>-<node index>`).
    pub name: String,
    /// Continuous WAL archiving into this folder (primaries).
    pub archive: Option<PathBuf>,
    /// Point-in-time recovery on the first start of a restored cluster.
    pub recovery: Option<Recovery>,
}

/// Recovery of a restored cluster: WAL from the source's archive up to an instant.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// The source cluster's WAL archive.
    pub source_archive: PathBuf,
    /// `recovery_target_time` (ISO 8601, UTC).
    pub target_time: String,
}

/// A single-quoted configuration value.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

/// The `emulator.conf` text. Dynamic shared memory is `mmap` (files in the data folder), not
/// `posix`: a server stopped with an immediate shutdown or killed leaves its posix segments in
/// `/dev/shm`, whereas files in the data folder go with it.
pub fn server_conf(s: &NodeSettings) -> String {
    let m = memory(&s.node_size);
    let sync = match s.sync {
        Sync::Off => "''",
        Sync::On => "'ANY 1 (*)'",
    };
    format!(
        "# written by instaclustr-pg-emulator; rewritten on resize\n\
         listen_addresses = '{addr}'\n\
         port = {port}\n\
         unix_socket_directories = ''\n\
         cluster_name = '{name}'\n\
         ssl = on\n\
         ssl_cert_file = '../server.crt'\n\
         ssl_key_file = '../server.key'\n\
         ssl_min_protocol_version = 'TLSv1.2'\n\
         password_encryption = 'scram-sha-256'\n\
         max_connections = 30\n\
         shared_buffers = {sb}MB\n\
         work_mem = {wm}MB\n\
         maintenance_work_mem = 16MB\n\
         dynamic_shared_memory_type = mmap\n\
         max_worker_processes = 4\n\
         max_parallel_workers = 2\n\
         wal_level = replica\n\
         max_wal_senders = 8\n\
         wal_keep_size = 64MB\n\
         hot_standby = on\n\
         synchronous_standby_names = {sync}\n\
         logging_collector = off\n\
         log_min_messages = warning\n",
        addr = s.address,
        port = super::address::PORT,
        name = s.name,
        sb = m.shared_buffers_mb,
        wm = m.work_mem_mb,
    ) + &archive_and_recovery(s)
}

fn archive_and_recovery(s: &NodeSettings) -> String {
    let mut out = String::new();
    if let Some(dir) = &s.archive {
        let d = dir.display();
        out += "archive_mode = on\n";
        out += &format!(
            "archive_command = {}\n",
            quoted(&format!("test ! -f {d}/%f && cp %p {d}/%f"))
        );
        out += "archive_timeout = 60\n";
    }
    if let Some(r) = &s.recovery {
        out += &format!(
            "restore_command = {}\n",
            quoted(&format!("cp {}/%f %p", r.source_archive.display()))
        );
        out += &format!("recovery_target_time = {}\n", quoted(&r.target_time));
        out += "recovery_target_action = 'promote'\n";
        out += "recovery_target_timeline = 'current'\n";
    }
    out
}

/// `pg_hba.conf`: TLS with SCRAM passwords only, from loopback; no `trust`, no plain `host`
/// lines, so a connection without TLS is refused.
pub const HBA: &str = "# written by instaclustr-pg-emulator: TLS + SCRAM only\n\
hostssl all         all 127.0.0.0/8 scram-sha-256\n\
hostssl replication all 127.0.0.0/8 scram-sha-256\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_grow_with_the_disk() {
        assert_eq!(memory("PGS-DEV-t4g.small-5").shared_buffers_mb, 16);
        assert_eq!(memory("PGS-DEV-t4g.medium-30").shared_buffers_mb, 24);
        assert_eq!(memory("PGS-PRD-m7g.large-250").shared_buffers_mb, 32);
        assert_eq!(memory("PGS-PRD-r7g.xlarge-1000").shared_buffers_mb, 64);
        assert_eq!(memory("odd").shared_buffers_mb, 16);
    }

    #[test]
    fn hba_has_no_trust_and_no_plain_host() {
        assert!(!HBA.contains("trust"));
        assert!(HBA
            .lines()
            .filter(|l| !l.starts_with('#'))
            .all(|l| l.starts_with("hostssl")));
    }
}
