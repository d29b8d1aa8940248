//! Why a function's props cannot be deployed: [`FunctionError`], one variant per case.

use std::fmt;

use crate::diagnostics::{Code, DomainError};

use super::limits::{
    MAX_EPHEMERAL_STORAGE_MB, MAX_EVENT_AGE_SECS, MAX_MEMORY_MB, MAX_RETRY_ATTEMPTS,
    MIN_EPHEMERAL_STORAGE_MB, MIN_EVENT_AGE_SECS, MIN_MEMORY_MB,
};

/// One thing wrong with a [`FunctionProps`](super::FunctionProps), found by
/// [`FunctionProps::check`](super::FunctionProps::check) (which returns all of them) and
/// reported by [`Function`](super::Function) at synth with the construct path.
///
/// Each variant says when it happens and carries its [`Code`]; as a [`DomainError`],
/// [`hint`](DomainError::hint) says what to change. `Display` prints the message.
///
/// ```
/// use constructs::blocks::lambda::{FunctionError, FunctionProps};
/// use constructs::{Code, DomainError};
///
/// let errors = FunctionProps::python("...").memory_mb(64).timeout_secs(901).check().unwrap_err();
/// assert_eq!(errors.len(), 2);
/// assert_eq!(errors[0].code(), Code::LambdaMemoryOutOfRange);
/// assert!(matches!(errors[1], FunctionError::TimeoutOutOfRange { secs: 901, max_secs: 900 }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FunctionError {
    /// Memory is outside 128–10,240 MB. [`Code::LambdaMemoryOutOfRange`].
    MemoryOutOfRange {
        /// The memory asked for, in MB.
        mb: u32,
    },
    /// The timeout is 0 or above the cap: Lambda's 900 s, or lower where a pattern says so (30 s
    /// behind an HTTP API). [`Code::LambdaTimeoutOutOfRange`].
    TimeoutOutOfRange {
        /// The timeout asked for, in seconds.
        secs: u32,
        /// The longest allowed here, in seconds.
        max_secs: u32,
    },
    /// The `/tmp` size is outside 512–10,240 MB. [`Code::LambdaStorageOutOfRange`].
    EphemeralStorageOutOfRange {
        /// The size asked for, in MB.
        mb: u32,
    },
    /// A [`Runtime::Other`](super::Runtime::Other) identifier the resource schema does not know
    /// (a typo such as `pyhton3.13`). [`Code::UnknownRuntime`].
    UnknownRuntime {
        /// The identifier as given.
        name: String,
    },
    /// The runtime is deprecated: Lambda no longer patches it and blocks updates.
    /// [`Code::DeprecatedRuntime`].
    DeprecatedRuntime {
        /// The identifier.
        name: String,
    },
    /// Code is inline but the runtime is neither Node.js nor Python, the only ones
    /// CloudFormation can take inline. [`Code::InlineCodeUnsupported`].
    InlineCodeUnsupported {
        /// The runtime's identifier.
        runtime: String,
    },
    /// The handler is empty, longer than 128 characters, holds whitespace, or, for inline
    /// code, does not start with `index.` (CloudFormation writes inline code to a file named
    /// `index`). [`Code::InvalidHandler`].
    InvalidHandler {
        /// The handler as given.
        handler: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An environment variable's name is malformed (not a letter followed by at least one
    /// letter, digit or `_`) or reserved by Lambda (`AWS_REGION`, `_HANDLER`, …).
    /// [`Code::InvalidEnvironmentVariable`].
    InvalidEnvironmentName {
        /// The name as given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An environment variable the user set is also set by the construct the function belongs
    /// to (the table name of a serverless API, a topic ARN a pipeline function publishes to).
    /// [`Code::InvalidEnvironmentVariable`].
    EnvironmentSetTwice {
        /// The variable.
        name: String,
        /// What else sets it.
        by: String,
    },
    /// The description is over Lambda's 256 characters. [`Code::TooLong`].
    DescriptionTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// Asynchronous invocation retries are above 2. [`Code::RetryPolicyOutOfRange`].
    AsyncRetriesOutOfRange {
        /// The retries asked for.
        attempts: u32,
    },
    /// The oldest event asynchronous invocation still tries is outside 60–21,600 s.
    /// [`Code::RetryPolicyOutOfRange`].
    AsyncEventAgeOutOfRange {
        /// The age asked for, in seconds.
        secs: u32,
    },
}

impl DomainError for FunctionError {
    /// The stable code.
    fn code(&self) -> Code {
        match self {
            FunctionError::MemoryOutOfRange { .. } => Code::LambdaMemoryOutOfRange,
            FunctionError::TimeoutOutOfRange { .. } => Code::LambdaTimeoutOutOfRange,
            FunctionError::EphemeralStorageOutOfRange { .. } => Code::LambdaStorageOutOfRange,
            FunctionError::UnknownRuntime { .. } => Code::UnknownRuntime,
            FunctionError::DeprecatedRuntime { .. } => Code::DeprecatedRuntime,
            FunctionError::InlineCodeUnsupported { .. } => Code::InlineCodeUnsupported,
            FunctionError::InvalidHandler { .. } => Code::InvalidHandler,
            FunctionError::InvalidEnvironmentName { .. }
            | FunctionError::EnvironmentSetTwice { .. } => Code::InvalidEnvironmentVariable,
            FunctionError::DescriptionTooLong { .. } => Code::TooLong,
            FunctionError::AsyncRetriesOutOfRange { .. }
            | FunctionError::AsyncEventAgeOutOfRange { .. } => Code::RetryPolicyOutOfRange,
        }
    }

    /// What to change, when there is something to say.
    fn hint(&self) -> Option<String> {
        let hint = match self {
            FunctionError::MemoryOutOfRange { .. } => {
                "Lambda accepts any whole number of MB in that range"
            }
            FunctionError::TimeoutOutOfRange { max_secs, .. } if *max_secs < 900 => {
                "an HTTP API gives up on an integration after 30 s; move longer work to a queue"
            }
            FunctionError::TimeoutOutOfRange { .. } => {
                "split longer work into steps (a queue or Step Functions)"
            }
            FunctionError::EphemeralStorageOutOfRange { .. } => {
                "Lambda's /tmp is 512 MB by default and at most 10,240 MB"
            }
            FunctionError::UnknownRuntime { .. } | FunctionError::DeprecatedRuntime { .. } => {
                "choose a current runtime from blocks::lambda::Runtime"
            }
            FunctionError::InlineCodeUnsupported { .. } => {
                "ship the code from S3 or as a local asset (FunctionCode::s3 or FunctionCode::asset)"
            }
            FunctionError::InvalidHandler { .. } => {
                "a handler is `file.function` (inline code: `index.function`)"
            }
            FunctionError::InvalidEnvironmentName { .. } => "rename the variable",
            FunctionError::EnvironmentSetTwice { .. } => {
                "drop your variable or give it another name; the construct's value wins otherwise"
            }
            FunctionError::DescriptionTooLong { .. } => "shorten the description",
            FunctionError::AsyncRetriesOutOfRange { .. }
            | FunctionError::AsyncEventAgeOutOfRange { .. } => return None,
        };
        Some(hint.to_owned())
    }
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FunctionError::MemoryOutOfRange { mb } => write!(
                f,
                "memory {mb} MB is outside {MIN_MEMORY_MB}–{MAX_MEMORY_MB} MB"
            ),
            FunctionError::TimeoutOutOfRange { secs, max_secs } => {
                write!(f, "timeout {secs} s is outside 1–{max_secs} s")
            }
            FunctionError::EphemeralStorageOutOfRange { mb } => write!(
                f,
                "ephemeral storage {mb} MB is outside \
                 {MIN_EPHEMERAL_STORAGE_MB}–{MAX_EPHEMERAL_STORAGE_MB} MB"
            ),
            FunctionError::UnknownRuntime { name } => {
                write!(f, "runtime `{name}` is not a Lambda runtime identifier")
            }
            FunctionError::DeprecatedRuntime { name } => {
                write!(f, "runtime `{name}` is deprecated")
            }
            FunctionError::InlineCodeUnsupported { runtime } => write!(
                f,
                "inline code needs a Node.js or Python runtime, not `{runtime}`"
            ),
            FunctionError::InvalidHandler { handler, reason } => {
                write!(f, "handler `{handler}`: {reason}")
            }
            FunctionError::InvalidEnvironmentName { name, reason } => {
                write!(f, "environment variable `{name}`: {reason}")
            }
            FunctionError::EnvironmentSetTwice { name, by } => {
                write!(f, "environment variable `{name}` is also set by {by}")
            }
            FunctionError::DescriptionTooLong { chars } => {
                write!(f, "description is {chars} characters; Lambda takes 256")
            }
            FunctionError::AsyncRetriesOutOfRange { attempts } => write!(
                f,
                "the async MaximumRetryAttempts is {attempts}; it must be from 0 to \
                 {MAX_RETRY_ATTEMPTS}"
            ),
            FunctionError::AsyncEventAgeOutOfRange { secs } => write!(
                f,
                "the async MaximumEventAgeInSeconds is {secs}; it must be from \
                 {MIN_EVENT_AGE_SECS} to {MAX_EVENT_AGE_SECS}"
            ),
        }
    }
}

impl std::error::Error for FunctionError {}
