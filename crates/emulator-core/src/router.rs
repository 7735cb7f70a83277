//! Routing: each path of the core's endpoint table (with and without its trailing slash, its
//! one parameter percent-decoded), a JSON 405 naming the allowed methods (HEAD included: the
//! API has none), `/__emulator/stats` and `/__emulator/maintenance/{clusterId}` (test mode), a
//! JSON 404 for everything else; and the work of an operation once routed: its extractors (the
//! validated cluster id, the path parameter, the JSON body) then its handler.

use instaclustr_pg_core::validate;
use serde_json::{json, Value};

use instaclustr_pg_core::Operation;

use crate::api;
use crate::app::App;
use crate::reply::{ApiError, Reply};
use crate::request::{percent_decode_strict, Request};

/// Prefix of every API path.
pub const PREFIX: &str = "/cluster-management/";

/// Where a request goes.
#[derive(Debug, PartialEq)]
pub enum Route {
    /// An operation, with the raw (still percent-encoded) value of its path parameter, if any.
    Operation(Operation, Option<String>),
    /// An API path that has no operation for this method: the methods it has.
    NotAllowed(Vec<&'static str>),
    /// `/__emulator/stats`.
    Stats,
    /// `/__emulator/maintenance/{clusterId}`: the raw id.
    Maintenance(String),
    /// `/__emulator/maintenance/{clusterId}` with another method than POST.
    MaintenanceNotAllowed,
    /// No route under the API prefix.
    NoOperation,
    /// Outside the API (the host's static folder, if any).
    Outside,
}

/// The segments of a path, without its one trailing slash (`None` for an empty segment inside,
/// which no template matches).
fn segments(path: &str) -> Option<Vec<&str>> {
    let p = path.strip_prefix('/')?;
    let p = p.strip_suffix('/').unwrap_or(p);
    let segs: Vec<&str> = p.split('/').collect();
    segs.iter().all(|s| !s.is_empty()).then_some(segs)
}

/// Every operation with its template's segments, split once: routing compares each request's
/// segments with these (splitting the templates per request was most of a request's time).
fn templates() -> &'static [(Operation, Vec<&'static str>)] {
    static TABLE: std::sync::OnceLock<Vec<(Operation, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        Operation::ALL
            .into_iter()
            .filter_map(|op| Some((op, segments(op.spec().path)?)))
            .collect()
    })
}

/// Whether `path`'s segments fit a template's: `Some(parameter, literal count)`.
fn fit<'a>(template: &[&str], segs: &[&'a str]) -> Option<(Option<&'a str>, usize)> {
    if template.len() != segs.len() {
        return None;
    }
    let mut param = None;
    let mut literals = 0;
    for (a, b) in template.iter().zip(segs) {
        if a.starts_with('{') && a.ends_with('}') {
            param = Some(*b);
        } else if a == b {
            literals += 1;
        } else {
            return None;
        }
    }
    Some((param, literals))
}

