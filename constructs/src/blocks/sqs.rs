//! SQS: [`Queue`], an encrypted queue with its dead-letter queue and exactly one queue policy
//! that names every sender and requires TLS.
//!
//! **Queues are deleted with their stack**, and the template says so (`DeletionPolicy` and
//! `UpdateReplacePolicy` both `Delete`). The library retains what holds records (log groups,
//! tables, buckets); a queue holds work in flight, kept at most 14 days, and every queue with a
//! dead-letter queue has a fixed name (`<stack name>-<logical id>`), so a retained copy would
//! stop the stack from being created again under its name. Drain a dead-letter queue before
//! deleting its stack if its messages matter.

use std::fmt;

use indexmap::IndexMap;

use crate::blocks::limits::Bounds;
use crate::cfn::events::Rule;
use crate::cfn::kms::Key;
use crate::cfn::sns::Topic;
use crate::cfn::sqs::{Queue as CfnQueue, QueuePolicy};
use crate::diagnostics::{all_problems, Code, DomainError};
use crate::iam::{action, PolicyDocument, PolicyExplanation, Statement};
use crate::model::expr::Expr;
use crate::{fns, AsScope, Handle, ResourceOptions, Scope, Value};

use super::resource_policy::{explain_deny, rewrite_policy, QueueSender, Senders};

/// What senders are allowed on a queue.
const SEND: &str = "sqs:SendMessage";

/// Seconds a dead-letter queue keeps messages: 14 days, the most SQS allows.
pub const DEAD_LETTER_RETENTION_SECS: u32 = 1_209_600;

/// What a named FIFO queue's dead-letter queue adds to the queue's base name.
pub(crate) const DLQ_FIFO_SUFFIX: &str = "-dlq.fifo";

/// SQS's longest queue name.
const MAX_NAME_LEN: usize = 80;
/// How long SQS may keep a message, in seconds (one minute to 14 days).
const RETENTION_SECS: Bounds<u32> = Bounds::new(60, DEAD_LETTER_RETENTION_SECS);
/// Receives before a message moves to the dead-letter queue.
const MAX_RECEIVE_COUNT: Bounds<u32> = Bounds::new(1, 1_000);

/// How a queue's messages are encrypted at rest.
#[derive(Clone, Debug, Default)]
pub enum QueueEncryption {
    /// SQS-managed keys (SSE-SQS): no key to manage, and EventBridge and SNS can send to it.
    #[default]
    SqsManaged,
    /// A customer managed KMS key (SSE-KMS). Consumers need `kms:Decrypt` on it; its key
    /// policy must let the senders (`events.amazonaws.com`, `sns.amazonaws.com`) use it.
    Kms(Handle<Key>),
}

/// The choices of a [`Queue`].
///
/// ```
/// use constructs::blocks::sqs::QueueProps;
///
/// let orders = QueueProps::standard().retention_secs(4 * 24 * 3600).max_receive_count(5);
/// let ledger = QueueProps::fifo().name("ledger.fifo").content_based_deduplication();
/// assert!(orders.validate().is_ok() && ledger.validate().is_ok());
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct QueueProps {
    pub(crate) fifo: bool,
    pub(crate) content_based_deduplication: bool,
    pub(crate) name: Option<String>,
    pub(crate) visibility_timeout: Option<u32>,
    pub(crate) retention: u32,
    pub(crate) max_receive_count: u32,
    pub(crate) encryption: QueueEncryption,
    pub(crate) dead_letter_queue: bool,
    pub(crate) senders: Senders,
}

impl QueueProps {
    /// A standard queue: SQS-managed encryption, messages kept 4 days, moved to the
    /// dead-letter queue after 3 receives, a visibility timeout of 30 s (a pipeline sets six
    /// times the longest timeout of the functions consuming it).
    pub fn standard() -> Self {
        Self {
            fifo: false,
            content_based_deduplication: false,
            name: None,
            visibility_timeout: None,
            retention: 345_600,
            max_receive_count: 3,
            encryption: QueueEncryption::SqsManaged,
            dead_letter_queue: true,
            senders: Senders::default(),
        }
    }

