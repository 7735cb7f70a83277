//! Blocking operations on one node's server: its folder, `initdb` or a base backup, the
//! configuration, start, the login check and stop.
//!
//! A node's folder holds `data/` (the cluster), `server.crt` / `server.key` (signed by the
//! cluster CA, the node address in the subject alternative names), `ca.pem` (for the emulator's
//! own `psql` logins, `sslmode=verify-full`) and `server.log`.

use std::fs::OpenOptions;
use std::io::Write;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::binaries::Binaries;
use super::run::{check, tail, RunAs};
use super::settings::{self, NodeSettings};

/// The superuser the emulator keeps for itself (Instaclustr keeps one too; users never get it).
pub const ADMIN_USER: &str = "instaclustr";
/// The default user of every cluster.
pub const DEFAULT_USER: &str = "icpostgresql";
/// The role the default user is granted.
pub const ADMIN_ROLE: &str = "insta_admin";
/// The user standbys stream with.
pub const REPLICATION_USER: &str = "ic_replication";

/// Longest wait for a server to accept a login.
pub const READY_TIMEOUT: Duration = Duration::from_secs(90);
/// Longest wait for a server to stop after SIGINT before SIGKILL.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// What every node operation needs.
#[derive(Clone, Debug)]
pub struct Tools {
    /// The binaries.
    pub bin: Binaries,
    /// Who runs the servers.
    pub run: RunAs,
}

/// One node's folder.
#[derive(Clone, Debug)]
pub struct NodeDir(pub PathBuf);

impl NodeDir {
    /// The data folder.
    pub fn data(&self) -> PathBuf {
        self.0.join("data")
    }
    /// The server log.
    pub fn log(&self) -> PathBuf {
        self.0.join("server.log")
    }
    /// The cluster CA (PEM).
    pub fn ca(&self) -> PathBuf {
        self.0.join("ca.pem")
    }
    /// Whether the data folder holds a cluster.
    pub fn has_data(&self) -> bool {
        self.data().join("PG_VERSION").is_file()
    }
}

/// Creates the node folder with its TLS files.
///
/// # Errors
/// A message naming the file that could not be written.
pub fn prepare(
    t: &Tools,
    dir: &NodeDir,
    ca_pem: &str,
    cert: &instaclustr_pg_emulator_core::cert::ServerCert,
) -> Result<(), String> {
    t.run.own_dir(&dir.0)?;
    t.run
        .write_file(&dir.0.join("server.crt"), &cert.cert_pem)?;
    t.run.write_file(&dir.0.join("server.key"), &cert.key_pem)?;
    t.run.write_file(&dir.ca(), ca_pem)
}

/// `initdb` of a primary with the emulator's superuser, then the emulator's `pg_hba.conf` and the
/// include of `emulator.conf`.
///
/// # Errors
/// `initdb`'s message.
pub fn init(t: &Tools, dir: &NodeDir, admin_password: &str) -> Result<(), String> {
    let pwfile = dir.0.join("initdb.pw");
    t.run.write_file(&pwfile, admin_password)?;
    let mut c = t.run.command(&t.bin.program("initdb"));
    c.arg("-D")
        .arg(dir.data())
        .args(["-U", ADMIN_USER, "-A", "scram-sha-256", "-E", "UTF8"])
        .args(["--locale=C.UTF-8", "--no-sync", "--no-instructions"])
        // 1 MB WAL segments: the archive of a quiet cluster stays small
        .arg("--wal-segsize=1")
        .arg(format!("--pwfile={}", pwfile.display()));
    let r = check(c, "initdb");
    let _ = std::fs::remove_file(&pwfile);
    r?;
    configure_files(t, dir)
}

