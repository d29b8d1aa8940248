//! The EventPipeline construct: buses, rules, queues, topics, functions and buckets, wired
//! together with least-privilege roles and source-scoped resource policies.

use indexmap::IndexMap;

use crate::blocks::iam::ServiceRole;
use crate::blocks::lambda::{
    queue_grants, queue_mapping, Destination, Function as LambdaFunction, Layout, Logs,
    VISIBILITY_FACTOR,
};
use crate::blocks::limits::NameRule;
use crate::blocks::logs::{LogGroup as LogGroupBlock, LogGroupProps};
use crate::blocks::resource_policy::Senders;
use crate::blocks::s3::Bucket as BucketBlock;
use crate::blocks::sns::Topic as TopicBlock;
use crate::blocks::sqs::{Queue as QueueBlock, QueueEncryption, QueueProps};
use crate::blocks::{QueueSender, TopicSender};
use crate::cfn::events::{rule, EventBus, Rule};
use crate::cfn::iam::Role;
use crate::cfn::kms::Key;
use crate::cfn::lambda::{Function, Permission};
use crate::cfn::logs::LogGroup;
use crate::cfn::s3::Bucket;
use crate::cfn::sns::{Subscription as SnsSubscription, Topic, TopicPolicy};
use crate::cfn::sqs::Queue;
use crate::cfn::sqs::QueuePolicy;
use crate::diagnostics::DomainError;
use crate::iam::presets;
use crate::model::expr::Expr;
use crate::{fns, AsScope, Handle, Output, Scope, Value};

use super::error::PipelineError;
use super::props::{
    BucketKey, BusChoice, EventPipelineProps, FunctionKey, Origin, QueueKey, RuleKey, TopicKey,
};
use super::rule::{TargetKind, Trigger, MAX_TARGETS_PER_RULE};

/// The timeout of a pipeline function whose props set none, in seconds: consumers batch, so
/// they get longer than a lone function's default.
pub const FUNCTION_TIMEOUT_SECS: u32 = 30;

/// An event-driven pipeline: an event bus, rules with typed patterns or schedules, encrypted
/// queues each with a dead-letter queue, encrypted SNS topics fanning out to queues, Lambda
/// consumers, and optionally S3 buckets as event sources.
///
/// What it adds under its id (say `Orders`), each part under the id it was given in
/// [`EventPipelineProps`]:
///
/// - the bus `OrdersBus` (unless the default bus is used), with outputs of its name and ARN;
/// - the queues it makes itself (rule targets' dead-letter queues, functions' failure queues)
///   encrypted with [`EventPipelineProps::kms_key`], or SQS-managed keys without one;
/// - per queue `X`: `XQueue` (SQS-managed or KMS encryption, a redrive policy to `XDlq` after
///   3 receives by default, a visibility timeout of at least six times its consumers' timeouts),
///   `XDlq` (kept 14 days, its redrive-allow policy naming `XQueue` only), and a policy on each
///   (`XQueuePolicy`, `XDlqPolicy`): `events.amazonaws.com` and `sns.amazonaws.com` may
///   `sqs:SendMessage` only with `aws:SourceArn` equal to the rules and topics that target it,
///   and requests without TLS are denied;
/// - per topic `T`: `TTopic` (encrypted, by default with `alias/aws/sns`), `TTopicPolicy`
///   (publishing rules scoped by `aws:SourceArn`, TLS required), and `TTo<Queue>Subscription`
///   per subscribed queue;
/// - per function `F`: `FLogs`, `FRole` (assumed by Lambda only: logs on `FLogs`, exactly
///   `sqs:consume` on the queues it reads, `sns:Publish` on the topics it publishes to),
///   `FFunction`, `F<Queue>Mapping` per queue it reads (`ReportBatchItemFailures`), and when a
///   rule invokes it, `FFailureQueue` with `FInvokeConfig` sending failed events there;
/// - per rule `R`: `RRule`, and per target `<Target>` a dead-letter queue `R<Target>Dlq` with
///   its policy, a Lambda permission `R<Target>Permission` scoped to the rule's ARN, or a role
///   `R<Target>Role` for a bus target;
/// - per bucket `B`: `BBucket` (EventBridge notifications on, public access blocked,
///   encrypted, versioned, retained) and `BBucketPolicy` (TLS required).
///
/// ```
/// use constructs::blocks::lambda::FunctionProps;
/// use constructs::pipeline::{
///     ConsumeProps, EventPattern, EventPipeline, EventPipelineProps, QueueProps, RuleProps, Target,
/// };
/// use constructs::{App, Stack};
///
/// let mut props = EventPipelineProps::new();
/// let orders = props.queue("Orders", QueueProps::standard());
/// let worker = props.function(
///     "Worker",
///     FunctionProps::python("def handler(event, context):\n    return {}\n").timeout_secs(20),
/// );
/// props.consume(&worker, &orders, ConsumeProps::new());
/// props.rule(
///     "OrderPlaced",
///     RuleProps::on(EventPattern::new().source(["myapp.orders"]).detail_type(["Order Placed"]))
///         .target(Target::queue(&orders)),
/// );
///
/// let mut stack = Stack::new("Orders");
/// let pipeline = EventPipeline::new(&mut stack, "Orders", props);
/// assert_eq!(pipeline.queue(&orders).unwrap().logical_id(), "OrdersOrdersQueue");
/// assert_eq!(pipeline.function(&worker).unwrap().logical_id(), "OrdersWorkerFunction");
/// let mut app = App::new();
/// app.add_stack(stack);
/// let assembly = app.assemble().unwrap();
/// // Six times the 20 s function timeout.
/// assert!(assembly.stacks[0].json.contains(r#""VisibilityTimeout": 120"#));
/// ```
///
/// Settings out of range, malformed patterns and schedules, FIFO mismatches and a visibility
/// timeout shorter than six function timeouts do not panic: each is reported with its code and
/// the construct path when the app is synthesized.
#[derive(Clone, Debug)]
pub struct EventPipeline {
    /// The props the pipeline was built from: its accessors answer only their keys.
    origin: Origin,
    bus: Option<Handle<EventBus>>,
    queues: Vec<PipelineQueue>,
    /// Each queue's one policy and who it names, so a sender added later rewrites it.
    queue_policies: Vec<PolicySlot<QueuePolicy>>,
    topics: Vec<Handle<Topic>>,
    /// Each topic's one policy, who it names, and the topic's customer managed key.
    topic_policies: Vec<(PolicySlot<TopicPolicy>, Option<Handle<Key>>)>,
    functions: Vec<PipelineFunction>,
    buckets: Vec<Handle<Bucket>>,
    rules: Vec<Handle<Rule>>,
}

