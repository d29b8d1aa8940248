//! Property tests for the CIDR planner (`constructs::cidr`): every plan is sound (no overlaps,
//! inside the VPC, aligned, clear of reserved blocks), growth moves nothing, planning is
//! deterministic, every change an exhausted plan's hint suggests does plan, and no input makes
//! it panic.
//!
//! Case counts are set per test so the whole file runs in well under 5 s.

use std::net::Ipv4Addr;

use constructs::cidr::{CidrError, CidrPlan, CidrPlanBuilder, Ipv4Network, Layout, Remedy, Tier};
use constructs::{Code, DomainError};
use proptest::prelude::*;

/// A half-open address range, in u64 so a /0 needs no care.
fn range(net: Ipv4Network) -> (u64, u64) {
    let start = u64::from(u32::from(net.ip()));
    (start, start + (1u64 << (32 - u32::from(net.prefix()))))
}

fn overlaps(a: Ipv4Network, b: Ipv4Network) -> bool {
    let ((a0, a1), (b0, b1)) = (range(a), range(b));
    a0 < b1 && b0 < a1
}

fn inside(outer: Ipv4Network, inner: Ipv4Network) -> bool {
    let ((o0, o1), (i0, i1)) = (range(outer), range(inner));
    o0 <= i0 && i1 <= o1
}

fn aligned(net: Ipv4Network) -> bool {
    net.ip() == net.network()
}

/// The `/prefix` block at `index` (wrapped to fit) inside `outer`.
fn sub_block(outer: Ipv4Network, prefix: u8, index: u32) -> Ipv4Network {
    let count = 1u32 << (prefix - outer.prefix());
    let offset = (index % count) << (32 - u32::from(prefix));
    Ipv4Network::new(Ipv4Addr::from(u32::from(outer.ip()) + offset), prefix).unwrap()
}

/// The private ranges VPCs are usually cut from.
const PRIVATE: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/// A valid request, as data, so it can be grown and rebuilt.
#[derive(Clone, Debug)]
struct Request {
    vpc: Ipv4Network,
    tiers: Vec<u8>,
    az_count: u8,
    max_azs: u8,
    reserved: Vec<Ipv4Network>,
    /// (tier index, AZ index, CIDR).
    pins: Vec<(usize, u8, Ipv4Network)>,
    layout: Layout,
}

impl Request {
    /// Reserved and pinned CIDRs: nothing the planner places may overlap them.
    fn claims(&self) -> Vec<Ipv4Network> {
        let pins = self.pins.iter().map(|(_, _, cidr)| *cidr);
        self.reserved.iter().copied().chain(pins).collect()
    }

    fn is_pinned(&self, tier: usize, az: u8) -> bool {
        self.pins.iter().any(|(t, a, _)| (*t, *a) == (tier, az))
    }

    fn builder(&self) -> CidrPlanBuilder {
        let mut builder = CidrPlanBuilder::new(self.vpc, self.az_count)
            .max_azs(self.max_azs)
            .layout(self.layout);
        for (i, prefix) in self.tiers.iter().enumerate() {
            let mut tier = Tier::new(format!("tier{i}"), *prefix);
            for (_, az, cidr) in self.pins.iter().filter(|(t, _, _)| *t == i) {
                tier = tier.pin(*az, *cidr);
            }
            builder = builder.add_tier(tier);
        }
        for block in &self.reserved {
            builder = builder.reserve(*block);
        }
        builder
    }
}

/// VPC /16–/27 (every block AWS allows that has room for a /28 in two AZs) at an aligned
/// address in a private range.
fn vpc() -> impl Strategy<Value = Ipv4Network> {
    (0..PRIVATE.len(), 16u8..=27, any::<u32>()).prop_map(|(range, prefix, index)| {
        let outer: Ipv4Network = PRIVATE[range].parse().unwrap();
        sub_block(outer, prefix, index)
    })
}

/// (az_count, max_azs) with 2 <= count <= max <= 6.
fn azs() -> impl Strategy<Value = (u8, u8)> {
    (2u8..=6).prop_flat_map(|max| (2u8..=max, Just(max)))
}

