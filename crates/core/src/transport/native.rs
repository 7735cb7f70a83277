//! Native transport (feature `native`): reqwest over tokio, for native tests and Rust users.
//! Redirects are never followed (a 3xx is reported as [`TransportError::Redirect`]), so the
//! `Authorization` header cannot reach another origin.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::operation::Method;
use crate::request::HttpRequest;
use crate::transport::{
    is_kept_header, Runtime, SeededRandom, Transport, TransportError, TransportResponse,
};

/// reqwest-based transport.
#[derive(Clone, Debug)]
pub struct NativeTransport {
    client: reqwest::Client,
}

impl NativeTransport {
    /// A transport that never follows redirects.
    ///
    /// # Errors
    /// [`TransportError::NeverReached`] when the HTTP client cannot be built.
    pub fn new() -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                TransportError::NeverReached(format!("cannot build the http client: {e}"))
            })?;
        Ok(Self { client })
    }
}

fn classify(e: &reqwest::Error) -> TransportError {
    // A connect error means no byte of the request left: safe to repeat any request.
    if e.is_connect() {
        TransportError::NeverReached(format!("connection failed: {}", describe(e)))
    } else if e.is_builder() {
        TransportError::NeverReached(format!("invalid request: {}", describe(e)))
    } else {
        TransportError::MaybeReached(format!("request failed after sending: {}", describe(e)))
    }
}

/// The error chain without the URL (which is not secret, but keeps messages short).
fn describe(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    if parts.is_empty() {
        "unknown error".into()
    } else {
        parts.join(": ")
    }
}

impl Transport for NativeTransport {
    async fn send(
        &self,
        request: &HttpRequest,
        max_body_bytes: usize,
    ) -> Result<TransportResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut rb = self.client.request(method, &request.url);
        for (k, v) in &request.headers {
            rb = rb.header(k, v);
        }
        if let Some(b) = &request.body {
            rb = rb.body(b.clone());
        }
        let mut resp = rb.send().await.map_err(|e| classify(&e))?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            return Err(TransportError::Redirect { status });
        }
        let headers = resp
            .headers()
            .iter()
            .filter(|(k, _)| is_kept_header(k.as_str()))
            .filter_map(|(k, v)| {
                Some((k.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned()))
            })
            .collect();
        if resp
            .content_length()
            .is_some_and(|n| n > max_body_bytes as u64)
        {
            return Err(TransportError::TooLarge {
                limit: max_body_bytes,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
            if body.len() + chunk.len() > max_body_bytes {
                return Err(TransportError::TooLarge {
                    limit: max_body_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(TransportResponse {
            status,
            headers,
            body,
        })
    }
}

/// Tokio timers and the system clock.
#[derive(Debug)]
pub struct TokioRuntime {
    random: SeededRandom,
}

impl TokioRuntime {
    /// Jitter seeded from the clock.
    pub fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Self {
            random: SeededRandom::new(seed),
        }
    }

    /// Jitter from a fixed seed (reproducible tests).
    pub fn seeded(seed: u64) -> Self {
        Self {
            random: SeededRandom::new(seed),
        }
    }
}

impl Default for TokioRuntime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime for TokioRuntime {
    fn now_ms(&self) -> f64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    }
    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    fn random(&self) -> f64 {
        self.random.next_f64()
    }
}
