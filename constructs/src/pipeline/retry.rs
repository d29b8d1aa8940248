//! Retry policies of rule targets.

use super::error::{in_range, PipelineError};
use crate::diagnostics::Code;

/// How long and how often EventBridge retries delivering to a target before it sends the
/// event to the target's dead-letter queue.
///
/// ```
/// use constructs::pipeline::RetryPolicy;
/// use constructs::{Code, DomainError};
///
/// assert!(RetryPolicy::new(3600, 10).validate().is_ok());
/// assert_eq!(RetryPolicy::new(59, 10).validate().unwrap_err().code(), Code::RetryPolicyOutOfRange);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) maximum_event_age_seconds: u32,
    pub(crate) maximum_retry_attempts: u32,
}

impl RetryPolicy {
    /// Retry for at most `maximum_event_age_seconds` (60–86,400) and `maximum_retry_attempts`
    /// times (0–185).
    pub fn new(maximum_event_age_seconds: u32, maximum_retry_attempts: u32) -> Self {
        Self {
            maximum_event_age_seconds,
            maximum_retry_attempts,
        }
    }

    /// Checks both limits.
    pub fn validate(&self) -> Result<(), PipelineError> {
        let code = Code::RetryPolicyOutOfRange;
        in_range(
            code,
            "MaximumEventAgeInSeconds",
            self.maximum_event_age_seconds.into(),
            60,
            86_400,
        )?;
        in_range(
            code,
            "MaximumRetryAttempts",
            self.maximum_retry_attempts.into(),
            0,
            185,
        )
    }
}

impl Default for RetryPolicy {
    /// EventBridge's own defaults, written out: 24 hours and 185 attempts.
    fn default() -> Self {
        Self::new(86_400, 185)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn limits() {
        for ok in [
            RetryPolicy::new(60, 0),
            RetryPolicy::new(86_400, 185),
            RetryPolicy::default(),
        ] {
            assert!(ok.validate().is_ok(), "{ok:?}");
        }
        for bad in [
            RetryPolicy::new(59, 0),
            RetryPolicy::new(86_401, 0),
            RetryPolicy::new(60, 186),
        ] {
            assert_eq!(
                bad.validate().unwrap_err().code(),
                Code::RetryPolicyOutOfRange,
                "{bad:?}"
            );
        }
    }
}
