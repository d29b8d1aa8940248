//! Why a pipeline setting is rejected: [`PipelineError`], one variant per case, each with a
//! stable [`Code`].

use std::fmt;

use crate::blocks::limits::Bounds;
use crate::blocks::sns::{TopicError, TopicPublisher};
use crate::diagnostics::{Code, DomainError};

/// The shortest and longest event age of a retry policy, in seconds.
pub(crate) const EVENT_AGE: Bounds<u32> = Bounds::new(60, 86_400);
/// The most retry attempts of a retry policy.
pub(crate) const MAX_RETRY_ATTEMPTS: u32 = 185;
/// The most input paths of an input transformer.
pub(crate) const MAX_INPUT_PATHS: usize = 100;

/// Why a pattern, schedule, range or name cannot be used.
///
/// Each variant documents when it happens and which [`Code`] it carries. It is a
/// [`DomainError`]: the constructs report it as a [`Diagnostic`](crate::Diagnostic) with the
/// construct path when the app is synthesized; the validating functions (such as
/// [`Schedule::expression`](super::Schedule::expression)) return it directly, so it can be
/// checked before a stack is built. The message says what was given and what is allowed.
///
/// ```
/// use constructs::pipeline::{PipelineError, Schedule};
/// use constructs::{Code, DomainError};
///
/// let errors = Schedule::cron("0 25 * * ? *").expression().unwrap_err();
/// assert_eq!(errors[0].code(), Code::InvalidSchedule);
/// assert!(errors[0].message().contains("hours"));
/// assert!(matches!(&errors[0], PipelineError::InvalidCronField { field: "hours", .. }));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PipelineError {
    // Event patterns and filter policies.
    /// A pattern or filter-policy problem found inside the field `field`
    /// ([`Code::InvalidEventPattern`], the code of `error`).
    InField {
        /// The field (or dotted path) whose matcher is wrong.
        field: String,
        /// What is wrong with the matcher.
        error: Box<PipelineError>,
    },
    /// An event pattern has no fields ([`Code::InvalidEventPattern`]).
    EmptyPattern,
    /// A field has an empty list of matchers ([`Code::InvalidEventPattern`]).
    NoMatchers {
        /// The field.
        field: String,
    },
    /// A prefix, suffix, equals-ignore-case or anything-but prefix matcher has an empty value
    /// ([`Code::InvalidEventPattern`]).
    EmptyMatcherValue {
        /// The matcher's kind, as EventBridge names it (`prefix`, `anything-but prefix`, …).
        matcher: &'static str,
    },
    /// A wildcard matcher is empty or has `**` ([`Code::InvalidEventPattern`]).
    InvalidWildcard {
        /// The wildcard.
        wildcard: String,
    },
    /// An anything-but matcher has no values ([`Code::InvalidEventPattern`]).
    EmptyAnythingBut,
    /// A number is not finite or beyond ±5.0e9 ([`Code::InvalidEventPattern`]).
    NumberOutOfRange {
        /// The number.
        number: f64,
    },
    /// A numeric range has both `=` and bounds ([`Code::InvalidEventPattern`]).
    EqualAndBounds,
    /// A numeric range has no bound ([`Code::InvalidEventPattern`]).
    NoBound,
    /// A numeric range's bounds leave no number in it ([`Code::InvalidEventPattern`]).
    EmptyNumericRange {
        /// The lower bound.
        low: f64,
        /// The upper bound.
        high: f64,
    },
    /// A dotted path has an empty part ([`Code::InvalidEventPattern`]).
    InvalidFieldPath {
        /// The path.
        path: String,
    },
    /// A dotted path goes inside a field that already has matchers
    /// ([`Code::InvalidEventPattern`]).
    PathInsideMatchedField {
        /// The path.
        path: String,
    },
    /// A path has matchers and other paths inside it ([`Code::InvalidEventPattern`]).
    MatchedAndNested {
        /// The path.
        path: String,
    },
    /// A filter policy has no fields ([`Code::InvalidEventPattern`]).
    EmptyFilterPolicy,
    /// A filter-policy field has a wildcard matcher, which SNS lacks
    /// ([`Code::InvalidEventPattern`]).
    WildcardInFilterPolicy {
        /// The field.
        field: String,
    },

    // Schedules.
    /// A rate of 0 ([`Code::InvalidSchedule`]).
    ZeroRate,
    /// A schedule text is neither `rate(…)` nor `cron(…)` ([`Code::InvalidSchedule`]).
    NotASchedule {
        /// The text.
        text: String,
    },
    /// A `rate(…)` text without a space between number and unit ([`Code::InvalidSchedule`]).
    MalformedRate {
        /// The text.
        text: String,
    },
    /// A `rate(…)` text whose number is not a whole number ([`Code::InvalidSchedule`]).
    RateNotANumber {
        /// The text.
        text: String,
        /// What stands where the number goes.
        number: String,
    },
    /// A `rate(…)` text with a unit other than minute(s), hour(s) or day(s)
    /// ([`Code::InvalidSchedule`]).
    UnknownRateUnit {
        /// The text.
        text: String,
    },
    /// A `rate(…)` text with a singular unit for a number other than 1, or a plural one for 1
    /// ([`Code::InvalidSchedule`]).
    RateUnitNumber {
        /// The text.
        text: String,
        /// The expression as it must be written.
        expected: String,
    },
    /// A cron expression without six fields ([`Code::InvalidSchedule`]).
    CronFieldCount {
        /// The fields as given.
        fields: String,
        /// How many there are.
        count: usize,
    },
    /// A value of a cron field is not allowed there ([`Code::InvalidSchedule`]); one error
    /// per bad item of the field's list.
    InvalidCronField {
        /// The cron expression's fields.
        fields: String,
        /// The field's name (`minutes`, `hours`, `day-of-month`, …).
        field: &'static str,
        /// The field's text.
        value: String,
        /// Why an item of it is wrong.
        reason: String,
    },
    /// Both or neither of day-of-month and day-of-week are `?` ([`Code::InvalidSchedule`]).
    CronDayFields {
        /// The cron expression's fields.
        fields: String,
    },

    // Input transformers.
    /// An input transformer's template is empty ([`Code::InvalidInputTransformer`]).
    EmptyInputTemplate,
    /// An input transformer has more than 100 input paths
    /// ([`Code::InvalidInputTransformer`]).
    TooManyInputPaths {
        /// How many it has.
        count: usize,
    },
    /// An input path name is empty or has characters other than letters, digits, `_` and
    /// `-` ([`Code::InvalidInputTransformer`]).
    InvalidInputPathName {
        /// The name.
        name: String,
    },
    /// An input path does not start with `$` ([`Code::InvalidInputTransformer`]).
    InputPathWithoutDollar {
        /// The name bound to it.
        name: String,
        /// The path.
        path: String,
    },
    /// The template uses `<name>` with no input path of that name
    /// ([`Code::InvalidInputTransformer`]).
    UnboundTemplateName {
        /// The name.
        name: String,
    },

    // Ranges. (A consumer's batching and concurrency are the Lambda block's
    // `EventSourceError`.)
    /// A retry policy's maximum event age outside 60–86,400 s
    /// ([`Code::RetryPolicyOutOfRange`]).
    EventAgeOutOfRange {
        /// The age, in seconds.
        secs: u32,
    },
    /// A retry policy's maximum retry attempts above 185 ([`Code::RetryPolicyOutOfRange`]).
    RetryAttemptsOutOfRange {
        /// The attempts.
        attempts: u32,
    },

    // The pipeline as a whole.
    /// A key (of a function, queue, topic or bucket) comes from other
    /// [`EventPipelineProps`](super::EventPipelineProps) than the pipeline's
    /// ([`Code::DanglingReference`]).
    DanglingReference {
        /// What the key was for (`a target queue`, `a consumer's function`, …).
        what: &'static str,
    },
    /// A queue's visibility timeout is less than six times a consuming function's timeout
    /// ([`Code::VisibilityTimeoutTooShort`]).
    VisibilityTimeoutTooShort {
        /// The visibility timeout, in seconds.
        visibility: u32,
        /// Six times `timeout`.
        needed: u32,
        /// The longest timeout of the consuming functions, in seconds.
        timeout: u32,
    },
    /// A rule has more than five targets ([`Code::TooManyTargets`]).
    TooManyTargets {
        /// How many it has.
        count: usize,
        /// The most EventBridge allows.
        max: usize,
    },
    /// A rule names the same queue, topic, function or event bus as a target twice
    /// ([`Code::DuplicateTarget`]).
    DuplicateTarget {
        /// The target: its kind and id, as in ``queue `Orders` ``.
        target: String,
    },
    /// Two targets of a rule have one id, such as a queue and a topic both called `Orders`
    /// ([`Code::DuplicateTarget`]): a target's id names it in the rule and names its
    /// dead-letter queue.
    TargetIdClash {
        /// The first target, as in ``queue `Orders` ``.
        first: String,
        /// The second target, as in ``topic `Orders` ``.
        second: String,
        /// The id both have.
        id: String,
    },
    /// A rule targets a topic encrypted with the AWS managed key, which EventBridge cannot use
    /// ([`Code::UnsupportedEncryption`]).
    UnsupportedEncryption {
        /// The topic's id.
        topic: String,
    },
    /// A pipeline queue's props turn its dead-letter queue off
    /// ([`QueueProps::dead_letter`](crate::blocks::sqs::QueueProps::dead_letter) or
    /// [`without_dead_letter_queue`](crate::blocks::sqs::QueueProps::without_dead_letter_queue)):
    /// every queue of a pipeline has one ([`Code::QueueSettingOutOfRange`]).
    QueueWithoutDeadLetterQueue {
        /// The queue's id.
        queue: String,
    },
    /// A rule targets a FIFO queue without a message group id ([`Code::FifoMismatch`]).
    MissingMessageGroup {
        /// The target's id.
        target: String,
    },
    /// A rule targets a standard queue with a message group id ([`Code::FifoMismatch`]).
    MessageGroupOnStandardQueue {
        /// The target's id.
        target: String,
    },
    /// The custom bus is named `default` (the account's own bus) or its name is not 1–256
    /// letters, digits, `.`, `-` and `_` (a `/` belongs to partner buses only)
    /// ([`Code::InvalidEventBusName`]).
    InvalidBusName {
        /// The name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A FIFO queue subscribes to a (standard) topic ([`Code::FifoMismatch`]).
    FifoQueueOnStandardTopic {
        /// The queue's id.
        queue: String,
        /// The topic's id.
        topic: String,
    },
}

