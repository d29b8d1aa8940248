//! Subnet tiers as types, so a construct that needs private subnets cannot be handed public ones.

use std::marker::PhantomData;

use crate::cfn::ec2::Subnet;
use crate::kinds::{Id, List};
use crate::resource::AnyHandle;
use crate::{Handle, Value};

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
/// passing `&SubnetGroup<Public>` does not compile.
#[derive(Debug)]
pub struct SubnetGroup<T: Tier> {
    pub(crate) subnets: Vec<Handle<Subnet>>,
    pub(crate) cidrs: Vec<String>,
    /// The route through which these subnets reach the internet, when they have their own
    /// (public subnets: the default route to the internet gateway, which waits for the
    /// gateway's attachment).
    internet_route: Option<AnyHandle>,
    tier: PhantomData<fn() -> T>,
}

impl<T: Tier> Clone for SubnetGroup<T> {
    fn clone(&self) -> Self {
        Self {
            subnets: self.subnets.clone(),
            cidrs: self.cidrs.clone(),
            internet_route: self.internet_route.clone(),
            tier: PhantomData,
        }
    }
}

impl<T: Tier> SubnetGroup<T> {
    pub(crate) fn new(subnets: Vec<Handle<Subnet>>, cidrs: Vec<String>) -> Self {
        Self {
            subnets,
            cidrs,
            internet_route: None,
            tier: PhantomData,
        }
    }

    /// The group, reaching the internet through `route`.
    pub(crate) fn with_internet_route(mut self, route: impl Into<AnyHandle>) -> Self {
        self.internet_route = Some(route.into());
        self
    }

    /// The route through which the subnets reach the internet, if they have their own: what
    /// an internet-facing resource in them must wait for when it is in the same stack.
    pub(crate) fn internet_route(&self) -> Option<&AnyHandle> {
        self.internet_route.as_ref()
    }

    /// The subnets, in AZ order.
    pub fn subnets(&self) -> &[Handle<Subnet>] {
        &self.subnets
    }

    /// The planned CIDR of each subnet, in AZ order.
    pub fn cidrs(&self) -> &[String] {
        &self.cidrs
    }

    /// The subnet ids, as the list value `SubnetIds`-style properties take.
    pub fn subnet_ids(&self) -> Value<List<Id<Subnet>>> {
        self.subnets
            .iter()
            .map(|subnet| subnet.reference())
            .collect::<Vec<_>>()
            .into()
    }

    /// How many subnets (availability zones) the group has.
    pub fn len(&self) -> usize {
        self.subnets.len()
    }

    /// Whether the group has no subnets (only when planning failed and was reported).
    pub fn is_empty(&self) -> bool {
        self.subnets.is_empty()
    }
}
