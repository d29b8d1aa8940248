//! Amazon S3 presets.

use crate::iam::grant::Preset;

/// Write objects (what a log-delivery service needs on its prefix of a bucket).
pub const PUT_OBJECT: Preset = Preset {
    name: "s3:put-object",
    actions: &["s3:PutObject"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[PUT_OBJECT];
