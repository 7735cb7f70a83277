//! The request of an exchange as a host hands it over, and reading it: headers, the path's
//! percent-encoding, the query.

/// One HTTP request, as received.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    /// The method, upper case as received.
    pub method: &'a str,
    /// The raw (percent-encoded) path, no query.
    pub path: &'a str,
    /// The raw query, without its `?`.
    pub query: Option<&'a str>,
    /// Headers, names lower-case.
    pub headers: &'a [(String, String)],
    /// The whole body (a host stops reading at the body limit + 1 bytes).
    pub body: &'a [u8],
}

impl std::fmt::Debug for Request<'_> {
    /// Method, path and header names: never a header's value (credentials) or the body.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Request<'_> {
    /// The first value of header `name` (lower-case), as sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Header `name` trimmed, `None` when absent or empty.
    pub fn header_trimmed(&self, name: &str) -> Option<&str> {
        self.header(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// The bytes of a percent-encoded text (`+` is left alone; a `%` not followed by two
/// hexadecimal digits stays as it is).
fn percent_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Percent-decoding of a query component (`+` is left alone; bytes that are no UTF-8 become
/// replacement characters).
pub fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&percent_bytes(s)).into_owned()
}

/// Percent-decoding of a path segment; `None` when the bytes are no UTF-8.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    String::from_utf8(percent_bytes(s)).ok()
}

/// Query parameters, decoded (`+` as space).
pub fn query_params(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}
