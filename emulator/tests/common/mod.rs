//! Test support: an emulator (the native one in-process, or `npx instaclustr-pg emulator` of the
//! built package when `EMULATOR_TARGET=npm`: one suite, two hosts), an HTTP client, and a small
//! OpenAPI schema checker.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use instaclustr_pg_emulator::{serve, Config, Server, DEFAULT_BODY_LIMIT};
use serde_json::{json, Value};

pub const USER: &str = "alice";
pub const KEY: &str = "alice-key-123";
pub const BASE: &str = "/cluster-management/v2";

pub struct Emu {
    pub server: Host,
    pub url: String,
    pub http: reqwest::Client,
}

/// The emulator under test.
pub enum Host {
    /// The native emulator, in this process.
    Native(Server),
    /// `instaclustr-pg emulator` of the built package (pkg/), a Node process.
    Npm(NpmServer),
}

impl Host {
    /// The native emulator (the tests of what only it has: real PostgreSQL servers).
    pub fn native(&self) -> &Server {
        match self {
            Host::Native(s) => s,
            Host::Npm(_) => panic!("this test needs the native emulator"),
        }
    }

    /// Stops the emulator (and waits for it).
    pub async fn shutdown(self) {
        match self {
            Host::Native(s) => s.shutdown().await,
            Host::Npm(s) => s.shutdown(),
        }
    }
}

/// Whether this run tests `npx instaclustr-pg emulator` (`EMULATOR_TARGET=npm`).
pub fn npm_target() -> bool {
    std::env::var("EMULATOR_TARGET").is_ok_and(|t| t == "npm")
}

/// A running `node pkg/cli/main.js emulator`, killed when dropped.
pub struct NpmServer {
    child: Child,
}

