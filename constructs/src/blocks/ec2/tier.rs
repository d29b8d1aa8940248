//! Subnet tiers as types, so a construct that needs private subnets cannot be handed public ones.

use std::marker::PhantomData;

use super::endpoints::Reach;
use super::existing::{check_id, Ec2Error};
use crate::cfn::ec2::Subnet;
use crate::kinds::{Id, List};
use crate::resource::AnyHandle;
use crate::{fns, Handle, Value};

mod sealed {
    pub trait Sealed {}
}

/// A subnet tier. Implemented only by [`Public`], [`App`] and [`Database`].
pub trait Tier: sealed::Sealed {
    /// The tier's name in the CIDR plan and in logical ids (`public`, `app`, `database`).
    const NAME: &'static str;
    /// The tier's name in logical ids (`Public`, `App`, `Database`).
    const ID: &'static str;
}

/// Public subnets: a route to the internet gateway. For load balancers and NAT gateways.
#[derive(Debug)]
pub enum Public {}
/// App subnets: private, with egress through NAT (when the VPC has NAT). For services and tasks.
#[derive(Debug)]
pub enum App {}
/// Database subnets: isolated, no route out of the VPC. For databases and caches.
#[derive(Debug)]
pub enum Database {}

impl sealed::Sealed for Public {}
impl sealed::Sealed for App {}
impl sealed::Sealed for Database {}

impl Tier for Public {
    const NAME: &'static str = "public";
    const ID: &'static str = "Public";
}
impl Tier for App {
    const NAME: &'static str = "app";
    const ID: &'static str = "App";
}
impl Tier for Database {
    const NAME: &'static str = "database";
    const ID: &'static str = "Database";
}

/// The subnets of one tier, one per availability zone, typed by their tier.
///
/// Constructs ask for the tier they need: a Fargate service takes a `&SubnetGroup<App>`, so
/// passing `&SubnetGroup<Public>` does not compile. A group comes from
/// [`VpcThreeTier`](crate::network::VpcThreeTier), or names subnets that already exist, with
/// the tier declared in the type:
///
/// - [`from_ids`](Self::from_ids): literal ids, one per AZ;
/// - [`from_values`](Self::from_values): references, one per AZ (a `Parameter::subnet_id()`
///   each, imports);
/// - [`from_list`](Self::from_list): one list value (a `Parameter::subnet_ids()`) with its AZ
///   count declared;
/// - [`from_import`](Self::from_import): the comma-separated export of another stack (such as
///   a [`VpcThreeTier`](crate::network::VpcThreeTier)'s `AppSubnetIds` output, exported) with
///   its AZ count declared.
///
/// ```
/// use constructs::blocks::ec2::{App, Public, SubnetGroup};
/// use constructs::{Parameter, Stack};
///
/// let mut stack = Stack::new("Service");
/// let app = SubnetGroup::<App>::from_ids(["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]);
/// assert_eq!(app.len(), 2);
/// let listed = stack.add_parameter("AppSubnets", Parameter::subnet_ids());
/// let app = SubnetGroup::<App>::from_list(listed, 3);
/// assert_eq!(app.len(), 3);
/// let public = SubnetGroup::<Public>::from_import("Shop-Network-PublicSubnetIds", 2);
/// assert_eq!(public.len(), 2);
/// ```
///
/// For existing subnets, synth checks what the template shows: literal ids of the EC2 form,
/// no id twice, and a declared count of 1–6. It cannot see their zones: that they lie in
/// distinct AZs (which a load balancer and an interface endpoint require) and in the VPC
/// given beside them is checked by AWS at deploy, and a list shorter than its declared count
/// fails the deploy at `Fn::Select`.
#[derive(Debug)]
pub struct SubnetGroup<T: Tier> {
    /// The subnets built in this app (empty for existing ones).
    pub(crate) subnets: Vec<Handle<Subnet>>,
    pub(crate) cidrs: Vec<String>,
    /// The subnet ids, one per AZ, in AZ order: references to `subnets`, or the existing ones.
    ids: Vec<Value<Id<Subnet>>>,
    /// The route through which these subnets reach the internet, when they have their own
    /// (public subnets: the default route to the internet gateway, which waits for the
    /// gateway's attachment).
    internet_route: Option<AnyHandle>,
    /// What the subnets reach outside the VPC, when the library built them.
    reach: Reach,
    /// What is wrong with the ids of existing subnets (reported by the constructs using them).
    problems: Vec<Ec2Error>,
    tier: PhantomData<fn() -> T>,
}

