//! Cluster bodies: create (`PostgresqlClusterV2`) and update (`PostgresqlClusterUpdateV2`). Field
//! rules of every nested schema, then the cross-field rules:
//! - create: 1..2 data centres; update: exactly 1 (the seed page says "= 1 items");
//! - data centre names unique, networks not overlapping;
//! - create with two data centres: exactly one has `interDataCentreReplication[0].isPrimaryDataCentre`
//!   set to `true`; with one data centre it must be the primary, so the flag is `true` or absent
//!   (`false` is a `conflict`). An update carries one data centre of a possibly larger cluster,
//!   so there the flag is not checked (changing it is caught by
//!   [`diff_cluster_update`](super::diff_cluster_update));
//! - provider settings only with their cloud provider (`awsSettings` with `AWS_VPC`, `gcpSettings`
//!   with `GCP`, `azureSettings` with `AZURE`/`AZURE_AZ`); an empty list is accepted anywhere;
//! - `slaTier: PRODUCTION` with a developer node size (containing `-DEV-`, any case) is a `conflict`
//!   reported at the data centre's `nodeSize` (the value to change in most cases).
//!
//! Read-only fields (`id`, `status`, `nodes`, `deletedNodes`, `defaultUserPassword`,
//! `currentClusterOperationStatus`, `pciComplianceMode`) and unknown fields are ignored.

use super::view::{Json, Obj};

use super::contact::{is_valid_email, is_valid_phone};
use super::json::{Out, Path, ROOT};
use super::name::check_name;
use super::network::{check_dc_network, networks_overlap, Ipv4Cidr};
use super::uuid::is_valid_uuid;
use super::version::is_valid_version;
use super::{Violation, ViolationCode};
use crate::model::{CloudProvider, PoolMode, ReplicationMode, SlaTier};

/// Most nodes in a data centre.
pub const MAX_NODES: i64 = 5;
/// Most data centres in a cluster.
pub const MAX_DATA_CENTRES: usize = 2;

/// Provider settings lists and the cloud providers each is allowed with.
const PROVIDER_SETTINGS: [(&str, &[&str]); 3] = [
    ("awsSettings", &["AWS_VPC"]),
    ("gcpSettings", &["GCP"]),
    ("azureSettings", &["AZURE", "AZURE_AZ"]),
];

/// What the cross-field rules need to know about one data centre.
#[derive(Default)]
struct DcFacts<'a> {
    /// Its index in `dataCentres`.
    index: usize,
    is_object: bool,
    name: Option<&'a str>,
    network: Option<Ipv4Cidr>,
    node_size: Option<&'a str>,
    primary: Option<bool>,
}

/// Whether a node size is a developer size (`PGS-DEV-t4g.small-5`).
pub fn is_developer_node_size(node_size: &str) -> bool {
    // a byte window rather than `str::contains`, whose two-way searcher (also the only other
    // use, `scrub`, is written this way) was 0.8 KB of the gzip'd `.wasm` (bench/FINDINGS.md)
    node_size
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"-DEV-"))
}

pub(crate) fn create(body: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    let Some(obj) = out.object(body, ROOT) else {
        return out.0;
    };
    if let Some(name) = out.string(obj, ROOT, "name", true) {
        check_name(name, "name", &mut out);
    }
    if let Some(v) = out.string(obj, ROOT, "postgresqlVersion", true) {
        check_version(v, &ROOT.key("postgresqlVersion"), &mut out);
    }
    out.boolean(obj, ROOT, "privateNetworkCluster", true);
    out.boolean(obj, ROOT, "synchronousModeStrict", true);
    let sla = out.enumeration(obj, ROOT, "slaTier", true, SlaTier::KNOWN);
    out.string(obj, ROOT, "description", false);
    cluster_settings(obj, &mut out);
    let dcs = data_centres(obj, 1, MAX_DATA_CENTRES, &mut out);
    unique_names_and_networks(&dcs, &mut out);
    primary_rule(&dcs, &mut out);
    if sla == Some("PRODUCTION") {
        for dc in &dcs {
            if dc.node_size.is_some_and(is_developer_node_size) {
                out.push(
                    dc_key(dc.index, "nodeSize"),
                    ViolationCode::Conflict,
                    "developer node sizes (-DEV-) are not available with slaTier PRODUCTION; use NON_PRODUCTION or a production node size",
                );
            }
        }
    }
    out.0
}

