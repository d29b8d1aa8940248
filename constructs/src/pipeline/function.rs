//! Functions: Lambda consumers of queues and targets of rules, each with its own role and log
//! group.

use indexmap::IndexMap;

use super::error::{in_range, PipelineError};
use super::props::TopicKey;
use crate::diagnostics::Code;

/// The choices of one function of an [`EventPipeline`](super::EventPipeline).
///
/// ```
/// use constructs::pipeline::FunctionProps;
///
/// let f = FunctionProps::python("def handler(event, context):\n    return None\n")
///     .timeout_seconds(20)
///     .memory_mb(256)
///     .env("LOG_LEVEL", "INFO");
/// # let _ = f;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct FunctionProps {
    pub(crate) code: String,
    pub(crate) runtime: String,
    pub(crate) handler: String,
    pub(crate) timeout: u32,
    pub(crate) memory: u32,
    pub(crate) env: IndexMap<String, String>,
    pub(crate) publishes: Vec<(TopicKey, String)>,
    pub(crate) log_retention_days: u16,
    pub(crate) description: Option<String>,
    pub(crate) async_retry_attempts: u32,
    pub(crate) async_max_event_age: u32,
}

impl FunctionProps {
    /// A Python function with inline code (`index.handler`, Python 3.13, arm64, 30 s, 256 MB,
    /// logs kept 30 days).
    pub fn python(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            runtime: "python3.13".into(),
            handler: "index.handler".into(),
            timeout: 30,
            memory: 256,
            env: IndexMap::new(),
            publishes: Vec::new(),
            log_retention_days: 30,
            description: None,
            async_retry_attempts: 2,
            async_max_event_age: 21_600,
        }
    }

    /// Another runtime for the inline code (such as `nodejs22.x`) and its handler.
    pub fn runtime(mut self, runtime: impl Into<String>, handler: impl Into<String>) -> Self {
        self.runtime = runtime.into();
        self.handler = handler.into();
        self
    }

    /// The timeout (1–900 s). Queues it consumes get a visibility timeout of at least six
    /// times this.
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout = seconds;
        self
    }

    /// The memory (128–10,240 MB).
    pub fn memory_mb(mut self, mb: u32) -> Self {
        self.memory = mb;
        self
    }

    /// An environment variable.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(name.into(), value.into());
        self
    }

    /// Lets the function publish to `topic` (`sns:Publish` on it, plus the key's actions when
    /// it has a customer managed key) and passes the topic's ARN in the variable `env_var`.
    pub fn publishes_to(mut self, topic: &TopicKey, env_var: impl Into<String>) -> Self {
        self.publishes.push((*topic, env_var.into()));
        self
    }

    /// Days the function's log group keeps events (default 30).
    pub fn log_retention_days(mut self, days: u16) -> Self {
        self.log_retention_days = days;
        self
    }

    /// The description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// When EventBridge invokes the function (asynchronously): retries (0–2, default 2) and
    /// the oldest event still tried (60–21,600 s, default 21,600) before the event goes to the
    /// function's failure queue.
    pub fn async_retries(mut self, attempts: u32, max_event_age_seconds: u32) -> Self {
        self.async_retry_attempts = attempts;
        self.async_max_event_age = max_event_age_seconds;
        self
    }

    /// Checks every range.
    pub fn validate(&self) -> Result<(), PipelineError> {
        in_range(
            Code::FunctionTimeoutOutOfRange,
            "the function timeout",
            self.timeout.into(),
            1,
            900,
        )?;
        in_range(
            Code::LambdaMemoryOutOfRange,
            "the function memory",
            self.memory.into(),
            128,
            10_240,
        )?;
        let retry = Code::RetryPolicyOutOfRange;
        in_range(
            retry,
            "the async MaximumRetryAttempts",
            self.async_retry_attempts.into(),
            0,
            2,
        )?;
        in_range(
            retry,
            "the async MaximumEventAgeInSeconds",
            self.async_max_event_age.into(),
            60,
            21_600,
        )
    }
}

