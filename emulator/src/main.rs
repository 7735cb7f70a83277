//! `instaclustr-pg-emulator`: the local Instaclustr PostgreSQL Provisioning V2 API (see README.md).

use std::io::Write;
use std::path::PathBuf;

use instaclustr_pg_emulator::{serve, Config, DEFAULT_PORT, DEMO_USER};

const USAGE: &str = "usage: instaclustr-pg-emulator [options]
  --port <n>            port on 127.0.0.1 (default 8090; 0 = a free port)
  --host 127.0.0.1      the only address served (loopback)
  --account <user:key>  an account (repeatable); without any, a demo account is created and printed
  --random-key          random api key for the demo account (default: demo-api-key)
  --speed <factor>      lifecycle delays divided by this (default 1 = realistic minutes)
  --static <dir>        serve this folder at / (e.g. the demo console www/)
  --state <file>        persist clusters in this SQLite file (default: in memory)
  --test-mode           honour X-Emulator-Fault* headers, serve /__emulator/stats
  --fault-rate <0..1>   probability of a random fault per API request (default 0)
  --seed <n>            seed of the random faults (default 0)
  --fault-kinds <list>  comma-separated kinds drawn by random faults
  --rate-limit <rps>    requests per second before 429 + Retry-After (default: none)
  --body-limit <bytes>  largest request body (default 1048576)
  --quiet               no request log on stderr
  --postgres <mode>     auto (default: a real PostgreSQL server per node when the binaries are
                        found), off (records only) or a folder holding initdb, postgres, pg_basebackup
  --postgres-max-nodes <n>  most real nodes at once (default 8); over it a create is a 409";

fn parse(args: Vec<String>) -> Result<Config, String> {
    let mut c = Config {
        port: DEFAULT_PORT,
        postgres: instaclustr_pg_emulator::postgres::Mode::Auto,
        ..Config::default()
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (a.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs {what}"))
        };
        match name.as_str() {
            "--port" => {
                c.port = value("a port")?
                    .parse()
                    .map_err(|_| "--port: not a port number")?
            }
            "--host" => {
                let h = value("an address")?;
                if h != "127.0.0.1" && h != "localhost" {
                    return Err("--host: only 127.0.0.1 is served".into());
                }
            }
            "--account" => {
                let v = value("user:key")?;
                match v.split_once(':') {
                    Some((u, k)) if !u.is_empty() && !k.is_empty() => {
                        c.accounts.push((u.into(), k.into()))
                    }
                    _ => return Err("--account: expected <username>:<apiKey>".into()),
                }
            }
            "--random-key" => c.random_key = true,
            "--speed" => {
                c.speed = value("a factor")?
                    .parse()
                    .map_err(|_| "--speed: not a number")?;
                if !(c.speed.is_finite() && c.speed > 0.0) {
                    return Err("--speed: must be positive".into());
                }
            }
            "--static" => c.static_dir = Some(PathBuf::from(value("a folder")?)),
            "--state" => c.state_file = Some(PathBuf::from(value("a file")?)),
            "--test-mode" => c.test_mode = true,
            "--fault-rate" => {
                c.fault_rate = value("a probability")?
                    .parse()
                    .map_err(|_| "--fault-rate: not a number")?;
                if !(0.0..=1.0).contains(&c.fault_rate) {
                    return Err("--fault-rate: must be between 0 and 1".into());
                }
            }
            "--seed" => {
                c.seed = value("a number")?
                    .parse()
                    .map_err(|_| "--seed: not a whole number")?
            }
            "--fault-kinds" => {
                c.fault_kinds = value("a list")?
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "--rate-limit" => {
                let r: f64 = value("requests per second")?
                    .parse()
                    .map_err(|_| "--rate-limit: not a number")?;
                if !(r.is_finite() && r > 0.0) {
                    return Err("--rate-limit: must be positive".into());
                }
                c.rate_limit = Some(r);
            }
            "--body-limit" => {
                c.body_limit = value("bytes")?
                    .parse()
                    .map_err(|_| "--body-limit: not a number")?
            }
            "--quiet" => c.quiet = true,
            "--postgres" => c.postgres = value("auto, off or a folder")?.parse()?,
            "--postgres-max-nodes" => {
                c.postgres_max_nodes = value("a number")?
                    .parse()
                    .map_err(|_| "--postgres-max-nodes: not a whole number")?
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if let Some(d) = &c.static_dir {
        if !d.is_dir() {
            return Err(format!("--static: {} is not a folder", d.display()));
        }
    }
    Ok(c)
}

#[tokio::main]
async fn main() {
    let config = match parse(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let users: Vec<String> = config.accounts.iter().map(|(u, _)| u.clone()).collect();
    let speed = config.speed;
    let server = match serve(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", server.url());
    match server.demo_key() {
        Some(key) => {
            let _ = writeln!(out, "demo account: username {DEMO_USER}, api key {key}");
        }
        None => {
            let _ = writeln!(out, "accounts: {}", users.join(", "));
        }
    }
    let _ = writeln!(out, "{}", server.postgres_description());
    let _ = writeln!(out, "speed: {speed}");
    let _ = out.flush();
    drop(out);
    let stop = async {
        #[cfg(unix)]
        {
            if let Ok(mut term) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                tokio::select! { _ = tokio::signal::ctrl_c() => {}, _ = term.recv() => {} }
                return;
            }
        }
        let _ = tokio::signal::ctrl_c().await;
    };
    stop.await;
    server.shutdown().await;
}
