//! CloudWatch Logs presets.

use crate::cfn::logs::LogGroup;
use crate::iam::grant::{Grant, Preset};
use crate::resource::Handle;

/// Write log events to a log group's streams (what a function or task needs for its own logs;
/// the group exists, so no `logs:CreateLogGroup`).
pub const WRITE: Preset = Preset {
    name: "logs:write",
    actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
};

/// What VPC flow logs need to deliver to a log group: [`WRITE`] plus `logs:DescribeLogStreams`,
/// which the flow-log service calls before writing.
pub const DELIVER_FLOW_LOGS: Preset = Preset {
    name: "logs:deliver-flow-logs",
    actions: &[
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
    ],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[WRITE, DELIVER_FLOW_LOGS];

/// [`WRITE`] on `group` (its `Arn` attribute ends in `:*`, which covers its streams).
pub fn write(group: &Handle<LogGroup>) -> Grant {
    WRITE.grant(group.logical_id(), [group.att_arn()])
}

/// [`DELIVER_FLOW_LOGS`] on `group`.
pub fn deliver_flow_logs(group: &Handle<LogGroup>) -> Grant {
    DELIVER_FLOW_LOGS.grant(group.logical_id(), [group.att_arn()])
}