/// The one policy of a queue or topic of a pipeline, who it names, and the construct path of
/// the queue or topic.
#[derive(Clone, Debug)]
struct PolicySlot<P> {
    policy: Handle<P>,
    senders: Senders,
    path: String,
}

/// A queue of a pipeline and its dead-letter queue.
#[derive(Clone, Debug)]
pub struct PipelineQueue {
    queue: Handle<Queue>,
    dead_letter: Handle<Queue>,
}

impl PipelineQueue {
    /// The queue.
    pub fn queue(&self) -> &Handle<Queue> {
        &self.queue
    }

    /// Its dead-letter queue.
    pub fn dead_letter_queue(&self) -> &Handle<Queue> {
        &self.dead_letter
    }
}

/// A function of a pipeline, its role and its log group.
#[derive(Clone, Debug)]
pub struct PipelineFunction {
    function: Handle<Function>,
    role: Handle<Role>,
    log_group: Handle<LogGroup>,
    failure_queue: Option<Handle<Queue>>,
}

impl PipelineFunction {
    /// The function.
    pub fn function(&self) -> &Handle<Function> {
        &self.function
    }

    /// Its execution role.
    pub fn role(&self) -> &Handle<Role> {
        &self.role
    }

    /// Its log group.
    pub fn log_group(&self) -> &Handle<LogGroup> {
        &self.log_group
    }

    /// Where failed asynchronous invocations go, when a rule invokes it.
    pub fn failure_queue(&self) -> Option<&Handle<Queue>> {
        self.failure_queue.as_ref()
    }
}

/// A queue being built, with what sends to it.
struct QueueSlot {
    id: String,
    handle: Handle<Queue>,
    senders: Senders,
}

