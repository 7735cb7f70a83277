//! Typed client for the Instaclustr PostgreSQL Provisioning V2 REST API.
//!
//! The core (models, validation, request building, response parsing, retry and waiter policies,
//! certificate reading, the client generic over a transport) is plain Rust: its dependency tree
//! holds no wasm crate (the `tsify` feature adds the TypeScript derives for the npm package's crate,
//! the workspace's root package `instaclustr-pg`, which holds the JavaScript surface and the fetch
//! transport).
#![deny(missing_docs)]

pub mod certificate;
pub mod civil;
pub mod client;
pub mod endpoints;
mod error;
mod http;
mod lexer;
pub mod model;
mod operation;
pub mod request;
pub mod response;
pub mod retry;
pub mod shape;
pub mod transport;
pub mod validate;
pub mod waiter;

pub use error::Error;
pub use operation::{Method, Operation, RetryClass, Spec};
