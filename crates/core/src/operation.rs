//! The HTTP [`Method`] of an operation and what every [`Operation`] answers from its entry in
//! the endpoint table ([`crate::endpoints`], where the operations are listed).

pub use crate::endpoints::Operation;
use crate::endpoints::RetryClass;

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl Operation {
    /// camelCase name, as the JS method (`createCluster`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// HTTP method.
    pub fn method(self) -> Method {
        self.spec().method
    }

    /// Whether repeating the request is harmless (GET, PUT, DELETE). The POSTs have no
    /// idempotency key in this API: repeating one after it may have reached the server could
    /// create a second cluster, backup or restore.
    pub fn is_idempotent(self) -> bool {
        self.spec().retry == RetryClass::Idempotent
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
