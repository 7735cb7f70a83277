//! `instaclustr-pg-emulator`: the local Instaclustr PostgreSQL Provisioning V2 API (see README.md).

use std::io::Write;

use clap::Parser;
use instaclustr_pg_emulator::{serve, DEMO_USER};

mod cli;

#[tokio::main]
async fn main() {
    let config = match cli::Args::parse().into_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n\nFor more information, try '--help'.");
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
