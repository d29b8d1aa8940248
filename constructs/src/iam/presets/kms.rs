//! KMS presets, for resources encrypted with a customer managed key.

use crate::cfn::kms::Key;
use crate::iam::grant::{Grant, Preset};
use crate::resource::Handle;

/// Read what was encrypted with a key: what a consumer of an SSE-KMS queue needs.
pub const DECRYPT: Preset = Preset {
    name: "kms:decrypt",
    actions: &["kms:Decrypt"],
};

/// Write to a resource encrypted with a key: a data key for the new message, and `Decrypt`,
/// which SQS and SNS call to reuse cached data keys.
pub const ENCRYPT: Preset = Preset {
    name: "kms:encrypt",
    actions: &["kms:GenerateDataKey", "kms:Decrypt"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[DECRYPT, ENCRYPT];

/// [`DECRYPT`] with `key`.
pub fn decrypt(key: &Handle<Key>) -> Grant {
    DECRYPT.grant(key.logical_id(), [key.att_arn()])
}

/// [`ENCRYPT`] with `key`.
pub fn encrypt(key: &Handle<Key>) -> Grant {
    ENCRYPT.grant(key.logical_id(), [key.att_arn()])
}
