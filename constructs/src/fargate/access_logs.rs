//! The load balancer's access-log bucket and the bucket policy ELB log delivery needs.
//!
//! The policy uses the log-delivery service principal
//! (`logdelivery.elasticloadbalancing.amazonaws.com`), AWS's current form, rather than the
//! per-region ELB account ids, which regions opened since August 2022 do not have. It may put
//! objects only under `<prefix>/AWSLogs/<this account>/`, and only for this account
//! (`aws:SourceAccount`). The bucket is the S3 block's: private, encrypted, retained, and its
//! one policy denies requests without TLS.

use crate::blocks::s3::{Bucket as BucketBlock, BucketProps};
use crate::cfn::s3::{Bucket, BucketPolicy};
use crate::iam::{presets, service_principal, Condition, ConditionKey};
use crate::{fns, Handle, Scope};

use super::alb::AccessLogs;

const LOG_DELIVERY: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

pub(crate) fn add(
    scope: &mut Scope<'_>,
    settings: &AccessLogs,
) -> (Handle<Bucket>, Handle<BucketPolicy>) {
    let mut props = BucketProps::new().unversioned();
    // A 0-day expiry is the service's to report (`invalid-load-balancer`, at the service's
    // path); handing it on would make the bucket report the same mistake a second time.
    if settings.expiration_days > 0 {
        props = props.expire_objects("ExpireAccessLogs", settings.expiration_days);
    }
    let bucket = BucketBlock::add_bucket(scope, "AccessLog", &props);
    let prefix = if settings.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", settings.prefix)
    };
    let logs_arn = fns::sub_with(
        format!("${{Arn}}/{prefix}AWSLogs/${{AWS::AccountId}}/*"),
        [("Arn", bucket.att_arn())],
    );
    let delivery = presets::s3::PUT_OBJECT
        .statement([logs_arn])
        .principal(service_principal(LOG_DELIVERY))
        .condition(Condition::string_equals(
            ConditionKey::SOURCE_ACCOUNT,
            fns::account_id(),
        ));
    let policy = BucketBlock::add_policy(scope, "AccessLog", &bucket, vec![delivery]);
    (bucket, policy)
}
