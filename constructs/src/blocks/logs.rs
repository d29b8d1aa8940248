//! CloudWatch Logs: a log group with a typed retention and the library's one removal policy.
//!
//! Every log group the library creates (function logs, API access logs, container logs, VPC
//! flow logs) is made here, so they share one rule: **log groups are retained** when their
//! stack is deleted or they are replaced (`DeletionPolicy` and `UpdateReplacePolicy` both
//! `Retain`). Logs are the record of what ran; deleting a stack must not delete the evidence of
//! what it did. Their retention still bounds what they cost, and a retained group without a
//! fixed name never blocks a redeploy (CloudFormation names the new one afresh).

use std::fmt;

use crate::cfn::kms::Key;
use crate::cfn::logs::LogGroup as CfnLogGroup;
use crate::diagnostics::{Code, DomainError};
use crate::iam::{action, Condition, ConditionKey, Principal, Statement};
use crate::{fns, Handle, ResourceOptions, Scope};

use super::sns::key_policy_allows;

/// How long a log group keeps events: exactly the values CloudWatch Logs accepts
/// (`AWS::Logs::LogGroup.RetentionInDays`), so an unsupported number cannot be written.
///
/// ```
/// use constructs::blocks::logs::RetentionDays;
///
/// assert_eq!(RetentionDays::Days30.days(), 30);
/// assert_eq!(RetentionDays::from_days(365), Some(RetentionDays::Days365));
/// assert_eq!(RetentionDays::from_days(31), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RetentionDays {
    /// 1 day.
    Days1,
    /// 3 days.
    Days3,
    /// 5 days.
    Days5,
    /// 1 week.
    Days7,
    /// 2 weeks.
    Days14,
    /// About a month: the library's default.
    #[default]
    Days30,
    /// About two months.
    Days60,
    /// About three months.
    Days90,
    /// About four months.
    Days120,
    /// About five months.
    Days150,
    /// About six months.
    Days180,
    /// One year.
    Days365,
    /// 400 days.
    Days400,
    /// About 18 months.
    Days545,
    /// Two years.
    Days731,
    /// Three years.
    Days1096,
    /// Five years.
    Days1827,
    /// Six years.
    Days2192,
    /// Seven years.
    Days2557,
    /// Eight years.
    Days2922,
    /// Nine years.
    Days3288,
    /// Ten years.
    Days3653,
}

impl RetentionDays {
    /// Every value, shortest first (the schema's `enum` of `RetentionInDays`).
    pub const ALL: [RetentionDays; 22] = [
        RetentionDays::Days1,
        RetentionDays::Days3,
        RetentionDays::Days5,
        RetentionDays::Days7,
        RetentionDays::Days14,
        RetentionDays::Days30,
        RetentionDays::Days60,
        RetentionDays::Days90,
        RetentionDays::Days120,
        RetentionDays::Days150,
        RetentionDays::Days180,
        RetentionDays::Days365,
        RetentionDays::Days400,
        RetentionDays::Days545,
        RetentionDays::Days731,
        RetentionDays::Days1096,
        RetentionDays::Days1827,
        RetentionDays::Days2192,
        RetentionDays::Days2557,
        RetentionDays::Days2922,
        RetentionDays::Days3288,
        RetentionDays::Days3653,
    ];

    /// The number of days, as the template writes it.
    pub fn days(self) -> u16 {
        match self {
            RetentionDays::Days1 => 1,
            RetentionDays::Days3 => 3,
            RetentionDays::Days5 => 5,
            RetentionDays::Days7 => 7,
            RetentionDays::Days14 => 14,
            RetentionDays::Days30 => 30,
            RetentionDays::Days60 => 60,
            RetentionDays::Days90 => 90,
            RetentionDays::Days120 => 120,
            RetentionDays::Days150 => 150,
            RetentionDays::Days180 => 180,
            RetentionDays::Days365 => 365,
            RetentionDays::Days400 => 400,
            RetentionDays::Days545 => 545,
            RetentionDays::Days731 => 731,
            RetentionDays::Days1096 => 1096,
            RetentionDays::Days1827 => 1827,
            RetentionDays::Days2192 => 2192,
            RetentionDays::Days2557 => 2557,
            RetentionDays::Days2922 => 2922,
            RetentionDays::Days3288 => 3288,
            RetentionDays::Days3653 => 3653,
        }
    }

    /// The value for `days`, if CloudWatch Logs accepts that number.
    pub fn from_days(days: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|r| u32::from(r.days()) == days)
    }
}

/// The choices of a [`LogGroup`]: its retention (default [`RetentionDays::Days30`]) and,
/// optionally, a customer managed key (by default CloudWatch Logs encrypts with its own keys).
///
/// ```
/// use constructs::blocks::logs::{LogGroupProps, RetentionDays};
///
/// let props = LogGroupProps::new().retention(RetentionDays::Days90);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct LogGroupProps {
    retention: RetentionDays,
    key: Option<Handle<Key>>,
}

