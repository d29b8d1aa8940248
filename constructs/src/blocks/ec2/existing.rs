//! Networks that already exist: a VPC and security groups by id, parameter or import, and why
//! one cannot be used ([`Ec2Error`]).
//!
//! A literal id is checked for its form when the construct that uses it is built (AWS's
//! resource ids: the type's prefix, a hyphen and 8 or 17 lowercase hexadecimal characters,
//! per the EC2 user guide's "Resource IDs"); whether the resource exists, and in which VPC
//! or zone, only the deploy can tell.

use std::fmt;

use crate::cfn::ec2::{SecurityGroup, Vpc};
use crate::diagnostics::{Code, DomainError};
use crate::kinds::Id;
use crate::{Handle, Value};

/// Why an existing VPC, subnet or security group cannot be used, found when the construct
/// that uses it is built and reported with that construct's path.
///
/// ```
/// use constructs::blocks::ec2::{App, Ec2Error, SubnetGroup};
/// use constructs::{Code, DomainError};
///
/// let group = SubnetGroup::<App>::from_ids(["subnet-0a1b2c3d", "subnet-0a1b2c3d"]);
/// assert_eq!(group.problems(), [Ec2Error::DuplicateSubnet { id: "subnet-0a1b2c3d".into() }]);
/// assert_eq!(group.problems()[0].code(), Code::InvalidSubnetGroup);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ec2Error {
    /// A literal id is not its type's prefix and 8 or 17 lowercase hexadecimal characters
    /// ([`Code::InvalidResourceId`]).
    MalformedId {
        /// What the id names: `vpc`, `subnet` or `security group`.
        kind: &'static str,
        /// The id as given.
        id: String,
    },
    /// A group of existing subnets names one subnet twice: two entries in one AZ
    /// ([`Code::InvalidSubnetGroup`]).
    DuplicateSubnet {
        /// The id.
        id: String,
    },
    /// A group of existing subnets has none ([`Code::InvalidSubnetGroup`]).
    EmptySubnetGroup,
    /// A list of existing subnets declares an AZ count outside 1–6
    /// ([`Code::InvalidSubnetGroup`]).
    AzCountOutOfRange {
        /// The count declared.
        count: usize,
    },
}

impl DomainError for Ec2Error {
    /// The stable diagnostic code.
    ///
    /// ```
    /// use constructs::blocks::ec2::Ec2Error;
    /// use constructs::{Code, DomainError};
    ///
    /// let e = Ec2Error::MalformedId { kind: "vpc", id: "vpc-xyz".into() };
    /// assert_eq!(e.code(), Code::InvalidResourceId);
    /// ```
    fn code(&self) -> Code {
        match self {
            Ec2Error::MalformedId { .. } => Code::InvalidResourceId,
            Ec2Error::DuplicateSubnet { .. }
            | Ec2Error::EmptySubnetGroup
            | Ec2Error::AzCountOutOfRange { .. } => Code::InvalidSubnetGroup,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Ec2Error::MalformedId { kind, .. } => Some(format!(
                "copy the {kind} id from the console or `aws ec2 describe-*`, or take it from \
                 a parameter or an import"
            )),
            Ec2Error::DuplicateSubnet { .. } => {
                Some("give one subnet per availability zone".to_owned())
            }
            Ec2Error::EmptySubnetGroup | Ec2Error::AzCountOutOfRange { .. } => None,
        }
    }
}

impl fmt::Display for Ec2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ec2Error::MalformedId { kind, id } => write!(
                f,
                "`{id}` is not a {kind} id (`{}` and 8 or 17 lowercase hexadecimal characters)",
                prefix(kind)
            ),
            Ec2Error::DuplicateSubnet { id } => {
                write!(f, "subnet `{id}` is named twice in one subnet group")
            }
            Ec2Error::EmptySubnetGroup => f.write_str("the group of existing subnets is empty"),
            Ec2Error::AzCountOutOfRange { count } => write!(
                f,
                "a list of existing subnets declares {count} AZs; it must be 1–6"
            ),
        }
    }
}

impl std::error::Error for Ec2Error {}

fn prefix(kind: &str) -> &'static str {
    match kind {
        "vpc" => "vpc-",
        "subnet" => "subnet-",
        _ => "sg-",
    }
}

