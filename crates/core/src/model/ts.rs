//! The TypeScript declarations of the models whose input and output differ, or whose output says
//! more than a tsify derive can; the npm package's crate puts them in its `.d.ts`. The other
//! models are declared by their tsify derives.
//!
//! Written by hand because one model serves both as the body sent and as the value returned, and
//! tsify makes every field with a serde `default` or `skip_serializing_if` optional: it cannot
//! say that a list the response check fills with `[]` is always there, that the API always
//! returns a cluster's `id`, or that an input's enumeration is closed (a typo does not compile)
//! while an answer's stays open (a value this version does not know is kept). So each such model
//! has an output declaration (its name: what the client returns) and, where it is also sent, an
//! input one (`…Input`). The tests below hold every declaration to its model's shape: the same
//! fields (the read-only ones only in the output), required where the check guarantees the field.

/// The create body, the cluster returned and their data centres.
pub const TS_CLUSTER: &str = r#"
/**
 * The body of `createCluster` and `buildCreateClusterRequest` (`PostgresqlClusterV2` as sent): the
 * enumerations closed to the values the API document lists, the read-only fields left out.
 */
export interface PostgresqlClusterInput {
    /** Cluster name: 3..48 characters, `[a-zA-Z0-9][a-zA-Z0-9_-]*`. */
    name: string;
    /** PostgreSQL version, `x.y.z`. */
    postgresqlVersion: string;
    /** One or two data centres. */
    dataCentres: PostgresqlDataCentreInput[];
    /** Private network only. */
    privateNetworkCluster: boolean;
    /** SLA tier. */
    slaTier: SlaTier;
    /** Strict synchronous replication mode. */
    synchronousModeStrict: boolean;
    /** Two-factor delete settings (at most one). */
    twoFactorDelete?: TwoFactorDeleteSettings[] | undefined;
    /** Resize settings (at most one). */
    resizeSettings?: ResizeSettings[] | undefined;
    /** Free-text description of the cluster. */
    description?: string | undefined;
}

/**
 * A PostgreSQL cluster as the API returns it (`getCluster`, `createCluster`, `updateCluster`,
 * `waitForCluster`): what it always returns is required, the enumerations are open (a value this
 * version does not know is kept as sent), and fields it adds that this version does not list are
 * kept in the value as well.
 */
export interface PostgresqlCluster {
    /** Cluster ID. */
    id: string;
    /** Cluster name. */
    name: string;
    /** PostgreSQL version, `x.y.z`. */
    postgresqlVersion: string;
    /** The data centres. */
    dataCentres: PostgresqlDataCentre[];
    /** Private network only. */
    privateNetworkCluster: boolean;
    /** SLA tier. */
    slaTier: SlaTier | (string & {});
    /** Strict synchronous replication mode. */
    synchronousModeStrict: boolean;
    /** Two-factor delete settings. */
    twoFactorDelete?: TwoFactorDeleteSettings[];
    /** Resize settings (write-only: the API does not return them). */
    resizeSettings?: ResizeSettings[];
    /** Cluster status. */
    status: ClusterStatus;
    /** Whether an operation is in progress. */
    currentClusterOperationStatus?: OperationStatus;
    /** Password of the default `icpostgresql` user (secret). */
    defaultUserPassword?: string;
    /** PCI compliance mode. */
    pciComplianceMode?: boolean;
    /** Free-text description of the cluster. */
    description?: string;
}

/** A data centre of a cluster to create (`PostgresqlDataCentreV2` as sent). */
export interface PostgresqlDataCentreInput {
    /** Data centre name, unique in the cluster. */
    name: string;
    /** Cloud provider. */
    cloudProvider: CloudProvider;
    /** Provider region, e.g. `US_EAST_1`. */
    region: string;
    /** Private IPv4 network in CIDR notation, prefix /12 to /22. */
    network: string;
    /** Node size, e.g. `PGS-DEV-t4g.small-5`. */
    nodeSize: string;
    /** Number of nodes, 1..5. */
    numberOfNodes: number;
    /** Client-to-cluster encryption. */
    clientToClusterEncryption: boolean;
    /** Replication inside the data centre (exactly one item). */
    intraDataCentreReplication: IntraDataCentreReplicationInput[];
    /** Replication between data centres (at most one item). */
    interDataCentreReplication?: InterDataCentreReplication[] | undefined;
    /** PgBouncer add-on (at most one item). */
    pgBouncer?: PgBouncerDetailsInput[] | undefined;
    /** AWS settings (at most one item, only with `AWS_VPC`). */
    awsSettings?: ProviderAwsSettings[] | undefined;
    /** GCP settings (at most one item, only with `GCP`). */
    gcpSettings?: ProviderGcpSettings[] | undefined;
    /** Azure settings (at most one item, only with `AZURE`/`AZURE_AZ`). */
    azureSettings?: ProviderAzureSettings[] | undefined;
    /** Provider tags. */
    tags?: ProviderTag[] | undefined;
    /** Provider account to run in. */
    providerAccountName?: string | undefined;
}

