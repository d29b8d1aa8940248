//! Rules: what triggers them (an event pattern, a schedule, objects created in a bucket) and
//! their targets, each with a retry policy and a dead-letter queue.

use indexmap::IndexMap;

use super::error::{PipelineError, MAX_INPUT_PATHS};
use super::pattern::EventPattern;
use super::props::{BucketKey, FunctionKey, QueueKey, TopicKey};
use super::retry::RetryPolicy;
use super::schedule::Schedule;
use crate::cfn::events::EventBus;
use crate::diagnostics::all_problems;
use crate::Handle;

/// The most targets EventBridge allows on one rule.
pub const MAX_TARGETS_PER_RULE: usize = 5;

/// What makes a rule fire.
#[derive(Clone, Debug)]
pub(crate) enum Trigger {
    Pattern(EventPattern),
    Schedule(Schedule),
    ObjectCreated {
        bucket: BucketKey,
        prefix: Option<String>,
        suffix: Option<String>,
    },
}

/// A rule of an [`EventPipeline`](super::EventPipeline): its trigger and targets.
///
/// Pattern rules listen on the pipeline's bus; schedule rules and bucket rules on the default
/// bus (the only one EventBridge schedules and S3 notifications use).
///
/// ```
/// use constructs::pipeline::{EventPattern, EventPipelineProps, QueueProps, RateUnit, RetryPolicy, RuleProps, Schedule, Target};
///
/// let mut props = EventPipelineProps::new();
/// let orders = props.queue("Orders", QueueProps::standard());
/// props.rule(
///     "OrderPlaced",
///     RuleProps::on(EventPattern::new().source(["myapp.orders"]).detail_type(["Order Placed"]))
///         .target(Target::queue(&orders).retry(RetryPolicy::new(3600, 10))),
/// );
/// props.rule("Nightly", RuleProps::every(Schedule::rate(1, RateUnit::Days)).target(Target::queue(&orders)));
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct RuleProps {
    pub(crate) trigger: Trigger,
    pub(crate) targets: Vec<Target>,
    pub(crate) description: Option<String>,
    pub(crate) enabled: bool,
}

impl RuleProps {
    fn with(trigger: Trigger) -> Self {
        Self {
            trigger,
            targets: Vec::new(),
            description: None,
            enabled: true,
        }
    }

    /// A rule on the pipeline's bus for events matching `pattern`.
    pub fn on(pattern: EventPattern) -> Self {
        Self::with(Trigger::Pattern(pattern))
    }

    /// A rule on the default bus that fires on `schedule`.
    pub fn every(schedule: Schedule) -> Self {
        Self::with(Trigger::Schedule(schedule))
    }

    /// A rule on the default bus for `Object Created` events of `bucket` (whose EventBridge
    /// notifications the pipeline turns on); narrow it with [`prefix`](Self::prefix) and
    /// [`suffix`](Self::suffix).
    pub fn object_created(bucket: &BucketKey) -> Self {
        Self::with(Trigger::ObjectCreated {
            bucket: *bucket,
            prefix: None,
            suffix: None,
        })
    }

    /// Only keys starting with `prefix` (bucket rules only; ignored otherwise).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        if let Trigger::ObjectCreated { prefix: p, .. } = &mut self.trigger {
            *p = Some(prefix.into());
        }
        self
    }

    /// Only keys ending with `suffix` (bucket rules only; ignored otherwise).
    pub fn suffix(mut self, suffix: impl Into<String>) -> Self {
        if let Trigger::ObjectCreated { suffix: s, .. } = &mut self.trigger {
            *s = Some(suffix.into());
        }
        self
    }

    /// Adds a target (at most five per rule). Each queue, topic, function or bus is a target
    /// of a rule once, and targets of one rule have different ids: a second one is a
    /// `duplicate-target` error.
    pub fn target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self
    }

    /// The description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Creates the rule disabled.
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }
}

/// Where a rule sends events.
#[derive(Clone, Debug)]
pub(crate) enum TargetKind {
    Queue(QueueKey),
    Topic(TopicKey),
    Function(FunctionKey),
    Bus(Handle<EventBus>),
}

/// A target of a rule: a queue, topic or function of the pipeline, or another event bus. Each
/// has a retry policy and its own dead-letter queue for events that could not be delivered.
#[derive(Clone, Debug)]
#[must_use]
pub struct Target {
    pub(crate) kind: TargetKind,
    pub(crate) retry: RetryPolicy,
    pub(crate) input: Option<InputTransformer>,
    pub(crate) message_group_id: Option<String>,
}

