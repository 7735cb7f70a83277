//! One error type for every failure, by where the call failed (validation, the API, the network,
//! the body). Messages never contain the API key or `defaultUserPassword`.

use crate::model::ErrorResponse;
use crate::validate::Violation;

/// Everything that can go wrong with a call. `#[non_exhaustive]`: match with a wildcard arm.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was invalid; nothing was sent.
    #[error("invalid input: {}", join_violations(.violations))]
    Validation {
        /// Every problem found.
        violations: Vec<Violation>,
    },
    /// The server answered with a non-2xx status.
    #[error("the api answered {status}{}", api_detail(.errors, .raw))]
    Api {
        /// HTTP status.
        status: u16,
        /// The errors of the `ErrorListResponseV2` body (empty if the body had none).
        errors: Vec<ErrorResponse>,
        /// The body as text when it was not an error list (truncated), for diagnosis.
        raw: Option<String>,
    },
    /// A 2xx body that is not what the API document describes.
    #[error("could not decode the response: {message}")]
    Decode {
        /// What was wrong.
        message: String,
    },
    /// The request failed on the network. Whether it may have reached the server (so that a
    /// non-idempotent call may have taken effect) is the call's
    /// [`CallError::outcome_unknown`](crate::client::CallError::outcome_unknown).
    #[error("network error: {message}")]
    Network {
        /// What failed.
        message: String,
    },
    /// No answer within the time allowed (whether the request may have taken effect: as for
    /// [`Error::Network`]).
    #[error("timed out after {elapsed_ms} ms")]
    Timeout {
        /// Time waited.
        elapsed_ms: u64,
    },
    /// Cancelled by the caller.
    #[error("aborted by the caller")]
    Aborted,
    /// A waiter saw a terminal state or ran out of time.
    #[error("wait failed: {message}")]
    Waiter {
        /// What the waiter saw.
        message: String,
        /// Last status observed, if any.
        last_status: Option<String>,
    },
}

impl Error {
    /// Stable machine-readable code, also the `code` property of the JS error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "VALIDATION_ERROR",
            Error::Api { .. } => "API_ERROR",
            Error::Decode { .. } => "DECODE_ERROR",
            Error::Network { .. } => "NETWORK_ERROR",
            Error::Timeout { .. } => "TIMEOUT_ERROR",
            Error::Aborted => "ABORT_ERROR",
            Error::Waiter { .. } => "WAITER_ERROR",
        }
    }

    /// A validation error, or `Ok(())` when there are no violations.
    ///
    /// # Errors
    /// [`Error::Validation`] carrying `violations` when it is not empty.
    pub fn check(violations: Vec<Violation>) -> Result<(), Error> {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation { violations })
        }
    }
}

fn join_violations(v: &[Violation]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn api_detail(errors: &[ErrorResponse], raw: &Option<String>) -> String {
    if !errors.is_empty() {
        let parts: Vec<String> = errors
            .iter()
            .map(|e| match (&e.name, &e.message) {
                (Some(n), Some(m)) => format!("{n}: {m}"),
                (None, Some(m)) => m.clone(),
                (Some(n), None) => n.clone(),
                (None, None) => "unspecified error".to_owned(),
            })
            .collect();
        format!(": {}", parts.join("; "))
    } else if let Some(r) = raw {
        format!(": {r}")
    } else {
        String::new()
    }
}
