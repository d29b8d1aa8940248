//! Event sources: an SQS queue or a DynamoDB table's stream that Lambda polls for a function
//! ([`EventSource`]), with the settings of each ([`ConsumeProps`], [`StreamProps`]) and why
//! they cannot be used ([`EventSourceError`]).
//!
//! A source is part of a function's props ([`FunctionProps::event_source`]), so the role the
//! function is built with holds exactly what Lambda needs to poll it: `sqs:consume` on the
//! queue (and `kms:Decrypt` with its customer managed key), or the four stream actions on the
//! stream, plus sending to a stream's failure destination. The pipeline's consumers are built
//! from the same grants and mappings.
//!
//! [`FunctionProps::event_source`]: super::FunctionProps::event_source

use std::fmt;

use crate::blocks::limits::Bounds;
use crate::cfn::dynamodb::Table;
use crate::cfn::kms::Key;
use crate::cfn::lambda::event_source_mapping::{DestinationConfig, OnFailure, ScalingConfig};
use crate::cfn::lambda::{EventSourceMapping, Function as CfnFunction};
use crate::cfn::sns::Topic;
use crate::cfn::sqs::Queue;
use crate::diagnostics::{all_problems, Code, DomainError};
use crate::iam::{presets, Grant};
use crate::model::expr::Expr;
use crate::{Handle, Scope, Value};

/// The longest batching window, in seconds (queues and streams).
pub const MAX_BATCHING_WINDOW_SECS: u32 = 300;
/// The fewest and most concurrent invocations a queue's event source mapping may cap at.
pub(crate) const MAX_CONCURRENCY: Bounds<u32> = Bounds::new(2, 1_000);
/// Records per batch of a stream.
const STREAM_BATCH_SIZE: Bounds<u32> = Bounds::new(1, 10_000);
/// Retries of a failed stream batch (without a setting, Lambda retries until the record
/// expires).
const STREAM_RETRIES: Bounds<u32> = Bounds::new(0, 10_000);
/// The oldest record Lambda still sends, in seconds: one minute to a week.
const STREAM_RECORD_AGE_SECS: Bounds<u32> = Bounds::new(60, 604_800);
/// Batches processed at once per shard.
const PARALLELIZATION: Bounds<u32> = Bounds::new(1, 10);
/// How many function timeouts a queue's visibility timeout must cover, as AWS recommends
/// (<https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html>): a message
/// must not reappear while a retried batch still runs.
pub(crate) const VISIBILITY_FACTOR: u32 = 6;
/// SQS's visibility timeout when a queue sets none, in seconds.
const SQS_DEFAULT_VISIBILITY_SECS: u32 = 30;

/// How a function reads a queue: the event source mapping's settings. Failed messages are
/// reported one by one (`ReportBatchItemFailures`), so a batch with one bad message does not
/// return the good ones to the queue.
///
/// ```
/// use constructs::blocks::lambda::ConsumeProps;
/// use constructs::{Code, DomainError};
///
/// assert!(ConsumeProps::new().batch_size(100).batching_window_secs(5).validate(false).is_ok());
/// // More than 10 messages per batch needs a batching window.
/// assert_eq!(ConsumeProps::new().batch_size(100).validate(false).unwrap_err()[0].code(), Code::BatchingOutOfRange);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct ConsumeProps {
    pub(crate) batch_size: u32,
    pub(crate) batching_window: Option<u32>,
    pub(crate) max_concurrency: Option<u32>,
}

impl ConsumeProps {
    /// Batches of 10, no batching window, no concurrency cap; failed messages are reported one
    /// by one (`ReportBatchItemFailures`).
    pub fn new() -> Self {
        Self {
            batch_size: 10,
            batching_window: None,
            max_concurrency: None,
        }
    }

    /// Messages per batch: 1–10, or up to 10,000 with a batching window (standard queues).
    pub fn batch_size(mut self, size: u32) -> Self {
        self.batch_size = size;
        self
    }

    /// Seconds to gather a batch (0–300; standard queues only).
    pub fn batching_window_secs(mut self, secs: u32) -> Self {
        self.batching_window = Some(secs);
        self
    }

