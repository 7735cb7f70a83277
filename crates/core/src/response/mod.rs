//! Response parsing by body kind (each operation's [`crate::endpoints::Endpoint::parse`] names
//! its kind): a 2xx body becomes the typed value, any other status an [`Error::Api`], a 2xx body
//! that is not what the API document describes an [`Error::Decode`] naming the JSON path of the
//! problem. Nothing here panics: nesting depth is
//! bounded by serde_json's recursion limit (128) and every input byte sequence is handled.

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::lexer::Lexer;
use crate::model::ErrorResponse;
use crate::validate::{Bump, Json};

/// Longest raw body kept in an [`Error::Api`], in bytes (cut at a character boundary).
pub const MAX_RAW_BYTES: usize = 1024;

/// Field names whose values must never appear in an error message.
const SECRET_FIELDS: &[&str] = &["defaultUserPassword", "apiKey", "password"];

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The error for a non-2xx answer: the `ErrorListResponseV2` errors when the body is one
/// (parsed tolerantly: entries without a string `name`/`message` keep what they have), otherwise
/// the body as text, truncated to [`MAX_RAW_BYTES`].
pub fn parse_api_error(status: u16, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    // read as a `Value` would read it (JSON text is UTF-8), without building one
    let arena = Bump::new();
    let errors = std::str::from_utf8(body)
        .ok()
        .and_then(|t| Json::parse(t, &arena).ok())
        .and_then(|v| error_list(&v));
    match errors {
        Some(errors) => Error::Api {
            status,
            errors,
            raw: None,
        },
        None => {
            let trimmed = text.trim();
            let raw = if trimmed.is_empty() {
                None
            } else {
                Some(truncate(trimmed, MAX_RAW_BYTES))
            };
            Error::Api {
                status,
                errors: Vec::new(),
                raw,
            }
        }
    }
}

fn error_list(v: &Json<'_>) -> Option<Vec<ErrorResponse>> {
    let Some(Json::Array(list)) = v.get("errors") else {
        return None;
    };
    let errors: Vec<ErrorResponse> = list
        .iter()
        .filter_map(|e| {
            let text = |k: &str| e.get(k).and_then(Json::as_str).map(str::to_owned);
            match e {
                Json::Object(_) => Some(ErrorResponse {
                    name: text("name"),
                    message: text("message"),
                }),
                Json::String(s) => Some(ErrorResponse {
                    name: None,
                    message: Some((*s).to_owned()),
                }),
                _ => None,
            }
        })
        .collect();
    Some(errors)
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn decode_err(message: impl Into<String>) -> Error {
    Error::Decode {
        message: message.into(),
    }
}

/// Decodes a JSON body into `T`, naming the path of the first problem.
///
/// One plain `serde_json::from_slice` pass (it also checks that strings are UTF-8; everything
/// outside strings must be ASCII JSON syntax, so a success implies a valid UTF-8 body). Only
/// when it fails is the body looked at again, to name the problem: the JSON path comes from
/// [`path_at`], a small walk over the text up to the error's position, rather than a path-tracking
/// deserializer such as `serde_path_to_error`, whose wrappers are instantiated for every model and
/// slow every successful decode (bench/FINDINGS.md).
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice::<T>(body).map_err(|e| decode_error(body, &e))
}

/// What kind of refusal a [`Failure`] is: it decides how [`decode_failure`] words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Not JSON text (serde_json's syntax category).
    Syntax,
    /// JSON text that ends too early (serde_json's EOF category).
    Eof,
    /// Valid JSON, but not the model's shape (serde_json's data category).
    Data,
    /// A list where an object was expected: serde accepts a list for a struct and reads it whole,
    /// serde_json then reports the list's remaining elements as "trailing characters".
    ListForObject,
}

/// A refusal, however found (serde_json's error or a hand-written check): its kind, its
/// message without position, and serde_json's 1-based line and 0-based byte column (line 0: no
/// position). [`decode_failure`] is the one place that turns it into an [`Error::Decode`].
pub(crate) struct Failure<'m> {
    /// The kind.
    pub kind: Kind,
    /// serde_json's wording, without " at line L column C".
    pub message: &'m str,
    /// 1-based line, 0 when there is no position.
    pub line: usize,
    /// 0-based byte column in the line.
    pub column: usize,
}

/// The [`Error::Decode`] for a body `serde_json` refused with `e`. Non-generic: one copy.
pub(crate) fn decode_error(body: &[u8], e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    // serde_json also reports "trailing characters" (a syntax error) for a valid list longer
    // than the struct read from it (serde accepts a list for a struct): not invalid json then.
    // Only that error: a number out of range is a syntax error of a body that skipping (which
    // reads numbers by grammar only) accepts, and is reported as what it is.
    let message = strip_position(&e.to_string());
    let kind = match e.classify() {
        Category::Syntax
            if message == "trailing characters"
                && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() =>
        {
            Kind::ListForObject
        }
        Category::Syntax => Kind::Syntax,
        Category::Eof => Kind::Eof,
        Category::Data | Category::Io => Kind::Data,
    };
    decode_failure(
        body,
        &Failure {
            kind,
            message: &message,
            line: e.line(),
            column: e.column(),
        },
    )
}