/// A standby: a base backup of the primary at `primary` (streaming, `-R` writes the standby
/// settings), then the emulator's files.
///
/// # Errors
/// `pg_basebackup`'s message.
pub fn clone_from(
    t: &Tools,
    dir: &NodeDir,
    primary: Ipv4Addr,
    replication_password: &str,
    application_name: &str,
) -> Result<(), String> {
    let mut c = t.run.command(&t.bin.program("pg_basebackup"));
    c.arg("-D")
        .arg(dir.data())
        .args(["-R", "-X", "stream", "-c", "fast", "--no-sync"])
        .arg("-d")
        .arg(format!(
            "host={primary} port={} user={REPLICATION_USER} application_name={application_name} sslmode=verify-full sslrootcert={}",
            super::address::PORT,
            dir.ca().display()
        ))
        .env("PGPASSWORD", replication_password);
    check(c, "pg_basebackup")?;
    configure_files(t, dir)
}

/// The data folder of a restored primary: a copy of a base backup (`cp -a`, as the server user),
/// with `recovery.signal` so that it replays WAL up to the target and is promoted.
///
/// # Errors
/// `cp`'s message, or a file that cannot be written.
pub fn from_backup(t: &Tools, dir: &NodeDir, backup_data: &Path) -> Result<(), String> {
    let mut c = t.run.command(Path::new("cp"));
    c.arg("-a").arg(backup_data).arg(dir.data());
    check(c, "copying the base backup")?;
    for stale in ["standby.signal", "postmaster.pid", "backup_label.old"] {
        let _ = std::fs::remove_file(dir.data().join(stale));
    }
    t.run.write_file(&dir.data().join("recovery.signal"), "")?;
    configure_files(t, dir)
}

/// A base backup of the primary at `primary` into `target` (plain format, the WAL it needs
/// streamed along, so it is self-contained).
///
/// # Errors
/// `pg_basebackup`'s message.
pub fn base_backup(
    t: &Tools,
    ca: &Path,
    primary: Ipv4Addr,
    replication_password: &str,
    target: &Path,
) -> Result<(), String> {
    let mut c = t.run.command(&t.bin.program("pg_basebackup"));
    c.arg("-D")
        .arg(target)
        .args(["-X", "stream", "-c", "fast", "--no-sync"])
        .arg("-d")
        .arg(format!(
            "host={primary} port={} user={REPLICATION_USER} application_name=backup sslmode=verify-full sslrootcert={}",
            super::address::PORT,
            ca.display()
        ))
        .env("PGPASSWORD", replication_password);
    check(c, "pg_basebackup").map(|_| ())
}

fn configure_files(t: &Tools, dir: &NodeDir) -> Result<(), String> {
    t.run
        .write_file(&dir.data().join("pg_hba.conf"), settings::HBA)?;
    let conf = dir.data().join("postgresql.conf");
    let text = std::fs::read_to_string(&conf).map_err(|e| format!("{}: {e}", conf.display()))?;
    if !text.contains("include 'emulator.conf'") {
        let mut f = OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(|e| format!("{}: {e}", conf.display()))?;
        writeln!(f, "\ninclude 'emulator.conf'").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes `emulator.conf` (listen address, TLS, memory, replication).
///
/// # Errors
/// A message naming the file.
pub fn write_settings(t: &Tools, dir: &NodeDir, s: &NodeSettings) -> Result<(), String> {
    t.run
        .write_file(&dir.data().join("emulator.conf"), &settings::server_conf(s))
}

/// Starts the server (`postgres -D data`, output appended to `server.log`, its own process group
/// so that a terminal's Ctrl-C reaches only the emulator, which then stops it in order). It must
/// be called on the thread that will stop it: the server's parent-death signal is tied to it.
///
/// # Errors
/// A message when it cannot be started.
pub fn start(t: &Tools, dir: &NodeDir) -> Result<Child, String> {
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.log())
        .map_err(|e| format!("{}: {e}", dir.log().display()))?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    let mut c = t.run.command(&t.bin.program("postgres"));
    c.arg("-D")
        .arg(dir.data())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2));
    std::os::unix::process::CommandExt::process_group(&mut c, 0);
    #[cfg(target_os = "linux")]
    // SAFETY: the closure only calls prctl, which is async-signal-safe. It runs after the switch
    // of user (std sets uid/gid first), which would otherwise clear the setting.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut c, || {
            // the server gets SIGINT (fast shutdown) if the thread that started it dies, i.e.
            // if the emulator is killed without a chance to stop it (SIGKILL)
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c.spawn()
        .map_err(|e| format!("postgres: cannot start: {e}"))
}

