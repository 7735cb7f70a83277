//! The base URL of the API: `https://` with any host, `http://` only on a loopback host.

use super::{RequestOptions, DEFAULT_BASE_URL};
use crate::error::Error;
use crate::validate::{Violation, ViolationCode};

/// The validated base URL, without a trailing slash.
///
/// `https://` is accepted with any host; `http://` only with a loopback host (`127.0.0.0/8`,
/// `::1`, `localhost`), for a local emulator. User info, query and fragment are refused.
///
/// # Errors
/// [`Error::Validation`] with a violation at `baseUrl`.
pub fn base_url(opts: &RequestOptions) -> Result<String, Error> {
    let mut v = Vec::new();
    let url = check_base_url(opts.base_url.as_deref(), &mut v);
    Error::check(v).map(|()| url)
}

pub(crate) fn check_base_url(given: Option<&str>, v: &mut Vec<Violation>) -> String {
    let Some(raw) = given else {
        return DEFAULT_BASE_URL.to_owned();
    };
    let bad = |v: &mut Vec<Violation>, code: ViolationCode, msg: &str| {
        v.push(Violation::new("baseUrl", code, msg));
        String::new()
    };
    if raw.is_empty() {
        return bad(
            v,
            ViolationCode::Required,
            "must not be empty (omit it for the default)",
        );
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad(
            v,
            ViolationCode::Format,
            "must not contain spaces or control characters",
        );
    }
    let lower = raw.to_ascii_lowercase();
    let (https, rest) = if lower.starts_with("https://") {
        (true, &raw[8..])
    } else if lower.starts_with("http://") {
        (false, &raw[7..])
    } else {
        return bad(
            v,
            ViolationCode::Format,
            "must be an absolute https:// url (http:// only for a loopback host)",
        );
    };
    if rest.contains('?') || rest.contains('#') {
        return bad(
            v,
            ViolationCode::Format,
            "must not contain a query or a fragment",
        );
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return bad(
            v,
            ViolationCode::Format,
            "must not contain credentials (use username and apiKey)",
        );
    }
    let Some(host) = split_host(authority) else {
        return bad(
            v,
            ViolationCode::Format,
            "must have a valid host and an optional numeric port",
        );
    };
    if !https && !is_loopback(host) {
        return bad(
            v,
            ViolationCode::Format,
            "http:// is allowed only for a loopback host (127.0.0.0/8, ::1, localhost): use https://",
        );
    }
    let scheme = if https { "https://" } else { "http://" };
    format!("{scheme}{authority}{}", path.trim_end_matches('/'))
}

/// The host of `host[:port]` or `[v6][:port]`, or `None` when malformed.
fn split_host(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &rest[..end];
        host.parse::<std::net::Ipv6Addr>().ok()?;
        let after = &rest[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return None,
        };
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    if let Some(p) = port {
        if p.is_empty()
            || p.len() > 5
            || !p.bytes().all(|b| b.is_ascii_digit())
            || p.parse::<u32>().ok()? > 65535
        {
            return None;
        }
    }
    if !authority.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    {
        return None;
    }
    Some(host)
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return ip.is_loopback();
    }
    host.parse::<std::net::Ipv6Addr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}