/** A data centre of a cluster as the API returns it (`PostgresqlDataCentreV2`). */
export interface PostgresqlDataCentre {
    /** Data centre ID. */
    id: string;
    /** Data centre name, unique in the cluster. */
    name: string;
    /** Cloud provider. */
    cloudProvider: CloudProvider | (string & {});
    /** Provider region, e.g. `US_EAST_1`. */
    region: string;
    /** Private IPv4 network in CIDR notation. */
    network: string;
    /** Node size, e.g. `PGS-DEV-t4g.small-5`. */
    nodeSize: string;
    /** Number of nodes. */
    numberOfNodes: number;
    /** Client-to-cluster encryption. */
    clientToClusterEncryption: boolean;
    /** Replication inside the data centre. */
    intraDataCentreReplication: IntraDataCentreReplication[];
    /** Replication between data centres. */
    interDataCentreReplication?: InterDataCentreReplication[];
    /** PgBouncer add-on. */
    pgBouncer?: PgBouncerDetails[];
    /** AWS settings. */
    awsSettings?: ProviderAwsSettings[];
    /** GCP settings. */
    gcpSettings?: ProviderGcpSettings[];
    /** Azure settings. */
    azureSettings?: ProviderAzureSettings[];
    /** Provider tags. */
    tags?: ProviderTag[];
    /** Provider account it runs in. */
    providerAccountName?: string;
    /** Data centre status. */
    status: ClusterStatus;
    /** Nodes. */
    nodes: NodeDetails[];
    /** Deleted nodes. */
    deletedNodes?: NodeDetails[];
}

/** Replication inside a data centre, as sent. */
export interface IntraDataCentreReplicationInput {
    /** Replication mode. */
    replicationMode: ReplicationMode;
}

/** Replication inside a data centre, as returned. */
export interface IntraDataCentreReplication {
    /** Replication mode. */
    replicationMode: ReplicationMode | (string & {});
}

/** PgBouncer add-on settings, as sent. */
export interface PgBouncerDetailsInput {
    /** PgBouncer version, `x.y.z`. */
    pgBouncerVersion: string;
    /** Pool mode. */
    poolMode: PoolMode;
}

/** PgBouncer add-on settings, as returned. */
export interface PgBouncerDetails {
    /** PgBouncer version, `x.y.z`. */
    pgBouncerVersion: string;
    /** Pool mode. */
    poolMode: PoolMode | (string & {});
}

/**
 * The body of `updateCluster` (`PostgresqlClusterUpdateV2`): exactly one data centre, written
 * anew or taken from the cluster `getCluster` returned, with its changes.
 */
export interface PostgresqlClusterUpdate {
    /** Exactly one data centre. */
    dataCentres: (PostgresqlDataCentreInput | PostgresqlDataCentre)[];
    /** Two-factor delete settings (at most one). */
    twoFactorDelete?: TwoFactorDeleteSettings[] | undefined;
    /** Resize settings (at most one). */
    resizeSettings?: ResizeSettings[] | undefined;
}
"#;

/// The restore body and answer.
pub const TS_RESTORE: &str = r#"
/** The body of `restoreCluster` and `buildRestoreClusterRequest` (`ClusterRestoreV2` as sent). */
export interface RestoreClusterInput {
    /** ID (UUID) of the cluster to restore. */
    clusterId: string;
    /** Per data centre placement of the restored cluster. */
    cdcConfigs?: DataCentreRestoreConfigInput[] | undefined;
    /** The instant to restore to (default: now); sent as an ISO 8601 UTC string. */
    pointInTime?: PointInTimeInput | undefined;
    /** Name of the restored cluster (3..48, name pattern). */
    restoredClusterName?: string | undefined;
}