    /// A FIFO queue (its dead-letter queue is FIFO too); otherwise as [`standard`](Self::standard).
    pub fn fifo() -> Self {
        Self {
            fifo: true,
            ..Self::standard()
        }
    }

    /// A queue that is itself where failed messages or events go: kept 14 days, no
    /// dead-letter queue of its own.
    pub fn dead_letter() -> Self {
        Self {
            retention: DEAD_LETTER_RETENTION_SECS,
            dead_letter_queue: false,
            ..Self::standard()
        }
    }

    /// A physical name (1–80 letters, digits, `-` and `_`, ending `.fifo` for a FIFO queue).
    /// By default a queue with a dead-letter queue is named `<stack name>-<logical id>`, so
    /// the dead-letter queue's redrive-allow policy can name it without a circular reference.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Deduplicate by a hash of the body (FIFO queues only).
    pub fn content_based_deduplication(mut self) -> Self {
        self.content_based_deduplication = true;
        self
    }

    /// The visibility timeout (0–43,200 s). In a pipeline it must be at least six times the
    /// timeout of every function consuming the queue.
    pub fn visibility_timeout_secs(mut self, secs: u32) -> Self {
        self.visibility_timeout = Some(secs);
        self
    }

    /// How long messages are kept (60–1,209,600 s).
    pub fn retention_secs(mut self, secs: u32) -> Self {
        self.retention = secs;
        self
    }

    /// Receives before a message moves to the dead-letter queue (1–1,000; default 3).
    pub fn max_receive_count(mut self, count: u32) -> Self {
        self.max_receive_count = count;
        self
    }

    /// Encrypts with a customer managed KMS key instead of SQS-managed keys.
    pub fn kms_key(mut self, key: &Handle<Key>) -> Self {
        self.encryption = QueueEncryption::Kms(key.clone());
        self
    }

    /// No dead-letter queue: a message that keeps failing is retried until it expires.
    pub fn without_dead_letter_queue(mut self) -> Self {
        self.dead_letter_queue = false;
        self
    }

    /// Lets EventBridge send messages on behalf of `rule` (`sqs:SendMessage` for
    /// `events.amazonaws.com` with `aws:SourceArn` equal to the rule's ARN), in the queue's one
    /// policy. A rule's target also needs the queue's ARN in the rule.
    pub fn allow_from_rule(mut self, rule: &Handle<Rule>) -> Self {
        self.senders
            .rules
            .push((rule.logical_id().to_owned(), rule.att_arn()));
        self
    }

    /// Lets SNS deliver messages of `topic` (`sqs:SendMessage` for `sns.amazonaws.com` with
    /// `aws:SourceArn` equal to the topic's ARN), in the queue's one policy.
    pub fn allow_from_topic(mut self, topic: &Handle<Topic>) -> Self {
        self.senders
            .topics
            .push((topic.logical_id().to_owned(), topic.reference().into()));
        self
    }

    /// Every setting SQS would reject, all at once.
    ///
    /// ```
    /// use constructs::blocks::sqs::QueueProps;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = QueueProps::standard().retention_secs(10).name("orders.fifo").validate().unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::QueueSettingOutOfRange, Code::FifoMismatch]);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<QueueError>> {
        let mut errors = Vec::new();
        if let Some(secs) = self.visibility_timeout {
            if secs > 43_200 {
                errors.push(QueueError::VisibilityTimeoutOutOfRange { secs });
            }
        }
        if !RETENTION_SECS.contains(self.retention) {
            errors.push(QueueError::RetentionOutOfRange {
                secs: self.retention,
            });
        }
        if !MAX_RECEIVE_COUNT.contains(self.max_receive_count) {
            errors.push(QueueError::MaxReceiveCountOutOfRange {
                count: self.max_receive_count,
            });
        }
        if self.content_based_deduplication && !self.fifo {
            errors.push(QueueError::DeduplicationOnStandardQueue);
        }
        if let Some(name) = &self.name {
            errors.extend(name_problem(name, self.fifo));
        }
        all_problems(errors)
    }
}