impl EventPipeline {
    /// Builds the pipeline in `scope` under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: EventPipelineProps) -> Self {
        let mut parent = scope.as_scope();
        let mut scope = parent.child(id);
        let mut props = props;
        let foreign = props.drop_foreign_keys();
        let mut builder = Builder {
            scope: &mut scope,
            props: &props,
            slots: Vec::new(),
        };
        for (id, what) in foreign {
            builder.dangling(&id, what);
        }
        builder.build()
    }

    /// The pipeline's custom bus, or `None` when it uses the default bus.
    pub fn bus(&self) -> Option<&Handle<EventBus>> {
        self.bus.as_ref()
    }

    /// A queue, by the key its props gave.
    pub fn queue(&self, key: &QueueKey) -> Option<&Handle<Queue>> {
        self.queues
            .get(key.index_in(self.origin)?)
            .map(|q| &q.queue)
    }

    /// A queue with its dead-letter queue.
    pub fn queue_pair(&self, key: &QueueKey) -> Option<&PipelineQueue> {
        self.queues.get(key.index_in(self.origin)?)
    }

    /// A topic.
    pub fn topic(&self, key: &TopicKey) -> Option<&Handle<Topic>> {
        self.topics.get(key.index_in(self.origin)?)
    }

    /// A function.
    pub fn function(&self, key: &FunctionKey) -> Option<&Handle<Function>> {
        self.functions
            .get(key.index_in(self.origin)?)
            .map(|f| &f.function)
    }

    /// A function with its role, log group and failure queue.
    pub fn function_parts(&self, key: &FunctionKey) -> Option<&PipelineFunction> {
        self.functions.get(key.index_in(self.origin)?)
    }

    /// A source bucket.
    pub fn bucket(&self, key: &BucketKey) -> Option<&Handle<Bucket>> {
        self.buckets.get(key.index_in(self.origin)?)
    }

    /// A rule.
    pub fn rule(&self, key: &RuleKey) -> Option<&Handle<Rule>> {
        self.rules.get(key.index_in(self.origin)?)
    }

    /// Lets `sender`, from outside the pipeline (another pipeline's rule or topic, a bucket,
    /// another account), send to the queue `key`: its one policy is rewritten in place, never
    /// joined by a second `QueuePolicy` (which would replace the first on AWS). `scope` is any
    /// scope of the pipeline's stack (`not-in-this-stack` otherwise); a key of another
    /// pipeline is a `dangling-reference`.
    ///
    /// ```
    /// use constructs::blocks::QueueSender;
    /// use constructs::cfn::events::Rule;
    /// use constructs::pipeline::{EventPipeline, EventPipelineProps, QueueProps};
    /// use constructs::{App, Stack};
    ///
    /// let mut props = EventPipelineProps::new();
    /// let orders = props.queue("Orders", QueueProps::standard());
    /// let mut stack = Stack::new("Shop");
    /// let mut pipeline = EventPipeline::new(&mut stack, "Orders", props);
    /// let legacy = stack.add("Legacy", Rule::new().schedule_expression("rate(1 hour)"));
    /// pipeline.allow_to_queue(&mut stack.scope(), &orders, QueueSender::Rule(legacy));
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// assert!(app.assemble().is_ok());
    /// ```
    pub fn allow_to_queue(
        &mut self,
        scope: &mut impl AsScope,
        key: &QueueKey,
        sender: QueueSender,
    ) {
        let mut scope = scope.as_scope();
        let index = key.index_in(self.origin);
        let (Some(pair), Some(slot)) = (
            index.and_then(|i| self.queues.get(i)),
            index.and_then(|i| self.queue_policies.get_mut(i)),
        ) else {
            let path = scope.path().to_owned();
            let error = PipelineError::DanglingReference { what: "a queue" };
            scope.report(error.to_diagnostic(&path));
            return;
        };
        QueueBlock::add_sender(
            &mut scope,
            &pair.queue,
            &slot.policy,
            &mut slot.senders,
            sender,
        );
    }

    /// Lets `sender`, from outside the pipeline (another rule, a bucket, another account),
    /// publish to the topic `key`: its one policy is rewritten in place. A rule needs the
    /// topic to have a customer managed key EventBridge may use (`unsupported-encryption`
    /// otherwise); see [`allow_to_queue`](Self::allow_to_queue) for the rest.
    pub fn allow_to_topic(
        &mut self,
        scope: &mut impl AsScope,
        key: &TopicKey,
        sender: TopicSender,
    ) {
        let mut scope = scope.as_scope();
        let index = key.index_in(self.origin);
        let (Some(topic), Some((slot, topic_key))) = (
            index.and_then(|i| self.topics.get(i)),
            index.and_then(|i| self.topic_policies.get_mut(i)),
        ) else {
            let path = scope.path().to_owned();
            let error = PipelineError::DanglingReference { what: "a topic" };
            scope.report(error.to_diagnostic(&path));
            return;
        };
        TopicBlock::add_sender(
            &mut scope,
            &slot.path,
            (topic, &slot.policy, topic_key.as_ref()),
            &mut slot.senders,
            sender,
        );
    }
}

struct Builder<'s, 'a> {
    scope: &'s mut Scope<'a>,
    props: &'s EventPipelineProps,
    /// Every queue of the pipeline (including dead-letter and failure queues), for policies.
    slots: Vec<QueueSlot>,
}

impl Builder<'_, '_> {
    /// The construct path of the part `id` (the pipeline's own path when `id` is empty).
    fn path(&self, id: &str) -> String {
        if id.is_empty() {
            self.scope.path().to_owned()
        } else {
            format!("{}/{id}", self.scope.path())
        }
    }

    fn report(&mut self, id: &str, error: PipelineError) {
        let path = self.path(id);
        self.scope.report(error.to_diagnostic(&path));
    }