    /// The most concurrent invocations this queue may cause (2–1,000).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Checks the ranges, for a FIFO queue when `fifo`, reporting every one that is off.
    ///
    /// ```
    /// use constructs::blocks::lambda::ConsumeProps;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = ConsumeProps::new().batch_size(0).max_concurrency(1).validate(false).unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::BatchingOutOfRange, Code::MaxConcurrencyOutOfRange]);
    /// ```
    pub fn validate(&self, fifo: bool) -> Result<(), Vec<EventSourceError>> {
        let mut problems = Vec::new();
        if let Some(secs) = self.batching_window {
            if fifo {
                problems.push(EventSourceError::BatchingWindowOnFifo);
            }
            if secs > MAX_BATCHING_WINDOW_SECS {
                problems.push(EventSourceError::BatchingWindowOutOfRange { secs });
            }
        }
        let windowed = self.batching_window.is_some_and(|w| w > 0);
        let max = if windowed { 10_000 } else { 10 };
        if !Bounds::new(1, max).contains(self.batch_size) {
            problems.push(EventSourceError::BatchSizeOutOfRange {
                size: self.batch_size,
                max,
            });
        }
        if let Some(concurrency) = self.max_concurrency {
            if !MAX_CONCURRENCY.contains(concurrency) {
                problems.push(EventSourceError::MaxConcurrencyOutOfRange { concurrency });
            }
        }
        all_problems(problems)
    }
}

impl Default for ConsumeProps {
    fn default() -> Self {
        Self::new()
    }
}

/// Where in a table's stream a new mapping starts reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// Only records written after the mapping is created (`LATEST`).
    Latest,
    /// Every record the stream still holds, up to 24 hours old (`TRIM_HORIZON`).
    TrimHorizon,
}

impl StartingPosition {
    /// The name the mapping takes.
    fn name(self) -> &'static str {
        match self {
            StartingPosition::Latest => "LATEST",
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
        }
    }
}

/// Where Lambda sends the description of a stream batch it gave up on (after the retries or
/// the record age ran out). The function's role gets exactly the sending action on it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum StreamFailure {
    /// An SQS queue (`sqs:SendMessage`).
    Queue(Handle<Queue>),
    /// An SNS topic (`sns:Publish`).
    Topic(Handle<Topic>),
}

/// How a function reads a DynamoDB table's stream: the event source mapping's settings.
///
/// By default Lambda starts at [`StartingPosition::Latest`], sends batches of 100, and retries
/// a failing batch until its records expire (24 hours), holding up the shard; set
/// [`max_retries`](Self::max_retries) and an [`on_failure`](Self::on_failure) destination to
/// move on. Failed records are reported one by one (`ReportBatchItemFailures`).
///
/// ```
/// use constructs::blocks::lambda::{StartingPosition, StreamProps};
///
/// let props = StreamProps::new(StartingPosition::TrimHorizon)
///     .batch_size(500)
///     .bisect_on_error()
///     .max_retries(3)
///     .max_record_age_secs(3_600);
/// assert!(props.validate().is_ok());
/// assert!(StreamProps::new(StartingPosition::Latest).max_retries(10_001).validate().is_err());
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct StreamProps {
    pub(crate) starting_position: StartingPosition,
    pub(crate) batch_size: u32,
    pub(crate) batching_window: Option<u32>,
    pub(crate) bisect_on_error: bool,
    pub(crate) max_retries: Option<u32>,
    pub(crate) max_record_age: Option<u32>,
    pub(crate) parallelization: Option<u32>,
    pub(crate) on_failure: Option<StreamFailure>,
}

impl StreamProps {
    /// Reads from `position`, in batches of 100 (Lambda's default for streams).
    pub fn new(position: StartingPosition) -> Self {
        Self {
            starting_position: position,
            batch_size: 100,
            batching_window: None,
            bisect_on_error: false,
            max_retries: None,
            max_record_age: None,
            parallelization: None,
            on_failure: None,
        }
    }

