//! The choices a function of a [`ServerlessApi`](super::ServerlessApi) is built from.

use indexmap::IndexMap;

use crate::cfn::s3::Bucket;
use crate::kinds::Name;
use crate::Value;

use super::runtime::{Architecture, Runtime};

/// The smallest memory size Lambda accepts, in MB.
pub const MIN_MEMORY_MB: u32 = 128;
/// The largest memory size Lambda accepts, in MB.
pub const MAX_MEMORY_MB: u32 = 10_240;
/// The longest an HTTP API waits for a Lambda integration, in seconds: a longer function
/// timeout would only let the function run on after the client got a 503.
pub const MAX_HTTP_TIMEOUT_SECS: u32 = 30;

/// Where a function's code comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum FunctionCode {
    /// Source inline in the template (`ZipFile`; Node.js and Python only, up to 4 MB).
    Inline(String),
    /// A .zip in S3.
    S3 {
        /// The bucket.
        bucket: Value<Name<Bucket>>,
        /// The object key.
        key: Value<String>,
    },
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
        }
    }
}

/// The choices of one Lambda function. Start from [`FunctionProps::new`] with the runtime,
/// handler and code; everything else has a default.
///
/// ```
/// use constructs::serverless::{Architecture, FunctionCode, FunctionProps, Runtime};
///
/// let props = FunctionProps::new(Runtime::Python313, "index.handler", FunctionCode::inline("..."))
///     .memory_mb(512)
///     .timeout_secs(10)
///     .architecture(Architecture::X86_64)
///     .env("LOG_LEVEL", "info")
///     .tracing()
///     .reserved_concurrency(50);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct FunctionProps {
    pub(crate) runtime: Runtime,
    pub(crate) handler: String,
    pub(crate) code: FunctionCode,
    pub(crate) memory_mb: u32,
    pub(crate) timeout_secs: u32,
    pub(crate) architecture: Architecture,
    pub(crate) environment: IndexMap<String, Value<String>>,
    pub(crate) tracing: bool,
    pub(crate) reserved_concurrency: Option<u32>,
    pub(crate) log_retention_days: u16,
    pub(crate) description: Option<String>,
}

impl FunctionProps {
    /// A function with the defaults: 256 MB, a 10 s timeout, arm64, no tracing, no reserved
    /// concurrency, logs kept 30 days, and `TABLE_NAME` in its environment.
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: FunctionCode) -> Self {
        Self {
            runtime,
            handler: handler.into(),
            code,
            memory_mb: 256,
            timeout_secs: 10,
            architecture: Architecture::default(),
            environment: IndexMap::new(),
            tracing: false,
            reserved_concurrency: None,
            log_retention_days: 30,
            description: None,
        }
    }

    /// Memory in MB, 128–10,240 (outside: `lambda-memory-out-of-range`).
    pub fn memory_mb(mut self, mb: u32) -> Self {
        self.memory_mb = mb;
        self
    }

    /// Timeout in seconds, 1–30 (outside: `lambda-timeout-out-of-range`).
    pub fn timeout_secs(mut self, secs: u32) -> Self {
        self.timeout_secs = secs;
        self
    }

    /// The instruction set (default arm64).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = architecture;
        self
    }

    /// An environment variable (`invalid-environment-variable` for a malformed name, one
    /// Lambda reserves, or `TABLE_NAME`, which is always the table's name).
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

    /// Days the function's log group keeps events (a value CloudWatch Logs accepts; default 30).
    pub fn log_retention_days(mut self, days: u16) -> Self {
        self.log_retention_days = days;
        self
    }

    /// The function's description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
}
