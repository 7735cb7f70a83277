//! Real PostgreSQL behind the emulator: TLS logins with the cluster CA, Instaclustr's users,
//! standbys, synchronous settings, resize, restart from the state file, the node limit,
//! configurations effective at a node's reload, the default user's password, and no server left
//! behind by delete, shutdown, drop or SIGTERM.
//!
//! Every test starts real servers (bounded waits). Without PostgreSQL binaries the tests are
//! reported as *ignored* (this harness is libtest-mimic's, so a test that cannot run never counts
//! as passed); with `REQUIRE_POSTGRES=1` (the `42-postgres` tier) they fail instead.

mod common;

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{create_body, start, temp_dir, Emu};
use instaclustr_pg_emulator::postgres::{binaries, Mode};
use instaclustr_pg_emulator::Config;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};

const CLUSTERS: &str = "/resources/applications/postgresql/clusters/v2/";
/// Longest wait for a cluster state (real servers on a shared 2-core machine).
const WAIT: Duration = Duration::from_secs(120);

type Outcome = Result<(), Failed>;
type TestFn = fn() -> Outcome;

fn main() {
    let mut args = Arguments::from_args();
    // real servers: two tests at a time at most (the machine is shared)
    args.test_threads = Some(args.test_threads.unwrap_or(2).min(2));
    let found = binaries::discover().is_some();
    let require = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    if !found {
        eprintln!("no PostgreSQL binaries in /usr/lib/postgresql/*/bin: the real-server tests are ignored");
    }
    let tests: Vec<(&str, TestFn)> = vec![
        ("tls_login_users_standby_and_delete", || {
            block(tls_login_users_standby_and_delete())
        }),
        ("async_cluster_resize_keeps_data_and_changes_memory", || {
            block(async_resize())
        }),
        ("state_file_restarts_the_servers_with_their_data", || {
            block(state_restart())
        }),
        ("over_the_node_limit_is_a_409", || block(node_limit())),
        ("backup_and_point_in_time_restore", || {
            block(backup_and_pitr())
        }),
        ("postgres_path_mode", || block(path_mode())),
        (
            "configurations_reloads_and_the_password_on_the_servers",
            || block(configurations_and_password()),
        ),
        ("backup_of_a_dead_server_is_failed", || {
            block(failed_backup())
        }),
        ("synchronous_strictness_during_a_resize", || {
            block(strictness())
        }),
        ("shutdown_and_drop_stop_every_server", || {
            block(shutdown_and_drop())
        }),
        ("sigterm_of_the_binary_stops_every_server", || {
            signal_to_the_binary(libc::SIGTERM)
        }),
        ("sigkill_of_the_binary_leaves_no_server", || {
            signal_to_the_binary(libc::SIGKILL)
        }),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, f)| {
            Trial::test(name, move || {
                if !found {
                    return if require {
                        Err("REQUIRE_POSTGRES=1 but no PostgreSQL binaries were found".into())
                    } else {
                        Ok(())
                    };
                }
                f()
            })
            .with_ignored_flag(!found && !require)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn block(f: impl std::future::Future<Output = Outcome>) -> Outcome {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failed::from(e.to_string()))?
        .block_on(f)
}

fn check(cond: bool, what: impl Into<String>) -> Outcome {
    if cond {
        Ok(())
    } else {
        Err(what.into().into())
    }
}

async fn real(config: Config) -> Emu {
    start(Config {
        speed: 100.0,
        postgres: Mode::Auto,
        ..config
    })
    .await
}

fn body(name: &str, nodes: u32, mode: &str, strict: bool) -> Value {
    let mut b = create_body(name);
    b["dataCentres"][0]["numberOfNodes"] = json!(nodes);
    b["dataCentres"][0]["intraDataCentreReplication"] = json!([{ "replicationMode": mode }]);
    b["synchronousModeStrict"] = json!(strict);
    b
}

async fn create(emu: &Emu, b: &Value) -> Result<String, Failed> {
    let r = emu.call("POST", CLUSTERS, Some(b)).await;
    check(
        r.status == 202,
        format!("create: {} {}", r.status, String::from_utf8_lossy(&r.body)),
    )?;
    Ok(r.json()["id"].as_str().unwrap_or_default().to_owned())
}

/// Polls the cluster until `pred` holds (bounded by [`WAIT`]).
async fn wait_for(
    emu: &Emu,
    id: &str,
    what: &str,
    pred: impl Fn(&Value) -> bool,
) -> Result<Value, Failed> {
    let t = Instant::now();
    loop {
        let r = emu.get(id).await;
        let v = if r.status == 200 {
            r.json()
        } else {
            json!({"status": r.status})
        };
        if pred(&v) {
            return Ok(v);
        }
        if t.elapsed() > WAIT {
            return Err(format!("timed out waiting for {what}; last: {v}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_running(emu: &Emu, id: &str) -> Result<Value, Failed> {
    wait_for(emu, id, "RUNNING", |v| {
        v["status"] == "RUNNING" && v["currentClusterOperationStatus"] == "NO_OPERATION"
    })
    .await
}

fn addresses(cluster: &Value) -> Vec<Ipv4Addr> {
    cluster["dataCentres"][0]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["publicAddress"].as_str()?.parse().ok())
        .collect()
}

/// Writes the PEM of the certificate download to a fresh file.
async fn ca_file(emu: &Emu, id: &str, dir: &Path) -> Result<PathBuf, Failed> {
    use std::io::Read;
    let r = emu
        .call(
            "GET",
            &format!("/operations/applications/postgres/clusters/v2/{id}/certificate/v2/"),
            None,
        )
        .await;
    check(r.status == 200, format!("certificate: {}", r.status))?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body)).map_err(|e| e.to_string())?;
    let mut pem = String::new();
    zip.by_name("cluster-ca-certificate.pem")
        .map_err(|e| e.to_string())?
        .read_to_string(&mut pem)
        .map_err(|e| e.to_string())?;
    let path = dir.join(format!("{id}.pem"));
    std::fs::write(&path, pem).map_err(|e| e.to_string())?;
    Ok(path)
}

/// A libpq client: `psql` with a connection string (the password in the environment).
struct Pg {
    addr: Ipv4Addr,
    ca: PathBuf,
    password: String,
}

impl Pg {
    fn run(&self, sslmode: &str, password: &str, sql: &str) -> Result<String, String> {
        let conn = format!(
            "host={} port=5432 user=icpostgresql dbname=postgres sslmode={sslmode} sslrootcert={} connect_timeout=5",
            self.addr,
            self.ca.display()
        );
        let out = Command::new("psql")
            .args(["-X", "-Atq", "-v", "ON_ERROR_STOP=1", &conn, "-c", sql])
            .env("PGPASSWORD", password)
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }
    /// verify-full with the cluster CA and the default password.
    fn sql(&self, sql: &str) -> Result<String, Failed> {
        self.run("verify-full", &self.password, sql)
            .map_err(|e| format!("{sql}: {e}").into())
    }
}

async fn client(emu: &Emu, id: &str, node: usize, tmp: &Path) -> Result<Pg, Failed> {
    let c = emu.get(id).await.json();
    let addr = *addresses(&c)
        .get(node)
        .ok_or_else(|| Failed::from(format!("no node {node}")))?;
    Ok(Pg {
        addr,
        ca: ca_file(emu, id, tmp).await?,
        password: c["defaultUserPassword"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    })
}

/// Processes whose command line names `needle` (a data folder, or a server's `cluster_name`).
fn processes_with(needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if !e
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) {
                out.push(format!("{}: {cmd}", e.file_name().to_string_lossy()));
            }
        }
    }
    out
}

