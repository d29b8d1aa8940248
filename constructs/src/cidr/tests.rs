//! Unit tests: both layouts, and every error's code and message.

use ipnetwork::Ipv4Network;

use super::*;
use crate::diagnostics::{Code, DomainError};

fn net(s: &str) -> Ipv4Network {
    s.parse().unwrap()
}

fn cidrs(plan: &CidrPlan) -> Vec<String> {
    plan.subnets().map(|s| s.cidr().to_string()).collect()
}

const THREE_TIERS: [(&str, u8); 3] = [("public", 24), ("app", 24), ("db", 24)];

/// The one problem `builder` has.
fn err(builder: CidrPlanBuilder) -> CidrError {
    let mut errors = builder.build().unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.remove(0)
}

fn three_tiers(az_count: u8) -> CidrPlanBuilder {
    CidrPlanBuilder::new("10.0.0.0/16", az_count)
        .tier("public", 24)
        .tier("app", 24)
        .tier("db", 24)
}

#[test]
fn aligned_three_tiers_three_azs() {
    let plan = CidrPlan::new("10.0.0.0/16", &THREE_TIERS, 3).unwrap();
    assert_eq!(
        cidrs(&plan),
        [
            "10.0.0.0/24",
            "10.0.1.0/24",
            "10.0.2.0/24",
            "10.0.8.0/24",
            "10.0.9.0/24",
            "10.0.10.0/24",
            "10.0.16.0/24",
            "10.0.17.0/24",
            "10.0.18.0/24",
        ]
    );
    let blocks: Vec<String> = plan
        .tiers()
        .iter()
        .map(|t| t.block().unwrap().to_string())
        .collect();
    assert_eq!(blocks, ["10.0.0.0/21", "10.0.8.0/21", "10.0.16.0/21"]);
    assert_eq!(plan.free_addresses(), 65536 - 3 * 2048);
    assert!(plan.subnets().all(|s| s.usable() == 251));
}

#[test]
fn aligned_mixed_sizes_fill_gaps_first_fit() {
    // /26 with room for 4 AZs takes a /24; the /20 tier with room for 4 takes a /18.
    let plan = CidrPlanBuilder::new("172.16.0.0/16", 4)
        .max_azs(4)
        .tier("public", 26)
        .tier("app", 20)
        .tier("db", 26)
        .build()
        .unwrap();
    let blocks: Vec<String> = plan
        .tiers()
        .iter()
        .map(|t| t.block().unwrap().to_string())
        .collect();
    assert_eq!(blocks, ["172.16.0.0/24", "172.16.64.0/18", "172.16.1.0/24"]);
    assert_eq!(
        plan.subnet("app", 3).unwrap().cidr(),
        net("172.16.112.0/20")
    );
    assert_eq!(plan.subnet("db", 3).unwrap().cidr(), net("172.16.1.192/26"));
    assert_eq!(plan.subnet("db", 3).unwrap().usable(), 59);
}

#[test]
fn aligned_growth_moves_nothing() {
    let small = three_tiers(2).build().unwrap();
    let grown = three_tiers(6).tier("spare", 22).build().unwrap();
    for subnet in small.subnets() {
        assert_eq!(grown.subnet(subnet.tier(), subnet.az()), Some(subnet));
    }
}

#[test]
fn aligned_skips_reserved_and_pinned() {
    let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
        .max_azs(2)
        .reserve(net("10.0.0.0/24"))
        .tier("public", 24)
        .add_tier(Tier::new("app", 24).pin(1, net("10.0.2.0/24")))
        .tier("db", 24)
        .build()
        .unwrap();
    assert_eq!(
        cidrs(&plan),
        [
            "10.0.4.0/24",
            "10.0.5.0/24",
            "10.0.6.0/24",
            "10.0.2.0/24",
            "10.0.8.0/24",
            "10.0.9.0/24",
        ]
    );
    assert!(plan.subnet("app", 1).unwrap().is_pinned());
    assert_eq!(plan.tier("app").unwrap().block(), Some(net("10.0.6.0/23")));
    assert_eq!(plan.reserved(), [net("10.0.0.0/24")]);
    assert_eq!(plan.free()[..2], [net("10.0.1.0/24"), net("10.0.3.0/24")]);
}