impl Target {
    fn of(kind: TargetKind) -> Self {
        Self {
            kind,
            retry: RetryPolicy::default(),
            input: None,
            message_group_id: None,
        }
    }

    /// A queue of the pipeline; a FIFO queue also needs [`message_group_id`](Self::message_group_id).
    pub fn queue(queue: &QueueKey) -> Self {
        Self::of(TargetKind::Queue(*queue))
    }

    /// A topic of the pipeline (it needs a customer managed key; see
    /// [`TopicProps`](super::TopicProps)).
    pub fn topic(topic: &TopicKey) -> Self {
        Self::of(TargetKind::Topic(*topic))
    }

    /// A function of the pipeline, invoked asynchronously; failed invocations go to its
    /// failure queue.
    pub fn function(function: &FunctionKey) -> Self {
        Self::of(TargetKind::Function(*function))
    }

    /// Another event bus; the pipeline adds a role EventBridge uses to put events on it.
    pub fn bus(bus: &Handle<EventBus>) -> Self {
        Self::of(TargetKind::Bus(bus.clone()))
    }

    /// The retry policy (default: 24 hours, 185 attempts).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Reshapes the event before delivery.
    pub fn input_transformer(mut self, transformer: InputTransformer) -> Self {
        self.input = Some(transformer);
        self
    }

    /// The message group of events sent to a FIFO queue.
    pub fn message_group_id(mut self, id: impl Into<String>) -> Self {
        self.message_group_id = Some(id.into());
        self
    }
}

/// An input transformer: JSON paths of the event bound to names, and a template that uses
/// them as `<name>`.
///
/// ```
/// use constructs::pipeline::InputTransformer;
///
/// let t = InputTransformer::new(r#"{"order": <id>}"#).path("id", "$.detail.orderId");
/// assert!(t.validate().is_ok());
/// assert!(InputTransformer::new("<missing>").validate().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct InputTransformer {
    pub(crate) paths: IndexMap<String, String>,
    pub(crate) template: String,
}

impl InputTransformer {
    /// A transformer writing `template`.
    pub fn new(template: impl Into<String>) -> Self {
        Self {
            paths: IndexMap::new(),
            template: template.into(),
        }
    }

    /// Binds `name` to the JSON path `path` (such as `$.detail.orderId`).
    pub fn path(mut self, name: impl Into<String>, path: impl Into<String>) -> Self {
        self.paths.insert(name.into(), path.into());
        self
    }

    /// Checks names, paths (at most 100, each starting with `$`) and that every `<name>` the
    /// template uses is bound, reporting each problem.
    ///
    /// ```
    /// use constructs::pipeline::InputTransformer;
    ///
    /// let t = InputTransformer::new("<a> <b>").path("a", "detail.a");
    /// // `detail.a` does not start with `$`, and nothing binds `<b>`.
    /// assert_eq!(t.validate().unwrap_err().len(), 2);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<PipelineError>> {
        let mut problems = Vec::new();
        let mut bad = |error: PipelineError| problems.push(error);
        if self.template.is_empty() {
            bad(PipelineError::EmptyInputTemplate);
        }
        if self.paths.len() > MAX_INPUT_PATHS {
            bad(PipelineError::TooManyInputPaths {
                count: self.paths.len(),
            });
        }
        for (name, path) in &self.paths {
            let valid_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !valid_name {
                bad(PipelineError::InvalidInputPathName { name: name.clone() });
            }
            if !path.starts_with('$') {
                bad(PipelineError::InputPathWithoutDollar {
                    name: name.clone(),
                    path: path.clone(),
                });
            }
        }
        let mut rest = self.template.as_str();
        while let Some(start) = rest.find('<') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('>') else { break };
            let name = &after[..end];
            let is_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            let predefined = name.starts_with("aws.events.");
            if is_name && !predefined && !self.paths.contains_key(name) {
                bad(PipelineError::UnboundTemplateName {
                    name: name.to_owned(),
                });
            }
            rest = &after[end + 1..];
        }
        all_problems(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, DomainError};

    #[test]
    fn every_problem_of_an_input_transformer_is_reported() {
        let t = InputTransformer::new(r#"{"id": <id>, "at": <time>, "by": <aws.events.rule-arn>}"#)
            .path("id", "detail.id")
            .path("bad name", "$.detail.x");
        let errors = t.validate().unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        assert_eq!(
            messages,
            [
                "input path `detail.id` of `id` does not start with `$`",
                "`bad name` is not an input path name",
                "the template uses `<time>`, which no path binds",
            ]
        );
        assert!(errors
            .iter()
            .all(|e| e.code() == Code::InvalidInputTransformer));
    }
}
