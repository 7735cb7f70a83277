//! What an exchange gives the host: [`Begin`] (done, or wait first), the [`Outcome`] and what
//! to do with its reply ([`After`]).

use crate::reply::Reply;

/// The first step's result.
#[derive(Clone, Debug, PartialEq)]
pub enum Begin {
    /// The exchange is done.
    Done(Outcome),
    /// A stall fault: wait `ms` milliseconds, then call [`crate::Emulator::run`] with the same
    /// request. `fault` is the fault's label, which the outcome of `run` carries too.
    Stall {
        /// How long to wait.
        ms: u64,
        /// The injected fault's label (for the log).
        fault: String,
    },
}

/// What the host does with the reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    /// Send it.
    Send,
    /// Close the connection without answering.
    Drop,
    /// Send the head at once, then the body in about 10 pieces over `ms` milliseconds.
    SlowBody {
        /// Over how long.
        ms: u64,
    },
}

/// The end of an exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The answer.
    pub reply: Reply,
    /// What the host does with it.
    pub after: After,
    /// The injected fault's label, for the log.
    pub fault: Option<String>,
    /// `false`: no API route; the host may serve its static folder instead for GET and HEAD
    /// (and answer this reply when it has no such file).
    pub routed: bool,
    /// The clusters changed: a host with a state file saves the snapshot.
    pub changed: bool,
}
