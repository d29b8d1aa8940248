//! What the queue and topic blocks share about their one resource policy: the services that
//! send on behalf of named sources (`aws:SourceArn`), other accounts, and the audit report
//! entries; and the senders added after a queue or topic was built ([`QueueSender`],
//! [`TopicSender`]).

use crate::cfn::events::Rule;
use crate::cfn::s3::Bucket;
use crate::cfn::sns::Topic;
use crate::iam::{
    action, describe_statements, service_principal, Condition, ConditionKey, GrantExplanation,
    PolicyExplanation, Principal, Statement,
};
use crate::resource::Resource;
use crate::{fns, Handle, Scope, Value};

/// EventBridge, sending for rules.
pub(crate) const EVENTS: &str = "events.amazonaws.com";
/// SNS, delivering for topics.
pub(crate) const SNS: &str = "sns.amazonaws.com";
/// S3, sending a bucket's event notifications.
pub(crate) const S3: &str = "s3.amazonaws.com";

/// Who sends to a queue or topic: the rules (through `events.amazonaws.com`), topics (through
/// `sns.amazonaws.com`) and buckets (through `s3.amazonaws.com`) on whose behalf the service
/// may, each with its logical id for the report, and other accounts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Senders {
    /// ARNs of rules, with their logical ids.
    pub rules: Vec<(String, Value<String>)>,
    /// ARNs of topics, with their logical ids.
    pub topics: Vec<(String, Value<String>)>,
    /// ARNs of buckets, with their logical ids.
    pub buckets: Vec<(String, Value<String>)>,
    /// Accounts (ids or root ARNs) whose principals may send.
    pub accounts: Vec<Value<String>>,
}

impl Senders {
    /// The statements allowing these senders `action_name` on `resource`, in a fixed order
    /// (rules, topics, buckets, accounts), with their report entries for the policy at `path`
    /// (`shown` names the resource in the report).
    pub(crate) fn statements(
        &self,
        action_name: &'static str,
        resource: &Value<String>,
        path: &str,
        shown: &str,
    ) -> (Vec<Statement>, Vec<PolicyExplanation>) {
        let mut statements = Vec::new();
        let mut explanations = Vec::new();
        for (service_name, sources) in [(EVENTS, &self.rules), (SNS, &self.topics)] {
            if let Some(allow) = allow_from(service_name, action_name, resource.clone(), sources) {
                statements.push(allow);
                explanations.push(explain_allow(
                    service_name,
                    action_name,
                    path,
                    shown,
                    sources,
                ));
            }
        }
        // S3 sets both keys; the account guards a bucket name another account reclaims
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
        if let Some(allow) = allow_from(S3, action_name, resource.clone(), &self.buckets) {
            let allow = allow.condition(Condition::string_equals(
                ConditionKey::SOURCE_ACCOUNT,
                fns::account_id(),
            ));
            statements.push(allow);
            explanations.push(explain_allow(S3, action_name, path, shown, &self.buckets));
        }
        let accounts: Vec<Statement> = self
            .accounts
            .iter()
            .map(|account| {
                Statement::allow(action(action_name))
                    .principal(Principal::aws(account.clone()))
                    .resource(resource.clone())
            })
            .collect();
        explanations.extend(describe_statements(path, &accounts));
        statements.extend(accounts);
        (statements, explanations)
    }

    /// Adds `other`'s senders after these.
    fn extend(&mut self, other: Senders) {
        self.rules.extend(other.rules);
        self.topics.extend(other.topics);
        self.buckets.extend(other.buckets);
        self.accounts.extend(other.accounts);
    }
}

