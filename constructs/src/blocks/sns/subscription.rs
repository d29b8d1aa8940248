//! [`FunctionSubscription`]: a Lambda function subscribed to a topic, with the permission SNS
//! invokes it through and a dead-letter queue for the messages it could not deliver.

use indexmap::IndexMap;

use crate::blocks::resource_policy::Senders;
use crate::blocks::sqs::{Queue as QueueBlock, QueueProps};
use crate::cfn::lambda::{Function, Permission};
use crate::cfn::sns::{Subscription, Topic};
use crate::cfn::sqs::{Queue, QueuePolicy};
use crate::diagnostics::DomainError;
use crate::model::expr::Expr;
// The filter policy is the pipeline's, which subscribes queues with it; it is data (matchers
// checked as SNS checks them), not a part of the pipeline pattern.
use crate::pipeline::FilterPolicy;
use crate::{AsScope, Handle, Value};

use super::SNS;

/// The choices of a [`FunctionSubscription`].
///
/// ```
/// use constructs::blocks::sns::FunctionSubscriptionProps;
/// use constructs::pipeline::{FilterPolicy, Matcher};
///
/// let props = FunctionSubscriptionProps::new()
///     .filter_policy(FilterPolicy::new().field("kind", [Matcher::exact("refund")]));
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct FunctionSubscriptionProps {
    pub(crate) filter_policy: Option<FilterPolicy>,
    pub(crate) dead_letter_queue: bool,
}

impl FunctionSubscriptionProps {
    /// Every message of the topic; a dead-letter queue for those SNS could not deliver.
    pub fn new() -> Self {
        Self {
            filter_policy: None,
            dead_letter_queue: true,
        }
    }

    /// Delivers only the messages that match `policy` (on their attributes, or on the body
    /// with [`FilterPolicy::on_body`]).
    pub fn filter_policy(mut self, policy: FilterPolicy) -> Self {
        self.filter_policy = Some(policy);
        self
    }

    /// No dead-letter queue: a message SNS cannot deliver after its retries is dropped.
    pub fn without_dead_letter_queue(mut self) -> Self {
        self.dead_letter_queue = false;
        self
    }
}

impl Default for FunctionSubscriptionProps {
    fn default() -> Self {
        Self::new()
    }
}

/// A Lambda function subscribed to an SNS topic: a [`Topic`](super::Topic) block's, a
/// pipeline's ([`EventPipeline::topic`](crate::pipeline::EventPipeline::topic)) or any L1
/// topic of the app.
///
/// What it adds under its id (say `Refunds`):
///
/// - `RefundsPermission`: `lambda:InvokeFunction` for `sns.amazonaws.com`, only with
///   `SourceArn` equal to the topic's ARN (no other topic can invoke the function through it);
/// - `RefundsDlq` (kept 14 days, SQS-managed encryption) and its one policy `RefundsDlqPolicy`:
///   `sqs:SendMessage` for `sns.amazonaws.com` with `aws:SourceArn` equal to the topic, and
///   TLS required; unless the props turn the dead-letter queue off;
/// - `RefundsSubscription`: protocol `lambda`, the filter policy and its scope, and the
///   redrive policy to `RefundsDlq`
///   (<https://docs.aws.amazon.com/sns/latest/dg/sns-configure-dead-letter-queue.html>).
///
/// A malformed filter policy is reported at `Stack/…/Refunds` with its code.
///
/// ```
/// use constructs::blocks::lambda::{Function, FunctionProps};
/// use constructs::blocks::sns::{FunctionSubscription, FunctionSubscriptionProps, Topic, TopicProps};
/// use constructs::pipeline::{FilterPolicy, Matcher};
/// use constructs::{App, Stack};
///
/// let mut stack = Stack::new("Payments");
/// let events = Topic::new(&mut stack, "Events", TopicProps::new());
/// let refunds = Function::new(
///     &mut stack,
///     "Refunds",
///     FunctionProps::python("def handler(event, context):\n    return {}\n"),
/// );
/// let subscription = FunctionSubscription::new(
///     &mut stack,
///     "RefundEvents",
///     events.topic(),
///     refunds.function(),
///     FunctionSubscriptionProps::new()
///         .filter_policy(FilterPolicy::new().field("kind", [Matcher::exact("refund")])),
/// );
/// assert_eq!(subscription.subscription().logical_id(), "RefundEventsSubscription");
/// assert_eq!(subscription.dead_letter_queue().unwrap().logical_id(), "RefundEventsDlq");
/// let mut app = App::new();
/// app.add_stack(stack);
/// let json = app.assemble().unwrap().stack("Payments").unwrap().json.clone();
/// assert!(json.contains(r#""Protocol": "lambda""#) && json.contains("deadLetterTargetArn"));
/// ```
#[derive(Clone, Debug)]
pub struct FunctionSubscription {
    subscription: Handle<Subscription>,
    permission: Handle<Permission>,
    dead_letter: Option<(Handle<Queue>, Handle<QueuePolicy>)>,
}

