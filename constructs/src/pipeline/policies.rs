//! Resource policies of queues and topics: services may send only on behalf of the
//! named rule or topic (`aws:SourceArn`), and requests without TLS are denied.

use crate::cfn::sns::{Topic, TopicPolicy};
use crate::cfn::sqs::{Queue, QueuePolicy};
use crate::iam::{
    action, service_principal, Condition, ConditionKey, GrantExplanation, PolicyDocument,
    PolicyExplanation, Statement,
};
use crate::{Handle, Scope, Value};

/// A service that sends to a resource, and the resources on whose behalf it may.
#[derive(Clone, Debug, Default)]
pub(crate) struct Senders {
    /// ARNs of rules (`events.amazonaws.com`), with their logical ids for the report.
    pub rules: Vec<(String, Value<String>)>,
    /// ARNs of topics (`sns.amazonaws.com`), with their logical ids for the report.
    pub topics: Vec<(String, Value<String>)>,
}

const EVENTS: &str = "events.amazonaws.com";
const SNS: &str = "sns.amazonaws.com";

/// `Allow` `service` to take `action` on `resource` only on behalf of `sources`; `None` when
/// there are no sources (then nothing is allowed).
fn allow_from(
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

/// `Deny` everyone `action` on `resources` over plain HTTP.
fn deny_without_tls(
    action_name: &'static str,
    resources: impl IntoIterator<Item = Value<String>>,
) -> Statement {
    Statement::deny_without_tls(action(action_name), resources)
}

fn explain_allow(
    service_name: &str,
    action_name: &str,
    what: &str,
    resource: &str,
    sources: &[(String, Value<String>)],
) -> PolicyExplanation {
    let names: Vec<&str> = sources.iter().map(|(n, _)| n.as_str()).collect();
    PolicyExplanation {
        policy: what.to_owned(),
        principal: service_name.to_owned(),
        grants: vec![GrantExplanation {
            grant: format!("{action_name} on behalf of {}", names.join(", ")),
            actions: vec![action_name.to_owned()],
            resources: vec![resource.to_owned()],
        }],
    }
}

fn explain_deny(action_name: &str, what: &str, resources: Vec<String>) -> PolicyExplanation {
    PolicyExplanation {
        policy: what.to_owned(),
        principal: "*".to_owned(),
        grants: vec![GrantExplanation {
            grant: format!("deny {action_name} without TLS"),
            actions: vec![action_name.to_owned()],
            resources,
        }],
    }
}

/// The policy of `queue`, added under `id`: `sqs:SendMessage` for the senders, TLS required.
pub(crate) fn queue_policy(
    scope: &mut Scope<'_>,
    id: &str,
    queue: &Handle<Queue>,
    senders: &Senders,
) {
    let arn: Value<String> = queue.att_arn().into();
    let shown = format!("{}.Arn", queue.logical_id());
    let path = format!("{}/{id}", scope.path());
    let mut document = PolicyDocument::new();
    let mut explanations = Vec::new();
    for (service_name, sources) in [(EVENTS, &senders.rules), (SNS, &senders.topics)] {
        let Some(allow) = allow_from(service_name, "sqs:SendMessage", arn.clone(), sources) else {
            continue;
        };
        document.push(allow);
        explanations.push(explain_allow(
            service_name,
            "sqs:SendMessage",
            &path,
            &shown,
            sources,
        ));
    }
    document.push(deny_without_tls("sqs:*", [arn]));
    explanations.push(explain_deny("sqs:*", &path, vec![shown]));
    scope.add(id, QueuePolicy::new(document, vec![queue.reference()]));
    for explanation in explanations {
        scope.explain(explanation);
    }
}

/// The policy of `topic`, added under `id`: `sns:Publish` for the rules, TLS required.
pub(crate) fn topic_policy(
    scope: &mut Scope<'_>,
    id: &str,
    topic: &Handle<Topic>,
    rules: &[(String, Value<String>)],
) {
    let arn: Value<String> = topic.reference().into();
    let shown = topic.logical_id().to_owned();
    let path = format!("{}/{id}", scope.path());
    let mut document = PolicyDocument::new();
    if let Some(allow) = allow_from(EVENTS, "sns:Publish", arn.clone(), rules) {
        document.push(allow);
        scope.explain(explain_allow(EVENTS, "sns:Publish", &path, &shown, rules));
    }
    document.push(deny_without_tls("sns:Publish", [arn.clone()]));
    scope.explain(explain_deny("sns:Publish", &path, vec![shown]));
    scope.add(id, TopicPolicy::new(document, vec![arn]));
}
