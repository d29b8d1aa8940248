//! The load balancer's access-log bucket and the bucket policy ELB log delivery needs.
//!
//! Who writes the logs depends on the Region ("Enable access logs for your Application Load
//! Balancer", <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>):
//! in the Regions listed there ([`ELB_ACCOUNTS`], those available before August 2022), the
//! Elastic Load Balancing account of the Region (`arn:…:iam::<elb-account-id>:root`); in every
//! other Region, the log-delivery service principal
//! `logdelivery.elasticloadbalancing.amazonaws.com`. A policy naming the wrong one is accepted
//! by S3 and CloudFormation alike, and no log is ever delivered.
//!
//! - A stack pinned to a Region ([`Env`](crate::Env)) gets the one statement its Region needs.
//! - A stack that is not pinned gets both, chosen at deploy time: a mapping of Regions to their
//!   ELB account, a condition that holds in exactly the Regions that have one, and a
//!   [`StatementChoice`] between the account (read from the mapping) and the service principal.
//!   `Fn::FindInMap` fails the deploy when its key is missing, even inside the `Fn::If` branch
//!   the condition does not take, so the mapping has a row for every Region a stack may be
//!   pinned to ([`KNOWN_REGIONS`](crate::region::KNOWN_REGIONS)): the Regions without an ELB
//!   account hold [`NO_ACCOUNT`], which that branch never uses (and which IAM would refuse, so
//!   a mistake fails closed). An unpinned stack deployed to a Region newer than that list fails
//!   with a mapping error; pin it ([`Env`](crate::Env)) to get the service principal there.
//!
//! Either way the statement allows `s3:PutObject` only under `<prefix>/AWSLogs/<this
//! account>/`, the path AWS documents. The service principal's statement also requires
//! `aws:SourceAccount` to be this account; the account principal's does not, as AWS documents
//! it, since the request of an account carries no source account. The bucket is the S3
//! block's: private, SSE-S3 (the only encryption log delivery writes to), retained, and its one
//! policy denies requests without TLS.

use indexmap::IndexMap;

use crate::blocks::s3::{Bucket as BucketBlock, BucketProps};
use crate::cfn::s3::{Bucket, BucketPolicy};
use crate::iam::{presets, service_principal, Condition, ConditionKey, Principal, StatementChoice};
use crate::model::expr::Expr;
use crate::model::value::kinds::Cond;
use crate::region::KNOWN_REGIONS;
use crate::{fns, Handle, Scope, Value};

use super::alb::AccessLogs;

/// The log-delivery service principal, for Regions without an ELB account.
pub const LOG_DELIVERY_PRINCIPAL: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

/// The Elastic Load Balancing account of each Region that has one, as "Enable access logs for
/// your Application Load Balancer" lists them
/// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>):
/// the Regions available before August 2022 and the two AWS GovCloud (US) Regions. Every other
/// Region (Middle East (UAE), Asia Pacific (Melbourne), …) uses [`LOG_DELIVERY_PRINCIPAL`].
///
/// The AWS CDK's region facts (`ELBV2_ACCOUNTS`) agree on every Region listed here and add
/// Regions the page does not list: Asia Pacific (Jakarta) `ap-southeast-3`, the China Regions
/// and the isolated partitions. This table follows the page, so those get the service
/// principal.
///
/// ```
/// use constructs::fargate::ELB_ACCOUNTS;
///
/// let account = |region: &str| ELB_ACCOUNTS.iter().find(|(r, _)| *r == region).map(|(_, a)| *a);
/// assert_eq!(account("us-east-1"), Some("127311923021"));
/// assert_eq!(account("ap-southeast-4"), None);
/// ```
pub const ELB_ACCOUNTS: &[(&str, &str)] = &[
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
    ("af-south-1", "098369216593"),
    ("ca-central-1", "985666609251"),
    ("eu-central-1", "054676820928"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-south-1", "635631232127"),
    ("eu-west-3", "009996457667"),
    ("eu-north-1", "897822967062"),
    ("ap-east-1", "754344448648"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-south-1", "718504428378"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-gov-west-1", "048591011584"),
    ("us-gov-east-1", "190560391635"),
];

/// The mapping's second-level key.
const ACCOUNT_KEY: &str = "AccountId";

/// The mapping's value for a Region without an ELB account: not an account id, so a policy
/// that used it would be refused rather than grant anyone.
const NO_ACCOUNT: &str = "none";

/// `Fn::Or` takes at most this many conditions.
const MAX_OR: usize = 10;

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
    let put = presets::s3::PUT_OBJECT.statement([logs_arn]);
    let by_service = put
        .clone()
        .principal(service_principal(LOG_DELIVERY_PRINCIPAL))
        .condition(Condition::string_equals(
            ConditionKey::SOURCE_ACCOUNT,
            fns::account_id(),
        ));
    let region = scope.stack().environment().region.clone();
    let (statements, choices) = match region {
        Some(region) => match elb_account(&region) {
            Some(account) => {
                let root = format!("arn:{}:iam::{account}:root", partition(&region));
                (vec![put.principal(Principal::aws(root))], Vec::new())
            }
            None => (vec![by_service], Vec::new()),
        },
        None => {
            let by_account = put.principal(Principal::aws(account_root_by_region(scope)));
            let has_account = scope.add_condition("AccessLogInElbAccountRegion", in_elb_regions());
            let choice = StatementChoice::new(&has_account, by_account, by_service);
            (Vec::new(), vec![choice])
        }
    };
    let policy = BucketBlock::add_policy(scope, "AccessLog", &bucket, statements, choices);
    (bucket, policy)
}

