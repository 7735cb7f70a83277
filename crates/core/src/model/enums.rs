//! The API's enumerations (open: unknown values are kept, see [`string_enum`](super::string_enum)).

use super::string_enum::string_enum;

string_enum! {
    /// Cloud provider of a data centre (`CloudProviderEnumV2`).
    CloudProvider {
        /// Amazon Web Services.
        AwsVpc = "AWS_VPC",
        /// Google Cloud Platform.
        Gcp = "GCP",
        /// Microsoft Azure.
        Azure = "AZURE",
        /// Microsoft Azure with availability zones.
        AzureAz = "AZURE_AZ",
        /// Customer-provided hardware.
        OnPremises = "ONPREMISES",
    }
}

string_enum! {
    /// SLA tier of a cluster (`SlaTierV2`).
    SlaTier {
        /// Production support; not available with developer node sizes.
        Production = "PRODUCTION",
        /// Lower-priority support.
        NonProduction = "NON_PRODUCTION",
    }
}

string_enum! {
    /// Whether a cluster is being restructured (`CurrentClusterOperationStatusV2`).
    OperationStatus {
        /// Nothing in progress.
        NoOperation = "NO_OPERATION",
        /// A create, resize or similar operation is running.
        OperationInProgress = "OPERATION_IN_PROGRESS",
        /// The last operation failed.
        OperationFailed = "OPERATION_FAILED",
    }
}

string_enum! {
    /// Status of a cluster, data centre or node (a plain string in the API document).
    ClusterStatus {
        /// Accepted, not yet provisioning.
        Genesis = "GENESIS",
        /// Being provisioned.
        Provisioning = "PROVISIONING",
        /// Provisioned, starting.
        Provisioned = "PROVISIONED",
        /// Serving.
        Running = "RUNNING",
        /// Some nodes are unhealthy.
        Degraded = "DEGRADED",
        /// Provisioning failed.
        Failed = "FAILED",
        /// Being deleted.
        Deleting = "DELETING",
        /// Deleted.
        Deleted = "DELETED",
    }
}

string_enum! {
    /// PgBouncer pool mode (`PgBouncerPoolModeEnumV2`).
    PoolMode {
        /// Server connection per transaction.
        Transaction = "TRANSACTION",
        /// Server connection per client session.
        Session = "SESSION",
        /// Server connection per statement.
        Statement = "STATEMENT",
    }
}

string_enum! {
    /// Replication mode inside a data centre (`PostgresqlReplicationModeEnumV2`).
    ReplicationMode {
        /// Asynchronous replication.
        Asynchronous = "ASYNCHRONOUS",
        /// Synchronous replication.
        Synchronous = "SYNCHRONOUS",
    }
}

string_enum! {
    /// How a data centre is placed when restored (`ClusterDataCentreRestoreConfigV2.restoreMode`).
    RestoreMode {
        /// A new VPC.
        NewVpc = "NEW_VPC",
        /// The VPC of the original data centre.
        SameVpc = "SAME_VPC",
        /// A VPC given in `customVpcSettings`.
        CustomVpc = "CUSTOM_VPC",
    }
}

string_enum! {
    /// State of a backup event (`CommonClusterBackupEventNodeEventV2.state`).
    BackupEventState {
        /// Running.
        Active = "ACTIVE",
        /// Finished successfully.
        Completed = "COMPLETED",
        /// Finished with an error.
        Failed = "FAILED",
    }
}

string_enum! {
    /// Role of a node (`NodeRolesV2`); PostgreSQL clusters use `POSTGRESQL` and `PGBOUNCER`.
    NodeRole {
        /// Cassandra.
        Cassandra = "CASSANDRA",
        /// Spark master.
        SparkMaster = "SPARK_MASTER",
        /// Spark job server.
        SparkJobserver = "SPARK_JOBSERVER",
        /// Kafka broker.
        KafkaBroker = "KAFKA_BROKER",
        /// Dedicated ZooKeeper for Kafka.
        KafkaDedicatedZookeeper = "KAFKA_DEDICATED_ZOOKEEPER",
        /// Kafka ZooKeeper.
        KafkaZookeeper = "KAFKA_ZOOKEEPER",
        /// Kafka schema registry.
        KafkaSchemaRegistry = "KAFKA_SCHEMA_REGISTRY",
        /// Kafka REST proxy.
        KafkaRestProxy = "KAFKA_REST_PROXY",
        /// Apache ZooKeeper.
        ApacheZookeeper = "APACHE_ZOOKEEPER",
        /// PostgreSQL server.
        Postgresql = "POSTGRESQL",
        /// PgBouncer.
        Pgbouncer = "PGBOUNCER",
        /// Kafka Connect.
        KafkaConnect = "KAFKA_CONNECT",
        /// Karapace schema registry.
        KafkaKarapaceSchemaRegistry = "KAFKA_KARAPACE_SCHEMA_REGISTRY",
        /// Karapace REST proxy.
        KafkaKarapaceRestProxy = "KAFKA_KARAPACE_REST_PROXY",
        /// Cadence.
        Cadence = "CADENCE",
        /// Couchbase.
        Couchbase = "COUCHBASE",
        /// MongoDB.
        Mongodb = "MONGODB",
        /// Redis master.
        RedisMaster = "REDIS_MASTER",
        /// Redis replica.
        RedisReplica = "REDIS_REPLICA",
        /// OpenSearch dashboards.
        OpensearchDashboards = "OPENSEARCH_DASHBOARDS",
        /// OpenSearch coordinator.
        OpensearchCoordinator = "OPENSEARCH_COORDINATOR",
        /// OpenSearch master.
        OpensearchMaster = "OPENSEARCH_MASTER",
        /// OpenSearch data.
        OpensearchData = "OPENSEARCH_DATA",
        /// OpenSearch ingest.
        OpensearchIngest = "OPENSEARCH_INGEST",
        /// OpenSearch data and ingest.
        OpensearchDataAndIngest = "OPENSEARCH_DATA_AND_INGEST",
    }
}