    /// Records per batch (1–10,000).
    pub fn batch_size(mut self, size: u32) -> Self {
        self.batch_size = size;
        self
    }

    /// Seconds to gather a batch (0–300).
    pub fn batching_window_secs(mut self, secs: u32) -> Self {
        self.batching_window = Some(secs);
        self
    }

    /// Splits a failing batch in two and retries each half, to isolate a bad record.
    pub fn bisect_on_error(mut self) -> Self {
        self.bisect_on_error = true;
        self
    }

    /// Retries of a failing batch (0–10,000) before it goes to the failure destination.
    pub fn max_retries(mut self, attempts: u32) -> Self {
        self.max_retries = Some(attempts);
        self
    }

    /// The oldest record still sent to the function (60–604,800 s).
    pub fn max_record_age_secs(mut self, secs: u32) -> Self {
        self.max_record_age = Some(secs);
        self
    }

    /// Batches processed at once per shard (1–10).
    pub fn parallelization(mut self, factor: u32) -> Self {
        self.parallelization = Some(factor);
        self
    }

    /// Where a batch Lambda gave up on is described.
    pub fn on_failure(mut self, destination: StreamFailure) -> Self {
        self.on_failure = Some(destination);
        self
    }

    /// Every setting Lambda would reject, all at once.
    ///
    /// ```
    /// use constructs::blocks::lambda::{StartingPosition, StreamProps};
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = StreamProps::new(StartingPosition::Latest)
    ///     .batch_size(0)
    ///     .max_record_age_secs(30)
    ///     .validate()
    ///     .unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::BatchingOutOfRange, Code::StreamSettingOutOfRange]);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<EventSourceError>> {
        let mut problems = Vec::new();
        if let Some(secs) = self.batching_window {
            if secs > MAX_BATCHING_WINDOW_SECS {
                problems.push(EventSourceError::BatchingWindowOutOfRange { secs });
            }
        }
        if !STREAM_BATCH_SIZE.contains(self.batch_size) {
            problems.push(EventSourceError::BatchSizeOutOfRange {
                size: self.batch_size,
                max: STREAM_BATCH_SIZE.max,
            });
        }
        if let Some(attempts) = self.max_retries {
            if !STREAM_RETRIES.contains(attempts) {
                problems.push(EventSourceError::MaxRetriesOutOfRange { attempts });
            }
        }
        if let Some(secs) = self.max_record_age {
            if !STREAM_RECORD_AGE_SECS.contains(secs) {
                problems.push(EventSourceError::RecordAgeOutOfRange { secs });
            }
        }
        if let Some(factor) = self.parallelization {
            if !PARALLELIZATION.contains(factor) {
                problems.push(EventSourceError::ParallelizationOutOfRange { factor });
            }
        }
        all_problems(problems)
    }
}

