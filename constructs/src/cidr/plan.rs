//! [`CidrPlan`]: the result, one CIDR per (tier, AZ), each tier's block and the free space.

use std::fmt;

use ipnetwork::Ipv4Network;

use super::{builder::CidrPlanBuilder, error::CidrError, layout::Layout, AWS_RESERVED_ADDRESSES};

/// A finished plan. Immutable; build one with [`CidrPlan::new`] or a
/// [`CidrPlanBuilder`](super::CidrPlanBuilder). Equal inputs give equal plans.
///
/// ```
/// use constructs::cidr::CidrPlan;
///
/// let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24), ("app", 20)], 3).unwrap();
/// let app: Vec<String> = plan.tier("app").unwrap().subnets().iter().map(|s| s.cidr().to_string()).collect();
/// assert_eq!(app, ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"]);
/// assert_eq!(plan.tier("app").unwrap().block().unwrap().to_string(), "10.0.128.0/17");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CidrPlan {
    pub(super) vpc: Ipv4Network,
    pub(super) layout: Layout,
    pub(super) az_count: u8,
    pub(super) max_azs: u8,
    pub(super) tiers: Vec<PlannedTier>,
    pub(super) reserved: Vec<Ipv4Network>,
    pub(super) free: Vec<Ipv4Network>,
    pub(super) free_addresses: u32,
}

/// One tier of a [`CidrPlan`]: its subnets, one per AZ, and its block.
///
/// ```
/// use constructs::cidr::CidrPlan;
///
/// let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
/// let public = &plan.tiers()[0];
/// assert_eq!((public.name(), public.prefix(), public.subnets().len()), ("public", 24, 2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlannedTier {
    pub(super) name: String,
    pub(super) prefix: u8,
    pub(super) block: Option<Ipv4Network>,
    pub(super) subnets: Vec<PlannedSubnet>,
}

/// One subnet of a [`CidrPlan`].
///
/// ```
/// use constructs::cidr::CidrPlan;
///
/// let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
/// let subnet = plan.subnet("public", 1).unwrap();
/// assert_eq!(subnet.tier(), "public");
/// assert_eq!(subnet.az(), 1);
/// assert_eq!(subnet.cidr().to_string(), "10.0.1.0/24");
/// assert_eq!(subnet.usable(), 251);
/// assert!(!subnet.is_pinned());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlannedSubnet {
    pub(super) tier: String,
    pub(super) az: u8,
    pub(super) cidr: Ipv4Network,
    pub(super) pinned: bool,
}

impl CidrPlan {
    /// Plans `tiers` (name, subnet prefix; in order) for `az_count` AZs in `vpc` with the
    /// defaults: the aligned layout, room for 6 AZs, nothing reserved or pinned. `vpc` is an
    /// [`Ipv4Network`] or a string such as `"10.0.0.0/16"`.
    ///
    /// # Errors
    ///
    /// As [`CidrPlanBuilder::build`].
    ///
    /// ```
    /// use constructs::cidr::CidrPlan;
    ///
    /// let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24), ("app", 22), ("db", 24)], 3)?;
    /// assert_eq!(plan.subnet("db", 2).unwrap().cidr().to_string(), "10.0.10.0/24");
    /// # Ok::<(), Vec<constructs::cidr::CidrError>>(())
    /// ```
    pub fn new<V>(vpc: V, tiers: &[(&str, u8)], az_count: u8) -> Result<Self, Vec<CidrError>>
    where
        V: TryInto<Ipv4Network> + fmt::Display,
        V::Error: fmt::Display,
    {
        tiers
            .iter()
            .fold(
                CidrPlanBuilder::new(vpc, az_count),
                |builder, (name, prefix)| builder.tier(*name, *prefix),
            )
            .build()
    }

    /// The VPC block.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.1.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.vpc().to_string(), "10.1.0.0/16");
    /// ```
    pub fn vpc(&self) -> Ipv4Network {
        self.vpc
    }

    /// The layout used.
    ///
    /// ```
    /// use constructs::cidr::{CidrPlan, Layout};
    ///
    /// let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.layout(), Layout::Aligned);
    /// ```
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// How many AZs have subnets.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 3).unwrap();
    /// assert_eq!(plan.az_count(), 3);
    /// ```
    pub fn az_count(&self) -> u8 {
        self.az_count
    }

    /// The declared maximum AZ count each tier keeps room for.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 3).unwrap();
    /// assert_eq!(plan.max_azs(), 6);
    /// ```
    pub fn max_azs(&self) -> u8 {
        self.max_azs
    }

