//! [`VpcPlan`]: one VPC's CIDR plan with its zones, as the synth CLI's `--plan` prints it.

use std::fmt;

use crate::cidr::{CidrPlan, Layout, MAX_SUBNET_PREFIX};

use super::zones::Zone;

/// The plan of one [`VpcThreeTier`](super::VpcThreeTier): its construct path, its
/// [`CidrPlan`] and the zone of each AZ index. Every VPC that planned records one in its stack
/// ([`Stack::vpc_plans`](crate::Stack::vpc_plans)); `--plan` prints them all, and `Display`
/// gives the same text in code.
///
/// The text lists each subnet (tier, AZ index, zone, CIDR, usable addresses: AWS keeps 5 of
/// every subnet), the tier blocks, the free space, and the room left to grow without moving a
/// subnet: how many more AZs every tier has room for, and the largest new tier that fits. When
/// the zones are left to `Fn::GetAZs` (a count in a stack without a pinned region), a last line
/// says they can change.
///
/// ```
/// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
/// use constructs::{Env, Stack};
///
/// let mut stack = Stack::new("Net").env(Env { region: Some("eu-west-1".into()), ..Env::default() });
/// VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16").max_azs(4));
/// assert_eq!(
///     stack.vpc_plans()[0].to_string(),
///     "\
/// VPC Net/Network: 10.0.0.0/16, aligned layout, 3 AZs (room for 4)
/// tier      AZ  zone        CIDR          usable
/// public     0  eu-west-1a  10.0.0.0/24      251
/// public     1  eu-west-1b  10.0.1.0/24      251
/// public     2  eu-west-1c  10.0.2.0/24      251
/// app        0  eu-west-1a  10.0.4.0/24      251
/// app        1  eu-west-1b  10.0.5.0/24      251
/// app        2  eu-west-1c  10.0.6.0/24      251
/// database   0  eu-west-1a  10.0.8.0/24      251
/// database   1  eu-west-1b  10.0.9.0/24      251
/// database   2  eu-west-1c  10.0.10.0/24     251
/// tier blocks: public 10.0.0.0/22, app 10.0.4.0/22, database 10.0.8.0/22
/// free: 62464 addresses in 10.0.12.0/22, 10.0.16.0/20, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17
/// room to grow, moving nothing: 1 more AZ in every tier; a new tier of /19 to /28 subnets
/// "
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcPlan {
    path: String,
    plan: CidrPlan,
    zones: Vec<String>,
    /// Whether CloudFormation picks the zones at deploy time (`Fn::GetAZs`).
    zones_at_deploy: bool,
}

impl VpcPlan {
    /// A VPC's plan: its construct path, its CIDR plan and one zone label per AZ index (a
    /// name, an id, or `GetAZs[i]`).
    pub(crate) fn new(path: impl Into<String>, plan: CidrPlan, zones: &[Zone]) -> Self {
        Self {
            path: path.into(),
            plan,
            zones: zones.iter().map(ToString::to_string).collect(),
            zones_at_deploy: zones.iter().any(|z| matches!(z, Zone::Selected(_))),
        }
    }

    /// The VPC construct's path.
    ///
    /// ```
    /// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
    ///
    /// let mut stack = constructs::Stack::new("Net");
    /// VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    /// assert_eq!(stack.vpc_plans()[0].path(), "Net/Network");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The CIDR plan.
    ///
    /// ```
    /// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
    ///
    /// let mut stack = constructs::Stack::new("Net");
    /// VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    /// assert_eq!(stack.vpc_plans()[0].plan().az_count(), 3);
    /// ```
    pub fn plan(&self) -> &CidrPlan {
        &self.plan
    }

    /// The zone of each AZ index: a zone name or id as written into the template, or
    /// `GetAZs[i]` when CloudFormation picks it at deploy time.
    ///
    /// ```
    /// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
    ///
    /// let mut stack = constructs::Stack::new("Net");
    /// VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    /// assert_eq!(stack.vpc_plans()[0].zones(), ["GetAZs[0]", "GetAZs[1]", "GetAZs[2]"]);
    /// ```
    pub fn zones(&self) -> &[String] {
        &self.zones
    }

    /// What can still be added without moving a subnet.
    fn room_to_grow(&self) -> String {
        let plan = &self.plan;
        let more = plan.max_azs().saturating_sub(plan.az_count());
        let azs = match more {
            0 => "no more AZs (the declared maximum is reached)".to_string(),
            1 => "1 more AZ in every tier".to_string(),
            n => format!("{n} more AZs in every tier"),
        };
        let tier = match plan.layout() {
            Layout::Decimal => {
                "a new tier of /24 subnets while its slots are free (at most 25 tiers)".to_string()
            }
            // A new tier's block holds the next power of two of subnets at or above the
            // maximum; it fits when the largest free block can hold it.
            _ => {
                let bits = u8::try_from(
                    u32::from(plan.max_azs().max(1))
                        .next_power_of_two()
                        .trailing_zeros(),
                )
                .unwrap_or(u8::MAX);
                let shortest = plan.largest_free().map(|f| f.prefix().saturating_add(bits));
                match shortest {
                    Some(MAX_SUBNET_PREFIX) => {
                        format!("a new tier of /{MAX_SUBNET_PREFIX} subnets")
                    }
                    Some(p) if p < MAX_SUBNET_PREFIX => {
                        format!("a new tier of /{p} to /{MAX_SUBNET_PREFIX} subnets")
                    }
                    _ => "no room for a new tier".to_string(),
                }
            }
        };
        format!("{azs}; {tier}")
    }
}