/// What Lambda polls for a function: a queue or a table's stream, with its settings. Given to
/// [`FunctionProps::event_source`](super::FunctionProps::event_source) under an id, it becomes
/// the mapping `<function id><source id>Mapping` and the role's grants.
///
/// The queue or table is read from the function's stack when the function is built, so it
/// must be added first and live in the same stack (an `event-source-unreadable` error
/// otherwise: its FIFO setting, key or stream could not be checked):
///
/// - a queue: its `FifoQueue` (a FIFO queue takes no batching window), its visibility timeout
///   (at least six times the function's timeout, else `visibility-timeout-too-short`), and its
///   `KmsMasterKeyId`: a customer managed key of the stack adds `kms:Decrypt` on it; any other
///   key (an alias, an ARN, a parameter) cannot be granted on and is `event-source-unreadable`;
/// - a table: it must have a `StreamSpecification` (`stream-not-enabled` otherwise), such as a
///   serverless table with [`TableProps::stream`](crate::serverless::TableProps::stream).
///
/// ```
/// use constructs::blocks::lambda::{
///     ConsumeProps, EventSource, Function, FunctionProps, StartingPosition, StreamProps,
/// };
/// use constructs::blocks::sqs::{Queue, QueueProps};
/// use constructs::cfn::dynamodb::{table, Table};
/// use constructs::kinds::List;
/// use constructs::{App, Stack, Value};
///
/// let mut stack = Stack::new("Work");
/// let jobs = Queue::new(&mut stack, "Jobs", QueueProps::standard().visibility_timeout_secs(60));
/// let keys: Value<List<table::KeySchema>> = vec![table::KeySchema::new("id", "HASH")].into();
/// let orders = stack.add(
///     "Orders",
///     Table::new(keys.into_json())
///         .attribute_definitions(vec![table::AttributeDefinition::new("id", "S")])
///         .billing_mode("PAY_PER_REQUEST")
///         .stream_specification(table::StreamSpecification::new("NEW_IMAGE")),
/// );
/// let worker = Function::new(
///     &mut stack,
///     "Worker",
///     FunctionProps::python("def handler(event, context):\n    return {}\n")
///         .event_source("Jobs", EventSource::queue(jobs.queue(), ConsumeProps::new().max_concurrency(5)))
///         .event_source(
///             "Orders",
///             EventSource::table_stream(&orders, StreamProps::new(StartingPosition::Latest).max_retries(3)),
///         ),
/// );
/// assert_eq!(worker.mappings()[0].logical_id(), "WorkerJobsMapping");
/// let mut app = App::new();
/// app.add_stack(stack);
/// let json = app.assemble().unwrap().stack("Work").unwrap().json.clone();
/// assert!(json.contains("dynamodb:GetShardIterator") && json.contains("sqs:ReceiveMessage"));
/// ```
#[derive(Clone, Debug)]
pub struct EventSource {
    kind: SourceKind,
}

#[derive(Clone, Debug)]
enum SourceKind {
    Queue(Handle<Queue>, ConsumeProps),
    Stream(Handle<Table>, StreamProps),
}

impl EventSource {
    /// Messages of `queue`, read as `props` says.
    pub fn queue(queue: &Handle<Queue>, props: ConsumeProps) -> Self {
        Self {
            kind: SourceKind::Queue(queue.clone(), props),
        }
    }

    /// Changes to `table`, from its stream, read as `props` says.
    pub fn table_stream(table: &Handle<Table>, props: StreamProps) -> Self {
        Self {
            kind: SourceKind::Stream(table.clone(), props),
        }
    }

    /// The grants the function's role needs for this source, as far as `scope`'s stack shows
    /// them, and every problem found, for a function whose timeout is `timeout_secs`.
    pub(crate) fn resolve(
        &self,
        scope: &Scope<'_>,
        timeout_secs: u32,
    ) -> (Vec<Grant>, Vec<EventSourceError>) {
        match &self.kind {
            SourceKind::Queue(queue, props) => {
                let mut problems = Vec::new();
                let Some(read) = read_resource(scope, queue.stack_name(), queue.logical_id())
                else {
                    problems.push(EventSourceError::NotReadable {
                        source: queue.logical_id().to_owned(),
                        stack: queue.stack_name().to_owned(),
                    });
                    return (queue_grants(queue, None), problems);
                };
                let fifo = matches!(read.get("FifoQueue"), Some(Expr::Bool(true)));
                if let Err(errors) = props.validate(fifo) {
                    problems.extend(errors);
                }
                let visibility = match read.get("VisibilityTimeout") {
                    Some(Expr::Int(secs)) => u32::try_from(*secs).ok(),
                    None => Some(SQS_DEFAULT_VISIBILITY_SECS),
                    Some(_) => None,
                };
                let needed = timeout_secs.saturating_mul(VISIBILITY_FACTOR);
                if let Some(visibility) = visibility.filter(|v| *v < needed) {
                    problems.push(EventSourceError::VisibilityTimeoutTooShort {
                        queue: queue.logical_id().to_owned(),
                        visibility,
                        needed,
                        timeout: timeout_secs,
                    });
                }
                let key = match read.get("KmsMasterKeyId") {
                    None => None,
                    Some(key) => match key_of(scope, key) {
                        Some(key) => Some(key),
                        None => {
                            problems.push(EventSourceError::KeyNotReadable {
                                queue: queue.logical_id().to_owned(),
                            });
                            None
                        }
                    },
                };
                (queue_grants(queue, key.as_ref()), problems)
            }
            SourceKind::Stream(table, props) => {
                let mut problems = Vec::new();
                if let Err(errors) = props.validate() {
                    problems.extend(errors);
                }
                match read_resource(scope, table.stack_name(), table.logical_id()) {
                    None => problems.push(EventSourceError::NotReadable {
                        source: table.logical_id().to_owned(),
                        stack: table.stack_name().to_owned(),
                    }),
                    Some(read) if !read.contains_key("StreamSpecification") => {
                        problems.push(EventSourceError::StreamNotEnabled {
                            table: table.logical_id().to_owned(),
                        });
                    }
                    Some(_) => {}
                }
                let mut grants = vec![presets::dynamodb::read_stream(table)];
                match &props.on_failure {
                    Some(StreamFailure::Queue(queue)) => grants.push(presets::sqs::send(queue)),
                    Some(StreamFailure::Topic(topic)) => grants.push(presets::sns::publish(topic)),
                    None => {}
                }
                (grants, problems)
            }
        }
    }

