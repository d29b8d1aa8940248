//! The choices of one Lambda function: [`FunctionProps`], its code and its asynchronous
//! invocation settings.

use std::path::PathBuf;

use indexmap::IndexMap;

use crate::blocks::ec2::{App, SubnetGroup, VpcRef};
use crate::blocks::logs::RetentionDays;
use crate::cfn::events::EventBus;
use crate::cfn::lambda::Function as CfnFunction;
use crate::cfn::s3::Bucket;
use crate::cfn::sns::Topic;
use crate::cfn::sqs::Queue;
use crate::diagnostics::all_problems;
use crate::iam::{Grant, Grantee};
use crate::kinds::Name;
use crate::{Handle, Value};

use super::error::FunctionError;
use super::event_source::EventSource;
use super::limits::{
    DEFAULT_TIMEOUT_SECS, EPHEMERAL_STORAGE_MB, EVENT_AGE_SECS, MAX_RETRY_ATTEMPTS,
    MAX_TIMEOUT_SECS, MEMORY_MB,
};
use super::runtime::{Architecture, Runtime};
use crate::blocks::limits::Bounds;

/// Environment variable names Lambda reserves for itself.
pub const RESERVED_ENVIRONMENT: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];

/// Where a function's code comes from.
///
/// ```
/// use constructs::blocks::lambda::FunctionCode;
/// use constructs::Value;
///
/// let inline = FunctionCode::inline("def handler(event, context):\n    return {}\n");
/// let local = FunctionCode::asset("functions/resize");
/// // A bucket made outside the app is named with `Value::unchecked`; one of the app is
/// // `bucket.reference()`.
/// let s3 = FunctionCode::s3(Value::unchecked("my-artifacts"), "orders/v42.zip")
///     .object_version("3HL4kqtJlcpXroDTDmJ");
/// # let _ = (inline, s3);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum FunctionCode {
    /// Source inline in the template (`ZipFile`; Node.js and Python only).
    Inline(String),
    /// A .zip in S3.
    S3 {
        /// The bucket.
        bucket: Value<Name<Bucket>>,
        /// The object key.
        key: Value<String>,
        /// The object version, for a versioned bucket.
        object_version: Option<Value<String>>,
    },
    /// A local directory or `.zip` file, shipped as an [asset](crate::asset): synth packs it
    /// into a byte-deterministic zip named by its content hash, and the deploy uploads it to
    /// the stack's assets bucket first.
    Asset(PathBuf),
}

impl FunctionCode {
    /// Source inline in the template.
    pub fn inline(source: impl Into<String>) -> Self {
        FunctionCode::Inline(source.into())
    }

    /// A .zip in `bucket` under `key`.
    pub fn s3(bucket: impl Into<Value<Name<Bucket>>>, key: impl Into<Value<String>>) -> Self {
        FunctionCode::S3 {
            bucket: bucket.into(),
            key: key.into(),
            object_version: None,
        }
    }

    /// A local directory (packed into a deterministic zip at synth) or `.zip` file: how to ship
    /// dependencies or a compiled binary (a Rust `bootstrap` for `provided.al2023`).
    pub fn asset(path: impl Into<PathBuf>) -> Self {
        FunctionCode::Asset(path.into())
    }

    /// Pins the S3 object's version (S3 code only; inline code is left as it is). A new version
    /// makes CloudFormation update the function even when the key stays the same.
    pub fn object_version(self, version: impl Into<Value<String>>) -> Self {
        match self {
            FunctionCode::S3 { bucket, key, .. } => FunctionCode::S3 {
                bucket,
                key,
                object_version: Some(version.into()),
            },
            other => other,
        }
    }
}

/// Where Lambda sends an event that asynchronous invocation gave up on. The function's role
/// gets exactly the action that sends there (`sqs:SendMessage`, `sns:Publish`,
/// `lambda:InvokeFunction` or `events:PutEvents`) on that one resource.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Destination {
    /// An SQS queue.
    Queue(Handle<Queue>),
    /// An SNS topic.
    Topic(Handle<Topic>),
    /// Another function.
    Function(Handle<CfnFunction>),
    /// An EventBridge bus.
    Bus(Handle<EventBus>),
}

