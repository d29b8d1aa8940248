//! [`CidrPlanBuilder`]: the options, checked all at once by [`CidrPlanBuilder::build`].

use std::{collections::HashSet, fmt};

use ipnetwork::Ipv4Network;

use super::{
    aligned,
    block::{free_blocks, total_size, Block},
    decimal,
    error::{CidrError, Claim, Remedy},
    layout::{Input, Layout},
    plan::{CidrPlan, PlannedSubnet, PlannedTier},
    tier::Tier,
    MAX_AZS, MAX_SUBNET_PREFIX, MAX_VPC_PREFIX, MIN_AZS, MIN_VPC_PREFIX,
};

/// The AZ maximum a builder declares unless told otherwise: the most this module allows.
pub const DEFAULT_MAX_AZS: u8 = MAX_AZS;

/// Options for a [`CidrPlan`]: the VPC block and AZ count (required), tiers in order, and
/// optionally a declared maximum AZ count, reserved blocks and the layout.
///
/// Nothing is checked until [`build`](Self::build), which reports every problem found as a
/// [`CidrError`]. The builder is `Clone`, so a grown plan can start from the same options.
///
/// ```
/// use constructs::cidr::{CidrPlanBuilder, Tier};
///
/// let base = CidrPlanBuilder::new("10.0.0.0/16", 2)
///     .max_azs(4)
///     .reserve("10.0.255.0/24".parse().unwrap())
///     .tier("public", 24)
///     .add_tier(Tier::new("app", 22));
/// let small = base.clone().build().unwrap();
/// let grown = base.az_count(4).tier("db", 24).build().unwrap();
/// // Growth moved nothing.
/// for subnet in small.subnets() {
///     assert_eq!(grown.subnet(subnet.tier(), subnet.az()), Some(subnet));
/// }
/// ```
#[derive(Clone, Debug)]
pub struct CidrPlanBuilder {
    vpc: Result<Ipv4Network, CidrError>,
    az_count: u8,
    max_azs: u8,
    tiers: Vec<Tier>,
    reserved: Vec<Ipv4Network>,
    layout: Layout,
}

impl CidrPlanBuilder {
    /// Starts a plan for `az_count` AZs in `vpc`: an [`Ipv4Network`] or a string such as
    /// `"10.0.0.0/16"` (a string that does not parse is reported by [`build`](Self::build)).
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// let from_str = CidrPlanBuilder::new("10.0.0.0/16", 3).tier("public", 24).build().unwrap();
    /// let vpc: ipnetwork::Ipv4Network = "10.0.0.0/16".parse().unwrap();
    /// let from_net = CidrPlanBuilder::new(vpc, 3).tier("public", 24).build().unwrap();
    /// assert_eq!(from_str, from_net);
    /// ```
    pub fn new<V>(vpc: V, az_count: u8) -> Self
    where
        V: TryInto<Ipv4Network> + fmt::Display,
        V::Error: fmt::Display,
    {
        let input = vpc.to_string();
        let vpc = vpc.try_into().map_err(|e| CidrError::UnparsableVpcBlock {
            input,
            reason: e.to_string(),
        });
        Self {
            vpc,
            az_count,
            max_azs: DEFAULT_MAX_AZS,
            tiers: Vec::new(),
            reserved: Vec::new(),
            layout: Layout::default(),
        }
    }