impl NpmServer {
    fn shutdown(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NpmServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The command line of `instaclustr-pg emulator` for `config` (what it cannot do panics: such a
/// test is skipped for this target by scripts/test.d/48-emulator-two-hosts).
fn npm_args(config: &Config) -> Vec<String> {
    assert!(
        config.postgres == instaclustr_pg_emulator::postgres::Mode::Off,
        "the npm emulator has no real PostgreSQL"
    );
    let mut args = vec!["--port".into(), "0".into(), "--quiet".into()];
    args.extend(["--speed".into(), config.speed.to_string()]);
    for (user, key) in &config.accounts {
        args.extend(["--account".into(), format!("{user}:{key}")]);
    }
    if config.test_mode {
        args.push("--test-mode".into());
    }
    if config.fault_rate > 0.0 {
        args.extend(["--fault-rate".into(), config.fault_rate.to_string()]);
    }
    if let Some(seed) = config.seed {
        args.extend(["--seed".into(), seed.to_string()]);
    }
    if !config.fault_kinds.is_empty() {
        args.extend(["--fault-kinds".into(), config.fault_kinds.join(",")]);
    }
    if let Some(r) = config.rate_limit {
        args.extend(["--rate-limit".into(), r.to_string()]);
    }
    if config.body_limit != DEFAULT_BODY_LIMIT {
        args.extend(["--body-limit".into(), config.body_limit.to_string()]);
    }
    if let Some(f) = &config.state_file {
        args.extend(["--state".into(), f.display().to_string()]);
    }
    if let Some(d) = &config.static_dir {
        args.extend(["--static".into(), d.display().to_string()]);
    }
    args
}

/// Starts `node pkg/cli/main.js emulator` with `config`'s options; its URL is its first line.
fn start_npm(config: &Config) -> Result<(NpmServer, String), String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cli = root.join("pkg/cli/main.js");
    if !cli.exists() {
        return Err(format!(
            "{} is missing: build the package (scripts/build)",
            cli.display()
        ));
    }
    let mut child = Command::new("node")
        .arg(&cli)
        .arg("emulator")
        .args(npm_args(config))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("node: {e}"))?;
    let mut line = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    let read = BufReader::new(stdout).read_line(&mut line);
    let server = NpmServer { child };
    match read {
        Ok(n) if n > 0 => {}
        _ => return Err("instaclustr-pg emulator printed nothing".into()),
    }
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected first line: {line:?}"))?
        .to_owned();
    Ok((server, url))
}

/// Starts the emulator under test with `config`.
///
/// # Errors
/// The emulator's own message when it refuses to start (a bad state file, ...).
pub async fn try_start(mut config: Config) -> Result<Emu, String> {
    if config.accounts.is_empty() {
        config.accounts = vec![(USER.into(), KEY.into()), ("bob".into(), "bob-key".into())];
    }
    config.quiet = true;
    let (server, url) = if npm_target() {
        let (server, url) = start_npm(&config)?;
        (Host::Npm(server), url)
    } else {
        let server = serve(config).await?;
        let url = server.url();
        (Host::Native(server), url)
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    Ok(Emu { server, url, http })
}

pub async fn start(config: Config) -> Emu {
    try_start(config).await.expect("emulator starts")
}

pub async fn fast() -> Emu {
    start(Config {
        speed: 1000.0,
        test_mode: true,
        ..Config::default()
    })
    .await
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not json ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    /// Error names of an ErrorListResponseV2.
    pub fn error_names(&self) -> Vec<String> {
        let v = self.json();
        v["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors list: {v}"))
            .iter()
            .map(|e| e["name"].as_str().unwrap_or("").to_owned())
            .collect()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

impl Emu {
    pub async fn call_as(
        &self,
        creds: Option<(&str, &str)>,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Reply, reqwest::Error> {
        let url = if path.starts_with('/') && !path.starts_with(BASE) && !path.starts_with("/__") {
            format!("{}{BASE}{path}", self.url)
        } else {
            format!("{}{path}", self.url)
        };
        let mut rb = self.http.request(method.parse().unwrap(), url);
        if let Some((u, k)) = creds {
            rb = rb.basic_auth(u, Some(k));
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let r = rb.send().await?;
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.bytes().await?.to_vec();
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.call_as(Some((USER, KEY)), method, path, body, &[])
            .await
            .expect("request")
    }

    pub async fn create(&self, name: &str) -> Value {
        let r = self
            .call(
                "POST",
                "/resources/applications/postgresql/clusters/v2/",
                Some(&create_body(name)),
            )
            .await;
        assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
        r.json()
    }

    pub async fn get(&self, id: &str) -> Reply {
        self.call(
            "GET",
            &format!("/resources/applications/postgresql/clusters/v2/{id}/"),
            None,
        )
        .await
    }

    /// Polls GET until `pred` holds (bounded: 15 s).
    pub async fn wait_until(&self, id: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
        let t = Instant::now();
        loop {
            let r = self.get(id).await;
            if pred(&r) {
                return r;
            }
            assert!(
                t.elapsed() < Duration::from_secs(15),
                "timed out waiting; last: {}",
                String::from_utf8_lossy(&r.body)
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_running(&self, id: &str) -> Value {
        self.wait_until(id, |r| {
            let v = r.json();
            v["status"] == "RUNNING" && v["currentClusterOperationStatus"] == "NO_OPERATION"
        })
        .await
        .json()
    }
}

/// A new, empty folder under the system's temporary one, unique to this process and call.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "emu-test-{tag}-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The tests' one create body (tests/fixtures/create-cluster.json) named `name`.
pub fn create_body(name: &str) -> Value {
    let mut body: Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/create-cluster.json"))
            .expect("the fixture is JSON");
    body["name"] = json!(name);
    body
}

// ---- OpenAPI schema checking -------------------------------------------------------------

pub fn spec() -> Value {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/instaclustr-postgresql-v2.openapi.json"
    );
    serde_json::from_str(&std::fs::read_to_string(p).expect("spec")).expect("spec json")
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    for _ in 0..16 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let ptr = r.strip_prefix('#').expect("local $ref");
                s = doc.pointer(ptr).unwrap_or_else(|| panic!("unresolved {r}"));
            }
            None => return s,
        }
    }
    panic!("$ref loop")
}

/// Checks `value` against `schema`: type, required, enum, properties, items ($ref resolved).
pub fn check(doc: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let s = resolve(doc, schema);
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {t}, got {value}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            errors.push(format!("{path}: {value} not in enum"));
        }
    }
    if let Some(req) = s.get("required").and_then(Value::as_array) {
        for r in req.iter().filter_map(Value::as_str) {
            if value.get(r).is_none() {
                errors.push(format!("{path}: missing required {r}"));
            }
        }
    }
    if let (Some(props), Some(obj)) = (
        s.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (k, v) in obj {
            if let Some(ps) = props.get(k) {
                check(doc, ps, v, &format!("{path}.{k}"), errors);
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(doc, items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

/// Asserts that a response body matches the document's schema for `template`/`method`/`status`.
pub fn assert_schema(doc: &Value, template: &str, method: &str, status: u16, body: &Value) {
    let resp = doc["paths"][template][method]["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| panic!("{method} {template}: no response {status} in the document"));
    let schema = resp
        .pointer("/content/application~1json/schema")
        .unwrap_or_else(|| panic!("{method} {template} {status}: no json schema"));
    let mut errors = Vec::new();
    check(doc, schema, body, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{method} {template} {status}: {errors:#?}\n{body}"
    );
}

/// Asserts an ErrorListResponseV2.
pub fn assert_error_list(doc: &Value, body: &Value) {
    let mut errors = Vec::new();
    check(
        doc,
        &json!({"$ref": "#/components/schemas/ErrorListResponseV2"}),
        body,
        "$",
        &mut errors,
    );
    assert!(
        errors.is_empty() && body["errors"].as_array().is_some_and(|a| !a.is_empty()),
        "{errors:?} {body}"
    );
}

/// The current time, epoch ms.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64
}
