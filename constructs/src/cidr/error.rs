//! Why a plan cannot be made: [`CidrError`], one variant per case, each with a stable [`Code`].

use std::{error, fmt};

use ipnetwork::Ipv4Network;

use crate::diagnostics::{Code, DomainError};

use super::{block::Block, MAX_AZS, MAX_SUBNET_PREFIX, MAX_VPC_PREFIX, MIN_AZS, MIN_VPC_PREFIX};

/// A block of addresses the plan must keep to, named for error messages.
///
/// ```
/// use constructs::cidr::Claim;
///
/// let pinned = Claim::Pinned { tier: "db".into(), az: 1, cidr: "10.0.200.0/24".parse().unwrap() };
/// assert_eq!(pinned.to_string(), "pinned 10.0.200.0/24 (tier `db`, AZ 1)");
/// assert_eq!(pinned.cidr().prefix(), 24);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Claim {
    /// A block set aside with [`CidrPlanBuilder::reserve`](super::CidrPlanBuilder::reserve).
    Reserved(Ipv4Network),
    /// A subnet fixed with [`Tier::pin`](super::Tier::pin).
    Pinned {
        /// The tier's name.
        tier: String,
        /// The AZ index.
        az: u8,
        /// The pinned CIDR.
        cidr: Ipv4Network,
    },
    /// A subnet a layout places at a fixed address (the decimal layout's `10.0.11.0/24`).
    Planned {
        /// The tier's name.
        tier: String,
        /// The AZ index.
        az: u8,
        /// Where the layout puts it.
        cidr: Ipv4Network,
    },
}

impl Claim {
    /// The claimed CIDR.
    ///
    /// ```
    /// use constructs::cidr::Claim;
    ///
    /// let reserved = Claim::Reserved("10.0.255.0/24".parse().unwrap());
    /// assert_eq!(reserved.cidr().to_string(), "10.0.255.0/24");
    /// ```
    pub fn cidr(&self) -> Ipv4Network {
        match self {
            Claim::Reserved(cidr) | Claim::Pinned { cidr, .. } | Claim::Planned { cidr, .. } => {
                *cidr
            }
        }
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Claim::Reserved(cidr) => write!(f, "reserved {cidr}"),
            Claim::Pinned { tier, az, cidr } => write!(f, "pinned {cidr} (tier `{tier}`, AZ {az})"),
            Claim::Planned { tier, az, cidr } => {
                write!(f, "the layout's subnet {cidr} (tier `{tier}`, AZ {az})")
            }
        }
    }
}

/// One change to a request that makes it plan, as an [`Exhausted`](CidrError::Exhausted) error
/// suggests it. Every remedy an error carries was checked by planning the request with that
/// change alone.
///
/// Each remedy is for a VPC not yet deployed, or is itself a move: a different declared
/// maximum or VPC block places every tier anew, and a different prefix moves the tier's
/// subnets (see [the module docs](super) for what growth never moves).
///
/// ```
/// use constructs::cidr::{CidrError, CidrPlanBuilder, Remedy};
///
/// let builder = CidrPlanBuilder::new("10.0.0.0/24", 2).tier("public", 26).tier("app", 26);
/// let errors = builder.build().unwrap_err();
/// let CidrError::Exhausted { remedies, .. } = &errors[0] else { panic!() };
/// assert_eq!(remedies[0], Remedy::MaxAzs(2));
/// assert_eq!(remedies[0].to_string(), "a declared maximum of 2 AZs");
/// assert!(builder.max_azs(2).build().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Remedy {
    /// Declare this maximum AZ count (lower than the one declared, at least the AZ count):
    /// every tier block keeps room for fewer subnets.
    MaxAzs(u8),
    /// Use this VPC block: the smallest larger block (same start address, rounded down to its
    /// network) that plans.
    VpcBlock(Ipv4Network),
    /// Give the tier that did not fit this (longer) subnet prefix: the shortest that plans.
    TierPrefix {
        /// The tier's name.
        tier: String,
        /// The prefix that plans.
        prefix: u8,
    },
}

impl fmt::Display for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Remedy::MaxAzs(max_azs) => write!(f, "a declared maximum of {max_azs} AZs"),
            Remedy::VpcBlock(vpc) => write!(f, "VPC block {vpc}"),
            Remedy::TierPrefix { tier, prefix } => write!(f, "/{prefix} subnets for `{tier}`"),
        }
    }
}