impl LogGroupProps {
    /// Events kept 30 days.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long events are kept.
    pub fn retention(mut self, retention: RetentionDays) -> Self {
        self.retention = retention;
        self
    }

    /// Encrypts the log group's events with a customer managed key (`KmsKeyId`). CloudWatch
    /// Logs uses the key itself, so the key's policy must hold [`key_statement`]; a key of the
    /// same stack whose policy is written out without it is an `unsupported-encryption` error
    /// (the log group could not be created). A key of another stack, or a policy that is an
    /// intrinsic function or a parameter, cannot be read here: add the statement yourself.
    ///
    /// ```
    /// use constructs::blocks::logs::{key_statement, LogGroup, LogGroupProps};
    /// use constructs::cfn::kms::Key;
    /// use constructs::iam::{Action, PolicyDocument, Principal, Statement};
    /// use constructs::{App, Stack};
    ///
    /// let mut stack = Stack::new("Audit");
    /// let admin = Statement::allow(Action::new("kms:*").unwrap())
    ///     .principal(Principal::aws("arn:aws:iam::123456789012:root"))
    ///     .resource("*");
    /// let key = stack.add("LogsKey", Key::new().key_policy(
    ///     PolicyDocument::new().statement(admin).statement(key_statement()),
    /// ));
    /// LogGroup::new(&mut stack, "AuditLogs", LogGroupProps::new().kms_key(&key));
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// let json = app.assemble().unwrap().stack("Audit").unwrap().json.clone();
    /// assert!(json.contains(r#""KmsKeyId""#));
    /// ```
    pub fn kms_key(mut self, key: &Handle<Key>) -> Self {
        self.key = Some(key.clone());
        self
    }
}

/// The statement a customer managed key's policy needs so that CloudWatch Logs can encrypt and
/// decrypt the log groups of the stack's account and Region with it, as AWS documents it
/// ("Encrypt log data in CloudWatch Logs using AWS Key Management Service",
/// <https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html>):
/// `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and
/// `kms:Describe*` for `logs.<Region>.amazonaws.com`, on the key itself (`Resource: "*"`),
/// only when the encryption context names a log group of this account and Region
/// (`kms:EncryptionContext:aws:logs:arn`).
///
/// ```
/// use constructs::blocks::logs::key_statement;
///
/// let json = serde_json::to_string(&key_statement().to_expr()).unwrap();
/// assert!(json.contains("kms:EncryptionContext:aws:logs:arn"));
/// assert!(json.contains("logs.${AWS::Region}.amazonaws.com"));
/// ```
pub fn key_statement() -> Statement {
    let principal =
        Principal::regional_service("logs").expect("`logs` is a service principal's name");
    let context = ConditionKey::new("kms:EncryptionContext:aws:logs:arn")
        .expect("the documented condition key");
    // AWS's page writes `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`,
    // `kms:GenerateDataKey*` and `kms:Describe*`; these are the actions those patterns match,
    // named exactly, as the IAM check at synth requires. `kms:DescribeKey` is left out: it
    // takes no encryption context, so under this statement's condition it never matched.
    Statement::allow(action("kms:Encrypt"))
        .actions(
            [
                "kms:Decrypt",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
            ]
            .map(action),
        )
        .principal(principal)
        .resource("*")
        .condition(Condition::arn_like(
            context,
            fns::sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"),
        ))
}

/// What keeps CloudWatch Logs from using a [`LogGroup`]'s key, reported at synth with the
/// construct path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogGroupError {
    /// The key (of the same stack) has a written-out policy with no statement letting
    /// `logs.<Region>.amazonaws.com` generate data keys and decrypt: CloudWatch Logs refuses
    /// to create the log group. [`Code::UnsupportedEncryption`].
    KeyPolicyWithoutLogs {
        /// The key's logical id.
        key: String,
    },
}

impl DomainError for LogGroupError {
    fn code(&self) -> Code {
        match self {
            LogGroupError::KeyPolicyWithoutLogs { .. } => Code::UnsupportedEncryption,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            LogGroupError::KeyPolicyWithoutLogs { .. } => Some(
                "add constructs::blocks::logs::key_statement() to the key's KeyPolicy".to_owned(),
            ),
        }
    }
}

impl fmt::Display for LogGroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogGroupError::KeyPolicyWithoutLogs { key } => write!(
                f,
                "the policy of key `{key}` does not let CloudWatch Logs \
                 (logs.<Region>.amazonaws.com) use it, so the log group cannot be encrypted \
                 with it"
            ),
        }
    }
}

impl std::error::Error for LogGroupError {}

/// A CloudWatch Logs log group with a bounded retention, retained when its stack is deleted
/// (the library's one removal policy for logs; see the [module docs](self)).
///
/// ```
/// use constructs::blocks::logs::{LogGroup, LogGroupProps, RetentionDays};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Observability");
/// let logs = LogGroup::new(&mut stack, "AuditLogs", LogGroupProps::new().retention(RetentionDays::Days365));
/// assert_eq!(logs.handle().logical_id(), "AuditLogs");
/// app.add_stack(stack);
/// let json = app.assemble().unwrap().stack("Observability").unwrap().json.clone();
/// assert!(json.contains(r#""RetentionInDays": 365"#));
/// assert!(json.contains(r#""DeletionPolicy": "Retain""#));
/// ```
#[derive(Clone, Debug)]
pub struct LogGroup {
    handle: Handle<CfnLogGroup>,
}

