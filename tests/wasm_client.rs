//! `InstaclustrClient` over the fetch transport, run by `wasm-pack test --node` and
//! `--headless --chrome`. A scripted `fetch` (given through the `fetch` option) drives retries,
//! POST safety, redirects, body limits, timeouts, abort, hooks, waiters, the certificate and
//! argument checks in both runtimes, with no server at all (the lifecycle against the emulator
//! is `wasm_client_lifecycle.rs`).
#![cfg(target_arch = "wasm32")]

// in a browser under `wasm-pack test --chrome` (build.rs), in Node under `--node`
#[cfg(wasm_test_browser)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use instaclustr_pg::client::JsClient;
use instaclustr_pg::fetch::Outcome;
use instaclustr_pg_core::certificate::testing::{pem, zip};
use js_sys::{Array, Function, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const KEY: &str = "recognizable-api-key-0xC0FFEE";

#[wasm_bindgen(inline_js = r#"
export function mockFetch(script) {
  const calls = [];
  const f = (url, init) => {
    calls.push({ url, init });
    const step = script[Math.min(calls.length - 1, script.length - 1)];
    if (step.refused) {
      const e = new TypeError("fetch failed");
      e.cause = { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:1" };
      return Promise.reject(e);
    }
    if (step.reset) return Promise.reject(new TypeError("Failed to fetch"));
    if (step.hang) {
      return new Promise((_, reject) => {
        init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }
    if (step.lookalike) return Promise.resolve({ type: "basic", status: 200, headers: new Headers(), body: null });
    if (step.notObject) return Promise.resolve(step.notObject);
    const body = step.bytes ? new Uint8Array(step.bytes) : (step.body ?? "");
    const status = step.status ?? 200;
    return Promise.resolve(new Response(status === 204 ? null : body, { status, headers: step.headers ?? {} }));
  };
  f.calls = calls;
  return f;
}
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function abortLater(ms) { const c = new AbortController(); setTimeout(() => c.abort(), ms); return c.signal; }
export function abortedSignal() { const c = new AbortController(); c.abort(); return c.signal; }
export function emulatorUrl() { return undefined; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = mockFetch)]
    fn mock_fetch(script: JsValue) -> Function;
    fn sleep(ms: f64) -> Promise;
    #[wasm_bindgen(js_name = abortLater)]
    fn abort_later(ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = abortedSignal)]
    fn aborted_signal() -> JsValue;
}

#[wasm_bindgen(module = "/js/transport.js")]
extern "C" {
    /// The outcome numbers of js/transport.js.
    #[wasm_bindgen(thread_local_v2, js_name = OUTCOME)]
    static TRANSPORT_OUTCOME: JsValue;
}

/// js/transport.js reports an exchange's outcome by number: its `OUTCOME` and src/fetch.rs's
/// `Outcome` name the same numbers, name for name.
#[wasm_bindgen_test]
fn transport_outcomes_are_the_same_on_both_sides() {
    let js = TRANSPORT_OUTCOME.with(JsValue::clone);
    let names: Vec<String> = js_sys::Object::keys(js.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    let rust: Vec<&str> = Outcome::ALL.iter().map(|o| o.js_name()).collect();
    assert_eq!(names, rust);
    for outcome in Outcome::ALL {
        let name = outcome.js_name();
        assert_eq!(
            get(&js, name).as_f64(),
            Some(f64::from(outcome as u32)),
            "{name}"
        );
    }
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn cluster(status: &str) -> String {
    format!(
        r#"{{"id":"{ID}","name":"my-cluster","postgresqlVersion":"16.2.0","privateNetworkCluster":false,"slaTier":"NON_PRODUCTION","synchronousModeStrict":false,"status":"{status}","currentClusterOperationStatus":"NO_OPERATION","dataCentres":[{{"name":"dc_1","cloudProvider":"AWS_VPC","region":"US_EAST_1","network":"10.1.0.0/16","nodeSize":"PGS-DEV-t4g.small-5","numberOfNodes":1,"clientToClusterEncryption":true,"intraDataCentreReplication":[{{"replicationMode":"SYNCHRONOUS"}}],"nodes":[{{"id":"n1","status":"{status}"}}]}}]}}"#
    )
}

fn create_body() -> JsValue {
    // the valid create body shared with every other test
    obj(include_str!("fixtures/create-cluster.json"))
}

/// A step of the scripted fetch.
fn step(status: u16, body: &str) -> JsValue {
    let o = js_sys::Object::new();
    Reflect::set(&o, &"status".into(), &status.into()).unwrap();
    Reflect::set(&o, &"body".into(), &body.into()).unwrap();
    o.into()
}

fn flag(name: &str) -> JsValue {
    obj(&format!(r#"{{"{name}":true}}"#))
}

/// A client over a scripted fetch, plus the fetch (its `calls` property records every call).
fn client_with(steps: Vec<JsValue>, extra: &str) -> (JsClient, Function) {
    let script: Array = steps.into_iter().collect();
    let f = mock_fetch(script.into());
    let opts = obj(&format!(
        r#"{{"baseUrl":"https://api.example.com","username":"alice","apiKey":"{KEY}","retry":{{"baseDelayMs":1,"maxDelayMs":5}}{extra}}}"#
    ));
    Reflect::set(&opts, &"fetch".into(), &f).unwrap();
    (JsClient::new(opts).unwrap(), f)
}

fn calls(f: &Function) -> Array {
    get(f, "calls").unchecked_into()
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// `waitForCluster` of `c` with short delays until it succeeds, and every progress event it gave.
async fn wait_collecting(c: &JsClient) -> (JsValue, Array) {
    let seen = Array::new();
    let s2 = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        s2.push(&p);
    });
    let o = obj(r#"{"maxWaitMs":10000,"minDelayMs":1,"maxDelayMs":5}"#);
    Reflect::set(&o, &"onProgress".into(), cb.as_ref()).unwrap();
    let got = settle(c.wait_for_cluster(ID.into(), o)).await.unwrap();
    (got, seen)
}

/// A real `Error` of class `name`, no key anywhere in it.
fn check_error(err: &JsValue, name: &str) {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    assert_eq!(
        get(err, "name").as_string().as_deref(),
        Some(name),
        "{:?}",
        get(err, "message")
    );
    let text = format!(
        "{} {} {:?}",
        get(err, "message").as_string().unwrap_or_default(),
        JSON::stringify(err)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default(),
        err.dyn_ref::<js_sys::Error>().map(|e| e.to_string())
    );
    assert!(!text.contains(KEY));
}

#[wasm_bindgen_test]
async fn get_retries_then_succeeds_with_safe_fetch_options() {
    let (c, f) = client_with(
        vec![step(503, ""), step(429, ""), step(200, &cluster("RUNNING"))],
        "",
    );
    let got = settle(c.get_cluster(ID.into(), None)).await.unwrap();
    assert_eq!(get(&got, "id").as_string().as_deref(), Some(ID));
    let calls = calls(&f);
    assert_eq!(calls.length(), 3);
    let init = get(&calls.get(0), "init");
    assert_eq!(
        get(&init, "redirect").as_string().as_deref(),
        Some("manual")
    );
    assert_eq!(
        get(&init, "credentials").as_string().as_deref(),
        Some("omit")
    );
    assert_eq!(get(&init, "method").as_string().as_deref(), Some("GET"));
    assert!(get(&get(&init, "headers"), "Authorization")
        .as_string()
        .unwrap()
        .starts_with("Basic "));
    assert!(get(&get(&init, "signal"), "aborted").is_falsy());
}

#[wasm_bindgen_test]
async fn ambiguous_create_is_not_retried() {
    for s in [step(503, ""), flag("reset")] {
        let (c, f) = client_with(vec![s, step(202, &cluster("GENESIS"))], "");
        let err = settle(c.create_cluster(create_body(), None))
            .await
            .unwrap_err();
        assert!(get(&err, "outcomeUnknown").is_truthy());
        assert!(get(&err, "hint")
            .as_string()
            .unwrap()
            .contains("name:my-cluster"));
        assert_eq!(
            get(&err, "operation").as_string().as_deref(),
            Some("createCluster")
        );
        assert_eq!(get(&err, "attempts").as_f64(), Some(1.0));
        assert!(get(&err, "elapsedMs").as_f64().is_some());
        assert_eq!(calls(&f).length(), 1);
        check_error(
            &err,
            if get(&err, "status").is_undefined() {
                "NetworkError"
            } else {
                "ApiError"
            },
        );
    }
}

#[wasm_bindgen_test]
async fn refused_create_is_retried() {
    let (c, f) = client_with(
        vec![
            flag("refused"),
            step(429, ""),
            step(202, &cluster("GENESIS")),
        ],
        "",
    );
    settle(c.create_cluster(create_body(), None)).await.unwrap();
    assert_eq!(calls(&f).length(), 3);
}

#[wasm_bindgen_test]
async fn timeout_aborts_the_fetch() {
    let (c, f) = client_with(vec![flag("hang")], "");
    let err = settle(c.get_cluster(ID.into(), Some(obj(r#"{"timeoutMs":30}"#))))
        .await
        .unwrap_err();
    check_error(&err, "TimeoutError");
    let init = get(&calls(&f).get(0), "init");
    assert!(
        get(&get(&init, "signal"), "aborted").is_truthy(),
        "the in-flight fetch was aborted"
    );
}

#[wasm_bindgen_test]
async fn abort_signal_cancels_request_and_backoff() {
    let (c, f) = client_with(vec![flag("hang")], "");
    let o = js_sys::Object::new();
    Reflect::set(&o, &"signal".into(), &abort_later(20.0)).unwrap();
    let err = settle(c.get_cluster(ID.into(), Some(o.into())))
        .await
        .unwrap_err();
    check_error(&err, "AbortError");
    assert!(get(&get(&get(&calls(&f).get(0), "init"), "signal"), "aborted").is_truthy());

    // during a Retry-After wait of 30 s
    let s = obj(r#"{"status":503,"headers":{"retry-after":"30"}}"#);
    let (c, _) = client_with(vec![s], r#","timeoutMs":120000"#);
    let o = js_sys::Object::new();
    Reflect::set(&o, &"signal".into(), &abort_later(20.0)).unwrap();
    let t = js_sys::Date::now();
    let err = settle(c.get_cluster(ID.into(), Some(o.into())))
        .await
        .unwrap_err();
    check_error(&err, "AbortError");
    assert!(js_sys::Date::now() - t < 5000.0);

    // already aborted: nothing sent
    let (c, f) = client_with(vec![step(200, &cluster("RUNNING"))], "");
    let o = js_sys::Object::new();
    Reflect::set(&o, &"signal".into(), &aborted_signal()).unwrap();
    let err = settle(c.get_cluster(ID.into(), Some(o.into())))
        .await
        .unwrap_err();
    check_error(&err, "AbortError");
    assert_eq!(calls(&f).length(), 0);
}

#[wasm_bindgen_test]
async fn redirects_are_not_followed() {
    let s = obj(r#"{"status":302,"headers":{"location":"https://evil.example/"}}"#);
    let (c, f) = client_with(vec![s], "");
    let err = settle(c.get_cluster(ID.into(), None)).await.unwrap_err();
    check_error(&err, "ApiError");
    assert_eq!(get(&err, "status").as_f64(), Some(302.0));
    assert_eq!(calls(&f).length(), 1);
}

#[wasm_bindgen_test]
async fn a_user_fetch_that_gives_no_response_is_a_network_error() {
    // a look-alike object, a string, a number: none is a `Response`
    for s in [
        flag("lookalike"),
        obj(r#"{"notObject":"200 OK"}"#),
        obj(r#"{"notObject":200}"#),
    ] {
        let (c, f) = client_with(vec![s], "");
        let err = settle(c.get_cluster(ID.into(), None)).await.unwrap_err();
        check_error(&err, "NetworkError");
        assert!(calls(&f).length() >= 1);
    }
}

#[wasm_bindgen_test]
async fn body_size_is_bounded() {
    let big = "x".repeat(1000);
    let (c, _) = client_with(vec![step(200, &big)], r#","maxResponseBytes":100"#);
    let err = settle(c.get_cluster(ID.into(), None)).await.unwrap_err();
    check_error(&err, "DecodeError");
}

#[wasm_bindgen_test]
async fn hooks_see_attempts_without_credentials() {
    let log = Array::new();
    let l2 = log.clone();
    let hook = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        l2.push(&e);
    });
    let (c, _) = {
        let script: Array = vec![step(503, ""), step(200, &cluster("RUNNING"))]
            .into_iter()
            .collect();
        let f = mock_fetch(script.into());
        let opts = obj(&format!(
            r#"{{"baseUrl":"https://api.example.com","username":"alice","apiKey":"{KEY}","retry":{{"baseDelayMs":1}}}}"#
        ));
        Reflect::set(&opts, &"fetch".into(), &f).unwrap();
        Reflect::set(&opts, &"onRequest".into(), hook.as_ref()).unwrap();
        Reflect::set(&opts, &"onResponse".into(), hook.as_ref()).unwrap();
        (JsClient::new(opts).unwrap(), f)
    };
    settle(c.get_cluster(ID.into(), None)).await.unwrap();
    assert_eq!(log.length(), 4);
    assert_eq!(get(&log.get(1), "status").as_f64(), Some(503.0));
    assert_eq!(get(&log.get(3), "attempt").as_f64(), Some(2.0));
    assert_eq!(
        get(&log.get(0), "operation").as_string().as_deref(),
        Some("getCluster")
    );
    let text = JSON::stringify(&log).unwrap().as_string().unwrap();
    assert!(!text.contains(KEY) && !text.to_lowercase().contains("authorization"));
}

#[wasm_bindgen_test]
async fn waiter_reports_progress_and_stops_on_abort() {
    let (c, _) = client_with(
        vec![
            step(200, &cluster("GENESIS")),
            step(200, &cluster("PROVISIONING")),
            step(200, &cluster("RUNNING")),
        ],
        "",
    );
    let (got, seen) = wait_collecting(&c).await;
    assert_eq!(get(&got, "status").as_string().as_deref(), Some("RUNNING"));
    assert_eq!(seen.length(), 3);
    let nodes: Array = get(&seen.get(1), "nodes").unchecked_into();
    assert_eq!(
        get(&nodes.get(0), "status").as_string().as_deref(),
        Some("PROVISIONING")
    );

    let (c, _) = client_with(vec![step(200, &cluster("GENESIS"))], "");
    let o = obj(r#"{"maxWaitMs":600000,"minDelayMs":60000}"#);
    Reflect::set(&o, &"signal".into(), &abort_later(30.0)).unwrap();
    let t = js_sys::Date::now();
    let err = settle(c.wait_for_cluster(ID.into(), o)).await.unwrap_err();
    check_error(&err, "AbortError");
    assert!(js_sys::Date::now() - t < 5000.0);

    let (c, _) = client_with(vec![step(200, &cluster("FAILED"))], "");
    let err = settle(c.wait_for_cluster(ID.into(), obj(r#"{"maxWaitMs":1000}"#)))
        .await
        .unwrap_err();
    check_error(&err, "WaiterError");
}

#[wasm_bindgen_test]
async fn certificate_is_extracted() {
    let der = b"0\x82\x01\x0aCERT".to_vec();
    let p = pem(&der);
    let z = zip(&[
        ("ca.pem", p.as_bytes(), true),
        ("ca.der", &der, false),
        ("truststore.jks", b"JKS", false),
    ]);
    let s = js_sys::Object::new();
    let bytes: Array = z.iter().map(|b| JsValue::from(*b)).collect();
    Reflect::set(&s, &"bytes".into(), &bytes).unwrap();
    let (c, _) = client_with(vec![s.into()], "");
    let got = settle(c.download_certificate(ID.into(), None))
        .await
        .unwrap();
    assert_eq!(get(&got, "pem").as_string().as_deref(), Some(p.as_str()));
    assert_eq!(
        get(&got, "der").unchecked_into::<Uint8Array>().to_vec(),
        der
    );
    assert_eq!(
        get(&got, "jks").unchecked_into::<Uint8Array>().to_vec(),
        b"JKS"
    );
    assert_eq!(get(&got, "zip").unchecked_into::<Uint8Array>().to_vec(), z);

    // after a retried download: the error says how many attempts the download took
    let (c, _) = client_with(vec![step(503, ""), step(200, "not a zip")], "");
    let err = settle(c.download_certificate(ID.into(), None))
        .await
        .unwrap_err();
    check_error(&err, "DecodeError");
    assert_eq!(get(&err, "attempts").as_f64(), Some(2.0));
}

/// What the native reader (the `zip` crate) says of a zip: the PEM, or the error message.
fn native(z: &[u8]) -> Result<String, String> {
    match instaclustr_pg_core::certificate::extract(z.to_vec()) {
        Ok(c) => Ok(c.pem),
        Err(instaclustr_pg_core::Error::Decode { message }) => Err(message),
        Err(e) => panic!("not a decode error: {e}"),
    }
}

/// What `downloadCertificate` (the platform's `DecompressionStream`) says of a zip.
async fn platform(z: &[u8]) -> Result<String, String> {
    let s = js_sys::Object::new();
    let bytes: Array = z.iter().map(|b| JsValue::from(*b)).collect();
    Reflect::set(&s, &"bytes".into(), &bytes).unwrap();
    let (c, _) = client_with(vec![s.into()], "");
    match settle(c.download_certificate(ID.into(), None)).await {
        Ok(v) => Ok(get(&v, "pem").as_string().unwrap()),
        Err(e) => {
            check_error(&e, "DecodeError");
            Err(get(&e, "message").as_string().unwrap())
        }
    }
}

/// The package's reader (js/certificate.js, the platform's inflate) gives the native reader's
/// verdicts (in Node; see below for browsers): the same certificates, or a refusal of both,
/// worded alike where both readers phrase the fault themselves (bounds, methods, encryption,
/// CRC-32, declared sizes, the PEM); a malformed structure or a stream that does not inflate is
/// worded by the zip crate natively. Cases: deflated entries whose declared CRC-32 or size lies, whose stream is
/// corrupt (every byte of it changed in turn), or that inflate far past their declared size.
#[wasm_bindgen_test]
async fn certificate_inflate_matches_the_native_reader() {
    let p = pem(&b"0\x82\x01\x0aCERT".repeat(8));
    let good = zip(&[("ca.pem", p.as_bytes(), true), ("ca.jks", b"JKS", true)]);
    let cd = good.len() - 22 - (46 + 6) * 2; // the central directory entry of ca.pem
    let field = |z: &mut Vec<u8>, at: usize, v: u32| {
        z[cd + at..cd + at + 4].copy_from_slice(&v.to_le_bytes())
    };
    let mut cases = vec![good.clone()];
    for (at, v) in [(16, 0x1234_5678), (24, 100), (24, p.len() as u32 + 7)] {
        let mut z = good.clone();
        field(&mut z, at, v);
        cases.push(z);
    }
    // the deflate stream of ca.pem: after its 30-byte local header and name
    let stream_len = u32::from_le_bytes(good[cd + 20..cd + 24].try_into().unwrap()) as usize;
    for i in 0..stream_len {
        let mut z = good.clone();
        z[36 + i] ^= 0x5a;
        cases.push(z);
    }
    // every byte outside the deflate stream (headers, names, directory, end record) changed in
    // turn, two ways, and the zip cut at every length
    for i in (0..good.len()).filter(|i| !(36..36 + stream_len).contains(i)) {
        for change in [0x5a, 0xff] {
            let mut z = good.clone();
            z[i] ^= change;
            cases.push(z);
        }
    }
    // (an empty body is refused before the zip is read)
    for n in 1..good.len() {
        cases.push(good[..n].to_vec());
    }
    // names Rust's {:?} escapes, a der entry, a directory, a missing pem, a certificate-less pem,
    // stray bits in the base64, method 9, encryption
    let der = b"0\x82\x01\x0aCERT".to_vec();
    cases.push(zip(&[
        ("dir/", b"", false),
        ("a\t\"b\u{7f}\u{301}\u{2028}.pem", p.as_bytes(), false),
        ("x.DER", &der, true),
    ]));
    cases.push(zip(&[("ca.der", &der, false)]));
    cases.push(zip(&[(
        "ca.crt",
        b"-----BEGIN CERTIFICATE-----\nAB==\n-----END CERTIFICATE-----",
        false,
    )]));
    cases.push(zip(&[(
        "ca.crt",
        b"-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
        false,
    )]));
    cases.push(zip(&[(
        "ca.crt",
        b"-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----",
        false,
    )]));
    cases.push(zip(&[("ca.pem", b"\xef\xbb\xbf\xff", false)]));
    let mut method = zip(&[("ca.pem", p.as_bytes(), false)]);
    let cd = method.len() - 22 - (46 + 6);
    method[cd + 10] = 9;
    cases.push(method.clone());
    method[cd + 8] = 1;
    cases.push(method);
    let weird = "a\t\"b\u{7f}\u{301}\u{2028}\u{a0}\u{e9}.pem";
    let mut named = zip(&[(weird, p.as_bytes(), false)]);
    let cd = named.len() - 22 - (46 + weird.len());
    named[cd + 10] = 9;
    cases.push(named);
    // garbage, a bare end record (no entries), and the good zip with a comment in its end record
    cases.push(vec![0xff; 300]);
    cases.push([&b"PK\x05\x06"[..], &[0; 18]].concat());
    let mut commented = good.clone();
    let len = commented.len();
    commented[len - 2..].copy_from_slice(&7u16.to_le_bytes());
    commented.extend_from_slice(b"comment");
    cases.push(commented);
    let zeros = vec![0u8; 600_000];
    let mut bomb = zip(&[("ca.pem", &zeros, true)]);
    let cd = bomb.len() - 22 - (46 + 6);
    bomb[cd + 24..cd + 28].copy_from_slice(&1000u32.to_le_bytes());
    cases.push(bomb);
    let node = Reflect::get(&js_sys::global(), &"process".into())
        .map(|p| p.is_object())
        .unwrap_or(false);
    let (mut refused, mut junk_accepted) = (0, 0);
    for z in &cases {
        let (want, got) = (native(z), platform(z).await);
        match (&want, &got) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => {
                refused += 1;
                // browsers refuse bytes after the end of a deflate stream (a changed byte can
                // end it early), which Node and the native reader ignore: there the entry is
                // refused before its size or CRC-32 is checked
                let junk = !node
                    && b.ends_with("does not inflate within its declared size")
                    && a.ends_with("is not of its declared size");
                let zip_crate_words =
                    a.contains(": not a readable zip: ") || a.contains(" does not inflate: ");
                assert!(
                    b.contains("certificate zip: ")
                        && (zip_crate_words || b.contains(a.as_str()) || junk),
                    "native {a:?}, platform {b:?}"
                )
            }
            // the same in a browser when a changed compressed size takes bytes after the
            // stream's end into the entry: the native reader ignores them and accepts
            (Ok(_), Err(b))
                if !node && b.ends_with("does not inflate within its declared size") =>
            {
                junk_accepted += 1;
            }
            _ => panic!("native {want:?}, platform {got:?}"),
        }
    }
    assert!(
        junk_accepted <= 8,
        "{junk_accepted} entries refused for bytes after their stream"
    );
    assert!(refused > cases.len() / 2, "{refused} of {}", cases.len());
}

/// Where the platform has no `"deflate-raw"` (Node 18), the gzip wrapping inflates: the same
/// certificates, and a `DecodeError` naming the entry for a lying CRC-32 or a corrupt stream.
#[wasm_bindgen_test]
async fn certificate_inflate_without_deflate_raw() {
    let patch = |js: &str| Function::new_no_args(js).call0(&JsValue::NULL).unwrap();
    patch(
        "const D = globalThis.DecompressionStream; globalThis.__realDecompressionStream = D; \
         globalThis.DecompressionStream = class extends D { constructor(f) { \
           if (f === 'deflate-raw') throw new TypeError('unsupported'); super(f); } };",
    );
    let p = pem(&b"0\x82\x01\x0aCERT".repeat(8));
    let good = zip(&[("ca.pem", p.as_bytes(), true), ("ca.jks", b"JKS", true)]);
    let ok = platform(&good).await;
    let mut lying = good.clone();
    let cd = good.len() - 22 - (46 + 6) * 2;
    lying[cd + 16] ^= 1;
    let refused = platform(&lying).await;
    let mut corrupt = good.clone();
    corrupt[36 + 3] ^= 0x5a;
    let corrupt_answer = platform(&corrupt).await;
    patch("globalThis.DecompressionStream = globalThis.__realDecompressionStream;");
    assert_eq!(ok, Ok(p));
    let refused = refused.unwrap_err();
    assert!(
        refused.contains("certificate zip: entry \"ca.pem\""),
        "{refused}"
    );
    assert!(corrupt_answer.is_err() || native(&corrupt).is_ok());
}

#[wasm_bindgen_test]
fn constructor_validates_options() {
    let err = JsClient::new(obj(r#"{"username":"alice","timeoutMs":-1}"#))
        .err()
        .unwrap();
    check_error(&err, "ValidationError");
    let paths: Vec<String> = get(&err, "violations")
        .unchecked_into::<Array>()
        .iter()
        .filter_map(|v| get(&v, "path").as_string())
        .collect();
    assert!(
        paths.contains(&"options.apiKey".to_owned())
            && paths.contains(&"options.timeoutMs".to_owned())
    );
    let err = JsClient::new(obj(&format!(
        r#"{{"username":"alice","apiKey":"{KEY}","baseUrl":"http://api.example.com"}}"#
    )))
    .err()
    .unwrap();
    check_error(&err, "ValidationError");
    // a bad base URL is reported together with every other problem
    let err = JsClient::new(obj(
        r#"{"username":"alice","baseUrl":"http://api.example.com","timeoutMs":-1}"#,
    ))
    .err()
    .unwrap();
    check_error(&err, "ValidationError");
    let mut paths = violation_paths(&err);
    paths.sort();
    assert_eq!(
        paths,
        ["options.apiKey", "options.baseUrl", "options.timeoutMs"]
    );
}

fn violation_paths(err: &JsValue) -> Vec<String> {
    get(err, "violations")
        .unchecked_into::<Array>()
        .iter()
        .filter_map(|v| get(&v, "path").as_string())
        .collect()
}

fn violation_codes(err: &JsValue) -> Vec<String> {
    get(err, "violations")
        .unchecked_into::<Array>()
        .iter()
        .filter_map(|v| get(&v, "code").as_string())
        .collect()
}

#[wasm_bindgen_test]
async fn invalid_arguments_reject() {
    let (c, f) = client_with(vec![step(200, "{}")], "");
    let err = settle(c.get_cluster(JsValue::from(5), None))
        .await
        .unwrap_err();
    check_error(&err, "ValidationError");
    assert_eq!(violation_codes(&err), ["type"]);
    // missing is `required`, as in buildGetClusterRequest
    let err = settle(c.get_cluster(JsValue::UNDEFINED, None))
        .await
        .unwrap_err();
    assert_eq!(violation_paths(&err), ["clusterId"]);
    assert_eq!(violation_codes(&err), ["required"]);
    let params = obj(r#"{"pgbouncerRequired":"yes"}"#);
    let err = settle(c.list_compatible_node_sizes(Some(params), None))
        .await
        .unwrap_err();
    assert_eq!(violation_paths(&err), ["params.pgbouncerRequired"]);
    let err = settle(c.wait_for_cluster(ID.into(), obj("{}")))
        .await
        .unwrap_err();
    check_error(&err, "ValidationError");
    assert_eq!(calls(&f).length(), 0);
    let _ = sleep(0.0);
}

fn update_body(network: &str, size: &str) -> JsValue {
    obj(&format!(
        r#"{{"dataCentres":[{{"name":"dc_1","cloudProvider":"AWS_VPC","region":"US_EAST_1","network":"{network}","nodeSize":"{size}","numberOfNodes":1,"clientToClusterEncryption":true,"intraDataCentreReplication":[{{"replicationMode":"SYNCHRONOUS"}}]}}]}}"#
    ))
}

#[wasm_bindgen_test]
async fn update_guard_refuses_before_sending() {
    let current = obj(&cluster("RUNNING"));
    let v: Array = instaclustr_pg::client::diff_cluster_update(
        current.clone(),
        update_body("10.9.0.0/16", "PGS-DEV-t4g.medium-30"),
    )
    .unwrap()
    .unchecked_into();
    assert_eq!(v.length(), 1);
    assert_eq!(
        get(&v.get(0), "path").as_string().as_deref(),
        Some("dataCentres[0].network")
    );
    assert_eq!(
        get(&v.get(0), "code").as_string().as_deref(),
        Some("conflict")
    );
    let ok: Array = instaclustr_pg::client::diff_cluster_update(
        current.clone(),
        update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30"),
    )
    .unwrap()
    .unchecked_into();
    assert_eq!(ok.length(), 0);

    // fetched current, refused: only the GET went out
    let (c, f) = client_with(vec![step(200, &cluster("RUNNING")), step(202, "")], "");
    let err = settle(c.update_cluster(
        ID.into(),
        update_body("10.9.0.0/16", "PGS-DEV-t4g.medium-30"),
        None,
    ))
    .await
    .unwrap_err();
    check_error(&err, "ValidationError");
    assert_eq!(calls(&f).length(), 1);
    // given current, accepted: only the PUT
    let (c, f) = client_with(vec![step(202, "")], "");
    let o = js_sys::Object::new();
    Reflect::set(&o, &"current".into(), &current).unwrap();
    settle(c.update_cluster(
        ID.into(),
        update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30"),
        Some(o.into()),
    ))
    .await
    .unwrap();
    assert_eq!(calls(&f).length(), 1);
    assert_eq!(
        get(&get(&calls(&f).get(0), "init"), "method")
            .as_string()
            .as_deref(),
        Some("PUT")
    );
}

/// `v` as JSON text without its `elapsedMs` (the one field that depends on time).
fn progress_text(v: &JsValue) -> String {
    let copy = obj(&JSON::stringify(v).unwrap().as_string().unwrap());
    Reflect::delete_property(copy.unchecked_ref::<js_sys::Object>(), &"elapsedMs".into()).unwrap();
    JSON::stringify(&copy).unwrap().as_string().unwrap()
}

/// A cluster with what the typed decode used to drop: unknown fields at every level, `null`
/// optional fields (removed, as every other method removes them).
fn cluster_with_unknown_fields(status: &str) -> String {
    format!(
        r#"{{"id":"{ID}","name":"my-cluster","postgresqlVersion":"16.2.0","privateNetworkCluster":false,"slaTier":"NON_PRODUCTION","synchronousModeStrict":false,"status":"{status}","currentClusterOperationStatus":"NO_OPERATION","description":null,"futureTop":{{"a":[1,2]}},"dataCentres":[{{"name":"dc_1","cloudProvider":"AWS_VPC","region":"US_EAST_1","network":"10.1.0.0/16","nodeSize":"PGS-DEV-t4g.small-5","numberOfNodes":2,"clientToClusterEncryption":true,"intraDataCentreReplication":[{{"replicationMode":"SYNCHRONOUS"}}],"futureDc":true,"nodes":[{{"id":"n1","status":"{status}","futureNode":1}},{{"status":null}}]}}]}}"#
    )
}

#[wasm_bindgen_test]
async fn waiters_keep_unknown_fields_and_report_the_same_progress() {
    let (c, _) = client_with(
        vec![
            step(200, &cluster_with_unknown_fields("PROVISIONING")),
            step(200, &cluster_with_unknown_fields("RUNNING")),
        ],
        "",
    );
    let (got, seen) = wait_collecting(&c).await;
    assert_eq!(
        get(&get(&got, "futureTop"), "a")
            .unchecked_into::<Array>()
            .length(),
        2
    );
    let dc = get(&got, "dataCentres").unchecked_into::<Array>().get(0);
    assert_eq!(get(&dc, "futureDc"), JsValue::TRUE);
    let nodes = get(&dc, "nodes").unchecked_into::<Array>();
    assert_eq!(get(&nodes.get(0), "futureNode").as_f64(), Some(1.0));
    // null optional fields are removed, as getCluster removes them
    assert!(!Reflect::has(got.unchecked_ref::<js_sys::Object>(), &"description".into()).unwrap());
    assert!(!Reflect::has(
        nodes.get(1).unchecked_ref::<js_sys::Object>(),
        &"status".into()
    )
    .unwrap());
    assert_eq!(seen.length(), 2);
    assert_eq!(
        progress_text(&seen.get(0)),
        format!(
            r#"{{"clusterId":"{ID}","status":"PROVISIONING","currentClusterOperationStatus":"NO_OPERATION","nodes":[{{"id":"n1","dataCentre":"dc_1","status":"PROVISIONING"}},{{"dataCentre":"dc_1"}}],"progress":0,"polls":1}}"#
        )
    );
    assert_eq!(
        progress_text(&seen.get(1)),
        format!(
            r#"{{"clusterId":"{ID}","status":"RUNNING","currentClusterOperationStatus":"NO_OPERATION","nodes":[{{"id":"n1","dataCentre":"dc_1","status":"RUNNING"}},{{"dataCentre":"dc_1"}}],"progress":1,"polls":2}}"#
        )
    );

    // gone: undefined, and a DELETED progress event
    let (c, _) = client_with(vec![step(404, "")], "");
    let seen = Array::new();
    let s2 = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        s2.push(&p);
    });
    let o = obj(r#"{"maxWaitMs":10000,"until":"DELETED"}"#);
    Reflect::set(&o, &"onProgress".into(), cb.as_ref()).unwrap();
    let got = settle(c.wait_for_cluster(ID.into(), o)).await.unwrap();
    assert!(got.is_undefined());
    assert_eq!(
        progress_text(&seen.get(0)),
        format!(r#"{{"clusterId":"{ID}","status":"DELETED","nodes":[],"progress":1,"polls":1}}"#)
    );

    // a body the typed decode refused is still a DecodeError naming the path
    let (c, _) = client_with(
        vec![step(
            200,
            &cluster("RUNNING").replace(r#""numberOfNodes":1"#, r#""numberOfNodes":"1""#),
        )],
        "",
    );
    let err = settle(c.wait_for_cluster(ID.into(), obj(r#"{"maxWaitMs":1000}"#)))
        .await
        .unwrap_err();
    check_error(&err, "DecodeError");
    let m = get(&err, "message").as_string().unwrap_or_default();
    assert!(m.contains("dataCentres[0].numberOfNodes"), "{m}");
    assert_eq!(
        get(&err, "operation").as_string().as_deref(),
        Some("waitForCluster")
    );

    // backups: the newest event of each node, unknown fields kept, `end: null` removed
    let running = r#"{"id":"c","futureTop":1,"clusterDataCentres":[{"name":"dc_1","nodes":[{"id":"a","events":[{"start":1,"state":"COMPLETED","progress":1,"end":2},{"start":5,"state":"ACTIVE","progress":0.5,"end":null,"futureEvent":"x"}]},{"id":"b","events":[{"start":6,"state":"COMPLETED","progress":1}]}]},{"nodes":null}]}"#;
    let done = r#"{"clusterDataCentres":[{"name":"dc_1","nodes":[{"id":"a","events":[{"start":7,"state":"COMPLETED","progress":1,"futureEvent":"y"}]},{"id":"b","events":[{"start":6,"state":"COMPLETED"}]}]}]}"#;
    let (c, _) = client_with(vec![step(200, running), step(200, done)], "");
    let seen = Array::new();
    let s2 = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        s2.push(&p);
    });
    let o = obj(r#"{"maxWaitMs":10000,"minDelayMs":1,"maxDelayMs":5}"#);
    Reflect::set(&o, &"onProgress".into(), cb.as_ref()).unwrap();
    let got = settle(c.wait_for_backup(ID.into(), o)).await.unwrap();
    let event = get(
        &get(
            &get(&got, "clusterDataCentres")
                .unchecked_into::<Array>()
                .get(0),
            "nodes",
        )
        .unchecked_into::<Array>()
        .get(0),
        "events",
    )
    .unchecked_into::<Array>()
    .get(0);
    assert_eq!(get(&event, "futureEvent").as_string().as_deref(), Some("y"));
    assert_eq!(
        progress_text(&seen.get(0)),
        format!(
            r#"{{"clusterId":"{ID}","nodes":[{{"id":"a","dataCentre":"dc_1","status":"ACTIVE","progress":0.5}},{{"id":"b","dataCentre":"dc_1","status":"COMPLETED","progress":1}}],"progress":0.75,"polls":1}}"#
        )
    );
    assert_eq!(get(&seen.get(1), "progress").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn update_keeps_unknown_fields_and_guards_against_a_checked_current() {
    // fetched current with unknown fields: a resize goes, the answer keeps its unknown fields
    let answer = cluster_with_unknown_fields("RUNNING");
    let (c, f) = client_with(
        vec![
            step(200, &cluster_with_unknown_fields("RUNNING")),
            step(202, &answer),
        ],
        "",
    );
    let body = obj(
        r#"{"dataCentres":[{"name":"dc_1","cloudProvider":"AWS_VPC","region":"US_EAST_1","network":"10.1.0.0/16","nodeSize":"PGS-DEV-t4g.medium-30","numberOfNodes":2,"clientToClusterEncryption":true,"intraDataCentreReplication":[{"replicationMode":"SYNCHRONOUS"}]}]}"#,
    );
    let got = settle(c.update_cluster(ID.into(), body.clone(), None))
        .await
        .unwrap();
    assert_eq!(calls(&f).length(), 2);
    assert!(get(&got, "futureTop").is_object());
    assert!(!Reflect::has(got.unchecked_ref::<js_sys::Object>(), &"description".into()).unwrap());
    // an empty 202 is undefined
    let (c, _) = client_with(vec![step(200, &cluster("RUNNING")), step(202, "")], "");
    let body1 = update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30");
    let got = settle(c.update_cluster(ID.into(), body1, None))
        .await
        .unwrap();
    assert!(got.is_undefined());
    // a bad 202 body is a DecodeError
    let (c, _) = client_with(vec![step(200, &cluster("RUNNING")), step(202, "[1]")], "");
    let body1 = update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30");
    let err = settle(c.update_cluster(ID.into(), body1, None))
        .await
        .unwrap_err();
    check_error(&err, "DecodeError");

    // a refusal names the field with the current and desired values, as before
    let (c, f) = client_with(vec![step(200, &cluster_with_unknown_fields("RUNNING"))], "");
    let err = settle(c.update_cluster(
        ID.into(),
        update_body("10.9.0.0/16", "PGS-DEV-t4g.medium-30"),
        None,
    ))
    .await
    .unwrap_err();
    check_error(&err, "ValidationError");
    assert_eq!(calls(&f).length(), 1);
    let v = get(&err, "violations").unchecked_into::<Array>();
    let paths = violation_paths(&err);
    assert_eq!(
        paths,
        ["dataCentres[0].network", "dataCentres[0].numberOfNodes"]
    );
    assert_eq!(
        get(&v.get(0), "message").as_string().as_deref(),
        Some(
            r#"cannot be changed after the cluster is created: current "10.1.0.0/16", desired "10.9.0.0/16""#
        )
    );
    assert_eq!(
        get(&err, "operation").as_string().as_deref(),
        Some("updateCluster")
    );

    // options.current that is not a cluster (a number where the typed decode wants a string)
    let (c, f) = client_with(vec![step(202, "")], "");
    let bad = obj(&cluster("RUNNING").replace(r#""name":"my-cluster""#, r#""name":7"#));
    for current in [bad, obj("[]"), JsValue::from("x")] {
        let o = js_sys::Object::new();
        Reflect::set(&o, &"current".into(), &current).unwrap();
        let err = settle(c.update_cluster(
            ID.into(),
            update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30"),
            Some(o.into()),
        ))
        .await
        .unwrap_err();
        check_error(&err, "ValidationError");
        assert_eq!(violation_paths(&err), ["options.current"]);
        let v = get(&err, "violations").unchecked_into::<Array>();
        assert_eq!(
            get(&v.get(0), "message").as_string().as_deref(),
            Some("must be a cluster as returned by getCluster")
        );
    }
    assert_eq!(calls(&f).length(), 0);
    let err = instaclustr_pg::client::diff_cluster_update(obj("{}"), obj("{}")).unwrap_err();
    assert_eq!(violation_paths(&err), ["current"]);
}

#[wasm_bindgen_test]
async fn list_clusters_keeps_the_postgresql_clusters_with_unknown_fields() {
    let body = r#"[{"accountId":"a1","clusters":[{"application":"POSTGRESQL","id":"p1","name":"one","futureField":[1]},{"application":"KAFKA","id":"k1"},{"application":"SOMETHING_NEW","id":"x1"}]},{"clusters":null},{"accountId":"a3"},{"clusters":[{"application":"POSTGRESQL","id":"p2"}],"extra":{}}]"#;
    let (c, _) = client_with(vec![step(200, body)], "");
    let got: Array = settle(c.list_clusters(None))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(
        JSON::stringify(&got).unwrap().as_string().unwrap(),
        r#"[{"application":"POSTGRESQL","id":"p1","name":"one","futureField":[1]},{"application":"POSTGRESQL","id":"p2"}]"#
    );
    let (c, _) = client_with(vec![step(200, "[]")], "");
    let got: Array = settle(c.list_clusters(None))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(got.length(), 0);
    // bad bodies: the DecodeError of the typed decode, same path
    let bad = r#"[{"clusters":[{"application":"POSTGRESQL","id":"p1"},{"application":"KAFKA"}]}]"#;
    let (c, _) = client_with(vec![step(200, bad)], "");
    let err = settle(c.list_clusters(None)).await.unwrap_err();
    check_error(&err, "DecodeError");
    let m = get(&err, "message").as_string().unwrap_or_default();
    assert!(m.contains("[0].clusters[1]"), "{m}");
    assert!(m.contains("id"), "{m}");
    for bad in [r#"{"clusters":[]}"#, r#"[{"clusters":{}}]"#, "nope"] {
        let (c, _) = client_with(vec![step(200, bad)], "");
        let err = settle(c.list_clusters(None)).await.unwrap_err();
        check_error(&err, "DecodeError");
    }
}

// ---- the operations beyond the provisioning page ----

const NODE: &str = "5b1c3f7e-9a0d-4e2b-8c6f-1d2e3f4a5b6c";

fn call_url(f: &Function, i: u32) -> String {
    get(&calls(f).get(i), "url").as_string().unwrap()
}

fn call_init(f: &Function, i: u32, k: &str) -> JsValue {
    get(&get(&calls(f).get(i), "init"), k)
}

#[wasm_bindgen_test]
async fn configurations_round_trip_and_encode_the_id() {
    let prop = format!(
        r#"{{"id":"{ID}|work_mem","clusterId":"{ID}","name":"work_mem","value":"16MB","later":1}}"#
    );
    let (c, f) = client_with(
        vec![
            step(202, &prop),
            step(
                200,
                &format!(r#"[{{"clusterId":"{ID}","configurationProperties":[{prop}]}}]"#),
            ),
            step(202, &prop),
            step(202, &prop),
            step(204, ""),
        ],
        "",
    );
    let created = settle(c.create_configuration(
        obj(&format!(
            r#"{{"clusterId":"{ID}","name":"work_mem","value":"16MB"}}"#
        )),
        None,
    ))
    .await
    .unwrap();
    assert_eq!(get(&created, "value").as_string().as_deref(), Some("16MB"));
    // an unknown field is kept
    assert_eq!(get(&created, "later").as_f64(), Some(1.0));
    assert_eq!(
        call_init(&f, 0, "method").as_string().as_deref(),
        Some("POST")
    );
    assert_eq!(
        call_init(&f, 0, "body").as_string().as_deref(),
        Some(format!(r#"{{"clusterId":"{ID}","name":"work_mem","value":"16MB"}}"#).as_str())
    );
    let list = settle(c.list_configurations(ID.into(), None))
        .await
        .unwrap();
    let props: Array = get(&Array::from(&list).get(0), "configurationProperties").unchecked_into();
    assert_eq!(props.length(), 1);
    // the id as a string or as its parts: the same URL, `|` encoded
    let encoded = format!("https://api.example.com/cluster-management/v2/resources/applications/postgresql/configurations/v2/{ID}%7Cwork_mem");
    settle(c.get_configuration(format!("{ID}|work_mem").into(), None))
        .await
        .unwrap();
    let parts = obj(&format!(r#"{{"clusterId":"{ID}","name":"work_mem"}}"#));
    settle(c.update_configuration(parts.clone(), obj(r#"{"value":"32MB"}"#), None))
        .await
        .unwrap();
    assert_eq!(
        call_init(&f, 3, "method").as_string().as_deref(),
        Some("PUT")
    );
    assert_eq!(
        call_init(&f, 3, "body").as_string().as_deref(),
        Some(r#"{"value":"32MB"}"#)
    );
    let reset = settle(c.reset_configuration(parts, None)).await.unwrap();
    assert!(reset.is_undefined());
    for i in 2..5 {
        assert_eq!(call_url(&f, i), encoded);
    }
    assert_eq!(
        call_init(&f, 4, "method").as_string().as_deref(),
        Some("DELETE")
    );
}

#[wasm_bindgen_test]
async fn configuration_arguments_are_checked_before_sending() {
    let (c, f) = client_with(vec![step(200, "{}")], "");
    let err = settle(c.create_configuration(
        obj(&format!(r#"{{"clusterId":"{ID}","name":"work mem"}}"#)),
        None,
    ))
    .await
    .unwrap_err();
    check_error(&err, "ValidationError");
    assert_eq!(violation_paths(&err), ["name", "value"]);
    assert_eq!(violation_codes(&err), ["pattern", "required"]);
    let err = settle(c.get_configuration(obj(r#"{"clusterId":5}"#), None))
        .await
        .unwrap_err();
    assert_eq!(
        violation_paths(&err),
        ["configurationId.clusterId", "configurationId.name"]
    );
    assert_eq!(violation_codes(&err), ["type", "required"]);
    let err = settle(c.reset_configuration("no-bar".into(), None))
        .await
        .unwrap_err();
    assert_eq!(violation_paths(&err), ["configurationId"]);
    assert_eq!(violation_codes(&err), ["format"]);
    let err = settle(c.update_configuration(format!("{ID}|work_mem").into(), obj("{}"), None))
        .await
        .unwrap_err();
    assert_eq!(violation_paths(&err), ["value"]);
    assert_eq!(calls(&f).length(), 0);
}

#[wasm_bindgen_test]
async fn the_password_is_checked_sent_and_never_shown() {
    const PW: &str = "Recognizable-Pa55-0xBEEF";
    let log = Array::new();
    let l2 = log.clone();
    let hook = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        l2.push(&e);
    });
    let script: Array = vec![
        // the API echoes the password on success, and a proxy echoes it into an error
        step(202, &format!(r#"{{"password":"{PW}"}}"#)),
        step(
            400,
            &format!(r#"{{"errors":[{{"name":"password","message":"{PW} refused"}}]}}"#),
        ),
        step(502, &format!("<html>{PW}</html>")),
    ]
    .into_iter()
    .collect();
    let f = mock_fetch(script.into());
    let opts = obj(&format!(
        r#"{{"baseUrl":"https://api.example.com","username":"alice","apiKey":"{KEY}","maxRetries":0}}"#
    ));
    Reflect::set(&opts, &"fetch".into(), &f).unwrap();
    Reflect::set(&opts, &"onRequest".into(), hook.as_ref()).unwrap();
    Reflect::set(&opts, &"onResponse".into(), hook.as_ref()).unwrap();
    let c = JsClient::new(opts).unwrap();
    let body = obj(&format!(r#"{{"password":"{PW}"}}"#));
    let ok = settle(c.update_default_user_password(ID.into(), body.clone(), None))
        .await
        .unwrap();
    assert!(ok.is_undefined(), "the echoed password is not returned");
    assert_eq!(
        call_init(&f, 0, "method").as_string().as_deref(),
        Some("PUT")
    );
    assert_eq!(
        call_init(&f, 0, "body").as_string().as_deref(),
        Some(format!(r#"{{"password":"{PW}"}}"#).as_str())
    );
    assert!(call_url(&f, 0).ends_with(&format!("/clusters/v2/{ID}/update-default-user-password")));
    for (status, name) in [(400.0, "ApiError"), (502.0, "ApiError")] {
        let err = settle(c.update_default_user_password(ID.into(), body.clone(), None))
            .await
            .unwrap_err();
        check_error(&err, name);
        assert_eq!(get(&err, "status").as_f64(), Some(status));
        let text = format!(
            "{} {}",
            JSON::stringify(&err).unwrap().as_string().unwrap(),
            get(&err, "message").as_string().unwrap()
        );
        assert!(!text.contains(PW), "{text}");
    }
    let text = JSON::stringify(&log).unwrap().as_string().unwrap();
    assert_eq!(log.length(), 6);
    assert!(!text.contains(PW));
    // the rules, before sending: the violation names the field, never the value
    for (weak, code) in [("Short1!", "length"), ("alllowercase", "pattern")] {
        let err = settle(c.update_default_user_password(
            ID.into(),
            obj(&format!(r#"{{"password":"{weak}"}}"#)),
            None,
        ))
        .await
        .unwrap_err();
        check_error(&err, "ValidationError");
        assert_eq!(violation_paths(&err), ["password"]);
        assert_eq!(violation_codes(&err), [code]);
        assert!(!JSON::stringify(&err)
            .unwrap()
            .as_string()
            .unwrap()
            .contains(weak));
    }
    assert_eq!(calls(&f).length(), 3);
}

fn reload(status: &str) -> String {
    format!(
        r#"{{"operationId":"r1","nodeId":"{NODE}","status":"{status}","timeCreated":"2026-12-06T00:00:00Z"}}"#
    )
}

#[wasm_bindgen_test]
async fn reloads_and_wait_for_reload() {
    let (c, f) = client_with(
        vec![
            step(202, &reload("GENESIS")),
            step(202, &reload("GENESIS")),
            step(200, &reload("COMPLETED")),
            step(
                202,
                &format!(
                    r#"{{"clusterId":"{ID}","reloadOperations":[{}]}}"#,
                    reload("COMPLETED")
                ),
            ),
        ],
        "",
    );
    let r = settle(c.reload_node(NODE.into(), None)).await.unwrap();
    assert_eq!(get(&r, "status").as_string().as_deref(), Some("GENESIS"));
    assert_eq!(
        call_init(&f, 0, "method").as_string().as_deref(),
        Some("POST")
    );
    let seen = Array::new();
    let s2 = seen.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        s2.push(&p);
    });
    let o = obj(r#"{"maxWaitMs":10000,"minDelayMs":1,"maxDelayMs":5}"#);
    Reflect::set(&o, &"onProgress".into(), cb.as_ref()).unwrap();
    let done = settle(c.wait_for_reload(NODE.into(), o)).await.unwrap();
    assert_eq!(
        get(&done, "status").as_string().as_deref(),
        Some("COMPLETED")
    );
    assert_eq!(
        get(&done, "timeCreated").as_string().as_deref(),
        Some("2026-12-06T00:00:00Z")
    );
    assert_eq!(seen.length(), 2);
    assert_eq!(get(&seen.get(1), "progress").as_f64(), Some(1.0));
    assert_eq!(
        get(&seen.get(0), "status").as_string().as_deref(),
        Some("GENESIS")
    );
    assert_eq!(
        call_init(&f, 1, "method").as_string().as_deref(),
        Some("GET")
    );
    assert!(call_url(&f, 1).ends_with(&format!("/nodes/v2/{NODE}/reload")));
    let all = settle(c.list_reloads(ID.into(), None)).await.unwrap();
    assert_eq!(Array::from(&get(&all, "reloadOperations")).length(), 1);

    // a failed reload fails the wait at once
    let (c, f) = client_with(vec![step(200, &reload("FAILED"))], "");
    let err = settle(c.wait_for_reload(
        NODE.into(),
        obj(r#"{"maxWaitMs":600000,"minDelayMs":60000}"#),
    ))
    .await
    .unwrap_err();
    check_error(&err, "WaiterError");
    assert_eq!(
        get(&err, "lastStatus").as_string().as_deref(),
        Some("FAILED")
    );
    assert_eq!(
        get(&err, "operation").as_string().as_deref(),
        Some("waitForReload")
    );
    assert_eq!(calls(&f).length(), 1);
    // a bad node id: nothing sent
    let err = settle(c.wait_for_reload(JsValue::from(3), obj(r#"{"maxWaitMs":1000}"#)))
        .await
        .unwrap_err();
    assert_eq!(violation_paths(&err), ["nodeId"]);
    let err = settle(c.reload_node("n1".into(), None)).await.unwrap_err();
    assert_eq!(violation_paths(&err), ["nodeId"]);
    assert_eq!(violation_codes(&err), ["format"]);
    assert_eq!(calls(&f).length(), 1);
}

#[wasm_bindgen_test]
async fn settings_resizes_and_maintenance() {
    let (c, f) = client_with(
        vec![
            step(202, r#"{"description":"Team A"}"#),
            step(
                200,
                r#"{"operations":[{"id":"o1","status":"IN_PROGRESS","replaceOperations":[{"status":"PROVISIONING"}]}]}"#,
            ),
            step(
                200,
                r#"[{"maintenanceEvents":[{"id":"m1","outcome":"COMPLETED"}]}]"#,
            ),
            step(200, r#"[{"maintenanceEvents":[]}]"#),
            step(
                200,
                r#"[{"maintenanceEvents":[{"id":"m2","isFinalized":false}]}]"#,
            ),
        ],
        "",
    );
    let s = settle(c.update_cluster_settings(ID.into(), obj(r#"{"description":"Team A"}"#), None))
        .await
        .unwrap();
    assert_eq!(
        get(&s, "description").as_string().as_deref(),
        Some("Team A")
    );
    assert!(call_url(&f, 0).ends_with(&format!("/operations/clusters/v2/{ID}/change-settings/v2")));
    let r =
        settle(c.list_resize_operations(NODE.into(), Some(obj(r#"{"activeOnly":true}"#)), None))
            .await
            .unwrap();
    assert!(call_url(&f, 1).ends_with(&format!(
        "/cluster-data-centres/v2/{NODE}/resize/operations/v2?activeOnly=true"
    )));
    let ops: Array = get(&r, "operations").unchecked_into();
    assert_eq!(
        get(&ops.get(0), "status").as_string().as_deref(),
        Some("IN_PROGRESS")
    );
    let past = settle(c.list_past_maintenance_events(ID.into(), None))
        .await
        .unwrap();
    assert_eq!(Array::from(&past).length(), 1);
    settle(c.list_in_progress_maintenance_events(ID.into(), None))
        .await
        .unwrap();
    let up = settle(c.list_upcoming_maintenance_events(ID.into(), None))
        .await
        .unwrap();
    let ev: Array = get(&Array::from(&up).get(0), "maintenanceEvents").unchecked_into();
    assert_eq!(get(&ev.get(0), "isFinalized").as_bool(), Some(false));
    for (i, when) in [(2, "past"), (3, "in-progress"), (4, "upcoming")] {
        assert!(call_url(&f, i).ends_with(&format!("/maintenance-events/v2/{when}/v2/")));
    }
    // checked before sending
    let err = settle(c.update_cluster_settings(ID.into(), obj(r#"{"twoFactorDelete":{}}"#), None))
        .await
        .unwrap_err();
    assert_eq!(violation_paths(&err), ["twoFactorDelete.confirmationEmail"]);
    let err =
        settle(c.list_resize_operations(NODE.into(), Some(obj(r#"{"activeOnly":"yes"}"#)), None))
            .await
            .unwrap_err();
    assert_eq!(violation_paths(&err), ["params.activeOnly"]);
    // a malformed answer is a DecodeError
    let (c, _) = client_with(vec![step(200, r#"{"operations":5}"#)], "");
    let err = settle(c.list_resize_operations(NODE.into(), None, None))
        .await
        .unwrap_err();
    check_error(&err, "DecodeError");
    assert_eq!(calls(&f).length(), 5);
}