    /// Reports every problem a check found.
    fn report_all(&mut self, id: &str, errors: Vec<PipelineError>) {
        for error in errors {
            self.report(id, error);
        }
    }

    fn dangling(&mut self, id: &str, what: &'static str) {
        self.report(id, PipelineError::DanglingReference { what });
    }

    fn build(mut self) -> EventPipeline {
        let props = self.props;
        let bus = self.bus();
        let buckets = self.buckets();
        let queues = self.queues();
        let topics = self.topics();
        let targeted: Vec<bool> = (0..props.functions.len())
            .map(|i| {
                props.rules.iter().any(|(_, r)| {
                    r.targets
                        .iter()
                        .any(|t| matches!(t.kind, TargetKind::Function(k) if k.0 == i))
                })
            })
            .collect();
        let functions = self.functions(&queues, &topics, &targeted);
        let (rules, topic_rules) = self.rules(bus.as_ref(), &buckets, &queues, &topics, &functions);
        self.subscriptions(&queues, &topics);
        self.mappings(&queues, &functions);

        let mut queue_policies = Vec::new();
        for (i, slot) in std::mem::take(&mut self.slots).into_iter().enumerate() {
            let policy = QueueBlock::add_policy(self.scope, &slot.id, &slot.handle, &slot.senders);
            // Slot 2q is the queue q (2q + 1 its dead-letter queue): queues come first.
            if i % 2 == 0 && i / 2 < queues.len() {
                queue_policies.push(PolicySlot {
                    policy,
                    senders: slot.senders,
                    path: self.path(&props.queues[i / 2].0),
                });
            }
        }
        let mut topic_policies = Vec::new();
        for (((id, topic_props), topic), rules) in props.topics.iter().zip(&topics).zip(topic_rules)
        {
            // The rules the props name, then the pipeline's own.
            let mut publishers = topic_props.rules.clone();
            publishers.extend(rules);
            let senders = Senders {
                rules: publishers,
                ..Senders::default()
            };
            let policy = TopicBlock::add_policy(self.scope, id, topic, &senders);
            topic_policies.push((
                PolicySlot {
                    policy,
                    senders,
                    path: self.path(id),
                },
                topic_props.key.clone(),
            ));
        }
        for ((id, bucket_props), bucket) in props.buckets.iter().zip(&buckets) {
            BucketBlock::add_policy(
                self.scope,
                id,
                bucket,
                bucket_props.policy.clone(),
                Vec::new(),
            );
        }
        if let Some(bus) = &bus {
            self.scope.add_output(
                "BusName",
                Output::new(bus.att_name()).description("The pipeline's event bus"),
            );
            self.scope.add_output(
                "BusArn",
                Output::new(bus.att_arn()).description("The ARN of the pipeline's event bus"),
            );
        }
        EventPipeline {
            origin: props.origin,
            bus,
            queues,
            queue_policies,
            topics,
            topic_policies,
            functions,
            buckets,
            rules,
        }
    }

    fn bus(&mut self) -> Option<Handle<EventBus>> {
        let name: Value<String> = match &self.props.bus {
            BusChoice::Default => return None,
            BusChoice::Named(name) => {
                if let Some(error) = bus_name_problem(name) {
                    self.report("Bus", error);
                }
                name.into()
            }
            BusChoice::Custom => fns::sub(format!(
                "${{AWS::StackName}}-{}",
                self.scope.logical_id("Bus")
            )),
        };
        // Referenced by `Fn::GetAtt Bus.Name`/`.Arn`, never `Ref` (see the deploy notes).
        Some(self.scope.add("Bus", EventBus::new(name)))
    }

    fn buckets(&mut self) -> Vec<Handle<Bucket>> {
        let mut out = Vec::new();
        for (id, props) in &self.props.buckets {
            // Rules match the bucket's events on EventBridge; its policy is written last,
            // with the other policies.
            let props = props.clone().event_bridge();
            out.push(BucketBlock::add_bucket(self.scope, id, &props));
        }
        out
    }

    /// The longest timeout of the functions consuming each queue (0 when none does).
    fn consumer_timeouts(&mut self) -> Vec<u32> {
        let props = self.props;
        let mut timeouts = vec![0u32; props.queues.len()];
        for consumer in &props.consumers {
            let function = props.functions.get(consumer.function.0);
            match (function, timeouts.get_mut(consumer.queue.0)) {
                (Some((_, f)), Some(t)) => *t = (*t).max(f.timeout_or(FUNCTION_TIMEOUT_SECS)),
                (None, _) => self.dangling("", "a consumer's function"),
                (_, None) => self.dangling("", "a consumer's queue"),
            }
        }
        timeouts
    }

