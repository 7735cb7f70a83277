//! A keep-alive connection survives an answer given before the request's body has arrived: a
//! client (Instaclustr's Go client among them) sends its next request on the same connection, so
//! the server must read the rest of the body, or say `Connection: close` and close. Each case
//! sends the headers and half the body, waits, sends the rest, then a second request on the same
//! connection, and reads both answers.

mod common;

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use common::{fast, BASE, KEY, USER};

const CLUSTERS: &str = "/resources/applications/postgresql/clusters/v2/";

fn basic(user: &str, key: &str) -> String {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{key}"));
    format!("Basic {token}")
}

/// Reads one HTTP/1.1 response (head and a Content-Length or empty body); `None` at EOF.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(u16, String)> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let mut chunk = [0u8; 4096];
                let n = s.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let status = head.split(' ').nth(1)?.parse().ok()?;
            buf.drain(..end + 4 + len);
            return Some((status, head));
        }
        let mut chunk = [0u8; 4096];
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Sends `method path` with `auth` and a 64-byte body in two halves 200 ms apart, then a GET of
/// the account's cluster list on the same connection; returns both statuses (the second `None` when the
/// connection was closed without `Connection: close`).
async fn slow_body_then_second(
    url: &str,
    method: &str,
    path: &str,
    auth: &str,
) -> (u16, Option<u16>) {
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(addr))
        .await
        .expect("connect in time")
        .expect("connect");
    let body = format!("{{\"name\":\"{}\"}}", "x".repeat(53));
    assert_eq!(body.len(), 64);
    let head = format!(
        "{method} {BASE}{path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&body.as_bytes()[..32]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // the server may have answered and closed already: a failed write shows in the reads below
    let _ = s.write_all(&body.as_bytes()[32..]).await;
    let mut buf = Vec::new();
    let first = tokio::time::timeout(Duration::from_secs(5), read_response(&mut s, &mut buf))
        .await
        .expect("first answer in time")
        .expect("a first answer");
    let closes = first.1.to_ascii_lowercase().contains("connection: close");
    let second_req = format!(
        "GET {BASE}/data-sources/clusters/v2 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\n\r\n",
        basic(USER, KEY)
    );
    if s.write_all(second_req.as_bytes()).await.is_err() {
        assert!(closes, "closed without Connection: close after {}", first.0);
        return (first.0, None);
    }
    let second = tokio::time::timeout(Duration::from_secs(5), read_response(&mut s, &mut buf))
        .await
        .expect("second answer in time");
    if second.is_none() {
        assert!(
            closes,
            "the connection was closed without Connection: close after {} {method} {path}",
            first.0
        );
    }
    (first.0, second.map(|(status, _)| status))
}

#[tokio::test]
async fn answers_before_the_body_keep_the_connection_usable() {
    let emu = fast().await;
    let good = basic(USER, KEY);
    let cases = [
        ("POST", "/no/such/route", good.clone(), 404),
        ("POST", CLUSTERS, basic(USER, "wrong-key"), 401),
        (
            "POST",
            "/resources/applications/postgresql/clusters/v2/8c4c1f6d-3c7e-4a51-9d3a-111111111111/backups/",
            good.clone(),
            404,
        ),
        ("DELETE", CLUSTERS, good.clone(), 405),
    ];
    for (method, path, auth, status) in cases {
        let (first, second) = slow_body_then_second(&emu.url, method, path, &auth).await;
        assert_eq!(first, status, "{method} {path}");
        // `None` only after a `Connection: close` (checked in slow_body_then_second)
        assert!(
            matches!(second, Some(200) | None),
            "{method} {path}: the next request on the connection got {second:?}"
        );
    }
}