impl LogGroup {
    /// Adds the log group `id` to `scope`.
    pub fn new(scope: &mut impl crate::AsScope, id: &str, props: LogGroupProps) -> Self {
        Self::add(&mut scope.as_scope(), id, props)
    }

    /// Adds the log group `id` to a scope (the form the other blocks call).
    pub(crate) fn add(scope: &mut Scope<'_>, id: &str, props: LogGroupProps) -> Self {
        let mut group = CfnLogGroup::new().retention_in_days(i64::from(props.retention.days()));
        if let Some(key) = &props.key {
            if let Some(error) = key_problem(scope, key) {
                let path = format!("{}/{id}", scope.path());
                scope.report(error.to_diagnostic(&path));
            }
            group = group.kms_key_id(key.att_arn());
        }
        let handle = scope.add_with(id, group, ResourceOptions::new().retain());
        Self { handle }
    }

    /// The L1 log group: its name (`reference()`), ARN, and what grants take.
    pub fn handle(&self) -> &Handle<CfnLogGroup> {
        &self.handle
    }
}

/// Why CloudWatch Logs could not use `key`, as far as `scope`'s stack shows it.
fn key_problem(scope: &Scope<'_>, key: &Handle<Key>) -> Option<LogGroupError> {
    if key.stack_name() != scope.stack().name() {
        return None;
    }
    let resources = scope.stack().contents().resources;
    let policy = resources
        .get(key.logical_id())?
        .properties
        .get("KeyPolicy")?;
    let admits = key_policy_allows(policy, |service| {
        service.starts_with("logs.") && service.ends_with(".amazonaws.com")
    });
    (admits == Some(false)).then(|| LogGroupError::KeyPolicyWithoutLogs {
        key: key.logical_id().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::PolicyDocument;
    use crate::{App, Stack};

    /// The log group's template and diagnostics' codes, with a key whose policy holds
    /// `statements`.
    fn with_key(statements: Vec<Statement>) -> Result<serde_json::Value, Vec<Code>> {
        let mut stack = Stack::new("Audit");
        let mut policy = PolicyDocument::new();
        for statement in statements {
            policy = policy.statement(statement);
        }
        let key = stack.add("LogsKey", Key::new().key_policy(policy));
        LogGroup::new(&mut stack, "Logs", LogGroupProps::new().kms_key(&key));
        let mut app = App::new();
        app.add_stack(stack);
        match app.assemble() {
            Ok(assembly) => Ok(serde_json::from_str(&assembly.stacks[0].json).unwrap()),
            Err(e) => Err(e.diagnostics.iter().map(|d| d.code).collect()),
        }
    }

    #[test]
    fn a_customer_key_is_used_when_its_policy_admits_cloudwatch_logs() {
        let t = with_key(vec![key_statement()]).unwrap();
        let logs = &t["Resources"]["Logs"];
        assert_eq!(
            logs["Properties"]["KmsKeyId"],
            serde_json::json!({"Fn::GetAtt": ["LogsKey", "Arn"]})
        );
        assert_eq!(logs["DeletionPolicy"], "Retain");
        let policy = &t["Resources"]["LogsKey"]["Properties"]["KeyPolicy"]["Statement"][0];
        assert_eq!(
            policy["Principal"],
            serde_json::json!({"Service": [{"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}]})
        );
        assert_eq!(
            policy["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"],
            serde_json::json!([{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"}])
        );
    }

    #[test]
    fn a_key_whose_policy_leaves_out_cloudwatch_logs_is_an_error() {
        let other = Statement::allow(action("kms:*"))
            .principal(Principal::aws("arn:aws:iam::123456789012:root"))
            .resource("*");
        assert_eq!(
            with_key(vec![other]).unwrap_err(),
            [Code::UnsupportedEncryption]
        );
    }

    /// The variants are exactly the schema's `enum`, so none CloudWatch Logs rejects can exist
    /// and none it accepts is missing.
    #[test]
    fn retention_values_are_the_schemas() {
        let schema: serde_json::Value = serde_json::from_str(include_str!(
            "../../../codegen/schemas/aws-logs-loggroup.json"
        ))
        .unwrap();
        let allowed: Vec<u64> = schema["properties"]["RetentionInDays"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let ours: Vec<u64> = RetentionDays::ALL
            .iter()
            .map(|r| u64::from(r.days()))
            .collect();
        assert_eq!(ours, allowed);
        for days in 0..4000 {
            assert_eq!(
                RetentionDays::from_days(days).is_some(),
                allowed.contains(&u64::from(days)),
                "{days}"
            );
        }
    }
}
