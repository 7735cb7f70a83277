//! Bodies and IDs of the operations beyond the provisioning page: configuration properties (a
//! PostgreSQL parameter's name and value), the configuration ID `<clusterId>|<name>`, the default
//! user's password and a cluster's general settings.
//!
//! The client checks what it can know before sending: the name has the form of a PostgreSQL
//! parameter (whether the parameter exists and the value fits it is the server's to say: the
//! table depends on the server's version), the value is present, the password follows
//! Instaclustr's rules. A password is never repeated in a message.

use super::contact::{is_valid_email, is_valid_phone};
use super::json::{Out, Path, ROOT};
use super::uuid::is_valid_uuid;
use super::view::Json;
use super::{Violation, ViolationCode};

/// Longest parameter name: PostgreSQL's identifiers are at most 63 bytes.
pub const PARAMETER_NAME_MAX_LEN: usize = 63;
/// Shortest password Instaclustr accepts.
pub const PASSWORD_MIN_LEN: usize = 8;

const NAME_MESSAGE: &str = "must be a postgresql parameter name: letters, digits and underscores, not starting with a digit, at most 63 characters (an extension's parameter as class.name)";

/// Whether `s` has the form of a PostgreSQL parameter name (`work_mem`,
/// `pg_stat_statements.max`): 1 to 63 ASCII characters, parts of letters, digits and `_` (not
/// starting with a digit) separated by single dots. Written by hand (no regex in the wasm).
pub fn is_valid_parameter_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= PARAMETER_NAME_MAX_LEN
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && !b[0].is_ascii_digit()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        })
}

/// How many of upper case, lower case, digits and other characters `s` has. The letters are
/// ASCII's (`A`-`Z`, `a`-`z`, as the `[A-Z]`/`[a-z]` classes of the server's rule): any other
/// character, an accented letter included, counts as "other". Std's `char::is_uppercase` and
/// `is_lowercase` would bring their Unicode tables into the `.wasm` for this one check.
fn classes(s: &str) -> usize {
    let (mut upper, mut lower, mut digit, mut other) = (false, false, false, false);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            upper = true;
        } else if c.is_ascii_lowercase() {
            lower = true;
        } else if c.is_ascii_digit() {
            digit = true;
        } else {
            other = true;
        }
    }
    [upper, lower, digit, other].iter().filter(|x| **x).count()
}

/// Whether `s` follows Instaclustr's rules for the default user's password: at least 8
/// characters, from at least three of upper case, lower case, digits and other characters.
pub fn is_valid_password(s: &str) -> bool {
    password_violation(s, "").is_none()
}

/// The violation of a password at `path`, if any; the message never repeats the value.
fn password_violation(s: &str, path: &str) -> Option<Violation> {
    if s.chars().count() < PASSWORD_MIN_LEN {
        Some(Violation::new(
            path,
            ViolationCode::Length,
            "must be at least 8 characters",
        ))
    } else if classes(s) < 3 {
        Some(Violation::new(
            path,
            ViolationCode::Pattern,
            "must use at least three of: upper case letters, lower case letters, digits, other characters",
        ))
    } else {
        None
    }
}

fn check_cluster_id(id: &str, path: String, v: &mut Vec<Violation>) {
    if !is_valid_uuid(id) {
        v.push(Violation::new(
            path,
            ViolationCode::Format,
            "must be a cluster id: a uuid (8-4-4-4-12 hexadecimal digits)",
        ));
    }
}

fn check_name(name: &str, path: String, v: &mut Vec<Violation>) {
    if !is_valid_parameter_name(name) {
        v.push(Violation::new(path, ViolationCode::Pattern, NAME_MESSAGE));
    }
}

/// Checks a configuration ID given as its two parts; `path` names the ID (`configurationId`),
/// the violations are at `path.clusterId` and `path.name`.
pub fn configuration_parts(cluster_id: &str, name: &str, path: &str) -> Vec<Violation> {
    let mut v = Vec::new();
    check_cluster_id(cluster_id, super::json::key(path, "clusterId"), &mut v);
    check_name(name, super::json::key(path, "name"), &mut v);
    v
}

/// Splits a configuration ID `<clusterId>|<name>` (the first `|`), checking both parts; the
/// violations are at `path`.
pub fn configuration_id<'a>(id: &'a str, path: &str) -> (&'a str, &'a str, Vec<Violation>) {
    let mut v = Vec::new();
    match id.split_once('|') {
        Some((cluster, name)) => {
            check_cluster_id(cluster, path.to_owned(), &mut v);
            check_name(name, path.to_owned(), &mut v);
            (cluster, name, v)
        }
        None => {
            v.push(Violation::new(
                path,
                ViolationCode::Format,
                "must be a configuration id: <clusterId>|<name>, or { clusterId, name }",
            ));
            (id, "", v)
        }
    }
}

/// [`super::create_configuration`].
pub(super) fn create(body: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    let Some(o) = out.object(body, ROOT) else {
        return out.0;
    };
    if let Some(id) = out.string(o, ROOT, "clusterId", true) {
        check_cluster_id(id, "clusterId".into(), &mut out.0);
    }
    if let Some(name) = out.string(o, ROOT, "name", true) {
        check_name(name, "name".into(), &mut out.0);
    }
    out.string(o, ROOT, "value", true);
    out.0
}

/// [`super::update_configuration`].
pub(super) fn update(body: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    if let Some(o) = out.object(body, ROOT) {
        out.string(o, ROOT, "value", true);
    }
    out.0
}

/// [`super::default_user_password`].
pub(super) fn password(body: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    if let Some(o) = out.object(body, ROOT) {
        if let Some(p) = out.string(o, ROOT, "password", true) {
            out.0.extend(password_violation(p, "password"));
        }
    }
    out.0
}

/// [`super::cluster_settings`] (at least one of `description` and `twoFactorDelete`).
pub(super) fn settings(body: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    let Some(o) = out.object(body, ROOT) else {
        return out.0;
    };
    let description = out.string(o, ROOT, "description", false).is_some();
    let two_factor = out.field(o, ROOT, "twoFactorDelete", false);
    if let Some(t) = two_factor {
        let p: Path<'_> = ROOT.key("twoFactorDelete");
        if let Some(t) = out.object(t, &p) {
            if let Some(email) = out.string(t, &p, "confirmationEmail", true) {
                if !is_valid_email(email) {
                    out.push(
                        p.key("confirmationEmail"),
                        ViolationCode::Format,
                        "must be an e-mail address like name@example.com",
                    );
                }
            }
            if let Some(phone) = out.string(t, &p, "confirmationPhoneNumber", false) {
                if !is_valid_phone(phone) {
                    out.push(
                        p.key("confirmationPhoneNumber"),
                        ViolationCode::Format,
                        "must be a phone number: optional +, then 6 to 20 digits with optional spaces, dashes, dots or parentheses",
                    );
                }
            }
        }
    }
    if !description && two_factor.is_none() && out.0.is_empty() {
        out.push(
            "",
            ViolationCode::Required,
            "must set description or twoFactorDelete",
        );
    }
    out.0
}
