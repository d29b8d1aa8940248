//! The error a pipeline setting is rejected with: a stable [`Code`], a message and perhaps a
//! hint.

use std::fmt;

use crate::diagnostics::{Code, DomainError};

/// Why a pattern, schedule, range or name cannot be used.
///
/// It is a [`DomainError`]: the constructs report it as a [`Diagnostic`](crate::Diagnostic)
/// with the construct path when the app is synthesized; the validating functions (such as
/// [`Schedule::expression`](super::Schedule::expression)) return it directly, so it can be
/// checked before a stack is built. The [`Code`] tells the cases apart; the message says what
/// was given and what is allowed.
///
/// ```
/// use constructs::pipeline::Schedule;
/// use constructs::{Code, DomainError};
///
/// let errors = Schedule::cron("0 25 * * ? *").expression().unwrap_err();
/// assert_eq!(errors[0].code(), Code::InvalidSchedule);
/// assert!(errors[0].message().contains("hours"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineError {
    code: Code,
    message: String,
    hint: Option<String>,
}

impl PipelineError {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// The error with a hint: what to change.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The error with `context` (such as ``field `source` ``) before its message.
    pub(crate) fn within(mut self, context: &str) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl DomainError for PipelineError {
    fn code(&self) -> Code {
        self.code
    }

    fn message(&self) -> String {
        self.message.clone()
    }

    fn hint(&self) -> Option<String> {
        self.hint.clone()
    }
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for PipelineError {}

/// `Ok` when no problem was found, else every one of them.
pub(crate) fn all(problems: Vec<PipelineError>) -> Result<(), Vec<PipelineError>> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

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