impl PipelineError {
    /// The error inside the field `field`.
    pub(crate) fn in_field(self, field: &str) -> Self {
        PipelineError::InField {
            field: field.to_owned(),
            error: Box::new(self),
        }
    }
}

impl DomainError for PipelineError {
    /// The stable diagnostic code.
    ///
    /// ```
    /// use constructs::pipeline::RetryPolicy;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = RetryPolicy::new(59, 0).validate().unwrap_err();
    /// assert_eq!(errors[0].code(), Code::RetryPolicyOutOfRange);
    /// ```
    fn code(&self) -> Code {
        match self {
            PipelineError::InField { error, .. } => error.code(),
            PipelineError::EmptyPattern
            | PipelineError::NoMatchers { .. }
            | PipelineError::EmptyMatcherValue { .. }
            | PipelineError::InvalidWildcard { .. }
            | PipelineError::EmptyAnythingBut
            | PipelineError::NumberOutOfRange { .. }
            | PipelineError::EqualAndBounds
            | PipelineError::NoBound
            | PipelineError::EmptyNumericRange { .. }
            | PipelineError::InvalidFieldPath { .. }
            | PipelineError::PathInsideMatchedField { .. }
            | PipelineError::MatchedAndNested { .. }
            | PipelineError::EmptyFilterPolicy
            | PipelineError::WildcardInFilterPolicy { .. } => Code::InvalidEventPattern,
            PipelineError::ZeroRate
            | PipelineError::NotASchedule { .. }
            | PipelineError::MalformedRate { .. }
            | PipelineError::RateNotANumber { .. }
            | PipelineError::UnknownRateUnit { .. }
            | PipelineError::RateUnitNumber { .. }
            | PipelineError::CronFieldCount { .. }
            | PipelineError::InvalidCronField { .. }
            | PipelineError::CronDayFields { .. } => Code::InvalidSchedule,
            PipelineError::EmptyInputTemplate
            | PipelineError::TooManyInputPaths { .. }
            | PipelineError::InvalidInputPathName { .. }
            | PipelineError::InputPathWithoutDollar { .. }
            | PipelineError::UnboundTemplateName { .. } => Code::InvalidInputTransformer,
            PipelineError::EventAgeOutOfRange { .. }
            | PipelineError::RetryAttemptsOutOfRange { .. } => Code::RetryPolicyOutOfRange,
            PipelineError::DanglingReference { .. } => Code::DanglingReference,
            PipelineError::VisibilityTimeoutTooShort { .. } => Code::VisibilityTimeoutTooShort,
            PipelineError::TooManyTargets { .. } => Code::TooManyTargets,
            PipelineError::DuplicateTarget { .. } | PipelineError::TargetIdClash { .. } => {
                Code::DuplicateTarget
            }
            PipelineError::UnsupportedEncryption { .. } => Code::UnsupportedEncryption,
            PipelineError::QueueWithoutDeadLetterQueue { .. } => Code::QueueSettingOutOfRange,
            PipelineError::InvalidBusName { .. } => Code::InvalidEventBusName,
            PipelineError::MissingMessageGroup { .. }
            | PipelineError::MessageGroupOnStandardQueue { .. }
            | PipelineError::FifoQueueOnStandardTopic { .. } => Code::FifoMismatch,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            PipelineError::InField { error, .. } => error.hint(),
            PipelineError::DanglingReference { .. } => {
                Some("use the keys returned by the same EventPipelineProps".into())
            }
            PipelineError::DuplicateTarget { .. } => Some(
                "give the target once; one target with its own retry policy and input covers \
                 what two would do"
                    .into(),
            ),
            PipelineError::TargetIdClash { .. } => {
                Some("give one of the two another id in EventPipelineProps".into())
            }
            PipelineError::UnsupportedEncryption { .. } => events_with_aws_managed_key().hint(),
            PipelineError::InvalidBusName { .. } => Some(
                "name the bus with 1–256 letters, digits, `.`, `-` and `_`, other than \
                 `default`; use EventPipelineProps::default_bus for the account's bus"
                    .into(),
            ),
            _ => None,
        }
    }
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::InField { field, error } => write!(f, "field `{field}`: {error}"),
            PipelineError::EmptyPattern => {
                f.write_str("the event pattern has no fields; EventBridge rejects an empty pattern")
            }
            PipelineError::NoMatchers { field } => write!(f, "field `{field}` has no matchers"),
            PipelineError::EmptyMatcherValue { matcher } => {
                write!(f, "{matcher} needs a non-empty value")
            }
            PipelineError::InvalidWildcard { wildcard } => write!(
                f,
                "wildcard `{wildcard}` is empty or has consecutive `*`, which EventBridge rejects"
            ),
            PipelineError::EmptyAnythingBut => f.write_str("anything-but needs at least one value"),
            PipelineError::NumberOutOfRange { number } => write!(
                f,
                "{number} is outside the numbers EventBridge compares (-5.0e9 to 5.0e9)"
            ),
            PipelineError::EqualAndBounds => {
                f.write_str("a numeric range is either `=` a value or bounds, not both")
            }
            PipelineError::NoBound => f.write_str("a numeric range needs a bound"),
            PipelineError::EmptyNumericRange { low, high } => {
                write!(f, "the numeric range from {low} to {high} is empty")
            }
            PipelineError::InvalidFieldPath { path } => {
                write!(f, "`{path}` is not a field path (`name` or `a.b.c`)")
            }
            PipelineError::PathInsideMatchedField { path } => {
                write!(f, "`{path}` goes inside a field that has matchers")
            }
            PipelineError::MatchedAndNested { path } => {
                write!(f, "`{path}` is both matched and has fields matched")
            }
            PipelineError::EmptyFilterPolicy => f.write_str("the filter policy has no fields"),
            PipelineError::WildcardInFilterPolicy { field } => write!(
                f,
                "filter policy field `{field}`: SNS filter policies have no wildcard matcher"
            ),
            PipelineError::ZeroRate => f.write_str("a rate must be at least 1"),
            PipelineError::NotASchedule { text } => {
                write!(f, "`{text}` is neither `rate(…)` nor `cron(…)`")
            }
            PipelineError::MalformedRate { text } => {
                write!(f, "`{text}`: expected `rate(N unit)`")
            }
            PipelineError::RateNotANumber { text, number } => {
                write!(f, "`{text}`: `{number}` is not a whole number")
            }
            PipelineError::UnknownRateUnit { text } => {
                write!(f, "`{text}`: the unit must be minute(s), hour(s) or day(s)")
            }
            PipelineError::RateUnitNumber { text, expected } => write!(
                f,
                "`{text}`: write `{expected}` (the unit is singular for 1 and plural otherwise)"
            ),
            PipelineError::CronFieldCount { fields, count } => write!(
                f,
                "`cron({fields})` has {count} fields; EventBridge needs six: minutes hours \
                 day-of-month month day-of-week year"
            ),
            PipelineError::InvalidCronField {
                fields,
                field,
                value,
                reason,
            } => write!(f, "`cron({fields})`: {field} field `{value}`: {reason}"),
            PipelineError::CronDayFields { fields } => write!(
                f,
                "`cron({fields})`: exactly one of day-of-month and day-of-week must be `?`"
            ),
            PipelineError::EmptyInputTemplate => f.write_str("the input template is empty"),
            PipelineError::TooManyInputPaths { count } => {
                write!(f, "{count} input paths; at most {MAX_INPUT_PATHS}")
            }
            PipelineError::InvalidInputPathName { name } => {
                write!(f, "`{name}` is not an input path name")
            }
            PipelineError::InputPathWithoutDollar { name, path } => {
                write!(f, "input path `{path}` of `{name}` does not start with `$`")
            }
            PipelineError::UnboundTemplateName { name } => {
                write!(f, "the template uses `<{name}>`, which no path binds")
            }
            PipelineError::EventAgeOutOfRange { secs } => write!(
                f,
                "MaximumEventAgeInSeconds is {secs}; it must be from {} to {}",
                EVENT_AGE.min, EVENT_AGE.max
            ),
            PipelineError::RetryAttemptsOutOfRange { attempts } => write!(
                f,
                "MaximumRetryAttempts is {attempts}; it must be from 0 to {MAX_RETRY_ATTEMPTS}"
            ),
            PipelineError::DanglingReference { what } => {
                write!(f, "{what} key does not belong to this pipeline's props")
            }
            PipelineError::VisibilityTimeoutTooShort {
                visibility,
                needed,
                timeout,
            } => write!(
                f,
                "the visibility timeout is {visibility} s but a consuming function's timeout \
                 is {timeout} s; it must be at least six times that ({needed} s)"
            ),
            PipelineError::TooManyTargets { count, max } => write!(
                f,
                "{count} targets; EventBridge allows at most {max} per rule"
            ),
            PipelineError::DuplicateTarget { target } => {
                write!(f, "the rule targets {target} twice")
            }
            PipelineError::TargetIdClash { first, second, id } => write!(
                f,
                "the rule targets {first} and {second}, which would share the target id `{id}` \
                 (and one dead-letter queue)"
            ),
            PipelineError::UnsupportedEncryption { topic } => {
                write!(f, "topic `{topic}`: {}", events_with_aws_managed_key())
            }
            PipelineError::InvalidBusName { name, reason } => {
                write!(f, "the event bus name `{name}` {reason}")
            }
            PipelineError::QueueWithoutDeadLetterQueue { queue } => write!(
                f,
                "queue `{queue}` has no dead-letter queue, but every queue of a pipeline has one"
            ),
            PipelineError::MissingMessageGroup { target } => write!(
                f,
                "FIFO queue `{target}` is targeted without a message group id"
            ),
            PipelineError::MessageGroupOnStandardQueue { target } => {
                write!(f, "standard queue `{target}` takes no message group id")
            }
            PipelineError::FifoQueueOnStandardTopic { queue, topic } => write!(
                f,
                "FIFO queue `{queue}` cannot subscribe to standard topic `{topic}`"
            ),
        }
    }
}