    fn queues(&mut self) -> Vec<PipelineQueue> {
        let props = self.props;
        let timeouts = self.consumer_timeouts();
        let mut out = Vec::new();
        for ((id, queue), &timeout) in props.queues.iter().zip(&timeouts) {
            let needed = timeout.saturating_mul(VISIBILITY_FACTOR);
            let visibility = match queue.visibility_timeout {
                Some(v) if v < needed => {
                    self.report(
                        id,
                        PipelineError::VisibilityTimeoutTooShort {
                            visibility: v,
                            needed,
                            timeout,
                        },
                    );
                    v
                }
                Some(v) => v,
                None => needed.max(30),
            };
            out.push(self.queue(id, queue, visibility));
        }
        out
    }

    fn queue(&mut self, id: &str, props: &QueueProps, visibility: u32) -> PipelineQueue {
        let path = self.path(id);
        let queue_id = format!("{id}Queue");
        let mut props = props.clone();
        if !props.dead_letter_queue {
            // Reported, and built with its dead-letter queue anyway so the rest of the
            // pipeline is checked too (synth writes nothing).
            self.report(
                id,
                PipelineError::QueueWithoutDeadLetterQueue {
                    queue: id.to_owned(),
                },
            );
            props.dead_letter_queue = true;
        }
        let built = QueueBlock::add_queues(self.scope, &path, &queue_id, &props, Some(visibility));
        let queue = built.queue;
        let Some(dead_letter) = built.dead_letter else {
            unreachable!("the props above ask for a dead-letter queue");
        };
        // The senders the props name come first; the pipeline's own are added as it wires.
        self.slots.push(QueueSlot {
            id: queue_id,
            handle: queue.clone(),
            senders: props.senders.clone(),
        });
        self.slots.push(QueueSlot {
            id: format!("{id}Dlq"),
            handle: dead_letter.clone(),
            senders: Senders::default(),
        });
        PipelineQueue { queue, dead_letter }
    }

    /// A queue for undeliverable events or failed invocations: kept 14 days, encrypted with the
    /// pipeline's key (SQS-managed keys without one), no dead-letter queue of its own.
    fn failure_queue(&mut self, id: &str) -> Handle<Queue> {
        let path = self.path(id);
        let mut props = QueueProps::dead_letter();
        if let Some(key) = &self.props.kms_key {
            props = props.kms_key(key);
        }
        let handle = QueueBlock::add_queues(self.scope, &path, id, &props, None).queue;
        self.slots.push(QueueSlot {
            id: id.to_owned(),
            handle: handle.clone(),
            senders: Senders::default(),
        });
        handle
    }

    fn topics(&mut self) -> Vec<Handle<Topic>> {
        let mut out = Vec::new();
        for (id, props) in &self.props.topics {
            out.push(TopicBlock::add_topic(self.scope, id, props));
        }
        out
    }

    fn functions(
        &mut self,
        queues: &[PipelineQueue],
        topics: &[Handle<Topic>],
        targeted: &[bool],
    ) -> Vec<PipelineFunction> {
        let props = self.props;
        let mut out = Vec::new();
        for (i, (id, f)) in props.functions.iter().enumerate() {
            let path = self.path(id);
            let logs = LogGroupBlock::add(
                self.scope,
                &format!("{id}Logs"),
                LogGroupProps::new().retention(f.log_retention),
            )
            .handle()
            .clone();
            // The pipeline's failure queue receives the events a rule's invocation gave up on,
            // unless the function's props name a destination of their own.
            let own_destination = f
                .async_invoke
                .as_ref()
                .is_some_and(|settings| settings.on_failure.is_some());
            let failure_queue = (targeted[i] && !own_destination)
                .then(|| self.failure_queue(&format!("{id}FailureQueue")));

            let mut f = f.clone();
            for consumer in props.consumers.iter().filter(|c| c.function.0 == i) {
                let Some(pair) = queues.get(consumer.queue.0) else {
                    continue; // reported with the consumer timeouts
                };
                let key = match props.queues.get(consumer.queue.0) {
                    Some((
                        _,
                        QueueProps {
                            encryption: QueueEncryption::Kms(key),
                            ..
                        },
                    )) => Some(key),
                    _ => None,
                };
                for grant in queue_grants(&pair.queue, key) {
                    f = f.grant(grant);
                }
            }
            for publisher in props.publishers.iter().filter(|p| p.function.0 == i) {
                let Some(topic) = topics.get(publisher.topic.0) else {
                    self.dangling(id, "a published topic's");
                    continue;
                };
                f = f.grant(presets::sns::publish(topic));
                if let Some(key) = &props.topics[publisher.topic.0].1.key {
                    f = f.grant(presets::kms::encrypt(key));
                }
                let by = format!(
                    "the pipeline (the ARN of topic `{}`)",
                    props.topics[publisher.topic.0].0
                );
                if let Some(clash) =
                    f.construct_env(&publisher.variable, topic.reference().into(), &by, false)
                {
                    self.scope.report(clash.to_diagnostic(&path));
                }
            }
            if let Some(queue) = &failure_queue {
                // Lambda sends failed events with the function's role, so the role encrypts.
                if let Some(key) = &props.kms_key {
                    f = f.grant(presets::kms::encrypt(key));
                }
                let settings = f.async_invoke.take().unwrap_or_default();
                f = f.async_invoke(settings.on_failure(Destination::Queue(queue.clone())));
            }
            let layout = Layout {
                logs: Logs::Existing(logs),
                role_description: Some(format!("Runs {path}")),
                default_timeout_secs: FUNCTION_TIMEOUT_SECS,
                ..Layout::named(path, id, format!("{id}Function"))
            };
            let built = LambdaFunction::build(self.scope, layout, &f);
            out.push(PipelineFunction {
                function: built.function().clone(),
                role: built.role().clone(),
                log_group: built.log_group().clone(),
                failure_queue,
            });
        }
        out
    }

