//! Address math on aligned IPv4 blocks. Not public: the API speaks [`Ipv4Network`].
//!
//! Sizes and ends are `u64`, so a `/0` (2^32 addresses) needs no special case and no sum or
//! shift can overflow.

use std::net::Ipv4Addr;

use ipnetwork::Ipv4Network;

/// An IPv4 block: a start address and a prefix length of at most 32.
///
/// Blocks made by this module are aligned (the start is a network address); [`Block::of`] keeps
/// the address as given, so a caller can tell whether a user's CIDR is aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Block {
    start: u32,
    prefix: u8,
}

impl Block {
    /// The block `start/prefix`, or `None` when the prefix is over 32.
    pub(crate) fn new(start: u32, prefix: u8) -> Option<Self> {
        (prefix <= 32).then_some(Self { start, prefix })
    }

    /// The block a network names, address as given (host bits and all).
    pub(crate) fn of(net: Ipv4Network) -> Self {
        Self {
            start: u32::from(net.ip()),
            prefix: net.prefix().min(32),
        }
    }

    /// The first address.
    pub(crate) fn start(self) -> u32 {
        self.start
    }

    /// The prefix length.
    pub(crate) fn prefix(self) -> u8 {
        self.prefix
    }

    /// How many addresses the block spans: 2^(32 - prefix).
    pub(crate) fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// One past the last address.
    pub(crate) fn end(self) -> u64 {
        u64::from(self.start) + self.size()
    }

    /// Whether the start is a network address for the prefix.
    pub(crate) fn is_aligned(self) -> bool {
        u64::from(self.start) % self.size() == 0
    }

    /// The aligned block holding this one's start address.
    pub(crate) fn network(self) -> Self {
        let start = u64::from(self.start) - u64::from(self.start) % self.size();
        Self {
            start: u32::try_from(start).unwrap_or(0),
            prefix: self.prefix,
        }
    }

    /// Whether `other` lies wholly inside this block.
    pub(crate) fn contains(self, other: Block) -> bool {
        self.start <= other.start && other.end() <= self.end()
    }

    /// Whether the two blocks share an address.
    pub(crate) fn overlaps(self, other: Block) -> bool {
        u64::from(self.start) < other.end() && u64::from(other.start) < self.end()
    }

    /// The two halves, or `None` for a single address.
    pub(crate) fn halves(self) -> Option<(Block, Block)> {
        let prefix = self.prefix.checked_add(1).filter(|p| *p <= 32)?;
        let half = u32::try_from(self.size() / 2).ok()?;
        let upper = self.start.checked_add(half)?;
        Some((
            Self {
                start: self.start,
                prefix,
            },
            Self {
                start: upper,
                prefix,
            },
        ))
    }

    /// The `index`-th block of length `prefix` inside this one, if there is one.
    pub(crate) fn nth_sub(self, prefix: u8, index: u64) -> Option<Block> {
        if prefix < self.prefix || prefix > 32 {
            return None;
        }
        let sub = Self {
            start: self.start,
            prefix,
        };
        let offset = index.checked_mul(sub.size())?;
        if offset.checked_add(sub.size())? > self.size() {
            return None;
        }
        let start = u64::from(self.start).checked_add(offset)?;
        Some(Self {
            start: u32::try_from(start).ok()?,
            prefix,
        })
    }

    /// The block as a network.
    pub(crate) fn to_network(self) -> Ipv4Network {
        let addr = Ipv4Addr::from(self.start);
        // `Ipv4Network::new` only fails for prefixes over 32, which a `Block` never holds.
        Ipv4Network::new(addr, self.prefix).unwrap_or_else(|_| Ipv4Network::from(addr))
    }
}

/// The maximal aligned blocks of `outer` that overlap none of `taken`, in address order.
///
/// "Maximal" means each block's parent (the aligned block twice its size) is not wholly free,
/// so the list is the shortest exact cover of the free space by CIDRs.
pub(crate) fn free_blocks(outer: Block, taken: &[Block]) -> Vec<Block> {
    let mut free = Vec::new();
    let relevant: Vec<Block> = taken
        .iter()
        .copied()
        .filter(|t| t.overlaps(outer))
        .collect();
    collect_free(outer, &relevant, &mut free);
    free
}

fn collect_free(block: Block, taken: &[Block], free: &mut Vec<Block>) {
    if taken.is_empty() {
        free.push(block);
        return;
    }
    if taken.iter().any(|t| t.contains(block)) {
        return;
    }
    // Something overlaps `block` without covering it, so it is larger than one address.
    if let Some((low, high)) = block.halves() {
        for half in [low, high] {
            let inside: Vec<Block> = taken.iter().copied().filter(|t| t.overlaps(half)).collect();
            collect_free(half, &inside, free);
        }
    }
}

/// Total addresses in `blocks`.
pub(crate) fn total_size(blocks: &[Block]) -> u64 {
    blocks
        .iter()
        .fold(0u64, |sum, b| sum.saturating_add(b.size()))
}

/// How many address bits index `count` subnets: ceil(log2(count)), 0 for 0 or 1.
pub(crate) fn index_bits(count: u8) -> u8 {
    let mut bits = 0u8;
    while (1u32 << bits) < u32::from(count) {
        bits += 1;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Block {
        Block::of(s.parse().unwrap())
    }

    #[test]
    fn free_blocks_are_maximal_and_ordered() {
        let free = free_blocks(b("10.0.0.0/16"), &[b("10.0.0.0/21"), b("10.0.64.0/24")]);
        let shown: Vec<String> = free.iter().map(|f| f.to_network().to_string()).collect();
        assert_eq!(
            shown,
            [
                "10.0.8.0/21",
                "10.0.16.0/20",
                "10.0.32.0/19",
                "10.0.65.0/24",
                "10.0.66.0/23",
                "10.0.68.0/22",
                "10.0.72.0/21",
                "10.0.80.0/20",
                "10.0.96.0/19",
                "10.0.128.0/17",
            ]
        );
        assert_eq!(total_size(&free), 65536 - 2048 - 256);
    }

    #[test]
    fn whole_space_math_does_not_overflow() {
        let all = b("0.0.0.0/0");
        assert_eq!(all.size(), 1 << 32);
        assert!(all.contains(b("255.255.255.255/32")));
        assert_eq!(free_blocks(all, &[all]), []);
        assert_eq!(b("255.255.255.255/32").halves(), None);
        assert_eq!(
            b("255.255.255.0/24").nth_sub(25, 1),
            Some(b("255.255.255.128/25"))
        );
        assert_eq!(b("255.255.255.0/24").nth_sub(25, 2), None);
        assert_eq!(b("255.255.255.0/24").nth_sub(25, u64::MAX), None);
    }

    #[test]
    fn alignment() {
        assert!(b("10.0.0.0/16").is_aligned());
        assert!(!b("10.0.0.1/16").is_aligned());
        assert_eq!(b("10.0.3.7/16").network(), b("10.0.0.0/16"));
    }

    #[test]
    fn index_bits_rounds_up() {
        let bits: Vec<u8> = (0..=8).map(index_bits).collect();
        assert_eq!(bits, [0, 0, 1, 2, 2, 3, 3, 3, 3]);
    }
}