/// A `psql` command logging in to `addr` as `user` with `sslmode=verify-full` and the CA at
/// `ca` (the password in the environment).
pub fn psql_command(
    psql: &Path,
    addr: Ipv4Addr,
    ca: &Path,
    user: &str,
    password: &str,
    db: &str,
) -> Command {
    let mut c = Command::new(psql);
    c.arg("-X")
        .arg("-Atq")
        .args(["-v", "ON_ERROR_STOP=1"])
        .arg(format!(
            "host={addr} port={} user={user} dbname={db} sslmode=verify-full sslrootcert={} connect_timeout=3",
            super::address::PORT,
            ca.display()
        ))
        .env("PGPASSWORD", password)
        .env_remove("PGSERVICE")
        .env_remove("PGSSLMODE");
    c
}

/// Runs `sql` (sent on stdin, so that passwords in it are not in any argument list).
///
/// # Errors
/// `psql`'s message.
pub fn sql(
    t: &Tools,
    dir: &NodeDir,
    addr: Ipv4Addr,
    user: &str,
    password: &str,
    sql: &str,
) -> Result<String, String> {
    let mut c = psql_command(&t.bin.psql, addr, &dir.ca(), user, password, "postgres");
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().map_err(|e| format!("psql: cannot start: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(sql.as_bytes())
            .map_err(|e| format!("psql: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("psql: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!(
            "psql failed: {}",
            tail(&String::from_utf8_lossy(&out.stderr), 4)
        ))
    }
}

/// Waits until the server accepts a TLS login as `user` (verify-full with the cluster CA),
/// while it runs and `stop` is not set.
///
/// # Errors
/// When the server exits (with the end of its log), the wait times out, or `stop` is set.
pub fn wait_login(
    t: &Tools,
    dir: &NodeDir,
    child: &mut Child,
    addr: Ipv4Addr,
    user: &str,
    password: &str,
    stop: &AtomicBool,
) -> Result<(), String> {
    let start = Instant::now();
    loop {
        if stop.load(Ordering::Acquire) {
            return Err("stopping".into());
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(dir.log()).unwrap_or_default();
            return Err(format!("postgres exited ({status}): {}", tail(&log, 5)));
        }
        if sql(t, dir, addr, user, password, "SELECT 1").is_ok() {
            return Ok(());
        }
        if start.elapsed() > READY_TIMEOUT {
            return Err(format!(
                "{addr}:5432 accepted no login in {READY_TIMEOUT:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How a server is stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shutdown {
    /// SIGINT: fast shutdown, a clean checkpoint (the data is kept).
    Fast,
    /// SIGQUIT: immediate shutdown (the data is thrown away next).
    Immediate,
}

/// Asks a server to stop, without waiting.
pub fn signal(child: &mut Child, how: Shutdown) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let sig = match how {
        Shutdown::Fast => libc::SIGINT,
        Shutdown::Immediate => libc::SIGQUIT,
    };
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill with a pid we spawned and have not reaped yet.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

/// Waits for a signalled server to exit; SIGKILL after [`STOP_TIMEOUT`].
pub fn wait_stopped(child: &mut Child) {
    let start = Instant::now();
    while start.elapsed() < STOP_TIMEOUT {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Stops a server: SIGINT (fast shutdown), then SIGKILL after [`STOP_TIMEOUT`].
pub fn stop(child: &mut Child) {
    signal(child, Shutdown::Fast);
    wait_stopped(child);
}