impl FunctionSubscription {
    /// Subscribes `function` to `topic` under `id` in `scope`.
    pub fn new(
        scope: &mut impl AsScope,
        id: &str,
        topic: &Handle<Topic>,
        function: &Handle<Function>,
        props: FunctionSubscriptionProps,
    ) -> Self {
        let mut scope = scope.as_scope();
        let path = format!("{}/{id}", scope.path());
        let topic_arn: Value<String> = topic.reference().into();

        let permission = scope.add(
            &format!("{id}Permission"),
            Permission::new("lambda:InvokeFunction", function.att_arn(), SNS)
                .source_arn(topic_arn.clone()),
        );

        let dead_letter = props.dead_letter_queue.then(|| {
            let dlq_id = format!("{id}Dlq");
            let queue = QueueBlock::add_queues(
                &mut scope,
                &path,
                &dlq_id,
                &QueueProps::dead_letter(),
                None,
            )
            .queue;
            let senders = Senders {
                topics: vec![(topic.logical_id().to_owned(), topic_arn.clone())],
                ..Senders::default()
            };
            let policy = QueueBlock::add_policy(&mut scope, &dlq_id, &queue, &senders);
            (queue, policy)
        });

        let mut subscription =
            Subscription::new("lambda", topic.reference()).endpoint(function.att_arn());
        if let Some(policy) = &props.filter_policy {
            match policy.to_json() {
                Ok(json) => {
                    subscription = subscription
                        .filter_policy(json)
                        .filter_policy_scope(policy.scope());
                }
                Err(errors) => {
                    for error in errors {
                        scope.report(error.to_diagnostic(&path));
                    }
                }
            }
        }
        if let Some((queue, _)) = &dead_letter {
            let mut redrive = IndexMap::new();
            redrive.insert(
                "deadLetterTargetArn".to_owned(),
                queue.att_arn().into_expr(),
            );
            subscription = subscription.redrive_policy(Value::unchecked(Expr::map(redrive)));
        }
        let subscription = scope.add(&format!("{id}Subscription"), subscription);

        Self {
            subscription,
            permission,
            dead_letter,
        }
    }

    /// The subscription.
    pub fn subscription(&self) -> &Handle<Subscription> {
        &self.subscription
    }

    /// The permission SNS invokes the function through.
    pub fn permission(&self) -> &Handle<Permission> {
        &self.permission
    }

    /// The dead-letter queue, unless the props turned it off.
    pub fn dead_letter_queue(&self) -> Option<&Handle<Queue>> {
        self.dead_letter.as_ref().map(|(queue, _)| queue)
    }

    /// The dead-letter queue's one policy, unless the props turned the queue off.
    pub fn dead_letter_policy(&self) -> Option<&Handle<QueuePolicy>> {
        self.dead_letter.as_ref().map(|(_, policy)| policy)
    }
}
