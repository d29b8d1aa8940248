//! Amazon S3 presets.

use crate::cfn::s3::Bucket;
use crate::iam::grant::{Grant, Preset};
use crate::model::fns;
use crate::model::value::Value;
use crate::resource::Handle;

/// Write objects (what a log-delivery service needs on its prefix of a bucket).
pub const PUT_OBJECT: Preset = Preset {
    name: "s3:put-object",
    actions: &["s3:PutObject"],
};

/// Read objects.
pub const GET_OBJECT: Preset = Preset {
    name: "s3:get-object",
    actions: &["s3:GetObject"],
};

/// List a bucket's keys.
pub const LIST_BUCKET: Preset = Preset {
    name: "s3:list-bucket",
    actions: &["s3:ListBucket"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[PUT_OBJECT, GET_OBJECT, LIST_BUCKET];

/// The ARN of every object in `bucket` (`<bucket ARN>/*`), which object actions take.
pub fn objects_arn(bucket: &Handle<Bucket>) -> Value<String> {
    fns::sub_with("${Arn}/*", [("Arn", bucket.att_arn())])
}

/// [`GET_OBJECT`] on every object of `bucket`.
pub fn read_objects(bucket: &Handle<Bucket>) -> Grant {
    GET_OBJECT.grant(bucket.logical_id(), [objects_arn(bucket)])
}

/// [`PUT_OBJECT`] on every object of `bucket`.
pub fn write_objects(bucket: &Handle<Bucket>) -> Grant {
    PUT_OBJECT.grant(bucket.logical_id(), [objects_arn(bucket)])
}

/// [`LIST_BUCKET`] on `bucket` itself (listing takes the bucket's ARN, not its objects').
pub fn list(bucket: &Handle<Bucket>) -> Grant {
    LIST_BUCKET.grant(bucket.logical_id(), [bucket.att_arn()])
}
