//! Session Manager message gateway presets.

use crate::iam::grant::{Grant, Preset};

/// Open the Session Manager channels ECS Exec uses to reach a running task.
pub const ECS_EXEC: Preset = Preset {
    name: "ssmmessages:ecs-exec",
    actions: &[
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    ],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[ECS_EXEC];

/// [`ECS_EXEC`], on `*` because these actions accept no resource type (see
/// [`RESOURCE_STAR_ACTIONS`](crate::iam::RESOURCE_STAR_ACTIONS)).
pub fn ecs_exec() -> Grant {
    ECS_EXEC.grant("ECS Exec channels", ["*"])
}
