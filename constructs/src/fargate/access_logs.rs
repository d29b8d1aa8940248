//! The load balancer's access-log bucket and the bucket policy ELB log delivery needs.
//!
//! The policy uses the log-delivery service principal
//! (`logdelivery.elasticloadbalancing.amazonaws.com`), AWS's current form, rather than the
//! per-region ELB account ids, which regions opened since August 2022 do not have. It may put
//! objects only under `<prefix>/AWSLogs/<this account>/`, and only for this account
//! (`aws:SourceAccount`). Requests without TLS are denied.

use crate::cfn::s3::bucket::{
    BucketEncryption, LifecycleConfiguration, OwnershipControls, OwnershipControlsRule,
    PublicAccessBlockConfiguration, Rule, ServerSideEncryptionByDefault, ServerSideEncryptionRule,
};
use crate::cfn::s3::{Bucket, BucketPolicy};
use crate::iam::{
    action, presets, service_principal, Condition, ConditionKey, PolicyDocument, Statement,
};
use crate::{fns, Handle, ResourceOptions, Scope};

use super::alb::AccessLogs;

const LOG_DELIVERY: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

pub(crate) fn add(
    scope: &mut Scope<'_>,
    settings: &AccessLogs,
) -> (Handle<Bucket>, Handle<BucketPolicy>) {
    let bucket = scope.add_with(
        "AccessLogBucket",
        Bucket::new()
            .bucket_encryption(BucketEncryption::new(vec![ServerSideEncryptionRule::new()
                .server_side_encryption_by_default(ServerSideEncryptionByDefault::new(
                    "AES256",
                ))]))
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            )
            .ownership_controls(OwnershipControls::new(vec![
                OwnershipControlsRule::new().object_ownership("BucketOwnerEnforced")
            ]))
            .lifecycle_configuration(LifecycleConfiguration::new(vec![Rule::new("Enabled")
                .id("ExpireAccessLogs")
                .expiration_in_days(settings.expiration_days)])),
        ResourceOptions::new().retain(),
    );
    let prefix = if settings.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", settings.prefix)
    };
    let logs_arn = fns::sub_with(
        format!("${{Arn}}/{prefix}AWSLogs/${{AWS::AccountId}}/*"),
        [("Arn", bucket.att_arn())],
    );
    let objects_arn = presets::s3::objects_arn(&bucket);
    let principal = service_principal(LOG_DELIVERY);
    let policy = PolicyDocument::new()
        .statement(
            presets::s3::PUT_OBJECT
                .statement([logs_arn])
                .principal(principal)
                .condition(Condition::string_equals(
                    ConditionKey::SOURCE_ACCOUNT,
                    fns::account_id(),
                )),
        )
        .statement(Statement::deny_without_tls(
            action("s3:*"),
            [bucket.att_arn(), objects_arn],
        ));
    let policy = scope.add(
        "AccessLogBucketPolicy",
        BucketPolicy::new(bucket.reference(), policy),
    );
    (bucket, policy)
}