/// Why [`CidrPlanBuilder::build`](super::CidrPlanBuilder::build) made no plan (it returns every
/// one found).
///
/// Each variant documents when it happens and which [`Code`] it carries. As every domain error,
/// it is a [`DomainError`]: the message ([`message`](DomainError::message)) says what was asked
/// and what is free or allowed; the [`hint`](DomainError::hint), when there is one, says what
/// to change. `Display` prints both.
///
/// ```
/// use constructs::{cidr::{CidrError, CidrPlan}, Code, DomainError};
///
/// let err = &CidrPlan::new("10.0.0.1/16", &[("public", 24)], 3).unwrap_err()[0];
/// assert_eq!(err.code(), Code::InvalidVpcBlock);
/// assert_eq!(err.hint().as_deref(), Some("use 10.0.0.0/16"));
/// assert!(matches!(err, CidrError::VpcNotNetworkAddress { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CidrError {
    /// The VPC block, given as a string, is not IPv4 CIDR notation. [`Code::InvalidVpcBlock`].
    UnparsableVpcBlock {
        /// The string as given.
        input: String,
        /// What the parser said.
        reason: String,
    },
    /// The VPC block's prefix is shorter than /16 or longer than /24 (AWS's limits).
    /// [`Code::InvalidVpcBlock`].
    VpcPrefixOutOfRange {
        /// The block as given.
        vpc: Ipv4Network,
    },
    /// The VPC block has host bits set, as in `10.0.0.1/16`. [`Code::InvalidVpcBlock`].
    VpcNotNetworkAddress {
        /// The block as given.
        vpc: Ipv4Network,
    },
    /// The AZ count is outside 2–6. [`Code::AzCountOutOfRange`].
    AzCountOutOfRange {
        /// The count asked for.
        az_count: u8,
    },
    /// The declared maximum AZ count is outside 2–6. [`Code::AzCountOutOfRange`].
    MaxAzsOutOfRange {
        /// The maximum declared.
        max_azs: u8,
    },
    /// More AZs are asked for than the declared maximum. [`Code::AzCountOutOfRange`].
    AzCountAboveMax {
        /// The count asked for.
        az_count: u8,
        /// The maximum declared.
        max_azs: u8,
    },
    /// A pin names an AZ index at or beyond the declared maximum. [`Code::AzCountOutOfRange`].
    PinnedAzOutOfRange {
        /// The tier's name.
        tier: String,
        /// The AZ index pinned.
        az: u8,
        /// The maximum declared.
        max_azs: u8,
    },
    /// A tier's subnet prefix is not longer than the VPC's, or is longer than /28.
    /// [`Code::SubnetPrefixOutOfRange`].
    SubnetPrefixOutOfRange {
        /// The tier's name.
        tier: String,
        /// The prefix asked for.
        prefix: u8,
        /// The VPC block.
        vpc: Ipv4Network,
    },
    /// Two tiers share a name. There is no dedicated code, so this carries
    /// [`Code::CidrOverlap`]: the two tiers would claim the same subnets.
    DuplicateTier {
        /// The name used twice.
        tier: String,
    },
    /// A pinned or reserved CIDR has host bits set, as in `10.0.1.7/24`. [`Code::CidrOverlap`].
    NotNetworkAddress {
        /// The CIDR as given.
        claim: Claim,
    },
    /// A pinned or reserved CIDR is not wholly inside the VPC block. [`Code::CidrOverlap`].
    OutsideVpc {
        /// The CIDR.
        claim: Claim,
        /// The VPC block.
        vpc: Ipv4Network,
    },
    /// Two pinned or reserved CIDRs overlap, or (decimal layout) one overlaps a subnet the
    /// layout places there. [`Code::CidrOverlap`].
    Overlap {
        /// The one given (or placed) first.
        first: Claim,
        /// The one that overlaps it.
        second: Claim,
    },
    /// A pinned CIDR's prefix differs from its tier's. [`Code::CidrOverlap`].
    PinPrefixMismatch {
        /// The tier's name.
        tier: String,
        /// The AZ index pinned.
        az: u8,
        /// The pinned CIDR.
        cidr: Ipv4Network,
        /// The tier's prefix.
        prefix: u8,
    },
    /// A tier's block does not fit in the space left (aligned layout). [`Code::CidrExhausted`].
    ///
    /// The hint lists the [`Remedy`]s found: each one, applied alone to the same request, was
    /// planned and does plan. When none is found, the hint says what else can be changed.
    Exhausted {
        /// The tier that does not fit.
        tier: String,
        /// The tier's subnet prefix.
        prefix: u8,
        /// The prefix of the block it needs: room for `max_azs` subnets.
        block_prefix: u8,
        /// The declared maximum AZ count.
        max_azs: u8,
        /// The largest free block left when the tier was placed, if any.
        largest_free: Option<Ipv4Network>,
        /// Single changes that make the whole request plan, each checked by planning it.
        remedies: Vec<Remedy>,
    },
    /// The decimal layout needs a /16 VPC block. [`Code::InvalidVpcBlock`].
    DecimalNeedsSlash16 {
        /// The VPC block.
        vpc: Ipv4Network,
    },
    /// The decimal layout needs /24 subnets. [`Code::SubnetPrefixOutOfRange`].
    DecimalNeedsSlash24 {
        /// The tier's name.
        tier: String,
        /// The tier's prefix.
        prefix: u8,
    },
    /// The decimal layout has room for 25 tiers. [`Code::CidrExhausted`].
    DecimalTooManyTiers {
        /// The number of tiers asked for.
        tiers: usize,
    },
}