    /// The rules, and per topic the rules that publish to it.
    #[allow(clippy::type_complexity)]
    fn rules(
        &mut self,
        bus: Option<&Handle<EventBus>>,
        buckets: &[Handle<Bucket>],
        queues: &[PipelineQueue],
        topics: &[Handle<Topic>],
        functions: &[PipelineFunction],
    ) -> (Vec<Handle<Rule>>, Vec<Vec<(String, Value<String>)>>) {
        let props = self.props;
        let mut topic_rules = vec![Vec::new(); topics.len()];
        let mut out = Vec::new();
        for (rule_id, rp) in &props.rules {
            let rule_resource_id = format!("{rule_id}Rule");
            let rule_logical = self.scope.logical_id(&rule_resource_id);
            if rp.targets.len() > MAX_TARGETS_PER_RULE {
                self.report(
                    rule_id,
                    PipelineError::TooManyTargets {
                        count: rp.targets.len(),
                        max: MAX_TARGETS_PER_RULE,
                    },
                );
            }
            let mut rule = Rule::new().state(if rp.enabled { "ENABLED" } else { "DISABLED" });
            if let Some(text) = &rp.description {
                rule = rule.description(text.as_str());
            }
            match &rp.trigger {
                Trigger::Pattern(pattern) => {
                    match pattern.to_json() {
                        Ok(json) => rule = rule.event_pattern(json),
                        Err(e) => self.report_all(rule_id, e),
                    }
                    if let Some(bus) = bus {
                        rule = rule.event_bus_name(bus.att_name());
                    }
                }
                Trigger::Schedule(schedule) => match schedule.expression() {
                    Ok(expression) => rule = rule.schedule_expression(expression),
                    Err(e) => self.report_all(rule_id, e),
                },
                Trigger::ObjectCreated {
                    bucket,
                    prefix,
                    suffix,
                } => match bucket.index_in(props.origin).and_then(|i| buckets.get(i)) {
                    Some(b) => {
                        rule = rule.event_pattern(object_created(
                            b,
                            prefix.as_deref(),
                            suffix.as_deref(),
                        ));
                    }
                    None => self.dangling(rule_id, "a bucket"),
                },
            }

            // Targets: each with its dead-letter queue; what must be granted once the rule
            // exists is collected for after it is added.
            let mut targets = Vec::new();
            let mut dead_letters = Vec::new();
            let mut queue_targets = Vec::new();
            let mut topic_targets = Vec::new();
            let mut permissions = Vec::new();
            // Each target so far: how messages name it, and its id.
            let mut seen: Vec<(String, String)> = Vec::new();
            for target in &rp.targets {
                if let Err(e) = target.retry.validate() {
                    self.report_all(rule_id, e);
                }
                if let Some(input) = &target.input {
                    if let Err(e) = input.validate() {
                        self.report_all(rule_id, e);
                    }
                }
                let (kind, target_id, arn): (&str, String, Value<String>) = match &target.kind {
                    TargetKind::Queue(key) => {
                        let Some(pair) = queues.get(key.0) else {
                            self.dangling(rule_id, "a target queue");
                            continue;
                        };
                        let id = props.queues[key.0].0.clone();
                        ("queue", id, pair.queue.att_arn().into())
                    }
                    TargetKind::Topic(key) => {
                        let Some(topic) = topics.get(key.0) else {
                            self.dangling(rule_id, "a target topic");
                            continue;
                        };
                        let id = props.topics[key.0].0.clone();
                        ("topic", id, topic.reference().into())
                    }
                    TargetKind::Function(key) => {
                        let Some(f) = functions.get(key.0) else {
                            self.dangling(rule_id, "a target function");
                            continue;
                        };
                        let id = props.functions[key.0].0.clone();
                        ("function", id, f.function.att_arn().into())
                    }
                    TargetKind::Bus(other) => {
                        ("event bus", other.logical_id().to_owned(), other.att_arn())
                    }
                };
                // A target's id names it in the rule and names its dead-letter queue, role and
                // permission: a second target of one id is reported once, here, and left out,
                // rather than as the duplicate logical ids of every part it would add.
                let this = format!("{kind} `{target_id}`");
                if let Some((first, _)) = seen.iter().find(|(_, id)| *id == target_id) {
                    let error = if *first == this {
                        PipelineError::DuplicateTarget { target: this }
                    } else {
                        PipelineError::TargetIdClash {
                            first: first.clone(),
                            second: this,
                            id: target_id,
                        }
                    };
                    self.report(rule_id, error);
                    continue;
                }
                seen.push((this, target_id.clone()));
                match &target.kind {
                    TargetKind::Queue(key) => queue_targets.push(key.0),
                    TargetKind::Topic(key) => {
                        if props.topics[key.0].1.key.is_none() {
                            self.report(
                                rule_id,
                                PipelineError::UnsupportedEncryption {
                                    topic: target_id.clone(),
                                },
                            );
                        }
                        topic_targets.push(key.0);
                    }
                    TargetKind::Function(key) => {
                        permissions.push((target_id.clone(), functions[key.0].function.clone()));
                    }
                    TargetKind::Bus(_) => {}
                }
                let dlq_id = format!("{rule_id}{target_id}Dlq");
                let dlq = self.failure_queue(&dlq_id);
                dead_letters.push(self.slots.len() - 1);
                let mut t = rule::Target::new(arn, target_id.as_str())
                    .retry_policy(
                        rule::RetryPolicy::new()
                            .maximum_event_age_in_seconds(i64::from(
                                target.retry.maximum_event_age_seconds,
                            ))
                            .maximum_retry_attempts(i64::from(target.retry.maximum_retry_attempts)),
                    )
                    .dead_letter_config(rule::DeadLetterConfig::new().arn(dlq.att_arn()));
                if let TargetKind::Queue(key) = &target.kind {
                    let fifo = props.queues[key.0].1.fifo;
                    match (&target.message_group_id, fifo) {
                        (Some(group), true) => {
                            t = t.sqs_parameters(rule::SqsParameters::new(group.as_str()));
                        }
                        (None, true) => self.report(
                            rule_id,
                            PipelineError::MissingMessageGroup {
                                target: target_id.clone(),
                            },
                        ),
                        (Some(_), false) => self.report(
                            rule_id,
                            PipelineError::MessageGroupOnStandardQueue {
                                target: target_id.clone(),
                            },
                        ),
                        (None, false) => {}
                    }
                }
                if let TargetKind::Bus(other) = &target.kind {
                    // EventBridge sets aws:SourceArn to the rule's ARN. The rule itself cannot
                    // be named (its target names this role: a circle), so any rule of this
                    // account and region.
                    let mut role = ServiceRole::new("events.amazonaws.com").scoped_to(fns::sub(
                        "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*",
                    ));
                    role.grant(presets::events::put_events(other));
                    let role = role.add_to(self.scope, &format!("{rule_id}{target_id}Role"));
                    t = t.role_arn(role.att_arn());
                }
                if let Some(input) = &target.input {
                    let paths: Vec<(String, String)> = input
                        .paths
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    let mut transformer = rule::InputTransformer::new(input.template.as_str());
                    if !paths.is_empty() {
                        transformer = transformer.input_paths_map(paths);
                    }
                    t = t.input_transformer(transformer);
                }
                targets.push(t);
            }
            if !targets.is_empty() {
                rule = rule.targets(targets);
            }
            let handle = self.scope.add(&rule_resource_id, rule);
            let source = (rule_logical.clone(), handle.att_arn());
            for slot in dead_letters {
                self.slots[slot].senders.rules.push(source.clone());
            }
            for q in queue_targets {
                // Slot 2q is the queue (2q + 1 its dead-letter queue): queues come first.
                self.slots[2 * q].senders.rules.push(source.clone());
            }
            for t in topic_targets {
                topic_rules[t].push(source.clone());
            }
            for (target_id, function) in permissions {
                self.scope.add(
                    &format!("{rule_id}{target_id}Permission"),
                    Permission::new(
                        "lambda:InvokeFunction",
                        function.att_arn(),
                        "events.amazonaws.com",
                    )
                    .source_arn(handle.att_arn()),
                );
            }
            out.push(handle);
        }
        (out, topic_rules)
    }

