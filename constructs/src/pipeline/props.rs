//! The description of a whole pipeline, and the typed keys that connect its parts.

use std::sync::atomic::{AtomicU64, Ordering};

use super::rule::{RuleProps, TargetKind};
use super::topic::SubscriptionProps;
use crate::blocks::lambda::ConsumeProps;
use crate::blocks::lambda::FunctionProps;
use crate::blocks::s3::BucketProps;
use crate::blocks::sns::TopicProps;
use crate::blocks::sqs::QueueProps;
use crate::cfn::kms::Key;
use crate::Handle;

macro_rules! key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Keys are made by [`EventPipelineProps`] and are valid only with the props (or a
        /// clone of them) and the [`EventPipeline`](super::EventPipeline) that made them: a key
        /// remembers its props, so using one elsewhere is reported as a `dangling-reference`
        /// error (and the pipeline's accessors return `None`), even when its index happens to
        /// exist there.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub(crate) usize, pub(crate) Origin);

        impl $name {
            pub(crate) fn index_in(&self, origin: Origin) -> Option<usize> {
                (self.1 == origin).then_some(self.0)
            }
        }
    };
}

key!(
    /// A queue of a pipeline.
    QueueKey
);
key!(
    /// A topic of a pipeline.
    TopicKey
);
key!(
    /// A function of a pipeline.
    FunctionKey
);
key!(
    /// A source bucket of a pipeline.
    BucketKey
);
key!(
    /// A rule of a pipeline.
    RuleKey
);

/// Which [`EventPipelineProps`] made a key: a number unique in the process, given to each props
/// when it is created (clones share it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Origin(u64);

impl Origin {
    fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Origin(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// Which bus pattern rules listen on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum BusChoice {
    /// A custom bus, named `<stack name>-<logical id>` unless a name is given.
    #[default]
    Custom,
    Named(String),
    Default,
}

/// A subscription of a queue to a topic.
#[derive(Clone, Debug)]
pub(crate) struct Subscription {
    pub topic: TopicKey,
    pub queue: QueueKey,
    pub props: SubscriptionProps,
}

/// A function publishing to a topic, told the topic's ARN in a variable.
#[derive(Clone, Debug)]
pub(crate) struct Publisher {
    pub function: FunctionKey,
    pub topic: TopicKey,
    pub variable: String,
}

/// A function reading a queue.
#[derive(Clone, Debug)]
pub(crate) struct Consumer {
    pub function: FunctionKey,
    pub queue: QueueKey,
    pub props: ConsumeProps,
}

/// Everything an [`EventPipeline`](super::EventPipeline) is built from: queues, topics,
/// functions, rules and buckets, each under an id, connected by the typed keys the adding
/// methods return. A topic key cannot be passed where a queue key is expected.
///
/// ```
/// use constructs::blocks::lambda::FunctionProps;
/// use constructs::pipeline::{ConsumeProps, EventPipelineProps, QueueProps, SubscriptionProps, TopicProps};
///
/// let mut props = EventPipelineProps::new();
/// let jobs = props.queue("Jobs", QueueProps::standard());
/// let done = props.topic("Done", TopicProps::new());
/// let worker = props.function("Worker", FunctionProps::python("def handler(e, c):\n    pass\n"));
/// props.publish(&worker, &done, "DONE_TOPIC");
/// props.consume(&worker, &jobs, ConsumeProps::new().batch_size(5));
/// let audit = props.queue("Audit", QueueProps::standard());
/// props.subscribe(&done, &audit, SubscriptionProps::new().raw_message_delivery());
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct EventPipelineProps {
    pub(crate) origin: Origin,
    pub(crate) bus: BusChoice,
    pub(crate) kms_key: Option<Handle<Key>>,
    pub(crate) queues: Vec<(String, QueueProps)>,
    pub(crate) topics: Vec<(String, TopicProps)>,
    pub(crate) functions: Vec<(String, FunctionProps)>,
    pub(crate) buckets: Vec<(String, BucketProps)>,
    pub(crate) rules: Vec<(String, RuleProps)>,
    pub(crate) subscriptions: Vec<Subscription>,
    pub(crate) consumers: Vec<Consumer>,
    pub(crate) publishers: Vec<Publisher>,
}

impl EventPipelineProps {
    /// A pipeline with its own event bus and nothing else yet.
    pub fn new() -> Self {
        Self {
            origin: Origin::next(),
            bus: BusChoice::default(),
            kms_key: None,
            queues: Vec::new(),
            topics: Vec::new(),
            functions: Vec::new(),
            buckets: Vec::new(),
            rules: Vec::new(),
            subscriptions: Vec::new(),
            consumers: Vec::new(),
            publishers: Vec::new(),
        }
    }

    /// Names the pipeline's custom bus (by default `<stack name>-<logical id>`).
    pub fn bus_name(mut self, name: impl Into<String>) -> Self {
        self.bus = BusChoice::Named(name.into());
        self
    }

    /// Pattern rules listen on the account's default bus; no bus is created.
    pub fn default_bus(mut self) -> Self {
        self.bus = BusChoice::Default;
        self
    }

