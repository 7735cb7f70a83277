//! The API operations: the work of each operation, on a request that routing, authentication
//! and the body checks have let through (`router.rs` calls these).

use instaclustr_pg_core::model::{ClusterStatus, OperationStatus, PostgresqlCluster};
use instaclustr_pg_core::validate::{self, Violation};
use serde_json::{json, Value};

use crate::app::App;
use crate::catalog;
use crate::cert;
use crate::reply::{ApiError, Reply};
use crate::request::query_params;
use crate::state::new_cluster;

pub(crate) fn compatible_versions(version: &str) -> Result<Reply, ApiError> {
    if !validate::is_valid_version(version) {
        return Err(ApiError::new(
            400,
            "version",
            "must be a version x.y.z (digits)",
        ));
    }
    Ok(Reply::json(200, &catalog::compatible_versions(version)))
}

pub(crate) fn node_sizes(query: Option<&str>) -> Result<Reply, ApiError> {
    let mut pgb = false;
    for (k, v) in query_params(query) {
        if k == "pgbouncerRequired" {
            pgb = match v.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" | "" => false,
                _ => {
                    return Err(ApiError::new(
                        400,
                        "pgbouncerRequired",
                        "must be true or false",
                    ))
                }
            };
        }
    }
    Ok(Reply::json(200, &catalog::node_sizes(pgb)))
}

/// The account ID shown by the cluster list: a UUID derived from the username.
pub fn account_id(user: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("instaclustr-pg-emulator:account:{user}").as_bytes(),
    )
    .to_string()
}

pub(crate) fn list_clusters(
    app: &App,
    now: f64,
    account: &str,
    query: Option<&str>,
) -> Result<Reply, ApiError> {
    let mut name = None;
    for (k, v) in query_params(query) {
        // an empty search is no filter (the official Go client sends `search=`)
        if k == "search" && !v.is_empty() {
            match v.strip_prefix("name:") {
                Some(n) => name = Some(n.to_owned()),
                None => return Err(ApiError::new(400, "search", "must be name:<cluster name>")),
            }
        }
    }
    let st = app.lock_now(now);
    let mut list: Vec<(f64, String)> = st
        .clusters
        .values()
        .filter(|c| c.account == account && name.as_ref().is_none_or(|n| *n == c.spec.name))
        .map(|c| (c.created_ms, c.id.clone()))
        .collect();
    list.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let clusters: Vec<Value> = list
        .into_iter()
        .map(|(_, id)| json!({"application": "POSTGRESQL", "id": id}))
        .collect();
    Ok(Reply::json(
        200,
        &json!([{ "accountId": account_id(account), "clusters": clusters }]),
    ))
}

pub(crate) fn get_cluster(app: &App, now: f64, account: &str, id: &str) -> Result<Reply, ApiError> {
    let st = app.lock_now(now);
    let c = st.get(account, id)?;
    Ok(Reply::json(
        200,
        &cluster_json(&c.view(now, app.options.speed)),
    ))
}

fn cluster_json(c: &PostgresqlCluster) -> Value {
    serde_json::to_value(c).unwrap_or_else(|_| json!({}))
}