/// The [`Error::Decode`] for a refused body: "body is not valid json: .." for a syntax or
/// EOF error, otherwise ".. at <path>: <message>" (never the message for a secret field).
pub(crate) fn decode_failure(body: &[u8], f: &Failure<'_>) -> Error {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(u) => {
            return decode_err(format!("body is not utf-8 (at byte {})", u.valid_up_to()));
        }
    };
    if text.trim().is_empty() {
        return decode_err("body is empty, a json value was expected");
    }
    if matches!(f.kind, Kind::Syntax | Kind::Eof) {
        // serde_json's Display of its error: the message, then the position when it has one
        return decode_err(if f.line == 0 {
            format!("body is not valid json: {}", f.message)
        } else {
            format!(
                "body is not valid json: {} at line {} column {}",
                f.message, f.line, f.column
            )
        });
    }
    let path = path_at(
        text.as_bytes(),
        offset_of(text.as_bytes(), f.line, f.column),
    );
    let secret = path.split(['.', '[']).any(|s| SECRET_FIELDS.contains(&s));
    // serde's message may quote the offending value: never for a secret field
    let what = if secret {
        "invalid value"
    } else if f.kind == Kind::ListForObject {
        "a list where an object was expected"
    } else {
        f.message
    };
    if path.is_empty() {
        decode_err(what)
    } else {
        decode_err(format!("at {path}: {what}"))
    }
}

/// Byte offset of serde_json's (1-based line, 0-based byte column) position.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut seen = 1;
    for (i, b) in text.iter().enumerate() {
        if seen >= line {
            break;
        }
        if *b == b'\n' {
            seen += 1;
            start = i + 1;
        }
    }
    start.saturating_add(column).min(text.len())
}

/// One level of the walk of [`path_at`].
enum Frame {
    /// In an object: the current key (once read) and whether its `:` was seen.
    Object(Option<String>, bool),
    /// In an array: the index of the current element.
    Array(usize),
}

/// The JSON path (`dataCentres[0].nodes[1].status`, empty for the root) of the value at byte
/// `offset` of a syntactically valid prefix of `text`: the value ending exactly there (serde_json
/// reports a type or value error just after the value, a missing field just after the object's
/// `}`), else the value being read there (an invalid type is reported before a `{` or `[`).
/// Iterative, bounded by `offset`: no recursion, no panic on any input.
fn path_at(text: &[u8], offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if i >= offset {
            return render(&stack, true);
        }
        match b {
            b'{' => {
                stack.push(Frame::Object(None, false));
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                if i >= offset {
                    return render(&stack, true);
                }
            }
            b':' => {
                if let Some(Frame::Object(_, colon)) = stack.last_mut() {
                    *colon = true;
                }
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object(key, colon)) => {
                        *key = None;
                        *colon = false;
                    }
                    Some(Frame::Array(n)) => *n += 1,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let start = i;
                let mut lx = Lexer { b: text, i: i + 1 };
                let read = lx.string(true);
                i = if read.is_ok() { lx.i } else { text.len() };
                let is_key = matches!(stack.last(), Some(Frame::Object(_, false)));
                if is_key {
                    if i >= offset {
                        // just after a key (a duplicate field): the object's path
                        return render(&stack, false);
                    }
                    let key = match read {
                        Ok(s) => String::from_utf8_lossy(&lx.text(&s)).into_owned(),
                        Err(_) => String::from_utf8_lossy(&text[start..]).into_owned(),
                    };
                    if let Some(Frame::Object(k, _)) = stack.last_mut() {
                        *k = Some(key);
                    }
                } else if i >= offset {
                    return render(&stack, true);
                }
            }
            _ => {
                while i < text.len()
                    && !matches!(text[i], b',' | b']' | b'}' | b':')
                    && !text[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                if i >= offset {
                    return render(&stack, true);
                }
            }
        }
    }
    render(&stack, true)
}

/// The path of the frames' current slots; the innermost frame's slot only when `last`.
fn render(stack: &[Frame], last: bool) -> String {
    let mut out = String::new();
    let n = stack.len();
    for (depth, frame) in stack.iter().enumerate() {
        if depth + 1 == n && !last {
            break;
        }
        match frame {
            Frame::Object(Some(key), _) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Object(None, _) => {}
            Frame::Array(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// serde_json appends " at line L column C"; the path says more, keep the message short.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

fn success_or_api(status: u16, body: &[u8]) -> Result<(), Error> {
    if is_success(status) {
        Ok(())
    } else {
        Err(parse_api_error(status, body))
    }
}

/// A JSON body of type `T` (the answer of most operations).
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// A JSON body of type `T`, or `None` when the 2xx body is empty.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed non-empty body.
pub fn optional_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Option<T>, Error> {
    success_or_api(status, body)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    decode(body).map(Some)
}

/// Any 2xx; the body is ignored.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status.
pub fn empty(status: u16, body: &[u8]) -> Result<(), Error> {
    success_or_api(status, body)
}

/// The bytes as sent (the certificate zip), which must not be empty.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for an empty body.
pub fn bytes(status: u16, body: &[u8]) -> Result<Vec<u8>, Error> {
    success_or_api(status, body)?;
    if body.is_empty() {
        return Err(decode_err("body is empty, a certificate zip was expected"));
    }
    Ok(body.to_vec())
}

#[cfg(test)]
mod tests;
