//! [`Tier`]: one row of subnets, one per AZ, all of one size.

use ipnetwork::Ipv4Network;

/// A tier asked for: a name, the prefix length of its subnets, and any pinned subnets.
///
/// Tiers are placed in the order they are added to a
/// [`CidrPlanBuilder`](super::CidrPlanBuilder), so append new tiers at the end.
///
/// ```
/// use constructs::cidr::{CidrPlanBuilder, Tier};
///
/// let plan = CidrPlanBuilder::new("10.0.0.0/16", 2)
///     .add_tier(Tier::new("public", 24).pin(1, "10.0.200.0/24".parse().unwrap()))
///     .build()
///     .unwrap();
/// assert_eq!(plan.subnet("public", 0).unwrap().cidr().to_string(), "10.0.0.0/24");
/// assert_eq!(plan.subnet("public", 1).unwrap().cidr().to_string(), "10.0.200.0/24");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tier {
    pub(crate) name: String,
    pub(crate) prefix: u8,
    pub(crate) pins: Vec<(u8, Ipv4Network)>,
}

impl Tier {
    /// A tier of `/prefix` subnets.
    ///
    /// ```
    /// use constructs::cidr::Tier;
    ///
    /// let app = Tier::new("app", 22);
    /// assert_eq!((app.name(), app.prefix()), ("app", 22));
    /// ```
    pub fn new(name: impl Into<String>, prefix: u8) -> Self {
        Self {
            name: name.into(),
            prefix,
            pins: Vec::new(),
        }
    }

    /// Fixes the subnet of AZ `az` (0-based) at `cidr` instead of where the layout puts it.
    ///
    /// Use it to keep a subnet that already exists. The CIDR must have the tier's prefix, lie
    /// in the VPC block and overlap no other pinned or reserved CIDR. No tier block is placed
    /// over it, so it lies outside its own tier's block. Pinning an AZ index between the AZ
    /// count and the declared maximum holds that space for a later AZ. Pinning the same AZ again
    /// replaces the earlier pin.
    ///
    /// ```
    /// use constructs::cidr::Tier;
    ///
    /// let db = Tier::new("db", 24)
    ///     .pin(0, "10.0.50.0/24".parse().unwrap())
    ///     .pin(0, "10.0.60.0/24".parse().unwrap());
    /// assert_eq!(db.pinned(0).unwrap().to_string(), "10.0.60.0/24");
    /// assert_eq!(db.pinned(1), None);
    /// ```
    #[must_use]
    pub fn pin(mut self, az: u8, cidr: Ipv4Network) -> Self {
        self.pins.retain(|(pinned_az, _)| *pinned_az != az);
        self.pins.push((az, cidr));
        self
    }

    /// The tier's name.
    ///
    /// ```
    /// assert_eq!(constructs::cidr::Tier::new("db", 24).name(), "db");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The prefix length of the tier's subnets.
    ///
    /// ```
    /// assert_eq!(constructs::cidr::Tier::new("db", 24).prefix(), 24);
    /// ```
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The CIDR pinned for AZ `az`, if any.
    ///
    /// ```
    /// use constructs::cidr::Tier;
    ///
    /// let db = Tier::new("db", 24).pin(2, "10.0.50.0/24".parse().unwrap());
    /// assert_eq!(db.pinned(2).map(|c| c.to_string()).as_deref(), Some("10.0.50.0/24"));
    /// ```
    pub fn pinned(&self, az: u8) -> Option<Ipv4Network> {
        self.pins
            .iter()
            .find(|(pinned_az, _)| *pinned_az == az)
            .map(|(_, cidr)| *cidr)
    }
}
