//! The command line of the binary (clap derive): the options, their defaults and their checks,
//! turned into a [`Config`].

use std::path::PathBuf;

use clap::Parser;
use instaclustr_pg_emulator::postgres::{Mode, DEFAULT_MAX_NODES};
use instaclustr_pg_emulator::{Config, DEFAULT_BODY_LIMIT, DEFAULT_PORT};

/// Local emulator of the Instaclustr PostgreSQL Provisioning V2 API.
#[derive(Parser)]
#[command(name = "instaclustr-pg-emulator", args_override_self = true)]
pub struct Args {
    /// Port on 127.0.0.1 (0 = a free port)
    #[arg(long, value_name = "n", default_value_t = DEFAULT_PORT)]
    port: u16,
    /// The only address served (loopback)
    #[arg(long, value_name = "127.0.0.1", value_parser = loopback)]
    host: Option<String>,
    /// An account (repeatable); without any, a demo account is created and printed
    #[arg(long = "account", value_name = "user:key")]
    accounts: Vec<String>,
    /// Random api key for the demo account (default: demo-api-key)
    #[arg(long)]
    random_key: bool,
    /// Lifecycle delays divided by this (1 = realistic minutes)
    #[arg(long, value_name = "factor", default_value_t = 1.0, value_parser = positive)]
    speed: f64,
    /// Serve this folder at / (e.g. the demo console www/)
    #[arg(long = "static", value_name = "dir", value_parser = folder)]
    static_dir: Option<PathBuf>,
    /// Persist clusters in this SQLite file (default: in memory)
    #[arg(long = "state", value_name = "file")]
    state_file: Option<PathBuf>,
    /// Honour X-Emulator-Fault* headers, serve /__emulator/stats
    #[arg(long)]
    test_mode: bool,
    /// Probability of a random fault per API request
    #[arg(long, value_name = "0..1", default_value_t = 0.0, value_parser = probability)]
    fault_rate: f64,
    /// Seed of the random generator (IDs, passwords, keys, faults); default: a random one
    #[arg(long, value_name = "n")]
    seed: Option<u64>,
    /// Comma-separated kinds drawn by random faults
    #[arg(long, value_name = "list")]
    fault_kinds: Option<String>,
    /// Requests per second before 429 + Retry-After (default: none)
    #[arg(long, value_name = "rps", value_parser = positive)]
    rate_limit: Option<f64>,
    /// Largest request body
    #[arg(long, value_name = "bytes", default_value_t = DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// No request log on stderr
    #[arg(long)]
    quiet: bool,
    /// auto (a real PostgreSQL server per node when the binaries are found), off (records
    /// only) or a folder holding initdb, postgres, pg_basebackup
    #[arg(long, value_name = "mode", default_value = "auto")]
    postgres: Mode,
    /// Most real nodes at once; over it a create is a 409
    #[arg(long, value_name = "n", default_value_t = DEFAULT_MAX_NODES)]
    postgres_max_nodes: usize,
}

fn loopback(s: &str) -> Result<String, String> {
    match s {
        "127.0.0.1" | "localhost" => Ok(s.to_owned()),
        _ => Err("only 127.0.0.1 is served".into()),
    }
}

fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(_) => Err("must be positive".into()),
        Err(_) => Err("not a number".into()),
    }
}

fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Ok(_) => Err("must be between 0 and 1".into()),
        Err(_) => Err("not a number".into()),
    }
}

fn folder(s: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(s);
    if p.is_dir() {
        Ok(p)
    } else {
        Err("not a folder".into())
    }
}

impl Args {
    /// The emulator's settings.
    ///
    /// # Errors
    /// A message when an `--account` is not `<username>:<apiKey>`; it never repeats the value
    /// (it holds a key).
    pub fn into_config(self) -> Result<Config, String> {
        let mut accounts = Vec::with_capacity(self.accounts.len());
        for a in self.accounts {
            match a.split_once(':') {
                Some((u, k)) if !u.is_empty() && !k.is_empty() => {
                    accounts.push((u.to_owned(), k.to_owned()))
                }
                _ => return Err("--account: expected <username>:<apiKey>".into()),
            }
        }
        Ok(Config {
            port: self.port,
            accounts,
            random_key: self.random_key,
            speed: self.speed,
            static_dir: self.static_dir,
            state_file: self.state_file,
            test_mode: self.test_mode,
            fault_rate: self.fault_rate,
            seed: self.seed,
            fault_kinds: self
                .fault_kinds
                .map(|l| {
                    l.split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            rate_limit: self.rate_limit,
            quiet: self.quiet,
            body_limit: self.body_limit,
            postgres: self.postgres,
            postgres_max_nodes: self.postgres_max_nodes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        let args = Args::try_parse_from(std::iter::once("emu").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        args.into_config()
    }

    #[test]
    fn defaults_are_the_binarys() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.port, DEFAULT_PORT);
        assert_eq!(c.postgres, Mode::Auto);
        assert_eq!(c.speed, 1.0);
        assert_eq!(c.body_limit, DEFAULT_BODY_LIMIT);
        assert_eq!(c.postgres_max_nodes, DEFAULT_MAX_NODES);
        assert!(c.accounts.is_empty() && c.rate_limit.is_none() && !c.quiet);
    }

    #[test]
    fn every_option_is_read_inline_or_separate() {
        let c = parse(&[
            "--port=0",
            "--host",
            "127.0.0.1",
            "--account",
            "alice:k1",
            "--account=bob:k2",
            "--speed",
            "100",
            "--state",
            "/tmp/x.sqlite",
            "--test-mode",
            "--fault-rate",
            "0.5",
            "--seed",
            "7",
            "--fault-kinds",
            "500, drop,,stall:10",
            "--rate-limit",
            "2.5",
            "--body-limit",
            "10",
            "--quiet",
            "--postgres",
            "off",
            "--postgres-max-nodes",
            "3",
            "--random-key",
        ])
        .unwrap();
        assert_eq!(c.port, 0);
        assert_eq!(
            c.accounts,
            vec![("alice".into(), "k1".into()), ("bob".into(), "k2".into())]
        );
        assert_eq!(c.speed, 100.0);
        assert_eq!(c.state_file, Some(PathBuf::from("/tmp/x.sqlite")));
        assert!(c.test_mode && c.quiet && c.random_key);
        assert_eq!((c.fault_rate, c.seed), (0.5, Some(7)));
        assert_eq!(c.fault_kinds, vec!["500", "drop", "stall:10"]);
        assert_eq!(c.rate_limit, Some(2.5));
        assert_eq!(c.body_limit, 10);
        assert_eq!(c.postgres, Mode::Off);
        assert_eq!(c.postgres_max_nodes, 3);
        assert_eq!(
            parse(&["--postgres", "/opt/pg"]).unwrap().postgres,
            Mode::Path("/opt/pg".into())
        );
    }

    #[test]
    fn a_repeated_option_keeps_the_last_value() {
        assert_eq!(parse(&["--port", "1", "--port", "2"]).unwrap().port, 2);
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            &["--port", "x"][..],
            &["--host", "0.0.0.0"],
            &["--speed", "0"],
            &["--speed", "inf"],
            &["--fault-rate", "2"],
            &["--rate-limit", "-1"],
            &["--seed", "1.5"],
            &["--static", "/no/such/folder"],
            &["--postgres", ""],
            &["--bogus"],
            &["--port"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_bad_account_is_refused_without_its_key() {
        for bad in ["secret-key-123", "alice:", ":secret-key-123"] {
            let e = parse(&["--account", bad]).unwrap_err();
            assert!(!e.contains("secret-key-123"), "{e}");
        }
    }
}
