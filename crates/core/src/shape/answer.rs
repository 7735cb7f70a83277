//! A whole answer checked against the shape of an endpoint's output, as the typed parsers of
//! `response` read it: a non-2xx status is the API's error, an optional output (update
//! cluster) is absent for an empty 2xx body, anything else must be a JSON body of the shape.

use super::{check_with_fixes, Fixup, Shape};
use crate::error::Error;
use crate::response::parse_api_error;

/// The fixes of a good answer (see [`check_with_fixes`]), `None` for the absent output of an
/// optional shape (an empty 2xx body).
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a body the typed parser refuses.
pub fn check_answer(
    shape: &'static Shape,
    status: u16,
    body: &[u8],
) -> Result<Option<Vec<Fixup>>, Error> {
    if !(200..300).contains(&status) {
        return Err(parse_api_error(status, body));
    }
    match shape {
        Shape::Option(inner) => {
            if body.iter().all(u8::is_ascii_whitespace) {
                Ok(None)
            } else {
                check_with_fixes(inner, body).map(Some)
            }
        }
        shape => check_with_fixes(shape, body).map(Some),
    }
}