/// A prefix strictly inside the VPC's and at most /28, from a raw byte. Half the time it is at
/// least 4 bits longer than the VPC's, so that most plans fit and growth gets tested.
fn subnet_prefix(vpc: Ipv4Network, raw: u8) -> u8 {
    let shortest = if raw & 0x80 == 0 { 1 } else { 4 };
    let shortest = (vpc.prefix() + shortest).min(28);
    shortest + (raw & 0x7f) % (29 - shortest)
}

/// Random valid requests for the aligned layout: 1–6 tiers, 0–2 reserved blocks and 0–1 pinned
/// subnet, all disjoint.
fn aligned_request() -> impl Strategy<Value = Request> {
    (
        vpc(),
        prop::collection::vec(any::<u8>(), 1..=6),
        azs(),
        prop::collection::vec((any::<u8>(), any::<u32>()), 0..=2),
        prop::option::of((any::<usize>(), any::<u8>(), any::<u32>())),
    )
        .prop_map(
            |(vpc, raw_tiers, (az_count, max_azs), raw_reserved, raw_pin)| {
                let tiers: Vec<u8> = raw_tiers.iter().map(|r| subnet_prefix(vpc, *r)).collect();
                let mut reserved: Vec<Ipv4Network> = Vec::new();
                for (raw, index) in raw_reserved {
                    let block = sub_block(vpc, subnet_prefix(vpc, raw), index);
                    if !reserved.iter().any(|r| overlaps(*r, block)) {
                        reserved.push(block);
                    }
                }
                let mut pins = Vec::new();
                if let Some((tier, az, index)) = raw_pin {
                    let tier = tier % tiers.len();
                    let cidr = sub_block(vpc, tiers[tier], index);
                    if !reserved.iter().any(|r| overlaps(*r, cidr)) {
                        pins.push((tier, az % max_azs, cidr));
                    }
                }
                Request {
                    vpc,
                    tiers,
                    az_count,
                    max_azs,
                    reserved,
                    pins,
                    layout: Layout::Aligned,
                }
            },
        )
}

/// Random valid requests for the decimal layout: a /16, 1–25 tiers of /24.
fn decimal_request() -> impl Strategy<Value = Request> {
    (vpc(), 1usize..=25, azs(), prop::option::of(any::<u32>())).prop_map(
        |(vpc, tiers, (az_count, max_azs), reserved)| {
            let vpc = Ipv4Network::new(vpc.ip(), 16).unwrap();
            let vpc = Ipv4Network::new(vpc.network(), 16).unwrap();
            Request {
                vpc,
                tiers: vec![24; tiers],
                az_count,
                max_azs,
                reserved: reserved
                    .map(|i| sub_block(vpc, 24, i))
                    .into_iter()
                    .collect(),
                pins: Vec::new(),
                layout: Layout::Decimal,
            }
        },
    )
}

