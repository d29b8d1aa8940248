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

/// Places every tier at its fixed octets, after checking the layout applies; every problem is
/// reported (what does not apply, then each claim in the way of a slot).
pub(super) fn place(input: &Input<'_>) -> Result<Vec<Placement>, Vec<CidrError>> {
    let mut problems = Vec::new();
    if input.vpc.prefix() != 16 {
        problems.push(CidrError::DecimalNeedsSlash16 {
            vpc: input.vpc.to_network(),
        });
    }
    for tier in input.tiers.iter().filter(|t| t.prefix != 24) {
        problems.push(CidrError::DecimalNeedsSlash24 {
            tier: tier.name.clone(),
            prefix: tier.prefix,
        });
    }
    if input.tiers.len() > MAX_TIERS {
        problems.push(CidrError::DecimalTooManyTiers {
            tiers: input.tiers.len(),
        });
    }
    // Slots are /24s of a /16: where the layout does not apply, there are none to place.
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut placements = Vec::with_capacity(input.tiers.len());
    for (index, tier) in input.tiers.iter().enumerate() {
        let mut subnets = Vec::with_capacity(usize::from(input.az_count));
        let mut held = Vec::new();
        for az in 0..input.max_azs {
            let subnet = match tier.pinned(az) {
                Some(cidr) => (Block::of(cidr), true),
                None => {
                    let Some(slot) = slot(input.vpc, index, az) else {
                        // Unreachable within 25 tiers of at most 9 AZs, checked above.
                        return Err(vec![CidrError::DecimalTooManyTiers {
                            tiers: input.tiers.len(),
                        }]);
                    };
                    let in_the_way = input.claims.iter().find(|(_, c)| c.overlaps(slot));
                    // Once per claim: a /22 over three slots is one block to move.
                    if let Some((claim, _)) = in_the_way.filter(|(claim, _)| {
                        !problems.iter().any(
                            |p| matches!(p, CidrError::Overlap { first, .. } if first == claim),
                        )
                    }) {
                        problems.push(CidrError::Overlap {
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
    if problems.is_empty() {
        Ok(placements)
    } else {
        Err(problems)
    }
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
