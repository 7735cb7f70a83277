//! The waiters (`waitForCluster`, `waitForBackup`, `waitForReload`) and their progress events.

use super::*;
use crate::checked::{answer, Text};
use instaclustr_pg_core::model::ReloadOperation;
use instaclustr_pg_core::shape::HasShape;
use instaclustr_pg_core::waiter::{BackupView, ClusterView, Observe, Parsed, View, Watch};

// The views are read from the value `JSON.parse` built (after the check and its fixes: a `null`
// optional field is gone, a `null` list is `[]`) by the core's `ClusterView::from_json` /
// `BackupView::from_json`, the reading its tests hold against the typed model. Measured against
// reading them from a `serde_json::Value` of the body: 786 B gzip smaller (153,174 -> 152,388 B)
// and no second parse of a large listBackups body.

/// A value `JSON.parse` built, read by the core's views.
struct Js(JsValue);

impl Parsed for Js {
    fn text(&self, key: &str) -> Option<String> {
        get(&self.0, key).as_string()
    }
    fn number(&self, key: &str) -> Option<f64> {
        get(&self.0, key).as_f64()
    }
    fn items(&self, key: &str) -> Vec<Self> {
        get(&self.0, key)
            .dyn_into::<js_sys::Array>()
            .map(|a| a.iter().map(Js).collect())
            .unwrap_or_default()
    }
}

/// A `getCluster` answer as the JS value returned (checked, built by `JSON.parse`,
/// crate::checked) and the view the waiter judges.
fn observed_cluster(status: u16, body: &[u8]) -> Result<(JsValue, View), Error> {
    let value = Js(answer(&PostgresqlCluster::SHAPE, status, body, Text::Wasm)?);
    let view = ClusterView::from_json(&value);
    Ok((value.0, View::Cluster(view)))
}

/// A `listBackups` answer as the JS value returned and the view the waiter judges.
fn observed_backups(status: u16, body: &[u8]) -> Result<(JsValue, View), Error> {
    let value = Js(answer(
        &ClusterBackupEvents::SHAPE,
        status,
        body,
        Text::Wasm,
    )?);
    let view = BackupView::from_json(&value);
    Ok((value.0, View::Backup(view)))
}

/// A `getNodeReload` answer as the JS value returned and the reload's status judged.
fn observed_reload(status: u16, body: &[u8]) -> Result<(JsValue, View), Error> {
    let value = answer(&ReloadOperation::SHAPE, status, body, Text::Wasm)?;
    let status = get(&value, "status").as_string();
    Ok((value, View::Reload(status)))
}

/// The progress event as JS: the shape its `.d.ts` type declares
/// ([`crate::outputs::JsWaitProgress`] and `JsWaitNode`: the same keys in the same order, an
/// absent optional one left out). Set with `Reflect.set` rather than by serde from those
/// structs, which kept their serializers in the wasm.
pub(super) fn progress_object(p: &Progress) -> JsValue {
    // the structs stay the declaration of the type (tsify), built here by their `From` only
    // to keep that tie checked by the compiler; nothing is serialized from them
    let _declared: fn(&'static Progress) -> crate::outputs::JsWaitProgress<'static> = From::from;
    let o: JsValue = Object::new().into();
    set(&o, "clusterId", &key(&p.cluster_id));
    if let Some(s) = &p.status {
        set(&o, "status", &key(s));
    }
    if let Some(s) = &p.operation_status {
        set(&o, "currentClusterOperationStatus", &key(s));
    }
    let nodes = js_sys::Array::new();
    for n in &p.nodes {
        let node: JsValue = Object::new().into();
        if let Some(id) = &n.id {
            set(&node, "id", &key(id));
        }
        set(&node, "dataCentre", &key(&n.data_centre));
        if let Some(s) = &n.status {
            set(&node, "status", &key(s));
        }
        if let Some(x) = n.progress {
            set(&node, "progress", &JsValue::from(x));
        }
        nodes.push(&node);
    }
    set(&o, "nodes", &nodes);
    set(&o, "progress", &JsValue::from(p.progress));
    set(&o, "polls", &JsValue::from(p.polls));
    set(&o, "elapsedMs", &JsValue::from(p.elapsed_ms as f64));
    o
}

impl JsClient {
    pub(super) fn wait(&self, cluster_id: JsValue, options: JsValue, watch: Watch) -> Promise {
        let prepared = (|| {
            let what = if watch == Watch::Reload {
                "nodeId"
            } else {
                "clusterId"
            };
            let id = id_arg(&cluster_id, what);
            let mut r = Reader::new(&options, "options");
            let o: JsWaitOptions = r.read();
            let until = match r.string_of("until", &o.until.0).as_deref() {
                None | Some("RUNNING") => WaitUntil::Running,
                Some("DELETED") => WaitUntil::Deleted,
                Some(_) => {
                    r.violations.push(Violation::new(
                        "options.until",
                        ViolationCode::Enum,
                        "must be RUNNING or DELETED",
                    ));
                    WaitUntil::Running
                }
            };
            let min = r.uint_up_to("minDelayMs", &o.min_delay_ms.0, MAX_MS);
            let max = r.uint_up_to("maxDelayMs", &o.max_delay_ms.0, MAX_MS);
            let max_wait = r.uint_up_to("maxWaitMs", &o.max_wait_ms.0, MAX_MS);
            if max_wait.is_none() && o.max_wait_ms.0.is_undefined() {
                r.violations.push(Violation::new(
                    "options.maxWaitMs",
                    ViolationCode::Required,
                    "is required",
                ));
            }
            let on_progress = r.function_of("onProgress", &o.on_progress.0);
            let since_raw = &o.since.0;
            let since = if since_raw.is_undefined() || since_raw.is_null() {
                None
            } else if let Some(d) = since_raw.dyn_ref::<js_sys::Date>() {
                Some(d.get_time())
            } else if let Some(n) = since_raw.as_f64().filter(|n| n.is_finite()) {
                Some(n)
            } else {
                r.violations.push(Violation::new(
                    "options.since",
                    ViolationCode::Type,
                    "must be epoch ms or a Date",
                ));
                None
            };
            let signal = o.signal.0;
            check_signal(&mut r, &signal);
            if let Err(e) = &id {
                return Err(e.clone());
            }
            r.finish()?;
            let mut w = WaitOptions::new(until, max_wait.unwrap_or(0));
            if let Some(m) = min {
                w.min_delay_ms = m;
            }
            if let Some(m) = max {
                w.max_delay_ms = m;
            }
            w.since_ms = since;
            let (abort, link) = abort_of(&signal);
            w.abort = Some(abort);
            Ok((id?, w, on_progress, link))
        })();
        let (id, w, on_progress, link) = match prepared {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let c = self.inner.clone();
        spawn(Box::pin(async move {
            let mut report = |p: &Progress| {
                if let Some(f) = &on_progress {
                    let _ = f.call1(&JsValue::UNDEFINED, &progress_object(p));
                }
            };
            // one loop for every waiter (a single copy of its future in the wasm)
            let observe: Observe<JsValue> = match watch {
                Watch::Backup => observed_backups,
                Watch::Reload => observed_reload,
                Watch::Cluster => observed_cluster,
            };
            let r = c.wait_with(watch, &id, &w, &mut report, observe).await;
            let r = r.map_err(|e| SignalLink::call_error(link.as_ref(), e));
            drop(link);
            r
        }))
    }
}
