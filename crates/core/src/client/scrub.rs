//! Credentials masked in server text copied into an error.

use super::*;

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
    secrets.retain(|s| s.len() >= 4);
    let mask = |s: &mut String| {
        for x in &secrets {
            if s.contains(x) {
                *s = s.replace(x, "***");
            }
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