    /// The customer managed key of the queues the pipeline makes itself: each rule target's
    /// dead-letter queue and each rule-invoked function's failure queue (SQS-managed keys
    /// otherwise). The queues the props add choose their own encryption
    /// ([`QueueProps::kms_key`]); give them the same key for one key on every queue.
    ///
    /// The functions whose failure queue it encrypts are granted `kms:GenerateDataKey` and
    /// `kms:Decrypt` on it. EventBridge sends undeliverable events to the targets' dead-letter
    /// queues itself, so the key's policy must let `events.amazonaws.com` use it, as for any
    /// queue a rule targets.
    ///
    /// ```
    /// use constructs::cfn::kms::Key;
    /// use constructs::pipeline::{EventPipelineProps, QueueProps};
    /// use constructs::Stack;
    ///
    /// let mut stack = Stack::new("Orders");
    /// let key = stack.add("QueueKey", Key::new());
    /// let mut props = EventPipelineProps::new().kms_key(&key);
    /// let orders = props.queue("Orders", QueueProps::standard().kms_key(&key));
    /// # let _ = orders;
    /// ```
    pub fn kms_key(mut self, key: &Handle<Key>) -> Self {
        self.kms_key = Some(key.clone());
        self
    }

    /// Adds a queue (with its dead-letter queue) under `id`.
    pub fn queue(&mut self, id: &str, props: QueueProps) -> QueueKey {
        self.queues.push((id.to_owned(), props));
        QueueKey(self.queues.len() - 1, self.origin)
    }

    /// Adds a topic under `id`.
    pub fn topic(&mut self, id: &str, props: TopicProps) -> TopicKey {
        self.topics.push((id.to_owned(), props));
        TopicKey(self.topics.len() - 1, self.origin)
    }

    /// Adds a function (with its role and log group) under `id`. Its timeout defaults to 30 s
    /// here (Lambda allows up to 900 s); queues it consumes get a visibility timeout of at
    /// least six times its timeout.
    pub fn function(&mut self, id: &str, props: FunctionProps) -> FunctionKey {
        self.functions.push((id.to_owned(), props));
        FunctionKey(self.functions.len() - 1, self.origin)
    }

    /// Adds a source bucket under `id` (the S3 block's bucket, with EventBridge notifications
    /// turned on); rules made with
    /// [`RuleProps::object_created`](super::RuleProps::object_created) listen to it.
    pub fn bucket(&mut self, id: &str, props: BucketProps) -> BucketKey {
        self.buckets.push((id.to_owned(), props));
        BucketKey(self.buckets.len() - 1, self.origin)
    }

    /// Adds a rule under `id`.
    pub fn rule(&mut self, id: &str, props: RuleProps) -> RuleKey {
        self.rules.push((id.to_owned(), props));
        RuleKey(self.rules.len() - 1, self.origin)
    }

    /// Subscribes `queue` to `topic`.
    pub fn subscribe(&mut self, topic: &TopicKey, queue: &QueueKey, props: SubscriptionProps) {
        self.subscriptions.push(Subscription {
            topic: *topic,
            queue: *queue,
            props,
        });
    }

    /// Lets `function` publish to `topic` (`sns:Publish` on it, plus the key's actions when it
    /// has a customer managed key) and passes the topic's ARN in the variable `variable`; a
    /// variable of that name in the function's own props is an `invalid-environment-variable`
    /// error.
    pub fn publish(
        &mut self,
        function: &FunctionKey,
        topic: &TopicKey,
        variable: impl Into<String>,
    ) {
        self.publishers.push(Publisher {
            function: *function,
            topic: *topic,
            variable: variable.into(),
        });
    }

    /// Makes `function` consume `queue` (an event source mapping), granting it exactly what
    /// that takes.
    pub fn consume(&mut self, function: &FunctionKey, queue: &QueueKey, props: ConsumeProps) {
        self.consumers.push(Consumer {
            function: *function,
            queue: *queue,
            props,
        });
    }

    /// Removes every connection (subscription, consumer, publisher, rule target) that holds a
    /// key another props made, so that nothing below can mistake it for a key of these props;
    /// returns, for each, the id of the rule it was in (empty for the others) and what the key
    /// was for. A rule's bucket key is checked where the rule is built.
    pub(crate) fn drop_foreign_keys(&mut self) -> Vec<(String, &'static str)> {
        let origin = self.origin;
        let mut foreign = Vec::new();
        self.subscriptions.retain(|s| {
            let own = s.topic.1 == origin && s.queue.1 == origin;
            if !own {
                foreign.push((String::new(), "a subscription's topic or queue"));
            }
            own
        });
        self.consumers.retain(|c| {
            if c.function.1 != origin {
                foreign.push((String::new(), "a consumer's function"));
            }
            if c.queue.1 != origin {
                foreign.push((String::new(), "a consumer's queue"));
            }
            c.function.1 == origin && c.queue.1 == origin
        });
        self.publishers.retain(|p| {
            if p.function.1 != origin {
                foreign.push((String::new(), "a publisher's function"));
            }
            if p.topic.1 != origin {
                foreign.push((String::new(), "a published topic's"));
            }
            p.function.1 == origin && p.topic.1 == origin
        });
        for (id, rule) in &mut self.rules {
            rule.targets.retain(|t| {
                let (key_origin, what) = match &t.kind {
                    TargetKind::Queue(k) => (k.1, "a target queue"),
                    TargetKind::Topic(k) => (k.1, "a target topic"),
                    TargetKind::Function(k) => (k.1, "a target function"),
                    TargetKind::Bus(_) => return true,
                };
                if key_origin != origin {
                    foreign.push((id.clone(), what));
                }
                key_origin == origin
            });
        }
        foreign
    }
}

impl Default for EventPipelineProps {
    /// The same as [`EventPipelineProps::new`].
    fn default() -> Self {
        Self::new()
    }
}
