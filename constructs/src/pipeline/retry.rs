//! Retry policies of rule targets.

use super::error::{PipelineError, EVENT_AGE, MAX_RETRY_ATTEMPTS};
use crate::diagnostics::all_problems;

/// How long and how often EventBridge retries delivering to a target before it sends the
/// event to the target's dead-letter queue.
///
/// ```
/// use constructs::pipeline::RetryPolicy;
/// use constructs::{Code, DomainError};
///
/// assert!(RetryPolicy::new(3600, 10).validate().is_ok());
/// assert_eq!(RetryPolicy::new(59, 10).validate().unwrap_err()[0].code(), Code::RetryPolicyOutOfRange);
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

    /// Checks both limits, reporting each one exceeded.
    ///
    /// ```
    /// use constructs::pipeline::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::new(59, 186).validate().unwrap_err().len(), 2);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<PipelineError>> {
        let mut problems = Vec::new();
        let secs = self.maximum_event_age_seconds;
        if !EVENT_AGE.contains(secs) {
            problems.push(PipelineError::EventAgeOutOfRange { secs });
        }
        let attempts = self.maximum_retry_attempts;
        if attempts > MAX_RETRY_ATTEMPTS {
            problems.push(PipelineError::RetryAttemptsOutOfRange { attempts });
        }
        all_problems(problems)
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
    use crate::{Code, DomainError};

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
            let errors = bad.validate().unwrap_err();
            assert_eq!(errors.len(), 1, "{bad:?}");
            assert_eq!(errors[0].code(), Code::RetryPolicyOutOfRange, "{bad:?}");
        }
    }

    #[test]
    fn both_limits_are_reported_together() {
        let errors = RetryPolicy::new(59, 186).validate().unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        assert_eq!(
            messages,
            [
                "MaximumEventAgeInSeconds is 59; it must be from 60 to 86400",
                "MaximumRetryAttempts is 186; it must be from 0 to 185",
            ]
        );
    }
}