/// Every property a successful plan must have.
fn assert_sound(request: &Request, plan: &CidrPlan) -> Result<(), TestCaseError> {
    let subnets: Vec<_> = plan.subnets().collect();
    prop_assert_eq!(
        subnets.len(),
        request.tiers.len() * usize::from(request.az_count)
    );
    for (t, (tier, prefix)) in plan.tiers().iter().zip(&request.tiers).enumerate() {
        prop_assert_eq!(tier.prefix(), *prefix);
        for (az, subnet) in tier.subnets().iter().enumerate() {
            prop_assert_eq!(usize::from(subnet.az()), az);
            prop_assert_eq!(subnet.is_pinned(), request.is_pinned(t, subnet.az()));
            prop_assert_eq!(subnet.cidr().prefix(), *prefix);
            prop_assert_eq!(subnet.usable(), (1u32 << (32 - u32::from(*prefix))) - 5);
            if let (Some(block), false) = (tier.block(), subnet.is_pinned()) {
                prop_assert!(inside(block, subnet.cidr()));
            }
        }
    }
    let claims = request.claims();
    for (i, a) in subnets.iter().enumerate() {
        prop_assert!(
            inside(request.vpc, a.cidr()),
            "{} outside the VPC",
            a.cidr()
        );
        prop_assert!(aligned(a.cidr()), "{} not aligned", a.cidr());
        for b in &subnets[..i] {
            prop_assert!(
                !overlaps(a.cidr(), b.cidr()),
                "{} overlaps {}",
                a.cidr(),
                b.cidr()
            );
        }
        for r in &request.reserved {
            prop_assert!(
                !overlaps(a.cidr(), *r),
                "{} overlaps reserved {}",
                a.cidr(),
                r
            );
        }
        if !a.is_pinned() {
            for c in &claims {
                prop_assert!(
                    !overlaps(a.cidr(), *c),
                    "{} overlaps claimed {}",
                    a.cidr(),
                    c
                );
            }
        }
    }
    let blocks: Vec<Ipv4Network> = plan.tiers().iter().filter_map(|t| t.block()).collect();
    for (i, a) in blocks.iter().enumerate() {
        prop_assert!(inside(request.vpc, *a) && aligned(*a));
        prop_assert!(blocks[..i].iter().all(|b| !overlaps(*a, *b)));
        prop_assert!(claims.iter().all(|c| !overlaps(*a, *c)));
    }
    let mut total = 0u64;
    for (i, free) in plan.free().iter().enumerate() {
        prop_assert!(inside(request.vpc, *free) && aligned(*free));
        prop_assert!(plan.free()[..i]
            .iter()
            .all(|f| range(*f).1 <= range(*free).0));
        prop_assert!(subnets.iter().all(|s| !overlaps(*free, s.cidr())));
        prop_assert!(blocks.iter().all(|b| !overlaps(*free, *b)));
        prop_assert!(claims.iter().all(|c| !overlaps(*free, *c)));
        total += range(*free).1 - range(*free).0;
    }
    prop_assert_eq!(u64::from(plan.free_addresses()), total);
    Ok(())
}

/// Every subnet of `before` is in `after`, unchanged.
fn assert_unmoved(before: &CidrPlan, after: &CidrPlan) -> Result<(), TestCaseError> {
    for subnet in before.subnets() {
        prop_assert_eq!(after.subnet(subnet.tier(), subnet.az()), Some(subnet));
    }
    for tier in before.tiers() {
        prop_assert_eq!(
            after.tier(tier.name()).and_then(|t| t.block()),
            tier.block()
        );
    }
    Ok(())
}

/// Growth by AZs up to the maximum must succeed and move nothing; an appended tier, when it
/// fits, moves nothing; a block reserved in the free space moves nothing.
fn assert_growth_stable(
    request: &Request,
    plan: &CidrPlan,
    new_tier: u8,
    reserve_at: u32,
) -> Result<(), TestCaseError> {
    for az_count in request.az_count + 1..=request.max_azs {
        let grown = Request {
            az_count,
            ..request.clone()
        };
        let grown_plan = grown.builder().build();
        prop_assert!(
            grown_plan.is_ok(),
            "{az_count} AZs failed: {:?}",
            grown_plan
        );
        if let Ok(grown_plan) = grown_plan {
            assert_unmoved(plan, &grown_plan)?;
        }
    }

    let mut appended = request.clone();
    let new_prefix = if request.layout == Layout::Decimal {
        24
    } else {
        subnet_prefix(request.vpc, new_tier)
    };
    appended.tiers.push(new_prefix);
    match appended.builder().build() {
        Ok(appended_plan) => {
            assert_sound(&appended, &appended_plan)?;
            assert_unmoved(plan, &appended_plan)?;
        }
        Err(errors) => {
            // An aligned tier block fits whenever the largest free block can hold it.
            let bits = (u32::from(request.max_azs) - 1).ilog2() as u8 + 1;
            let fits = plan
                .largest_free()
                .is_some_and(|free| new_prefix.checked_sub(bits) >= Some(free.prefix()));
            prop_assert!(
                request.layout == Layout::Decimal || !fits,
                "appending a /{} tier failed: {:?}",
                new_prefix,
                errors
            );
        }
    }

    if let Some(free) = plan.free().first() {
        let prefix = (free.prefix() + (new_tier % 4)).min(28);
        let mut reserved = request.clone();
        reserved.reserved.push(sub_block(*free, prefix, reserve_at));
        let reserved_plan = reserved.builder().build();
        prop_assert!(
            reserved_plan.is_ok(),
            "reserving free space failed: {:?}",
            reserved_plan
        );
        if let Ok(reserved_plan) = reserved_plan {
            assert_sound(&reserved, &reserved_plan)?;
            assert_unmoved(plan, &reserved_plan)?;
        }
    }
    Ok(())
}