#[test]
fn pin_for_a_later_az_holds_its_space() {
    let plan = CidrPlanBuilder::new("10.0.0.0/24", 2)
        .max_azs(3)
        .add_tier(Tier::new("public", 27).pin(2, net("10.0.0.0/27")))
        .build()
        .unwrap();
    assert_eq!(cidrs(&plan), ["10.0.0.128/27", "10.0.0.160/27"]);
    assert_eq!(plan.free(), [net("10.0.0.32/27"), net("10.0.0.64/26")]);
}

#[test]
fn decimal_classic_layout() {
    let plan = three_tiers(3).layout(Layout::Decimal).build().unwrap();
    assert_eq!(
        cidrs(&plan),
        [
            "10.0.1.0/24",
            "10.0.2.0/24",
            "10.0.3.0/24",
            "10.0.11.0/24",
            "10.0.12.0/24",
            "10.0.13.0/24",
            "10.0.21.0/24",
            "10.0.22.0/24",
            "10.0.23.0/24",
        ]
    );
    assert!(plan.tiers().iter().all(|t| t.block().is_none()));
    // Slots for AZs up to the maximum (6) are held: 18 /24s.
    assert_eq!(plan.free_addresses(), 65536 - 18 * 256);
    assert_eq!(plan.free()[0], net("10.0.0.0/24"));
}

#[test]
fn decimal_growth_moves_nothing() {
    let small = three_tiers(2).layout(Layout::Decimal).build().unwrap();
    let grown = three_tiers(6)
        .tier("mgmt", 24)
        .layout(Layout::Decimal)
        .build()
        .unwrap();
    for subnet in small.subnets() {
        assert_eq!(grown.subnet(subnet.tier(), subnet.az()), Some(subnet));
    }
    assert_eq!(grown.subnet("mgmt", 5).unwrap().cidr(), net("10.0.36.0/24"));
}

#[test]
fn decimal_fits_twenty_five_tiers() {
    let tiers: Vec<String> = (0..25).map(|t| format!("t{t}")).collect();
    let builder = tiers
        .iter()
        .fold(CidrPlanBuilder::new("10.9.0.0/16", 6), |b, t| b.tier(t, 24))
        .layout(Layout::Decimal);
    let plan = builder.clone().build().unwrap();
    assert_eq!(plan.subnet("t24", 5).unwrap().cidr(), net("10.9.246.0/24"));

    let e = err(builder.tier("t25", 24));
    assert_eq!(e.code(), Code::CidrExhausted);
    assert_eq!(
        e.message(),
        "the decimal layout has room for 25 tiers; 26 are asked for"
    );
}

#[test]
fn decimal_needs_slash16_and_slash24() {
    let e = err(CidrPlanBuilder::new("10.0.0.0/17", 2)
        .tier("public", 24)
        .layout(Layout::Decimal));
    assert_eq!(e.code(), Code::InvalidVpcBlock);
    assert!(e
        .message()
        .contains("needs a /16 VPC block; 10.0.0.0/17 is a /17"));
    assert!(e.hint().unwrap().contains("aligned layout"));

    let e = err(three_tiers(2).tier("big", 20).layout(Layout::Decimal));
    assert_eq!(e.code(), Code::SubnetPrefixOutOfRange);
    assert!(e.message().contains("tier `big` asks for /20"));
}

#[test]
fn decimal_reports_claims_over_its_slots() {
    let e = err(three_tiers(2)
        .reserve(net("10.0.0.0/22"))
        .layout(Layout::Decimal));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert_eq!(
        e.message(),
        "the layout's subnet 10.0.1.0/24 (tier `public`, AZ 0) overlaps reserved 10.0.0.0/22"
    );
    // A pin may sit on its own slot, and frees nothing else.
    let plan = three_tiers(2)
        .add_tier(Tier::new("x", 24).pin(0, net("10.0.31.0/24")))
        .layout(Layout::Decimal)
        .build()
        .unwrap();
    assert!(plan.subnet("x", 0).unwrap().is_pinned());
}