    /// The event source mapping of this source for `function`.
    pub(crate) fn mapping(&self, function: &Handle<CfnFunction>) -> EventSourceMapping {
        match &self.kind {
            SourceKind::Queue(queue, props) => queue_mapping(function, queue, props),
            SourceKind::Stream(table, props) => {
                let mut mapping = EventSourceMapping::new(function.reference())
                    .event_source_arn(table.att_stream_arn())
                    .starting_position(props.starting_position.name())
                    .batch_size(i64::from(props.batch_size))
                    .function_response_types(["ReportBatchItemFailures"]);
                if let Some(secs) = props.batching_window {
                    mapping = mapping.maximum_batching_window_in_seconds(i64::from(secs));
                }
                if props.bisect_on_error {
                    mapping = mapping.bisect_batch_on_function_error(true);
                }
                if let Some(attempts) = props.max_retries {
                    mapping = mapping.maximum_retry_attempts(i64::from(attempts));
                }
                if let Some(secs) = props.max_record_age {
                    mapping = mapping.maximum_record_age_in_seconds(i64::from(secs));
                }
                if let Some(factor) = props.parallelization {
                    mapping = mapping.parallelization_factor(i64::from(factor));
                }
                if let Some(destination) = &props.on_failure {
                    let arn: Value<String> = match destination {
                        StreamFailure::Queue(queue) => queue.att_arn().into(),
                        StreamFailure::Topic(topic) => topic.reference().into(),
                    };
                    mapping = mapping.destination_config(
                        DestinationConfig::new().on_failure(OnFailure::new().destination(arn)),
                    );
                }
                mapping
            }
        }
    }
}

/// The properties of the resource `logical_id` of `stack`, when that is `scope`'s stack.
fn read_resource<'s>(
    scope: &'s Scope<'_>,
    stack: &str,
    logical_id: &str,
) -> Option<&'s indexmap::IndexMap<String, Expr>> {
    (stack == scope.stack().name())
        .then(|| scope.stack().contents().resources.get(logical_id))
        .flatten()
        .map(|resource| &resource.properties)
}

/// The customer managed key of `scope`'s stack a queue's `KmsMasterKeyId` names (by `Ref` or
/// `Fn::GetAtt` of its ARN); `None` for anything else, which IAM cannot be granted on here.
fn key_of(scope: &Scope<'_>, key: &Expr) -> Option<Handle<Key>> {
    let logical_id = match key {
        Expr::Ref {
            stack: Some(stack),
            name,
        } if &**stack == scope.stack().name() => name.as_str(),
        Expr::GetAtt {
            stack: Some(stack),
            logical_id,
            attribute,
        } if &**stack == scope.stack().name() && &**attribute == "Arn" => logical_id,
        _ => return None,
    };
    let resource = scope.stack().contents().resources.get(logical_id)?;
    (resource.type_name == "AWS::KMS::Key")
        .then(|| Handle::new(scope.stack().stack_ref(), logical_id.to_owned()))
}

