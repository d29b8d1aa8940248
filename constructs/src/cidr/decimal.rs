//! The decimal layout: tier `t`, AZ `a` at third octet `10 * t + 1 + a` of a /16.

use super::{
    block::Block,
    error::{CidrError, Claim},
    layout::{Input, Placement},
};

/// Tiers the third octet has room for: tier 24, AZ 8 is at octet 249.
const MAX_TIERS: usize = 25;
/// AZs per tier: octets `10t + 1` to `10t + 9`.
const MAX_AZS: u8 = 9;
// Every plan has at most `cidr::MAX_AZS` AZs, so the AZs always fit.
const _: () = assert!(super::MAX_AZS <= MAX_AZS);

/// Places every tier at its fixed octets, after checking the layout applies.
pub(super) fn place(input: &Input<'_>) -> Result<Vec<Placement>, CidrError> {
    if input.vpc.prefix() != 16 {
        return Err(CidrError::DecimalNeedsSlash16 {
            vpc: input.vpc.to_network(),
        });
    }
    if let Some(tier) = input.tiers.iter().find(|t| t.prefix != 24) {
        return Err(CidrError::DecimalNeedsSlash24 {
            tier: tier.name.clone(),
            prefix: tier.prefix,
        });
    }
    if input.tiers.len() > MAX_TIERS {
        return Err(CidrError::DecimalTooManyTiers {
            tiers: input.tiers.len(),
        });
    }
    let mut placements = Vec::with_capacity(input.tiers.len());
    for (index, tier) in input.tiers.iter().enumerate() {
        let mut subnets = Vec::with_capacity(usize::from(input.az_count));
        let mut held = Vec::new();
        for az in 0..input.max_azs {
            let subnet = match tier.pinned(az) {
                Some(cidr) => (Block::of(cidr), true),
                None => {
                    let slot =
                        slot(input.vpc, index, az).ok_or(CidrError::DecimalTooManyTiers {
                            tiers: input.tiers.len(),
                        })?;
                    if let Some((claim, _)) = input.claims.iter().find(|(_, c)| c.overlaps(slot)) {
                        return Err(CidrError::Overlap {
                            first: claim.clone(),
                            second: Claim::Planned {
                                tier: tier.name.clone(),
                                az,
                                cidr: slot.to_network(),
                            },
                        });
                    }
                    held.push(slot);
                    (slot, false)
                }
            };
            if az < input.az_count {
                subnets.push(subnet);
            }
        }
        placements.push(Placement {
            block: None,
            subnets,
            held,
        });
    }
    Ok(placements)
}

/// The /24 at third octet `10 * tier + 1 + az`, if that is at most 255.
fn slot(vpc: Block, tier: usize, az: u8) -> Option<Block> {
    let octet = u64::try_from(tier)
        .ok()?
        .checked_mul(10)?
        .checked_add(1)?
        .checked_add(u64::from(az))?;
    if octet > 255 {
        return None;
    }
    vpc.nth_sub(24, octet)
}
