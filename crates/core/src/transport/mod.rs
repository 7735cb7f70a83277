//! The transport seam: the client sends an [`HttpRequest`] through a [`Transport`] and keeps time
//! through a [`Runtime`], so the same retry, timeout and waiter code runs over `fetch` in
//! JavaScript and over reqwest in native tests (with a controllable clock in unit tests).
//!
//! Cancellation is by dropping: the client races the transport future against the deadline and
//! the caller's [`Abort`]; the loser is dropped, and dropping a transport future must cancel the
//! request (the fetch transport aborts its `AbortController`, reqwest closes the connection) and
//! dropping a sleep must clear its timer, so no timer outlives a call.

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::request::HttpRequest;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;

/// Response headers the client keeps (lowercase names): retry timing, content type, redirects
/// and request IDs for support tickets.
pub const KEPT_HEADERS: &[&str] = &[
    "retry-after",
    "content-type",
    "location",
    "x-request-id",
    "x-amzn-requestid",
    "x-correlation-id",
];

/// Whether a response header is one the client keeps.
pub fn is_kept_header(name: &str) -> bool {
    KEPT_HEADERS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// An HTTP answer: status, the [`KEPT_HEADERS`] present (lowercase names) and the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransportResponse {
    /// HTTP status.
    pub status: u16,
    /// Kept headers, lowercase names. The client reads them only from a non-2xx answer
    /// (`retry-after`, the request ids of an `ApiError`), so a transport may leave them out of
    /// a 2xx one (the wasm's does: one header lookup fewer per name on every call).
    pub headers: Vec<(String, String)>,
    /// The body bytes (at most the limit given to [`Transport::send`]).
    pub body: Vec<u8>,
}

impl TransportResponse {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request got no HTTP answer. The class decides whether a POST may be repeated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// Provably never reached the server (connection refused, DNS failure): always safe to repeat.
    NeverReached(String),
    /// May have reached the server (reset, dropped after sending, unknown fetch failure).
    MaybeReached(String),
    /// The body was larger than the limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The failure is the client's own, not the network's: no `fetch` in the runtime, a
    /// user-supplied `fetch` that gave something other than a response, a body stream that gave
    /// something other than bytes. Repeating would fail the same way: never retried.
    Unusable {
        /// What is wrong, for the error message.
        message: String,
        /// Whether the request may have reached the server all the same (a user's `fetch` may
        /// have sent it before giving something unusable).
        maybe_reached: bool,
    },
    /// The server answered with a redirect, which the client does not follow (credentials must
    /// never go to another origin).
    Redirect {
        /// The status (3xx, or 0 for an opaque redirect in browsers).
        status: u16,
    },
}

/// Sends one request. No `Send` bound, so that `fetch` futures (which hold JS values) qualify.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends `request` and reads at most `max_body_bytes` of body
    /// ([`TransportError::TooLarge`] beyond). Dropping the future must cancel the request.
    ///
    /// # Errors
    /// A [`TransportError`] when no complete HTTP answer was received.
    async fn send(
        &self,
        request: &HttpRequest,
        max_body_bytes: usize,
    ) -> Result<TransportResponse, TransportError>;
}

/// Clock, timers and randomness, so tests control time.
#[allow(async_fn_in_trait)]
pub trait Runtime {
    /// Milliseconds since the Unix epoch (may be virtual in tests).
    fn now_ms(&self) -> f64;
    /// Completes after `ms` milliseconds. Dropping the future must clear the timer.
    async fn sleep(&self, ms: u64);
    /// A number in `[0, 1)` (jitter).
    fn random(&self) -> f64;
}

impl<T: Transport + ?Sized> Transport for &T {
    async fn send(
        &self,
        request: &HttpRequest,
        max_body_bytes: usize,
    ) -> Result<TransportResponse, TransportError> {
        (**self).send(request, max_body_bytes).await
    }
}

