//! Networks: the three-tier VPC and its typed subnet tiers.
//!
//! [`VpcThreeTier`] builds a production VPC from a block and a few choices
//! ([`VpcThreeTierProps`]). Its subnets come in [`SubnetGroup`]s typed by [`Tier`], so a
//! construct that must run in private subnets asks for `&SubnetGroup<App>` and cannot be given
//! public ones. CIDRs come from the growth-stable planner in [`cidr`](crate::cidr): adding AZs
//! (up to the declared maximum) never moves a subnet.

mod default_sg_lockdown;
mod flow_logs;
mod props;
mod security_groups;
mod vpc_three_tier;

pub use props::{Azs, FlowLogs, NatStrategy, VpcThreeTierProps};
pub use security_groups::TierSecurityGroups;
// The tier types belong to the EC2 block (services in other patterns take them); they are
// re-exported here, where a network's users meet them.
pub use crate::blocks::ec2::{App, Database, Public, SubnetGroup, Tier};
pub use vpc_three_tier::VpcThreeTier;