/// `cases` cases, and no regression files written into the source tree: a failure prints its
/// minimal input, which belongs in a unit test.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const CIDR_CODES: [Code; 5] = [
    Code::InvalidVpcBlock,
    Code::SubnetPrefixOutOfRange,
    Code::AzCountOutOfRange,
    Code::CidrExhausted,
    Code::CidrOverlap,
];

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn aligned_plans_are_sound_and_stable(
        request in aligned_request(),
        new_tier in any::<u8>(),
        reserve_at in any::<u32>(),
    ) {
        match request.builder().build() {
            Ok(plan) => {
                assert_sound(&request, &plan)?;
                assert_growth_stable(&request, &plan, new_tier, reserve_at)?;
            }
            // Claims are valid and disjoint, so valid input fails only when the space runs out,
            // with one error that names the tier and what is free.
            Err(errors) => {
                prop_assert_eq!(errors.len(), 1, "{:?}", errors);
                let e = &errors[0];
                prop_assert_eq!(e.code(), Code::CidrExhausted, "{}", e);
                prop_assert!(e.message().starts_with("tier `tier"), "{}", e);
                prop_assert!(e.message().contains("free"), "{}", e);
                prop_assert!(e.hint().is_some());
            }
        }
    }
}

impl Request {
    /// The request with one remedy applied.
    fn remedied(&self, remedy: &Remedy) -> Request {
        let mut changed = self.clone();
        match remedy {
            Remedy::MaxAzs(max_azs) => changed.max_azs = *max_azs,
            Remedy::VpcBlock(vpc) => changed.vpc = *vpc,
            Remedy::TierPrefix { tier, prefix } => {
                let index: usize = tier.trim_start_matches("tier").parse().unwrap();
                changed.tiers[index] = *prefix;
            }
            other => panic!("a remedy this test does not know: {other:?}"),
        }
        changed
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// The hint of a plan that ran out of space names only changes that work: each one,
    /// applied alone, plans (and soundly). Before, the hint was a lower maximum that fitted the
    /// failing tier in the space left at that point, and about two thirds of them failed again.
    #[test]
    fn every_suggested_change_plans(request in aligned_request()) {
        let Err(errors) = request.builder().build() else { return Ok(()) };
        let CidrError::Exhausted { remedies, tier, .. } = &errors[0] else {
            return Err(TestCaseError::fail(format!("{errors:?}")));
        };
        for remedy in remedies {
            let changed = request.remedied(remedy);
            match changed.builder().build() {
                Ok(plan) => assert_sound(&changed, &plan)?,
                Err(e) => prop_assert!(false, "{remedy} for `{tier}` does not plan: {e:?}"),
            }
            if let Remedy::MaxAzs(max_azs) = remedy {
                prop_assert!(*max_azs >= request.az_count && *max_azs < request.max_azs);
            }
            if let Remedy::VpcBlock(vpc) = remedy {
                prop_assert!(vpc.prefix() >= 16 && inside(*vpc, request.vpc));
            }
        }
        // The hint always says something to do.
        prop_assert!(!errors[0].hint().unwrap_or_default().is_empty());
    }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn decimal_plans_are_sound_and_stable(request in decimal_request(), reserve_at in any::<u32>()) {
        match request.builder().build() {
            Ok(plan) => {
                assert_sound(&request, &plan)?;
                for (t, tier) in plan.tiers().iter().enumerate() {
                    for subnet in tier.subnets() {
                        let octet = (u32::from(subnet.cidr().ip()) >> 8) & 0xff;
                        prop_assert_eq!(octet as usize, 10 * t + 1 + usize::from(subnet.az()));
                    }
                }
                assert_growth_stable(&request, &plan, 0, reserve_at)?;
            }
            // Only the random reserved /24 can be in the way.
            Err(errors) => {
                prop_assert_eq!(errors.len(), 1, "{:?}", errors);
                prop_assert_eq!(errors[0].code(), Code::CidrOverlap);
                prop_assert_eq!(request.reserved.len(), 1);
            }
        }
    }

    #[test]
    fn planning_is_deterministic(request in aligned_request()) {
        let (a, b) = (request.builder().build(), request.builder().build());
        prop_assert_eq!(&a, &b);
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert_eq!(a.to_string(), b.to_string());
        }
    }
}