/// Catalogue checks on a body that passed `validate::create_cluster`-style validation at the
/// fields concerned: version, node sizes, PgBouncer versions and node sizes.
fn catalogue_violations(body: &Value, already: &[Violation]) -> Vec<Violation> {
    use validate::ViolationCode;
    let flagged = |p: &str| already.iter().any(|v| v.path == p);
    let mut out = Vec::new();
    if let Some(v) = body.get("postgresqlVersion").and_then(Value::as_str) {
        if !flagged("postgresqlVersion") && !catalog::POSTGRESQL_VERSIONS.contains(&v) {
            out.push(Violation::new(
                "postgresqlVersion",
                ViolationCode::Enum,
                format!(
                    "must be one of the available versions: {}",
                    catalog::POSTGRESQL_VERSIONS.join(", ")
                ),
            ));
        }
    }
    let dcs = body
        .get("dataCentres")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, dc) in dcs.iter().enumerate() {
        let provider = dc
            .get("cloudProvider")
            .and_then(Value::as_str)
            .unwrap_or("");
        let pgb = dc
            .get("pgBouncer")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty());
        if let Some(size) = dc.get("nodeSize").and_then(Value::as_str) {
            let path = format!("dataCentres[{i}].nodeSize");
            if !flagged(&path) && !flagged(&format!("dataCentres[{i}].cloudProvider")) {
                let with_pgb = pgb.is_some();
                if !catalog::node_size_allowed(provider, size, with_pgb) {
                    let sizes = catalog::sizes_of(provider, with_pgb);
                    let what = if with_pgb { " with pgBouncer" } else { "" };
                    let msg = if sizes.is_empty() {
                        format!("no node sizes are available for {provider}")
                    } else {
                        format!(
                            "must be a node size available for {provider}{what}: {}",
                            sizes.join(", ")
                        )
                    };
                    out.push(Violation::new(path, ViolationCode::Enum, msg));
                }
            }
        }
        if let Some(items) = pgb {
            for (j, item) in items.iter().enumerate() {
                let path = format!("dataCentres[{i}].pgBouncer[{j}].pgBouncerVersion");
                if let Some(v) = item.get("pgBouncerVersion").and_then(Value::as_str) {
                    if !flagged(&path) && !catalog::PGBOUNCER_VERSIONS.contains(&v) {
                        out.push(Violation::new(
                            path,
                            ViolationCode::Enum,
                            format!(
                                "must be one of the pgbouncer versions: {}",
                                catalog::PGBOUNCER_VERSIONS.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
    }
    out
}

fn new_ca(app: &App, id: &str, now: f64) -> Result<cert::CaCert, ApiError> {
    cert::generate_ca(id, &validate::format_iso_millis(now), &mut app.rng())
        .map_err(|e| ApiError::new(500, "", format!("certificate generation failed: {e}")))
}

pub(crate) fn create(app: &App, now: f64, account: &str, body: &Value) -> Result<Reply, ApiError> {
    let mut vs = validate::create_cluster(body);
    let extra = catalogue_violations(body, &vs);
    vs.extend(extra);
    ApiError::unless_violations(vs)?;
    let spec: PostgresqlCluster = serde_json::from_value(body.clone()).map_err(|e| {
        ApiError::new(
            400,
            "",
            format!("the body does not describe a cluster: {e}"),
        )
    })?;
    let id = app.new_cluster_id();
    let ca = new_ca(app, &id, now)?;
    let mut rec = new_cluster(id, account, spec, now, ca, None, &mut app.rng());
    app.pg.provision(&mut rec, None)?;
    let view = rec.view(now, app.options.speed);
    let mut st = app.lock();
    st.insert(rec);
    st.stats.clusters_created += 1;
    *st.stats
        .clusters_created_by_account
        .entry(account.to_owned())
        .or_default() += 1;
    Ok(Reply::json(202, &cluster_json(&view)))
}

fn busy(status: &ClusterStatus, op: &OperationStatus) -> Option<String> {
    match (status, op) {
        (ClusterStatus::Running, OperationStatus::NoOperation) => None,
        (ClusterStatus::Running, _) => {
            Some("an operation is in progress on the cluster".to_owned())
        }
        (s, _) => Some(format!("the cluster is {s}, not RUNNING")),
    }
}

pub(crate) fn update(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
    body: &Value,
) -> Result<Reply, ApiError> {
    ApiError::unless_violations(validate::update_cluster(body))?;
    let speed = app.options.speed;
    let view = app.lock_now(now).change(account, id, |c| {
        let current = c.view(now, speed);
        let mut vs = validate::diff_cluster_update(&current, body);
        let desired = body
            .get("dataCentres")
            .and_then(Value::as_array)
            .and_then(|a| a.first());
        let desired_name = desired.and_then(|d| d.get("name")).and_then(Value::as_str);
        let dc_index = desired_name
            .and_then(|n| c.spec.data_centres.iter().position(|d| d.name == n))
            .unwrap_or(0);
        let new_size = desired
            .and_then(|d| d.get("nodeSize"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let (Some(dc), Some(size)) = (c.spec.data_centres.get(dc_index), new_size.as_deref()) {
            let pgb = dc.pg_bouncer.as_ref().is_some_and(|p| !p.is_empty());
            let provider = dc.cloud_provider.as_str();
            if size != dc.node_size && !catalog::node_size_allowed(provider, size, pgb) {
                vs.push(Violation::new(
                    "dataCentres[0].nodeSize",
                    validate::ViolationCode::Enum,
                    format!(
                        "must be a node size available for {provider}: {}",
                        catalog::sizes_of(provider, pgb).join(", ")
                    ),
                ));
            }
        }
        ApiError::unless_violations(vs)?;
        let (status, op) = c.status(now, speed);
        if let Some(why) = busy(&status, &op) {
            return Err(ApiError::new(
                409,
                "clusterId",
                format!("cannot update now: {why}"),
            ));
        }
        if let Some(tfd) = body.get("twoFactorDelete").filter(|v| !v.is_null()) {
            c.spec.two_factor_delete = serde_json::from_value(tfd.clone()).ok();
        }
        if let (Some(dc), Some(size)) = (c.spec.data_centres.get_mut(dc_index), new_size) {
            if dc.node_size != size {
                dc.node_size = size.clone();
                app.pg.resize(c, dc_index, &size);
                c.resizes.push(crate::state::ResizeRec {
                    id: app.uuid(),
                    start_ms: now,
                    dc: dc_index,
                    to: size,
                });
            }
        }
        Ok(c.view(now, speed))
    })?;
    Ok(Reply::json(202, &cluster_json(&view)))
}

pub(crate) fn delete(app: &App, now: f64, account: &str, id: &str) -> Result<Reply, ApiError> {
    app.lock_now(now).change(account, id, |c| {
        if c.deleted_ms.is_none() {
            c.deleted_ms = Some(now);
            app.pg.delete(c);
        }
        Ok(Reply::empty(204))
    })
}

pub(crate) fn trigger_backup(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
) -> Result<Reply, ApiError> {
    app.lock_now(now).change(account, id, |c| {
        c.require_running(now, app.options.speed, "clusterId", "back up")?;
        c.backups.push(now);
        app.pg.backup(c, now);
        Ok(Reply::empty(202))
    })
}

pub(crate) fn list_backups(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
) -> Result<Reply, ApiError> {
    let st = app.lock_now(now);
    let c = st.get(account, id)?;
    Ok(Reply::json(200, &c.backup_events(now, app.options.speed)))
}

/// Default restored name: `<name>-restored-<YYYYMMDD>-<HHMMSS>` (UTC), the name shortened so the
/// whole stays within 48 characters.
pub fn default_restored_name(name: &str, now: f64) -> String {
    let iso = validate::format_iso_millis(now);
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    let date = digits.get(0..8).unwrap_or("19700101");
    let time = digits.get(8..14).unwrap_or("000000");
    let suffix = format!("-restored-{date}-{time}");
    let keep = 48usize.saturating_sub(suffix.len());
    let base: String = name.chars().take(keep).collect();
    format!("{base}{suffix}")
}

pub(crate) fn restore(app: &App, now: f64, account: &str, body: &Value) -> Result<Reply, ApiError> {
    ApiError::unless_violations(validate::restore_cluster(body, now))?;
    let source_id = body
        .get("clusterId")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let pit = match body.get("pointInTime").filter(|v| !v.is_null()) {
        Some(v) => validate::point_in_time(v, now).map_err(ApiError::from_violations)?,
        None => now,
    };
    let new_id = app.new_cluster_id();
    let ca = new_ca(app, &new_id, now)?;
    let speed = app.options.speed;
    let mut st = app.lock();
    st.purge(now, speed);
    let src = st.get(account, &source_id)?;
    if src.deleted_ms.is_some() {
        return Err(ApiError::new(409, "clusterId", "the cluster is DELETED"));
    }
    let mut errors = Vec::new();
    if pit > now {
        errors.push((
            "pointInTime".to_owned(),
            "must not be in the future".to_owned(),
        ));
    } else {
        match src.first_completed_backup(now, speed) {
            None => errors.push((
                "pointInTime".to_owned(),
                "the cluster has no completed backup yet: trigger a backup and wait for it to complete".to_owned(),
            )),
            Some(first) if pit < first => errors.push((
                "pointInTime".to_owned(),
                format!("must not be before the first completed backup, {}", validate::format_iso_millis(first)),
            )),
            Some(_) => {}
        }
    }
    let mut spec = src.spec.clone();
    if let Some(cfgs) = body.get("cdcConfigs").and_then(Value::as_array) {
        for (i, cfg) in cfgs.iter().enumerate() {
            let cdc = cfg.get("cdcId").and_then(Value::as_str).unwrap_or("");
            match src.dcs.iter().position(|d| d.id.eq_ignore_ascii_case(cdc)) {
                None => errors.push((
                    format!("cdcConfigs[{i}].cdcId"),
                    "must be the id of a data centre of the cluster".to_owned(),
                )),
                Some(di) => {
                    let net = cfg
                        .pointer("/customVpcSettings/network")
                        .and_then(Value::as_str);
                    if let (Some(net), Some(dc)) = (net, spec.data_centres.get_mut(di)) {
                        dc.network = net.to_owned();
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError {
            status: 400,
            errors,
        });
    }
    let name = body
        .get("restoredClusterName")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| default_restored_name(&src.spec.name, now));
    spec.name = name.clone();
    let mut rec = new_cluster(
        new_id.clone(),
        account,
        spec,
        now,
        ca,
        Some(src.id.clone()),
        &mut app.rng(),
    );
    // the restored servers start from the source's data, configuration included: the record
    // lists the same configurations (under the new cluster's id)
    rec.configurations = src.configurations.clone();
    app.pg.provision(&mut rec, Some((src, pit)))?;
    st.insert(rec);
    st.stats.clusters_restored += 1;
    let mut out = body.clone();
    if let Value::Object(m) = &mut out {
        m.insert("restoredClusterId".to_owned(), json!(new_id));
        m.insert("restoredClusterName".to_owned(), json!(name));
        if m.get("pointInTime").is_some_and(Value::is_null) {
            // echoed as the instant actually used, never as null
            m.insert("pointInTime".to_owned(), json!(pit.round() as i64));
        }
    }
    Ok(Reply::json(202, &out))
}

pub(crate) fn certificate(app: &App, now: f64, account: &str, id: &str) -> Result<Reply, ApiError> {
    let (ca, created, cid) = {
        let st = app.lock_now(now);
        let c = st.get(account, id)?;
        (c.ca.clone(), c.created_ms, c.id.clone())
    };
    let zip = cert::certificate_zip(&ca, created as u64)
        .map_err(|e| ApiError::new(500, "", format!("certificate zip failed: {e}")))?;
    let mut r = Reply::empty(200);
    r.body = zip;
    r.set_header("content-type", "application/zip");
    r.set_header(
        "content-disposition",
        format!("attachment; filename=\"{cid}-certificates.zip\""),
    );
    Ok(r)
}

// ---- the operations beyond the provisioning page (spec/instaclustr-v2-postgresql-more) ----
//
// Statuses: the document's, except the GET of a node's reload, which answers 200 as Instaclustr's
// own Go client requires (the document says 202); see the README.

/// A configuration property as the API describes it.
fn configuration_json(cluster_id: &str, name: &str, value: &str) -> Value {
    json!({ "id": format!("{cluster_id}|{name}"), "clusterId": cluster_id, "name": name, "value": value })
}

/// The cluster and parameter of a configuration ID (`<clusterId>|<name>`, the `|` raw or
/// percent-encoded: the path is decoded already), or a 400 naming `configurationId`.
fn configuration_parts(id: &str) -> Result<(String, String), ApiError> {
    let (cluster, name, vs) = validate::configuration_id(id, "configurationId");
    ApiError::unless_violations(vs)?;
    Ok((cluster.to_ascii_lowercase(), name.to_owned()))
}

fn no_configuration(id: &str) -> ApiError {
    ApiError::new(
        404,
        "configurationId",
        format!("configuration {id} not found (not set on the cluster)"),
    )
}

pub(crate) fn list_configurations(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
) -> Result<Reply, ApiError> {
    let st = app.lock_now(now);
    let c = st.get(account, id)?;
    let props: Vec<Value> = c
        .configurations
        .iter()
        .map(|(n, v)| configuration_json(&c.id, n, v))
        .collect();
    Ok(Reply::json(
        200,
        &json!([{ "clusterId": c.id, "configurationProperties": props }]),
    ))
}

pub(crate) fn create_configuration(
    app: &App,
    now: f64,
    account: &str,
    body: &Value,
) -> Result<Reply, ApiError> {
    ApiError::unless_violations(validate::create_configuration(body))?;
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    set_configuration(
        app,
        now,
        account,
        text("clusterId"),
        text("name"),
        text("value"),
        false,
    )
}

/// The caller's cluster `id` (its stored ID), `RUNNING`, for a change; with the configuration
/// `name` set when `must_exist`. The lock is released on return, so that the servers can be
/// asked without holding it.
fn cluster_for_change(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
    name: Option<&str>,
) -> Result<String, ApiError> {
    let speed = app.options.speed;
    let st = app.lock_now(now);
    let c = st.get(account, id)?;
    c.require_running(now, speed, "clusterId", "change the configuration")?;
    if let Some(n) = name.filter(|n| !c.configurations.contains_key(*n)) {
        return Err(no_configuration(&format!("{id}|{n}")));
    }
    Ok(c.id.clone())
}

/// Sets a configuration (`must_exist`: an update, 404 when it is not set): written to the
/// servers first (which check it), then recorded.
fn set_configuration(
    app: &App,
    now: f64,
    account: &str,
    cluster_id: &str,
    name: &str,
    value: &str,
    must_exist: bool,
) -> Result<Reply, ApiError> {
    // PostgreSQL's own checks, from its parameter table (with real servers they check again)
    crate::parameters::check(name, value)
        .map_err(|(field, message)| ApiError::new(400, field, message))?;
    let id = cluster_for_change(app, now, account, cluster_id, must_exist.then_some(name))?;
    app.pg.configure(&id, name, Some(value))?;
    app.lock().change(account, &id, |c| {
        c.configurations.insert(name.to_owned(), value.to_owned());
        Ok(Reply::json(202, &configuration_json(&c.id, name, value)))
    })
}

pub(crate) fn get_configuration(
    app: &App,
    now: f64,
    account: &str,
    configuration_id: &str,
) -> Result<Reply, ApiError> {
    let (cluster_id, name) = configuration_parts(configuration_id)?;
    let st = app.lock_now(now);
    let c = st.get(account, &cluster_id)?;
    let value = c
        .configurations
        .get(&name)
        .ok_or_else(|| no_configuration(configuration_id))?;
    Ok(Reply::json(202, &configuration_json(&c.id, &name, value)))
}

pub(crate) fn update_configuration(
    app: &App,
    now: f64,
    account: &str,
    configuration_id: &str,
    body: &Value,
) -> Result<Reply, ApiError> {
    let (cluster_id, name) = configuration_parts(configuration_id)?;
    ApiError::unless_violations(validate::update_configuration(body))?;
    let value = body
        .get("value")
        .and_then(Value::as_str)
        .unwrap_or_default();
    set_configuration(app, now, account, &cluster_id, &name, value, true)
}

pub(crate) fn reset_configuration(
    app: &App,
    now: f64,
    account: &str,
    configuration_id: &str,
) -> Result<Reply, ApiError> {
    let (cluster_id, name) = configuration_parts(configuration_id)?;
    let id = cluster_for_change(app, now, account, &cluster_id, Some(&name))?;
    app.pg.configure(&id, &name, None)?;
    app.lock()
        .change(account, &id, |c| match c.configurations.remove(&name) {
            Some(_) => Ok(Reply::empty(204)),
            None => Err(no_configuration(configuration_id)),
        })
}

pub(crate) fn update_default_user_password(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
    body: &Value,
) -> Result<Reply, ApiError> {
    ApiError::unless_violations(validate::default_user_password(body))?;
    let password = body
        .get("password")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let speed = app.options.speed;
    let key = {
        let st = app.lock_now(now);
        let c = st.get(account, id)?;
        c.require_running(now, speed, "clusterId", "change the password")?;
        c.id.clone()
    };
    // on the servers first: the old password is refused from the answer on
    app.pg.set_password(&key, &password)?;
    app.lock().change(account, &key, |c| {
        c.password = password.clone();
        // the document's answer: the summary, password included
        Ok(Reply::json(202, &json!({ "password": password })))
    })
}

/// The caller's cluster that has node `node_id`, or a 404 naming `nodeId`.
fn node_cluster<'a>(
    st: &'a mut crate::state::State,
    account: &str,
    node_id: &str,
) -> Result<&'a mut crate::state::ClusterRec, ApiError> {
    let not_found = || ApiError::new(404, "nodeId", format!("node {node_id} not found"));
    if !validate::is_valid_uuid(node_id) {
        return Err(ApiError::new(
            400,
            "nodeId",
            "must be a node id: a uuid (8-4-4-4-12 hexadecimal digits)",
        ));
    }
    st.clusters
        .values_mut()
        .find(|c| c.account == account && c.has_node(node_id))
        .ok_or_else(not_found)
}

pub(crate) fn reload_node(
    app: &App,
    now: f64,
    account: &str,
    node_id: &str,
) -> Result<Reply, ApiError> {
    let speed = app.options.speed;
    let (key, k) = {
        let mut st = app.lock_now(now);
        let c = node_cluster(&mut st, account, node_id)?;
        c.require_running(now, speed, "nodeId", "reload")?;
        let k = c
            .dcs
            .iter()
            .flat_map(|d| &d.nodes)
            .position(|n| n.id.eq_ignore_ascii_case(node_id))
            .unwrap_or(0);
        (c.id.clone(), k)
    };
    // the real reload now; its record goes GENESIS -> COMPLETED on the scaled clock
    app.pg.reload(&key, k)?;
    app.lock().change(account, &key, |c| {
        let r = crate::state::ReloadRec {
            id: app.uuid(),
            node_id: node_id.to_ascii_lowercase(),
            start_ms: now,
        };
        let out = c.reload_json(&r, now, speed);
        c.reloads.push(r);
        Ok(Reply::json(202, &out))
    })
}

pub(crate) fn get_node_reload(
    app: &App,
    now: f64,
    account: &str,
    node_id: &str,
) -> Result<Reply, ApiError> {
    let speed = app.options.speed;
    let mut st = app.lock_now(now);
    let c = node_cluster(&mut st, account, node_id)?;
    let r = c
        .reloads
        .iter()
        .rev()
        .find(|r| r.node_id.eq_ignore_ascii_case(node_id))
        .ok_or_else(|| {
            ApiError::new(
                404,
                "nodeId",
                format!("node {node_id} has not been reloaded"),
            )
        })?;
    // 200, as Instaclustr's Go client requires (the document says 202)
    Ok(Reply::json(200, &c.reload_json(r, now, speed)))
}

pub(crate) fn list_reloads(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
) -> Result<Reply, ApiError> {
    let speed = app.options.speed;
    let st = app.lock_now(now);
    let c = st.get(account, id)?;
    // the latest reload of each node, in the cluster's node order
    let ops: Vec<Value> = c
        .dcs
        .iter()
        .flat_map(|d| &d.nodes)
        .filter_map(|n| {
            c.reloads
                .iter()
                .rev()
                .find(|r| r.node_id.eq_ignore_ascii_case(&n.id))
                .map(|r| c.reload_json(r, now, speed))
        })
        .collect();
    Ok(Reply::json(
        202,
        &json!({ "clusterId": c.id, "reloadOperations": ops }),
    ))
}

pub(crate) fn change_settings(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
    body: &Value,
) -> Result<Reply, ApiError> {
    ApiError::unless_violations(validate::cluster_settings(body))?;
    app.lock_now(now).change(account, id, |c| {
        if let Some(d) = body.get("description").and_then(Value::as_str) {
            c.spec.description = Some(d.to_owned());
        }
        if let Some(t) = body.get("twoFactorDelete").filter(|v| v.is_object()) {
            c.spec.two_factor_delete = serde_json::from_value(t.clone()).ok().map(|t| vec![t]);
        }
        let mut out = json!({});
        if let Some(d) = &c.spec.description {
            out["description"] = json!(d);
        }
        if let Some(t) = c.spec.two_factor_delete.as_ref().and_then(|l| l.first()) {
            out["twoFactorDelete"] = serde_json::to_value(t).unwrap_or(Value::Null);
        }
        Ok(Reply::json(202, &out))
    })
}

pub(crate) fn resize_operations(
    app: &App,
    now: f64,
    account: &str,
    dc_id: &str,
    query: Option<&str>,
) -> Result<Reply, ApiError> {
    if !validate::is_valid_uuid(dc_id) {
        return Err(ApiError::new(
            400,
            "clusterDataCentreId",
            "must be a data centre id: a uuid (8-4-4-4-12 hexadecimal digits)",
        ));
    }
    let mut active_only = false;
    for (k, v) in query_params(query) {
        if k == "activeOnly" {
            active_only = match v.as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(ApiError::new(400, "activeOnly", "must be true or false")),
            };
        }
    }
    let speed = app.options.speed;
    let st = app.lock_now(now);
    let (c, dc) = st
        .clusters
        .values()
        .filter(|c| c.account == account)
        .find_map(|c| {
            c.dcs
                .iter()
                .position(|d| d.id.eq_ignore_ascii_case(dc_id))
                .map(|i| (c, i))
        })
        .ok_or_else(|| {
            ApiError::new(
                404,
                "clusterDataCentreId",
                format!("cluster data centre {dc_id} not found"),
            )
        })?;
    let ops: Vec<Value> = c
        .resize_operations(dc, now, speed)
        .into_iter()
        .filter(|(active, _)| *active || !active_only)
        .map(|(_, v)| v)
        .collect();
    Ok(Reply::json(200, &json!({ "operations": ops })))
}

/// Which maintenance events a list gives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    InProgress,
    Past,
    Upcoming,
}

pub(crate) fn maintenance_events(
    app: &App,
    now: f64,
    account: &str,
    id: &str,
    when: When,
) -> Result<Reply, ApiError> {
    let st = app.lock_now(now);
    let c = st.get(account, id)?;
    let events: Vec<Value> = c
        .maintenance
        .iter()
        .filter(|m| match when {
            When::Upcoming => now < m.start_ms,
            When::InProgress => m.start_ms <= now && now < m.end_ms,
            When::Past => m.end_ms <= now,
        })
        .map(|m| {
            let mut v = json!({ "id": m.id, "clusterId": c.id, "description": m.description });
            if when == When::Upcoming {
                v["scheduledStartTime"] = json!(validate::format_iso_millis(m.start_ms));
                v["scheduledEndTime"] = json!(validate::format_iso_millis(m.end_ms));
                v["isFinalized"] = json!(false);
            } else {
                v["startTime"] = json!(validate::format_iso_millis(m.start_ms));
                if when == When::Past {
                    v["endTime"] = json!(validate::format_iso_millis(m.end_ms));
                    v["outcome"] = json!("COMPLETED");
                }
            }
            v
        })
        .collect();
    Ok(Reply::json(200, &json!([{ "maintenanceEvents": events }])))
}

/// `POST /__emulator/maintenance/{clusterId}` (test mode only): schedules a maintenance event
/// `{ description?, startInMs, durationMs }` (relative to now, real milliseconds) on any
/// account's cluster; answers the event's ID.
pub(crate) fn schedule_maintenance(
    app: &App,
    now: f64,
    id: &str,
    body: &Value,
) -> Result<Reply, ApiError> {
    let ms = |k: &str| {
        body.get(k)
            .and_then(Value::as_f64)
            .filter(|x| x.is_finite())
    };
    let (Some(start_in), Some(duration)) = (ms("startInMs"), ms("durationMs")) else {
        return Err(ApiError::new(
            400,
            "",
            "startInMs and durationMs (numbers of milliseconds) are required",
        ));
    };
    let mut st = app.lock();
    let c = st
        .clusters
        .get_mut(&id.to_ascii_lowercase())
        .ok_or_else(|| ApiError::no_cluster(id))?;
    let m = crate::state::MaintenanceRec {
        id: app.uuid(),
        description: body
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("Emulated maintenance")
            .to_owned(),
        start_ms: now + start_in,
        end_ms: now + start_in + duration.max(0.0),
    };
    let out = json!({ "id": m.id });
    c.maintenance.push(m);
    let key = c.id.clone();
    st.save(&key);
    Ok(Reply::json(201, &out))
}