/// The ELB account of `region`, if the Region has one.
fn elb_account(region: &str) -> Option<&'static str> {
    ELB_ACCOUNTS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, account)| *account)
}

/// The partition of a Region of [`ELB_ACCOUNTS`].
fn partition(region: &str) -> &'static str {
    if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The root ARN of the ELB account of the stack's Region, from a mapping of [`ELB_ACCOUNTS`]
/// added to `scope`. Valid only where [`in_elb_regions`] holds.
fn account_root_by_region(scope: &mut Scope<'_>) -> Value<String> {
    let mapping = KNOWN_REGIONS
        .iter()
        .map(|region| {
            let account = elb_account(region).unwrap_or(NO_ACCOUNT);
            let row = IndexMap::from([(ACCOUNT_KEY.to_owned(), Expr::string(account))]);
            ((*region).to_owned(), row)
        })
        .collect();
    let accounts = scope.add_mapping("AccessLogElbAccounts", mapping);
    fns::sub_with(
        "arn:${AWS::Partition}:iam::${ElbAccount}:root",
        [(
            "ElbAccount",
            fns::find_in_map(&accounts, fns::region(), ACCOUNT_KEY),
        )],
    )
}

/// Whether the stack's Region is one of [`ELB_ACCOUNTS`]: `Fn::Or` of `Fn::Equals`, in groups
/// of at most ten (`Fn::Or` takes 2 to 10 conditions).
fn in_elb_regions() -> Value<Cond> {
    let equals: Vec<Value<Cond>> = ELB_ACCOUNTS
        .iter()
        .map(|(region, _)| fns::equals(fns::region(), *region))
        .collect();
    let mut groups: Vec<Value<Cond>> = Vec::new();
    let mut rest = equals.into_iter().peekable();
    while rest.peek().is_some() {
        let mut group: Vec<Value<Cond>> = rest.by_ref().take(MAX_OR).collect();
        groups.push(if group.len() == 1 {
            group.remove(0)
        } else {
            fns::or(group)
        });
    }
    if groups.len() == 1 {
        groups.remove(0)
    } else {
        fns::or(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_each_region_once_with_a_twelve_digit_account() {
        let mut regions: Vec<&str> = ELB_ACCOUNTS.iter().map(|(r, _)| *r).collect();
        regions.sort_unstable();
        regions.dedup();
        assert_eq!(regions.len(), ELB_ACCOUNTS.len());
        for (region, account) in ELB_ACCOUNTS {
            assert!(
                account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
                "{region}"
            );
        }
        // The groups of the condition stay within `Fn::Or`'s 2 to 10.
        let cond = serde_json::to_value(in_elb_regions()).unwrap();
        let groups = cond["Fn::Or"].as_array().unwrap();
        assert!((2..=MAX_OR).contains(&groups.len()));
        for group in groups {
            let inner = group["Fn::Or"].as_array().map_or(1, Vec::len);
            assert!(inner <= MAX_OR && (inner >= 2 || group.get("Fn::Equals").is_some()));
        }
        let listed: usize = groups
            .iter()
            .map(|g| g["Fn::Or"].as_array().map_or(1, Vec::len))
            .sum();
        assert_eq!(listed, ELB_ACCOUNTS.len());
    }

    #[test]
    fn every_region_with_an_elb_account_is_one_a_stack_may_be_pinned_to() {
        // Else the mapping, which lists the known Regions, would lack one the condition picks.
        for (region, _) in ELB_ACCOUNTS {
            assert!(KNOWN_REGIONS.contains(region), "{region}");
        }
    }

    #[test]
    fn gov_cloud_accounts_are_in_their_partition() {
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition("eu-west-1"), "aws");
    }
}
