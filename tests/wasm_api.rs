//! The exported JS API, run by `wasm-pack test --node` and `wasm-pack test --headless --chrome`:
//! same suite, both runtimes.
#![cfg(target_arch = "wasm32")]

// in a browser under `wasm-pack test --chrome` (build.rs), in Node under `--node`
#[cfg(wasm_test_browser)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use instaclustr_pg::{operations::*, validate::*};
use js_sys::{Array, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const KEY: &str = "sup3r-s3cret-api-key";

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn opts(base: &str) -> Option<JsValue> {
    Some(obj(&format!(
        r#"{{"baseUrl":"{base}","username":"alice","apiKey":"{KEY}"}}"#
    )))
}

/// Asserts `err` is a real `Error` with `name` and `code`, and that no text of it shows the key.
fn check_error(err: &JsValue, name: &str, code: &str) {
    let e = err.dyn_ref::<js_sys::Error>().expect("a real Error");
    assert_eq!(get(err, "name").as_string().as_deref(), Some(name));
    assert_eq!(get(err, "code").as_string().as_deref(), Some(code));
    let text = format!(
        "{} {} {}",
        String::from(e.message()),
        String::from(e.to_string()),
        JSON::stringify(err)
            .unwrap()
            .as_string()
            .unwrap_or_default()
    );
    assert!(!text.contains(KEY), "{text}");
}

/// `(path, code)` of every violation of a thrown `ValidationError`.
fn violations(err: &JsValue) -> Vec<(String, String)> {
    Array::from(&get(err, "violations"))
        .iter()
        .map(|v| {
            let text = |k| get(&v, k).as_string().unwrap_or_default();
            (text("path"), text("code"))
        })
        .collect()
}

fn cluster() -> JsValue {
    // the valid create body shared with every other test
    obj(include_str!("fixtures/create-cluster.json"))
}

#[wasm_bindgen_test]
fn validators_return_arrays() {
    for v in [
        validate_create_cluster(cluster()).unwrap(),
        validate_update_cluster(obj(r#"{"dataCentres":[]}"#)).unwrap(),
        validate_restore_cluster(obj("{}"), None).unwrap(),
    ] {
        assert!(Array::is_array(&v));
    }
    assert_eq!(
        Array::from(&validate_create_cluster(cluster()).unwrap()).length(),
        0
    );
}

#[wasm_bindgen_test]
fn builds_a_request_object() {
    let r = build_get_cluster_request(ID.into(), opts("http://127.0.0.1:8080/")).unwrap();
    assert_eq!(get(&r, "method").as_string().as_deref(), Some("GET"));
    assert_eq!(
        get(&r, "url").as_string().unwrap(),
        format!("http://127.0.0.1:8080/cluster-management/v2/resources/applications/postgresql/clusters/v2/{ID}/")
    );
    let h = get(&r, "headers");
    assert_eq!(
        get(&h, "Accept").as_string().as_deref(),
        Some("application/json")
    );
    assert!(get(&h, "Authorization")
        .as_string()
        .unwrap()
        .starts_with("Basic "));
    assert!(get(&r, "body").is_undefined());
    assert!(
        !Reflect::has(&r, &"body".into()).unwrap(),
        "body absent, not undefined-valued"
    );

    let c = build_create_cluster_request(cluster(), None).unwrap();
    assert_eq!(get(&c, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(
        get(&get(&c, "headers"), "Content-Type")
            .as_string()
            .as_deref(),
        Some("application/json")
    );
    let body = JSON::parse(&get(&c, "body").as_string().unwrap()).unwrap();
    assert_eq!(
        get(&body, "name").as_string().as_deref(),
        Some("my-cluster")
    );
    assert!(get(&get(&c, "headers"), "Authorization").is_undefined());

    let n =
        build_list_compatible_node_sizes_request(Some(obj(r#"{"pgbouncerRequired":true}"#)), None)
            .unwrap();
    assert!(get(&n, "url")
        .as_string()
        .unwrap()
        .ends_with("?pgbouncerRequired=true"));
    let l = build_list_clusters_request(Some(obj(r#"{"search":"name:a b"}"#)), None).unwrap();
    assert!(get(&l, "url")
        .as_string()
        .unwrap()
        .ends_with("?search=name%3Aa%20b"));
    let cert = build_download_certificate_request("x/y".into(), None).unwrap();
    assert_eq!(
        get(&get(&cert, "headers"), "Accept").as_string().as_deref(),
        Some("application/zip")
    );
    assert!(build_list_versions_request(None).is_ok());
    assert!(build_list_compatible_versions_request("16.2.0".into(), None).is_ok());
    for f in [
        build_delete_cluster_request,
        build_list_backups_request,
        build_trigger_backup_request,
    ] {
        assert!(f(ID.into(), None).is_ok());
    }
    let u = build_update_cluster_request(
        ID.into(),
        obj(&format!(
            r#"{{"dataCentres":[{}]}}"#,
            String::from(JSON::stringify(&get(&get(&cluster(), "dataCentres"), "0")).unwrap())
        )),
        None,
    )
    .unwrap();
    assert_eq!(get(&u, "method").as_string().as_deref(), Some("PUT"));
}

#[wasm_bindgen_test]
fn restore_accepts_a_date() {
    let body = obj(&format!(r#"{{"clusterId":"{ID}"}}"#));
    Reflect::set(
        &body,
        &"pointInTime".into(),
        &js_sys::Date::new(&JsValue::from_f64(1_420_070_400_000.0)),
    )
    .unwrap();
    let r = build_restore_cluster_request(body, None).unwrap();
    let sent = JSON::parse(&get(&r, "body").as_string().unwrap()).unwrap();
    assert_eq!(
        get(&sent, "pointInTime").as_string().as_deref(),
        Some("2015-01-01T00:00:00.000Z")
    );
}

#[wasm_bindgen_test]
fn invalid_input_throws_a_validation_error_with_every_violation() {
    let o = Some(obj(
        r#"{"baseUrl":"http://example.com","username":7,"apiKey":"sup3r-s3cret-api-key"}"#,
    ));
    let err = build_download_certificate_request("".into(), o).unwrap_err();
    check_error(&err, "ValidationError", "VALIDATION_ERROR");
    let paths: Vec<String> = Array::from(&get(&err, "violations"))
        .iter()
        .map(|v| get(&v, "path").as_string().unwrap())
        .collect();
    assert_eq!(paths, ["username", "clusterId", "baseUrl"]);
    // the paths and codes of the client methods (wasm_client.rs)
    let err =
        build_list_compatible_node_sizes_request(Some(obj(r#"{"pgbouncerRequired":"yes"}"#)), None)
            .unwrap_err();
    assert_eq!(
        violations(&err),
        [("params.pgbouncerRequired".to_owned(), "type".to_owned())]
    );
    let err = build_get_cluster_request(JsValue::UNDEFINED, None).unwrap_err();
    assert_eq!(
        violations(&err),
        [("clusterId".to_owned(), "required".to_owned())]
    );
    let err = build_get_cluster_request(JsValue::from_f64(3.0), None).unwrap_err();
    check_error(&err, "ValidationError", "VALIDATION_ERROR");
    let err =
        build_list_compatible_versions_request("[x.y.z]".into(), opts("https://api.example.com"))
            .unwrap_err();
    check_error(&err, "ValidationError", "VALIDATION_ERROR");
    // a cycle cannot be sent
    let cyc = obj("{}");
    Reflect::set(&cyc, &"self".into(), &cyc).unwrap();
    check_error(
        &build_create_cluster_request(cyc, None).unwrap_err(),
        "ValidationError",
        "VALIDATION_ERROR",
    );
}

#[wasm_bindgen_test]
fn parsers_return_typed_values_and_throw_typed_errors() {
    let body = r#"{"id":"i","name":"c","postgresqlVersion":"16.2.0","privateNetworkCluster":false,
        "slaTier":"NON_PRODUCTION","synchronousModeStrict":false,"status":"RUNNING","dataCentres":[]}"#;
    let c = parse_get_cluster_response(JsValue::from_f64(200.0), body.into()).unwrap();
    assert_eq!(get(&c, "status").as_string().as_deref(), Some("RUNNING"));
    assert!(!Reflect::has(&c, &"defaultUserPassword".into()).unwrap());
    let bytes = Uint8Array::from(body.as_bytes());
    assert!(parse_create_cluster_response(JsValue::from_f64(202.0), bytes.into()).is_ok());
    assert!(
        parse_update_cluster_response(JsValue::from_f64(202.0), "".into())
            .unwrap()
            .is_undefined()
    );
    assert!(parse_delete_cluster_response(JsValue::from_f64(204.0), "".into()).is_ok());
    assert!(parse_trigger_backup_response(JsValue::from_f64(202.0), JsValue::UNDEFINED).is_ok());
    let v = parse_list_versions_response(
        JsValue::from_f64(200.0),
        r#"[{"applicationVersions":[]}]"#.into(),
    )
    .unwrap();
    assert!(Array::is_array(&v));
    assert!(!v.is_instance_of::<js_sys::Map>());

    let api = parse_get_cluster_response(
        JsValue::from_f64(404.0),
        r#"{"errors":[{"name":"id","message":"nope"}]}"#.into(),
    )
    .unwrap_err();
    check_error(&api, "ApiError", "API_ERROR");
    assert_eq!(get(&api, "status").as_f64(), Some(404.0));
    assert_eq!(Array::from(&get(&api, "errors")).length(), 1);
    assert_eq!(
        get(&api, "operation").as_string().as_deref(),
        Some("getCluster")
    );

    let dec = parse_list_backups_response(JsValue::from_f64(200.0), "{oops".into()).unwrap_err();
    check_error(&dec, "DecodeError", "DECODE_ERROR");
    let bad_status = parse_list_backups_response(JsValue::from_f64(99.5), "{}".into()).unwrap_err();
    check_error(&bad_status, "ValidationError", "VALIDATION_ERROR");

    let zip = parse_download_certificate_response(
        JsValue::from_f64(200.0),
        Uint8Array::from(&[80u8, 75, 3, 4][..]).into(),
    )
    .unwrap();
    assert_eq!(zip.to_vec(), vec![80, 75, 3, 4]);
}

#[wasm_bindgen_test]
fn point_in_time() {
    let d = js_sys::Date::new(&JsValue::from_f64(1_420_070_400_000.0));
    assert_eq!(
        parse_point_in_time(d.into(), None).unwrap(),
        1_420_070_400_000.0
    );
    assert_eq!(
        parse_point_in_time(JsValue::from_f64(1_420_070_400_000.0), None).unwrap(),
        1_420_070_400_000.0
    );
    let err = parse_point_in_time(JsValue::TRUE, None).unwrap_err();
    check_error(&err, "ValidationError", "VALIDATION_ERROR");
    let invalid = js_sys::Date::new(&JsValue::from_str("not a date"));
    check_error(
        &parse_point_in_time(invalid.into(), None).unwrap_err(),
        "ValidationError",
        "VALIDATION_ERROR",
    );
}

#[wasm_bindgen_test]
fn module_keeps_working_after_bad_input() {
    for _ in 0..3 {
        let _ = parse_get_cluster_response(
            JsValue::from_f64(200.0),
            Uint8Array::from(&[0xffu8, 0xfe][..]).into(),
        );
        let _ =
            build_create_cluster_request(JsValue::from_f64(f64::NAN), Some(JsValue::from_str("x")));
        let _ = validate_create_cluster(JsValue::UNDEFINED);
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let _ = parse_list_versions_response(JsValue::from_f64(200.0), deep.into());
    }
    assert!(build_list_versions_request(None).is_ok());
}
