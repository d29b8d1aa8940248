//! Validated logical ids: the names of resources, parameters, conditions and outputs.

use std::fmt;

use serde::Serialize;

/// The longest logical id CloudFormation accepts.
pub const MAX_LOGICAL_ID_LEN: usize = 255;

/// A CloudFormation logical id: 1 to 255 ASCII letters and digits.
///
/// Logical ids are chosen by the user and never derived from a hash of the construct tree, so
/// moving code does not rename (and so replace) a resource.
///
/// ```
/// use constructs::LogicalId;
///
/// let id = LogicalId::new("NetworkVpc").unwrap();
/// assert_eq!(id.as_str(), "NetworkVpc");
/// assert!(LogicalId::new("network-vpc").is_err());
/// assert!(LogicalId::new("").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LogicalId(String);

/// Why a string is not a valid [`LogicalId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LogicalIdError {
    /// The id is the empty string.
    #[error("a logical id may not be empty")]
    Empty,
    /// The id is longer than [`MAX_LOGICAL_ID_LEN`] characters.
    #[error("logical id `{id}…` is {len} characters long; the limit is 255")]
    TooLong {
        /// The first 32 characters of the id.
        id: String,
        /// Its full length.
        len: usize,
    },
    /// The id holds a character other than an ASCII letter or digit.
    #[error("logical id `{id}` holds `{ch}`; only ASCII letters and digits are allowed")]
    BadCharacter {
        /// The id as given.
        id: String,
        /// The first offending character.
        ch: char,
    },
}

impl crate::DomainError for LogicalIdError {
    /// [`Code::InvalidLogicalId`](crate::Code::InvalidLogicalId).
    fn code(&self) -> crate::Code {
        crate::Code::InvalidLogicalId
    }

    fn hint(&self) -> Option<String> {
        Some("logical ids are 1–255 ASCII letters and digits".to_owned())
    }
}

impl LogicalId {
    /// Whether `id` is a valid logical id ([`LogicalId::new`] would accept it), checked without
    /// allocating.
    pub(crate) fn is_valid(id: &str) -> bool {
        !id.is_empty()
            && id.len() <= MAX_LOGICAL_ID_LEN
            && id.bytes().all(|b| b.is_ascii_alphanumeric())
    }

    /// Validates `id` and wraps it.
    pub fn new(id: impl Into<String>) -> Result<Self, LogicalIdError> {
        let id = id.into();
        if id.is_empty() {
            return Err(LogicalIdError::Empty);
        }
        if let Some(ch) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(LogicalIdError::BadCharacter { id, ch });
        }
        if id.len() > MAX_LOGICAL_ID_LEN {
            let len = id.len();
            return Err(LogicalIdError::TooLong {
                id: id.chars().take(32).collect(),
                len,
            });
        }
        Ok(Self(id))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lets maps keyed by logical id be indexed with `&str` (`template.resources["Vpc"]`). Sound
/// because `LogicalId` hashes and compares exactly as its string does.
impl std::borrow::Borrow<str> for LogicalId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for LogicalId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_alphanumeric_up_to_255() {
        assert!(LogicalId::new("A").is_ok());
        assert!(LogicalId::new("a".repeat(255)).is_ok());
        assert!(LogicalId::new("Vpc1Subnet2").is_ok());
    }

    #[test]
    fn rejects_empty_long_and_punctuated() {
        assert_eq!(LogicalId::new(""), Err(LogicalIdError::Empty));
        assert!(matches!(
            LogicalId::new("a".repeat(256)),
            Err(LogicalIdError::TooLong { len: 256, .. })
        ));
        assert!(matches!(
            LogicalId::new("My_Vpc"),
            Err(LogicalIdError::BadCharacter { ch: '_', .. })
        ));
        assert!(matches!(
            LogicalId::new("Vpcé"),
            Err(LogicalIdError::BadCharacter { ch: 'é', .. })
        ));
    }
}
