//! Pure validators. Each works on untyped JSON so that a wrong type is reported as a violation
//! like any other, and each returns *every* violation, not the first. The JSON is anything
//! [`AsJson`]: a [`Json`] view (what the package validates, read from the text into an arena) or
//! a `serde_json::Value` (native callers), read as a view too. The configuration, password and
//! settings checks (`*_json`) take a view only.
//!
//! Entry points (stable contract used by requests, the emulator and the JS surface):
//! - [`create_cluster`], [`update_cluster`], [`restore_cluster`]: request bodies;
//! - [`cluster_id`]: a cluster ID in a path (UUID);
//! - [`point_in_time`]: the point-in-time parser, and [`format_iso_millis`] to send it;
//! - [`diff_cluster_update`]: fields an update may not change;
//! - [`configuration_id`], [`create_configuration`], [`update_configuration`],
//!   [`default_user_password`], [`cluster_settings`]: the configuration, password and settings
//!   operations.
//!
//! Reusable field checks: [`is_valid_name`], [`is_valid_version`], [`is_valid_uuid`],
//! [`parse_cidr`], [`networks_overlap`], [`is_valid_email`], [`is_valid_phone`],
//! [`is_developer_node_size`].
//!
//! Paths are JSON-style (`dataCentres[1].numberOfNodes`, `""` for the whole body); `null` counts
//! as missing; read-only and unknown fields are ignored; enumerations accept only the values this
//! client knows (`KNOWN` on the model enums), although responses keep unknown ones.

mod cluster;
mod configuration;
mod contact;
mod json;
mod name;
mod network;
mod point_in_time;
mod restore;
mod text;
mod update_diff;
mod uuid;
mod version;
mod view;
mod violation;

#[cfg(test)]
mod tests;

pub use cluster::{is_developer_node_size, MAX_DATA_CENTRES, MAX_NODES};
pub use configuration::{
    configuration_id, configuration_parts, is_valid_parameter_name, is_valid_password,
    PARAMETER_NAME_MAX_LEN, PASSWORD_MIN_LEN,
};
pub use contact::{
    is_valid_email, is_valid_phone, EMAIL_MAX_LEN, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS,
};
pub use name::{is_valid_name, matches_name_pattern, NAME_MAX_LEN, NAME_MIN_LEN};
pub use network::{
    networks_overlap, parse_cidr, CidrError, Ipv4Cidr, MAX_PREFIX, MIN_PREFIX, PRIVATE_BLOCKS,
};
pub use point_in_time::{format_iso_millis, point_in_time, CLOCK_SKEW_MS, SECONDS_SUSPECT_BELOW};
pub use text::NotJson;
pub use update_diff::diff_cluster_update;
pub use uuid::is_valid_uuid;
pub use version::is_valid_version;
pub use view::{AsJson, Bump, Json, Obj};
pub(crate) use view::{Canonical, ReadOnly};
pub use violation::{Violation, ViolationCode};

/// Validates a create-cluster body (`PostgresqlClusterV2`), field rules and cross-field rules
/// (see the `cluster` module notes: 1..2 data centres, unique names, non-overlapping private
/// networks, one primary, provider settings matching the cloud provider, no developer node
/// sizes with `PRODUCTION`).
pub fn create_cluster(body: &impl AsJson) -> Vec<Violation> {
    body.with_json(cluster::create)
}

/// Validates an update body (`PostgresqlClusterUpdateV2`): exactly one data centre, each field
/// with the rules of a create; the primary-data-centre rule is not applied (the body describes
/// one data centre of a cluster that may have two).
pub fn update_cluster(body: &impl AsJson) -> Vec<Violation> {
    body.with_json(cluster::update)
}

/// Validates a restore body (`ClusterRestoreV2`); `now_ms` is the current time, for `pointInTime`.
pub fn restore_cluster(body: &impl AsJson, now_ms: f64) -> Vec<Violation> {
    body.with_json(|body| restore::restore(body, now_ms))
}

/// Validates a new configuration property (`PostgresqlConfigurationPropertyV2`): `clusterId` (a
/// UUID), `name` (a parameter name) and `value` (a string), all required.
pub fn create_configuration(body: &impl AsJson) -> Vec<Violation> {
    body.with_json(configuration::create)
}

/// Validates a configuration update (`PostgresqlConfigurationPropertyUpdateV2`): `value`, a
/// string, required.
pub fn update_configuration(body: &impl AsJson) -> Vec<Violation> {
    body.with_json(configuration::update)
}

/// Validates the default user's password update (`PostgresqlUserSummary`): `password`, required,
/// by Instaclustr's rules ([`is_valid_password`]).
pub fn default_user_password(body: &impl AsJson) -> Vec<Violation> {
    body.with_json(configuration::password)
}

/// Validates a cluster's settings update (`ClusterSettingsUpdateV2`): `description` and
/// `twoFactorDelete`, at least one of the two.
pub fn cluster_settings(body: &impl AsJson) -> Vec<Violation> {
    body.with_json(configuration::settings)
}

/// Validates a cluster ID given as a path parameter (a UUID, any case); `path` names it in
/// violations. Anything else, the empty string included, is one `format` violation.
pub fn cluster_id(id: &str, path: &str) -> Vec<Violation> {
    if is_valid_uuid(id) {
        Vec::new()
    } else {
        vec![Violation::new(
            path,
            ViolationCode::Format,
            "must be a cluster id: a uuid (8-4-4-4-12 hexadecimal digits)",
        )]
    }
}