string_enum! {
    /// Application of a cluster in the account cluster list (`ClusterSummaryV2.application`).
    ClusterApplication {
        /// Apache Cassandra.
        ApacheCassandra = "APACHE_CASSANDRA",
        /// Apache Kafka.
        Kafka = "KAFKA",
        /// Apache ZooKeeper.
        ApacheZookeeper = "APACHE_ZOOKEEPER",
        /// Kafka Connect.
        KafkaConnect = "KAFKA_CONNECT",
        /// Cadence.
        Cadence = "CADENCE",
        /// Couchbase.
        Couchbase = "COUCHBASE",
        /// MongoDB.
        Mongodb = "MONGODB",
        /// Redis.
        Redis = "REDIS",
        /// OpenSearch.
        Opensearch = "OPENSEARCH",
        /// PostgreSQL.
        Postgresql = "POSTGRESQL",
        /// Unknown to the server itself.
        Unknown = "UNKNOWN",
    }
}

string_enum! {
    /// Status of a node reload (`PostgresqlReloadOperationV2.status`, a plain string in the API
    /// document; its example says `GENESIS`).
    ReloadStatus {
        /// Asked for, not done yet.
        Genesis = "GENESIS",
        /// The node has reloaded its configuration.
        Completed = "COMPLETED",
        /// The reload failed.
        Failed = "FAILED",
    }
}

string_enum! {
    /// Status of a resize operation (`ResizeOperationInfoV2.status`).
    ResizeStatus {
        /// Done.
        Completed = "COMPLETED",
        /// Failed.
        Failed = "FAILED",
        /// Deleted.
        Deleted = "DELETED",
        /// Running.
        InProgress = "IN_PROGRESS",
        /// Unknown to the server itself.
        Unknown = "UNKNOWN",
    }
}

string_enum! {
    /// Status of a node's replacement in a resize (`ReplaceOperationInfoV2.status`).
    ReplaceStatus {
        /// Asked for.
        Genesis = "GENESIS",
        /// The disk is being resized.
        ResizingDisk = "RESIZING_DISK",
        /// The disk is resized.
        ResizedDisk = "RESIZED_DISK",
        /// The file system is expanded.
        ExpandedFilesystem = "EXPANDED_FILESYSTEM",
        /// The node is shutting down.
        GracefullyShuttingDown = "GRACEFULLY_SHUTTING_DOWN",
        /// Its replacement is being created.
        CreatingReplacement = "CREATING_REPLACEMENT",
        /// Being provisioned.
        Provisioning = "PROVISIONING",
        /// Provisioned.
        Provisioned = "PROVISIONED",
        /// Backed up.
        Backedup = "BACKEDUP",
        /// Being restored.
        Restoring = "RESTORING",
        /// Flushing.
        Flushing = "FLUSHING",
        /// Flushed.
        Flushed = "FLUSHED",
        /// Swapping.
        Swapping = "SWAPPING",
        /// Swapped.
        Swapped = "SWAPPED",
        /// Clearing installed bundles.
        ClearingInstalledBundles = "CLEARING_INSTALLED_BUNDLES",
        /// Cleared installed bundles.
        ClearedInstalledBundles = "CLEARED_INSTALLED_BUNDLES",
        /// Post-bundle processing.
        PostBundleProcessing = "POST_BUNDLE_PROCESSING",
        /// Restarting.
        Restarting = "RESTARTING",
        /// Replaced: done.
        Replaced = "REPLACED",
        /// Cancelled.
        Cancelled = "CANCELLED",
        /// Failed.
        Failed = "FAILED",
        /// Unknown to the server itself.
        Unknown = "UNKNOWN",
    }
}