    fn subscriptions(&mut self, queues: &[PipelineQueue], topics: &[Handle<Topic>]) {
        let props = self.props;
        for sub in &props.subscriptions {
            let (Some(topic), Some(pair)) = (topics.get(sub.topic.0), queues.get(sub.queue.0))
            else {
                self.dangling("", "a subscription's topic or queue");
                continue;
            };
            let topic_id = &props.topics[sub.topic.0].0;
            let queue_id = &props.queues[sub.queue.0].0;
            let id = format!("{topic_id}To{queue_id}Subscription");
            if props.queues[sub.queue.0].1.fifo {
                self.report(
                    &id,
                    PipelineError::FifoQueueOnStandardTopic {
                        queue: queue_id.clone(),
                        topic: topic_id.clone(),
                    },
                );
            }
            let mut s =
                SnsSubscription::new("sqs", topic.reference()).endpoint(pair.queue.att_arn());
            if sub.props.raw_message_delivery {
                s = s.raw_message_delivery(true);
            }
            if let Some(policy) = &sub.props.filter_policy {
                match policy.to_json() {
                    Ok(json) => s = s.filter_policy(json).filter_policy_scope(policy.scope()),
                    Err(e) => self.report_all(&id, e),
                }
            }
            self.scope.add(&id, s);
            let topic_logical = topic.logical_id().to_owned();
            self.slots[2 * sub.queue.0]
                .senders
                .topics
                .push((topic_logical, topic.reference().into()));
        }
    }

