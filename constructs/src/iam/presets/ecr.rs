//! Amazon ECR presets: what pulling an image takes.
//!
//! Pulling needs two things: a registry token, which `ecr:GetAuthorizationToken` issues for the
//! account's whole registry and so only accepts `Resource: "*"` (it is in the checker's
//! [`RESOURCE_STAR_ACTIONS`](crate::iam::RESOURCE_STAR_ACTIONS)), and the layer and manifest
//! reads, which take the repository's ARN.

use crate::iam::grant::{Grant, Preset};
use crate::model::value::Value;

/// Get a token for the account's registry (no resource: `*` is the only value IAM accepts).
pub const GET_AUTHORIZATION_TOKEN: Preset = Preset {
    name: "ecr:get-authorization-token",
    actions: &["ecr:GetAuthorizationToken"],
};

/// Pull an image from one repository: its manifest and its layers.
pub const PULL: Preset = Preset {
    name: "ecr:pull",
    actions: &["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[GET_AUTHORIZATION_TOKEN, PULL];

/// [`GET_AUTHORIZATION_TOKEN`] on `*`.
pub fn get_authorization_token() -> Grant {
    GET_AUTHORIZATION_TOKEN.grant("the account's registry", ["*"])
}

/// [`PULL`] on the repository named `repository`, whose ARN is `arn`.
///
/// ```
/// use constructs::iam::presets;
/// use constructs::fns;
///
/// let arn = fns::sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/web");
/// let grant = presets::ecr::pull("web", arn);
/// assert_eq!(grant.name(), "ecr:pull on repository web");
/// ```
pub fn pull(repository: &str, arn: impl Into<Value<String>>) -> Grant {
    PULL.grant(&format!("repository {repository}"), [arn.into()])
}
