//! Loopback addresses for nodes: each node listens on its own `127.a.b.c:5432`.
//!
//! All of 127.0.0.0/8 is loopback on Linux, so no set-up is needed. An address is drawn at
//! random from 127.64.0.0–127.191.255.254 (never 127.0.0.x, which other programs use), skipped
//! when this process already holds it or when something on the machine listens on it (a test
//! bind of `address:5432`), so several emulators in one process or on one machine never collide.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::sync::{Mutex, OnceLock};

/// The port every node listens on (Instaclustr's).
pub const PORT: u16 = 5432;

fn held() -> &'static Mutex<HashSet<Ipv4Addr>> {
    static HELD: OnceLock<Mutex<HashSet<Ipv4Addr>>> = OnceLock::new();
    HELD.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Whether `addr:5432` can be bound now.
pub fn is_free(addr: Ipv4Addr) -> bool {
    TcpListener::bind(SocketAddrV4::new(addr, PORT)).is_ok()
}

/// A fresh address, held by this process until [`release`].
///
/// # Errors
/// A message when no free address was found in 200 draws (not expected).
pub fn allocate() -> Result<Ipv4Addr, String> {
    for _ in 0..200 {
        let a = Ipv4Addr::new(
            127,
            fastrand::u8(64..=191),
            fastrand::u8(..),
            fastrand::u8(2..=254),
        );
        if claim(a) {
            return Ok(a);
        }
    }
    Err("no free loopback address for a node".into())
}

/// Holds a known address (a node restarted from the state file) when it is free.
pub fn claim(addr: Ipv4Addr) -> bool {
    let mut h = held().lock().unwrap_or_else(|p| p.into_inner());
    if h.contains(&addr) || !is_free(addr) {
        return false;
    }
    h.insert(addr);
    true
}

/// Gives an address back.
pub fn release(addr: Ipv4Addr) {
    held()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&addr);
}