/// What a function consuming `queue` needs: `sqs:consume` on it, and `kms:Decrypt` with `key`,
/// the customer managed key it is encrypted with (none for SQS-managed encryption).
pub(crate) fn queue_grants(queue: &Handle<Queue>, key: Option<&Handle<Key>>) -> Vec<Grant> {
    let mut grants = vec![presets::sqs::consume(queue)];
    if let Some(key) = key {
        grants.push(presets::kms::decrypt(key));
    }
    grants
}

/// The mapping that has Lambda poll `queue` for `function` as `props` says.
pub(crate) fn queue_mapping(
    function: &Handle<CfnFunction>,
    queue: &Handle<Queue>,
    props: &ConsumeProps,
) -> EventSourceMapping {
    let mut mapping = EventSourceMapping::new(function.reference())
        .event_source_arn(queue.att_arn())
        .batch_size(i64::from(props.batch_size))
        .function_response_types(["ReportBatchItemFailures"]);
    if let Some(window) = props.batching_window {
        mapping = mapping.maximum_batching_window_in_seconds(i64::from(window));
    }
    if let Some(n) = props.max_concurrency {
        mapping = mapping.scaling_config(ScalingConfig::new().maximum_concurrency(i64::from(n)));
    }
    mapping
}

/// One thing wrong with an event source, found by [`ConsumeProps::validate`],
/// [`StreamProps::validate`] or when a function with an [`EventSource`] is built (then
/// reported at synth at the construct path of its mapping, `Stack/<function id><source id>Mapping`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventSourceError {
    /// A batching window for a FIFO queue, which takes none ([`Code::BatchingOutOfRange`]).
    BatchingWindowOnFifo,
    /// A batching window above 300 s ([`Code::BatchingOutOfRange`]).
    BatchingWindowOutOfRange {
        /// The window, in seconds.
        secs: u32,
    },
    /// A batch size of 0, or above `max`: for a queue 10 without a batching window, else
    /// 10,000; for a stream 10,000 ([`Code::BatchingOutOfRange`]).
    BatchSizeOutOfRange {
        /// The batch size.
        size: u32,
        /// The most allowed with the batching window given.
        max: u32,
    },
    /// A queue's maximum concurrency outside 2–1,000 ([`Code::MaxConcurrencyOutOfRange`]).
    MaxConcurrencyOutOfRange {
        /// The maximum concurrency.
        concurrency: u32,
    },
    /// A stream's retries above 10,000 ([`Code::StreamSettingOutOfRange`]).
    MaxRetriesOutOfRange {
        /// The retries asked for.
        attempts: u32,
    },
    /// A stream's record age outside 60–604,800 s ([`Code::StreamSettingOutOfRange`]).
    RecordAgeOutOfRange {
        /// The age asked for, in seconds.
        secs: u32,
    },
    /// A stream's parallelization factor outside 1–10 ([`Code::StreamSettingOutOfRange`]).
    ParallelizationOutOfRange {
        /// The factor asked for.
        factor: u32,
    },
    /// The table has no stream ([`Code::StreamNotEnabled`]).
    StreamNotEnabled {
        /// The table's logical id.
        table: String,
    },
    /// The queue or table is not a resource of the function's stack (added later, or of
    /// another stack), so what the mapping depends on cannot be read
    /// ([`Code::EventSourceUnreadable`]).
    NotReadable {
        /// The source's logical id.
        source: String,
        /// Its stack.
        stack: String,
    },
    /// The queue is encrypted with a key that is not a customer managed key of the stack (an
    /// alias, an ARN, a parameter), so `kms:Decrypt` cannot be granted on it
    /// ([`Code::EventSourceUnreadable`]).
    KeyNotReadable {
        /// The queue's logical id.
        queue: String,
    },
    /// The queue's visibility timeout is less than six times the function's timeout
    /// ([`Code::VisibilityTimeoutTooShort`]).
    VisibilityTimeoutTooShort {
        /// The queue's logical id.
        queue: String,
        /// The queue's visibility timeout, in seconds.
        visibility: u32,
        /// Six times the function's timeout.
        needed: u32,
        /// The function's timeout.
        timeout: u32,
    },
}