impl std::error::Error for PipelineError {}

/// The topic block's error for what [`PipelineError::UnsupportedEncryption`] reports, whose
/// message and hint it shares.
fn events_with_aws_managed_key() -> TopicError {
    TopicError::AwsManagedKey {
        publisher: TopicPublisher::EventBridge,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_carries_its_documented_code() {
        let s = String::new;
        for (error, code) in [
            (
                PipelineError::InvalidBusName {
                    name: s(),
                    reason: s(),
                },
                Code::InvalidEventBusName,
            ),
            (PipelineError::EmptyPattern, Code::InvalidEventPattern),
            (
                PipelineError::EmptyPattern.in_field("source"),
                Code::InvalidEventPattern,
            ),
            (
                PipelineError::NoMatchers { field: s() },
                Code::InvalidEventPattern,
            ),
            (
                PipelineError::EmptyMatcherValue { matcher: "prefix" },
                Code::InvalidEventPattern,
            ),
            (
                PipelineError::InvalidWildcard { wildcard: s() },
                Code::InvalidEventPattern,
            ),
            (PipelineError::EmptyAnythingBut, Code::InvalidEventPattern),
            (
                PipelineError::NumberOutOfRange { number: 6e9 },
                Code::InvalidEventPattern,
            ),
            (PipelineError::EqualAndBounds, Code::InvalidEventPattern),
            (PipelineError::NoBound, Code::InvalidEventPattern),
            (
                PipelineError::EmptyNumericRange {
                    low: 2.0,
                    high: 1.0,
                },
                Code::InvalidEventPattern,
            ),
            (
                PipelineError::InvalidFieldPath { path: s() },
                Code::InvalidEventPattern,
            ),
            (
                PipelineError::PathInsideMatchedField { path: s() },
                Code::InvalidEventPattern,
            ),
            (
                PipelineError::MatchedAndNested { path: s() },
                Code::InvalidEventPattern,
            ),
            (PipelineError::EmptyFilterPolicy, Code::InvalidEventPattern),
            (
                PipelineError::WildcardInFilterPolicy { field: s() },
                Code::InvalidEventPattern,
            ),
            (PipelineError::ZeroRate, Code::InvalidSchedule),
            (
                PipelineError::NotASchedule { text: s() },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::MalformedRate { text: s() },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::RateNotANumber {
                    text: s(),
                    number: s(),
                },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::UnknownRateUnit { text: s() },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::RateUnitNumber {
                    text: s(),
                    expected: s(),
                },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::CronFieldCount {
                    fields: s(),
                    count: 5,
                },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::InvalidCronField {
                    fields: s(),
                    field: "hours",
                    value: s(),
                    reason: s(),
                },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::CronDayFields { fields: s() },
                Code::InvalidSchedule,
            ),
            (
                PipelineError::EmptyInputTemplate,
                Code::InvalidInputTransformer,
            ),
            (
                PipelineError::TooManyInputPaths { count: 101 },
                Code::InvalidInputTransformer,
            ),
            (
                PipelineError::InvalidInputPathName { name: s() },
                Code::InvalidInputTransformer,
            ),
            (
                PipelineError::InputPathWithoutDollar {
                    name: s(),
                    path: s(),
                },
                Code::InvalidInputTransformer,
            ),
            (
                PipelineError::UnboundTemplateName { name: s() },
                Code::InvalidInputTransformer,
            ),
            (
                PipelineError::EventAgeOutOfRange { secs: 59 },
                Code::RetryPolicyOutOfRange,
            ),
            (
                PipelineError::RetryAttemptsOutOfRange { attempts: 186 },
                Code::RetryPolicyOutOfRange,
            ),
            (
                PipelineError::DanglingReference { what: "a bucket" },
                Code::DanglingReference,
            ),
            (
                PipelineError::VisibilityTimeoutTooShort {
                    visibility: 30,
                    needed: 60,
                    timeout: 10,
                },
                Code::VisibilityTimeoutTooShort,
            ),
            (
                PipelineError::TooManyTargets { count: 6, max: 5 },
                Code::TooManyTargets,
            ),
            (
                PipelineError::DuplicateTarget { target: s() },
                Code::DuplicateTarget,
            ),
            (
                PipelineError::TargetIdClash {
                    first: s(),
                    second: s(),
                    id: s(),
                },
                Code::DuplicateTarget,
            ),
            (
                PipelineError::UnsupportedEncryption { topic: s() },
                Code::UnsupportedEncryption,
            ),
            (
                PipelineError::MissingMessageGroup { target: s() },
                Code::FifoMismatch,
            ),
            (
                PipelineError::MessageGroupOnStandardQueue { target: s() },
                Code::FifoMismatch,
            ),
            (
                PipelineError::FifoQueueOnStandardTopic {
                    queue: s(),
                    topic: s(),
                },
                Code::FifoMismatch,
            ),
        ] {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    #[test]
    fn problems_are_reported_together_as_variants() {
        use crate::pipeline::{RetryPolicy, Schedule};

        assert_eq!(
            RetryPolicy::new(59, 186).validate().unwrap_err(),
            [
                PipelineError::EventAgeOutOfRange { secs: 59 },
                PipelineError::RetryAttemptsOutOfRange { attempts: 186 },
            ]
        );
        let errors = Schedule::cron("0 25 1 * MON *").expression().unwrap_err();
        assert!(
            matches!(
                errors.as_slice(),
                [
                    PipelineError::InvalidCronField { field: "hours", .. },
                    PipelineError::CronDayFields { .. },
                ]
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn a_field_error_keeps_the_hint_of_the_error_inside() {
        let inner = PipelineError::DanglingReference { what: "a queue" };
        assert!(inner.hint().is_some());
        assert_eq!(inner.clone().in_field("x").hint(), inner.hint());
    }
}