/** The answer of `restoreCluster` (`ClusterRestoreV2` as returned), with `restoredClusterId`. */
export interface ClusterRestore {
    /** ID of the cluster restored. */
    clusterId: string;
    /** Per data centre placement of the restored cluster. */
    cdcConfigs?: DataCentreRestoreConfig[];
    /** The instant restored to: an ISO 8601 string, or epoch milliseconds as a number or a string. */
    pointInTime?: PointInTimeValue;
    /** Name of the restored cluster. */
    restoredClusterName?: string;
    /** ID of the restored cluster. */
    restoredClusterId: string;
}

/** Placement of one data centre of the restored cluster, as sent. */
export interface DataCentreRestoreConfigInput {
    /** ID (UUID) of the original cluster data centre. */
    cdcId: string;
    /** Where to place it. */
    restoreMode: RestoreMode;
    /** The VPC to use; required exactly when `restoreMode` is `CUSTOM_VPC`. */
    customVpcSettings?: CustomVpcSettings | undefined;
}

/** Placement of one data centre of the restored cluster, as returned. */
export interface DataCentreRestoreConfig {
    /** ID of the original cluster data centre. */
    cdcId: string;
    /** Where it is placed. */
    restoreMode: RestoreMode | (string & {});
    /** The VPC used. */
    customVpcSettings?: CustomVpcSettings;
}
"#;

/// The answers whose lists the response check fills with `[]` when the server sends none.
pub const TS_LISTS: &str = r#"
/** A group of applications with their versions. */
export interface ApplicationVersionsList {
    /** Applications and their versions. */
    applicationVersions: ApplicationVersions[];
}

/** The versions of one application. */
export interface ApplicationVersions {
    /** Application, e.g. `POSTGRESQL` or `PGBOUNCER` (`""` when the server sends none). */
    application: string;
    /** Versions, `x.y.z`. */
    versions: string[];
}

/** A group of node sizes per provider. */
export interface CloudProviderNodeSizesList {
    /** Node sizes per provider. */
    cloudProviderNodeSizes: CloudProviderNodeSizes[];
}

/** The node sizes of one provider. */
export interface CloudProviderNodeSizes {
    /** Provider. */
    cloudProvider: CloudProvider | (string & {});
    /** Node sizes. */
    nodeSizes: string[];
    /** Link to the provider's documentation of the sizes. */
    document?: string;
}

/** Backup and restore events of every node of a cluster, for the last 7 days. */
export interface ClusterBackupEvents {
    /** Cluster ID. */
    id?: string;
    /** Cluster name. */
    name?: string;
    /** Data centres with their nodes' events. */
    clusterDataCentres: BackupDataCentre[];
}

/** A data centre's backup events. */
export interface BackupDataCentre {
    /** Data centre ID. */
    id?: string;
    /** Data centre name. */
    name?: string;
    /** Nodes with their events. */
    nodes: BackupNode[];
}

/** A node's backup events. */
export interface BackupNode {
    /** Node ID. */
    id?: string;
    /** Private IP address. */
    privateAddress?: string;
    /** Public IP address. */
    publicAddress?: string;
    /** Events, oldest first as sent. */
    events: BackupEvent[];
}

/** The clusters of one account. */
export interface AccountClusters {
    /** Account ID. */
    accountId?: string;
    /** Its clusters. */
    clusters: ClusterSummary[];
}
"#;

/// The answers and inputs of the operations beyond the provisioning page (configurations,
/// reloads, settings, resize operations, maintenance events).
pub const TS_MORE: &str = r#"
/** The body of `createConfiguration`: a PostgreSQL parameter of a cluster and its value. */
export interface ConfigurationInput {
    /** Cluster ID. */
    clusterId: string;
    /** Name of the parameter (`work_mem`). */
    name: string;
    /** Value, as PostgreSQL reads it (`16MB`). */
    value: string;
}

