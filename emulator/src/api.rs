//! The API operations: authentication, bodies, and the work of each operation (the routes in
//! `routes.rs` call these).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;
use base64::Engine as _;
use instaclustr_pg::model::{ClusterStatus, OperationStatus, PostgresqlCluster};
use instaclustr_pg::validate::{self, Violation};
use serde_json::{json, Value};

use crate::catalog;
use crate::cert;
use crate::state::{new_cluster, now_ms, ApiError};
use crate::App;

/// The operations, as listed in the core's endpoint table (their names are used in logs and
/// `/__emulator/stats`).
pub use instaclustr_pg::Operation as Op;

/// Prefix of every API path.
pub const PREFIX: &str = "/cluster-management/v2/";

/// Percent-decoding of a path segment or query component (`+` is left alone in paths).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or("zz"), 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Query parameters, decoded (`+` as space).
pub fn query_params(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

/// A JSON response.
pub fn json_response(status: u16, body: &Value) -> Response<Body> {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// An `ErrorListResponseV2`.
pub fn error_response(e: &ApiError) -> Response<Body> {
    let errors: Vec<Value> = e
        .errors
        .iter()
        .map(|(n, m)| json!({"name": n, "message": m}))
        .collect();
    json_response(e.status, &json!({ "errors": errors }))
}

fn empty(status: u16) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r
}

fn violations(vs: Vec<Violation>) -> ApiError {
    ApiError::from_violations(vs)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response<Body> {
        error_response(&self)
    }
}

/// The account of a request's Basic credentials.
///
/// # Errors
/// A 401 when they are missing or wrong.
pub fn authenticate(app: &App, headers: &HeaderMap) -> Result<String, ApiError> {
    let unauthorized = |m: &str| ApiError::new(401, "Authorization", m);
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            unauthorized("basic authentication required: username and provisioning api key")
        })?;
    let (scheme, cred) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(unauthorized(
            "basic authentication required: username and provisioning api key",
        ));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(cred.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| unauthorized("malformed basic credentials"))?;
    let (user, key) = decoded
        .split_once(':')
        .ok_or_else(|| unauthorized("malformed basic credentials"))?;
    match app.accounts.get(user) {
        Some(k) if k == key => Ok(user.to_owned()),
        _ => Err(unauthorized("invalid username or api key")),
    }
}