/// Any VPC string: half valid (so later checks run), then any address and prefix, and junk.
fn any_vpc() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => vpc().prop_map(|vpc| vpc.to_string()),
        2 => (any::<u32>(), 0u8..=40).prop_map(|(a, p)| format!("{}/{p}", Ipv4Addr::from(a))),
        1 => "[0-9./a-f:]{0,20}",
    ]
}

/// A pinned or reserved CIDR from raw parts: any address and prefix, or aligned, or aligned
/// inside the VPC (when it parses), so every check gets reached.
#[derive(Clone, Debug)]
struct RawCidr {
    addr: u32,
    prefix: u8,
    mode: u8,
}

impl RawCidr {
    fn place(&self, vpc: Option<Ipv4Network>) -> Option<Ipv4Network> {
        let addr = match (self.mode, vpc) {
            (0, _) => self.addr,
            (2.., Some(vpc)) => {
                let span = 1u64 << (32 - u32::from(vpc.prefix()));
                let offset = u32::try_from(u64::from(self.addr) % span).ok()?;
                u32::from(vpc.network()).wrapping_add(offset)
            }
            _ => self.addr,
        };
        let net = Ipv4Network::new(Ipv4Addr::from(addr), self.prefix).ok()?;
        if self.mode == 0 {
            Some(net)
        } else {
            Ipv4Network::new(net.network(), self.prefix).ok()
        }
    }
}

fn any_cidr() -> impl Strategy<Value = RawCidr> {
    (
        any::<u32>(),
        prop_oneof![3 => 16u8..=28, 1 => 0u8..=40],
        0u8..=3,
    )
        .prop_map(|(addr, prefix, mode)| RawCidr { addr, prefix, mode })
}

/// Any AZ count, mostly valid.
fn any_azs() -> impl Strategy<Value = u8> {
    prop_oneof![3 => 2u8..=6, 1 => 0u8..=10]
}

proptest! {
    #![proptest_config(config(800))]

    /// Anything at all: addresses, prefixes, counts, pins and layouts out of every range.
    #[test]
    fn errors_never_panic(
        vpc in any_vpc(),
        az_count in any_azs(),
        max_azs in prop_oneof![3 => Just(6u8), 1 => any_azs()],
        tiers in prop::collection::vec(
            (
                prop_oneof![6 => 25u8..=28, 1 => 0u8..=40],
                prop::option::of((0u8..=10, any_cidr())),
            ),
            0..=6,
        ),
        reserved in prop::collection::vec(any_cidr(), 0..=3),
        decimal in any::<bool>(),
    ) {
        let parsed: Option<Ipv4Network> = vpc.parse().ok();
        let mut builder = CidrPlanBuilder::new(vpc.as_str(), az_count)
            .max_azs(max_azs)
            .layout(if decimal { Layout::Decimal } else { Layout::Aligned });
        for (i, (prefix, pin)) in tiers.into_iter().enumerate() {
            let mut tier = Tier::new(format!("t{}", i % 5), prefix);
            if let Some((az, raw)) = pin {
                if let Some(cidr) = raw.place(parsed) {
                    tier = tier.pin(az, cidr);
                }
            }
            builder = builder.add_tier(tier);
        }
        for raw in reserved {
            if let Some(block) = raw.place(parsed) {
                builder = builder.reserve(block);
            }
        }
        match builder.build() {
            Ok(plan) => prop_assert!(!plan.to_string().is_empty()),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(CIDR_CODES.contains(&e.code()));
                    prop_assert!(!e.message().is_empty());
                    prop_assert!(!e.to_string().is_empty());
                }
            }
        }
        let _ = CidrPlan::new(vpc.as_str(), &[("a", az_count)], max_azs).map(|p| p.to_string());
    }
}
