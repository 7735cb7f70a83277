//! Maintenance events of a cluster (`ClusterMaintenanceEventsV2`, `ClusterMaintenanceEventV2`,
//! `ClusterMaintenanceEventSchedulesV2`, `ClusterMaintenanceEventScheduleV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

/// Maintenance events in progress or past.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceEvents {
    /// The events (empty when the server sends none or null).
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub maintenance_events: Vec<MaintenanceEvent>,
}

/// A maintenance event that has started.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceEvent {
    /// ID of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// ID of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// What is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When work started (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// When work ended (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Outcome (`COMPLETED`, `PARTIAL`, ...; a plain string in the API document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// Upcoming maintenance events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceSchedules {
    /// The events (empty when the server sends none or null).
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub maintenance_events: Vec<MaintenanceSchedule>,
}

/// A maintenance event scheduled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceSchedule {
    /// ID of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// ID of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// What will be done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When it is to start (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_start_time: Option<String>,
    /// When it is to end (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_end_time: Option<String>,
    /// The earliest the start may be moved to (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_start_time_min: Option<String>,
    /// The latest the start may be moved to (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_start_time_max: Option<String>,
    /// Whether the event can no longer be rescheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_finalized: Option<bool>,
}
