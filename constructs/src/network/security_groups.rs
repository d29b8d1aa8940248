//! The tiered security groups: web admits the internet, app admits web, database admits app.
//!
//! Rules between groups are separate `SecurityGroupIngress`/`SecurityGroupEgress` resources, so
//! the groups do not reference each other (which would be a dependency cycle). Each group has
//! an inline egress list, because a group without one gets CloudFormation's allow-all egress.

use crate::cfn::ec2::{
    security_group, SecurityGroup, SecurityGroupEgress, SecurityGroupIngress, Vpc,
};
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

/// An egress rule that matches no packet (ICMP type 252, code 86, to a single broadcast
/// address), the usual way to say "no egress" in CloudFormation.
pub(crate) fn no_egress() -> security_group::Egress {
    security_group::Egress::new("icmp")
        .cidr_ip("255.255.255.255/32")
        .from_port(252)
        .to_port(86)
        .description("Disallow all traffic")
}

/// The egress rule of a tier that calls AWS APIs and the internet: TCP 443 anywhere.
pub(crate) fn https_egress() -> security_group::Egress {
    security_group::Egress::new("tcp")
        .cidr_ip("0.0.0.0/0")
        .from_port(443)
        .to_port(443)
        .description("HTTPS to AWS APIs and the internet")
}

/// An ingress rule for TCP `port` from `cidr`.
pub(crate) fn tcp_ingress(cidr: &str, port: u16, description: &str) -> security_group::Ingress {
    security_group::Ingress::new("tcp")
        .cidr_ip(cidr)
        .from_port(i64::from(port))
        .to_port(i64::from(port))
        .description(description)
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

    let app_port = i64::from(props.app_port);
    let db_port = i64::from(props.database_port);
    scope.add(
        "WebToAppEgress",
        SecurityGroupEgress::new(web.att_group_id(), "tcp")
            .destination_security_group_id(app.att_group_id())
            .from_port(app_port)
            .to_port(app_port)
            .description("To the app tier"),
    );
    scope.add(
        "AppFromWebIngress",
        SecurityGroupIngress::new("tcp")
            .group_id(app.att_group_id())
            .source_security_group_id(web.att_group_id())
            .from_port(app_port)
            .to_port(app_port)
            .description("From the web tier"),
    );
    scope.add(
        "AppToDatabaseEgress",
        SecurityGroupEgress::new(app.att_group_id(), "tcp")
            .destination_security_group_id(database.att_group_id())
            .from_port(db_port)
            .to_port(db_port)
            .description("To the database tier"),
    );
    scope.add(
        "DatabaseFromAppIngress",
        SecurityGroupIngress::new("tcp")
            .group_id(database.att_group_id())
            .source_security_group_id(app.att_group_id())
            .from_port(db_port)
            .to_port(db_port)
            .description("From the app tier"),
    );
    TierSecurityGroups { web, app, database }
}
