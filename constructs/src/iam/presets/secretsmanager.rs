//! AWS Secrets Manager presets.

use crate::cfn::secretsmanager::Secret;
use crate::iam::grant::{Grant, Preset};
use crate::model::value::Value;
use crate::resource::Handle;

/// Read a secret's value (what ECS needs to inject it into a container).
pub const READ: Preset = Preset {
    name: "secretsmanager:read",
    actions: &["secretsmanager:GetSecretValue"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[READ];

/// [`READ`] on `secret` (its `Ref` is the secret's ARN).
pub fn read(secret: &Handle<Secret>) -> Grant {
    READ.grant(secret.logical_id(), [secret.reference()])
}

/// [`READ`] on the secret whose full ARN is `arn` (a secret made outside the app), named
/// `what` in the audit report.
pub fn read_arn(what: &str, arn: impl Into<Value<String>>) -> Grant {
    READ.grant(what, [arn.into()])
}
