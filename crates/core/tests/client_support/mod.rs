//! Shared by the native client tests: the emulator they run against and a valid create body.
#![allow(dead_code)] // each test file uses a part

use serde_json::{json, Value};

/// A running emulator.
pub struct Emu {
    /// Its base URL (`http://127.0.0.1:<port>`).
    pub url: String,
}

/// The emulator at `EMULATOR_URL`. The tests that need one are `#[ignore]`d (reported as ignored
/// where none runs, never as passed) and run with `--include-ignored` by the 40-client-emulator
/// tier, which starts it; without `EMULATOR_URL` such a test fails, as it cannot run.
pub fn emulator() -> Emu {
    match std::env::var("EMULATOR_URL") {
        Ok(url) if !url.is_empty() => Emu {
            url: url.trim_end_matches('/').to_owned(),
        },
        _ => panic!("this test needs a running emulator: set EMULATOR_URL (scripts/test.d/40-client-emulator does)"),
    }
}

/// The valid create body shared with the JS tests (`tests/fixtures/create-cluster.json`: one
/// 2-node AWS data centre, a PostgreSQL version the emulator offers), named `name`.
pub fn create_body(name: &str) -> Value {
    let mut body: Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/create-cluster.json"
    ))
    .expect("tests/fixtures/create-cluster.json is JSON");
    body["name"] = json!(name);
    body
}

/// The raw bytes of an HTTP/1.1 answer (closing the connection), for scripted test servers.
pub fn http_response(status: u16, headers: &[(&str, &str)], body: &str) -> String {
    let mut s = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

/// Reads one HTTP request (its head and a `content-length` body) from `sock`: the head as text
/// and the whole request as bytes, or `None` when the peer closes first.
pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<(String, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    loop {
        match sock.read(&mut tmp).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
        }
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..p]).into_owned();
            let len = head
                .to_lowercase()
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0usize);
            if buf.len() >= p + 4 + len {
                return Some((head, buf));
            }
        }
    }
}