    /// Sets the AZ count (2–6, at most the declared maximum).
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2).az_count(3).tier("public", 24).build().unwrap();
    /// assert_eq!(plan.subnets().count(), 3);
    /// ```
    #[must_use]
    pub fn az_count(mut self, az_count: u8) -> Self {
        self.az_count = az_count;
        self
    }

    /// Declares the most AZs the VPC will ever use (2–6, default 6). Each tier keeps room for
    /// this many subnets, so AZs can be added up to it without moving anything; changing it later
    /// moves tiers. A lower maximum packs tighter.
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2).max_azs(2).tier("public", 24).build().unwrap();
    /// assert_eq!(plan.tiers()[0].block().unwrap().to_string(), "10.0.0.0/23");
    /// ```
    #[must_use]
    pub fn max_azs(mut self, max_azs: u8) -> Self {
        self.max_azs = max_azs;
        self
    }

    /// Appends a tier of `/prefix` subnets named `name`.
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2).tier("public", 24).tier("app", 20).build().unwrap();
    /// assert_eq!(plan.tiers().len(), 2);
    /// ```
    #[must_use]
    pub fn tier(self, name: impl Into<String>, prefix: u8) -> Self {
        self.add_tier(Tier::new(name, prefix))
    }

    /// Appends a tier built with [`Tier`] (to pin subnets).
    ///
    /// ```
    /// use constructs::cidr::{CidrPlanBuilder, Tier};
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
    ///     .add_tier(Tier::new("db", 24).pin(0, "10.0.100.0/24".parse().unwrap()))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(plan.subnet("db", 0).unwrap().cidr().to_string(), "10.0.100.0/24");
    /// ```
    #[must_use]
    pub fn add_tier(mut self, tier: Tier) -> Self {
        self.tiers.push(tier);
        self
    }

    /// Keeps `block` out of the plan (a peered network, a later VPN range). It must be a network
    /// address inside the VPC block and overlap no other reserved or pinned CIDR. Reserving a
    /// block in a plan's [free space](CidrPlan::free) moves nothing.
    ///
    /// ```
    /// use constructs::cidr::CidrPlanBuilder;
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
    ///     .reserve("10.0.0.0/24".parse().unwrap())
    ///     .tier("public", 24)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(plan.tiers()[0].block().unwrap().to_string(), "10.0.8.0/21");
    /// ```
    #[must_use]
    pub fn reserve(mut self, block: Ipv4Network) -> Self {
        self.reserved.push(block);
        self
    }

    /// Chooses the layout (default [`Layout::Aligned`]).
    ///
    /// ```
    /// use constructs::cidr::{CidrPlanBuilder, Layout};
    ///
    /// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2).tier("public", 24).layout(Layout::Decimal).build().unwrap();
    /// assert_eq!(plan.subnet("public", 0).unwrap().cidr().to_string(), "10.0.1.0/24");
    /// ```
    #[must_use]
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Checks the options and makes the plan.
    ///
    /// # Errors
    ///
    /// Every [`CidrError`] found, in two stages. First the inputs, each checked on its own and
    /// every problem reported: the VPC block, the AZ counts, the tiers (names, prefixes), and
    /// the pinned and reserved CIDRs (each alone, then pairwise for overlaps). Only when they
    /// are all valid is the layout tried. The decimal layout reports everything that keeps it
    /// from applying, and each claim in the way of one of its slots. The aligned layout
    /// reports the first tier that does not fit: later tiers are placed in what earlier ones
    /// leave, so their fit means nothing once one has failed.
    ///
    /// ```
    /// use constructs::{cidr::CidrPlanBuilder, Code, DomainError};
    ///
    /// let errors = CidrPlanBuilder::new("10.0.0.0/16", 3).max_azs(2).tier("a", 24).build().unwrap_err();
    /// assert_eq!(errors[0].code(), Code::AzCountOutOfRange);
    /// assert_eq!(errors[0].to_string(), "3 AZs asked for, but the declared maximum is 2 (hint: declare a maximum of at least 3 AZs)");
    ///
    /// // A bad prefix and a repeated tier name are both reported.
    /// let errors = CidrPlanBuilder::new("10.0.0.0/16", 3).tier("a", 29).tier("a", 24).build().unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::SubnetPrefixOutOfRange, Code::CidrOverlap]);
    /// ```
    pub fn build(&self) -> Result<CidrPlan, Vec<CidrError>> {
        self.plan(true)
    }

    /// [`build`](Self::build), looking for remedies when a tier does not fit only if
    /// `find_remedies` (a remedy is checked by planning again, without looking further).
    fn plan(&self, find_remedies: bool) -> Result<CidrPlan, Vec<CidrError>> {
        let mut problems = Vec::new();
        let vpc_net = match &self.vpc {
            Ok(vpc) => Some(*vpc),
            Err(e) => {
                problems.push(e.clone());
                None
            }
        };
        let vpc = vpc_net.and_then(|net| check_vpc(net).map_err(|e| problems.push(e)).ok());
        problems.extend(self.az_problems());
        problems.extend(self.tier_problems(vpc_net));
        // Claims are checked against the VPC block, so only a valid one.
        let claims = vpc.map(|vpc| self.claims(vpc, &mut problems));
        let (Some(vpc), Some(vpc_net), Some(claims), true) =
            (vpc, vpc_net, claims, problems.is_empty())
        else {
            return Err(problems);
        };
        let input = Input {
            vpc,
            tiers: &self.tiers,
            az_count: self.az_count,
            max_azs: self.max_azs,
            claims: &claims,
        };
        let placements = match self.layout {
            Layout::Aligned => aligned::place(&input).map_err(|mut e| {
                if let (true, CidrError::Exhausted { tier, remedies, .. }) = (find_remedies, &mut e)
                {
                    *remedies = self.remedies(vpc_net, tier);
                }
                vec![e]
            })?,
            Layout::Decimal => decimal::place(&input)?,
        };

        let mut taken: Vec<Block> = claims.iter().map(|(_, block)| *block).collect();
        taken.extend(placements.iter().flat_map(|p| p.held.iter().copied()));
        let free = free_blocks(vpc, &taken);
        let tiers = self
            .tiers
            .iter()
            .zip(placements)
            .map(|(tier, placement)| PlannedTier {
                name: tier.name.clone(),
                prefix: tier.prefix,
                block: placement.block.map(Block::to_network),
                subnets: (0u8..)
                    .zip(placement.subnets)
                    .map(|(az, (cidr, pinned))| PlannedSubnet {
                        tier: tier.name.clone(),
                        az,
                        cidr: cidr.to_network(),
                        pinned,
                    })
                    .collect(),
            })
            .collect();
        Ok(CidrPlan {
            vpc: vpc_net,
            layout: self.layout,
            az_count: self.az_count,
            max_azs: self.max_azs,
            tiers,
            reserved: self.reserved.clone(),
            free_addresses: u32::try_from(total_size(&free)).unwrap_or(u32::MAX),
            free: free.into_iter().map(Block::to_network).collect(),
        })
    }

    /// Every single change that makes this request plan when tier `tier` did not fit, each
    /// found by planning the changed request: the highest lower declared maximum, the smallest
    /// larger VPC block (same start, rounded down), and the shortest longer prefix for `tier`.
    fn remedies(&self, vpc: Ipv4Network, tier: &str) -> Vec<Remedy> {
        let plans = |builder: Self| builder.plan(false).is_ok();
        let mut remedies = Vec::new();
        let lower_max = (self.az_count.max(MIN_AZS)..self.max_azs)
            .rev()
            .find(|max_azs| plans(self.clone().max_azs(*max_azs)));
        remedies.extend(lower_max.map(Remedy::MaxAzs));
        let start = Block::of(vpc).start();
        let larger_vpc = (MIN_VPC_PREFIX..vpc.prefix())
            .rev()
            .filter_map(|prefix| Block::new(start, prefix))
            .map(|block| block.network().to_network())
            .find(|larger| {
                plans(Self {
                    vpc: Ok(*larger),
                    ..self.clone()
                })
            });
        remedies.extend(larger_vpc.map(Remedy::VpcBlock));
        if let Some(index) = self.tiers.iter().position(|t| t.name == tier) {
            let prefix = self.tiers[index].prefix;
            let longer = (prefix.saturating_add(1)..=MAX_SUBNET_PREFIX).find(|longer| {
                let mut changed = self.clone();
                changed.tiers[index].prefix = *longer;
                plans(changed)
            });
            remedies.extend(longer.map(|prefix| Remedy::TierPrefix {
                tier: tier.to_string(),
                prefix,
            }));
        }
        remedies
    }

    /// The AZ count and the declared maximum out of range, or the count above a valid maximum.
    fn az_problems(&self) -> Vec<CidrError> {
        let allowed = MIN_AZS..=MAX_AZS;
        let mut problems = Vec::new();
        if !allowed.contains(&self.az_count) {
            problems.push(CidrError::AzCountOutOfRange {
                az_count: self.az_count,
            });
        }
        if !allowed.contains(&self.max_azs) {
            problems.push(CidrError::MaxAzsOutOfRange {
                max_azs: self.max_azs,
            });
        }
        // Comparing with a count or maximum already out of range would say the same twice.
        if problems.is_empty() && self.az_count > self.max_azs {
            problems.push(CidrError::AzCountAboveMax {
                az_count: self.az_count,
                max_azs: self.max_azs,
            });
        }
        problems
    }

    /// Every repeated tier name and, when the VPC block parsed, every prefix out of range.
    fn tier_problems(&self, vpc: Option<Ipv4Network>) -> Vec<CidrError> {
        let mut problems = Vec::new();
        let mut names = HashSet::new();
        for tier in &self.tiers {
            if !names.insert(tier.name.as_str()) {
                problems.push(CidrError::DuplicateTier {
                    tier: tier.name.clone(),
                });
            }
            if let Some(vpc) = vpc {
                if tier.prefix <= vpc.prefix() || tier.prefix > MAX_SUBNET_PREFIX {
                    problems.push(CidrError::SubnetPrefixOutOfRange {
                        tier: tier.name.clone(),
                        prefix: tier.prefix,
                        vpc,
                    });
                }
            }
        }
        problems
    }

    /// Reserved then pinned CIDRs, each checked alone, then pairwise for overlaps; every
    /// problem goes to `problems`.
    fn claims(&self, vpc: Block, problems: &mut Vec<CidrError>) -> Vec<(Claim, Block)> {
        let mut claims = Vec::new();
        for reserved in &self.reserved {
            claims.push((Claim::Reserved(*reserved), Block::of(*reserved)));
        }
        for tier in &self.tiers {
            for (az, cidr) in &tier.pins {
                if *az >= self.max_azs {
                    problems.push(CidrError::PinnedAzOutOfRange {
                        tier: tier.name.clone(),
                        az: *az,
                        max_azs: self.max_azs,
                    });
                }
                if cidr.prefix() != tier.prefix {
                    problems.push(CidrError::PinPrefixMismatch {
                        tier: tier.name.clone(),
                        az: *az,
                        cidr: *cidr,
                        prefix: tier.prefix,
                    });
                }
                let claim = Claim::Pinned {
                    tier: tier.name.clone(),
                    az: *az,
                    cidr: *cidr,
                };
                claims.push((claim, Block::of(*cidr)));
            }
        }
        for (claim, block) in &claims {
            if !block.is_aligned() {
                problems.push(CidrError::NotNetworkAddress {
                    claim: claim.clone(),
                });
            }
            if !vpc.contains(*block) {
                problems.push(CidrError::OutsideVpc {
                    claim: claim.clone(),
                    vpc: vpc.to_network(),
                });
            }
        }
        for (i, (second, block)) in claims.iter().enumerate() {
            if let Some((first, _)) = claims[..i].iter().find(|(_, b)| b.overlaps(*block)) {
                problems.push(CidrError::Overlap {
                    first: first.clone(),
                    second: second.clone(),
                });
            }
        }
        claims
    }
}

/// The VPC block's prefix, then its host bits: one value, one problem (the hint of the first
/// already gives a valid block).
fn check_vpc(vpc: Ipv4Network) -> Result<Block, CidrError> {
    if !(MIN_VPC_PREFIX..=MAX_VPC_PREFIX).contains(&vpc.prefix()) {
        return Err(CidrError::VpcPrefixOutOfRange { vpc });
    }
    let block = Block::of(vpc);
    if !block.is_aligned() {
        return Err(CidrError::VpcNotNetworkAddress { vpc });
    }
    Ok(block)
}
