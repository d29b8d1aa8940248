//! Conditions: typed operators, validated keys, and the `Condition` block of a statement.
//!
//! A block maps operators to keys to values. Values of one operator and key are alternatives
//! (IAM grants when any matches); different keys and operators must all hold.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;

use super::error::{PolicyError, PolicyErrorKind};
use super::exprs;
use crate::model::expr::Expr;
use crate::model::value::Value;

/// Defines [`Operator`] from one list, so the variants, [`Operator::ALL`] and the names written
/// in policies cannot drift apart (a variant's name is the operator's name in IAM).
macro_rules! operators {
    ($($op:ident),* $(,)?) => {
        /// A condition operator, without the `ForAllValues:`/`ForAnyValue:` qualifier or the
        /// `IfExists` suffix (see [`ConditionOperator`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // Each variant is the IAM operator of the same name.
        pub enum Operator {
            $($op),*
        }

        impl Operator {
            /// Every operator, in the order of the IAM User Guide.
            pub const ALL: [Operator; [$(stringify!($op)),*].len()] = [$(Operator::$op),*];

            /// The operator's name in a policy.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Operator::$op => stringify!($op)),*
                }
            }
        }
    };
}

operators! {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl Operator {
    /// The operator with this exact name (IAM operator names are case-sensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == name)
    }
}

/// How a condition treats a key with several values in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// `ForAllValues:`: every value in the request must match one of the condition's values.
    ForAllValues,
    /// `ForAnyValue:`: at least one value in the request must match.
    ForAnyValue,
}

/// An operator with its optional set qualifier and `IfExists` suffix, such as
/// `ForAnyValue:StringLike` or `ArnLikeIfExists`.
///
/// ```
/// use constructs::iam::{ConditionOperator, Operator};
///
/// let op = ConditionOperator::from(Operator::StringLike).for_any_value().if_exists();
/// assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
/// assert_eq!(ConditionOperator::parse("ForAnyValue:StringLikeIfExists"), Some(op));
/// assert_eq!(ConditionOperator::parse("NullIfExists"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    operator: Operator,
    qualifier: Option<SetQualifier>,
    if_exists: bool,
}

impl ConditionOperator {
    /// The plain operator.
    pub fn new(operator: Operator) -> Self {
        Self {
            operator,
            qualifier: None,
            if_exists: false,
        }
    }

    /// Adds the `IfExists` suffix: the condition also holds when the key is absent. `Null` has
    /// no such form; it is left as is.
    pub fn if_exists(mut self) -> Self {
        self.if_exists = self.operator != Operator::Null;
        self
    }

    /// Adds the `ForAllValues:` qualifier.
    pub fn for_all_values(mut self) -> Self {
        self.qualifier = Some(SetQualifier::ForAllValues);
        self
    }

    /// Adds the `ForAnyValue:` qualifier.
    pub fn for_any_value(mut self) -> Self {
        self.qualifier = Some(SetQualifier::ForAnyValue);
        self
    }

    /// The operator without qualifier and suffix.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The name written in the policy.
    pub fn name(&self) -> String {
        let prefix = match self.qualifier {
            None => "",
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{prefix}{}{suffix}", self.operator.as_str())
    }

    /// Parses a name as written in a policy; `None` if IAM does not know it.
    pub fn parse(name: &str) -> Option<Self> {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, name)
        };
        let (if_exists, base) = match rest.strip_suffix("IfExists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        let operator = Operator::from_name(base)?;
        if if_exists && operator == Operator::Null {
            return None;
        }
        Some(Self {
            operator,
            qualifier,
            if_exists,
        })
    }
}

impl From<Operator> for ConditionOperator {
    fn from(operator: Operator) -> Self {
        Self::new(operator)
    }
}

