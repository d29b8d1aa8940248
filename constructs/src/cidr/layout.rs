//! [`Layout`]: how tiers and AZs map to addresses, and what the layouts share.

use std::fmt;

use super::{block::Block, error::Claim, tier::Tier};

/// How a plan places subnets. Both layouts are growth-stable: adding AZs (up to the declared
/// maximum) or appending a tier never moves an existing subnet.
///
/// ```
/// use constructs::cidr::{CidrPlanBuilder, Layout};
///
/// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
///     .tier("public", 24)
///     .tier("app", 24)
///     .layout(Layout::Decimal)
///     .build()
///     .unwrap();
/// assert_eq!(plan.subnet("app", 1).unwrap().cidr().to_string(), "10.0.12.0/24");
/// assert_eq!(Layout::default(), Layout::Aligned);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layout {
    /// Each tier gets one aligned block with room for the declared maximum AZ count (the subnet
    /// prefix minus ceil(log2(max AZs)) bits), placed first-fit in tier order around reserved
    /// and pinned CIDRs; AZ `i` gets the `i`-th subnet of the block. Any VPC block and prefixes.
    #[default]
    Aligned,
    /// The classic hand-made layout for a /16 VPC with /24 subnets: tier `t`, AZ `a` gets
    /// third octet `10 * t + 1 + a` (`10.0.1.0/24`, `10.0.2.0/24`, … for the first tier,
    /// `10.0.11.0/24`, … for the second). At most 25 tiers (and 9 AZs, more than a plan
    /// allows anyway); tiers have no block.
    Decimal,
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Aligned => "aligned",
            Layout::Decimal => "decimal",
        })
    }
}

/// A request that passed the checks every layout shares.
pub(super) struct Input<'a> {
    /// The VPC block, aligned, /16 to /28.
    pub vpc: Block,
    /// The tiers, names unique, prefixes inside the VPC's and at most /28.
    pub tiers: &'a [Tier],
    /// 2 to 6, at most `max_azs`.
    pub az_count: u8,
    /// 2 to 6.
    pub max_azs: u8,
    /// Reserved and pinned CIDRs: aligned, inside the VPC, pairwise disjoint.
    pub claims: &'a [(Claim, Block)],
}

/// Where a layout put one tier.
pub(super) struct Placement {
    /// The tier's aggregate block, when the layout has one.
    pub block: Option<Block>,
    /// AZ 0 to `az_count - 1`: the subnet, and whether it is pinned.
    pub subnets: Vec<(Block, bool)>,
    /// Space the tier takes out of the free space (pins are counted as claims).
    pub held: Vec<Block>,
}