impl DomainError for CidrError {
    /// The stable diagnostic code.
    ///
    /// ```
    /// use constructs::{cidr::CidrPlan, Code, DomainError};
    ///
    /// let err = &CidrPlan::new("10.0.0.0/16", &[("public", 24)], 7).unwrap_err()[0];
    /// assert_eq!(err.code(), Code::AzCountOutOfRange);
    /// ```
    fn code(&self) -> Code {
        match self {
            CidrError::UnparsableVpcBlock { .. }
            | CidrError::VpcPrefixOutOfRange { .. }
            | CidrError::VpcNotNetworkAddress { .. }
            | CidrError::DecimalNeedsSlash16 { .. } => Code::InvalidVpcBlock,
            CidrError::AzCountOutOfRange { .. }
            | CidrError::MaxAzsOutOfRange { .. }
            | CidrError::AzCountAboveMax { .. }
            | CidrError::PinnedAzOutOfRange { .. } => Code::AzCountOutOfRange,
            CidrError::SubnetPrefixOutOfRange { .. } | CidrError::DecimalNeedsSlash24 { .. } => {
                Code::SubnetPrefixOutOfRange
            }
            CidrError::DuplicateTier { .. }
            | CidrError::NotNetworkAddress { .. }
            | CidrError::OutsideVpc { .. }
            | CidrError::Overlap { .. }
            | CidrError::PinPrefixMismatch { .. } => Code::CidrOverlap,
            CidrError::Exhausted { .. } | CidrError::DecimalTooManyTiers { .. } => {
                Code::CidrExhausted
            }
        }
    }

    /// What was asked, and what is free or allowed.
    ///
    /// ```
    /// use constructs::cidr::CidrPlan;
    /// use constructs::DomainError;
    ///
    /// let err = &CidrPlan::new("10.0.0.0/16", &[("public", 29)], 3).unwrap_err()[0];
    /// assert_eq!(
    ///     err.message(),
    ///     "tier `public` asks for /29 subnets; in VPC block 10.0.0.0/16 a subnet prefix must be /17 to /28"
    /// );
    /// ```
    fn message(&self) -> String {
        match self {
            CidrError::UnparsableVpcBlock { input, reason } => {
                format!("VPC block `{input}` is not an IPv4 CIDR ({reason})")
            }
            CidrError::VpcPrefixOutOfRange { vpc } => format!(
                "VPC block {vpc} is a /{}; AWS allows /{MIN_VPC_PREFIX} to /{MAX_VPC_PREFIX}",
                vpc.prefix()
            ),
            CidrError::VpcNotNetworkAddress { vpc } => format!(
                "VPC block {vpc} is not a network address: {} has host bits set for a /{}",
                vpc.ip(),
                vpc.prefix()
            ),
            CidrError::AzCountOutOfRange { az_count } => {
                format!("{az_count} AZs asked for; the count must be {MIN_AZS} to {MAX_AZS}")
            }
            CidrError::MaxAzsOutOfRange { max_azs } => format!(
                "maximum AZ count {max_azs} declared; it must be {MIN_AZS} to {MAX_AZS}"
            ),
            CidrError::AzCountAboveMax { az_count, max_azs } => format!(
                "{az_count} AZs asked for, but the declared maximum is {max_azs}"
            ),
            CidrError::PinnedAzOutOfRange { tier, az, max_azs } => format!(
                "tier `{tier}` pins a CIDR for AZ {az}; AZ indexes run from 0 to {} (maximum {max_azs} AZs)",
                max_azs.saturating_sub(1)
            ),
            // Subnets are /28 at the smallest, so a /28 VPC has no room for two of them.
            CidrError::SubnetPrefixOutOfRange { tier, prefix, vpc }
                if vpc.prefix() >= MAX_SUBNET_PREFIX =>
            {
                format!(
                    "tier `{tier}` asks for /{prefix} subnets, but VPC block {vpc} has no room \
                     for a subnet in each of {MIN_AZS} AZs: a subnet is a /{MAX_SUBNET_PREFIX} \
                     at the smallest"
                )
            }
            CidrError::SubnetPrefixOutOfRange { tier, prefix, vpc } => format!(
                "tier `{tier}` asks for /{prefix} subnets; in VPC block {vpc} a subnet prefix must be /{} to /{MAX_SUBNET_PREFIX}",
                vpc.prefix().saturating_add(1)
            ),
            CidrError::DuplicateTier { tier } => format!("two tiers are named `{tier}`"),
            CidrError::NotNetworkAddress { claim } => format!(
                "{claim} is not a network address: {} has host bits set for a /{}",
                claim.cidr().ip(),
                claim.cidr().prefix()
            ),
            CidrError::OutsideVpc { claim, vpc } => {
                format!("{claim} is not inside VPC block {vpc}")
            }
            CidrError::Overlap { first, second } => format!("{second} overlaps {first}"),
            CidrError::PinPrefixMismatch {
                tier,
                az,
                cidr,
                prefix,
            } => format!(
                "tier `{tier}` pins {cidr} for AZ {az}, but the tier's subnets are /{prefix}"
            ),
            CidrError::Exhausted {
                tier,
                prefix,
                block_prefix,
                max_azs,
                largest_free,
                ..
            } => {
                let needed = address_count(*block_prefix);
                let free = match largest_free {
                    Some(free) => format!(
                        "the largest free block is {free} ({} addresses)",
                        address_count(free.prefix())
                    ),
                    None => "no space is free".to_string(),
                };
                format!(
                    "tier `{tier}` needs a /{block_prefix} ({needed} addresses: room for {max_azs} /{prefix} subnets), but {free}"
                )
            }
            CidrError::DecimalNeedsSlash16 { vpc } => {
                format!("the decimal layout needs a /16 VPC block; {vpc} is a /{}", vpc.prefix())
            }
            CidrError::DecimalNeedsSlash24 { tier, prefix } => format!(
                "the decimal layout needs /24 subnets; tier `{tier}` asks for /{prefix}"
            ),
            CidrError::DecimalTooManyTiers { tiers } => format!(
                "the decimal layout has room for 25 tiers; {tiers} are asked for"
            ),
        }
    }

