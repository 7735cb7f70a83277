//! A failed call: the error with the operation, attempts, time and outcome.

use super::*;

/// A failed call: the [`Error`] with where and how it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct CallError {
    /// What went wrong.
    pub error: Error,
    /// Operation or waiter name (`createCluster`, `waitForCluster`).
    pub operation: &'static str,
    /// Attempts made (0 when nothing was sent).
    pub attempts: u32,
    /// Milliseconds from the start of the call to the failure.
    pub elapsed_ms: u64,
    /// Whether a non-idempotent request may have taken effect (a POST after a timeout, a reset
    /// connection or a 5xx). Never true when nothing can have happened.
    pub outcome_unknown: bool,
    /// What to do next, for an unknown outcome (how to find a cluster that may exist).
    pub hint: Option<String>,
    /// Kept response headers of the last answer (`retry-after`, request IDs).
    pub headers: Vec<(String, String)>,
}

impl CallError {
    /// The stable code of the error (`API_ERROR`, ...).
    pub fn code(&self) -> &'static str {
        self.error.code()
    }

    /// `error` of `operation` with nothing sent (no attempt, no time, no headers).
    pub fn bare(error: Error, operation: &'static str) -> Self {
        Self {
            error,
            operation,
            attempts: 0,
            elapsed_ms: 0,
            outcome_unknown: false,
            hint: None,
            headers: Vec::new(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.operation, self.error)?;
        if self.outcome_unknown {
            f.write_str(" (the request may have reached the server: its outcome is unknown)")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Self {
        e.error
    }
}

/// Result of a client call.
pub type CallResult<T> = Result<T, CallError>;