/// Who may send to a queue after it was built ([`Queue::allow`](super::sqs::Queue::allow),
/// [`EventPipeline::allow_to_queue`](crate::pipeline::EventPipeline::allow_to_queue)): the
/// statement lands in the queue's one policy.
///
/// ```
/// use constructs::blocks::QueueSender;
///
/// let partner = QueueSender::account("111122223333");
/// # let _ = partner;
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum QueueSender {
    /// EventBridge, on behalf of a rule that targets the queue (`aws:SourceArn`).
    Rule(Handle<Rule>),
    /// SNS, delivering a topic the queue is subscribed to (`aws:SourceArn`).
    Topic(Handle<Topic>),
    /// S3, sending a bucket's event notifications (`aws:SourceArn`, `aws:SourceAccount`).
    Bucket(Handle<Bucket>),
    /// The principals of another account (an id or root ARN); that account's own IAM policies
    /// still decide which of them may.
    Account(Value<String>),
}

impl QueueSender {
    /// [`QueueSender::Account`].
    pub fn account(id: impl Into<Value<String>>) -> Self {
        QueueSender::Account(id.into())
    }
}

/// Who may publish to a topic after it was built ([`Topic::allow`](super::sns::Topic::allow),
/// [`EventPipeline::allow_to_topic`](crate::pipeline::EventPipeline::allow_to_topic)): the
/// statement lands in the topic's one policy. A topic takes no other topic as a sender.
///
/// ```
/// use constructs::blocks::TopicSender;
///
/// let partner = TopicSender::account("111122223333");
/// # let _ = partner;
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TopicSender {
    /// EventBridge, on behalf of a rule that targets the topic (`aws:SourceArn`); the topic
    /// needs a customer managed key EventBridge may use.
    Rule(Handle<Rule>),
    /// S3, sending a bucket's event notifications (`aws:SourceArn`, `aws:SourceAccount`).
    Bucket(Handle<Bucket>),
    /// The principals of another account (an id or root ARN).
    Account(Value<String>),
}

impl TopicSender {
    /// [`TopicSender::Account`].
    pub fn account(id: impl Into<Value<String>>) -> Self {
        TopicSender::Account(id.into())
    }
}

impl From<QueueSender> for Senders {
    fn from(sender: QueueSender) -> Self {
        let mut senders = Senders::default();
        match sender {
            QueueSender::Rule(rule) => senders
                .rules
                .push((rule.logical_id().to_owned(), rule.att_arn())),
            QueueSender::Topic(topic) => senders
                .topics
                .push((topic.logical_id().to_owned(), topic.reference().into())),
            QueueSender::Bucket(bucket) => senders
                .buckets
                .push((bucket.logical_id().to_owned(), bucket.att_arn())),
            QueueSender::Account(account) => senders.accounts.push(account),
        }
        senders
    }
}

impl From<TopicSender> for Senders {
    fn from(sender: TopicSender) -> Self {
        match sender {
            TopicSender::Rule(rule) => QueueSender::Rule(rule).into(),
            TopicSender::Bucket(bucket) => QueueSender::Bucket(bucket).into(),
            TopicSender::Account(account) => QueueSender::Account(account).into(),
        }
    }
}

/// Adds `more` to `senders`, the senders of `policy`, and rewrites that one policy in place
/// through `scope` as `render` writes it for all of them (never a second policy: on AWS it
/// would replace the first); problems are reported at `path`. `what` is the action allowed, the
/// resource and its name in the report: the report gains the entries of `more`'s statements
/// alone, since the earlier ones are in it already.
pub(crate) fn rewrite_policy<P: Resource>(
    scope: &mut Scope<'_>,
    path: &str,
    (policy, senders): (&Handle<P>, &mut Senders),
    more: Senders,
    (action_name, resource, shown): (&'static str, &Value<String>, &str),
    render: impl Fn(&Senders) -> P,
) {
    let (_, explanations) = more.statements(action_name, resource, "", shown);
    let mut grown = senders.clone();
    grown.extend(more);
    let Some(policy_path) = scope.rewrite(policy, render(&grown), path) else {
        return;
    };
    *senders = grown;
    for mut explanation in explanations {
        explanation.policy = policy_path.clone();
        scope.explain(explanation);
    }
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
