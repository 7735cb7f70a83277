//! Middleware layers (`axum::middleware::from_fn_with_state`). Around each operation, outermost
//! first: [`stats`] counts it, [`faults`] may replace or spoil its response, [`rate_limit`] may
//! refuse it, [`auth`] checks the Basic credentials; [`log`] wraps the whole service.

pub mod auth;
pub mod faults;
pub mod log;
pub mod rate_limit;
pub mod stats;
