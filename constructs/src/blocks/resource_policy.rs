//! What the queue and topic blocks share about their one resource policy: the services that
//! send on behalf of named sources (`aws:SourceArn`), and the audit report entries.

use crate::iam::{
    action, service_principal, Condition, ConditionKey, GrantExplanation, PolicyExplanation,
    Statement,
};
use crate::Value;

/// EventBridge, sending for rules.
pub(crate) const EVENTS: &str = "events.amazonaws.com";
/// SNS, delivering for topics.
pub(crate) const SNS: &str = "sns.amazonaws.com";

/// Who sends to a queue or topic: the rules (through `events.amazonaws.com`) and topics
/// (through `sns.amazonaws.com`) on whose behalf the service may, each with its logical id for
/// the report.
#[derive(Clone, Debug, Default)]
pub(crate) struct Senders {
    /// ARNs of rules, with their logical ids.
    pub rules: Vec<(String, Value<String>)>,
    /// ARNs of topics, with their logical ids.
    pub topics: Vec<(String, Value<String>)>,
}

/// `Allow` `service` to take `action` on `resource` only on behalf of `sources`; `None` when
/// there are no sources (then nothing is allowed).
pub(crate) fn allow_from(
    service_name: &'static str,
    action_name: &'static str,
    resource: Value<String>,
    sources: &[(String, Value<String>)],
) -> Option<Statement> {
    let ((_, first), rest) = sources.split_first()?;
    let condition = rest.iter().fold(
        Condition::arn_equals(ConditionKey::SOURCE_ARN, first.clone()),
        |all, (_, arn)| all.or(arn.clone()),
    );
    Some(
        Statement::allow(action(action_name))
            .principal(service_principal(service_name))
            .resource(resource)
            .condition(condition),
    )
}

/// The report entry of an [`allow_from`] statement.
pub(crate) fn explain_allow(
    service_name: &str,
    action_name: &str,
    policy: &str,
    resource: &str,
    sources: &[(String, Value<String>)],
) -> PolicyExplanation {
    let names: Vec<&str> = sources.iter().map(|(n, _)| n.as_str()).collect();
    PolicyExplanation {
        policy: policy.to_owned(),
        principal: service_name.to_owned(),
        grants: vec![GrantExplanation {
            grant: format!("{action_name} on behalf of {}", names.join(", ")),
            actions: vec![action_name.to_owned()],
            resources: vec![resource.to_owned()],
        }],
    }
}

/// The report entry of a TLS-only deny.
pub(crate) fn explain_deny(
    action_name: &str,
    policy: &str,
    resources: Vec<String>,
) -> PolicyExplanation {
    PolicyExplanation {
        policy: policy.to_owned(),
        principal: "*".to_owned(),
        grants: vec![GrantExplanation {
            grant: format!("deny {action_name} without TLS"),
            actions: vec![action_name.to_owned()],
            resources,
        }],
    }
}
