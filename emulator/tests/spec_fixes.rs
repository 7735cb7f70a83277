//! Fixes found against the official API document and Instaclustr's own Go client: an empty
//! `search=` is no filter; a restore with `"pointInTime": null` is echoed with the instant used;
//! with `--postgres off` public addresses come from the documentation ranges (RFC 5737).

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn empty_search_lists_every_cluster() {
    let emu = fast().await;
    let a = emu.create("fix-one").await;
    let b = emu.create("fix-two").await;
    let r = emu
        .call("GET", "/data-sources/clusters/v2?search=", None)
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let ids: Vec<Value> = r.json()[0]["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(ids, vec![a["id"].clone(), b["id"].clone()]);
    // a real filter still filters, a malformed one is still a 400
    let r = emu
        .call("GET", "/data-sources/clusters/v2?search=name:fix-two", None)
        .await;
    assert_eq!(r.json()[0]["clusters"].as_array().unwrap().len(), 1);
    let r = emu
        .call("GET", "/data-sources/clusters/v2?search=fix-two", None)
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), vec!["search".to_owned()]);
    emu.server.shutdown().await;
}

#[tokio::test]
async fn null_point_in_time_is_echoed_as_the_instant_used() {
    let emu = fast().await;
    let c = emu.create("fix-restore").await;
    let id = c["id"].as_str().unwrap().to_owned();
    emu.wait_running(&id).await;
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2/"),
            None,
        )
        .await;
    assert_eq!(r.status, 202);
    let t = std::time::Instant::now();
    let before = loop {
        let r = emu
            .call(
                "POST",
                "/operations/applications/postgres/restore/v2",
                Some(&json!({"clusterId": id, "pointInTime": null})),
            )
            .await;
        if r.status == 202 {
            break r;
        }
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
        assert!(t.elapsed().as_secs() < 15, "the backup never completed");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let v = before.json();
    let pit = v["pointInTime"].as_i64().expect("an instant, not null");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(pit <= now && now - pit < 10_000, "{pit} vs {now}");
    emu.server.shutdown().await;
}

#[tokio::test]
async fn records_only_public_addresses_are_documentation_addresses() {
    let emu = fast().await;
    let c = emu.create("fix-addresses").await;
    for n in c["dataCentres"][0]["nodes"].as_array().unwrap() {
        let a: std::net::Ipv4Addr = n["publicAddress"].as_str().unwrap().parse().unwrap();
        let o = a.octets();
        assert!(
            matches!(o[..3], [192, 0, 2] | [198, 51, 100] | [203, 0, 113]),
            "{a} is not an RFC 5737 address"
        );
    }
    emu.server.shutdown().await;
}