    /// The tiers, in the order asked for.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("a", 24), ("b", 24)], 2).unwrap();
    /// let names: Vec<&str> = plan.tiers().iter().map(|t| t.name()).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// ```
    pub fn tiers(&self) -> &[PlannedTier] {
        &self.tiers
    }

    /// The tier named `name`.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert!(plan.tier("public").is_some());
    /// assert!(plan.tier("private").is_none());
    /// ```
    pub fn tier(&self, name: &str) -> Option<&PlannedTier> {
        self.tiers.iter().find(|t| t.name == name)
    }

    /// The subnet of tier `tier` in AZ `az` (0-based).
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.subnet("public", 1).unwrap().cidr().to_string(), "10.0.1.0/24");
    /// assert!(plan.subnet("public", 2).is_none());
    /// ```
    pub fn subnet(&self, tier: &str, az: u8) -> Option<&PlannedSubnet> {
        self.tier(tier)?.subnets.get(usize::from(az))
    }

    /// Every subnet, tier by tier, AZ by AZ.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("a", 24), ("b", 24)], 3).unwrap();
    /// assert_eq!(plan.subnets().count(), 6);
    /// ```
    pub fn subnets(&self) -> impl Iterator<Item = &PlannedSubnet> {
        self.tiers.iter().flat_map(|t| t.subnets.iter())
    }

    /// The reserved blocks, as given.
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
    ///     .reserve("10.0.0.0/20".parse().unwrap())
    ///     .tier("public", 24)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(plan.reserved()[0].to_string(), "10.0.0.0/20");
    /// assert_eq!(plan.subnet("public", 0).unwrap().cidr().to_string(), "10.0.16.0/24");
    /// ```
    pub fn reserved(&self) -> &[Ipv4Network] {
        &self.reserved
    }

    /// The free space: the largest aligned CIDRs no tier block, subnet, pinned or reserved CIDR
    /// touches, in address order. Room a tier keeps for AZs up to the maximum is not free.
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// // Room for 2 AZs of /18: a /17.
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2).max_azs(2).tier("public", 18).build().unwrap();
    /// assert_eq!(plan.free()[0].to_string(), "10.0.128.0/17");
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2).max_azs(2).tier("public", 17).build().unwrap();
    /// assert!(plan.free().is_empty());
    /// ```
    pub fn free(&self) -> &[Ipv4Network] {
        &self.free
    }

    /// How many addresses [`free`](Self::free) holds.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 20)], 2).unwrap();
    /// // Room for 6 /20s is a /17; the other half is free.
    /// assert_eq!(plan.free_addresses(), 32768);
    /// ```
    pub fn free_addresses(&self) -> u32 {
        self.free_addresses
    }

    /// The first of the largest free CIDRs: the biggest tier block that still fits.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.largest_free().unwrap().to_string(), "10.0.128.0/17");
    /// ```
    pub fn largest_free(&self) -> Option<Ipv4Network> {
        self.free
            .iter()
            .fold(None, |best: Option<Ipv4Network>, f| match best {
                Some(b) if b.prefix() <= f.prefix() => Some(b),
                _ => Some(*f),
            })
    }
}

impl PlannedTier {
    /// The tier's name.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.tiers()[0].name(), "public");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The prefix length of the tier's subnets.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.tiers()[0].prefix(), 24);
    /// ```
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The tier's aggregate block (aligned layout): every unpinned subnet of the tier, for any
    /// AZ count up to the maximum, lies in it, so one NACL rule or route covers the tier. `None`
    /// in the decimal layout.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 3).unwrap();
    /// // Room for 6 AZs: 8 /24s, a /21.
    /// assert_eq!(plan.tiers()[0].block().unwrap().to_string(), "10.0.0.0/21");
    /// ```
    pub fn block(&self) -> Option<Ipv4Network> {
        self.block
    }

    /// The subnets, AZ 0 first.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("public", 24)], 2).unwrap();
    /// assert_eq!(plan.tiers()[0].subnets()[1].az(), 1);
    /// ```
    pub fn subnets(&self) -> &[PlannedSubnet] {
        &self.subnets
    }
}

impl PlannedSubnet {
    /// The name of the subnet's tier.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("app", 24)], 2).unwrap();
    /// assert_eq!(plan.subnets().next().unwrap().tier(), "app");
    /// ```
    pub fn tier(&self) -> &str {
        &self.tier
    }

