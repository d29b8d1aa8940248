//! The error a pipeline setting is rejected with: a stable [`Code`] and a message.

use std::fmt;

use crate::diagnostics::{Code, Diagnostic};

/// Why a pattern, schedule, range or name cannot be used.
///
/// The constructs report it as a [`Diagnostic`] with the construct path when the app is
/// synthesized; the validating functions (such as [`Schedule::expression`](super::Schedule::expression))
/// return it directly, so it can be checked before a stack is built.
///
/// ```
/// use constructs::pipeline::Schedule;
/// use constructs::Code;
///
/// let e = Schedule::cron("0 25 * * ? *").expression().unwrap_err();
/// assert_eq!(e.code(), Code::InvalidSchedule);
/// assert!(e.message().contains("hours"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineError {
    code: Code,
    message: String,
}

impl PipelineError {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error as a diagnostic at `path`.
    pub(crate) fn at(&self, path: &str) -> Diagnostic {
        Diagnostic::error(self.code, path, self.message.clone())
    }
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PipelineError {}

/// `Ok` if `value` lies in `min..=max`, else an error with `code` naming `what`.
pub(crate) fn in_range(
    code: Code,
    what: &str,
    value: i64,
    min: i64,
    max: i64,
) -> Result<(), PipelineError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(PipelineError::new(
            code,
            format!("{what} is {value}; it must be from {min} to {max}"),
        ))
    }
}