impl PartialOrd for ConditionOperator {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ConditionOperator {
    /// By name, so blocks are written in a stable order.
    fn cmp(&self, other: &Self) -> Ordering {
        self.name().cmp(&other.name())
    }
}

impl fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A condition key such as `aws:SourceArn`, checked in shape (`prefix:name`).
///
/// Whether the key applies to the statement's actions is checked against AWS's data by
/// [`check_template`](super::check_template). Keys compare case-insensitively, as IAM does.
///
/// ```
/// use constructs::iam::ConditionKey;
///
/// assert_eq!(ConditionKey::new("aws:SourceArn").unwrap(), ConditionKey::SOURCE_ARN);
/// assert!(ConditionKey::new("aws:ResourceTag/team").is_ok());
/// assert!(ConditionKey::new("SourceArn").is_err());
/// ```
#[derive(Clone, Debug)]
pub struct ConditionKey(Cow<'static, str>);

impl ConditionKey {
    /// `aws:SourceArn`: the ARN of the resource on whose behalf a service calls.
    pub const SOURCE_ARN: ConditionKey = ConditionKey(Cow::Borrowed("aws:SourceArn"));
    /// `aws:SourceAccount`: the account of the resource on whose behalf a service calls.
    pub const SOURCE_ACCOUNT: ConditionKey = ConditionKey(Cow::Borrowed("aws:SourceAccount"));
    /// `aws:SecureTransport`: whether the request came over TLS.
    pub const SECURE_TRANSPORT: ConditionKey = ConditionKey(Cow::Borrowed("aws:SecureTransport"));
    /// `aws:SourceIp`: the caller's public IP address.
    pub const SOURCE_IP: ConditionKey = ConditionKey(Cow::Borrowed("aws:SourceIp"));
    /// `aws:SourceVpce`: the VPC endpoint the request came through.
    pub const SOURCE_VPCE: ConditionKey = ConditionKey(Cow::Borrowed("aws:SourceVpce"));
    /// `aws:PrincipalArn`: the ARN of the caller.
    pub const PRINCIPAL_ARN: ConditionKey = ConditionKey(Cow::Borrowed("aws:PrincipalArn"));
    /// `aws:PrincipalOrgID`: the AWS Organizations id of the caller's account.
    pub const PRINCIPAL_ORG_ID: ConditionKey = ConditionKey(Cow::Borrowed("aws:PrincipalOrgID"));

    /// Parses `prefix:name`.
    pub fn new(key: &str) -> Result<Self, PolicyError> {
        let valid = key.split_once(':').is_some_and(|(prefix, name)| {
            !prefix.is_empty()
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
                && !name.is_empty()
                && !name
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"')
        });
        if !valid {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidConditionKey,
                format!("`{key}` is not a condition key (expected `prefix:name`, such as `aws:SourceArn`)"),
            ));
        }
        Ok(Self(Cow::Owned(key.to_owned())))
    }

    /// The key as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for ConditionKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for ConditionKey {}

impl PartialOrd for ConditionKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ConditionKey {
    fn cmp(&self, other: &Self) -> Ordering {
        let a = self.0.bytes().map(|b| b.to_ascii_lowercase());
        a.cmp(other.0.bytes().map(|b| b.to_ascii_lowercase()))
    }
}

impl fmt::Display for ConditionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One test of a condition block: an operator, a key, and the values that satisfy it.
///
/// ```
/// use constructs::iam::{Condition, ConditionKey};
///
/// let from_rule = Condition::arn_equals(ConditionKey::SOURCE_ARN, "arn:aws:events:us-east-1:123456789012:rule/r");
/// let tls = Condition::bool(ConditionKey::SECURE_TRANSPORT, false);
/// # let _ = (from_rule, tls);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    operator: ConditionOperator,
    key: ConditionKey,
    values: Vec<Expr>,
}

impl Condition {
    /// A condition with any operator and one value; add alternatives with [`or`](Self::or).
    pub fn new(
        operator: impl Into<ConditionOperator>,
        key: ConditionKey,
        value: impl Into<Value<String>>,
    ) -> Self {
        Self {
            operator: operator.into(),
            key,
            values: vec![value.into().into_expr()],
        }
    }

