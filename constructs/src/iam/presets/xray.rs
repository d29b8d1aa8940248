//! X-Ray presets.

use crate::iam::grant::{Grant, Preset};

/// Send trace segments and telemetry: what a traced function or task needs. These actions
/// take no resource, so they are granted on `*` (listed with the reason in
/// [`RESOURCE_STAR_ACTIONS`](crate::iam::RESOURCE_STAR_ACTIONS)).
pub const WRITE: Preset = Preset {
    name: "xray:write",
    actions: &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[WRITE];

/// [`WRITE`], on `*` because X-Ray's write actions accept no resource type.
pub fn write() -> Grant {
    WRITE.grant("X-Ray", ["*"])
}
