//! Lenient deserialization helpers for places where the API document itself is loose.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (an empty list), as the server sends `null` for empty lists.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