fn is_json_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|m| {
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

/// Reads and parses a JSON body, with the limit, content type and "required" rules.
pub(crate) async fn json_body(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<Value, ApiError> {
    let limit = app.config.body_limit;
    let too_large = || {
        ApiError::new(
            413,
            "",
            format!("request body is larger than {limit} bytes"),
        )
    };
    if headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
    {
        return Err(too_large());
    }
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(s) = src {
                if s.is::<http_body_util::LengthLimitError>() {
                    return Err(too_large());
                }
                src = s.source();
            }
            return Err(ApiError::new(400, "", "the request body could not be read"));
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(400, "", "a json request body is required"));
    }
    if !is_json_type(headers) {
        return Err(ApiError::new(
            415,
            "Content-Type",
            "must be application/json",
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            400,
            "",
            format!(
                "the body is not valid json (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

pub(crate) fn compatible_versions(version: &str) -> Result<Response<Body>, ApiError> {
    if !validate::is_valid_version(version) {
        return Err(ApiError::new(
            400,
            "version",
            "must be a version x.y.z (digits)",
        ));
    }
    Ok(json_response(200, &catalog::compatible_versions(version)))
}

pub(crate) fn node_sizes(query: Option<&str>) -> Result<Response<Body>, ApiError> {
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
    Ok(json_response(200, &catalog::node_sizes(pgb)))
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
    account: &str,
    query: Option<&str>,
) -> Result<Response<Body>, ApiError> {
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
    let (_, st) = app.lock_now();
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
    Ok(json_response(
        200,
        &json!([{ "accountId": account_id(account), "clusters": clusters }]),
    ))
}

pub(crate) fn get_cluster(app: &App, account: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let (now, st) = app.lock_now();
    let c = st.get(account, id)?;
    Ok(json_response(
        200,
        &cluster_json(&c.view(now, app.config.speed)),
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

fn new_ca(id: &str, now: f64) -> Result<cert::CaCert, ApiError> {
    cert::generate_ca(id, &validate::format_iso_millis(now))
        .map_err(|e| ApiError::new(500, "", format!("certificate generation failed: {e}")))
}

pub(crate) fn create(app: &App, account: &str, body: &Value) -> Result<Response<Body>, ApiError> {
    let mut vs = validate::create_cluster(body);
    let extra = catalogue_violations(body, &vs);
    vs.extend(extra);
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let spec: PostgresqlCluster = serde_json::from_value(body.clone()).map_err(|e| {
        ApiError::new(
            400,
            "",
            format!("the body does not describe a cluster: {e}"),
        )
    })?;
    let now = now_ms();
    let id = uuid::Uuid::new_v4().to_string();
    let ca = new_ca(&id, now)?;
    let mut rec = new_cluster(id, account, spec, now, ca, None);
    app.pg.provision(&mut rec, None)?;
    let view = rec.view(now, app.config.speed);
    let mut st = app.lock();
    st.insert(rec)?;
    st.stats.clusters_created += 1;
    *st.stats
        .clusters_created_by_account
        .entry(account.to_owned())
        .or_default() += 1;
    Ok(json_response(202, &cluster_json(&view)))
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
    account: &str,
    id: &str,
    body: &Value,
) -> Result<Response<Body>, ApiError> {
    let vs = validate::update_cluster(body);
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let speed = app.config.speed;
    let (now, mut st) = app.lock_now();
    let c = st.get_mut(account, id)?;
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
    if !vs.is_empty() {
        return Err(violations(vs));
    }
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
                id: uuid::Uuid::new_v4().to_string(),
                start_ms: now,
                dc: dc_index,
                to: size,
            });
        }
    }
    let view = c.view(now, speed);
    let key = c.id.clone();
    st.save(&key)?;
    Ok(json_response(202, &cluster_json(&view)))
}

pub(crate) fn delete(app: &App, account: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let (now, mut st) = app.lock_now();
    let c = st.get_mut(account, id)?;
    if c.deleted_ms.is_none() {
        c.deleted_ms = Some(now);
        app.pg.delete(c);
        let key = c.id.clone();
        st.save(&key)?;
    }
    Ok(empty(204))
}

pub(crate) fn trigger_backup(
    app: &App,
    account: &str,
    id: &str,
) -> Result<Response<Body>, ApiError> {
    let (now, mut st) = app.lock_now();
    let c = st.get_mut(account, id)?;
    c.require_running(now, app.config.speed, "clusterId", "back up")?;
    c.backups.push(now);
    app.pg.backup(c, now);
    let key = c.id.clone();
    st.save(&key)?;
    Ok(empty(202))
}

pub(crate) fn list_backups(app: &App, account: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let (now, st) = app.lock_now();
    let c = st.get(account, id)?;
    Ok(json_response(200, &c.backup_events(now, app.config.speed)))
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

pub(crate) fn restore(app: &App, account: &str, body: &Value) -> Result<Response<Body>, ApiError> {
    let now = now_ms();
    let vs = validate::restore_cluster(body, now);
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let source_id = body
        .get("clusterId")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let pit = match body.get("pointInTime").filter(|v| !v.is_null()) {
        Some(v) => validate::point_in_time(v, now).map_err(violations)?,
        None => now,
    };
    let new_id = uuid::Uuid::new_v4().to_string();
    let ca = new_ca(&new_id, now)?;
    let speed = app.config.speed;
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
    let mut rec = new_cluster(new_id.clone(), account, spec, now, ca, Some(src.id.clone()));
    // the restored servers start from the source's data, configuration included: the record
    // lists the same configurations (under the new cluster's id)
    rec.configurations = src.configurations.clone();
    app.pg.provision(&mut rec, Some((src, pit)))?;
    st.insert(rec)?;
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
    Ok(json_response(202, &out))
}

pub(crate) fn certificate(app: &App, account: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let (ca, created, cid) = {
        let (_, st) = app.lock_now();
        let c = st.get(account, id)?;
        (c.ca.clone(), c.created_ms, c.id.clone())
    };
    let zip = cert::certificate_zip(&ca, created as u64)
        .map_err(|e| ApiError::new(500, "", format!("certificate zip failed: {e}")))?;
    let mut r = Response::new(Body::from(zip));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"{cid}-certificates.zip\""))
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
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
    if vs.is_empty() {
        Ok((cluster.to_ascii_lowercase(), name.to_owned()))
    } else {
        Err(violations(vs))
    }
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
    account: &str,
    id: &str,
) -> Result<Response<Body>, ApiError> {
    let (_, st) = app.lock_now();
    let c = st.get(account, id)?;
    let props: Vec<Value> = c
        .configurations
        .iter()
        .map(|(n, v)| configuration_json(&c.id, n, v))
        .collect();
    Ok(json_response(
        200,
        &json!([{ "clusterId": c.id, "configurationProperties": props }]),
    ))
}

pub(crate) fn create_configuration(
    app: &App,
    account: &str,
    body: &Value,
) -> Result<Response<Body>, ApiError> {
    let vs = validate::create_configuration_json(&validate::Json::from_value(
        body,
        &validate::Bump::new(),
    ));
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    set_configuration(
        app,
        account,
        text("clusterId"),
        text("name"),
        text("value"),
        202,
        false,
    )
}

/// The caller's cluster `id` (its stored ID), `RUNNING`, for a change; with the configuration
/// `name` set when `must_exist`. The lock is released on return, so that the servers can be
/// asked without holding it.
fn cluster_for_change(
    app: &App,
    account: &str,
    id: &str,
    name: Option<&str>,
) -> Result<String, ApiError> {
    let speed = app.config.speed;
    let (now, st) = app.lock_now();
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
    account: &str,
    cluster_id: &str,
    name: &str,
    value: &str,
    status: u16,
    must_exist: bool,
) -> Result<Response<Body>, ApiError> {
    // PostgreSQL's own checks, from its parameter table (with real servers they check again)
    crate::postgres::parameters::check(name, value)
        .map_err(|(field, message)| ApiError::new(400, field, message))?;
    let id = cluster_for_change(app, account, cluster_id, must_exist.then_some(name))?;
    app.pg.configure(&id, name, Some(value))?;
    let mut st = app.lock();
    let c = st.get_mut(account, &id)?;
    c.configurations.insert(name.to_owned(), value.to_owned());
    let out = configuration_json(&c.id, name, value);
    st.save(&id)?;
    Ok(json_response(status, &out))
}

pub(crate) fn get_configuration(
    app: &App,
    account: &str,
    configuration_id: &str,
) -> Result<Response<Body>, ApiError> {
    let (cluster_id, name) = configuration_parts(configuration_id)?;
    let (_, st) = app.lock_now();
    let c = st.get(account, &cluster_id)?;
    let value = c
        .configurations
        .get(&name)
        .ok_or_else(|| no_configuration(configuration_id))?;
    Ok(json_response(202, &configuration_json(&c.id, &name, value)))
}

pub(crate) fn update_configuration(
    app: &App,
    account: &str,
    configuration_id: &str,
    body: &Value,
) -> Result<Response<Body>, ApiError> {
    let (cluster_id, name) = configuration_parts(configuration_id)?;
    let vs = validate::update_configuration_json(&validate::Json::from_value(
        body,
        &validate::Bump::new(),
    ));
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let value = body
        .get("value")
        .and_then(Value::as_str)
        .unwrap_or_default();
    set_configuration(app, account, &cluster_id, &name, value, 202, true)
}

pub(crate) fn reset_configuration(
    app: &App,
    account: &str,
    configuration_id: &str,
) -> Result<Response<Body>, ApiError> {
    let (cluster_id, name) = configuration_parts(configuration_id)?;
    let id = cluster_for_change(app, account, &cluster_id, Some(&name))?;
    app.pg.configure(&id, &name, None)?;
    let mut st = app.lock();
    let c = st.get_mut(account, &id)?;
    if c.configurations.remove(&name).is_none() {
        return Err(no_configuration(configuration_id));
    }
    st.save(&id)?;
    Ok(empty(204))
}

pub(crate) fn update_default_user_password(
    app: &App,
    account: &str,
    id: &str,
    body: &Value,
) -> Result<Response<Body>, ApiError> {
    let vs = validate::password_json(&validate::Json::from_value(body, &validate::Bump::new()));
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let password = body
        .get("password")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let speed = app.config.speed;
    let key = {
        let (now, st) = app.lock_now();
        let c = st.get(account, id)?;
        c.require_running(now, speed, "clusterId", "change the password")?;
        c.id.clone()
    };
    // on the servers first: the old password is refused from the answer on
    app.pg.set_password(&key, &password)?;
    let mut st = app.lock();
    let c = st.get_mut(account, &key)?;
    c.password = password.clone();
    st.save(&key)?;
    // the document's answer: the summary, password included
    Ok(json_response(202, &json!({ "password": password })))
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
    account: &str,
    node_id: &str,
) -> Result<Response<Body>, ApiError> {
    let speed = app.config.speed;
    let (key, k) = {
        let (now, mut st) = app.lock_now();
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
    let now = now_ms();
    let mut st = app.lock();
    let c = st.get_mut(account, &key)?;
    let r = crate::state::ReloadRec {
        id: uuid::Uuid::new_v4().to_string(),
        node_id: node_id.to_ascii_lowercase(),
        start_ms: now,
    };
    let out = c.reload_json(&r, now, speed);
    c.reloads.push(r);
    st.save(&key)?;
    Ok(json_response(202, &out))
}

pub(crate) fn get_node_reload(
    app: &App,
    account: &str,
    node_id: &str,
) -> Result<Response<Body>, ApiError> {
    let speed = app.config.speed;
    let (now, mut st) = app.lock_now();
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
    Ok(json_response(200, &c.reload_json(r, now, speed)))
}

pub(crate) fn list_reloads(app: &App, account: &str, id: &str) -> Result<Response<Body>, ApiError> {
    let speed = app.config.speed;
    let (now, st) = app.lock_now();
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
    Ok(json_response(
        202,
        &json!({ "clusterId": c.id, "reloadOperations": ops }),
    ))
}

pub(crate) fn change_settings(
    app: &App,
    account: &str,
    id: &str,
    body: &Value,
) -> Result<Response<Body>, ApiError> {
    let vs =
        validate::cluster_settings_json(&validate::Json::from_value(body, &validate::Bump::new()));
    if !vs.is_empty() {
        return Err(violations(vs));
    }
    let (_, mut st) = app.lock_now();
    let c = st.get_mut(account, id)?;
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
    let key = c.id.clone();
    st.save(&key)?;
    Ok(json_response(202, &out))
}

pub(crate) fn resize_operations(
    app: &App,
    account: &str,
    dc_id: &str,
    query: Option<&str>,
) -> Result<Response<Body>, ApiError> {
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
    let speed = app.config.speed;
    let (now, st) = app.lock_now();
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
    Ok(json_response(200, &json!({ "operations": ops })))
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
    account: &str,
    id: &str,
    when: When,
) -> Result<Response<Body>, ApiError> {
    let (now, st) = app.lock_now();
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
    Ok(json_response(
        200,
        &json!([{ "maintenanceEvents": events }]),
    ))
}

/// `POST /__emulator/maintenance/{clusterId}` (test mode only): schedules a maintenance event
/// `{ description?, startInMs, durationMs }` (relative to now, real milliseconds) on any
/// account's cluster; answers the event's ID.
pub(crate) fn schedule_maintenance(
    app: &App,
    id: &str,
    body: &Value,
) -> Result<Response<Body>, ApiError> {
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
    let now = now_ms();
    let mut st = app.lock();
    let c = st
        .clusters
        .get_mut(&id.to_ascii_lowercase())
        .ok_or_else(|| ApiError::no_cluster(id))?;
    let m = crate::state::MaintenanceRec {
        id: uuid::Uuid::new_v4().to_string(),
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
    st.save(&key)?;
    Ok(json_response(201, &out))
}