/// The route of `method` on `path` (raw).
pub fn route(method: &str, path: &str) -> Route {
    if path == "/__emulator/stats" || path == "/__emulator/stats/" {
        return Route::Stats;
    }
    if let Some(id) = path.strip_prefix("/__emulator/maintenance/") {
        if !id.is_empty() && !id.contains('/') {
            return if method == "POST" {
                Route::Maintenance(id.to_owned())
            } else {
                Route::MaintenanceNotAllowed
            };
        }
    }
    if !path.starts_with(PREFIX) {
        return Route::Outside;
    }
    let Some(segs) = segments(path) else {
        return outside(path);
    };
    // the template with the most literal segments wins (a literal beats a parameter); the
    // operations of one template are its methods
    let mut best: Option<(usize, &'static str, Option<&str>)> = None;
    for (op, template) in templates() {
        if let Some((param, literals)) = fit(template, &segs) {
            if best.is_none_or(|(l, _, _)| literals > l) {
                best = Some((literals, op.spec().path, param));
            }
        }
    }
    let Some((_, path_template, param)) = best else {
        return outside(path);
    };
    let ops = templates()
        .iter()
        .map(|(op, _)| *op)
        .filter(|op| op.spec().path == path_template);
    match ops.clone().find(|op| op.spec().method.as_str() == method) {
        Some(op) => Route::Operation(op, param.map(str::to_owned)),
        None => Route::NotAllowed(ops.map(|op| op.spec().method.as_str()).collect()),
    }
}

fn outside(path: &str) -> Route {
    if path.starts_with(PREFIX) {
        Route::NoOperation
    } else {
        Route::Outside
    }
}

/// The JSON 405 naming the allowed methods (and saying so in `Allow`).
pub fn not_allowed(method: &str, allowed: &[&str]) -> Reply {
    let list = allowed.join(", ");
    let mut r = ApiError::new(
        405,
        "method",
        format!("{method} is not allowed here; allowed: {list}"),
    )
    .reply();
    r.set_header("allow", list);
    r
}

/// The answer of a request that is no operation (stats, maintenance, 404, 405).
pub fn other(app: &App, route: &Route, req: &Request<'_>, now: f64) -> Reply {
    let test_only = || ApiError::new(404, "path", "not found (test mode only)").reply();
    match route {
        Route::Stats if !app.options.test_mode => test_only(),
        Route::Stats => {
            let v = serde_json::to_value(&app.lock().stats).unwrap_or_else(|_| json!({}));
            Reply::json(200, &v)
        }
        Route::Maintenance(_) | Route::MaintenanceNotAllowed if !app.options.test_mode => {
            test_only()
        }
        Route::Maintenance(id) => {
            let id = percent_decode_strict(id).unwrap_or_else(|| "\u{fffd}".to_owned());
            json_body(app, req)
                .and_then(|v| api::schedule_maintenance(app, now, &id, &v))
                .unwrap_or_else(|e| e.reply())
        }
        Route::MaintenanceNotAllowed => not_allowed(req.method, &["POST"]),
        Route::NotAllowed(allowed) => not_allowed(req.method, allowed),
        Route::NoOperation => {
            ApiError::new(404, "path", format!("no operation at {}", req.path)).reply()
        }
        Route::Outside | Route::Operation(..) => {
            if app.options.static_files && !matches!(req.method, "GET" | "HEAD") {
                let mut r = ApiError::new(405, "method", "static files: GET or HEAD only").reply();
                r.set_header("allow", "GET, HEAD");
                r
            } else {
                ApiError::new(404, "path", format!("not found: {}", req.path)).reply()
            }
        }
    }
}

fn is_json_type(req: &Request<'_>) -> bool {
    req.header("content-type")
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

/// The request's JSON body, with the size limit, the "required" rule and the content type.
///
/// # Errors
/// A 413 above the limit, a 400 for an empty body or one that is not JSON, a 415 for another
/// content type.
pub fn json_body(app: &App, req: &Request<'_>) -> Result<Value, ApiError> {
    let limit = app.options.body_limit;
    let declared = req
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) || req.body.len() > limit {
        return Err(ApiError::new(
            413,
            "",
            format!("request body is larger than {limit} bytes"),
        ));
    }
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(400, "", "a json request body is required"));
    }
    if !is_json_type(req) {
        return Err(ApiError::new(
            415,
            "Content-Type",
            "must be application/json",
        ));
    }
    serde_json::from_slice(req.body).map_err(|e| {
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

/// The `{clusterId}` of the path, percent-decoded and validated (a segment that does not decode
/// to UTF-8 is checked as a replacement character).
fn cluster_id(param: Option<&str>) -> Result<String, ApiError> {
    let id = param
        .and_then(percent_decode_strict)
        .unwrap_or_else(|| "\u{fffd}".to_owned());
    ApiError::unless_violations(validate::cluster_id(&id, "clusterId"))?;
    Ok(id)
}

/// The one parameter of the path, percent-decoded (empty when it does not decode to UTF-8; its
/// handler checks it).
fn path_param(param: Option<&str>) -> String {
    param.and_then(percent_decode_strict).unwrap_or_default()
}

/// The work of operation `op` for the signed-in `account`: its extractors in order (the
/// cluster id or path parameter, then the JSON body), then its handler.
///
/// # Errors
/// The first extractor's or the handler's error answer.
pub fn operation(
    app: &App,
    op: Operation,
    param: Option<&str>,
    account: &str,
    req: &Request<'_>,
    now: f64,
) -> Result<Reply, ApiError> {
    let a = account;
    let q = req.query;
    let id = || cluster_id(param);
    let p = || path_param(param);
    let body = || json_body(app, req);
    match op {
        Operation::ListVersions => Ok(Reply::json(200, &crate::catalog::versions())),
        Operation::ListCompatibleVersions => api::compatible_versions(&p()),
        Operation::ListCompatibleNodeSizes => api::node_sizes(q),
        Operation::ListClusters => api::list_clusters(app, now, a, q),
        Operation::GetCluster => api::get_cluster(app, now, a, &id()?),
        Operation::CreateCluster => api::create(app, now, a, &body()?),
        Operation::UpdateCluster => {
            let id = id()?;
            api::update(app, now, a, &id, &body()?)
        }
        Operation::DeleteCluster => api::delete(app, now, a, &id()?),
        Operation::TriggerBackup => api::trigger_backup(app, now, a, &id()?),
        Operation::ListBackups => api::list_backups(app, now, a, &id()?),
        Operation::RestoreCluster => api::restore(app, now, a, &body()?),
        Operation::DownloadCertificate => api::certificate(app, now, a, &id()?),
        Operation::ListConfigurations => api::list_configurations(app, now, a, &id()?),
        Operation::CreateConfiguration => api::create_configuration(app, now, a, &body()?),
        Operation::GetConfiguration => api::get_configuration(app, now, a, &p()),
        Operation::UpdateConfiguration => {
            let p = p();
            api::update_configuration(app, now, a, &p, &body()?)
        }
        Operation::ResetConfiguration => api::reset_configuration(app, now, a, &p()),
        Operation::UpdateDefaultUserPassword => {
            let id = id()?;
            api::update_default_user_password(app, now, a, &id, &body()?)
        }
        Operation::ReloadNode => api::reload_node(app, now, a, &p()),
        Operation::GetNodeReload => api::get_node_reload(app, now, a, &p()),
        Operation::ListReloads => api::list_reloads(app, now, a, &id()?),
        Operation::UpdateClusterSettings => {
            let id = id()?;
            api::change_settings(app, now, a, &id, &body()?)
        }
        Operation::ListResizeOperations => api::resize_operations(app, now, a, &p(), q),
        Operation::ListInProgressMaintenanceEvents => {
            api::maintenance_events(app, now, a, &id()?, api::When::InProgress)
        }
        Operation::ListPastMaintenanceEvents => {
            api::maintenance_events(app, now, a, &id()?, api::When::Past)
        }
        Operation::ListUpcomingMaintenanceEvents => {
            api::maintenance_events(app, now, a, &id()?, api::When::Upcoming)
        }
        // an operation the core lists but the emulator does not serve yet
        #[allow(unreachable_patterns)]
        other => Err(ApiError::new(
            501,
            "",
            format!("{} is not emulated", other.name()),
        )),
    }
}
