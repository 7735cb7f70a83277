//! One method per operation (and the guarded update): each sends its endpoint through
//! [`Client::send`].

use super::*;

impl<T: Transport, R: Runtime> Client<T, R> {
    /// Creates a cluster. Never retried once it may have reached the server: after an ambiguous
    /// failure the error has `outcome_unknown` and a hint to look the cluster up by name.
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] before sending for an invalid body.
    pub async fn create_cluster(
        &self,
        body: &Value,
        call: &CallOptions,
    ) -> CallResult<PostgresqlCluster> {
        let body = body.clone();
        self.send(&endpoints::CreateCluster { body }, call).await
    }

    /// Gets a cluster.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn get_cluster(
        &self,
        cluster_id: &str,
        call: &CallOptions,
    ) -> CallResult<PostgresqlCluster> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::GetCluster { cluster_id }, call).await
    }

    /// Sends an update (resize) without the guard; see [`Client::update_cluster`].
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn update_cluster_unchecked(
        &self,
        cluster_id: &str,
        body: &Value,
        call: &CallOptions,
    ) -> CallResult<Option<PostgresqlCluster>> {
        let (cluster_id, body) = (cluster_id.to_owned(), body.clone());
        self.send(&endpoints::UpdateCluster { cluster_id, body }, call)
            .await
    }

    /// Updates (resizes) a cluster, refusing before sending any change to a field the API does
    /// not allow to change (compared with `current`, fetched with `getCluster` when `None`).
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] listing every refused field, nothing sent.
    pub async fn update_cluster(
        &self,
        cluster_id: &str,
        body: &Value,
        current: Option<&PostgresqlCluster>,
        call: &CallOptions,
    ) -> CallResult<Option<PostgresqlCluster>> {
        let fetched;
        let current = match current {
            Some(c) => c,
            None => {
                fetched = self
                    .get_cluster(cluster_id, call)
                    .await
                    .map_err(|e| CallError {
                        operation: Operation::UpdateCluster.name(),
                        ..e
                    })?;
                &fetched
            }
        };
        update_guard(current, body)
            .map_err(|e| CallError::bare(e, Operation::UpdateCluster.name()))?;
        self.update_cluster_unchecked(cluster_id, body, call).await
    }

    /// Deletes a cluster (a 404 on a retry counts as success).
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn delete_cluster(&self, cluster_id: &str, call: &CallOptions) -> CallResult<()> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::DeleteCluster { cluster_id }, call)
            .await
    }

    /// Lists the backup events of the last 7 days.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_backups(
        &self,
        cluster_id: &str,
        call: &CallOptions,
    ) -> CallResult<ClusterBackupEvents> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::ListBackups { cluster_id }, call)
            .await
    }

    /// Triggers a manual backup (never retried once it may have reached the server).
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn trigger_backup(&self, cluster_id: &str, call: &CallOptions) -> CallResult<()> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::TriggerBackup { cluster_id }, call)
            .await
    }

    /// Restores a cluster to a point in time (never retried once it may have reached the server).
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] before sending for an invalid body.
    pub async fn restore_cluster(
        &self,
        body: &Value,
        call: &CallOptions,
    ) -> CallResult<ClusterRestore> {
        let (body, now_ms) = (body.clone(), self.now());
        self.send(&endpoints::RestoreCluster { body, now_ms }, call)
            .await
    }

    /// Lists PostgreSQL versions.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_versions(
        &self,
        call: &CallOptions,
    ) -> CallResult<Vec<ApplicationVersionsList>> {
        self.send(&endpoints::ListVersions, call).await
    }

    /// Lists add-on versions compatible with a PostgreSQL version.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_compatible_versions(
        &self,
        postgresql_version: &str,
        call: &CallOptions,
    ) -> CallResult<Vec<ApplicationVersionsList>> {
        let postgresql_version = postgresql_version.to_owned();
        let endpoint = endpoints::ListCompatibleVersions { postgresql_version };
        self.send(&endpoint, call).await
    }

    /// Lists node sizes per provider.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_compatible_node_sizes(
        &self,
        pgbouncer_required: Option<bool>,
        call: &CallOptions,
    ) -> CallResult<Vec<CloudProviderNodeSizesList>> {
        let endpoint = endpoints::ListCompatibleNodeSizes { pgbouncer_required };
        self.send(&endpoint, call).await
    }

    /// Downloads the cluster CA certificate zip and extracts PEM, DER and JKS.
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Decode`] for a bad zip.
    #[cfg(feature = "inflate")]
    pub async fn download_certificate(
        &self,
        cluster_id: &str,
        call: &CallOptions,
    ) -> CallResult<Certificates> {
        let name = Operation::DownloadCertificate.name();
        let cluster_id = cluster_id.to_owned();
        let endpoint = endpoints::DownloadCertificate { cluster_id };
        let req = endpoint
            .build(&self.options)
            .map_err(|e| CallError::bare(e, name))?;
        // exchange and read apart (not `send`): a zip that cannot be read reports the attempts
        // its download took; a GET's outcome is never unknown, so there is no hint to add
        let ex = self.exchange(&req, call).await?;
        let zip = self.read(&ex, &req, endpoints::DownloadCertificate::parse)?;
        certificate::extract(zip).map_err(|error| CallError {
            elapsed_ms: elapsed_ms(ex.start_ms, self.now()),
            attempts: ex.attempts,
            ..CallError::bare(error, name)
        })
    }

    /// The PostgreSQL clusters of the account (`search` such as `name:my-cluster`).
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_clusters(
        &self,
        search: Option<&str>,
        call: &CallOptions,
    ) -> CallResult<Vec<ClusterSummary>> {
        let search = search.map(str::to_owned);
        let accounts = self.send(&endpoints::ListClusters { search }, call).await?;
        let mut kept = Vec::new();
        postgresql_clusters(
            accounts.into_iter().map(|a| a.clusters),
            |c: &ClusterSummary| Some(c.application.as_str().to_owned()),
            |c| kept.push(c),
        );
        Ok(kept)
    }
}

/// The clusters `listClusters` returns from the account list, shared by the native client and
/// the package's: those of every account whose `application` is POSTGRESQL, in order, each given
/// to `keep`. Generic over how a client holds the list (the models natively, the parsed
/// JavaScript values in the package): `accounts` gives each account's clusters, `application` a
/// cluster's application.
pub fn postgresql_clusters<C, A>(
    accounts: impl IntoIterator<Item = A>,
    application: impl Fn(&C) -> Option<String>,
    mut keep: impl FnMut(C),
) where
    A: IntoIterator<Item = C>,
{
    let postgresql = ClusterApplication::Postgresql.as_str();
    for account in accounts {
        for cluster in account {
            if application(&cluster).as_deref() == Some(postgresql) {
                keep(cluster);
            }
        }
    }
}
