//! CloudWatch Logs: a log group with a typed retention and the library's one removal policy.
//!
//! Every log group the library creates (function logs, API access logs, container logs, VPC
//! flow logs) is made here, so they share one rule: **log groups are retained** when their
//! stack is deleted or they are replaced (`DeletionPolicy` and `UpdateReplacePolicy` both
//! `Retain`). Logs are the record of what ran; deleting a stack must not delete the evidence of
//! what it did. Their retention still bounds what they cost, and a retained group without a
//! fixed name never blocks a redeploy (CloudFormation names the new one afresh).

use crate::cfn::logs::LogGroup as CfnLogGroup;
use crate::{Handle, ResourceOptions, Scope};

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

/// The choices of a [`LogGroup`]: its retention (default [`RetentionDays::Days30`]).
///
/// ```
/// use constructs::blocks::logs::{LogGroupProps, RetentionDays};
///
/// let props = LogGroupProps::new().retention(RetentionDays::Days90);
/// # let _ = props;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct LogGroupProps {
    retention: RetentionDays,
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
}

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
        let handle = scope.add_with(
            id,
            CfnLogGroup::new().retention_in_days(i64::from(props.retention.days())),
            ResourceOptions::new().retain(),
        );
        Self { handle }
    }

    /// The L1 log group: its name (`reference()`), ARN, and what grants take.
    pub fn handle(&self) -> &Handle<CfnLogGroup> {
        &self.handle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