    /// The AZ index, 0-based.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("app", 24)], 2).unwrap();
    /// assert_eq!(plan.subnets().last().unwrap().az(), 1);
    /// ```
    pub fn az(&self) -> u8 {
        self.az
    }

    /// The subnet's CIDR.
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("app", 24)], 2).unwrap();
    /// assert_eq!(plan.subnets().next().unwrap().cidr().to_string(), "10.0.0.0/24");
    /// ```
    pub fn cidr(&self) -> Ipv4Network {
        self.cidr
    }

    /// Addresses an instance can use: the size minus the 5 AWS keeps (network address, router,
    /// DNS, one for future use, broadcast).
    ///
    /// ```
    /// let plan = constructs::cidr::CidrPlan::new("10.0.0.0/16", &[("app", 28)], 2).unwrap();
    /// assert_eq!(plan.subnets().next().unwrap().usable(), 11);
    /// ```
    pub fn usable(&self) -> u32 {
        usable(self.cidr)
    }

    /// Whether the subnet was pinned with [`Tier::pin`](super::Tier::pin).
    ///
    /// ```
    /// use constructs::cidr::{CidrPlanBuilder, Tier};
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
    ///     .add_tier(Tier::new("app", 24).pin(0, "10.0.99.0/24".parse().unwrap()))
    ///     .build()
    ///     .unwrap();
    /// assert!(plan.subnet("app", 0).unwrap().is_pinned());
    /// assert!(!plan.subnet("app", 1).unwrap().is_pinned());
    /// ```
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }
}

/// 2^(32 - prefix) - 5, saturating at 0 (subnet prefixes are at most /28, so it never does).
fn usable(cidr: Ipv4Network) -> u32 {
    let size = 1u64 << (32 - u32::from(cidr.prefix().min(32)));
    u32::try_from(size).map_or(u32::MAX, |size| size.saturating_sub(AWS_RESERVED_ADDRESSES))
}

/// A table of subnets (tier, AZ, CIDR, usable addresses), then tier blocks, reserved blocks and
/// free space. The same plan always prints the same text.
///
/// ```
/// use constructs::cidr::CidrPlan;
///
/// let plan = CidrPlan::new("10.0.0.0/16", &[("public", 24), ("app", 22)], 2).unwrap();
/// assert_eq!(
///     plan.to_string(),
///     "\
/// VPC 10.0.0.0/16, aligned layout, 2 AZs (room for 6)
/// tier    AZ  CIDR          usable
/// public   0  10.0.0.0/24      251
/// public   1  10.0.1.0/24      251
/// app      0  10.0.32.0/22    1019
/// app      1  10.0.36.0/22    1019
/// tier blocks: public 10.0.0.0/21, app 10.0.32.0/19
/// free: 55296 addresses in 10.0.8.0/21, 10.0.16.0/20, 10.0.64.0/18, 10.0.128.0/17
/// "
/// );
/// ```
impl fmt::Display for CidrPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "VPC {}, {} layout, {} AZs (room for {})",
            self.vpc, self.layout, self.az_count, self.max_azs
        )?;
        let name_width = self
            .tiers
            .iter()
            .map(|t| t.name.chars().count())
            .chain(["tier".len()])
            .max()
            .unwrap_or(4);
        let cidr_width = self
            .subnets()
            .map(|s| s.cidr.to_string().len())
            .chain(["CIDR".len()])
            .max()
            .unwrap_or(4);
        writeln!(
            f,
            "{:name_width$}  AZ  {:cidr_width$}  usable",
            "tier", "CIDR"
        )?;
        for s in self.subnets() {
            let pinned = if s.pinned { "  pinned" } else { "" };
            writeln!(
                f,
                "{:name_width$}  {:>2}  {:cidr_width$}  {:>6}{pinned}",
                s.tier,
                s.az,
                s.cidr.to_string(),
                s.usable()
            )?;
        }
        let blocks: Vec<String> = self
            .tiers
            .iter()
            .filter_map(|t| t.block.map(|b| format!("{} {b}", t.name)))
            .collect();
        if !blocks.is_empty() {
            writeln!(f, "tier blocks: {}", blocks.join(", "))?;
        }
        if !self.reserved.is_empty() {
            writeln!(f, "reserved: {}", join(&self.reserved))?;
        }
        if self.free.is_empty() {
            writeln!(f, "free: none")
        } else {
            writeln!(
                f,
                "free: {} addresses in {}",
                self.free_addresses,
                join(&self.free)
            )
        }
    }
}

fn join(nets: &[Ipv4Network]) -> String {
    nets.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
