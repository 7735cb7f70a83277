//! The catalogue the emulator offers: PostgreSQL and PgBouncer versions, and node sizes per cloud
//! provider (all sizes, and the smaller list that can also run PgBouncer).

use serde_json::{json, Value};

/// PostgreSQL versions, in the order of the seed page's list.
pub const POSTGRESQL_VERSIONS: &[&str] = &["13.9.0", "13.10.0", "14.6.0", "14.7.0", "15.2.0"];

/// PgBouncer versions compatible with every PostgreSQL version above.
pub const PGBOUNCER_VERSIONS: &[&str] = &["1.19.0", "1.20.0"];

/// One provider's node sizes: `(provider, documentation URL, all sizes, sizes that run PgBouncer)`.
type ProviderSizes = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const AZURE_SIZES: &[&str] = &[
    "PGS-DEV-Standard_B2s-5",
    "PGS-DEV-Standard_B2ms-30",
    "PGS-PRD-Standard_E4s_v5-250",
    "PGS-PRD-Standard_E8s_v5-500",
];
const AZURE_PGB: &[&str] = &[
    "PGS-DEV-Standard_B2ms-30",
    "PGS-PRD-Standard_E4s_v5-250",
    "PGS-PRD-Standard_E8s_v5-500",
];

/// Node sizes per provider. `ONPREMISES` has none (the emulator cannot provision there).
pub const NODE_SIZES: &[ProviderSizes] = &[
    (
        "AWS_VPC",
        "https://aws.amazon.com/ec2/instance-types",
        &[
            "PGS-DEV-t4g.small-5",
            "PGS-DEV-t4g.medium-30",
            "PGS-PRD-m7g.large-250",
            "PGS-PRD-m7g.xlarge-500",
            "PGS-PRD-r7g.xlarge-1000",
        ],
        &[
            "PGS-DEV-t4g.medium-30",
            "PGS-PRD-m7g.large-250",
            "PGS-PRD-m7g.xlarge-500",
            "PGS-PRD-r7g.xlarge-1000",
        ],
    ),
    (
        "GCP",
        "https://cloud.google.com/compute/docs/machine-types",
        &[
            "PGS-DEV-e2-small-5",
            "PGS-DEV-e2-medium-30",
            "PGS-PRD-n2-standard-2-250",
            "PGS-PRD-n2-standard-4-500",
        ],
        &[
            "PGS-DEV-e2-medium-30",
            "PGS-PRD-n2-standard-2-250",
            "PGS-PRD-n2-standard-4-500",
        ],
    ),
    (
        "AZURE",
        "https://learn.microsoft.com/azure/virtual-machines/sizes",
        AZURE_SIZES,
        AZURE_PGB,
    ),
    (
        "AZURE_AZ",
        "https://learn.microsoft.com/azure/virtual-machines/sizes",
        AZURE_SIZES,
        AZURE_PGB,
    ),
];

/// Whether `size` is offered for `provider` (and runs PgBouncer too when `pgbouncer`).
pub fn node_size_allowed(provider: &str, size: &str, pgbouncer: bool) -> bool {
    NODE_SIZES.iter().any(|(p, _, all, pgb)| {
        *p == provider
            && if pgbouncer {
                pgb.contains(&size)
            } else {
                all.contains(&size)
            }
    })
}

/// The sizes of `provider` (for messages).
pub fn sizes_of(provider: &str, pgbouncer: bool) -> Vec<&'static str> {
    NODE_SIZES
        .iter()
        .filter(|(p, ..)| *p == provider)
        .flat_map(|(_, _, all, pgb)| if pgbouncer { pgb.iter() } else { all.iter() })
        .copied()
        .collect()
}

/// Body of `GET .../versions/v2/`.
pub fn versions() -> Value {
    json!([{ "applicationVersions": [
        { "application": "POSTGRESQL", "versions": POSTGRESQL_VERSIONS },
        { "application": "PGBOUNCER", "versions": PGBOUNCER_VERSIONS },
    ]}])
}

/// Body of `GET .../compatible-versions/v2/{version}`: PgBouncer for a known version, an empty
/// list of application versions for an unknown one.
pub fn compatible_versions(version: &str) -> Value {
    if POSTGRESQL_VERSIONS.contains(&version) {
        json!([{ "applicationVersions": [{ "application": "PGBOUNCER", "versions": PGBOUNCER_VERSIONS }] }])
    } else {
        json!([{ "applicationVersions": [] }])
    }
}

/// Body of `GET .../compatible-node-sizes/v2/`.
pub fn node_sizes(pgbouncer: bool) -> Value {
    let list: Vec<Value> = NODE_SIZES
        .iter()
        .map(|(p, doc, all, pgb)| {
            json!({ "cloudProvider": p, "nodeSizes": if pgbouncer { pgb } else { all }, "document": doc })
        })
        .collect();
    json!([{ "cloudProviderNodeSizes": list }])
}