/** One configuration property set on a cluster: a PostgreSQL parameter and its value. */
export interface ConfigurationProperty {
    /** `<clusterId>|<name>`. */
    id?: string;
    /** Cluster ID. */
    clusterId: string;
    /** Name of the parameter (`work_mem`). */
    name: string;
    /** Value, as PostgreSQL reads it (`16MB`). */
    value: string;
}

/** The configuration properties set on a cluster. */
export interface ConfigurationProperties {
    /** Cluster ID. */
    clusterId?: string;
    /** The properties. */
    configurationProperties: ConfigurationProperty[];
}

/** A reload of one node: the node's server re-reads its configuration. */
export interface ReloadOperation {
    /** ID of the reload. */
    operationId?: string;
    /** ID of the node reloaded. */
    nodeId?: string;
    /** `GENESIS` until done, then `COMPLETED` (or `FAILED`). */
    status?: ReloadStatus;
    /** Message of the reload. */
    message?: string;
    /** When it was asked for (ISO 8601). */
    timeCreated?: string;
    /** When its status last changed (ISO 8601). */
    timeModified?: string;
}

/** The latest reload of each node of a cluster. */
export interface ReloadOperations {
    /** Cluster ID. */
    clusterId?: string;
    /** One reload per node that has been reloaded. */
    reloadOperations: ReloadOperation[];
}

/** The body of `updateClusterSettings`: what `change-settings` changes. */
export interface ClusterSettingsInput {
    /** Free-text description of the cluster. */
    description?: string | undefined;
    /** Who confirms a delete (one object here, a one-item list in a cluster). */
    twoFactorDelete?: TwoFactorDeleteSettings | undefined;
}

/** A cluster's general settings as applied. */
export interface ClusterSettings {
    /** Free-text description of the cluster. */
    description?: string;
    /** Who confirms a delete. */
    twoFactorDelete?: TwoFactorDeleteSettings;
}

/** The resize operations of a data centre. */
export interface ResizeOperations {
    /** The operations. */
    operations: ResizeOperation[];
}

/** One resize of a data centre's nodes, node by node. */
export interface ResizeOperation {
    /** ID of the operation. */
    id?: string;
    /** Status of the operation. */
    status?: ResizeStatus;
    /** The node size resized to. */
    newNodeSize?: string;
    /** Purpose of the nodes resized (`POSTGRESQL`). */
    nodePurpose?: string;
    /** How many nodes are resized at a time. */
    concurrentResizes?: number;
    /** When it was created (ISO 8601). */
    created?: string;
    /** When it completed (ISO 8601; absent while it runs). */
    completed?: string;
    /** When Instaclustr's support was alerted (ISO 8601). */
    instaclustrSupportAlerted?: string;
    /** The replacement of each node. */
    replaceOperations: ReplaceOperation[];
}

/** The replacement of one node by a node of the new size. */
export interface ReplaceOperation {
    /** ID of the replacement. */
    id?: string;
    /** ID of the node replaced. */
    nodeId?: string;
    /** ID of the new node. */
    newNodeId?: string;
    /** Status of the replacement. */
    status?: ReplaceStatus;
    /** When it was created (ISO 8601). */
    created?: string;
}

/** Maintenance events in progress or past. */
export interface MaintenanceEvents {
    /** The events. */
    maintenanceEvents: MaintenanceEvent[];
}

/** A maintenance event that has started. */
export interface MaintenanceEvent {
    /** ID of the event. */
    id?: string;
    /** Cluster ID. */
    clusterId?: string;
    /** What is done. */
    description?: string;
    /** When work started (ISO 8601, UTC). */
    startTime?: string;
    /** When work ended (ISO 8601, UTC). */
    endTime?: string;
    /** Outcome (`COMPLETED`, `PARTIAL`, ...). */
    outcome?: string;
}

/** Upcoming maintenance events. */
export interface MaintenanceSchedules {
    /** The events. */
    maintenanceEvents: MaintenanceSchedule[];
}

/** A maintenance event scheduled. */
export interface MaintenanceSchedule {
    /** ID of the event. */
    id?: string;
    /** Cluster ID. */
    clusterId?: string;
    /** What will be done. */
    description?: string;
    /** When it is to start (ISO 8601, UTC). */
    scheduledStartTime?: string;
    /** When it is to end (ISO 8601, UTC). */
    scheduledEndTime?: string;
    /** The earliest the start may be moved to (ISO 8601, UTC). */
    scheduledStartTimeMin?: string;
    /** The latest the start may be moved to (ISO 8601, UTC). */
    scheduledStartTimeMax?: string;
    /** Whether the event can no longer be rescheduled. */
    isFinalized?: boolean;
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::shape::{HasShape, Shape};

