//! IAM actions: `service:Name`, validated in shape.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use super::error::{PolicyError, PolicyErrorKind};

/// One IAM action, such as `sqs:SendMessage`, or a pattern such as `s3:Get*` or `*`.
///
/// The shape is checked here (a service prefix of letters, digits and hyphens, a colon, a name of
/// letters, digits and hyphens with `*` and `?` wildcards); whether the action exists is checked
/// against AWS's data by [`check_template`](super::check_template). Like IAM, actions compare
/// case-insensitively, and sort by their lowercase form; the spelling given is what is written.
///
/// ```
/// use constructs::iam::Action;
///
/// let send = Action::new("sqs:SendMessage").unwrap();
/// assert_eq!(send.service(), Some("sqs"));
/// assert_eq!(send.name(), "SendMessage");
/// assert_eq!(send, Action::new("SQS:sendmessage").unwrap());
/// assert!(Action::new("sqs:*").unwrap().is_pattern());
/// assert!(Action::new("SendMessage").is_err());
/// ```
#[derive(Clone, Debug)]
pub struct Action {
    text: String,
    lower: String,
}

impl Action {
    /// Parses `service:Name` (or `*`).
    pub fn new(text: &str) -> Result<Self, PolicyError> {
        let valid = text == "*"
            || text.split_once(':').is_some_and(|(service, name)| {
                !service.is_empty()
                    && service
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'*' | b'?'))
            });
        if !valid {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidAction,
                format!("`{text}` is not an IAM action (expected `service:Name`, such as `sqs:SendMessage`)"),
            ));
        }
        Ok(Self {
            text: text.to_owned(),
            lower: text.to_ascii_lowercase(),
        })
    }

    /// `*`: every action of every service. Only sensible in a `Deny` or a `NotAction`.
    pub fn any() -> Self {
        Self {
            text: "*".into(),
            lower: "*".into(),
        }
    }

    /// The action as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The service prefix (`sqs`), or `None` for `*`.
    pub fn service(&self) -> Option<&str> {
        self.text.split_once(':').map(|(service, _)| service)
    }

    /// The action name after the colon (`SendMessage`), or `*`.
    pub fn name(&self) -> &str {
        self.text
            .split_once(':')
            .map_or(&self.text, |(_, name)| name)
    }

    /// Whether this is a pattern (`*`, `s3:*`, `s3:Get*`) rather than one action.
    pub fn is_pattern(&self) -> bool {
        self.text.contains(['*', '?'])
    }
}

impl PartialEq for Action {
    fn eq(&self, other: &Self) -> bool {
        self.lower == other.lower
    }
}

impl Eq for Action {}

impl Hash for Action {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.lower.hash(state);
    }
}

impl PartialOrd for Action {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Action {
    fn cmp(&self, other: &Self) -> Ordering {
        self.lower.cmp(&other.lower)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Action {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::new(s)
    }
}

impl TryFrom<&str> for Action {
    type Error = PolicyError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Action::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn valid_shapes_parse() {
        for ok in [
            "sqs:SendMessage",
            "execute-api:Invoke",
            "s3:Get*",
            "ec2:Describe?",
            "*",
            "vpc-lattice:A-B",
        ] {
            assert!(Action::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn invalid_shapes_are_rejected_with_a_code() {
        for bad in [
            "",
            "sqs",
            "sqs:",
            ":Send",
            "sqs:Send Message",
            "sqs::Send",
            "s3:Get/Object",
            "sqs:Send\"",
            "**x",
        ] {
            let err = Action::new(bad).unwrap_err();
            assert_eq!(err.code(), crate::Code::InvalidIamAction, "{bad}");
        }
    }

    #[test]
    fn comparison_ignores_case_and_keeps_the_spelling() {
        let a = Action::new("DynamoDB:GetItem").unwrap();
        let b = Action::new("dynamodb:getitem").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "DynamoDB:GetItem");
        let mut v = [
            Action::new("sqs:SendMessage").unwrap(),
            Action::new("dynamodb:Query").unwrap(),
        ];
        v.sort();
        assert_eq!(v[0].as_str(), "dynamodb:Query");
    }

    #[test]
    fn parts() {
        let any = Action::any();
        assert_eq!(any.service(), None);
        assert_eq!(any.name(), "*");
        assert!(any.is_pattern());
        assert!(!Action::new("sqs:SendMessage").unwrap().is_pattern());
    }
}