impl DomainError for EventSourceError {
    fn code(&self) -> Code {
        match self {
            EventSourceError::BatchingWindowOnFifo
            | EventSourceError::BatchingWindowOutOfRange { .. }
            | EventSourceError::BatchSizeOutOfRange { .. } => Code::BatchingOutOfRange,
            EventSourceError::MaxConcurrencyOutOfRange { .. } => Code::MaxConcurrencyOutOfRange,
            EventSourceError::MaxRetriesOutOfRange { .. }
            | EventSourceError::RecordAgeOutOfRange { .. }
            | EventSourceError::ParallelizationOutOfRange { .. } => Code::StreamSettingOutOfRange,
            EventSourceError::StreamNotEnabled { .. } => Code::StreamNotEnabled,
            EventSourceError::NotReadable { .. } | EventSourceError::KeyNotReadable { .. } => {
                Code::EventSourceUnreadable
            }
            EventSourceError::VisibilityTimeoutTooShort { .. } => Code::VisibilityTimeoutTooShort,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            // Only a size above 10 without a batching window is fixed by adding one.
            EventSourceError::BatchSizeOutOfRange { size, max } if *max == 10 && *size > 10 => {
                Some("more than 10 messages per batch needs a batching window of 1–300 s".into())
            }
            EventSourceError::StreamNotEnabled { .. } => Some(
                "give the table a StreamSpecification (TableProps::stream for a serverless table)"
                    .into(),
            ),
            EventSourceError::NotReadable { .. } => {
                Some("add the queue or table before the function, in the function's stack".into())
            }
            EventSourceError::KeyNotReadable { .. } => Some(
                "encrypt the queue with a customer managed key of this stack, or with SQS-managed \
                 keys"
                    .into(),
            ),
            EventSourceError::VisibilityTimeoutTooShort { needed, .. } => Some(format!(
                "set the queue's visibility timeout to at least {needed} s, or shorten the \
                 function's timeout"
            )),
            _ => None,
        }
    }
}

impl fmt::Display for EventSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventSourceError::BatchingWindowOnFifo => {
                f.write_str("FIFO queues take no batching window")
            }
            EventSourceError::BatchingWindowOutOfRange { secs } => write!(
                f,
                "the batching window is {secs}; it must be from 0 to {MAX_BATCHING_WINDOW_SECS}"
            ),
            EventSourceError::BatchSizeOutOfRange { size, max } => {
                write!(f, "the batch size is {size}; it must be from 1 to {max}")
            }
            EventSourceError::MaxConcurrencyOutOfRange { concurrency } => write!(
                f,
                "the maximum concurrency is {concurrency}; it must be from {} to {}",
                MAX_CONCURRENCY.min, MAX_CONCURRENCY.max
            ),
            EventSourceError::MaxRetriesOutOfRange { attempts } => write!(
                f,
                "the stream's retries are {attempts}; they must be from {} to {}",
                STREAM_RETRIES.min, STREAM_RETRIES.max
            ),
            EventSourceError::RecordAgeOutOfRange { secs } => write!(
                f,
                "the stream's maximum record age is {secs} s; it must be from {} to {}",
                STREAM_RECORD_AGE_SECS.min, STREAM_RECORD_AGE_SECS.max
            ),
            EventSourceError::ParallelizationOutOfRange { factor } => write!(
                f,
                "the parallelization factor is {factor}; it must be from {} to {}",
                PARALLELIZATION.min, PARALLELIZATION.max
            ),
            EventSourceError::StreamNotEnabled { table } => {
                write!(f, "table `{table}` has no stream to read")
            }
            EventSourceError::NotReadable { source, stack } => write!(
                f,
                "`{source}` of stack `{stack}` is not a resource of the function's stack (yet), \
                 so its settings cannot be checked"
            ),
            EventSourceError::KeyNotReadable { queue } => write!(
                f,
                "queue `{queue}` is encrypted with a key that is not a customer managed key of \
                 this stack, so the function cannot be granted kms:Decrypt on it"
            ),
            EventSourceError::VisibilityTimeoutTooShort {
                queue,
                visibility,
                needed,
                timeout,
            } => write!(
                f,
                "queue `{queue}` has a visibility timeout of {visibility} s, less than six times \
                 the function's {timeout} s timeout ({needed} s)"
            ),
        }
    }
}