#[test]
fn invalid_vpc_blocks() {
    let e = err(CidrPlanBuilder::new("10.0.0.0/33", 2));
    assert_eq!(e.code(), Code::InvalidVpcBlock);
    assert!(e
        .message()
        .starts_with("VPC block `10.0.0.0/33` is not an IPv4 CIDR"));

    let e = err(CidrPlanBuilder::new("10.0.0.0/8", 2));
    assert_eq!(e.code(), Code::InvalidVpcBlock);
    assert_eq!(
        e.to_string(),
        "VPC block 10.0.0.0/8 is a /8; AWS allows /16 to /28 (hint: use 10.0.0.0/16)"
    );

    let e = err(CidrPlanBuilder::new("192.168.1.0/29", 2));
    assert_eq!(e.code(), Code::InvalidVpcBlock);
    assert_eq!(e.hint().as_deref(), Some("use 192.168.1.0/28"));

    let e = err(CidrPlanBuilder::new("10.0.0.1/16", 2));
    assert_eq!(e.code(), Code::InvalidVpcBlock);
    assert_eq!(
        e.to_string(),
        "VPC block 10.0.0.1/16 is not a network address: 10.0.0.1 has host bits set for a /16 \
         (hint: use 10.0.0.0/16)"
    );
}

#[test]
fn az_counts_out_of_range() {
    for (count, max) in [(1, 6), (7, 6), (0, 6)] {
        let e = err(CidrPlanBuilder::new("10.0.0.0/16", count).max_azs(max));
        assert_eq!(e.code(), Code::AzCountOutOfRange);
        assert_eq!(
            e.message(),
            format!("{count} AZs asked for; the count must be 2 to 6")
        );
    }
    for max in [1, 7] {
        let e = err(CidrPlanBuilder::new("10.0.0.0/16", 2).max_azs(max));
        assert_eq!(e.code(), Code::AzCountOutOfRange);
        assert_eq!(
            e.message(),
            format!("maximum AZ count {max} declared; it must be 2 to 6")
        );
    }
    let e = err(CidrPlanBuilder::new("10.0.0.0/16", 4).max_azs(3));
    assert_eq!(e.code(), Code::AzCountOutOfRange);
    assert_eq!(
        e.message(),
        "4 AZs asked for, but the declared maximum is 3"
    );

    let e = err(CidrPlanBuilder::new("10.0.0.0/16", 2)
        .max_azs(3)
        .add_tier(Tier::new("db", 24).pin(3, net("10.0.9.0/24"))));
    assert_eq!(e.code(), Code::AzCountOutOfRange);
    assert_eq!(
        e.message(),
        "tier `db` pins a CIDR for AZ 3; AZ indexes run from 0 to 2 (maximum 3 AZs)"
    );
}

#[test]
fn subnet_prefixes_out_of_range() {
    for prefix in [16, 8, 29, 33] {
        let e = err(CidrPlanBuilder::new("10.0.0.0/16", 2).tier("app", prefix));
        assert_eq!(e.code(), Code::SubnetPrefixOutOfRange);
        assert_eq!(
            e.message(),
            format!(
                "tier `app` asks for /{prefix} subnets; in VPC block 10.0.0.0/16 a subnet \
                 prefix must be /17 to /28"
            )
        );
    }
    assert!(CidrPlanBuilder::new("10.0.0.0/24", 2)
        .tier("app", 25)
        .max_azs(2)
        .build()
        .is_ok());
}

#[test]
fn duplicate_tier_names() {
    let e = err(three_tiers(2).tier("app", 26));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert_eq!(e.message(), "two tiers are named `app`");
    assert!(matches!(e, CidrError::DuplicateTier { ref tier } if tier == "app"));
}