    /// The members of `export interface <name>`: (key, optional), in order.
    fn members(ts: &str, name: &str) -> Vec<(String, bool)> {
        let head = format!("export interface {name} {{\n");
        let start = ts
            .find(&head)
            .unwrap_or_else(|| panic!("no interface {name}"))
            + head.len();
        let body = &ts[start..start + ts[start..].find("\n}").expect("end")];
        body.lines()
            .filter(|l| l.starts_with("    ") && !l.starts_with("     ") && !l.contains("/**"))
            .map(|l| {
                let key = l.trim_start().split(':').next().expect("key");
                (key.trim_end_matches('?').to_owned(), key.ends_with('?'))
            })
            .collect()
    }

    /// The fields of a struct shape: (wire name, always in a checked answer: required or
    /// filled by the check).
    fn fields(shape: &Shape) -> Vec<(String, bool)> {
        let Shape::Struct(s) = shape else {
            panic!("not a struct shape")
        };
        s.fields
            .iter()
            .map(|f| (f.name.to_owned(), f.required || f.fill))
            .collect()
    }

    /// An output declaration: every field of the model, in its order, required exactly where
    /// the check guarantees it or the API always returns it (`returned`).
    fn output(ts: &str, name: &str, shape: &Shape, returned: &[&str]) {
        let expected: Vec<(String, bool)> = fields(shape)
            .into_iter()
            .map(|(k, always)| {
                let required = always || returned.contains(&k.as_str());
                (k, !required)
            })
            .collect();
        assert_eq!(members(ts, name), expected, "{name}");
    }

    /// An input declaration: every field of the model but the read-only ones, in its order,
    /// optional exactly where the model's field is (each written `?: T | undefined`).
    fn input(ts: &str, name: &str, shape: &Shape, read_only: &[&str]) {
        let expected: Vec<(String, bool)> = fields(shape)
            .into_iter()
            .filter(|(k, _)| !read_only.contains(&k.as_str()))
            .map(|(k, always)| (k, !always))
            .collect();
        assert_eq!(members(ts, name), expected, "{name}");
        let head = format!("export interface {name} {{\n");
        let body = &ts[ts.find(&head).expect("interface")..];
        let body = &body[..body.find("\n}").expect("end")];
        for line in body.lines().filter(|l| l.contains("?:")) {
            assert!(line.ends_with(" | undefined;"), "{name}: {line}");
        }
    }

    #[test]
    fn cluster_declarations_follow_the_model() {
        let returned = ["id", "status"];
        output(
            TS_CLUSTER,
            "PostgresqlCluster",
            &PostgresqlCluster::SHAPE,
            &returned,
        );
        let read_only = [
            "id",
            "status",
            "currentClusterOperationStatus",
            "defaultUserPassword",
            "pciComplianceMode",
        ];
        input(
            TS_CLUSTER,
            "PostgresqlClusterInput",
            &PostgresqlCluster::SHAPE,
            &read_only,
        );
        let dc = &PostgresqlDataCentre::SHAPE;
        output(
            TS_CLUSTER,
            "PostgresqlDataCentre",
            dc,
            &["id", "status", "nodes"],
        );
        let read_only = ["id", "status", "nodes", "deletedNodes"];
        input(TS_CLUSTER, "PostgresqlDataCentreInput", dc, &read_only);
        let intra = &IntraDataCentreReplication::SHAPE;
        output(TS_CLUSTER, "IntraDataCentreReplication", intra, &[]);
        input(TS_CLUSTER, "IntraDataCentreReplicationInput", intra, &[]);
        output(
            TS_CLUSTER,
            "PgBouncerDetails",
            &PgBouncerDetails::SHAPE,
            &[],
        );
        input(
            TS_CLUSTER,
            "PgBouncerDetailsInput",
            &PgBouncerDetails::SHAPE,
            &[],
        );
        input(
            TS_CLUSTER,
            "PostgresqlClusterUpdate",
            &PostgresqlClusterUpdate::SHAPE,
            &[],
        );
    }