/// What is wrong with a queue name, if anything: 1–80 characters of letters, digits, `-` and
/// `_`, with the `.fifo` suffix exactly when the queue is FIFO, leaving room for a FIFO
/// dead-letter queue's `-dlq.fifo`.
fn name_problem(name: &str, fifo: bool) -> Option<QueueError> {
    let base = name.strip_suffix(".fifo");
    if fifo && base.is_none() {
        return Some(QueueError::FifoNameWithoutSuffix {
            name: name.to_owned(),
        });
    }
    if !fifo && base.is_some() {
        return Some(QueueError::FifoSuffixOnStandardQueue {
            name: name.to_owned(),
        });
    }
    let base = base.unwrap_or(name);
    let valid = !base.is_empty()
        && name.len() <= MAX_NAME_LEN
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Some(QueueError::InvalidName {
            name: name.to_owned(),
        });
    }
    if fifo && base.len() + DLQ_FIFO_SUFFIX.len() > MAX_NAME_LEN {
        return Some(QueueError::NoRoomForDeadLetterName {
            name: name.to_owned(),
            dead_letter: format!("{base}{DLQ_FIFO_SUFFIX}"),
        });
    }
    None
}

/// One thing wrong with a [`QueueProps`], found by [`QueueProps::validate`] and reported by
/// [`Queue`] (and the pipeline's queues) at synth with the construct path; its code and hint
/// come from [`DomainError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueueError {
    /// The visibility timeout is over 43,200 s. [`Code::QueueSettingOutOfRange`].
    VisibilityTimeoutOutOfRange {
        /// The timeout asked for.
        secs: u32,
    },
    /// The retention is outside 60–1,209,600 s. [`Code::QueueSettingOutOfRange`].
    RetentionOutOfRange {
        /// The retention asked for.
        secs: u32,
    },
    /// `maxReceiveCount` is outside 1–1,000. [`Code::QueueSettingOutOfRange`].
    MaxReceiveCountOutOfRange {
        /// The count asked for.
        count: u32,
    },
    /// Content-based deduplication on a standard queue. [`Code::FifoMismatch`].
    DeduplicationOnStandardQueue,
    /// A FIFO queue's name does not end in `.fifo`. [`Code::FifoMismatch`].
    FifoNameWithoutSuffix {
        /// The name.
        name: String,
    },
    /// A standard queue's name ends in `.fifo`. [`Code::FifoMismatch`].
    FifoSuffixOnStandardQueue {
        /// The name.
        name: String,
    },
    /// The name is empty, over 80 characters, or holds other than letters, digits, `-` and
    /// `_`. [`Code::QueueSettingOutOfRange`].
    InvalidName {
        /// The name.
        name: String,
    },
    /// A FIFO queue's name leaves no room for its dead-letter queue's (`<base>-dlq.fifo`).
    /// [`Code::QueueSettingOutOfRange`].
    NoRoomForDeadLetterName {
        /// The name.
        name: String,
        /// The dead-letter queue's name it would need.
        dead_letter: String,
    },
    /// The generated name `<stack name>-<logical id>` is over 80 characters.
    /// [`Code::QueueSettingOutOfRange`].
    GeneratedNameTooLong {
        /// The name's pattern.
        name: String,
    },
}

