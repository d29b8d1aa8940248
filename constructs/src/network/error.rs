//! Why a [`VpcThreeTier`](super::VpcThreeTier)'s choices cannot be built, beyond the CIDR plan
//! ([`CidrError`](crate::cidr::CidrError)) and the zones ([`ZoneError`](super::ZoneError)).

use std::fmt;

use crate::diagnostics::{Code, DomainError};

/// A problem with a three-tier VPC's choices, reported with the construct path at synth.
///
/// ```
/// use constructs::network::{Azs, NatStrategy, NetworkError, VpcThreeTier, VpcThreeTierProps};
/// use constructs::{App, Code, DomainError, Stack};
///
/// let mut stack = Stack::new("Network");
/// VpcThreeTier::new(
///     &mut stack,
///     "Network",
///     VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(2)).nat(NatStrategy::Count(3)),
/// );
/// let mut app = App::new();
/// app.add_stack(stack);
/// assert!(app.assemble().unwrap_err().has(Code::NatCountOutOfRange));
/// assert_eq!(NetworkError::NatCountOutOfRange { count: 3, azs: 2 }.code(), Code::NatCountOutOfRange);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkError {
    /// [`NatStrategy::Count`](super::NatStrategy::Count) is 0 or more than the AZs
    /// ([`Code::NatCountOutOfRange`]).
    NatCountOutOfRange {
        /// The count asked for.
        count: u8,
        /// How many AZs the VPC spans.
        azs: u8,
    },
}

impl DomainError for NetworkError {
    fn code(&self) -> Code {
        match self {
            NetworkError::NatCountOutOfRange { .. } => Code::NatCountOutOfRange,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            NetworkError::NatCountOutOfRange { count: 0, .. } => {
                Some("for no NAT gateway, use NatStrategy::None".to_owned())
            }
            NetworkError::NatCountOutOfRange { .. } => {
                Some("one gateway per AZ is NatStrategy::PerAz".to_owned())
            }
        }
    }
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::NatCountOutOfRange { count, azs } => write!(
                f,
                "{count} NAT gateways asked for in {azs} AZs; the count must be 1–{azs}"
            ),
        }
    }
}

impl std::error::Error for NetworkError {}
