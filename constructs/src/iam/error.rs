//! The error of the policy model: a malformed input, or a policy that cannot be laid out.

use std::fmt;

/// What went wrong, with a stable [`code`](PolicyErrorKind::code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// An action is not `*` or `service:Name` (service prefix of letters, digits and hyphens;
    /// name of letters, digits and hyphens, with `*` and `?` wildcards).
    InvalidAction,
    /// A statement id is empty or not made of ASCII letters and digits.
    InvalidSid,
    /// A condition key is not `prefix:name` (prefix of letters, digits, dots and hyphens; name
    /// without whitespace or quotes).
    InvalidConditionKey,
    /// A service principal is not a lowercase DNS name ending in `.amazonaws.com` (or
    /// `.amazonaws.com.cn`).
    InvalidServicePrincipal,
    /// One statement alone is larger than a managed policy may be (6,144 characters), so no
    /// split can place it.
    StatementTooLarge,
    /// A role's statements need more than 20 managed policies once the inline policy is full.
    TooManyManagedPolicies,
}

impl PolicyErrorKind {
    /// The stable code, lowercase and hyphenated like [`Code`](crate::Code)'s.
    pub fn code(self) -> &'static str {
        match self {
            PolicyErrorKind::InvalidAction => "iam-invalid-action",
            PolicyErrorKind::InvalidSid => "iam-invalid-sid",
            PolicyErrorKind::InvalidConditionKey => "iam-invalid-condition-key",
            PolicyErrorKind::InvalidServicePrincipal => "iam-invalid-service-principal",
            PolicyErrorKind::StatementTooLarge => "iam-statement-too-large",
            PolicyErrorKind::TooManyManagedPolicies => "iam-too-many-managed-policies",
        }
    }
}

/// An error of the policy model.
///
/// ```
/// use constructs::iam::{Action, PolicyErrorKind};
///
/// let err = Action::new("sqs SendMessage").unwrap_err();
/// assert_eq!(err.kind(), PolicyErrorKind::InvalidAction);
/// assert_eq!(err.code(), "iam-invalid-action");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    message: String,
}

impl PolicyError {
    pub(crate) fn new(kind: PolicyErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> PolicyErrorKind {
        self.kind
    }

    /// The stable code of the kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message, without the code.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.kind.code(), self.message)
    }
}
