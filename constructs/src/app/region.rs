//! Regions and accounts a stack may be pinned to ([`Env`]), checked when the stack is added
//! to an app: a pinned value ends up in templates, in `manifest.json` and in the printed deploy
//! commands (`--region`), so it must be one AWS has, and never text a shell would interpret.

use crate::diagnostics::{closest, Code, Diagnostic};

use super::Env;

/// Every Region CloudFormation templates can target, as cfn-lint 1.58.0 lists them
/// (`cfnlint.helpers.REGIONS`, the Regions it ships resource schemas for): the commercial
/// partition, China, GovCloud, the isolated partitions and the European Sovereign Cloud.
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-1",
    "us-west-2",
];

/// Whether `region` is one of [`KNOWN_REGIONS`].
///
/// ```
/// use constructs::region::is_known_region;
///
/// assert!(is_known_region("eu-west-1"));
/// assert!(!is_known_region("eu-wset-1"));
/// ```
pub fn is_known_region(region: &str) -> bool {
    KNOWN_REGIONS.binary_search(&region).is_ok()
}

/// The problems of stack `stack`'s pinned environment: a Region that AWS does not have, an
/// account that is not 12 digits.
pub(crate) fn check_env(env: &Env, stack: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Some(region) = &env.region {
        if !is_known_region(region) {
            let hint = match closest(region, KNOWN_REGIONS.iter().copied()) {
                Some(r) => format!("did you mean `{r}`?"),
                None => "write a Region code such as `eu-west-1`".to_owned(),
            };
            problems.push(
                Diagnostic::error(
                    Code::InvalidEnvironment,
                    stack,
                    format!("the stack is pinned to Region `{region}`, which AWS does not have"),
                )
                .with_hint(hint),
            );
        }
    }
    if let Some(account) = &env.account {
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(
                Diagnostic::error(
                    Code::InvalidEnvironment,
                    stack,
                    format!("the stack is pinned to account `{account}`, which is not 12 digits"),
                )
                .with_hint("write the account id with its leading zeros, such as `012345678901`"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_list_is_sorted_for_binary_search() {
        assert!(KNOWN_REGIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_misspelt_region_and_a_short_account_are_both_reported() {
        let env = Env {
            account: Some("12345".into()),
            region: Some("eu-wset-1".into()),
        };
        let found = check_env(&env, "Api");
        assert_eq!(found.len(), 2);
        assert!(found
            .iter()
            .all(|d| d.code == Code::InvalidEnvironment && d.path == "Api"));
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `eu-west-1`?"));
        let shell = Env {
            account: None,
            region: Some("eu-west-1; rm -rf ~".into()),
        };
        assert_eq!(check_env(&shell, "Api").len(), 1);
        let fine = Env {
            account: Some("012345678901".into()),
            region: Some("us-gov-west-1".into()),
        };
        assert!(check_env(&fine, "Api").is_empty());
    }
}
