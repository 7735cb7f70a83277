//! Request building without any network (after async-stripe): each operation's request struct
//! (in [`crate::endpoints`], the one place they are named) validates every input at once (body,
//! path parameters, options) in `build` and returns the exact [`HttpRequest`] to send: method,
//! URL, headers and JSON body. This module holds the public names of what every request shares
//! (the options, the built request, the base URL check); they are defined in `crate::http`,
//! below the endpoint table that uses them.

pub use crate::http::{base_url, HttpRequest, RequestOptions, DEFAULT_BASE_URL};

#[cfg(test)]
mod tests;
