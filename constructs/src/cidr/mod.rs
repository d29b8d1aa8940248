//! CIDR planning: one IPv4 CIDR per (tier, AZ) of a VPC, stable as the VPC grows.
//!
//! A VPC's subnets are laid out once and then live for years; CloudFormation replaces a subnet
//! whose CIDR changes, and everything in it. So the planner's one promise is that growth never
//! moves a subnet: adding AZs (up to a declared maximum) or appending a tier leaves every
//! existing CIDR as it was.
//!
//! # A plan
//!
//! Give the VPC block, the tiers in order (name and subnet prefix) and the AZ count:
//!
//! ```
//! use constructs::cidr::CidrPlan;
//!
//! let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24), ("app", 20), ("db", 24)], 3)?;
//! assert_eq!(plan.subnet("app", 1).unwrap().cidr().to_string(), "10.0.144.0/20");
//! assert_eq!(plan.subnet("app", 1).unwrap().usable(), 4091); // AWS keeps 5 addresses
//! println!("{plan}"); // a table of every subnet, the tier blocks and the free space
//! # Ok::<(), Vec<constructs::cidr::CidrError>>(())
//! ```
//!
//! # How subnets are placed
//!
//! With the default [`Layout::Aligned`], each tier gets one aligned block with room for the
//! declared maximum AZ count (default 6, so 8 subnets: a /24 tier takes a /21). Blocks are placed
//! in tier order, each at the lowest free address it fits, around reserved and pinned CIDRs.
//! AZ `i` of a tier gets the `i`-th subnet of its block. Hence:
//!
//! - adding AZs up to the maximum only fills more of each tier's block;
//! - appending a tier only takes free space; earlier tiers were placed without it;
//! - reserving a block, or pinning a subnet, inside the [free space](CidrPlan::free) moves nothing;
//! - each tier is one aggregatable block ([`PlannedTier::block`]): one NACL rule or route entry
//!   covers the tier in every AZ, present and future.
//!
//! Changing a tier's prefix or the order of tiers does move subnets, and so does changing the
//! declared maximum when the room it gives changes: a tier block holds the next power of two
//! of subnets (2, 4 or 8), so 3 → 4 or 5 → 6 moves nothing, but 2 → 3 or 4 → 5 moves every
//! tier after the first. Choose the maximum with growth in mind; a lower one packs tighter.
//!
//! ```
//! use constructs::cidr::CidrPlanBuilder;
//!
//! let today = CidrPlanBuilder::new("10.0.0.0/16", 2).tier("public", 24).tier("app", 22);
//! let later = today.clone().az_count(3).tier("db", 24);
//! let (today, later) = (today.build()?, later.build()?);
//! for subnet in today.subnets() {
//!     assert_eq!(later.subnet(subnet.tier(), subnet.az()), Some(subnet));
//! }
//! # Ok::<(), Vec<constructs::cidr::CidrError>>(())
//! ```
//!
//! [`Layout::Decimal`] is the classic hand-made layout for a /16 with /24 subnets (tier `t`, AZ
//! `a` at `10.0.(10t + 1 + a).0/24`). It is growth-stable too, and easy to read, but tiers are
//! not aggregatable.
//!
//! # Options
//!
//! [`CidrPlanBuilder`] takes everything else: a declared maximum AZ count, reserved blocks,
//! pinned subnets (through [`Tier::pin`]) and the layout.
//!
//! ```
//! use constructs::cidr::{CidrPlanBuilder, Layout, Tier};
//!
//! let plan = CidrPlanBuilder::new("10.0.0.0/16", 3)
//!     .tier("public", 24)
//!     .tier("app", 24)
//!     .add_tier(Tier::new("db", 24).pin(0, "10.0.200.0/24".parse().unwrap()))
//!     .layout(Layout::Decimal)
//!     .build()?;
//! assert_eq!(plan.subnet("db", 0).unwrap().cidr().to_string(), "10.0.200.0/24");
//! assert_eq!(plan.subnet("db", 1).unwrap().cidr().to_string(), "10.0.22.0/24");
//! # Ok::<(), Vec<constructs::cidr::CidrError>>(())
//! ```
//!
//! # Errors
//!
//! Bad input is a list of [`CidrError`]s, every problem found, never a panic. Each carries a
//! stable [`Code`](crate::Code), a message that says what was asked and what is free or
//! allowed, and often a hint. When the tiers do not fit, the hint names the single changes
//! ([`Remedy`]) that make the request plan: each one was tried by planning the request again.
//!
//! ```
//! use constructs::{cidr::CidrPlan, Code, DomainError};
//!
//! let errors = CidrPlan::new("10.0.0.0/24", &[("public", 26), ("app", 26)], 2).unwrap_err();
//! let err = &errors[0];
//! assert_eq!(err.code(), Code::CidrExhausted);
//! assert_eq!(
//!     err.to_string(),
//!     "tier `public` needs a /23 (512 addresses: room for 6 /26 subnets), but the largest free \
//!      block is 10.0.0.0/24 (256 addresses) (hint: it plans with a declared maximum of 2 AZs; \
//!      or with VPC block 10.0.0.0/22)"
//! );
//! ```
//!
//! # Block sizes
//!
//! AWS allows VPC blocks from /16 to /28 and subnets from /16 to /28, and keeps 5 addresses of
//! every subnet ([`AWS_RESERVED_ADDRESSES`]). A plan spans at least two AZs, so the smallest
//! VPC block that holds one is a /27; a /25 holds three tiers of /28 subnets with a declared
//! maximum of 2 AZs:
//!
//! ```
//! use constructs::cidr::CidrPlanBuilder;
//!
//! let plan = CidrPlanBuilder::new("10.0.0.0/25", 2)
//!     .max_azs(2)
//!     .tier("public", 28)
//!     .tier("app", 28)
//!     .tier("db", 28)
//!     .build()?;
//! assert_eq!(plan.subnet("db", 1).unwrap().cidr().to_string(), "10.0.0.80/28");
//! assert_eq!(plan.subnet("db", 1).unwrap().usable(), 11);
//! # Ok::<(), Vec<constructs::cidr::CidrError>>(())
//! ```

mod aligned;
mod block;
mod builder;
mod decimal;
mod error;
mod layout;
mod plan;
mod tier;

#[cfg(test)]
mod tests;

pub use builder::{CidrPlanBuilder, DEFAULT_MAX_AZS};
pub use error::{CidrError, Claim, Remedy};
/// The IPv4 network type the planner takes and returns, re-exported so callers need no direct
/// dependency on `ipnetwork`.
pub use ipnetwork::Ipv4Network;
pub use layout::Layout;
pub use plan::{CidrPlan, PlannedSubnet, PlannedTier};
pub use tier::Tier;

/// The shortest VPC prefix AWS allows (a /16: 65,536 addresses).
pub const MIN_VPC_PREFIX: u8 = 16;
/// The longest VPC prefix AWS allows (a /28: 16 addresses). A plan needs subnets in at least
/// two AZs, and a subnet is at most a /28, so the smallest block that holds a plan is a /27.
pub const MAX_VPC_PREFIX: u8 = 28;
/// The longest subnet prefix AWS allows (a /28: 16 addresses, 11 of them usable).
pub const MAX_SUBNET_PREFIX: u8 = 28;
/// The fewest AZs a plan spans.
pub const MIN_AZS: u8 = 2;
/// The most AZs a plan spans.
pub const MAX_AZS: u8 = 6;
/// Addresses AWS keeps in every subnet: network, router, DNS, one for future use, broadcast.
pub const AWS_RESERVED_ADDRESSES: u32 = 5;
