//! Lambda presets.

use crate::cfn::lambda::Function;
use crate::iam::grant::{Grant, Preset};
use crate::resource::Handle;

/// Invoke a function.
pub const INVOKE: Preset = Preset {
    name: "lambda:invoke",
    actions: &["lambda:InvokeFunction"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[INVOKE];

/// [`INVOKE`] on `function`.
pub fn invoke(function: &Handle<Function>) -> Grant {
    INVOKE.grant(function.logical_id(), [function.att_arn()])
}