/// No server process of cluster `id` is left within a few seconds.
async fn no_process_of(id: &str, data: Option<&Path>) -> Outcome {
    let title = format!("postgres: {}-", &id[..8]);
    let t = Instant::now();
    loop {
        let mut left = processes_with(&title);
        if let Some(d) = data {
            left.extend(processes_with(&d.display().to_string()));
        }
        if left.is_empty() {
            return Ok(());
        }
        if t.elapsed() > Duration::from_secs(30) {
            return Err(format!("postgres processes left: {left:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn tls_login_users_standby_and_delete() -> Outcome {
    let tmp = temp_dir("tls");
    let emu = real(Config::default()).await;
    check(emu.server.native().real_postgres(), "real servers expected")?;
    let t0 = Instant::now();
    let id = create(&emu, &body("real-tls", 2, "SYNCHRONOUS", true)).await?;
    let c = wait_running(&emu, &id).await?;
    let addrs = addresses(&c);
    check(
        addrs.len() == 2 && addrs.iter().all(Ipv4Addr::is_loopback),
        format!("loopback addresses: {addrs:?}"),
    )?;
    let primary = client(&emu, &id, 0, &tmp).await?;
    check(primary.sql("SELECT 1")? == "1", "first query")?;
    eprintln!(
        "create -> RUNNING -> first TLS query (2 nodes, speed 100): {:?}",
        t0.elapsed()
    );

    // users: icpostgresql, not a superuser, member of insta_admin, may create databases
    check(
        primary.sql(
            "SELECT current_user || ' ' || rolsuper FROM pg_roles WHERE rolname = current_user",
        )? == "icpostgresql false",
        "icpostgresql is not a superuser",
    )?;
    check(
        primary.sql("SELECT pg_has_role('insta_admin', 'MEMBER')")? == "t",
        "member of insta_admin",
    )?;
    primary.sql("CREATE DATABASE app")?;
    primary.sql("CREATE TABLE items (id int PRIMARY KEY, name text)")?;
    primary.sql("INSERT INTO items VALUES (1, 'A')")?;
    check(primary.sql("SHOW ssl")? == "on", "ssl on")?;
    // synchronous: one standby must confirm
    check(
        primary.sql("SHOW synchronous_standby_names")? == "ANY 1 (*)",
        "synchronous_standby_names",
    )?;

    // refusals: no TLS, wrong password, a CA that is not the cluster's
    check(
        primary
            .run("disable", &primary.password, "SELECT 1")
            .is_err(),
        "a connection without TLS is refused",
    )?;
    check(
        primary
            .run("verify-full", "wrong-password", "SELECT 1")
            .is_err(),
        "a wrong password is refused",
    )?;
    let other = Pg {
        addr: primary.addr,
        ca: PathBuf::from("/etc/ssl/certs/ca-certificates.crt"),
        password: primary.password.clone(),
    };
    check(
        other.sql("SELECT 1").is_err(),
        "another CA does not verify the server",
    )?;

    // the standby: read-only, sees the row
    let standby = client(&emu, &id, 1, &tmp).await?;
    check(
        standby.sql("SELECT pg_is_in_recovery()")? == "t",
        "standby in recovery",
    )?;
    let t = Instant::now();
    while standby.sql("SELECT count(*) FROM items")? != "1" {
        check(
            t.elapsed() < Duration::from_secs(20),
            "the standby sees the row",
        )?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(
        standby.sql("INSERT INTO items VALUES (2, 'B')").is_err(),
        "the standby is read-only",
    )?;

    // delete: servers stopped, data removed
    let data = emu.server.native().postgres_data_dir().map(|d| d.join(&id));
    let r = emu.call("DELETE", &format!("{CLUSTERS}{id}"), None).await;
    check(r.status == 204, "delete")?;
    no_process_of(&id, data.as_deref()).await?;
    let t = Instant::now();
    while data.as_ref().is_some_and(|d| d.exists()) {
        check(
            t.elapsed() < Duration::from_secs(20),
            "the data folder is removed",
        )?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    emu.server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

async fn async_resize() -> Outcome {
    let tmp = temp_dir("resize");
    let emu = real(Config::default()).await;
    let id = create(&emu, &body("real-resize", 2, "ASYNCHRONOUS", false)).await?;
    let c = wait_running(&emu, &id).await?;
    let primary = client(&emu, &id, 0, &tmp).await?;
    check(
        primary.sql("SHOW synchronous_standby_names")?.is_empty(),
        "asynchronous: no synchronous standby",
    )?;
    check(
        primary.sql("SHOW shared_buffers")? == "16MB",
        "shared_buffers of the small size",
    )?;
    primary.sql("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before resize')")?;
    let update = resize_body(&c, "PGS-DEV-t4g.medium-30");
    let r = emu
        .call("PUT", &format!("{CLUSTERS}{id}"), Some(&update))
        .await;
    check(
        r.status == 202,
        format!("resize: {} {}", r.status, String::from_utf8_lossy(&r.body)),
    )?;
    wait_for(&emu, &id, "the resize in progress", |v| {
        v["currentClusterOperationStatus"] == "OPERATION_IN_PROGRESS"
    })
    .await
    .ok();
    wait_running(&emu, &id).await?;
    let standby = client(&emu, &id, 1, &tmp).await?;
    for (name, pg) in [("primary", &primary), ("standby", &standby)] {
        check(
            pg.sql("SHOW shared_buffers")? == "24MB",
            format!("{name}: shared_buffers of the new size"),
        )?;
        check(
            pg.sql("SELECT v FROM kept")? == "before resize",
            format!("{name}: data kept"),
        )?;
    }
    emu.server.shutdown().await;
    no_process_of(&id, None).await?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

async fn state_restart() -> Outcome {
    let tmp = temp_dir("state");
    let state = tmp.join("state.sqlite");
    let config = || Config {
        state_file: Some(state.clone()),
        ..Config::default()
    };
    let emu = real(config()).await;
    let id = create(&emu, &body("real-state", 1, "ASYNCHRONOUS", false)).await?;
    wait_running(&emu, &id).await?;
    let pg = client(&emu, &id, 0, &tmp).await?;
    pg.sql("CREATE TABLE survives (v int); INSERT INTO survives VALUES (42)")?;
    emu.server.shutdown().await;
    no_process_of(&id, None).await?;
    check(
        tmp.join("state.sqlite.postgres").join(&id).is_dir(),
        "the data folder is kept",
    )?;

    let emu = real(config()).await;
    wait_running(&emu, &id).await?;
    let pg2 = client(&emu, &id, 0, &tmp).await?;
    check(pg2.addr == pg.addr, "the same address after a restart")?;
    check(
        pg2.sql("SELECT v FROM survives")? == "42",
        "the row survives a restart",
    )?;
    let r = emu.call("DELETE", &format!("{CLUSTERS}{id}"), None).await;
    check(r.status == 204, "delete")?;
    no_process_of(&id, None).await?;
    emu.server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

async fn node_limit() -> Outcome {
    let emu = real(Config {
        postgres_max_nodes: 1,
        ..Config::default()
    })
    .await;
    let t = Instant::now();
    let r = emu
        .call(
            "POST",
            CLUSTERS,
            Some(&body("too-many", 2, "ASYNCHRONOUS", false)),
        )
        .await;
    check(r.status == 409, format!("over the limit: {}", r.status))?;
    check(
        r.error_names() == vec!["dataCentres".to_owned()],
        "the error names dataCentres",
    )?;
    check(
        t.elapsed() < Duration::from_secs(5),
        "refused at once, no hang",
    )?;
    emu.server.shutdown().await;
    Ok(())
}

async fn shutdown_and_drop() -> Outcome {
    // shutdown
    let emu = real(Config::default()).await;
    let id = create(&emu, &body("real-shutdown", 1, "ASYNCHRONOUS", false)).await?;
    wait_running(&emu, &id).await?;
    let data = emu.server.native().postgres_data_dir();
    emu.server.shutdown().await;
    no_process_of(&id, data.as_deref()).await?;
    check(
        data.as_ref().is_none_or(|d| !d.exists()),
        "the temporary data folder is removed",
    )?;
    // drop
    let emu = real(Config::default()).await;
    let id = create(&emu, &body("real-drop", 1, "ASYNCHRONOUS", false)).await?;
    wait_running(&emu, &id).await?;
    drop(emu);
    no_process_of(&id, None).await
}

/// The binary with real servers gets `signal` (SIGTERM: it stops them; SIGKILL: they stop on
/// their own, through their parent-death signal).
fn signal_to_the_binary(signal: libc::c_int) -> Outcome {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_instaclustr-pg-emulator"))
        .args([
            "--port",
            "0",
            "--speed",
            "100",
            "--quiet",
            "--postgres",
            "auto",
            "--account",
            "alice:alice-key-123",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut out = std::io::BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut l = String::new();
        out.read_line(&mut l).map_err(|e| e.to_string())?;
        lines.push(l);
    }
    let result = (|| {
        let url = lines[0]
            .trim()
            .strip_prefix("listening on ")
            .ok_or("first line")?
            .to_owned();
        check(
            lines[2].starts_with("postgres: real servers"),
            format!("the banner says real servers: {lines:?}"),
        )?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async {
            let emu = Emu {
                server: common::Host::Native(start_dummy().await),
                url,
                http: reqwest::Client::new(),
            };
            let id = create(&emu, &body("real-sigterm", 1, "ASYNCHRONOUS", false)).await?;
            wait_running(&emu, &id).await?;
            // SAFETY: kill with the pid of our child.
            unsafe { libc::kill(child.id() as libc::pid_t, signal) };
            let t = Instant::now();
            while child.try_wait().map_err(|e| e.to_string())?.is_none() {
                check(t.elapsed() < Duration::from_secs(40), "the emulator exits")?;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            no_process_of(&id, None).await?;
            emu.server.shutdown().await;
            // after SIGKILL the temporary data folder is left (named by the banner)
            if let Some(dir) = lines[2].trim().rsplit("data in ").next() {
                if signal == libc::SIGKILL && dir.contains("instaclustr-pg-emulator.") {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
            Ok(())
        })
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// An off-mode emulator only to fill [`Emu`] (the requests go to the child's URL).
async fn start_dummy() -> instaclustr_pg_emulator::Server {
    instaclustr_pg_emulator::serve(Config {
        quiet: true,
        ..Config::default()
    })
    .await
    .expect("emulator")
}

fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}

/// The states of the backup events of the trigger that started at or after `since`.
async fn backup_states(emu: &Emu, id: &str, since: f64) -> Vec<String> {
    let r = emu
        .call(
            "GET",
            &format!("/data-sources/applications/postgresql/clusters/v2/{id}/list-backups/v2"),
            None,
        )
        .await;
    let v = r.json();
    v["clusterDataCentres"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|dc| dc["nodes"].as_array().cloned().unwrap_or_default())
        .flat_map(|n| n["events"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["start"].as_f64().is_some_and(|s| s >= since - 1.0))
        .filter_map(|e| e["state"].as_str().map(str::to_owned))
        .collect()
}

async fn backup_and_pitr() -> Outcome {
    let tmp = temp_dir("pitr");
    let emu = real(Config::default()).await;
    let id = create(&emu, &body("real-pitr", 1, "ASYNCHRONOUS", false)).await?;
    wait_running(&emu, &id).await?;
    let pg = client(&emu, &id, 0, &tmp).await?;
    pg.sql("CREATE TABLE rows (name text); INSERT INTO rows VALUES ('A')")?;

    // a real base backup: ACTIVE, then COMPLETED once pg_basebackup has finished
    let since = epoch_ms();
    let t = Instant::now();
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2/"),
            None,
        )
        .await;
    check(r.status == 202, format!("trigger backup: {}", r.status))?;
    let first = backup_states(&emu, &id, since).await;
    check(
        first == vec!["ACTIVE".to_owned()],
        format!("the backup starts ACTIVE: {first:?}"),
    )?;
    loop {
        let states = backup_states(&emu, &id, since).await;
        if states == vec!["COMPLETED".to_owned()] {
            break;
        }
        check(
            t.elapsed() < WAIT,
            format!("the backup completes: {states:?}"),
        )?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let backup_ms = t.elapsed();
    let data = emu
        .server
        .native()
        .postgres_data_dir()
        .ok_or("no data folder")?;
    check(
        data.join(&id)
            .join("backups")
            .read_dir()
            .map(|d| d.count())
            .unwrap_or(0)
            == 1,
        "one base backup on disk",
    )?;

    pg.sql("INSERT INTO rows VALUES ('B')")?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let instant = epoch_ms();
    tokio::time::sleep(Duration::from_millis(300)).await;
    pg.sql("INSERT INTO rows VALUES ('C')")?;

    let t = Instant::now();
    let restore = json!({"clusterId": id, "pointInTime": instant as i64, "restoredClusterName": "real-pitr-restored"});
    let r = emu
        .call(
            "POST",
            "/operations/applications/postgres/restore/v2",
            Some(&restore),
        )
        .await;
    check(
        r.status == 202,
        format!("restore: {} {}", r.status, String::from_utf8_lossy(&r.body)),
    )?;
    let rid = r.json()["restoredClusterId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    wait_running(&emu, &rid).await?;
    let restore_ms = t.elapsed();
    let restored = client(&emu, &rid, 0, &tmp).await?;
    check(
        restored.addr != pg.addr,
        "the restored cluster has its own address",
    )?;
    let rows = restored.sql("SELECT string_agg(name, ',' ORDER BY name) FROM rows")?;
    check(
        rows == "A,B",
        format!("rows before the instant are there, after are not: {rows}"),
    )?;
    check(
        restored.sql("SELECT pg_is_in_recovery()")? == "f",
        "the restored primary is promoted",
    )?;
    restored.sql("INSERT INTO rows VALUES ('D')")?;
    check(
        pg.sql("SELECT count(*) FROM rows")? == "3",
        "the source keeps its rows",
    )?;
    eprintln!("base backup (small database, speed 100) COMPLETED after {backup_ms:?}; restore RUNNING after {restore_ms:?}");
    emu.server.shutdown().await;
    no_process_of(&rid, None).await?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

async fn path_mode() -> Outcome {
    let dir = binaries::discover().ok_or("no binaries")?.dir;
    let server = instaclustr_pg_emulator::serve(Config {
        postgres: Mode::Path(dir.clone()),
        quiet: true,
        ..Config::default()
    })
    .await?;
    let banner = server.postgres_description();
    check(
        server.real_postgres() && banner.contains(&dir.display().to_string()),
        format!("the banner names the folder: {banner}"),
    )?;
    server.shutdown().await;
    let missing = instaclustr_pg_emulator::serve(Config {
        postgres: Mode::Path(PathBuf::from("/nonexistent/pg/bin")),
        quiet: true,
        ..Config::default()
    })
    .await;
    match missing {
        Err(e) => check(
            e.contains("/nonexistent/pg/bin") && e.contains("initdb"),
            format!("a clear error: {e}"),
        ),
        Ok(_) => Err("a folder without binaries is refused".into()),
    }
}

/// The update body of a resize of the first data centre to `size`.
fn resize_body(c: &Value, size: &str) -> Value {
    let mut update = json!({"dataCentres": c["dataCentres"].clone()});
    update["dataCentres"][0]["nodeSize"] = json!(size);
    for k in ["id", "status", "nodes", "deletedNodes"] {
        if let Some(o) = update["dataCentres"][0].as_object_mut() {
            o.remove(k);
        }
    }
    update
}

/// While a 2-node SYNCHRONOUS cluster's standby restarts for a resize, a non-strict primary stops
/// waiting for it (`synchronous_standby_names` empty for a while), a strict one never does.
async fn strictness() -> Outcome {
    let tmp = temp_dir("strict");
    let emu = real(Config::default()).await;
    for strict in [false, true] {
        let id = create(
            &emu,
            &body(&format!("real-strict-{strict}"), 2, "SYNCHRONOUS", strict),
        )
        .await?;
        let c = wait_running(&emu, &id).await?;
        let primary = client(&emu, &id, 0, &tmp).await?;
        check(
            primary.sql("SHOW synchronous_standby_names")? == "ANY 1 (*)",
            "synchronous before the resize",
        )?;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sampler = {
            let stop = stop.clone();
            let pg = Pg {
                addr: primary.addr,
                ca: primary.ca.clone(),
                password: primary.password.clone(),
            };
            std::thread::spawn(move || {
                let mut seen = std::collections::BTreeSet::new();
                while !stop.load(std::sync::atomic::Ordering::Acquire) {
                    if let Ok(v) = pg.sql("SHOW synchronous_standby_names") {
                        seen.insert(v);
                    }
                }
                seen
            })
        };
        let r = emu
            .call(
                "PUT",
                &format!("{CLUSTERS}{id}"),
                Some(&resize_body(&c, "PGS-DEV-t4g.medium-30")),
            )
            .await;
        check(r.status == 202, format!("resize: {}", r.status))?;
        wait_for(&emu, &id, "the resize in progress", |v| {
            v["currentClusterOperationStatus"] == "OPERATION_IN_PROGRESS"
        })
        .await
        .ok();
        let done = wait_running(&emu, &id).await;
        stop.store(true, std::sync::atomic::Ordering::Release);
        let seen = sampler.join().map_err(|_| "the sampler panicked")?;
        done?;
        check(
            seen.contains("ANY 1 (*)"),
            format!("strict={strict}: synchronous during the resize: {seen:?}"),
        )?;
        check(
            seen.contains("") != strict,
            format!("strict={strict}: the primary stops waiting only when not strict: {seen:?}"),
        )?;
        check(
            primary.sql("SHOW synchronous_standby_names")? == "ANY 1 (*)",
            "synchronous again after the resize",
        )?;
    }
    emu.server.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

/// A base backup that cannot be taken (the primary was killed) is a FAILED event, never an
/// ACTIVE one forever, and does not count as a completed backup for a restore.
async fn failed_backup() -> Outcome {
    let emu = real(Config::default()).await;
    let id = create(&emu, &body("real-failed-backup", 1, "ASYNCHRONOUS", false)).await?;
    wait_running(&emu, &id).await?;
    let data = emu
        .server
        .native()
        .postgres_data_dir()
        .ok_or("no data folder")?;
    let needle = format!("-D {}", data.join(&id).join("0").join("data").display());
    let postmaster = processes_with(&needle);
    let pid: i32 = postmaster
        .first()
        .and_then(|p| p.split(':').next())
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("no postmaster among {postmaster:?}"))?;
    // SAFETY: kill with a pid read from /proc (the node's postmaster).
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let since = epoch_ms();
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2/"),
            None,
        )
        .await;
    check(r.status == 202, format!("trigger backup: {}", r.status))?;
    let t = Instant::now();
    loop {
        let states = backup_states(&emu, &id, since).await;
        if states == vec!["FAILED".to_owned()] {
            break;
        }
        check(
            states == vec!["ACTIVE".to_owned()] && t.elapsed() < WAIT,
            format!("ACTIVE, then FAILED: {states:?}"),
        )?;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = emu
        .call(
            "POST",
            "/operations/applications/postgres/restore/v2",
            Some(&json!({"clusterId": id})),
        )
        .await;
    check(
        r.status == 400,
        format!("no completed backup to restore from: {}", r.status),
    )?;
    emu.server.shutdown().await;
    no_process_of(&id, None).await
}

/// A configuration is written to every node but applied only by that node's reload (`SHOW`
/// before and after), a reset gives the default back at the next reload, the server checks the
/// name and the value (restart-only parameters refused), and a new default password is refused
/// nowhere and the old one everywhere at once, standby included; the emulator's own later logins
/// (a resize's restarts) use the new one.
async fn configurations_and_password() -> Outcome {
    let tmp = temp_dir("config");
    let emu = real(Config::default()).await;
    let id = create(&emu, &body("real-config", 2, "ASYNCHRONOUS", false)).await?;
    let c = wait_running(&emu, &id).await?;
    let nodes: Vec<String> = c["dataCentres"][0]["nodes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let primary = client(&emu, &id, 0, &tmp).await?;
    let standby = client(&emu, &id, 1, &tmp).await?;
    let show = |pg: &Pg| pg.sql("SHOW work_mem");
    check(
        show(&primary)? == "2MB" && show(&standby)? == "2MB",
        "the emulator's work_mem first",
    )?;
    const CONFIGS: &str = "/resources/applications/postgresql/configurations/v2/";
    let set = json!({"clusterId": id, "name": "work_mem", "value": "16MB"});
    let r = emu.call("POST", CONFIGS, Some(&set)).await;
    check(
        r.status == 202,
        format!("create: {} {}", r.status, String::from_utf8_lossy(&r.body)),
    )?;
    check(
        show(&primary)? == "2MB" && show(&standby)? == "2MB",
        "not applied before a reload",
    )?;

    // the server's own checks, each a 400 naming the field
    for (name, value, field) in [
        ("work_mem", "lots", "value"),
        ("work_mem", "3TB", "value"),
        ("no_such_parameter", "1", "name"),
        ("shared_buffers", "64MB", "name"),
    ] {
        let r = emu
            .call(
                "POST",
                CONFIGS,
                Some(&json!({"clusterId": id, "name": name, "value": value})),
            )
            .await;
        check(
            r.status == 400 && r.error_names() == [field],
            format!(
                "{name}={value}: {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            ),
        )?;
    }
    let r = emu
        .call("GET", &format!("{CONFIGS}{id}%7Cwork_mem"), None)
        .await;
    check(
        r.json()["value"] == "16MB",
        "a refused value leaves the configuration as it was",
    )?;

    let reload = |n: &str| format!("/operations/applications/postgresql/nodes/v2/{n}/reload");
    let r = emu.call("POST", &reload(&nodes[0]), None).await;
    check(r.status == 202, format!("reload: {}", r.status))?;
    check(show(&primary)? == "16MB", "the primary reloaded")?;
    check(show(&standby)? == "2MB", "the standby not yet")?;
    emu.call("POST", &reload(&nodes[1]), None).await;
    check(show(&standby)? == "16MB", "the standby reloaded")?;

    let r = emu
        .call("DELETE", &format!("{CONFIGS}{id}%7Cwork_mem"), None)
        .await;
    check(r.status == 204, format!("reset: {}", r.status))?;
    check(
        show(&primary)? == "16MB",
        "a reset waits for the reload too",
    )?;
    for n in &nodes {
        emu.call("POST", &reload(n), None).await;
    }
    check(
        show(&primary)? == "2MB" && show(&standby)? == "2MB",
        "the default back after the reloads",
    )?;

    // the password: the old one refused at once, on the primary and the standby
    let old = primary.password.clone();
    let new = "N3w-Passw0rd-for-icpostgresql".to_owned();
    let r = emu
        .call(
            "PUT",
            &format!(
                "/operations/applications/postgresql/clusters/v2/{id}/update-default-user-password"
            ),
            Some(&json!({ "password": new })),
        )
        .await;
    check(r.status == 202, format!("password: {}", r.status))?;
    for (name, pg) in [("primary", &primary), ("standby", &standby)] {
        check(
            pg.run("verify-full", &old, "SELECT 1").is_err(),
            format!("{name}: the old password is refused"),
        )?;
        check(
            pg.run("verify-full", &new, "SELECT 1").as_deref() == Ok("1"),
            format!("{name}: the new password logs in"),
        )?;
    }
    check(
        emu.get(&id).await.json()["defaultUserPassword"] == new.as_str(),
        "getCluster gives the new password",
    )?;
    // a resize restarts the standby and waits for a login as icpostgresql: with the new password
    let c = emu.get(&id).await.json();
    let r = emu
        .call(
            "PUT",
            &format!("{CLUSTERS}{id}"),
            Some(&resize_body(&c, "PGS-DEV-t4g.medium-30")),
        )
        .await;
    check(r.status == 202, format!("resize: {}", r.status))?;
    wait_for(&emu, &id, "the resize done", |v| {
        v["status"] == "RUNNING"
            && v["currentClusterOperationStatus"] == "NO_OPERATION"
            && v["dataCentres"][0]["nodes"][1]["nodeSize"] == "PGS-DEV-t4g.medium-30"
    })
    .await?;
    check(
        standby
            .run("verify-full", &new, "SHOW shared_buffers")
            .as_deref()
            == Ok("24MB"),
        "the standby restarted with the new size and password",
    )?;
    emu.server.shutdown().await;
    no_process_of(&id, None).await?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