    fn mappings(&mut self, queues: &[PipelineQueue], functions: &[PipelineFunction]) {
        let props = self.props;
        for consumer in &props.consumers {
            let (Some(pair), Some(f)) = (
                queues.get(consumer.queue.0),
                functions.get(consumer.function.0),
            ) else {
                continue; // reported with the consumer timeouts
            };
            let (queue_id, queue) = &props.queues[consumer.queue.0];
            let function_id = &props.functions[consumer.function.0].0;
            let id = format!("{function_id}{queue_id}Mapping");
            if let Err(errors) = consumer.props.validate(queue.fifo) {
                let path = self.path(&id);
                for error in errors {
                    self.scope.report(error.to_diagnostic(&path));
                }
            }
            let mapping = queue_mapping(&f.function, &pair.queue, &consumer.props);
            self.scope.add(&id, mapping);
        }
    }
}

/// The pattern of S3 `Object Created` events of `bucket`, keys filtered by prefix and suffix.
fn object_created(
    bucket: &Handle<Bucket>,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Value<crate::kinds::Json> {
    let mut bucket_fields = IndexMap::new();
    bucket_fields.insert(
        "name".to_owned(),
        Expr::List(vec![bucket.reference().into_expr()]),
    );
    let mut detail = IndexMap::new();
    detail.insert("bucket".to_owned(), Expr::map(bucket_fields));
    let key = match (prefix, suffix) {
        (Some(p), Some(s)) => Some(("wildcard", format!("{}*{}", escape(p), escape(s)))),
        (Some(p), None) => Some(("prefix", p.to_owned())),
        (None, Some(s)) => Some(("suffix", s.to_owned())),
        (None, None) => None,
    };
    if let Some((matcher, value)) = key {
        let mut m = IndexMap::new();
        m.insert(matcher.to_owned(), Expr::string(value));
        let mut object = IndexMap::new();
        object.insert("key".to_owned(), Expr::List(vec![Expr::map(m)]));
        detail.insert("object".to_owned(), Expr::map(object));
    }
    let mut pattern = IndexMap::new();
    pattern.insert(
        "source".to_owned(),
        Expr::List(vec![Expr::string("aws.s3")]),
    );
    pattern.insert(
        "detail-type".to_owned(),
        Expr::List(vec![Expr::string("Object Created")]),
    );
    pattern.insert("detail".to_owned(), Expr::map(detail));
    Value::unchecked(Expr::map(pattern))
}

/// Text matched literally inside a wildcard pattern (`*` and `\` escaped).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('*', "\\*")
}

/// The names EventBridge takes for a custom bus: `/` is for partner buses only.
const BUS_NAME: NameRule = NameRule::new(1, 256, "letters, digits, `.`, `-` and `_`", |c| {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
});

/// What is wrong with the name of a custom bus, if anything. `default` fits the schema's
/// pattern, but it is the account's own bus and cannot be created.
fn bus_name_problem(name: &str) -> Option<PipelineError> {
    let reason = if name == "default" {
        "is the account's default bus, which cannot be created".to_owned()
    } else {
        let problems: Vec<String> = BUS_NAME
            .problems(name)
            .iter()
            .map(ToString::to_string)
            .collect();
        if problems.is_empty() {
            return None;
        }
        problems.join(", and ")
    };
    Some(PipelineError::InvalidBusName {
        name: name.to_owned(),
        reason,
    })
}