impl fmt::Display for VpcPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plan = &self.plan;
        writeln!(
            f,
            "VPC {}: {}, {} layout, {} AZs (room for {})",
            self.path,
            plan.vpc(),
            plan.layout(),
            plan.az_count(),
            plan.max_azs()
        )?;
        let zone = |az: u8| {
            self.zones
                .get(usize::from(az))
                .map_or("?", String::as_str)
                .to_string()
        };
        let width = |header: &str, cells: Vec<usize>| {
            cells.into_iter().chain([header.len()]).max().unwrap_or(0)
        };
        let name_w = width(
            "tier",
            plan.tiers()
                .iter()
                .map(|t| t.name().chars().count())
                .collect(),
        );
        let zone_w = width(
            "zone",
            plan.subnets()
                .map(|s| zone(s.az()).chars().count())
                .collect(),
        );
        let cidr_w = width(
            "CIDR",
            plan.subnets().map(|s| s.cidr().to_string().len()).collect(),
        );
        writeln!(
            f,
            "{:name_w$}  AZ  {:zone_w$}  {:cidr_w$}  usable",
            "tier", "zone", "CIDR"
        )?;
        for s in plan.subnets() {
            let pinned = if s.is_pinned() { "  pinned" } else { "" };
            writeln!(
                f,
                "{:name_w$}  {:>2}  {:zone_w$}  {:cidr_w$}  {:>6}{pinned}",
                s.tier(),
                s.az(),
                zone(s.az()),
                s.cidr().to_string(),
                s.usable()
            )?;
        }
        let blocks: Vec<String> = plan
            .tiers()
            .iter()
            .filter_map(|t| t.block().map(|b| format!("{} {b}", t.name())))
            .collect();
        if !blocks.is_empty() {
            writeln!(f, "tier blocks: {}", blocks.join(", "))?;
        }
        let join = |nets: &[crate::cidr::Ipv4Network]| {
            nets.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !plan.reserved().is_empty() {
            writeln!(f, "reserved: {}", join(plan.reserved()))?;
        }
        if plan.free().is_empty() {
            writeln!(f, "free: none")?;
        } else {
            writeln!(
                f,
                "free: {} addresses in {}",
                plan.free_addresses(),
                join(plan.free())
            )?;
        }
        writeln!(f, "room to grow, moving nothing: {}", self.room_to_grow())?;
        if self.zones_at_deploy {
            writeln!(
                f,
                "zones: GetAZs[i] is picked by Fn::GetAZs at each deploy and can change with the \
                 account's default subnets, replacing subnets; pin the stack's region or name \
                 the zones to fix them"
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cidr::CidrPlanBuilder;

    fn room(builder: CidrPlanBuilder) -> String {
        let plan = builder.build().unwrap();
        let zones: Vec<Zone> = (0..plan.az_count()).map(Zone::Selected).collect();
        VpcPlan::new("S/V", plan, &zones).room_to_grow()
    }

    #[test]
    fn room_to_grow_counts_azs_and_the_largest_new_tier() {
        // /24 tiers with room for 6 take /21s; the largest free block left is a /17, which
        // holds a block of 8 /20s.
        assert_eq!(
            room(CidrPlanBuilder::new("10.0.0.0/16", 2).tier("a", 24)),
            "4 more AZs in every tier; a new tier of /20 to /28 subnets"
        );
        assert_eq!(
            room(
                CidrPlanBuilder::new("10.0.0.0/24", 2)
                    .max_azs(2)
                    .tier("a", 25)
            ),
            "no more AZs (the declared maximum is reached); no room for a new tier"
        );
        // The largest free block is a /27: a block of two /28s fits, no more.
        assert_eq!(
            room(
                CidrPlanBuilder::new("10.0.0.0/26", 2)
                    .max_azs(2)
                    .tier("a", 28)
            ),
            "no more AZs (the declared maximum is reached); a new tier of /28 subnets"
        );
        assert_eq!(
            room(
                CidrPlanBuilder::new("10.0.0.0/16", 2)
                    .tier("a", 24)
                    .layout(Layout::Decimal)
            ),
            "4 more AZs in every tier; a new tier of /24 subnets while its slots are free (at \
             most 25 tiers)"
        );
    }

    #[test]
    fn room_to_grow_is_true_for_the_aligned_layout() {
        // The new tier named fits, and one a bit larger does not.
        for (vpc, max_azs, prefix) in [("10.0.0.0/16", 6, 24), ("10.0.0.0/22", 3, 26)] {
            let builder = CidrPlanBuilder::new(vpc, 2)
                .max_azs(max_azs)
                .tier("a", prefix);
            let text = room(builder.clone());
            let shortest: u8 = text
                .split("new tier of /")
                .nth(1)
                .and_then(|rest| rest.split([' ']).next())
                .and_then(|p| p.parse().ok())
                .unwrap();
            assert!(builder.clone().tier("new", shortest).build().is_ok());
            assert!(builder.tier("new", shortest - 1).build().is_err());
        }
    }
}
