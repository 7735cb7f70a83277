//! The router: one axum method router per path of the core's endpoint table (with and without
//! its trailing slash), each operation's handler behind the per-operation layers (stats, faults,
//! rate limit, authentication), a JSON 405 naming the allowed methods, `/__emulator/stats` and
//! `/__emulator/maintenance/{clusterId}` (test mode), and
//! the static folder (or a JSON 404) for everything else.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::{Extension, Router};
use serde_json::json;
use tower::ServiceExt;

use crate::api::{self, error_response, json_response, Op};
use crate::extract::{Account, ClusterId, JsonBody, PathParam};
use crate::layers;
use crate::state::ApiError;
use crate::App;

type Reply = Result<Response<Body>, ApiError>;

/// The whole service: API routes, stats, static files, request log, panics as 500, CORS.
pub fn router(app: Arc<App>) -> Router {
    use tower_http::cors::{AllowHeaders, AllowMethods, Any, CorsLayer};
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            header::RETRY_AFTER,
            header::ALLOW,
            header::CONTENT_DISPOSITION,
        ])
        .max_age(Duration::from_secs(600));
    let panic = tower_http::catch_panic::CatchPanicLayer::custom(|_| {
        error_response(&ApiError::new(500, "", "internal error in the emulator"))
    });
    let mut by_path: BTreeMap<&'static str, Vec<Op>> = BTreeMap::new();
    for op in Op::ALL {
        let path = op.spec().path;
        by_path
            .entry(path.strip_suffix('/').unwrap_or(path))
            .or_default()
            .push(op);
    }
    let mut r = Router::new()
        .route("/__emulator/stats", axum::routing::any(stats))
        .route("/__emulator/stats/", axum::routing::any(stats))
        .route(
            "/__emulator/maintenance/{clusterId}",
            axum::routing::post(schedule_maintenance),
        );
    for (path, ops) in by_path {
        let methods = path_router(&app, &ops);
        r = r
            .route(path, methods.clone())
            .route(&format!("{path}/"), methods);
    }
    r.fallback(not_routed)
        .with_state(app.clone())
        .layer(from_fn_with_state(app, layers::log::log))
        .layer(panic)
        .layer(cors)
}

/// The method router of one path: its operations, and a JSON 405 naming the allowed methods for
/// any other (HEAD included: the API has none).
fn path_router(app: &Arc<App>, ops: &[Op]) -> MethodRouter<Arc<App>> {
    let allowed: Vec<&'static str> = ops.iter().map(|op| op.spec().method.as_str()).collect();
    let mut m = MethodRouter::new();
    for &op in ops {
        let Some(filter) = filter(op.spec().method.as_str()) else {
            continue;
        };
        // outermost first
        let stack = tower::ServiceBuilder::new()
            .layer(Extension(op))
            .layer(from_fn_with_state(app.clone(), layers::stats::count))
            .layer(from_fn_with_state(app.clone(), layers::faults::faults))
            .layer(from_fn_with_state(
                app.clone(),
                layers::rate_limit::rate_limit,
            ))
            .layer(from_fn_with_state(app.clone(), layers::auth::auth));
        let layered: MethodRouter<Arc<App>> = handler(op, filter).layer(stack);
        m = m.merge(layered);
    }
    let list = allowed.join(", ");
    if !allowed.contains(&"HEAD") {
        let list = list.clone();
        m = m.on(MethodFilter::HEAD, move |method: Method| async move {
            not_allowed(&method, &list)
        });
    }
    m.fallback(move |method: Method| async move { not_allowed(&method, &list) })
}

fn filter(method: &str) -> Option<MethodFilter> {
    Some(match method {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "PATCH" => MethodFilter::PATCH,
        "DELETE" => MethodFilter::DELETE,
        _ => return None,
    })
}

fn not_allowed(method: &Method, list: &str) -> Response<Body> {
    let mut r = error_response(&ApiError::new(
        405,
        "method",
        format!("{method} is not allowed here; allowed: {list}"),
    ));
    if let Ok(v) = HeaderValue::from_str(list) {
        r.headers_mut().insert(header::ALLOW, v);
    }
    r
}

/// The handler of an operation on one cluster that reads nothing but the signed-in account and
/// the validated cluster id: one adapter for the five such operations.
fn on_cluster(f: MethodFilter, run: fn(&App, &str, &str) -> Reply) -> MethodRouter<Arc<App>> {
    on(
        f,
        move |State(app): State<Arc<App>>, Account(a): Account, ClusterId(id): ClusterId| async move {
            run(&app, &a, &id)
        },
    )
}

/// The handler of an operation on the one path parameter it names (a node or configuration
/// ID, percent-decoded; the handler checks it).
fn on_param(f: MethodFilter, run: fn(&App, &str, &str) -> Reply) -> MethodRouter<Arc<App>> {
    on(
        f,
        move |State(app): State<Arc<App>>, Account(a): Account, PathParam(p): PathParam| async move {
            run(&app, &a, &p)
        },
    )
}

