//! The error of the policy model: a malformed input, or a policy that cannot be laid out.

use std::fmt;

use crate::diagnostics::{Code, DomainError};

/// What went wrong, with a stable [`code`](PolicyErrorKind::code) from the one [`Code`] registry.
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
    /// The stable code, one [`Code`] per kind.
    ///
    /// ```
    /// use constructs::iam::PolicyErrorKind;
    /// use constructs::Code;
    ///
    /// assert_eq!(PolicyErrorKind::InvalidSid.code(), Code::InvalidIamSid);
    /// assert_eq!(PolicyErrorKind::InvalidSid.code().as_str(), "iam-invalid-sid");
    /// ```
    pub fn code(self) -> Code {
        match self {
            PolicyErrorKind::InvalidAction => Code::InvalidIamAction,
            PolicyErrorKind::InvalidSid => Code::InvalidIamSid,
            PolicyErrorKind::InvalidConditionKey => Code::InvalidIamConditionKey,
            PolicyErrorKind::InvalidServicePrincipal => Code::InvalidServicePrincipal,
            PolicyErrorKind::StatementTooLarge => Code::IamStatementTooLarge,
            PolicyErrorKind::TooManyManagedPolicies => Code::TooManyManagedPolicies,
        }
    }
}

/// An error of the policy model: a [`DomainError`] whose code is its kind's.
///
/// ```
/// use constructs::iam::{Action, PolicyErrorKind};
/// use constructs::{Code, DomainError};
///
/// let err = Action::new("sqs SendMessage").unwrap_err();
/// assert_eq!(err.kind(), PolicyErrorKind::InvalidAction);
/// assert_eq!(err.code(), Code::InvalidIamAction);
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
}

impl DomainError for PolicyError {
    /// The stable code of the kind.
    fn code(&self) -> Code {
        self.kind.code()
    }

    /// The message, without the code.
    fn message(&self) -> String {
        self.message.clone()
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.kind.code(), self.message)
    }
}