impl DomainError for QueueError {
    fn code(&self) -> Code {
        match self {
            QueueError::DeduplicationOnStandardQueue
            | QueueError::FifoNameWithoutSuffix { .. }
            | QueueError::FifoSuffixOnStandardQueue { .. } => Code::FifoMismatch,
            _ => Code::QueueSettingOutOfRange,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            QueueError::GeneratedNameTooLong { .. } => Some("give the queue a name".to_owned()),
            QueueError::NoRoomForDeadLetterName { .. } => {
                Some("shorten the name to leave room for `-dlq.fifo`".to_owned())
            }
            _ => None,
        }
    }
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::VisibilityTimeoutOutOfRange { secs } => write!(
                f,
                "the visibility timeout is {secs}; it must be from 0 to 43200"
            ),
            QueueError::RetentionOutOfRange { secs } => write!(
                f,
                "the retention period is {secs}; it must be from 60 to 1209600"
            ),
            QueueError::MaxReceiveCountOutOfRange { count } => {
                write!(f, "maxReceiveCount is {count}; it must be from 1 to 1000")
            }
            QueueError::DeduplicationOnStandardQueue => {
                f.write_str("content-based deduplication is for FIFO queues only")
            }
            QueueError::FifoNameWithoutSuffix { name } => {
                write!(f, "FIFO queue name `{name}` must end in `.fifo`")
            }
            QueueError::FifoSuffixOnStandardQueue { name } => {
                write!(f, "`{name}` ends in `.fifo` but the queue is standard")
            }
            QueueError::InvalidName { name } => write!(
                f,
                "`{name}` is not a queue name (1–80 letters, digits, `-`, `_`)"
            ),
            QueueError::NoRoomForDeadLetterName { name, dead_letter } => write!(
                f,
                "`{name}` leaves no room for its dead-letter queue `{dead_letter}` (queue names \
                 are at most 80 characters)"
            ),
            QueueError::GeneratedNameTooLong { name } => write!(
                f,
                "the generated name `{name}` is over SQS's 80 characters; give the queue a name"
            ),
        }
    }
}

impl std::error::Error for QueueError {}

/// An encrypted SQS queue, by default with a dead-letter queue, and exactly one policy per
/// queue: `sqs:SendMessage` for the services sending on behalf of the rules and topics the
/// props name (`aws:SourceArn`), then a deny of every request without TLS.
///
/// What it adds under its id (say `Jobs`): `JobsDlq` (kept 14 days, its redrive-allow policy
/// naming `JobsQueue` only), `JobsQueue` (a redrive policy to `JobsDlq`), and `JobsQueuePolicy`
/// and `JobsDlqPolicy`.
///
/// ```
/// use constructs::blocks::sqs::{Queue, QueueProps};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Work");
/// let jobs = Queue::new(&mut stack, "Jobs", QueueProps::standard().max_receive_count(5));
/// assert_eq!(jobs.queue().logical_id(), "JobsQueue");
/// assert_eq!(jobs.dead_letter_queue().unwrap().logical_id(), "JobsDlq");
/// app.add_stack(stack);
/// let json = app.assemble().unwrap().stack("Work").unwrap().json.clone();
/// assert!(json.contains(r#""maxReceiveCount": 5"#));
/// assert!(json.contains(r#""aws:SecureTransport""#));
/// ```
#[derive(Clone, Debug)]
pub struct Queue {
    queue: Handle<CfnQueue>,
    policy: Handle<QueuePolicy>,
    /// Who the policy names, so a sender added later rewrites it whole.
    senders: Senders,
    dead_letter: Option<(Handle<CfnQueue>, Handle<QueuePolicy>)>,
}

/// The queues [`Queue::add_queues`] adds, before their policies.
pub(crate) struct Queues {
    /// The queue.
    pub queue: Handle<CfnQueue>,
    /// Its dead-letter queue, when the props ask for one.
    pub dead_letter: Option<Handle<CfnQueue>>,
}

