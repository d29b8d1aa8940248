//! Which zone each AZ index of a VPC goes to, and the checks on zones the user names.
//!
//! A subnet whose zone changes is replaced, so zones are written into the template whenever
//! they can be: names or ids the user gives, or, for a count in a stack pinned to a region,
//! the first names of that region in the vendored zone data. Only a count in a stack without
//! a pinned region is left to `Fn::GetAZs`, whose answer depends on the account's default
//! subnets.

use std::fmt;

use crate::cfn::ec2::Subnet;
use crate::cidr::{MAX_AZS, MIN_AZS};
use crate::diagnostics::{Code, DomainError};
use crate::fns;
use crate::{Expr, ResourceOptions};

use super::props::Azs;
use super::zone_data::REGION_ZONES;

/// Where the subnets of one AZ index go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Zone {
    /// A zone name written into the template (`AvailabilityZone`).
    Name(String),
    /// A zone id written into the template (`AvailabilityZoneId`).
    Id(String),
    /// `Fn::Select [i, Fn::GetAZs ""]`: decided by CloudFormation at deploy time.
    Selected(u8),
}

impl Zone {
    /// Sets the subnet's zone property.
    pub(crate) fn apply(&self, subnet: Subnet) -> Subnet {
        match self {
            Zone::Name(name) => subnet.availability_zone(name.as_str()),
            Zone::Id(id) => subnet.availability_zone_id(id.as_str()),
            Zone::Selected(index) => {
                subnet.availability_zone(fns::select(u32::from(*index), fns::get_azs()))
            }
        }
    }
}

impl fmt::Display for Zone {
    /// The zone as a plan prints it: the name, the id, or the `Fn::GetAZs` index.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Name(name) => f.write_str(name),
            Zone::Id(id) => f.write_str(id),
            Zone::Selected(index) => write!(f, "GetAZs[{index}]"),
        }
    }
}

/// The options of a subnet in `zone`. cfn-lint's W3010 ("Availability zone properties should
/// not be hardcoded") flags every literal `AvailabilityZone` of a subnet, except in templates
/// the AWS CDK made, which write names for a pinned environment as this pattern does. Here the
/// literal name is the point (a name never moves; `Fn::GetAZs` can), so the subnet tells
/// cfn-lint to skip that one rule for itself. Ids (`AvailabilityZoneId`) are not flagged.
pub(crate) fn lint_options(zone: &Zone) -> ResourceOptions {
    match zone {
        Zone::Name(_) => ResourceOptions::new().metadata(
            "cfn-lint",
            Expr::from(serde_json::json!({"config": {"ignore_checks": ["W3010"]}})),
        ),
        Zone::Id(_) | Zone::Selected(_) => ResourceOptions::new(),
    }
}

/// The zone names the vendored data lists for `region`, in the order a count takes them.
pub(crate) fn region_zones(region: &str) -> Option<&'static [&'static str]> {
    REGION_ZONES
        .iter()
        .find(|(known, _)| *known == region)
        .map(|(_, names)| *names)
}