/// How a function reads a queue: the event source mapping's settings.
///
/// ```
/// use constructs::pipeline::ConsumeProps;
/// use constructs::Code;
///
/// assert!(ConsumeProps::new().batch_size(100).batching_window_seconds(5).validate(false).is_ok());
/// // More than 10 messages per batch needs a batching window.
/// assert_eq!(ConsumeProps::new().batch_size(100).validate(false).unwrap_err().code(), Code::BatchingOutOfRange);
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
    pub fn batching_window_seconds(mut self, seconds: u32) -> Self {
        self.batching_window = Some(seconds);
        self
    }

    /// The most concurrent invocations this queue may cause (2–1,000).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Checks the ranges, for a FIFO queue when `fifo`.
    pub fn validate(&self, fifo: bool) -> Result<(), PipelineError> {
        let code = Code::BatchingOutOfRange;
        if let Some(window) = self.batching_window {
            if fifo {
                return Err(PipelineError::new(
                    code,
                    "FIFO queues take no batching window",
                ));
            }
            in_range(code, "the batching window", window.into(), 0, 300)?;
        }
        let windowed = self.batching_window.is_some_and(|w| w > 0);
        let max = if windowed { 10_000 } else { 10 };
        in_range(code, "the batch size", self.batch_size.into(), 1, max).map_err(|e| {
            if windowed || self.batch_size == 0 {
                e
            } else {
                PipelineError::new(
                    code,
                    format!(
                        "{}; more than 10 needs a batching window of 1–300 s",
                        e.message()
                    ),
                )
            }
        })?;
        if let Some(n) = self.max_concurrency {
            in_range(
                Code::MaxConcurrencyOutOfRange,
                "the maximum concurrency",
                n.into(),
                2,
                1_000,
            )?;
        }
        Ok(())
    }
}

impl Default for ConsumeProps {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_ranges() {
        let f = || FunctionProps::python("x");
        assert!(f().validate().is_ok());
        for bad in [f().timeout_seconds(0), f().timeout_seconds(901)] {
            assert_eq!(
                bad.validate().unwrap_err().code(),
                Code::FunctionTimeoutOutOfRange
            );
        }
        for bad in [f().memory_mb(127), f().memory_mb(10_241)] {
            assert_eq!(
                bad.validate().unwrap_err().code(),
                Code::LambdaMemoryOutOfRange
            );
        }
        let retry = Code::RetryPolicyOutOfRange;
        for bad in [
            f().async_retries(3, 60),
            f().async_retries(0, 59),
            f().async_retries(0, 21_601),
        ] {
            assert_eq!(bad.validate().unwrap_err().code(), retry);
        }
    }

    #[test]
    fn batching_ranges() {
        let c = ConsumeProps::new;
        for ok in [
            c().batch_size(1),
            c().batch_size(10),
            c().batch_size(10_000).batching_window_seconds(300),
            c().batching_window_seconds(0),
            c().max_concurrency(2),
            c().max_concurrency(1_000),
        ] {
            assert!(ok.validate(false).is_ok(), "{ok:?}");
        }
        let batching = Code::BatchingOutOfRange;
        for bad in [
            c().batch_size(0),
            c().batch_size(11),
            c().batch_size(11).batching_window_seconds(0),
            c().batch_size(10_001).batching_window_seconds(1),
            c().batching_window_seconds(301),
        ] {
            assert_eq!(bad.validate(false).unwrap_err().code(), batching, "{bad:?}");
        }
        assert_eq!(
            c().batching_window_seconds(1)
                .validate(true)
                .unwrap_err()
                .code(),
            batching
        );
        for bad in [c().max_concurrency(1), c().max_concurrency(1_001)] {
            assert_eq!(
                bad.validate(false).unwrap_err().code(),
                Code::MaxConcurrencyOutOfRange
            );
        }
    }
}