/// The problem with the literal id `id` of a `kind` resource, if its form is wrong.
pub(crate) fn check_id(kind: &'static str, id: &str) -> Option<Ec2Error> {
    let well_formed = id.strip_prefix(prefix(kind)).is_some_and(|rest| {
        matches!(rest.len(), 8 | 17)
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    (!well_formed).then(|| Ec2Error::MalformedId {
        kind,
        id: id.to_owned(),
    })
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::cfn::ec2::Vpc {}
    impl Sealed for crate::cfn::ec2::SecurityGroup {}
}

/// An EC2 resource type that patterns take by reference: [`Vpc`] and [`SecurityGroup`].
pub trait Referable: sealed::Sealed {
    /// What its id names in messages (`vpc`, `security group`).
    const KIND: &'static str;
}

impl Referable for Vpc {
    const KIND: &'static str = "vpc";
}

impl Referable for SecurityGroup {
    const KIND: &'static str = "security group";
}

/// A VPC or security group that a pattern uses: one built in this app (its `&Handle`), or an
/// existing one by literal id ([`from_id`](Self::from_id)), parameter or import (a
/// `Value<Id<R>>`). Named by its aliases, [`VpcRef`] and [`SecurityGroupRef`].
///
/// ```
/// use constructs::blocks::ec2::{SecurityGroupRef, VpcRef};
/// use constructs::cfn::ec2::Vpc;
/// use constructs::kinds::Id;
/// use constructs::{fns, Parameter, Stack};
///
/// let mut stack = Stack::new("Service");
/// let by_id = VpcRef::from_id("vpc-0123456789abcdef0");
/// let from_parameter = VpcRef::from(stack.add_parameter("VpcId", Parameter::vpc_id()));
/// let from_import = VpcRef::from(fns::import_value::<Id<Vpc>>("Network-VpcId"));
/// assert!(by_id.problems().is_empty());
/// assert!(!VpcRef::from_id("vpc-main").problems().is_empty());
/// let database = SecurityGroupRef::from_id("sg-0123456789abcdef0");
/// let shared = SecurityGroupRef::from(stack.add_parameter("SharedSg", Parameter::security_group_id()));
/// # let _ = (from_parameter, from_import, database, shared);
/// ```
#[derive(Debug)]
pub struct Ec2Ref<R: Referable> {
    id: Value<Id<R>>,
    problems: Vec<Ec2Error>,
}

/// A VPC that patterns run in: `network.vpc()`, or an existing one; see [`Ec2Ref`]. Every
/// pattern that takes a VPC takes `impl Into<VpcRef>`.
pub type VpcRef = Ec2Ref<Vpc>;

/// A security group that patterns admit or reach: a group of this app, or an existing one;
/// see [`Ec2Ref`]. Taken by [`Allow::tcp`](super::Allow::tcp) and the patterns' database access.
pub type SecurityGroupRef = Ec2Ref<SecurityGroup>;

impl<R: Referable> Ec2Ref<R> {
    /// An existing resource by its literal id (its prefix, such as `vpc-` or `sg-`, and 8 or
    /// 17 hexadecimal characters; a malformed id is reported by the construct that uses it, as
    /// `invalid-resource-id`).
    pub fn from_id(id: impl Into<String>) -> Self {
        let id = id.into();
        Self {
            problems: check_id(R::KIND, &id).into_iter().collect(),
            id: Value::unchecked(id),
        }
    }

    /// The id, as `VpcId`, `GroupId` and `SecurityGroupIds` properties take it.
    pub fn id(&self) -> Value<Id<R>> {
        self.id.clone()
    }

    /// What is wrong with a literal id (reported by the construct that uses it).
    pub fn problems(&self) -> &[Ec2Error] {
        &self.problems
    }
}

impl<R: Referable> Clone for Ec2Ref<R> {
    fn clone(&self) -> Self {
        Self {
            id: self.id.clone(),
            problems: self.problems.clone(),
        }
    }
}

impl<R: Referable> PartialEq for Ec2Ref<R> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.problems == other.problems
    }
}

impl<R: Referable> From<Value<Id<R>>> for Ec2Ref<R> {
    /// A resource by a reference: a parameter (`Parameter::vpc_id()`,
    /// `Parameter::security_group_id()`), an import, a `Ref`.
    fn from(id: Value<Id<R>>) -> Self {
        Self {
            id,
            problems: Vec::new(),
        }
    }
}

impl<R: Referable> From<&Ec2Ref<R>> for Ec2Ref<R> {
    fn from(reference: &Ec2Ref<R>) -> Self {
        reference.clone()
    }
}

impl From<&Handle<Vpc>> for VpcRef {
    fn from(vpc: &Handle<Vpc>) -> Self {
        vpc.reference().into()
    }
}

impl From<&Handle<SecurityGroup>> for SecurityGroupRef {
    fn from(group: &Handle<SecurityGroup>) -> Self {
        group.att_group_id().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_8_or_17_lowercase_hex_characters_are_well_formed() {
        assert_eq!(check_id("subnet", "subnet-0a1b2c3d"), None);
        assert_eq!(check_id("subnet", "subnet-0123456789abcdef0"), None);
        assert_eq!(check_id("vpc", "vpc-12345678"), None);
        assert_eq!(check_id("security group", "sg-0123456789abcdef0"), None);
        for (kind, id) in [
            ("subnet", "subnet-0A1B2C3D"),
            ("subnet", "subnet-123"),
            ("subnet", "vpc-12345678"),
            ("vpc", "vpc-0123456789abcdef"),
            ("security group", "sg-main"),
            ("security group", ""),
        ] {
            assert_eq!(
                check_id(kind, id),
                Some(Ec2Error::MalformedId {
                    kind,
                    id: id.to_owned()
                }),
                "{id}"
            );
        }
    }

    #[test]
    fn each_variant_carries_its_documented_code() {
        for (error, code) in [
            (
                Ec2Error::MalformedId {
                    kind: "vpc",
                    id: String::new(),
                },
                Code::InvalidResourceId,
            ),
            (
                Ec2Error::DuplicateSubnet { id: String::new() },
                Code::InvalidSubnetGroup,
            ),
            (Ec2Error::EmptySubnetGroup, Code::InvalidSubnetGroup),
            (
                Ec2Error::AzCountOutOfRange { count: 7 },
                Code::InvalidSubnetGroup,
            ),
        ] {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }
}
