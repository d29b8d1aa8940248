//! The aligned layout: one block per tier, sized for the declared maximum AZ count.

use super::{
    block::{free_blocks, index_bits, Block},
    error::CidrError,
    layout::{Input, Placement},
};

/// Places every tier, in order, first-fit by address.
///
/// A tier's block depends only on the VPC, the claims, the earlier tiers and `max_azs`, never on
/// the AZ count or later tiers: that is what makes growth stable.
pub(super) fn place(input: &Input<'_>) -> Result<Vec<Placement>, CidrError> {
    let mut taken: Vec<Block> = input.claims.iter().map(|(_, block)| *block).collect();
    let mut placements = Vec::with_capacity(input.tiers.len());
    for tier in input.tiers {
        let free = free_blocks(input.vpc, &taken);
        let block = block_prefix(input, tier.prefix, input.max_azs)
            .and_then(|prefix| first_fit(&free, prefix))
            .ok_or_else(|| exhausted(input, &tier.name, tier.prefix, &free))?;
        let mut subnets = Vec::with_capacity(usize::from(input.az_count));
        for az in 0..input.az_count {
            let subnet = match tier.pinned(az) {
                Some(cidr) => (Block::of(cidr), true),
                None => {
                    // The block has room for `max_azs >= az_count` subnets.
                    let slot = block.nth_sub(tier.prefix, u64::from(az));
                    (
                        slot.ok_or_else(|| exhausted(input, &tier.name, tier.prefix, &free))?,
                        false,
                    )
                }
            };
            subnets.push(subnet);
        }
        taken.push(block);
        placements.push(Placement {
            block: Some(block),
            subnets,
            held: vec![block],
        });
    }
    Ok(placements)
}

/// The prefix of a block with room for `azs` subnets of `/prefix`, if it fits in the VPC.
fn block_prefix(input: &Input<'_>, prefix: u8, azs: u8) -> Option<u8> {
    prefix
        .checked_sub(index_bits(azs))
        .filter(|p| *p >= input.vpc.prefix())
}

/// The lowest aligned `/prefix` block in the free space: the start of the first free block that
/// is at least that large (free blocks are aligned and maximal, so nothing lower fits).
fn first_fit(free: &[Block], prefix: u8) -> Option<Block> {
    free.iter()
        .find(|f| f.prefix() <= prefix)
        .and_then(|f| Block::new(f.start(), prefix))
}

/// The error for a tier that does not fit, with no remedies yet: finding one means planning
/// the whole request again with a change, which the builder does.
fn exhausted(input: &Input<'_>, tier: &str, prefix: u8, free: &[Block]) -> CidrError {
    // The first of the largest free blocks.
    let largest_free = free
        .iter()
        .fold(None::<Block>, |best, f| match best {
            Some(b) if b.size() >= f.size() => Some(b),
            _ => Some(*f),
        })
        .map(Block::to_network);
    CidrError::Exhausted {
        tier: tier.to_string(),
        prefix,
        block_prefix: prefix.saturating_sub(index_bits(input.max_azs)),
        max_azs: input.max_azs,
        largest_free,
        remedies: Vec::new(),
    }
}
