//! The methods of `InstaclustrClient`, one per operation plus the two waiters: each operation
//! only checks its arguments and describes its call; `call.rs` runs it.

use super::*;
use crate::params::{JsListClustersParams, JsListCompatibleNodeSizesParams};
use instaclustr_pg_core::transport::Runtime as _;

#[wasm_bindgen(js_class = InstaclustrClient)]
impl JsClient {
    /// A client; throws a `ValidationError` listing every bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<JsClient, JsValue> {
        Self::from_options(&options)
    }

    /// A client from `INSTACLUSTR_USERNAME`, `INSTACLUSTR_API_KEY` and optional
    /// `INSTACLUSTR_BASE_URL` of `process.env` (Node), with `overrides` on top.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(
        #[wasm_bindgen(
            unchecked_optional_param_type = "Omit<ClientOptions, \"username\" | \"apiKey\"> & Partial<ClientOptions>"
        )]
        overrides: Option<JsValue>,
    ) -> Result<JsClient, JsValue> {
        let env = get(&get(&js_sys::global().into(), "process"), "env");
        let options: JsValue = Object::new().into();
        for (var, k) in [
            ("INSTACLUSTR_USERNAME", "username"),
            ("INSTACLUSTR_API_KEY", "apiKey"),
            ("INSTACLUSTR_BASE_URL", "baseUrl"),
        ] {
            if let Some(v) = get(&env, var).as_string().filter(|v| !v.is_empty()) {
                set(&options, k, &key(&v));
            }
        }
        if let Some(o) = overrides.filter(JsValue::is_object) {
            let keys = Object::keys(o.unchecked_ref::<Object>());
            for k in keys.iter() {
                let v = Reflect::get(&o, &k).unwrap_or(JsValue::UNDEFINED);
                let _ = Reflect::set(&options, &k, &v);
            }
        }
        Self::from_env_options(&options, Some(&env))
    }

    /// Creates a cluster. Never retried once it may have reached the server.
    #[wasm_bindgen(js_name = createCluster, unchecked_return_type = "Promise<PostgresqlCluster>")]
    pub fn create_cluster(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PostgresqlClusterInput")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let (mut text, arena) = (String::new(), arena());
        let call = body_view(&body, "body", &mut text, &arena).map(|body| {
            type E = endpoints::CreateCluster;
            Call::built::<E>(
                E::build_json(&body, self.inner.request_options()),
                E::outcome_unknown_hint_json(&body),
                checked::<E>,
            )
        });
        self.send(&opts, call)
    }

    /// Gets a cluster.
    #[wasm_bindgen(js_name = getCluster, unchecked_return_type = "Promise<PostgresqlCluster>")]
    pub fn get_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let call = id_arg(&cluster_id, "clusterId").map(|cluster_id| {
            let endpoint = endpoints::GetCluster { cluster_id };
            Call::new(&self.inner, &endpoint, checked::<endpoints::GetCluster>)
        });
        self.send(&opts, call)
    }

    /// Updates (resizes) a cluster after checking that only changeable fields differ from the
    /// current cluster (fetched first unless given as `options.current`).
    #[wasm_bindgen(js_name = updateCluster, unchecked_return_type = "Promise<PostgresqlCluster | undefined>")]
    pub fn update_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PostgresqlClusterUpdate")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "UpdateClusterOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let prepared = (|| {
            let id = id_arg(&cluster_id, "clusterId")?;
            let (mut text, arena) = (String::new(), arena());
            let body = body_view(&body, "body", &mut text, &arena)?;
            let current_js = crate::params::read::<JsUpdateClusterOptions>(Some(&opts))
                .current
                .0;
            let current = if current_js.is_undefined() || current_js.is_null() {
                None
            } else {
                Some(parse_current(&current_js, "options.current")?)
            };
            let opts = self.inner.request_options();
            type E = endpoints::UpdateCluster;
            let call = Call::built::<E>(
                E::build_json(&id, &body, opts),
                Some(E::OUTCOME_UNKNOWN_HINT.to_owned()),
                checked::<E>,
            );
            let guard = Guard {
                current,
                get: endpoints::GetCluster { cluster_id: id }.build(opts),
                body: text,
            };
            Ok(call.guarded(guard))
        })();
        self.send(&opts, prepared)
    }

    /// Deletes a cluster (a 404 on a retry counts as success).
    #[wasm_bindgen(js_name = deleteCluster, unchecked_return_type = "Promise<void>")]
    pub fn delete_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let call = id_arg(&cluster_id, "clusterId").map(|cluster_id| {
            let endpoint = endpoints::DeleteCluster { cluster_id };
            Call::new(&self.inner, &endpoint, empty::<endpoints::DeleteCluster>)
        });
        self.send(&opts, call)
    }

    /// Lists the backup events of the last 7 days.
    #[wasm_bindgen(js_name = listBackups, unchecked_return_type = "Promise<ClusterBackupEvents>")]
    pub fn list_backups(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let call = id_arg(&cluster_id, "clusterId").map(|cluster_id| {
            let endpoint = endpoints::ListBackups { cluster_id };
            Call::new(&self.inner, &endpoint, checked::<endpoints::ListBackups>)
        });
        self.send(&opts, call)
    }

    /// Triggers a manual backup. Never retried once it may have reached the server.
    #[wasm_bindgen(js_name = triggerBackup, unchecked_return_type = "Promise<void>")]
    pub fn trigger_backup(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let call = id_arg(&cluster_id, "clusterId").map(|cluster_id| {
            let endpoint = endpoints::TriggerBackup { cluster_id };
            Call::new(&self.inner, &endpoint, empty::<endpoints::TriggerBackup>)
        });
        self.send(&opts, call)
    }

    /// Restores a cluster to a point in time. Never retried once it may have reached the server.
    #[wasm_bindgen(js_name = restoreCluster, unchecked_return_type = "Promise<ClusterRestore>")]
    pub fn restore_cluster(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RestoreClusterInput")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let (mut text, arena) = (String::new(), arena());
        let call = body_view(&body, "body", &mut text, &arena).map(|body| {
            let now_ms = self.inner.runtime().now_ms();
            type E = endpoints::RestoreCluster;
            Call::built::<E>(
                E::build_json(&body, now_ms, self.inner.request_options()),
                E::outcome_unknown_hint_json(&body),
                checked::<E>,
            )
        });
        self.send(&opts, call)
    }

    /// Lists PostgreSQL versions.
    #[wasm_bindgen(js_name = listVersions, unchecked_return_type = "Promise<ApplicationVersionsList[]>")]
    pub fn list_versions(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let endpoint = endpoints::ListVersions;
        let call = Call::new(&self.inner, &endpoint, checked::<endpoints::ListVersions>);
        self.send(&opts, Ok(call))
    }

    /// Lists add-on versions compatible with a PostgreSQL version.
    #[wasm_bindgen(
        js_name = listCompatibleVersions,
        unchecked_return_type = "Promise<ApplicationVersionsList[]>"
    )]
    pub fn list_compatible_versions(
        &self,
        #[wasm_bindgen(js_name = postgresqlVersion, unchecked_param_type = "string")]
        version: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let call = id_arg(&version, "postgresqlVersion").map(|postgresql_version| {
            let endpoint = endpoints::ListCompatibleVersions { postgresql_version };
            let read = checked::<endpoints::ListCompatibleVersions>;
            Call::new(&self.inner, &endpoint, read)
        });
        self.send(&opts, call)
    }

    /// Lists node sizes per provider.
    #[wasm_bindgen(
        js_name = listCompatibleNodeSizes,
        unchecked_return_type = "Promise<CloudProviderNodeSizesList[]>"
    )]
    pub fn list_compatible_node_sizes(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListCompatibleNodeSizesParams")]
        params: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let p: JsListCompatibleNodeSizesParams = crate::params::read(params.as_ref());
        let raw = p.pgbouncer_required.0;
        let pgb = if raw.is_undefined() || raw.is_null() {
            Ok(None)
        } else if let Some(b) = raw.as_bool() {
            Ok(Some(b))
        } else {
            Err(type_error("params.pgbouncerRequired", "must be a boolean"))
        };
        let opts = options.unwrap_or_default();
        let call = pgb.map(|pgbouncer_required| {
            let endpoint = endpoints::ListCompatibleNodeSizes { pgbouncer_required };
            let read = checked::<endpoints::ListCompatibleNodeSizes>;
            Call::new(&self.inner, &endpoint, read)
        });
        self.send(&opts, call)
    }

    /// Downloads the cluster CA certificate: `{ zip, pem, der, jks }`.
    #[wasm_bindgen(js_name = downloadCertificate, unchecked_return_type = "Promise<Certificates>")]
    pub fn download_certificate(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let call = id_arg(&cluster_id, "clusterId").map(|cluster_id| {
            let endpoint = endpoints::DownloadCertificate { cluster_id };
            Call::new(&self.inner, &endpoint, zip)
        });
        self.send(&opts, call)
    }

    /// The PostgreSQL clusters of the account (`options.search` such as `name:my-cluster`).
    #[wasm_bindgen(js_name = listClusters, unchecked_return_type = "Promise<ClusterSummary[]>")]
    pub fn list_clusters(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListClustersOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let p: JsListClustersParams = crate::params::read(Some(&opts));
        let raw = p.search.0;
        let search = if raw.is_undefined() || raw.is_null() {
            Ok(None)
        } else {
            raw.as_string()
                .map(Some)
                .ok_or_else(|| type_error("options.search", "must be a string"))
        };
        let call = search.map(|search| {
            let endpoint = endpoints::ListClusters { search };
            Call::new(&self.inner, &endpoint, clusters)
        });
        self.send(&opts, call)
    }

    /// Polls `getCluster` until RUNNING with no operation (or gone, for `until: "DELETED"`).
    #[wasm_bindgen(js_name = waitForCluster, unchecked_return_type = "Promise<PostgresqlCluster | undefined>")]
    pub fn wait_for_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(cluster_id, options, false)
    }

    /// Polls `listBackups` until the newest backup event of every node is COMPLETED.
    #[wasm_bindgen(js_name = waitForBackup, unchecked_return_type = "Promise<ClusterBackupEvents>")]
    pub fn wait_for_backup(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(cluster_id, options, true)
    }
}
