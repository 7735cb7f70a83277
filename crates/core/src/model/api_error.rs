//! Error bodies of the API (`ErrorListResponseV2`, `ErrorResponseV2`).

use serde::{Deserialize, Serialize};

/// The body of an error response: a list of errors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ErrorListResponse {
    /// The errors.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub errors: Vec<ErrorResponse>,
}

/// One error reported by the API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// The field or topic of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub name: Option<String>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub message: Option<String>,
}

impl ErrorResponse {
    /// An error with a name and a message.
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            message: Some(message.into()),
        }
    }
}