/// Why the zones of a [`VpcThreeTier`](super::VpcThreeTier) cannot be used, one variant per
/// case. Every problem is reported, each with its [`Code`] and the construct path.
///
/// ```
/// use constructs::network::{Azs, VpcThreeTier, VpcThreeTierProps};
/// use constructs::{App, Code, Env, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Net").env(Env { region: Some("eu-west-1".into()), ..Env::default() });
/// let zones = Azs::Names(vec!["eu-west-1a".into(), "us-east-1b".into()]);
/// VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16").azs(zones));
/// app.add_stack(stack);
/// let err = app.assemble().unwrap_err();
/// let found = err.errors().next().unwrap();
/// assert_eq!(found.code, Code::InvalidAvailabilityZone);
/// assert_eq!(found.message, "availability zone `us-east-1b` is not in region eu-west-1, where the stack is pinned");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZoneError {
    /// A zone name or id is empty (or only spaces). [`Code::InvalidAvailabilityZone`].
    Empty {
        /// Its place in the list, from 0.
        index: usize,
    },
    /// A zone id is not of the form AWS gives them, such as `use1-az1` (or `usw2-lax1-az1` for
    /// a Local Zone). [`Code::InvalidAvailabilityZone`].
    MalformedId {
        /// The id as given.
        id: String,
    },
    /// A zone name or id cannot be in the region the stack is pinned to: a name that does not
    /// start with the region, a regular zone name (region and one letter) the zone data does
    /// not list for it, or an id whose first part does not start with the region's first two
    /// letters or does not end with its number. [`Code::InvalidAvailabilityZone`].
    NotInRegion {
        /// The name or id as given.
        zone: String,
        /// The stack's region.
        region: String,
    },
    /// A zone is listed twice. [`Code::AzCountOutOfRange`], as before zones were checked.
    Repeated {
        /// The name or id.
        zone: String,
    },
    /// Zones are asked for by count in a stack pinned to a region the vendored zone data does
    /// not list. [`Code::NoZoneData`].
    NoZoneData {
        /// The stack's region.
        region: String,
    },
    /// Zones are asked for by count, and the region the stack is pinned to has fewer in the
    /// zone data. [`Code::AzCountOutOfRange`].
    TooFewZones {
        /// The stack's region.
        region: String,
        /// The count asked for.
        count: u8,
    },
}

impl DomainError for ZoneError {
    /// The stable diagnostic code.
    ///
    /// ```
    /// use constructs::{network::ZoneError, Code, DomainError};
    ///
    /// assert_eq!(ZoneError::Empty { index: 0 }.code(), Code::InvalidAvailabilityZone);
    /// ```
    fn code(&self) -> Code {
        match self {
            ZoneError::Empty { .. }
            | ZoneError::MalformedId { .. }
            | ZoneError::NotInRegion { .. } => Code::InvalidAvailabilityZone,
            ZoneError::Repeated { .. } | ZoneError::TooFewZones { .. } => Code::AzCountOutOfRange,
            ZoneError::NoZoneData { .. } => Code::NoZoneData,
        }
    }

    /// What is wrong.
    ///
    /// ```
    /// use constructs::{network::ZoneError, DomainError};
    ///
    /// let err = ZoneError::MalformedId { id: "eu-west-1a".into() };
    /// assert_eq!(err.message(), "`eu-west-1a` is not an AZ id (such as `use1-az1`)");
    /// ```
    fn message(&self) -> String {
        match self {
            ZoneError::Empty { index } => {
                format!("availability zone {index} of the list is empty")
            }
            ZoneError::MalformedId { id } => {
                format!("`{id}` is not an AZ id (such as `use1-az1`)")
            }
            ZoneError::NotInRegion { zone, region } => format!(
                "availability zone `{zone}` is not in region {region}, where the stack is pinned"
            ),
            ZoneError::Repeated { zone } => {
                format!("availability zone `{zone}` is listed twice")
            }
            ZoneError::NoZoneData { region } => format!(
                "zones are asked for by count, but the zone data has no zones for region {region}"
            ),
            ZoneError::TooFewZones { region, count } => format!(
                "{count} zones asked for, but the zone data has {} for region {region}",
                region_zones(region).map_or(0, <[_]>::len)
            ),
        }
    }

