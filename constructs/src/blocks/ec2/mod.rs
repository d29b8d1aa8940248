//! EC2: subnet tiers as types ([`SubnetGroup`] of [`Public`], [`App`] or [`Database`]
//! subnets, built by a pattern or existing ones by id, parameter or import), existing VPCs
//! and security groups ([`VpcRef`], [`SecurityGroupRef`]), the services an interface endpoint
//! reaches ([`EndpointService`]), and security-group rules: [`Allow`], "group A may reach
//! group B on port P", written once as the egress and ingress pair it takes, and the inline
//! rules every tier uses.
//!
//! Rules between groups are separate `SecurityGroupEgress`/`SecurityGroupIngress` resources,
//! so the groups never reference each other (which would be a dependency cycle) and a group in
//! one construct can admit a group of another. A group created without an inline egress list
//! gets CloudFormation's allow-all egress, so every group of the library lists its egress:
//! [`no_egress`] or [`https_egress`].

mod endpoints;
mod existing;
mod tier;

pub use endpoints::EndpointService;
pub(crate) use endpoints::Reach;
pub use existing::{Ec2Error, Ec2Ref, Referable, SecurityGroupRef, VpcRef};
pub use tier::{App, Database, Public, SubnetGroup, Tier};

use crate::cfn::ec2::{security_group, SecurityGroupEgress, SecurityGroupIngress};
use crate::diagnostics::DomainError;
use crate::{AsScope, Handle};

/// An egress rule that matches no packet (ICMP type 252, code 86, to a single broadcast
/// address), the usual way to say "no egress" in CloudFormation.
///
/// ```
/// use constructs::blocks::ec2::no_egress;
/// use constructs::cfn::ec2::SecurityGroup;
///
/// let locked = SecurityGroup::new("Sends nothing").security_group_egress(vec![no_egress()]);
/// # let _ = locked;
/// ```
pub fn no_egress() -> security_group::Egress {
    security_group::Egress::new("icmp")
        .cidr_ip("255.255.255.255/32")
        .from_port(252)
        .to_port(86)
        .description("Disallow all traffic")
}

/// The egress rule of a group that calls AWS APIs and the internet: TCP 443 anywhere.
///
/// ```
/// use constructs::blocks::ec2::https_egress;
/// use constructs::cfn::ec2::SecurityGroup;
///
/// let app = SecurityGroup::new("Calls AWS APIs").security_group_egress(vec![https_egress()]);
/// # let _ = app;
/// ```
pub fn https_egress() -> security_group::Egress {
    security_group::Egress::new("tcp")
        .cidr_ip("0.0.0.0/0")
        .from_port(443)
        .to_port(443)
        .description("HTTPS to AWS APIs and the internet")
}

/// An inline ingress rule for TCP `port` from `cidr`.
///
/// ```
/// use constructs::blocks::ec2::tcp_ingress;
/// use constructs::cfn::ec2::SecurityGroup;
///
/// let web = SecurityGroup::new("Web").security_group_ingress(vec![tcp_ingress("0.0.0.0/0", 443, "HTTPS")]);
/// # let _ = web;
/// ```
pub fn tcp_ingress(cidr: &str, port: u16, description: &str) -> security_group::Ingress {
    security_group::Ingress::new("tcp")
        .cidr_ip(cidr)
        .from_port(i64::from(port))
        .to_port(i64::from(port))
        .description(description)
}

/// "`from` may reach `to` on TCP `port`": the egress rule on `from` and the ingress rule on
/// `to`, always both, so neither side is left open or closed by a forgotten half.
///
/// Added under ids built from the names you give the two sides: `{From}To{To}Egress` and
/// `{To}From{From}Ingress`. Either side may be a group of this app (`&Handle<SecurityGroup>`)
/// or an existing one ([`SecurityGroupRef`]: by id, parameter or import); a malformed literal
/// id is reported with the scope's path (`invalid-resource-id`).
///
/// ```
/// use constructs::blocks::ec2::{https_egress, no_egress, Allow};
/// use constructs::cfn::ec2::{SecurityGroup, Vpc};
/// use constructs::{App, Stack};
///
/// let mut stack = Stack::new("Net");
/// let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
/// let web = stack.add(
///     "WebSg",
///     SecurityGroup::new("Web").vpc_id(vpc.reference()).security_group_egress(vec![no_egress()]),
/// );
/// let app = stack.add(
///     "AppSg",
///     SecurityGroup::new("App").vpc_id(vpc.reference()).security_group_egress(vec![https_egress()]),
/// );
/// let rules = Allow::tcp(("Web", &web), ("App", &app), 8080).add_to(&mut stack);
/// assert_eq!(rules.egress.logical_id(), "WebToAppEgress");
/// assert_eq!(rules.ingress.logical_id(), "AppFromWebIngress");
/// let mut app_ = App::new();
/// app_.add_stack(stack);
/// assert!(app_.assemble().is_ok());
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct Allow {
    from_name: String,
    from: SecurityGroupRef,
    to_name: String,
    to: SecurityGroupRef,
    port: u16,
    egress_description: String,
    ingress_description: String,
}

/// The two rules an [`Allow`] added.
#[derive(Clone, Debug)]
pub struct AllowedRules {
    /// The egress rule on the sending group.
    pub egress: Handle<SecurityGroupEgress>,
    /// The ingress rule on the receiving group.
    pub ingress: Handle<SecurityGroupIngress>,
}

impl Allow {
    /// `from` may reach `to` on TCP `port`; each side is `(name, group)`. The rules are
    /// described `To {to name}` and `From {from name}` unless
    /// [`descriptions`](Self::descriptions) says otherwise.
    pub fn tcp(
        from: (&str, impl Into<SecurityGroupRef>),
        to: (&str, impl Into<SecurityGroupRef>),
        port: u16,
    ) -> Self {
        Self {
            egress_description: format!("To {}", to.0),
            ingress_description: format!("From {}", from.0),
            from_name: from.0.to_owned(),
            from: from.1.into(),
            to_name: to.0.to_owned(),
            to: to.1.into(),
            port,
        }
    }

    /// The descriptions of the egress rule (seen on the sender) and the ingress rule (seen on
    /// the receiver).
    pub fn descriptions(mut self, egress: impl Into<String>, ingress: impl Into<String>) -> Self {
        self.egress_description = egress.into();
        self.ingress_description = ingress.into();
        self
    }

    /// Adds both rules to `scope`.
    pub fn add_to(self, scope: &mut impl AsScope) -> AllowedRules {
        let mut scope = scope.as_scope();
        let path = scope.path().to_owned();
        for problem in self.from.problems().iter().chain(self.to.problems()) {
            scope.report(problem.to_diagnostic(&path));
        }
        let port = i64::from(self.port);
        let egress = scope.add(
            &format!("{}To{}Egress", self.from_name, self.to_name),
            SecurityGroupEgress::new(self.from.id(), "tcp")
                .destination_security_group_id(self.to.id())
                .from_port(port)
                .to_port(port)
                .description(self.egress_description),
        );
        let ingress = scope.add(
            &format!("{}From{}Ingress", self.to_name, self.from_name),
            SecurityGroupIngress::new("tcp")
                .group_id(self.to.id())
                .source_security_group_id(self.from.id())
                .from_port(port)
                .to_port(port)
                .description(self.ingress_description),
        );
        AllowedRules { egress, ingress }
    }
}