#[test]
fn claims_must_be_network_addresses_inside_the_vpc() {
    let e = err(three_tiers(2).reserve(net("10.0.1.7/24")));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert_eq!(
        e.to_string(),
        "reserved 10.0.1.7/24 is not a network address: 10.0.1.7 has host bits set for a /24 \
         (hint: use 10.0.1.0/24)"
    );

    let e = err(three_tiers(2).reserve(net("10.1.0.0/24")));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert_eq!(
        e.message(),
        "reserved 10.1.0.0/24 is not inside VPC block 10.0.0.0/16"
    );

    let e = err(three_tiers(2).reserve(net("0.0.0.0/0")));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert!(matches!(e, CidrError::OutsideVpc { .. }));

    let e = err(three_tiers(2).add_tier(Tier::new("x", 24).pin(1, net("10.2.0.0/24"))));
    assert_eq!(
        e.message(),
        "pinned 10.2.0.0/24 (tier `x`, AZ 1) is not inside VPC block 10.0.0.0/16"
    );
}

#[test]
fn claims_must_not_overlap() {
    let e = err(three_tiers(2)
        .reserve(net("10.0.0.0/20"))
        .add_tier(Tier::new("x", 24).pin(0, net("10.0.5.0/24"))));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert_eq!(
        e.message(),
        "pinned 10.0.5.0/24 (tier `x`, AZ 0) overlaps reserved 10.0.0.0/20"
    );

    let e = err(three_tiers(2)
        .reserve(net("10.0.0.0/24"))
        .reserve(net("10.0.0.0/23")));
    assert_eq!(
        e.message(),
        "reserved 10.0.0.0/23 overlaps reserved 10.0.0.0/24"
    );
}

#[test]
fn pins_must_have_the_tier_prefix() {
    let e = err(three_tiers(2).add_tier(Tier::new("x", 24).pin(0, net("10.0.64.0/23"))));
    assert_eq!(e.code(), Code::CidrOverlap);
    assert_eq!(
        e.message(),
        "tier `x` pins 10.0.64.0/23 for AZ 0, but the tier's subnets are /24"
    );
}

#[test]
fn exhausted_names_the_tier_and_the_space_left() {
    let e = err(CidrPlanBuilder::new("10.0.0.0/20", 3)
        .tier("public", 24)
        .tier("app", 22)
        .tier("db", 24));
    assert_eq!(e.code(), Code::CidrExhausted);
    assert_eq!(
        e.message(),
        "tier `app` needs a /19 (8192 addresses: room for 6 /22 subnets), but the largest free \
         block is 10.0.8.0/21 (2048 addresses)"
    );
    assert!(matches!(
        e,
        CidrError::Exhausted { ref tier, block_prefix: 19, .. } if tier == "app"
    ));

    let e = err(CidrPlanBuilder::new("10.0.0.0/24", 2)
        .tier("a", 25)
        .tier("b", 25));
    assert_eq!(
        e.message(),
        "tier `a` needs a /22 (1024 addresses: room for 6 /25 subnets), but the largest free \
         block is 10.0.0.0/24 (256 addresses)"
    );
}

/// The remedies `builder`'s one error suggests, after checking each one plans.
fn remedies(builder: &CidrPlanBuilder) -> Vec<Remedy> {
    let CidrError::Exhausted { remedies, .. } = err(builder.clone()) else {
        panic!("not exhausted")
    };
    remedies
}