    /// Adds an alternative value.
    pub fn or(mut self, value: impl Into<Value<String>>) -> Self {
        self.values.push(value.into().into_expr());
        self
    }

    /// `StringEquals`.
    pub fn string_equals(key: ConditionKey, value: impl Into<Value<String>>) -> Self {
        Self::new(Operator::StringEquals, key, value)
    }

    /// `StringNotEquals`.
    pub fn string_not_equals(key: ConditionKey, value: impl Into<Value<String>>) -> Self {
        Self::new(Operator::StringNotEquals, key, value)
    }

    /// `StringLike` (`*` and `?` wildcards).
    pub fn string_like(key: ConditionKey, pattern: impl Into<Value<String>>) -> Self {
        Self::new(Operator::StringLike, key, pattern)
    }

    /// `ArnEquals`.
    pub fn arn_equals(key: ConditionKey, arn: impl Into<Value<String>>) -> Self {
        Self::new(Operator::ArnEquals, key, arn)
    }

    /// `ArnLike` (`*` and `?` wildcards within each ARN segment).
    pub fn arn_like(key: ConditionKey, arn: impl Into<Value<String>>) -> Self {
        Self::new(Operator::ArnLike, key, arn)
    }

    /// `Bool`, written as the string `"true"` or `"false"`, the form AWS's examples show for
    /// every service.
    pub fn bool(key: ConditionKey, value: bool) -> Self {
        Self::new(Operator::Bool, key, value.to_string())
    }

    /// `Bool`, written as the JSON boolean `true` or `false`. The policy grammar takes either
    /// form ("quotation marks are optional for numeric and Boolean values",
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>);
    /// rules that compare typed values, such as the AWS Guard Rules Registry's
    /// `S3_BUCKET_SSL_REQUESTS_ONLY`, match only this one.
    ///
    /// ```
    /// use constructs::iam::{Condition, ConditionKey};
    ///
    /// let plain_http = Condition::bool_literal(ConditionKey::SECURE_TRANSPORT, false);
    /// # let _ = plain_http;
    /// ```
    pub fn bool_literal(key: ConditionKey, value: bool) -> Self {
        Self {
            operator: Operator::Bool.into(),
            key,
            values: vec![Expr::Bool(value)],
        }
    }

    /// `NumericLessThan`.
    pub fn numeric_less_than(key: ConditionKey, value: i64) -> Self {
        Self::new(Operator::NumericLessThan, key, value.to_string())
    }

    /// `NumericGreaterThan`.
    pub fn numeric_greater_than(key: ConditionKey, value: i64) -> Self {
        Self::new(Operator::NumericGreaterThan, key, value.to_string())
    }

    /// `IpAddress`: the address is inside `network`.
    pub fn ip_address(key: ConditionKey, network: ipnetwork::IpNetwork) -> Self {
        Self::new(Operator::IpAddress, key, network.to_string())
    }

    /// `NotIpAddress`: the address is outside `network`.
    pub fn not_ip_address(key: ConditionKey, network: ipnetwork::IpNetwork) -> Self {
        Self::new(Operator::NotIpAddress, key, network.to_string())
    }

    /// `Null`: `true` when the key must be absent, `false` when it must be present.
    pub fn null(key: ConditionKey, absent: bool) -> Self {
        Self::new(Operator::Null, key, absent.to_string())
    }

    /// The operator.
    pub fn operator(&self) -> ConditionOperator {
        self.operator
    }

    /// The key.
    pub fn key(&self) -> &ConditionKey {
        &self.key
    }

    /// The values, any of which satisfies the condition.
    pub fn values(&self) -> &[Expr] {
        &self.values
    }
}

/// The `Condition` block of a statement: operators to keys to values, written sorted by
/// operator name and key, values sorted and without duplicates, always as arrays.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conditions {
    blocks: BTreeMap<ConditionOperator, BTreeMap<ConditionKey, Vec<Expr>>>,
}