impl<T: Tier> Clone for SubnetGroup<T> {
    fn clone(&self) -> Self {
        Self {
            subnets: self.subnets.clone(),
            cidrs: self.cidrs.clone(),
            ids: self.ids.clone(),
            internet_route: self.internet_route.clone(),
            reach: self.reach.clone(),
            problems: self.problems.clone(),
            tier: PhantomData,
        }
    }
}

/// The most AZs a declared list may span (as many as a [`VpcThreeTier`](crate::network::VpcThreeTier)).
const MAX_AZS: usize = 6;

impl<T: Tier> SubnetGroup<T> {
    pub(crate) fn new(subnets: Vec<Handle<Subnet>>, cidrs: Vec<String>) -> Self {
        Self {
            ids: subnets.iter().map(|subnet| subnet.reference()).collect(),
            subnets,
            cidrs,
            internet_route: None,
            reach: Reach::Unknown,
            problems: Vec::new(),
            tier: PhantomData,
        }
    }

    fn existing(ids: Vec<Value<Id<Subnet>>>, problems: Vec<Ec2Error>) -> Self {
        let mut problems = problems;
        if ids.is_empty() {
            problems.push(Ec2Error::EmptySubnetGroup);
        }
        Self {
            subnets: Vec::new(),
            cidrs: Vec::new(),
            ids,
            internet_route: None,
            reach: Reach::Unknown,
            problems,
            tier: PhantomData,
        }
    }

