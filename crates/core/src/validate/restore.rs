//! Restore bodies (`ClusterRestoreV2`): `clusterId` UUID (required), `restoredClusterName` (name
//! rules), `pointInTime` (see [`point_in_time`](super::point_in_time)), and per data centre
//! `cdcConfigs[*]`: `cdcId` UUID (unique), `restoreMode` enum, and `customVpcSettings` required
//! exactly when `restoreMode` is `CUSTOM_VPC` (a `conflict` otherwise) with a non-empty `vpcId` and
//! a well-formed IPv4 CIDR `network` (any range: the VPC is the customer's). `restoredClusterId`
//! is read-only and ignored.

use super::json::{Out, ROOT};
use super::name::check_name;
use super::network::check_cidr;
use super::point_in_time::point_in_time_of;
use super::uuid::is_valid_uuid;
use super::view::Json;
use super::{Violation, ViolationCode};
use crate::model::RestoreMode;

const UUID_MESSAGE: &str = "must be a uuid (8-4-4-4-12 hexadecimal digits)";

pub(crate) fn restore(body: &Json<'_>, now_ms: f64) -> Vec<Violation> {
    let mut out = Out::default();
    let Some(obj) = out.object(body, ROOT) else {
        return out.0;
    };
    if let Some(id) = out.string(obj, ROOT, "clusterId", true) {
        if !is_valid_uuid(id) {
            out.push("clusterId", ViolationCode::Format, UUID_MESSAGE);
        }
    }
    if let Some(name) = out.string(obj, ROOT, "restoredClusterName", false) {
        check_name(name, "restoredClusterName", &mut out);
    }
    if let Some(pit) = obj.get("pointInTime").filter(|p| !p.is_null()) {
        if let Err(v) = point_in_time_of(pit, now_ms) {
            out.0.extend(v);
        }
    }
    if let Some(items) = out.array(obj, ROOT, "cdcConfigs", false, 0, usize::MAX) {
        let mut seen: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let list = ROOT.key("cdcConfigs");
            let p = list.index(i);
            let Some(o) = out.object(item, &p) else {
                continue;
            };
            if let Some(id) = out.string(o, &p, "cdcId", true) {
                if !is_valid_uuid(id) {
                    out.push(p.key("cdcId"), ViolationCode::Format, UUID_MESSAGE);
                } else {
                    let lower = id.to_ascii_lowercase();
                    if seen.contains(&lower) {
                        out.push(
                            p.key("cdcId"),
                            ViolationCode::Conflict,
                            "must not repeat an earlier cdcId",
                        );
                    }
                    seen.push(lower);
                }
            }
            let mode = out.enumeration(o, &p, "restoreMode", true, RestoreMode::KNOWN);
            let vpc_path = p.key("customVpcSettings");
            let vpc = o.get("customVpcSettings").filter(|v| !v.is_null());
            match (mode, vpc) {
                (Some("CUSTOM_VPC"), None) => {
                    out.push(
                        vpc_path,
                        ViolationCode::Required,
                        "is required when restoreMode is CUSTOM_VPC",
                    );
                }
                (Some(m), Some(_)) if m != "CUSTOM_VPC" => {
                    out.push(
                        vpc_path,
                        ViolationCode::Conflict,
                        format!("is only allowed when restoreMode is CUSTOM_VPC, not {m}"),
                    );
                }
                _ => {}
            }
            if let Some(v) = vpc {
                if let Some(s) = out.object(v, &vpc_path) {
                    out.non_empty_string(s, &vpc_path, "vpcId", true);
                    if let Some(net) = out.string(s, &vpc_path, "network", true) {
                        check_cidr(net, &vpc_path.key("network"), &mut out);
                    }
                }
            }
        }
    }
    out.0
}
