//! Typed client for the Instaclustr PostgreSQL Provisioning V2 REST API.
//!
//! The core (models, validation, request building, response parsing) is plain Rust, free of
//! wasm types; the JavaScript surface lives in `wasm` and is compiled only for `wasm32`.
#![deny(missing_docs)]

pub mod certificate;
pub mod client;
pub mod error;
pub mod model;
pub mod operation;
pub mod request;
pub mod response;
pub mod retry;
pub mod transport;
pub mod validate;
pub mod waiter;
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use error::Error;
pub use operation::{Method, Operation};