    /// Existing subnets of tier `T` by their literal ids, one per AZ, in AZ order. An id that
    /// is not `subnet-` and 8 or 17 hexadecimal characters, an id given twice, or no id at
    /// all is reported by the construct that uses the group (`invalid-resource-id`,
    /// `invalid-subnet-group`).
    ///
    /// ```
    /// use constructs::blocks::ec2::{App, SubnetGroup};
    ///
    /// let app = SubnetGroup::<App>::from_ids(["subnet-0a1b2c3d", "subnet-4e5f6a7b"]);
    /// assert!(app.problems().is_empty());
    /// assert_eq!(SubnetGroup::<App>::from_ids(["subnet-x"]).problems().len(), 1);
    /// ```
    pub fn from_ids<S: Into<String>>(ids: impl IntoIterator<Item = S>) -> Self {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        let mut problems: Vec<Ec2Error> =
            ids.iter().filter_map(|id| check_id("subnet", id)).collect();
        // Each id named twice is reported once, however often it repeats.
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].iter().filter(|d| *d == id).count() == 1 {
                problems.push(Ec2Error::DuplicateSubnet { id: id.clone() });
            }
        }
        Self::existing(ids.into_iter().map(Value::unchecked).collect(), problems)
    }

    /// Existing subnets of tier `T` by references, one per AZ, in AZ order: a
    /// `Parameter::subnet_id()` each, imports (`fns::import_value`), `Ref`s.
    ///
    /// ```
    /// use constructs::blocks::ec2::{App, SubnetGroup};
    /// use constructs::{Parameter, Stack};
    ///
    /// let mut stack = Stack::new("Service");
    /// let a = stack.add_parameter("AppSubnetA", Parameter::subnet_id());
    /// let b = stack.add_parameter("AppSubnetB", Parameter::subnet_id());
    /// let app = SubnetGroup::<App>::from_values([a, b]);
    /// assert_eq!(app.len(), 2);
    /// ```
    pub fn from_values(ids: impl IntoIterator<Item = Value<Id<Subnet>>>) -> Self {
        let ids: Vec<Value<Id<Subnet>>> = ids.into_iter().collect();
        let mut problems = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].iter().filter(|d| *d == id).count() == 1 {
                problems.push(Ec2Error::DuplicateSubnet {
                    id: format!("{:?}", id.expr()),
                });
            }
        }
        Self::existing(ids, problems)
    }

    /// Existing subnets of tier `T` from one list value (a `Parameter::subnet_ids()`),
    /// spanning `az_count` AZs (1–6): subnet `i` is `Fn::Select [i, list]`, so the template
    /// uses exactly that many, and a shorter list fails the deploy.
    ///
    /// ```
    /// use constructs::blocks::ec2::{App, SubnetGroup};
    /// use constructs::{Parameter, Stack};
    ///
    /// let mut stack = Stack::new("Service");
    /// let list = stack.add_parameter("AppSubnets", Parameter::subnet_ids());
    /// let app = SubnetGroup::<App>::from_list(list.clone(), 2);
    /// assert_eq!(app.len(), 2);
    /// assert_eq!(SubnetGroup::<App>::from_list(list, 7).problems().len(), 1);
    /// ```
    pub fn from_list(list: Value<List<Id<Subnet>>>, az_count: usize) -> Self {
        let mut problems = Vec::new();
        if !(1..=MAX_AZS).contains(&az_count) {
            problems.push(Ec2Error::AzCountOutOfRange { count: az_count });
        }
        let ids = (0..az_count.min(MAX_AZS))
            .map(|i| fns::select(u32::try_from(i).unwrap_or(u32::MAX), list.clone()))
            .collect();
        let mut group = Self::existing(ids, problems);
        // A count out of range says it already; the empty group follows from it.
        if az_count == 0 {
            group.problems.retain(|p| *p != Ec2Error::EmptySubnetGroup);
        }
        group
    }

    /// Existing subnets of tier `T` from another stack's export `export_name` holding their
    /// ids comma-separated (as [`VpcThreeTier`](crate::network::VpcThreeTier)'s subnet outputs
    /// do), spanning `az_count` AZs (1–6): `Fn::Select [i, Fn::Split [",", Fn::ImportValue]]`.
    ///
    /// ```
    /// use constructs::blocks::ec2::{App, SubnetGroup};
    ///
    /// let app = SubnetGroup::<App>::from_import("Shop-Network-AppSubnetIds", 3);
    /// assert_eq!(app.len(), 3);
    /// ```
    pub fn from_import(export_name: impl Into<Value<String>>, az_count: usize) -> Self {
        let joined: Value<String> = fns::import_value(export_name);
        Self::from_list(
            Value::unchecked(fns::split(",", joined).into_expr()),
            az_count,
        )
    }

    /// The group, reaching the internet through `route`.
    pub(crate) fn with_internet_route(mut self, route: impl Into<AnyHandle>) -> Self {
        self.internet_route = Some(route.into());
        self
    }

    /// The group, reaching outside the VPC as `reach` says.
    pub(crate) fn with_reach(mut self, reach: Reach) -> Self {
        self.reach = reach;
        self
    }

    /// What the subnets reach outside the VPC, when the library built them.
    pub(crate) fn reach(&self) -> &Reach {
        &self.reach
    }

    /// The route through which the subnets reach the internet, if they have their own: what
    /// an internet-facing resource in them must wait for when it is in the same stack.
    pub(crate) fn internet_route(&self) -> Option<&AnyHandle> {
        self.internet_route.as_ref()
    }

    /// The subnets built in this app, in AZ order (empty for a group of existing subnets:
    /// see [`subnet_id_values`](Self::subnet_id_values)).
    pub fn subnets(&self) -> &[Handle<Subnet>] {
        &self.subnets
    }

    /// The planned CIDR of each subnet built in this app, in AZ order (empty for existing
    /// subnets, whose CIDRs the template does not know).
    pub fn cidrs(&self) -> &[String] {
        &self.cidrs
    }

    /// Each subnet's id, in AZ order: built or existing.
    pub fn subnet_id_values(&self) -> &[Value<Id<Subnet>>] {
        &self.ids
    }

    /// The subnet ids, as the list value `SubnetIds`-style properties take.
    pub fn subnet_ids(&self) -> Value<List<Id<Subnet>>> {
        self.ids.clone().into()
    }

    /// How many subnets (availability zones) the group has.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the group has no subnets (when planning failed and was reported, or an
    /// existing group was given none).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// What is wrong with a group of existing subnets: reported, with its path, by each
    /// construct that uses the group. Empty for groups the library built.
    pub fn problems(&self) -> &[Ec2Error] {
        &self.problems
    }
}
