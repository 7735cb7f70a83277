//! Typed client for the Instaclustr PostgreSQL Provisioning V2 REST API.
//!
//! The core (models, validation, request building, response parsing) is plain Rust, free of
//! wasm types; the JavaScript surface lives in `wasm` and is compiled only for `wasm32`.
#![deny(missing_docs)]

pub mod model;
pub mod validate;
pub mod error;
pub mod operation;
pub mod request;
pub mod response;
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;
pub mod transport;
pub mod retry;
pub mod client;
pub mod waiter;
pub mod certificate;

pub use error::Error;
pub use operation::{Method, Operation};