/// How Lambda retries an asynchronous invocation (EventBridge, S3, SNS) that failed, and where
/// the event goes when it gives up (`AWS::Lambda::EventInvokeConfig`).
///
/// ```
/// use constructs::blocks::lambda::AsyncInvoke;
///
/// let settings = AsyncInvoke::new().retry_attempts(1).max_event_age_secs(3_600);
/// # let _ = settings;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct AsyncInvoke {
    pub(crate) retry_attempts: u32,
    pub(crate) max_event_age_secs: u32,
    pub(crate) on_failure: Option<Destination>,
}

impl AsyncInvoke {
    /// Lambda's defaults: 2 retries, events kept 6 hours, no failure destination.
    pub fn new() -> Self {
        Self {
            retry_attempts: MAX_RETRY_ATTEMPTS,
            max_event_age_secs: EVENT_AGE_SECS.max,
            on_failure: None,
        }
    }

    /// Retries of a failed invocation, 0–2.
    pub fn retry_attempts(mut self, attempts: u32) -> Self {
        self.retry_attempts = attempts;
        self
    }

    /// The oldest event still tried, 60–21,600 s.
    pub fn max_event_age_secs(mut self, secs: u32) -> Self {
        self.max_event_age_secs = secs;
        self
    }

    /// Where an event goes when Lambda gives up on it.
    pub fn on_failure(mut self, destination: Destination) -> Self {
        self.on_failure = Some(destination);
        self
    }
}

impl Default for AsyncInvoke {
    fn default() -> Self {
        Self::new()
    }
}

/// The choices of one Lambda function, the one props type of every function in the library
/// (the patterns' functions included). Start from [`FunctionProps::new`] with the runtime,
/// handler and code, or [`FunctionProps::python`] for inline Python; everything else has a
/// default: 256 MB, a 10 s timeout, arm64, no tracing, logs kept 30 days.
///
/// Values are checked by [`check`](Self::check), which returns every problem at once; a
/// [`Function`](super::Function) reports the same problems at synth with its construct path.
///
/// ```
/// use constructs::blocks::lambda::{Architecture, FunctionCode, FunctionProps, Runtime};
/// use constructs::blocks::logs::RetentionDays;
///
/// let props = FunctionProps::new(Runtime::Python313, "index.handler", FunctionCode::inline("..."))
///     .memory_mb(512)
///     .timeout_secs(10)
///     .architecture(Architecture::X86_64)
///     .env("LOG_LEVEL", "info")
///     .tracing()
///     .reserved_concurrency(50)
///     .log_retention(RetentionDays::Days90);
/// assert!(props.check().is_ok());
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct FunctionProps {
    pub(crate) runtime: Runtime,
    pub(crate) handler: String,
    pub(crate) code: FunctionCode,
    pub(crate) memory_mb: u32,
    /// `None` until set, so a pattern can apply its own default (a pipeline's 30 s).
    pub(crate) timeout_secs: Option<u32>,
    pub(crate) architecture: Architecture,
    pub(crate) environment: IndexMap<String, Value<String>>,
    pub(crate) tracing: bool,
    pub(crate) reserved_concurrency: Option<u32>,
    pub(crate) ephemeral_storage_mb: Option<u32>,
    pub(crate) log_retention: RetentionDays,
    pub(crate) description: Option<String>,
    pub(crate) grants: Vec<Grant>,
    pub(crate) async_invoke: Option<AsyncInvoke>,
    pub(crate) vpc: Option<(VpcRef, SubnetGroup<App>)>,
    /// What Lambda polls for the function, each under its id.
    pub(crate) event_sources: Vec<(String, EventSource)>,
}

