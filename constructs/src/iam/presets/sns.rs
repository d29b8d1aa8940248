//! SNS presets.

use crate::cfn::sns::Topic;
use crate::iam::grant::{Grant, Preset};
use crate::resource::Handle;

/// Publish to a topic.
pub const PUBLISH: Preset = Preset {
    name: "sns:publish",
    actions: &["sns:Publish"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[PUBLISH];

/// [`PUBLISH`] on `topic` (its `Ref` is its ARN).
pub fn publish(topic: &Handle<Topic>) -> Grant {
    PUBLISH.grant(topic.logical_id(), [topic.reference()])
}
