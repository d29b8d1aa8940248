//! SQS presets.

use crate::cfn::sqs::Queue;
use crate::iam::grant::{Grant, Preset};
use crate::resource::Handle;

/// Consume a queue, as a Lambda event source mapping does: receive, delete, read the
/// attributes, and extend the visibility of messages in flight.
pub const CONSUME: Preset = Preset {
    name: "sqs:consume",
    actions: &[
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
    ],
};

/// Send messages to a queue.
pub const SEND: Preset = Preset {
    name: "sqs:send",
    actions: &["sqs:SendMessage"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[CONSUME, SEND];

/// [`CONSUME`] on `queue`.
pub fn consume(queue: &Handle<Queue>) -> Grant {
    CONSUME.grant(queue.logical_id(), [queue.att_arn()])
}

/// [`SEND`] on `queue`.
pub fn send(queue: &Handle<Queue>) -> Grant {
    SEND.grant(queue.logical_id(), [queue.att_arn()])
}