pub(crate) fn update(body: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    let Some(obj) = out.object(body, ROOT) else {
        return out.0;
    };
    out.string(obj, ROOT, "description", false);
    cluster_settings(obj, &mut out);
    let dcs = data_centres(obj, 1, 1, &mut out);
    unique_names_and_networks(&dcs, &mut out);
    out.0
}

/// The path of key `k` of data centre `i`, as text.
fn dc_key(i: usize, k: &str) -> String {
    ROOT.key("dataCentres").index(i).key(k).into()
}

fn check_version(v: &str, path: &Path<'_>, out: &mut Out) {
    if !is_valid_version(v) {
        out.push(
            path,
            ViolationCode::Pattern,
            "must be a version like 15.4.0 (digits.digits.digits)",
        );
    }
}

/// `twoFactorDelete` and `resizeSettings`, shared by create and update.
fn cluster_settings(obj: &Obj<'_>, out: &mut Out) {
    if let Some(items) = out.array(obj, ROOT, "twoFactorDelete", false, 0, 1) {
        for (i, item) in items.iter().enumerate() {
            let list = ROOT.key("twoFactorDelete");
            let p = list.index(i);
            let Some(o) = out.object(item, &p) else {
                continue;
            };
            if let Some(email) = out.string(o, &p, "confirmationEmail", true) {
                if !is_valid_email(email) {
                    out.push(
                        p.key("confirmationEmail"),
                        ViolationCode::Format,
                        "must be an e-mail address like name@example.com",
                    );
                }
            }
            if let Some(phone) = out.string(o, &p, "confirmationPhoneNumber", false) {
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
    if let Some(items) = out.array(obj, ROOT, "resizeSettings", false, 0, 1) {
        for (i, item) in items.iter().enumerate() {
            let list = ROOT.key("resizeSettings");
            let p = list.index(i);
            let Some(o) = out.object(item, &p) else {
                continue;
            };
            out.boolean(o, &p, "notifySupportContacts", false);
            out.integer(o, &p, "concurrency", false, 1, i64::MAX);
        }
    }
}

fn data_centres<'a>(obj: &'a Obj<'_>, min: usize, max: usize, out: &mut Out) -> Vec<DcFacts<'a>> {
    let Some(items) = out.array(obj, ROOT, "dataCentres", true, min, max) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| data_centre(item, i, out))
        .collect()
}

fn data_centre<'a>(v: &'a Json<'_>, i: usize, out: &mut Out) -> DcFacts<'a> {
    let mut facts = DcFacts {
        index: i,
        ..DcFacts::default()
    };
    let list = ROOT.key("dataCentres");
    let path = list.index(i);
    let p = &path;
    let Some(dc) = out.object(v, p) else {
        return facts;
    };
    facts.is_object = true;
    facts.name = out.non_empty_string(dc, p, "name", true);
    let cloud = out.enumeration(dc, p, "cloudProvider", true, CloudProvider::KNOWN);
    out.non_empty_string(dc, p, "region", true);
    if let Some(net) = out.string(dc, p, "network", true) {
        facts.network = check_dc_network(net, &p.key("network"), out);
    }
    facts.node_size = out.non_empty_string(dc, p, "nodeSize", true);
    out.integer(dc, p, "numberOfNodes", true, 1, MAX_NODES);
    out.boolean(dc, p, "clientToClusterEncryption", true);
    let list = p.key("intraDataCentreReplication");
    if let Some(items) = out.array(dc, p, "intraDataCentreReplication", true, 1, 1) {
        for (i, item) in items.iter().enumerate() {
            let ip = list.index(i);
            if let Some(o) = out.object(item, &ip) {
                out.enumeration(o, &ip, "replicationMode", true, ReplicationMode::KNOWN);
            }
        }
    }
    let list = p.key("interDataCentreReplication");
    if let Some(items) = out.array(dc, p, "interDataCentreReplication", false, 0, 1) {
        for (i, item) in items.iter().enumerate() {
            let ip = list.index(i);
            if let Some(o) = out.object(item, &ip) {
                let b = out.boolean(o, &ip, "isPrimaryDataCentre", true);
                if i == 0 {
                    facts.primary = b;
                }
            }
        }
    }
    let list = p.key("pgBouncer");
    if let Some(items) = out.array(dc, p, "pgBouncer", false, 0, 1) {
        for (i, item) in items.iter().enumerate() {
            let ip = list.index(i);
            let Some(o) = out.object(item, &ip) else {
                continue;
            };
            if let Some(v) = out.string(o, &ip, "pgBouncerVersion", true) {
                check_version(v, &ip.key("pgBouncerVersion"), out);
            }
            out.enumeration(o, &ip, "poolMode", true, PoolMode::KNOWN);
        }
    }
    for (field, allowed) in PROVIDER_SETTINGS {
        let Some(items) = out.array(dc, p, field, false, 0, 1) else {
            continue;
        };
        let fp = p.key(field);
        if let Some(c) = cloud {
            if !items.is_empty() && !allowed.contains(&c) {
                out.push(
                    fp,
                    ViolationCode::Conflict,
                    format!(
                        "is only allowed with cloudProvider {}, not {c}",
                        allowed.join(" or ")
                    ),
                );
            }
        }
        for (i, item) in items.iter().enumerate() {
            let ip = fp.index(i);
            let Some(o) = out.object(item, &ip) else {
                continue;
            };
            match field {
                "awsSettings" => {
                    if let Some(k) = out.string(o, &ip, "ebsEncryptionKey", false) {
                        if !is_valid_uuid(k) {
                            out.push(
                                ip.key("ebsEncryptionKey"),
                                ViolationCode::Format,
                                "must be a uuid (8-4-4-4-12 hexadecimal digits)",
                            );
                        }
                    }
                    out.string(o, &ip, "customVirtualNetworkId", false);
                }
                "gcpSettings" => {
                    out.string(o, &ip, "customVirtualNetworkId", false);
                }
                _ => {
                    out.string(o, &ip, "resourceGroup", false);
                }
            }
        }
    }
    let list = p.key("tags");
    if let Some(items) = out.array(dc, p, "tags", false, 0, usize::MAX) {
        let mut seen: Vec<&str> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = list.index(i);
            let Some(o) = out.object(item, &ip) else {
                continue;
            };
            if let Some(k) = out.non_empty_string(o, &ip, "key", true) {
                if seen.contains(&k) {
                    out.push(
                        ip.key("key"),
                        ViolationCode::Conflict,
                        "must be unique among the tags of the data centre",
                    );
                }
                seen.push(k);
            }
            out.string(o, &ip, "value", true);
        }
    }
    out.string(dc, p, "providerAccountName", false);
    facts
}

fn unique_names_and_networks(dcs: &[DcFacts<'_>], out: &mut Out) {
    for (j, b) in dcs.iter().enumerate() {
        for (i, a) in dcs.iter().enumerate().take(j) {
            if let (Some(x), Some(y)) = (a.name, b.name) {
                if x == y {
                    out.push(
                        dc_key(b.index, "name"),
                        ViolationCode::Conflict,
                        format!(
                            "must be unique in the cluster; dataCentres[{i}] has the same name"
                        ),
                    );
                }
            }
            if let (Some(x), Some(y)) = (a.network, b.network) {
                if networks_overlap(&x, &y) {
                    out.push(
                        dc_key(b.index, "network"),
                        ViolationCode::Conflict,
                        format!("must not overlap the network of dataCentres[{i}] ({x})"),
                    );
                }
            }
        }
    }
}

fn primary_rule(dcs: &[DcFacts<'_>], out: &mut Out) {
    const FLAG: &str = "interDataCentreReplication[0].isPrimaryDataCentre";
    if !dcs.iter().all(|d| d.is_object) {
        return;
    }
    match dcs {
        [only] if only.primary == Some(false) => {
            out.push(
                dc_key(only.index, FLAG),
                ViolationCode::Conflict,
                "the only data centre is the primary: set true or leave interDataCentreReplication out",
            );
        }
        [_, _] => {
            let primaries: Vec<&DcFacts<'_>> =
                dcs.iter().filter(|d| d.primary == Some(true)).collect();
            match primaries.as_slice() {
                [] => out.push(
                    "dataCentres",
                    ViolationCode::Conflict,
                    format!("exactly one data centre must set {FLAG} to true; none does"),
                ),
                [_] => {}
                [_, rest @ ..] => {
                    for d in rest {
                        out.push(
                            dc_key(d.index, FLAG),
                            ViolationCode::Conflict,
                            "exactly one data centre may be the primary; an earlier one already is",
                        );
                    }
                }
            }
        }
        _ => {}
    }
}