impl Queue {
    /// Adds the queue `id`, its dead-letter queue and their policies to `scope`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: QueueProps) -> Self {
        let mut scope = scope.as_scope();
        let path = format!("{}/{id}", scope.path());
        let queue_id = format!("{id}Queue");
        let visibility = props.visibility_timeout.unwrap_or(30);
        let queues = Self::add_queues(&mut scope, &path, &queue_id, &props, Some(visibility));
        let policy = Self::add_policy(&mut scope, &queue_id, &queues.queue, &props.senders);
        let dead_letter = queues.dead_letter.map(|dead_letter| {
            let policy = Self::add_policy(
                &mut scope,
                &format!("{id}Dlq"),
                &dead_letter,
                &Senders::default(),
            );
            (dead_letter, policy)
        });
        Self {
            queue: queues.queue,
            policy,
            senders: props.senders,
            dead_letter,
        }
    }

    /// Adds the queue `queue_id` and, when the props ask for one, its dead-letter queue (`Dlq`
    /// in place of the id's `Queue` suffix), with `visibility` as the visibility timeout when
    /// given; their policies follow with [`Queue::add_policy`] once whoever writes them knows
    /// every sender (a pipeline writes its policies last). Problems are reported at `path`.
    pub(crate) fn add_queues(
        scope: &mut Scope<'_>,
        path: &str,
        queue_id: &str,
        props: &QueueProps,
        visibility: Option<u32>,
    ) -> Queues {
        if let Err(errors) = props.validate() {
            for error in errors {
                scope.report(error.to_diagnostic(path));
            }
        }
        let logical = scope.logical_id(queue_id);
        let suffix = if props.fifo { ".fifo" } else { "" };
        let dead_letter = props.dead_letter_queue.then(|| {
            let dlq_id = format!("{}Dlq", queue_id.strip_suffix("Queue").unwrap_or(queue_id));
            // The queue's name is known before it exists, so its dead-letter queue can name it
            // in its redrive-allow policy without a circular reference.
            let (arn, dlq_name): (Value<String>, Option<Value<String>>) = match &props.name {
                Some(name) => {
                    let base = name.strip_suffix(".fifo").unwrap_or(name);
                    (
                        fns::sub(format!(
                            "arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{name}"
                        )),
                        props
                            .fifo
                            .then(|| format!("{base}{DLQ_FIFO_SUFFIX}").into()),
                    )
                }
                None => {
                    let dlq_logical = scope.logical_id(&dlq_id);
                    (
                        fns::sub(format!(
                            "arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:${{AWS::StackName}}-{logical}{suffix}"
                        )),
                        props
                            .fifo
                            .then(|| fns::sub(format!("${{AWS::StackName}}-{dlq_logical}.fifo"))),
                    )
                }
            };
            let mut allow = IndexMap::new();
            allow.insert("redrivePermission".to_owned(), Expr::string("byQueue"));
            allow.insert(
                "sourceQueueArns".to_owned(),
                Expr::List(vec![arn.into_expr()]),
            );
            let mut dlq = encrypted(CfnQueue::new(), &props.encryption)
                .message_retention_period(i64::from(DEAD_LETTER_RETENTION_SECS))
                .redrive_allow_policy(Value::unchecked(Expr::map(allow)));
            if props.fifo {
                dlq = dlq.fifo_queue(true);
            }
            if let Some(name) = dlq_name {
                dlq = dlq.queue_name(name);
            }
            scope.add_with(&dlq_id, dlq, ResourceOptions::new().delete())
        });

        let name: Option<Value<String>> = match (&props.name, &dead_letter) {
            (Some(name), _) => Some(name.into()),
            (None, Some(_)) => {
                let stack = scope.stack().name().len();
                if stack + 1 + logical.len() + suffix.len() > MAX_NAME_LEN {
                    scope.report(
                        QueueError::GeneratedNameTooLong {
                            name: format!("<stack name>-{logical}{suffix}"),
                        }
                        .to_diagnostic(path),
                    );
                }
                Some(fns::sub(format!("${{AWS::StackName}}-{logical}{suffix}")))
            }
            (None, None) => None,
        };
        let mut queue = encrypted(CfnQueue::new(), &props.encryption);
        if let Some(name) = name {
            queue = queue.queue_name(name);
        }
        if let Some(secs) = visibility {
            queue = queue.visibility_timeout(i64::from(secs));
        }
        queue = queue.message_retention_period(i64::from(props.retention));
        if let Some(dead_letter) = &dead_letter {
            let mut redrive = IndexMap::new();
            redrive.insert(
                "deadLetterTargetArn".to_owned(),
                dead_letter.att_arn().into_expr(),
            );
            redrive.insert(
                "maxReceiveCount".to_owned(),
                Expr::Int(i64::from(props.max_receive_count)),
            );
            queue = queue.redrive_policy(Value::unchecked(Expr::map(redrive)));
        }
        if props.fifo {
            queue = queue.fifo_queue(true);
            if props.content_based_deduplication {
                queue = queue.content_based_deduplication(true);
            }
        }
        let queue = scope.add_with(queue_id, queue, ResourceOptions::new().delete());
        Queues { queue, dead_letter }
    }

    /// Adds the one policy of `queue`, `{queue_id}Policy`: `sqs:SendMessage` for `senders`,
    /// TLS required; and explains it in the stack's IAM report.
    pub(crate) fn add_policy(
        scope: &mut Scope<'_>,
        queue_id: &str,
        queue: &Handle<CfnQueue>,
        senders: &Senders,
    ) -> Handle<QueuePolicy> {
        let id = format!("{queue_id}Policy");
        let path = format!("{}/{id}", scope.path());
        let (policy, mut explanations) = Self::policy_of(queue, senders, &path);
        let shown = format!("{}.Arn", queue.logical_id());
        explanations.push(explain_deny("sqs:*", &path, vec![shown]));
        let policy = scope.add(&id, policy);
        for explanation in explanations {
            scope.explain(explanation);
        }
        policy
    }

    /// The one policy of `queue` (at `path`): `sqs:SendMessage` for `senders`, then TLS
    /// required; with the report entries of the senders' statements.
    fn policy_of(
        queue: &Handle<CfnQueue>,
        senders: &Senders,
        path: &str,
    ) -> (QueuePolicy, Vec<PolicyExplanation>) {
        let arn: Value<String> = queue.att_arn().into();
        let shown = format!("{}.Arn", queue.logical_id());
        let (statements, explanations) = senders.statements(SEND, &arn, path, &shown);
        let mut document = PolicyDocument::new();
        for statement in statements {
            document.push(statement);
        }
        document.push(Statement::deny_without_tls(action("sqs:*"), [arn]));
        (
            QueuePolicy::new(document, vec![queue.reference()]),
            explanations,
        )
    }

    /// Lets `sender` send to `queue` after its policy `policy` was added with `senders` (which
    /// gain it): the one policy is rewritten in place through `scope`, a scope of the queue's
    /// stack, never joined by a second one.
    pub(crate) fn add_sender(
        scope: &mut Scope<'_>,
        queue: &Handle<CfnQueue>,
        policy: &Handle<QueuePolicy>,
        senders: &mut Senders,
        sender: QueueSender,
    ) {
        let arn: Value<String> = queue.att_arn().into();
        let shown = format!("{}.Arn", queue.logical_id());
        let path = scope.path().to_owned();
        rewrite_policy(
            scope,
            &path,
            (policy, senders),
            sender.into(),
            (SEND, &arn, &shown),
            |all| Self::policy_of(queue, all, "").0,
        );
    }

    /// Lets `sender` send to the queue too, through its one policy, which is rewritten in
    /// place: `scope` is any scope of the queue's stack (a `not-in-this-stack` error
    /// otherwise). A second `AWS::SQS::QueuePolicy` for the queue would silently replace the
    /// first on AWS, so a sender outside the queue's construct (another rule, topic, bucket or
    /// account) is added here.
    ///
    /// ```
    /// use constructs::blocks::sqs::{Queue, QueueProps};
    /// use constructs::blocks::QueueSender;
    /// use constructs::cfn::events::Rule;
    /// use constructs::{App, Stack};
    ///
    /// let mut stack = Stack::new("Work");
    /// let mut jobs = Queue::new(&mut stack, "Jobs", QueueProps::standard());
    /// let nightly = stack.add("Nightly", Rule::new().schedule_expression("rate(1 day)"));
    /// jobs.allow(&mut stack.scope(), QueueSender::Rule(nightly));
    /// jobs.allow(&mut stack.scope(), QueueSender::account("111122223333"));
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// let json = app.assemble().unwrap().stack("Work").unwrap().json.clone();
    /// assert_eq!(json.matches("AWS::SQS::QueuePolicy").count(), 2); // the queue's and its DLQ's
    /// assert!(json.contains("events.amazonaws.com") && json.contains("111122223333"));
    /// ```
    pub fn allow(&mut self, scope: &mut impl AsScope, sender: QueueSender) {
        let mut scope = scope.as_scope();
        Self::add_sender(
            &mut scope,
            &self.queue,
            &self.policy,
            &mut self.senders,
            sender,
        );
    }

    /// The L1 queue: its URL (`reference()`), ARN and name, and what grants take.
    pub fn queue(&self) -> &Handle<CfnQueue> {
        &self.queue
    }

    /// The queue's one policy (what a resource that must wait for the senders' permission
    /// depends on).
    pub fn policy(&self) -> &Handle<QueuePolicy> {
        &self.policy
    }

    /// The dead-letter queue, unless the props turned it off.
    pub fn dead_letter_queue(&self) -> Option<&Handle<CfnQueue>> {
        self.dead_letter.as_ref().map(|(queue, _)| queue)
    }

    /// The dead-letter queue's policy, unless the props turned the dead-letter queue off.
    pub fn dead_letter_policy(&self) -> Option<&Handle<QueuePolicy>> {
        self.dead_letter.as_ref().map(|(_, policy)| policy)
    }
}

