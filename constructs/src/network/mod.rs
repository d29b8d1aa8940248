//! Networks: the three-tier VPC and its typed subnet tiers.
//!
//! [`VpcThreeTier`] builds a production VPC from a block and a few choices
//! ([`VpcThreeTierProps`]). Its subnets come in [`SubnetGroup`]s typed by [`Tier`], so a
//! construct that must run in private subnets asks for `&SubnetGroup<App>` and cannot be given
//! public ones. CIDRs come from the growth-stable planner in [`cidr`](crate::cidr): adding AZs
//! (up to the declared maximum) never moves a subnet.
//!
//! # What can move a subnet
//!
//! CloudFormation replaces a subnet whose CIDR or zone changes (both are create-only
//! properties of `AWS::EC2::Subnet`), and everything in it with it. With this pattern:
//!
//! - **never**: adding AZs up to the declared maximum ([`VpcThreeTierProps::max_azs`]), in
//!   any zone form; turning options on or off (NAT, endpoints, flow logs, ACL);
//! - **the zones**: changing a zone name or id, switching between names, ids and a count, or
//!   pinning the region of a stack that used a count (its zones go from `Fn::GetAZs` to
//!   names) replaces the subnets of the AZs that change. A count in a stack without a pinned
//!   region is decided by `Fn::GetAZs` at each deploy, and can move subnets when the account's
//!   default subnets change (see [`Azs`]);
//! - **the CIDRs**: changing the VPC block, a tier's prefix, the layout, or the declared
//!   maximum when the room it gives changes (2 → 3 does, 3 → 4 does not; see
//!   [`VpcThreeTierProps::max_azs`]).
//!
//! # Existing networks
//!
//! A VPC built elsewhere is used by reference: [`VpcRef`] (a literal id, a
//! `Parameter::vpc_id()`, an import) and [`SubnetGroup`]s of existing subnets with their tier
//! declared in the type ([`SubnetGroup::from_ids`], [`from_values`](SubnetGroup::from_values),
//! [`from_list`](SubnetGroup::from_list), [`from_import`](SubnetGroup::from_import)), so the
//! patterns that take a VPC and app subnets take them too, and the wrong tier still does not
//! compile. Security groups by id are [`SecurityGroupRef`]s.
//!
//! # Without NAT
//!
//! With [`NatStrategy::None`] the app subnets reach AWS only through endpoints: the S3 and
//! DynamoDB gateway endpoints (on by default) and the interface endpoints listed in
//! [`VpcThreeTierProps::interface_endpoints`]. A [`FargateService`](crate::fargate::FargateService)
//! in such subnets is checked at synth to have what it needs to start (ECR, Logs, the
//! secrets' service, S3 for image layers), as `missing-vpc-endpoints`.
//!
//! `--plan` (see [`synth::run`](crate::synth::run)) prints each VPC's subnets with their
//! zones, and the room left to grow, without writing anything.

mod default_sg_lockdown;
mod error;
mod flow_logs;
mod props;
mod security_groups;
mod vpc_plan;
mod vpc_three_tier;
mod zone_data;
mod zones;

pub use error::NetworkError;
pub use props::{Azs, FlowLogs, NatStrategy, VpcThreeTierProps};
pub use security_groups::TierSecurityGroups;
pub use vpc_plan::VpcPlan;
pub use zones::ZoneError;
// The tier types belong to the EC2 block (services in other patterns take them); they are
// re-exported here, where a network's users meet them.
pub use crate::blocks::ec2::{
    App, Database, EndpointService, Public, SecurityGroupRef, SubnetGroup, Tier, VpcRef,
};
pub use vpc_three_tier::VpcThreeTier;