#[test]
fn exhausted_suggests_only_changes_that_plan() {
    // Room for 6 /20s is a /17; a third one does not fit a /16. A lower maximum shrinks every
    // block, and the hint was checked against the whole request, not only the space left.
    let builder = CidrPlanBuilder::new("10.0.0.0/16", 2)
        .tier("a", 20)
        .tier("b", 20)
        .tier("c", 20);
    let e = err(builder.clone());
    assert!(e.message().starts_with("tier `c` needs a /17"));
    assert!(e.message().ends_with("but no space is free"));
    // `a` and `b` take the whole /16, so no size of `c` fits, and a /16 cannot grow.
    assert_eq!(
        e.hint().unwrap(),
        "it plans with a declared maximum of 4 AZs"
    );
    assert!(builder.clone().max_azs(4).build().is_ok());
    assert!(builder.clone().max_azs(5).build().is_err());

    // The old hint named a maximum of 4 here, with which `app` fits where `public` failed but
    // no longer leaves room for itself: 4 /26s take the whole /24.
    let builder = CidrPlanBuilder::new("10.0.0.0/24", 2)
        .tier("public", 26)
        .tier("app", 26);
    assert_eq!(
        remedies(&builder),
        [Remedy::MaxAzs(2), Remedy::VpcBlock(net("10.0.0.0/22"))]
    );
    assert!(builder.clone().max_azs(4).build().is_err());

    // A larger block keeps the start address, rounded down to the larger network. No maximum
    // of at least 3 AZs gives a /22 tier a block under a /20.
    let builder = CidrPlanBuilder::new("10.0.8.0/21", 3).tier("big", 22);
    assert_eq!(
        remedies(&builder),
        [
            Remedy::VpcBlock(net("10.0.0.0/19")),
            Remedy::TierPrefix {
                tier: "big".into(),
                prefix: 24
            }
        ]
    );
}

#[test]
fn exhausted_says_what_else_to_change_when_no_single_change_plans() {
    // A /16 cannot grow, the maximum is already as low as the AZ count, and the first tier's
    // size is not what is in the way: the pinned subnet of the other tier is.
    let builder = CidrPlanBuilder::new("10.0.0.0/16", 2)
        .max_azs(2)
        .reserve(net("10.0.128.0/17"))
        .tier("a", 18)
        .tier("b", 18);
    let e = err(builder);
    assert_eq!(
        e.hint().unwrap(),
        "no single change was found that plans: use a larger VPC block together with smaller \
         tiers or a lower declared maximum than 2 AZs, or fewer tiers than `b` and those before it"
    );
}

#[test]
fn small_vpc_blocks_hold_small_plans() {
    for vpc in ["10.0.0.0/25", "10.0.0.0/26", "10.0.0.0/27"] {
        let plan = CidrPlanBuilder::new(vpc, 2)
            .max_azs(2)
            .tier("public", 28)
            .build()
            .unwrap_or_else(|e| panic!("{vpc}: {e:?}"));
        assert_eq!(plan.subnet("public", 1).unwrap().usable(), 11);
    }
    // A /28 is a valid VPC block, too small for a subnet in each of two AZs.
    assert!(CidrPlanBuilder::new("10.0.0.0/28", 2).build().is_ok());
    let e = err(CidrPlanBuilder::new("10.0.0.0/28", 2).tier("public", 28));
    assert_eq!(e.code(), Code::SubnetPrefixOutOfRange);
    assert_eq!(
        e.to_string(),
        "tier `public` asks for /28 subnets, but VPC block 10.0.0.0/28 has no room for a subnet \
         in each of 2 AZs: a subnet is a /28 at the smallest (hint: use a /27 or larger VPC block)"
    );
    // Too small with the default maximum, and the hint says so.
    let e = err(CidrPlanBuilder::new("10.0.0.0/26", 2)
        .tier("public", 28)
        .tier("app", 28));
    assert_eq!(
        e.hint().unwrap(),
        "it plans with a declared maximum of 2 AZs; or with VPC block 10.0.0.0/24"
    );
}

#[test]
fn an_empty_plan_is_all_free() {
    let plan = CidrPlanBuilder::new("192.168.0.0/24", 2).build().unwrap();
    assert_eq!(plan.subnets().count(), 0);
    assert_eq!(plan.free(), [net("192.168.0.0/24")]);
    assert_eq!(plan.free_addresses(), 256);
}