    /// What to change, when there is something useful to say.
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    /// use constructs::DomainError;
    ///
    /// // Room for 6 AZs of /24 takes a /21 per tier; a /22 VPC has room for 4 AZs.
    /// let err = &CidrPlanBuilder::new("10.0.0.0/22", 3).tier("public", 24).build().unwrap_err()[0];
    /// assert_eq!(
    ///     err.message(),
    ///     "tier `public` needs a /21 (2048 addresses: room for 6 /24 subnets), \
    ///      but the largest free block is 10.0.0.0/22 (1024 addresses)"
    /// );
    /// // Each change the hint names was planned: with room for 4 AZs the tier takes a /22.
    /// assert_eq!(
    ///     err.hint().unwrap(),
    ///     "it plans with a declared maximum of 4 AZs; or with VPC block 10.0.0.0/21; \
    ///      or with /25 subnets for `public`"
    /// );
    /// ```
    fn hint(&self) -> Option<String> {
        match self {
            CidrError::VpcNotNetworkAddress { vpc } | CidrError::VpcPrefixOutOfRange { vpc } => {
                let prefix = vpc.prefix().clamp(MIN_VPC_PREFIX, MAX_VPC_PREFIX);
                let net = Block::of(*vpc);
                let fixed = Block::new(net.start(), prefix)?.network();
                Some(format!("use {}", fixed.to_network()))
            }
            CidrError::AzCountAboveMax { az_count, .. } => {
                Some(format!("declare a maximum of at least {az_count} AZs"))
            }
            CidrError::NotNetworkAddress { claim } => {
                let fixed = Block::of(claim.cidr()).network();
                Some(format!("use {}", fixed.to_network()))
            }
            CidrError::DuplicateTier { .. } => Some("give each tier its own name".to_string()),
            CidrError::SubnetPrefixOutOfRange { vpc, .. } if vpc.prefix() >= MAX_SUBNET_PREFIX => {
                Some(format!(
                    "use a /{} or larger VPC block",
                    MAX_SUBNET_PREFIX.saturating_sub(1)
                ))
            }
            CidrError::Exhausted {
                tier,
                max_azs,
                remedies,
                ..
            } => Some(if remedies.is_empty() {
                format!(
                    "no single change was found that plans: use a larger VPC block together \
                     with smaller tiers or a lower declared maximum than {max_azs} AZs, or fewer \
                     tiers than `{tier}` and those before it"
                )
            } else {
                let changes: Vec<String> = remedies.iter().map(Remedy::to_string).collect();
                format!("it plans with {}", changes.join("; or with "))
            }),
            CidrError::DecimalNeedsSlash16 { .. }
            | CidrError::DecimalNeedsSlash24 { .. }
            | CidrError::DecimalTooManyTiers { .. } => {
                Some("use the aligned layout, which takes any block and prefix".to_string())
            }
            _ => None,
        }
    }
}

/// 2^(32 - prefix), for messages.
fn address_count(prefix: u8) -> u64 {
    1u64 << (32 - u32::from(prefix.min(32)))
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(hint) = self.hint() {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl error::Error for CidrError {}