impl FunctionProps {
    /// A function running `handler` of `code` on `runtime`, with the defaults.
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: FunctionCode) -> Self {
        Self {
            runtime,
            handler: handler.into(),
            code,
            memory_mb: 256,
            timeout_secs: None,
            architecture: Architecture::default(),
            environment: IndexMap::new(),
            tracing: false,
            reserved_concurrency: None,
            ephemeral_storage_mb: None,
            log_retention: RetentionDays::default(),
            description: None,
            grants: Vec::new(),
            async_invoke: None,
            vpc: None,
            event_sources: Vec::new(),
        }
    }

    /// Inline Python (`index.handler` on Python 3.13), with the defaults.
    pub fn python(source: impl Into<String>) -> Self {
        Self::new(
            Runtime::Python313,
            "index.handler",
            FunctionCode::inline(source),
        )
    }

    /// Memory in MB, 128–10,240 (outside: `lambda-memory-out-of-range`).
    pub fn memory_mb(mut self, mb: u32) -> Self {
        self.memory_mb = mb;
        self
    }

    /// Timeout in seconds, 1–900, or lower where the function's pattern caps it (30 s behind an
    /// HTTP API; outside: `lambda-timeout-out-of-range`).
    pub fn timeout_secs(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    /// The instruction set (default arm64).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = architecture;
        self
    }

    /// An environment variable. The value is any string value: a literal, a resource's
    /// reference or attribute, a parameter, an import, `Fn::Sub`. Names are checked
    /// (`invalid-environment-variable` for a malformed name or one Lambda reserves); setting a
    /// name again replaces the value.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.environment.insert(name.into(), value.into());
        self
    }

    /// Active X-Ray tracing (the role gets `xray:PutTraceSegments` and
    /// `xray:PutTelemetryRecords`, which take no resource).
    pub fn tracing(mut self) -> Self {
        self.tracing = true;
        self
    }

    /// Concurrency reserved for this function (and the most it may use).
    pub fn reserved_concurrency(mut self, n: u32) -> Self {
        self.reserved_concurrency = Some(n);
        self
    }

    /// The size of `/tmp` in MB, 512–10,240 (Lambda's default when unset: 512).
    pub fn ephemeral_storage_mb(mut self, mb: u32) -> Self {
        self.ephemeral_storage_mb = Some(mb);
        self
    }

    /// How long the function's log group keeps events (default 30 days).
    pub fn log_retention(mut self, retention: RetentionDays) -> Self {
        self.log_retention = retention;
        self
    }

    /// The function's description (at most 256 characters).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// One more permission for the function's role, such as a preset from
    /// [`iam::presets`](crate::iam::presets): `.grant(presets::dynamodb::get_item(&table))`.
    pub fn grant(mut self, grant: Grant) -> Self {
        self.grants.push(grant);
        self
    }

    /// Retries and failure destination of asynchronous invocations (adds an
    /// `AWS::Lambda::EventInvokeConfig`).
    pub fn async_invoke(mut self, settings: AsyncInvoke) -> Self {
        self.async_invoke = Some(settings);
        self
    }

    /// Has Lambda poll `source` (a queue, a table's stream) for the function: the mapping
    /// `<function id><id>Mapping`, and exactly the grants reading it takes on the role. See
    /// [`EventSource`] for what is checked.
    ///
    /// ```
    /// use constructs::blocks::lambda::{ConsumeProps, EventSource, Function, FunctionProps};
    /// use constructs::blocks::sqs::{Queue, QueueProps};
    /// use constructs::Stack;
    ///
    /// let mut stack = Stack::new("Work");
    /// let jobs = Queue::new(&mut stack, "Jobs", QueueProps::standard().visibility_timeout_secs(60));
    /// let worker = Function::new(
    ///     &mut stack,
    ///     "Worker",
    ///     FunctionProps::python("def handler(event, context):\n    return {}\n")
    ///         .event_source("Jobs", EventSource::queue(jobs.queue(), ConsumeProps::new())),
    /// );
    /// assert_eq!(worker.mappings()[0].logical_id(), "WorkerJobsMapping");
    /// ```
    pub fn event_source(mut self, id: impl Into<String>, source: EventSource) -> Self {
        self.event_sources.push((id.into(), source));
        self
    }

    /// Runs the function in `subnets` (app-tier subnets of `vpc`: the type refuses public and
    /// database ones) with a security group of its own that sends HTTPS out only and admits
    /// nothing; let it reach a database with [`Allow`](crate::blocks::ec2::Allow) from
    /// [`Function::security_group`](super::Function::security_group). The role gets what
    /// Lambda needs to attach it, scoped to those subnets and that group.
    ///
    /// The VPC and subnets may be built in this app or exist already: a [`VpcRef`] (an id, a
    /// parameter, an import, or `network.vpc()`) and a [`SubnetGroup`] of existing app subnets;
    /// their malformed ids are reported with the function's path.
    ///
    /// ```
    /// use constructs::blocks::ec2::{App, SubnetGroup, VpcRef};
    /// use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};
    ///
    /// let props = FunctionProps::new(Runtime::Python313, "index.handler", FunctionCode::inline("def handler(e, c): pass"))
    ///     .in_vpc(
    ///         VpcRef::from_id("vpc-0123456789abcdef0"),
    ///         &SubnetGroup::<App>::from_ids(["subnet-0a1b2c3d", "subnet-4e5f6a7b"]),
    ///     );
    /// # let _ = props;
    /// ```
    pub fn in_vpc(mut self, vpc: impl Into<VpcRef>, subnets: &SubnetGroup<App>) -> Self {
        self.vpc = Some((vpc.into(), subnets.clone()));
        self
    }

    /// The timeout the function gets: the one set, or `default`.
    pub(crate) fn timeout_or(&self, default: u32) -> u32 {
        self.timeout_secs.unwrap_or(default)
    }

    /// Every problem Lambda or CloudFormation would reject, under Lambda's own 900 s cap.
    ///
    /// ```
    /// use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};
    /// use constructs::{Code, DomainError};
    ///
    /// let props = FunctionProps::new(Runtime::Java21, "Handler::handle", FunctionCode::inline("..."))
    ///     .env("AWS_REGION", "eu-west-1");
    /// let codes: Vec<Code> = props.check().unwrap_err().iter().map(|e| e.code()).collect();
    /// // Java cannot be inline, inline code lives in `index`, and Lambda sets AWS_REGION itself.
    /// assert_eq!(
    ///     codes,
    ///     [Code::InlineCodeUnsupported, Code::InvalidHandler, Code::InvalidEnvironmentVariable]
    /// );
    /// ```
    pub fn check(&self) -> Result<(), Vec<FunctionError>> {
        let errors = self.problems(MAX_TIMEOUT_SECS, DEFAULT_TIMEOUT_SECS);
        all_problems(errors)
    }

    /// Every problem, with the timeout capped at `max_timeout_secs` and defaulting to
    /// `default_timeout_secs`.
    pub(crate) fn problems(
        &self,
        max_timeout_secs: u32,
        default_timeout_secs: u32,
    ) -> Vec<FunctionError> {
        let mut errors = Vec::new();
        let name = self.runtime.name();
        // The lifecycle data knows deprecated runtimes the schema has dropped (`dotnet9`), so
        // deprecation is asked first: it is the more useful message.
        if self.runtime.is_deprecated() {
            errors.push(FunctionError::DeprecatedRuntime {
                name: name.to_owned(),
            });
        } else if !self.runtime.is_known() {
            errors.push(FunctionError::UnknownRuntime {
                name: name.to_owned(),
            });
        }
        let inline = matches!(self.code, FunctionCode::Inline(_));
        if inline && !self.runtime.supports_inline_code() {
            errors.push(FunctionError::InlineCodeUnsupported {
                runtime: name.to_owned(),
            });
        }
        if let Some(reason) = handler_problem(&self.handler, inline) {
            errors.push(FunctionError::InvalidHandler {
                handler: self.handler.clone(),
                reason,
            });
        }
        if !MEMORY_MB.contains(self.memory_mb) {
            errors.push(FunctionError::MemoryOutOfRange { mb: self.memory_mb });
        }
        let secs = self.timeout_or(default_timeout_secs);
        if !Bounds::new(1, max_timeout_secs).contains(secs) {
            errors.push(FunctionError::TimeoutOutOfRange {
                secs,
                max_secs: max_timeout_secs,
            });
        }
        if let Some(mb) = self.ephemeral_storage_mb {
            if !EPHEMERAL_STORAGE_MB.contains(mb) {
                errors.push(FunctionError::EphemeralStorageOutOfRange { mb });
            }
        }
        for name in self.environment.keys() {
            if let Some(reason) = environment_problem(name) {
                errors.push(FunctionError::InvalidEnvironmentName {
                    name: name.clone(),
                    reason,
                });
            }
        }
        if let Some(text) = &self.description {
            let chars = text.chars().count();
            if chars > 256 {
                errors.push(FunctionError::DescriptionTooLong { chars });
            }
        }
        if let Some(settings) = &self.async_invoke {
            if settings.retry_attempts > MAX_RETRY_ATTEMPTS {
                errors.push(FunctionError::AsyncRetriesOutOfRange {
                    attempts: settings.retry_attempts,
                });
            }
            if !EVENT_AGE_SECS.contains(settings.max_event_age_secs) {
                errors.push(FunctionError::AsyncEventAgeOutOfRange {
                    secs: settings.max_event_age_secs,
                });
            }
        }
        errors
    }

    /// Sets `name` on behalf of the construct the function belongs to (`by` names it), first or
    /// last among the variables; a variable the user set under that name is an error, returned
    /// here to be reported, and the construct's value wins.
    pub(crate) fn construct_env(
        &mut self,
        name: &str,
        value: Value<String>,
        by: &str,
        first: bool,
    ) -> Option<FunctionError> {
        let clash =
            self.environment
                .shift_remove(name)
                .map(|_| FunctionError::EnvironmentSetTwice {
                    name: name.to_owned(),
                    by: by.to_owned(),
                });
        if first {
            self.environment.shift_insert(0, name.to_owned(), value);
        } else {
            self.environment.insert(name.to_owned(), value);
        }
        clash
    }
}