    /// What to do instead.
    ///
    /// ```
    /// use constructs::{network::ZoneError, DomainError};
    ///
    /// let err = ZoneError::NotInRegion { zone: "eu-west-2a".into(), region: "eu-west-1".into() };
    /// assert_eq!(err.hint().unwrap(), "use a zone of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c");
    /// ```
    fn hint(&self) -> Option<String> {
        let list = |region: &str| region_zones(region).map(|names| names.join(", "));
        match self {
            ZoneError::Empty { .. } => Some(
                "give each zone by name, such as `eu-west-1a`, or by id, such as `euw1-az1`"
                    .to_string(),
            ),
            ZoneError::MalformedId { .. } => Some(
                "give zone names with `Azs::Names`, ids with `Azs::Ids`; \
                 `aws ec2 describe-availability-zones` lists both"
                    .to_string(),
            ),
            ZoneError::NotInRegion { region, .. } => Some(match list(region) {
                Some(names) => format!("use a zone of {region}: {names}"),
                None => format!(
                    "use a zone of {region} (`aws ec2 describe-availability-zones --region \
                     {region}` lists them)"
                ),
            }),
            ZoneError::Repeated { .. } => Some("list each zone once".to_string()),
            ZoneError::NoZoneData { region } => Some(format!(
                "name the zones (`Azs::Names`) or give their ids (`Azs::Ids`); `aws ec2 \
                 describe-availability-zones --region {region}` lists both"
            )),
            ZoneError::TooFewZones { region, .. } => list(region)
                .map(|names| format!("ask for fewer, or name them: the data lists {names}")),
        }
    }
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(hint) = self.hint() {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ZoneError {}

/// The zone of each AZ index, or every problem with the zones given. `region` is the stack's
/// pinned region, if any. A count outside 2–6 is left to the planner, which reports it.
pub(crate) fn resolve(azs: &Azs, region: Option<&str>) -> Result<Vec<Zone>, Vec<ZoneError>> {
    match azs {
        Azs::Count(count) => match region {
            None => Ok((0..*count).map(Zone::Selected).collect()),
            Some(region) => {
                let Some(names) = region_zones(region) else {
                    return Err(vec![ZoneError::NoZoneData {
                        region: region.to_string(),
                    }]);
                };
                let counted = (MIN_AZS..=MAX_AZS).contains(count);
                if counted && usize::from(*count) > names.len() {
                    return Err(vec![ZoneError::TooFewZones {
                        region: region.to_string(),
                        count: *count,
                    }]);
                }
                Ok(names
                    .iter()
                    .take(usize::from(*count))
                    .map(|name| Zone::Name((*name).to_string()))
                    .collect())
            }
        },
        Azs::Names(names) => {
            let problems = check_list(names, |name| {
                region.and_then(|region| name_problem(name, region))
            });
            done(problems, names, Zone::Name)
        }
        Azs::Ids(ids) => {
            let problems = check_list(ids, |id| {
                if !is_zone_id(id) {
                    return Some(ZoneError::MalformedId { id: id.to_string() });
                }
                region.and_then(|region| id_problem(id, region))
            });
            done(problems, ids, Zone::Id)
        }
    }
}

fn done(
    problems: Vec<ZoneError>,
    zones: &[String],
    zone: fn(String) -> Zone,
) -> Result<Vec<Zone>, Vec<ZoneError>> {
    if problems.is_empty() {
        Ok(zones.iter().cloned().map(zone).collect())
    } else {
        Err(problems)
    }
}

/// Every empty entry, every entry `check` refuses, and each repeated entry once.
fn check_list(zones: &[String], check: impl Fn(&str) -> Option<ZoneError>) -> Vec<ZoneError> {
    let mut problems = Vec::new();
    for (index, zone) in zones.iter().enumerate() {
        if zone.trim().is_empty() {
            problems.push(ZoneError::Empty { index });
            continue;
        }
        problems.extend(check(zone));
        // Once per zone, however often it repeats.
        if zones[..index].iter().filter(|z| *z == zone).count() == 1 {
            problems.push(ZoneError::Repeated { zone: zone.clone() });
        }
    }
    problems
}

/// Why zone name `name` cannot be in `region`, if it cannot. A name is the region's code and a
/// letter (`eu-west-1a`); a Local or Wavelength Zone's name adds a part after a hyphen
/// (`us-west-2-lax-1a`), which the data does not list and is taken as given.
fn name_problem(name: &str, region: &str) -> Option<ZoneError> {
    let not_in_region = || {
        Some(ZoneError::NotInRegion {
            zone: name.to_string(),
            region: region.to_string(),
        })
    };
    let Some(rest) = name.strip_prefix(region) else {
        return not_in_region();
    };
    if rest.starts_with('-') && rest.len() > 1 {
        return None;
    }
    let regular = rest.len() == 1 && rest.chars().all(|c| c.is_ascii_lowercase());
    let listed = region_zones(region).map_or(true, |names| names.contains(&name));
    if regular && listed {
        None
    } else {
        not_in_region()
    }
}

/// Whether `id` has the form of an AZ id: parts of letters then digits, the last `az` and
/// digits (`use1-az1`, `usw2-lax1-az1`).
fn is_zone_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    let letters_then_digits = |part: &str, letters: Option<&str>| {
        let digits_at = part.find(|c: char| c.is_ascii_digit());
        digits_at.is_some_and(|at| {
            let (head, tail) = part.split_at(at);
            !head.is_empty()
                && head.chars().all(|c| c.is_ascii_lowercase())
                && letters.map_or(true, |l| head == l)
                && tail.chars().all(|c| c.is_ascii_digit())
        })
    };
    match parts.split_last() {
        Some((last, first)) if !first.is_empty() => {
            letters_then_digits(last, Some("az"))
                && first.iter().all(|part| letters_then_digits(part, None))
        }
        _ => false,
    }
}

/// Why AZ id `id` (well formed) cannot be in `region`, if it cannot. AWS documents an AZ id as
/// letters of the region code, then the number at its end, then `-az` and a number
/// (`euw1-az1` in eu-west-1); so the id's first part starts as the region does and ends with
/// its number. Which letters follow is not checked: the data has no ids.
fn id_problem(id: &str, region: &str) -> Option<ZoneError> {
    let first = id.split('-').next().unwrap_or_default();
    let area: String = region
        .chars()
        .take_while(char::is_ascii_lowercase)
        .collect();
    let number = region.rsplit('-').next().unwrap_or_default();
    let digits = first.trim_start_matches(|c: char| c.is_ascii_lowercase());
    let agrees = area.len() >= 2 && first.starts_with(&area[..2]) && digits == number;
    (!agrees).then(|| ZoneError::NotInRegion {
        zone: id.to_string(),
        region: region.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Azs {
        Azs::Names(list.iter().map(|s| s.to_string()).collect())
    }

    fn ids(list: &[&str]) -> Azs {
        Azs::Ids(list.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_count_in_a_pinned_region_takes_the_first_names_of_the_data() {
        let zones = resolve(&Azs::Count(3), Some("us-east-1")).unwrap();
        let shown: Vec<String> = zones.iter().map(Zone::to_string).collect();
        assert_eq!(shown, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        // More AZs only append: the first ones stay where they were.
        let grown = resolve(&Azs::Count(4), Some("us-east-1")).unwrap();
        assert_eq!(grown[..3], zones[..]);
    }

    #[test]
    fn a_count_in_an_unpinned_stack_selects_from_get_azs() {
        let zones = resolve(&Azs::Count(2), None).unwrap();
        assert_eq!(zones, [Zone::Selected(0), Zone::Selected(1)]);
        assert_eq!(zones[1].to_string(), "GetAZs[1]");
    }

    #[test]
    fn a_count_needs_zone_data_and_enough_zones() {
        assert_eq!(
            resolve(&Azs::Count(2), Some("xx-nowhere-1")).unwrap_err(),
            [ZoneError::NoZoneData {
                region: "xx-nowhere-1".into()
            }]
        );
        let err = &resolve(&Azs::Count(3), Some("us-west-1")).unwrap_err()[0];
        assert_eq!(err.code(), Code::AzCountOutOfRange);
        assert_eq!(
            err.to_string(),
            "3 zones asked for, but the zone data has 2 for region us-west-1 (hint: ask for \
             fewer, or name them: the data lists us-west-1a, us-west-1c)"
        );
        // A count out of 2–6 is the planner's to report.
        assert!(resolve(&Azs::Count(9), Some("us-west-1")).is_ok());
    }

    #[test]
    fn names_are_checked_against_the_pinned_region() {
        assert!(resolve(&names(&["eu-west-1a", "eu-west-1c"]), Some("eu-west-1")).is_ok());
        // A Local Zone's name is taken as given.
        assert!(resolve(
            &names(&["us-west-2a", "us-west-2-lax-1a"]),
            Some("us-west-2")
        )
        .is_ok());
        let errors = resolve(
            &names(&["eu-west-1z", "eu-west-2a", "", "eu-west-12a"]),
            Some("eu-west-1"),
        )
        .unwrap_err();
        let codes: Vec<Code> = errors.iter().map(DomainError::code).collect();
        assert_eq!(codes, [Code::InvalidAvailabilityZone; 4], "{errors:?}");
        assert_eq!(errors[2], ZoneError::Empty { index: 2 });
        // Unpinned, only emptiness and repeats can be told.
        assert!(resolve(&names(&["eu-west-1z", "us-east-1a"]), None).is_ok());
        let errors = resolve(&names(&[" ", "a", "a", "a"]), None).unwrap_err();
        assert_eq!(
            errors,
            [
                ZoneError::Empty { index: 0 },
                ZoneError::Repeated { zone: "a".into() }
            ]
        );
    }

    #[test]
    fn ids_are_checked_for_form_and_against_the_pinned_region() {
        for id in [
            "use1-az1",
            "euw1-az3",
            "apne1-az4",
            "usw2-lax1-az1",
            "usgw1-az2",
        ] {
            assert!(is_zone_id(id), "{id}");
        }
        for id in [
            "",
            "use1",
            "az1",
            "use1-az",
            "us-east-1a",
            "USE1-AZ1",
            "use1-az1-",
            "1-az1",
        ] {
            assert!(!is_zone_id(id), "{id}");
        }
        assert!(resolve(&ids(&["euw1-az1", "euw1-az2"]), Some("eu-west-1")).is_ok());
        assert!(resolve(&ids(&["apne1-az1", "apne1-az4"]), Some("ap-northeast-1")).is_ok());
        let errors = resolve(
            &ids(&["use1-az1", "euw2-az1", "eu-west-1a"]),
            Some("eu-west-1"),
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                ZoneError::NotInRegion {
                    zone: "use1-az1".into(),
                    region: "eu-west-1".into()
                },
                ZoneError::NotInRegion {
                    zone: "euw2-az1".into(),
                    region: "eu-west-1".into()
                },
                ZoneError::MalformedId {
                    id: "eu-west-1a".into()
                },
            ]
        );
        let zones = resolve(&ids(&["use1-az1", "use1-az2"]), None).unwrap();
        assert_eq!(zones[0], Zone::Id("use1-az1".into()));
    }

    #[test]
    fn the_zone_data_lists_every_region_once_with_names_of_that_region() {
        let mut seen = std::collections::HashSet::new();
        for (region, names) in REGION_ZONES {
            assert!(seen.insert(region), "{region} twice");
            assert!(names.len() >= 2, "{region}");
            for name in *names {
                assert_eq!(name_problem(name, region), None, "{name} in {region}");
            }
        }
        assert!(seen.len() >= 30);
    }

    #[test]
    fn the_zone_data_and_the_regions_a_stack_may_pin_are_the_same_list() {
        // Both come from cfn-lint's helpers; a refresh of one without the other shows here.
        let zoned: Vec<&str> = REGION_ZONES.iter().map(|(r, _)| *r).collect();
        assert_eq!(zoned, crate::region::KNOWN_REGIONS);
    }
}