    #[test]
    fn restore_declarations_follow_the_model() {
        let restore = &ClusterRestore::SHAPE;
        output(
            TS_RESTORE,
            "ClusterRestore",
            restore,
            &["restoredClusterId"],
        );
        input(
            TS_RESTORE,
            "RestoreClusterInput",
            restore,
            &["restoredClusterId"],
        );
        let dc = &DataCentreRestoreConfig::SHAPE;
        output(TS_RESTORE, "DataCentreRestoreConfig", dc, &[]);
        input(TS_RESTORE, "DataCentreRestoreConfigInput", dc, &[]);
    }

    #[test]
    fn list_declarations_follow_the_model() {
        let all: [(&str, &Shape); 8] = [
            ("ApplicationVersionsList", &ApplicationVersionsList::SHAPE),
            ("ApplicationVersions", &ApplicationVersions::SHAPE),
            (
                "CloudProviderNodeSizesList",
                &CloudProviderNodeSizesList::SHAPE,
            ),
            ("CloudProviderNodeSizes", &CloudProviderNodeSizes::SHAPE),
            ("ClusterBackupEvents", &ClusterBackupEvents::SHAPE),
            ("BackupDataCentre", &BackupDataCentre::SHAPE),
            ("BackupNode", &BackupNode::SHAPE),
            ("AccountClusters", &AccountClusters::SHAPE),
        ];
        for (name, shape) in all {
            output(TS_LISTS, name, shape, &[]);
        }
    }

    #[test]
    fn more_declarations_follow_the_model() {
        let outputs: [(&str, &Shape); 12] = [
            ("ConfigurationProperty", &ConfigurationProperty::SHAPE),
            ("ConfigurationProperties", &ConfigurationProperties::SHAPE),
            ("ReloadOperation", &ReloadOperation::SHAPE),
            ("ReloadOperations", &ReloadOperations::SHAPE),
            ("ClusterSettings", &ClusterSettings::SHAPE),
            ("ResizeOperations", &ResizeOperations::SHAPE),
            ("ResizeOperation", &ResizeOperation::SHAPE),
            ("ReplaceOperation", &ReplaceOperation::SHAPE),
            ("MaintenanceEvents", &MaintenanceEvents::SHAPE),
            ("MaintenanceEvent", &MaintenanceEvent::SHAPE),
            ("MaintenanceSchedules", &MaintenanceSchedules::SHAPE),
            ("MaintenanceSchedule", &MaintenanceSchedule::SHAPE),
        ];
        for (name, shape) in outputs {
            output(TS_MORE, name, shape, &[]);
        }
        input(
            TS_MORE,
            "ConfigurationInput",
            &ConfigurationProperty::SHAPE,
            &["id"],
        );
        input(
            TS_MORE,
            "ClusterSettingsInput",
            &ClusterSettings::SHAPE,
            &[],
        );
    }

    #[test]
    fn input_enumerations_are_closed_and_output_ones_open() {
        assert_eq!(
            SlaTier::TS_CLOSED,
            r#"export type SlaTier = "PRODUCTION" | "NON_PRODUCTION";"#
        );
        let closed = [
            "SlaTier",
            "CloudProvider",
            "ReplicationMode",
            "PoolMode",
            "RestoreMode",
        ];
        let mut seen = 0;
        for ts in [TS_CLUSTER, TS_RESTORE, TS_LISTS, TS_MORE] {
            for block in ts.split("export interface ").skip(1) {
                let name = block.split_whitespace().next().expect("name");
                let is_input = name.ends_with("Input") || name == "PostgresqlClusterUpdate";
                for line in block.lines() {
                    for e in closed {
                        let typed = line.split(&format!(": {e}")).nth(1);
                        if typed.is_some_and(|rest| !rest.starts_with(char::is_alphanumeric)) {
                            seen += 1;
                            let want = if is_input {
                                format!(": {e};")
                            } else {
                                format!(": {e} | (string & {{}});")
                            };
                            assert!(line.ends_with(&want), "{name}: {line}");
                        }
                    }
                }
            }
        }
        assert_eq!(seen, 11);
    }
}