impl Conditions {
    /// No conditions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a condition. A second condition with the same operator and key adds its values as
    /// alternatives: IAM grants when any value of a key matches.
    pub fn add(&mut self, condition: Condition) {
        let values = self
            .blocks
            .entry(condition.operator)
            .or_default()
            .entry(condition.key)
            .or_default();
        values.extend(condition.values);
        exprs::sort_dedup(values);
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Every (operator, key, values), in written order.
    pub fn iter(&self) -> impl Iterator<Item = (ConditionOperator, &ConditionKey, &[Expr])> {
        self.blocks.iter().flat_map(|(op, keys)| {
            keys.iter()
                .map(move |(key, values)| (*op, key, values.as_slice()))
        })
    }

    /// Whether any operator tests `key`.
    pub fn tests(&self, key: &ConditionKey) -> bool {
        self.blocks.values().any(|keys| keys.contains_key(key))
    }

    /// The block as it is written in a policy.
    pub fn to_expr(&self) -> Expr {
        let mut out = IndexMap::new();
        for (op, keys) in &self.blocks {
            let inner = keys
                .iter()
                .map(|(key, values)| (key.as_str().to_owned(), exprs::list(values.iter().cloned())))
                .collect();
            out.insert(op.name(), Expr::map(inner));
        }
        Expr::map(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;
    use serde_json::json;

    #[test]
    fn every_operator_round_trips_with_qualifiers_and_suffix() {
        for op in Operator::ALL {
            let base = ConditionOperator::new(op);
            assert_eq!(ConditionOperator::parse(&base.name()), Some(base));
            let q = base.for_all_values().if_exists();
            assert_eq!(ConditionOperator::parse(&q.name()), Some(q));
        }
        assert_eq!(ConditionOperator::parse("stringequals"), None);
        assert_eq!(ConditionOperator::parse("ForSomeValues:StringEquals"), None);
        assert_eq!(
            ConditionOperator::new(Operator::Null).if_exists().name(),
            "Null"
        );
    }

    #[test]
    fn keys_are_checked_and_compare_without_case() {
        assert!(ConditionKey::new("s3:ExistingObjectTag/<key>").is_ok());
        assert!(ConditionKey::new("cognito-identity.amazonaws.com:aud").is_ok());
        for bad in ["", "aws:", ":x", "aws:a b", "a b:c"] {
            assert_eq!(
                ConditionKey::new(bad).unwrap_err().code(),
                crate::Code::InvalidIamConditionKey,
                "{bad}"
            );
        }
        assert_eq!(
            ConditionKey::new("AWS:SOURCEARN").unwrap(),
            ConditionKey::SOURCE_ARN
        );
    }

    #[test]
    fn blocks_are_sorted_and_values_are_arrays() {
        let mut c = Conditions::new();
        c.add(Condition::string_equals(ConditionKey::SOURCE_ACCOUNT, "2"));
        c.add(Condition::arn_like(
            ConditionKey::SOURCE_ARN,
            "arn:aws:sns:*:2:t",
        ));
        c.add(Condition::string_equals(ConditionKey::SOURCE_ACCOUNT, "1").or("2"));
        c.add(Condition::bool(ConditionKey::SECURE_TRANSPORT, true));
        c.add(Condition::ip_address(
            ConditionKey::SOURCE_IP,
            "10.0.0.0/8".parse().unwrap(),
        ));
        c.add(Condition::numeric_less_than(
            ConditionKey::new("s3:signatureAge").unwrap(),
            600000,
        ));
        assert_eq!(
            serde_json::to_value(c.to_expr()).unwrap(),
            json!({
                "ArnLike": {"aws:SourceArn": ["arn:aws:sns:*:2:t"]},
                "Bool": {"aws:SecureTransport": ["true"]},
                "IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]},
                "NumericLessThan": {"s3:signatureAge": ["600000"]},
                "StringEquals": {"aws:SourceAccount": ["1", "2"]}
            })
        );
        assert!(c.tests(&ConditionKey::SOURCE_ARN));
        assert_eq!(c.iter().count(), 5);
    }
}