impl std::error::Error for EventSourceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batching_ranges() {
        let c = ConsumeProps::new;
        for ok in [
            c().batch_size(1),
            c().batch_size(10),
            c().batch_size(10_000).batching_window_secs(300),
            c().batching_window_secs(0),
            c().max_concurrency(2),
            c().max_concurrency(1_000),
        ] {
            assert!(ok.validate(false).is_ok(), "{ok:?}");
        }
        let batching = Code::BatchingOutOfRange;
        let codes = |props: ConsumeProps, fifo: bool| -> Vec<Code> {
            let errors = props.validate(fifo).unwrap_err();
            errors.iter().map(DomainError::code).collect()
        };
        for bad in [
            c().batch_size(0),
            c().batch_size(11),
            c().batch_size(11).batching_window_secs(0),
            c().batch_size(10_001).batching_window_secs(1),
            c().batching_window_secs(301),
        ] {
            assert_eq!(codes(bad, false), [batching], "{bad:?}");
        }
        assert_eq!(codes(c().batching_window_secs(1), true), [batching]);
        for bad in [c().max_concurrency(1), c().max_concurrency(1_001)] {
            assert_eq!(codes(bad, false), [Code::MaxConcurrencyOutOfRange]);
        }
    }

    #[test]
    fn every_setting_out_of_range_is_reported() {
        let bad = ConsumeProps::new()
            .batch_size(20_000)
            .batching_window_secs(301)
            .max_concurrency(1);
        let errors = bad.validate(true).unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        assert_eq!(
            messages,
            [
                "FIFO queues take no batching window",
                "the batching window is 301; it must be from 0 to 300",
                "the batch size is 20000; it must be from 1 to 10000",
                "the maximum concurrency is 1; it must be from 2 to 1000",
            ]
        );
        let stream = StreamProps::new(StartingPosition::Latest)
            .batch_size(10_001)
            .batching_window_secs(301)
            .max_retries(10_001)
            .max_record_age_secs(59)
            .parallelization(11);
        let codes: Vec<Code> = stream
            .validate()
            .unwrap_err()
            .iter()
            .map(DomainError::code)
            .collect();
        assert_eq!(
            codes,
            [
                Code::BatchingOutOfRange,
                Code::BatchingOutOfRange,
                Code::StreamSettingOutOfRange,
                Code::StreamSettingOutOfRange,
                Code::StreamSettingOutOfRange,
            ]
        );
    }

    #[test]
    fn stream_ranges_include_both_ends() {
        let s = || StreamProps::new(StartingPosition::TrimHorizon);
        for ok in [
            s().batch_size(1),
            s().batch_size(10_000),
            s().max_retries(0),
            s().max_retries(10_000),
            s().max_record_age_secs(60),
            s().max_record_age_secs(604_800),
            s().parallelization(1),
            s().parallelization(10),
            s().batching_window_secs(300),
        ] {
            assert!(ok.validate().is_ok(), "{ok:?}");
        }
        for bad in [
            s().batch_size(0),
            s().max_record_age_secs(604_801),
            s().parallelization(0),
        ] {
            assert_eq!(bad.validate().unwrap_err().len(), 1, "{bad:?}");
        }
    }

    #[test]
    fn only_a_batch_too_big_without_a_window_has_a_hint() {
        let size = |size, max| EventSourceError::BatchSizeOutOfRange { size, max }.hint();
        assert!(size(11, 10).is_some());
        assert!(size(0, 10).is_none());
        assert!(size(10_001, 10_000).is_none());
    }
}
