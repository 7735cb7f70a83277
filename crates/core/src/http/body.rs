//! Request bodies: the validated input re-serialized with the read-only fields dropped (`id`,
//! `status`, `nodes`, `deletedNodes`, `defaultUserPassword`, `currentClusterOperationStatus`,
//! `pciComplianceMode`, `restoredClusterId`) and object keys sorted, so the same input always
//! gives the same bytes. Unknown fields are kept: a field added by the server can be sent by a
//! client that does not know it yet.
//!
//! The text is written straight from the [`Json`] view the validators read (no sorted copy of
//! the body is built first).

use crate::validate::{Canonical, Json, ReadOnly};

/// Fields the server sets; dropped from request bodies.
const READ_ONLY_CLUSTER: &[&str] = &[
    "id",
    "status",
    "currentClusterOperationStatus",
    "defaultUserPassword",
    "pciComplianceMode",
];
const READ_ONLY_DATA_CENTRE: &[&str] = &["id", "status", "nodes", "deletedNodes"];
const READ_ONLY_RESTORE: &[&str] = &["restoredClusterId"];

fn text(c: &Canonical<'_, '_>) -> String {
    c.to_text()
}

/// A cluster or update body as sent: keys sorted, the read-only fields dropped (top level and
/// each data centre).
pub(crate) fn cluster_body(body: &Json<'_>) -> String {
    text(&Canonical {
        value: body,
        drop: ReadOnly::Cluster {
            top: READ_ONLY_CLUSTER,
            data_centre: READ_ONLY_DATA_CENTRE,
        },
        replace: None,
    })
}

/// A restore body as sent: keys sorted, `restoredClusterId` dropped, `pointInTime` (when given)
/// replaced by `point_in_time`.
pub(crate) fn restore_body(body: &Json<'_>, point_in_time: Option<&str>) -> String {
    text(&Canonical {
        value: body,
        drop: ReadOnly::Keys(READ_ONLY_RESTORE),
        replace: point_in_time.map(|p| ("pointInTime", p)),
    })
}

/// A small body as sent (configuration, password, settings): keys sorted, the keys of `drop`
/// left out at the top level.
pub(crate) fn plain_body(body: &Json<'_>, drop: &'static [&'static str]) -> String {
    text(&Canonical {
        value: body,
        drop: ReadOnly::Keys(drop),
        replace: None,
    })
}

/// `s` as a JSON string literal (quotes included), as `serde_json::to_string` writes it.
pub(crate) fn json_string(s: &str) -> String {
    text(&Canonical {
        value: &Json::String(s),
        drop: ReadOnly::None,
        replace: None,
    })
}
