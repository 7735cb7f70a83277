//! The methods of `InstaclustrClient` that are not operations: its construction and the three
//! waiters (each operation's method is generated with its other exports, crate::operations).

use super::*;
use instaclustr_pg_core::waiter::Watch;

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

    /// Polls `getCluster` until RUNNING with no operation (or gone, for `until: "DELETED"`).
    #[wasm_bindgen(js_name = waitForCluster, unchecked_return_type = "Promise<PostgresqlCluster | undefined>")]
    pub fn wait_for_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(cluster_id, options, Watch::Cluster)
    }

    /// Polls `listBackups` until the newest backup event of every node is COMPLETED.
    #[wasm_bindgen(js_name = waitForBackup, unchecked_return_type = "Promise<ClusterBackupEvents>")]
    pub fn wait_for_backup(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(cluster_id, options, Watch::Backup)
    }

    /// Polls `getNodeReload` until the node's latest reload is COMPLETED (a `WaiterError` at
    /// once when it FAILED); progress events name the node (`clusterId` and `nodes[0].id`).
    #[wasm_bindgen(js_name = waitForReload, unchecked_return_type = "Promise<ReloadOperation>")]
    pub fn wait_for_reload(
        &self,
        #[wasm_bindgen(js_name = nodeId, unchecked_param_type = "string")] node_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(node_id, options, Watch::Reload)
    }
}