impl<R: Runtime + ?Sized> Runtime for &R {
    fn now_ms(&self) -> f64 {
        (**self).now_ms()
    }
    async fn sleep(&self, ms: u64) {
        (**self).sleep(ms).await
    }
    fn random(&self) -> f64 {
        (**self).random()
    }
}

/// A cancellation flag shared between the caller and a call: [`Abort::abort`] wakes every
/// [`Abort::aborted`] future at once. Cloning shares the flag.
#[derive(Clone, Default)]
pub struct Abort {
    inner: Arc<Mutex<AbortInner>>,
}

#[derive(Default)]
struct AbortInner {
    aborted: bool,
    wakers: Vec<Waker>,
}

impl std::fmt::Debug for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Abort")
            .field("aborted", &self.is_aborted())
            .finish()
    }
}

impl Abort {
    /// A new, not yet aborted flag.
    pub fn new() -> Self {
        Self::default()
    }

    /// Aborts: every pending and future [`Abort::aborted`] completes.
    pub fn abort(&self) {
        let wakers = match self.inner.lock() {
            Ok(mut g) => {
                g.aborted = true;
                std::mem::take(&mut g.wakers)
            }
            Err(_) => return,
        };
        for w in wakers {
            w.wake();
        }
    }

    /// Whether [`Abort::abort`] was called.
    pub fn is_aborted(&self) -> bool {
        self.inner.lock().map(|g| g.aborted).unwrap_or(true)
    }

    /// Completes when aborted (at once if already aborted).
    pub fn aborted(&self) -> AbortedFuture {
        AbortedFuture {
            abort: self.clone(),
        }
    }
}

/// Future of [`Abort::aborted`].
#[derive(Debug)]
pub struct AbortedFuture {
    abort: Abort,
}

impl Future for AbortedFuture {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.abort.inner.lock() {
            Ok(mut g) => {
                if g.aborted {
                    return Poll::Ready(());
                }
                if !g.wakers.iter().any(|w| w.will_wake(cx.waker())) {
                    g.wakers.push(cx.waker().clone());
                }
                Poll::Pending
            }
            Err(_) => Poll::Ready(()),
        }
    }
}

/// Completes when `abort` is aborted, or never when there is none.
pub(crate) async fn aborted_opt(abort: Option<&Abort>) {
    match abort {
        Some(a) => a.aborted().await,
        None => std::future::pending::<()>().await,
    }
}

/// Outcome of [`race`].
pub(crate) enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Polls both futures, returns the first output (left first on a tie) and drops the other.
pub(crate) async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}

/// A small seedable generator (xorshift64*) for jitter where no platform randomness is wanted
/// (tests, native). Not for anything secret.
#[derive(Debug)]
pub struct SeededRandom {
    state: Mutex<u64>,
}

impl SeededRandom {
    /// A generator from a seed (0 is replaced by a fixed non-zero constant).
    pub fn new(seed: u64) -> Self {
        Self {
            state: Mutex::new(if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            }),
        }
    }

    /// A number in `[0, 1)`.
    pub fn next_f64(&self) -> f64 {
        let mut g = match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let mut x = *g;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *g = x;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_random_is_in_range_and_reproducible() {
        let a = SeededRandom::new(7);
        let b = SeededRandom::new(7);
        for _ in 0..1000 {
            let x = a.next_f64();
            assert!((0.0..1.0).contains(&x));
            assert_eq!(x.to_bits(), b.next_f64().to_bits());
        }
    }

    #[test]
    fn kept_headers_are_case_insensitive() {
        assert!(is_kept_header("Retry-After"));
        assert!(!is_kept_header("authorization"));
        let r = TransportResponse {
            status: 200,
            headers: vec![("retry-after".into(), "3".into())],
            body: vec![],
        };
        assert_eq!(r.header("Retry-After"), Some("3"));
    }

    #[test]
    fn abort_wakes_and_stays_aborted() {
        let a = Abort::new();
        assert!(!a.is_aborted());
        a.clone().abort();
        assert!(a.is_aborted());
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut f = a.aborted();
        assert!(Pin::new(&mut f).poll(&mut cx).is_ready());
    }
}
