//! Credentials masked in server text copied into an error.

use super::*;

/// Replaces every occurrence of `secret` (not empty) in `s` by `***`, left to right as
/// `str::replace` does. A byte-window scan rather than `str::replace`, whose two-way searcher
/// was 0.8 KB of the gzip'd `.wasm` (bench/FINDINGS.md); the texts are at most a few KB.
fn mask_all(s: &mut String, secret: &str) {
    let (hay, needle) = (s.as_bytes(), secret.as_bytes());
    let mut out: Option<String> = None;
    let (mut i, mut copied) = (0, 0);
    while i + needle.len() <= hay.len() {
        if hay[i..].starts_with(needle) {
            let o = out.get_or_insert_with(String::new);
            // both ends are char boundaries: `secret` is a whole str found at a byte position
            // where it starts, and UTF-8 never matches mid-character
            o.push_str(&s[copied..i]);
            o.push_str("***");
            i += needle.len();
            copied = i;
        } else {
            i += 1;
        }
    }
    if let Some(mut o) = out {
        o.push_str(&s[copied..]);
        *s = o;
    }
}

/// Masks the credentials in server text copied into an error (a proxy or server echoing the
/// `Authorization` header must not put the API key into messages, headers and logs).
pub(super) fn scrub(
    error: Error,
    headers: &mut [(String, String)],
    options: &RequestOptions,
    req: &HttpRequest,
) -> Error {
    let mut secrets: Vec<&str> = Vec::new();
    if let Some(k) = &options.api_key {
        secrets.push(k.expose());
    }
    if let Some(t) = req
        .header("Authorization")
        .and_then(|v| v.strip_prefix("Basic "))
    {
        secrets.push(t);
    }
    // the secret a body carries (the new password), as given and as JSON-escaped in an echo
    let escaped = req
        .secret
        .as_ref()
        .map(|s| crate::http::json_string(s.expose()));
    if let Some(s) = &req.secret {
        secrets.push(s.expose());
    }
    if let Some(e) = &escaped {
        secrets.push(e.trim_matches('"'));
    }
    secrets.retain(|s| s.len() >= 4);
    let mask = |s: &mut String| {
        for x in &secrets {
            mask_all(s, x);
        }
    };
    headers.iter_mut().for_each(|(_, v)| mask(v));
    match error {
        Error::Api {
            status,
            mut errors,
            mut raw,
        } => {
            for e in &mut errors {
                e.name.iter_mut().chain(e.message.iter_mut()).for_each(mask);
            }
            raw.iter_mut().for_each(mask);
            Error::Api {
                status,
                errors,
                raw,
            }
        }
        Error::Decode { mut message } => {
            mask(&mut message);
            Error::Decode { message }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::mask_all;

    #[test]
    fn masks_as_str_replace_does() {
        let cases = [
            ("", "key1"),
            ("key1", "key1"),
            ("a key1 b key1key1 c", "key1"),
            ("kkey1ey1", "key1"),
            ("aaaa", "aa"),
            ("ünïcødé key1é", "key1"),
            ("é秘密é秘密", "秘密"),
            ("no secret here", "key1"),
            ("key", "key1"),
        ];
        for (text, secret) in cases {
            let mut s = text.to_owned();
            mask_all(&mut s, secret);
            assert_eq!(s, text.replace(secret, "***"), "{text:?} / {secret:?}");
        }
    }
}