impl Grantee for FunctionProps {
    fn add_grant(&mut self, grant: Grant) {
        self.grants.push(grant);
    }
}

/// Why `handler` cannot be a function's handler, if it cannot. Inline code lives in a file named
/// `index`, so its handler must start with `index.`.
fn handler_problem(handler: &str, inline: bool) -> Option<&'static str> {
    if handler.is_empty() {
        Some("a handler is required")
    } else if handler.chars().count() > 128 {
        Some("a handler is at most 128 characters")
    } else if handler.chars().any(char::is_whitespace) {
        Some("a handler holds no whitespace")
    } else if inline && !handler.starts_with("index.") {
        Some("inline code is written to a file named `index`, so the handler starts with `index.`")
    } else {
        None
    }
}

/// Why `name` cannot be an environment variable of a function, if it cannot (the schema's
/// `[a-zA-Z][a-zA-Z0-9_]+`, and the names Lambda reserves).
fn environment_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        Some("a name is a letter then at least one letter, digit or `_`")
    } else if RESERVED_ENVIRONMENT.contains(&name) {
        Some("Lambda reserves it")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::lambda::MAX_HTTP_TIMEOUT_SECS;
    use crate::{Code, DomainError};

    fn codes(props: &FunctionProps) -> Vec<Code> {
        props
            .problems(MAX_TIMEOUT_SECS, DEFAULT_TIMEOUT_SECS)
            .iter()
            .map(FunctionError::code)
            .collect()
    }

    #[test]
    fn environment_names_are_checked() {
        for good in ["STAGE", "LOG_LEVEL", "a1", "Ab_c", "TABLE_NAME"] {
            assert_eq!(environment_problem(good), None, "{good}");
        }
        for bad in ["A", "1ABC", "_X", "A-B", "", "AWS_REGION", "_HANDLER"] {
            assert!(environment_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn every_range_is_checked_at_both_ends() {
        let f = || FunctionProps::python("x");
        assert!(f().check().is_ok());
        for ok in [
            f().memory_mb(128),
            f().memory_mb(10_240),
            f().timeout_secs(1),
            f().timeout_secs(900),
            f().ephemeral_storage_mb(512),
            f().ephemeral_storage_mb(10_240),
            f().async_invoke(AsyncInvoke::new().retry_attempts(0).max_event_age_secs(60)),
            f().description("d".repeat(256)),
        ] {
            assert!(ok.check().is_ok(), "{ok:?}");
        }
        let cases = [
            (f().memory_mb(127), Code::LambdaMemoryOutOfRange),
            (f().memory_mb(10_241), Code::LambdaMemoryOutOfRange),
            (f().timeout_secs(0), Code::LambdaTimeoutOutOfRange),
            (f().timeout_secs(901), Code::LambdaTimeoutOutOfRange),
            (f().ephemeral_storage_mb(511), Code::LambdaStorageOutOfRange),
            (
                f().ephemeral_storage_mb(10_241),
                Code::LambdaStorageOutOfRange,
            ),
            (
                f().async_invoke(AsyncInvoke::new().retry_attempts(3)),
                Code::RetryPolicyOutOfRange,
            ),
            (
                f().async_invoke(AsyncInvoke::new().max_event_age_secs(59)),
                Code::RetryPolicyOutOfRange,
            ),
            (
                f().async_invoke(AsyncInvoke::new().max_event_age_secs(21_601)),
                Code::RetryPolicyOutOfRange,
            ),
            (f().description("d".repeat(257)), Code::TooLong),
        ];
        for (props, code) in cases {
            assert_eq!(codes(&props), [code], "{props:?}");
        }
    }

    #[test]
    fn a_pattern_may_lower_the_timeout_cap() {
        let props = FunctionProps::python("x").timeout_secs(31);
        let errors = props.problems(MAX_HTTP_TIMEOUT_SECS, DEFAULT_TIMEOUT_SECS);
        assert_eq!(
            errors,
            [FunctionError::TimeoutOutOfRange {
                secs: 31,
                max_secs: 30
            }]
        );
        assert!(errors[0].hint().unwrap().contains("HTTP API"));
        // An unset timeout takes the pattern's default, which is checked too.
        assert!(FunctionProps::python("x").problems(900, 30).is_empty());
    }

    #[test]
    fn runtime_rules() {
        let with = |runtime: Runtime, code: FunctionCode| {
            codes(&FunctionProps::new(runtime, "index.handler", code))
        };
        let inline = || FunctionCode::inline("x");
        let s3 = || FunctionCode::s3(Value::unchecked("bucket"), "key.zip");
        assert_eq!(with(Runtime::Nodejs22, inline()), []);
        assert_eq!(with(Runtime::Python314, inline()), []);
        assert_eq!(
            with(Runtime::Java21, inline()),
            [Code::InlineCodeUnsupported]
        );
        assert_eq!(
            with(Runtime::ProvidedAl2023, inline()),
            [Code::InlineCodeUnsupported]
        );
        assert_eq!(with(Runtime::Java21, s3()), []);
        assert_eq!(
            with(Runtime::Other("pyhton3.13".into()), s3()),
            [Code::UnknownRuntime]
        );
        assert_eq!(
            with(Runtime::Other("nodejs18.x".into()), inline()),
            [Code::DeprecatedRuntime]
        );
        assert_eq!(with(Runtime::Other("python3.15".into()), inline()), []);
    }

    #[test]
    fn handler_rules() {
        let with = |handler: &str, code: FunctionCode| {
            codes(&FunctionProps::new(Runtime::Python313, handler, code))
        };
        assert_eq!(with("index.handler", FunctionCode::inline("x")), []);
        assert_eq!(
            with("app.main", FunctionCode::s3(Value::unchecked("b"), "k")),
            []
        );
        for bad in ["", "index. handler", &format!("index.{}", "h".repeat(123))] {
            assert_eq!(
                with(bad, FunctionCode::s3(Value::unchecked("b"), "k")),
                [Code::InvalidHandler],
                "{bad}"
            );
        }
        assert_eq!(
            with("app.handler", FunctionCode::inline("x")),
            [Code::InvalidHandler]
        );
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let props = FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "",
            FunctionCode::inline("x"),
        )
        .memory_mb(1)
        .timeout_secs(0)
        .env("AWS_REGION", "x")
        .env("1X", "y");
        assert_eq!(
            codes(&props),
            [
                Code::DeprecatedRuntime,
                Code::InvalidHandler,
                Code::LambdaMemoryOutOfRange,
                Code::LambdaTimeoutOutOfRange,
                Code::InvalidEnvironmentVariable,
                Code::InvalidEnvironmentVariable,
            ]
        );
    }

    #[test]
    fn a_construct_variable_wins_and_reports_the_clash() {
        let mut props = FunctionProps::python("x")
            .env("A1", "user")
            .env("TABLE_NAME", "mine");
        let clash = props.construct_env("TABLE_NAME", "table".into(), "the API", true);
        assert_eq!(
            clash,
            Some(FunctionError::EnvironmentSetTwice {
                name: "TABLE_NAME".into(),
                by: "the API".into()
            })
        );
        assert_eq!(
            props.environment.keys().collect::<Vec<_>>(),
            ["TABLE_NAME", "A1"]
        );
        assert_eq!(
            props.construct_env("TOPIC", "arn".into(), "the pipeline", false),
            None
        );
        assert_eq!(
            props.environment.keys().collect::<Vec<_>>(),
            ["TABLE_NAME", "A1", "TOPIC"]
        );
    }
}