/// The handler of an operation (its extractors say what it reads).
fn handler(op: Op, f: MethodFilter) -> MethodRouter<Arc<App>> {
    match op {
        Op::ListVersions => on(f, list_versions),
        Op::ListCompatibleVersions => on(f, compatible_versions),
        Op::ListCompatibleNodeSizes => on(f, node_sizes),
        Op::ListClusters => on(f, list_clusters),
        Op::GetCluster => on_cluster(f, api::get_cluster),
        Op::CreateCluster => on(f, create_cluster),
        Op::UpdateCluster => on(f, update_cluster),
        Op::DeleteCluster => on_cluster(f, api::delete),
        Op::TriggerBackup => on_cluster(f, api::trigger_backup),
        Op::ListBackups => on_cluster(f, api::list_backups),
        Op::RestoreCluster => on(f, restore_cluster),
        Op::DownloadCertificate => on_cluster(f, api::certificate),
        Op::ListConfigurations => on_cluster(f, api::list_configurations),
        Op::CreateConfiguration => on(f, create_configuration),
        Op::GetConfiguration => on_param(f, api::get_configuration),
        Op::UpdateConfiguration => on(f, update_configuration),
        Op::ResetConfiguration => on_param(f, api::reset_configuration),
        Op::UpdateDefaultUserPassword => on(f, update_default_user_password),
        Op::ReloadNode => on_param(f, api::reload_node),
        Op::GetNodeReload => on_param(f, api::get_node_reload),
        Op::ListReloads => on_cluster(f, api::list_reloads),
        Op::UpdateClusterSettings => on(f, change_settings),
        Op::ListResizeOperations => on(f, resize_operations),
        Op::ListInProgressMaintenanceEvents => on_cluster(f, |app, a, id| {
            api::maintenance_events(app, a, id, api::When::InProgress)
        }),
        Op::ListPastMaintenanceEvents => on_cluster(f, |app, a, id| {
            api::maintenance_events(app, a, id, api::When::Past)
        }),
        Op::ListUpcomingMaintenanceEvents => on_cluster(f, |app, a, id| {
            api::maintenance_events(app, a, id, api::When::Upcoming)
        }),
        // an operation the core lists but the emulator does not serve yet
        other => on(f, move || async move {
            ApiError::new(501, "", format!("{} is not emulated", other.name()))
        }),
    }
}

async fn list_versions() -> Response<Body> {
    json_response(200, &crate::catalog::versions())
}

async fn compatible_versions(PathParam(v): PathParam) -> Reply {
    api::compatible_versions(&v)
}

async fn node_sizes(RawQuery(q): RawQuery) -> Reply {
    api::node_sizes(q.as_deref())
}

async fn list_clusters(
    State(app): State<Arc<App>>,
    Account(a): Account,
    RawQuery(q): RawQuery,
) -> Reply {
    api::list_clusters(&app, &a, q.as_deref())
}

async fn create_cluster(
    State(app): State<Arc<App>>,
    Account(a): Account,
    JsonBody(v): JsonBody,
) -> Reply {
    api::create(&app, &a, &v)
}

async fn update_cluster(
    State(app): State<Arc<App>>,
    Account(a): Account,
    ClusterId(id): ClusterId,
    JsonBody(v): JsonBody,
) -> Reply {
    api::update(&app, &a, &id, &v)
}

async fn restore_cluster(
    State(app): State<Arc<App>>,
    Account(a): Account,
    JsonBody(v): JsonBody,
) -> Reply {
    api::restore(&app, &a, &v)
}

async fn create_configuration(
    State(app): State<Arc<App>>,
    Account(a): Account,
    JsonBody(v): JsonBody,
) -> Reply {
    api::create_configuration(&app, &a, &v)
}

async fn update_configuration(
    State(app): State<Arc<App>>,
    Account(a): Account,
    PathParam(id): PathParam,
    JsonBody(v): JsonBody,
) -> Reply {
    api::update_configuration(&app, &a, &id, &v)
}

async fn update_default_user_password(
    State(app): State<Arc<App>>,
    Account(a): Account,
    ClusterId(id): ClusterId,
    JsonBody(v): JsonBody,
) -> Reply {
    api::update_default_user_password(&app, &a, &id, &v)
}

async fn change_settings(
    State(app): State<Arc<App>>,
    Account(a): Account,
    ClusterId(id): ClusterId,
    JsonBody(v): JsonBody,
) -> Reply {
    api::change_settings(&app, &a, &id, &v)
}

async fn resize_operations(
    State(app): State<Arc<App>>,
    Account(a): Account,
    PathParam(dc): PathParam,
    RawQuery(q): RawQuery,
) -> Reply {
    api::resize_operations(&app, &a, &dc, q.as_deref())
}

/// `POST /__emulator/maintenance/{clusterId}` (test mode only): schedules a maintenance event.
async fn schedule_maintenance(
    State(app): State<Arc<App>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    h: HeaderMap,
    body: Body,
) -> Reply {
    if !app.config.test_mode {
        return Err(ApiError::new(404, "path", "not found (test mode only)"));
    }
    let v = api::json_body(&app, &h, body).await?;
    api::schedule_maintenance(&app, &id, &v)
}

/// `/__emulator/stats` (test mode only).
async fn stats(State(app): State<Arc<App>>) -> Reply {
    if !app.config.test_mode {
        return Err(ApiError::new(404, "path", "not found (test mode only)"));
    }
    let v = serde_json::to_value(&app.lock().stats).unwrap_or_else(|_| json!({}));
    Ok(json_response(200, &v))
}

/// No route: a JSON 404 under the API prefix, else the static folder.
async fn not_routed(State(app): State<Arc<App>>, req: Request) -> Response<Body> {
    let path = req.uri().path().to_owned();
    if path.starts_with("/cluster-management/") {
        return ApiError::new(404, "path", format!("no operation at {path}")).into_response();
    }
    let nf = error_response(&ApiError::new(404, "path", format!("not found: {path}")));
    let Some(dir) = &app.config.static_dir else {
        return nf;
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let mut r = error_response(&ApiError::new(
            405,
            "method",
            "static files: GET or HEAD only",
        ));
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match tower_http::services::ServeDir::new(dir).oneshot(req).await {
        Ok(r) if r.status() == StatusCode::NOT_FOUND => nf,
        Ok(r) => r.map(Body::new),
        Err(e) => match e {},
    }
}