/// `queue` encrypted as `encryption` says.
fn encrypted(queue: CfnQueue, encryption: &QueueEncryption) -> CfnQueue {
    match encryption {
        QueueEncryption::SqsManaged => queue.sqs_managed_sse_enabled(true),
        QueueEncryption::Kms(key) => queue.kms_master_key_id(key.att_arn()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(props: QueueProps) -> Vec<Code> {
        props
            .validate()
            .unwrap_err()
            .iter()
            .map(DomainError::code)
            .collect()
    }

    #[test]
    fn ranges_and_names_are_checked() {
        assert!(QueueProps::standard().validate().is_ok());
        assert!(QueueProps::fifo()
            .name("a-b_c.fifo")
            .content_based_deduplication()
            .validate()
            .is_ok());
        let out = Code::QueueSettingOutOfRange;
        for props in [
            QueueProps::standard().visibility_timeout_secs(43_201),
            QueueProps::standard().retention_secs(59),
            QueueProps::standard().retention_secs(1_209_601),
            QueueProps::standard().max_receive_count(0),
            QueueProps::standard().max_receive_count(1_001),
            QueueProps::standard().name("a b"),
            QueueProps::standard().name("x".repeat(81)),
            QueueProps::fifo().name(".fifo"),
        ] {
            assert_eq!(codes(props.clone()), [out], "{props:?}");
        }
        // 71 + `-dlq.fifo` is 80; 72 would make the dead-letter queue's name 81.
        let fifo_name = |base: usize| {
            QueueProps::fifo()
                .name(format!("{}.fifo", "q".repeat(base)))
                .content_based_deduplication()
        };
        assert!(fifo_name(71).validate().is_ok());
        assert_eq!(codes(fifo_name(72)), [out]);
        let fifo = Code::FifoMismatch;
        assert_eq!(codes(QueueProps::fifo().name("orders")), [fifo]);
        assert_eq!(codes(QueueProps::standard().name("orders.fifo")), [fifo]);
        assert_eq!(
            codes(QueueProps::standard().content_based_deduplication()),
            [fifo]
        );
    }

    /// Both queues say `Delete` explicitly (cfn-lint I3011; see the module docs for why not
    /// `Retain`).
    #[test]
    fn queues_have_an_explicit_deletion_policy() {
        let mut app = crate::App::new();
        let mut stack = crate::Stack::new("Work");
        Queue::new(&mut stack, "Jobs", QueueProps::standard());
        app.add_stack(stack);
        let json = app.assemble().unwrap().stack("Work").unwrap().json.clone();
        let t: serde_json::Value = serde_json::from_str(&json).unwrap();
        for id in ["JobsQueue", "JobsDlq"] {
            let queue = &t["Resources"][id];
            assert_eq!(queue["DeletionPolicy"], "Delete", "{id}");
            assert_eq!(queue["UpdateReplacePolicy"], "Delete", "{id}");
        }
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let props = QueueProps::standard()
            .visibility_timeout_secs(50_000)
            .retention_secs(1)
            .max_receive_count(0)
            .content_based_deduplication()
            .name("a b");
        assert_eq!(
            codes(props),
            [
                Code::QueueSettingOutOfRange,
                Code::QueueSettingOutOfRange,
                Code::QueueSettingOutOfRange,
                Code::FifoMismatch,
                Code::QueueSettingOutOfRange,
            ]
        );
    }
}