#[test]
fn display_is_a_table_with_free_space() {
    let plan = CidrPlanBuilder::new("10.0.0.0/22", 2)
        .max_azs(2)
        .reserve(net("10.0.3.0/24"))
        .tier("public", 26)
        .add_tier(Tier::new("private", 26).pin(1, net("10.0.2.0/26")))
        .build()
        .unwrap();
    let shown = plan.to_string();
    assert_eq!(
        shown,
        "\
VPC 10.0.0.0/22, aligned layout, 2 AZs (room for 2)
tier     AZ  CIDR           usable
public    0  10.0.0.0/26        59
public    1  10.0.0.64/26       59
private   0  10.0.0.128/26      59
private   1  10.0.2.0/26        59  pinned
tier blocks: public 10.0.0.0/25, private 10.0.0.128/25
reserved: 10.0.3.0/24
free: 448 addresses in 10.0.1.0/24, 10.0.2.64/26, 10.0.2.128/25
"
    );
    assert_eq!(shown, plan.clone().to_string());

    let full = CidrPlan::new("10.0.0.0/24", &[("a", 25)], 2).unwrap_err();
    assert_eq!(full[0].code(), Code::CidrExhausted);
    let full = CidrPlanBuilder::new("10.0.0.0/24", 2)
        .max_azs(2)
        .tier("a", 25)
        .build()
        .unwrap();
    assert!(full.to_string().ends_with("free: none\n"));
}

#[test]
fn planning_is_deterministic() {
    let a = three_tiers(3).reserve(net("10.0.4.0/22")).build().unwrap();
    let b = three_tiers(3).reserve(net("10.0.4.0/22")).build().unwrap();
    assert_eq!(a, b);
    assert_eq!(a.to_string(), b.to_string());
}

#[test]
fn every_problem_of_the_inputs_is_reported() {
    let errors = CidrPlanBuilder::new("10.0.0.0/16", 7)
        .max_azs(2)
        .reserve(net("10.1.0.0/24"))
        .tier("public", 12)
        .tier("public", 24)
        .add_tier(Tier::new("app", 24).pin(5, net("10.0.0.0/25")))
        .build()
        .unwrap_err();
    let codes: Vec<Code> = errors.iter().map(DomainError::code).collect();
    assert_eq!(
        codes,
        [
            Code::AzCountOutOfRange,      // 7 AZs
            Code::SubnetPrefixOutOfRange, // /12 in a /16
            Code::CidrOverlap,            // `public` twice
            Code::AzCountOutOfRange,      // pin in AZ 5 of 2
            Code::CidrOverlap,            // a /25 pinned in a /24 tier
            Code::CidrOverlap,            // the reserved block outside the VPC
        ],
        "{errors:#?}"
    );
    // Claims are checked against a valid VPC block only; the rest is checked regardless.
    let errors = CidrPlanBuilder::new("10.0.0.1/16", 7)
        .reserve(net("10.1.0.0/24"))
        .tier("public", 12)
        .build()
        .unwrap_err();
    let codes: Vec<Code> = errors.iter().map(DomainError::code).collect();
    assert_eq!(
        codes,
        [
            Code::InvalidVpcBlock,
            Code::AzCountOutOfRange,
            Code::SubnetPrefixOutOfRange
        ]
    );
}

#[test]
fn the_layout_is_tried_only_with_valid_inputs() {
    // A /25 tier cannot fit six AZs in a /24, but the bad AZ count is what is said.
    let errors = CidrPlanBuilder::new("10.0.0.0/24", 9)
        .tier("a", 25)
        .build()
        .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code(), Code::AzCountOutOfRange);
}

#[test]
fn the_decimal_layout_reports_everything_that_keeps_it_from_applying() {
    let errors = CidrPlanBuilder::new("10.0.0.0/17", 2)
        .tier("public", 24)
        .tier("app", 22)
        .tier("db", 26)
        .layout(Layout::Decimal)
        .build()
        .unwrap_err();
    let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("needs a /16 VPC block"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("tier `app` asks for /22"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("tier `db` asks for /26"),
        "{}",
        messages[2]
    );

    // Each claim in the way of a slot, once however many slots it covers.
    let errors = three_tiers(3)
        .reserve(net("10.0.0.0/22"))
        .reserve(net("10.0.22.0/24"))
        .layout(Layout::Decimal)
        .build()
        .unwrap_err();
    let firsts: Vec<String> = errors
        .iter()
        .map(|e| match e {
            CidrError::Overlap { first, .. } => first.to_string(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(firsts, ["reserved 10.0.0.0/22", "reserved 10.0.22.0/24"]);
}
