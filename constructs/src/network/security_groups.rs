//! The tiered security groups: web admits the internet, app admits web, database admits app.
//!
//! Rules between groups are [`Allow`] pairs of the EC2 block, so the groups do not reference
//! each other; each group has an inline egress list, because a group without one gets
//! CloudFormation's allow-all egress.

use crate::blocks::ec2::{https_egress, no_egress, tcp_ingress, Allow};
use crate::cfn::ec2::{SecurityGroup, Vpc};
use crate::{Handle, Scope};

use super::props::VpcThreeTierProps;

/// The tier security groups of a [`VpcThreeTier`](super::VpcThreeTier).
#[derive(Clone, Debug)]
pub struct TierSecurityGroups {
    /// Admits HTTPS (and HTTP when asked) from the configured CIDRs; sends only to the app port.
    pub web: Handle<SecurityGroup>,
    /// Admits the app port from the web group; sends to the database port and HTTPS out.
    pub app: Handle<SecurityGroup>,
    /// Admits the database port from the app group; sends nothing.
    pub database: Handle<SecurityGroup>,
}

pub(crate) fn add(
    scope: &mut Scope<'_>,
    vpc: &Handle<Vpc>,
    props: &VpcThreeTierProps,
) -> TierSecurityGroups {
    let mut web_ingress = Vec::new();
    for cidr in &props.web_ingress_cidrs {
        web_ingress.push(tcp_ingress(cidr, 443, "HTTPS"));
        if props.web_http {
            web_ingress.push(tcp_ingress(cidr, 80, "HTTP, to redirect to HTTPS"));
        }
    }
    let web = scope.add(
        "WebSecurityGroup",
        SecurityGroup::new("Web tier: HTTPS from the allowed networks")
            .vpc_id(vpc.reference())
            .security_group_ingress(web_ingress)
            .security_group_egress(vec![no_egress()]),
    );
    let app = scope.add(
        "AppSecurityGroup",
        SecurityGroup::new("App tier: the app port from the web tier")
            .vpc_id(vpc.reference())
            .security_group_egress(vec![https_egress()]),
    );
    let database = scope.add(
        "DatabaseSecurityGroup",
        SecurityGroup::new("Database tier: the database port from the app tier")
            .vpc_id(vpc.reference())
            .security_group_egress(vec![no_egress()]),
    );

    Allow::tcp(("Web", &web), ("App", &app), props.app_port)
        .descriptions("To the app tier", "From the web tier")
        .add_to(scope);
    Allow::tcp(("App", &app), ("Database", &database), props.database_port)
        .descriptions("To the database tier", "From the app tier")
        .add_to(scope);
    TierSecurityGroups { web, app, database }
}
