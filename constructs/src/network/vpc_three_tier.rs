//! The three-tier VPC construct.

use crate::cfn::ec2::network_acl_entry::PortRange;
use crate::cfn::ec2::{
    Eip, InternetGateway, NatGateway, NetworkAcl, NetworkAclEntry, Route, RouteTable,
    SecurityGroup, Subnet, SubnetNetworkAclAssociation, SubnetRouteTableAssociation, Vpc,
    VpcEndpoint, VpcGatewayAttachment,
};
use crate::cfn::logs::LogGroup;
use crate::cfn::Tag;
use crate::cidr::CidrPlan;
use crate::diagnostics::DomainError;
use crate::{fns, AnyHandle, AsScope, Handle, Output, ResourceOptions, Scope, Value};

use super::error::NetworkError;
use super::props::{NatStrategy, VpcThreeTierProps};
use super::security_groups::{self, TierSecurityGroups};
use super::vpc_plan::VpcPlan;
use super::zones;
use super::{default_sg_lockdown, flow_logs};
use crate::blocks::ec2::{
    no_egress, tcp_ingress, App, Database, EndpointService, Public, Reach, SubnetGroup, Tier,
};

/// A VPC with public, app and database subnets in each availability zone.
///
/// What it adds under its id (say `Network`): the VPC (DNS support and hostnames on); an
/// internet gateway; per AZ a public, an app and a database subnet with CIDRs from a
/// growth-stable [`CidrPlan`], in zones written into the template unless the stack has no pinned
/// region and the zones are a count (see [`Azs`](super::Azs)); a public route table with a default route to the internet
/// gateway; NAT gateways (per AZ by default) with their elastic IPs, and per-AZ app route tables
/// through them; one database route table with no route out; S3 and DynamoDB gateway endpoints
/// on the app and database route tables; flow logs to a log group through a role that may
/// write only there; a custom resource that empties the default security group; the tiered
/// security groups; optionally a network ACL on the database tier; and outputs.
///
/// ```
/// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Network");
/// let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
/// assert_eq!(network.app_subnets().len(), 3);
/// assert_eq!(network.vpc().logical_id(), "NetworkVpc");
/// app.add_stack(stack);
/// assert!(app.assemble().is_ok());
/// ```
///
/// A plan that cannot be made (a VPC block that is too small, too many AZs, …) does not panic:
/// the error is reported with its code and the construct path when the app is synthesized, and
/// the VPC is built without subnets.
#[derive(Clone, Debug)]
pub struct VpcThreeTier {
    vpc: Handle<Vpc>,
    plan: Option<CidrPlan>,
    public: SubnetGroup<Public>,
    app: SubnetGroup<App>,
    database: SubnetGroup<Database>,
    security_groups: TierSecurityGroups,
    endpoint_security_group: Option<Handle<SecurityGroup>>,
    flow_log_group: Option<Handle<LogGroup>>,
}

impl VpcThreeTier {
    /// Builds the VPC in `scope` under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: VpcThreeTierProps) -> Self {
        let mut parent = scope.as_scope();
        let mut scope = parent.child(id);
        let path = scope.path().to_owned();
        let region = scope.stack().environment().region.clone();
        let mut problems = Vec::new();
        let zones = match zones::resolve(&props.azs, region.as_deref()) {
            Ok(zones) => zones,
            Err(errors) => {
                problems.extend(errors.iter().map(|e| e.to_diagnostic(&path)));
                Vec::new()
            }
        };
        let plan = match props.plan() {
            Ok(plan) => Some(plan),
            Err(errors) => {
                problems.extend(errors.iter().map(|e| e.to_diagnostic(&path)));
                None
            }
        };
        let plan = if problems.is_empty() { plan } else { None };
        for diagnostic in problems {
            scope.report(diagnostic);
        }
        if let Some(plan) = &plan {
            scope.record_vpc_plan(VpcPlan::new(path.as_str(), plan.clone(), &zones));
        }
        let az_count = plan.as_ref().map_or(0, |p| p.az_count());

        let vpc = scope.add(
            "Vpc",
            Vpc::new()
                .cidr_block(props.cidr.as_str())
                .enable_dns_support(true)
                .enable_dns_hostnames(true)
                .tags(vec![name_tag(scope.path())]),
        );
        let igw = scope.add(
            "InternetGateway",
            InternetGateway::new().tags(vec![name_tag(scope.path())]),
        );
        let attachment = scope.add(
            "InternetGatewayAttachment",
            VpcGatewayAttachment::new(vpc.reference()).internet_gateway_id(igw.reference()),
        );

        let subnets = |scope: &mut Scope<'_>, tier_id: &str, tier_name: &str| {
            let mut handles = Vec::new();
            let mut cidrs = Vec::new();
            for az in 0..az_count {
                let planned = plan.as_ref().and_then(|p| p.subnet(tier_name, az));
                let (Some(planned), Some(zone)) = (planned, zones.get(usize::from(az))) else {
                    continue;
                };
                let cidr = planned.cidr().to_string();
                let id = format!("{tier_id}Subnet{}", az + 1);
                let path = format!("{}/{id}", scope.path());
                let subnet = scope.add_with(
                    &id,
                    zone.apply(Subnet::new(vpc.reference()).cidr_block(cidr.as_str()))
                        .map_public_ip_on_launch(false)
                        .tags(vec![name_tag(&path), Tag::new("tier", tier_name)]),
                    zones::lint_options(zone),
                );
                handles.push(subnet);
                cidrs.push(cidr);
            }
            (handles, cidrs)
        };
        let (public_subnets, public_cidrs) = subnets(&mut scope, Public::ID, Public::NAME);
        let (app_subnets, app_cidrs) = subnets(&mut scope, App::ID, App::NAME);
        let (db_subnets, db_cidrs) = subnets(&mut scope, Database::ID, Database::NAME);

        // Public: one route table, default route to the internet gateway.
        let public_rt = scope.add(
            "PublicRouteTable",
            RouteTable::new(vpc.reference())
                .tags(vec![name_tag(&format!("{}/Public", scope.path()))]),
        );
        let public_route = scope.add_with(
            "PublicDefaultRoute",
            Route::new(public_rt.reference())
                .destination_cidr_block("0.0.0.0/0")
                .gateway_id(igw.reference()),
            ResourceOptions::new().depends_on(&attachment),
        );
        associate(&mut scope, Public::ID, &public_subnets, |_| {
            public_rt.reference()
        });

        // NAT gateways in the public subnets of the first AZs.
        let nat_count = match props.nat {
            NatStrategy::PerAz => public_subnets.len(),
            NatStrategy::Single => public_subnets.len().min(1),
            NatStrategy::Count(n) => {
                let azs = u8::try_from(public_subnets.len()).unwrap_or(u8::MAX);
                // Without subnets the plan failed and was reported; a count cannot be judged.
                if azs > 0 && !(1..=azs).contains(&n) {
                    let error = NetworkError::NatCountOutOfRange { count: n, azs };
                    scope.report(error.to_diagnostic(&path));
                }
                usize::from(n).min(public_subnets.len())
            }
            NatStrategy::None => 0,
        };
        let mut nats: Vec<Handle<NatGateway>> = Vec::new();
        for (i, subnet) in public_subnets.iter().take(nat_count).enumerate() {
            let n = i + 1;
            let eip = scope.add_with(
                &format!("NatEip{n}"),
                Eip::new()
                    .domain("vpc")
                    .tags(vec![name_tag(&format!("{}/NatEip{n}", scope.path()))]),
                ResourceOptions::new().depends_on(&attachment),
            );
            nats.push(
                scope.add(
                    &format!("NatGateway{n}"),
                    NatGateway::new()
                        .subnet_id(subnet.reference())
                        .allocation_id(eip.att_allocation_id())
                        .tags(vec![name_tag(&format!("{}/NatGateway{n}", scope.path()))]),
                ),
            );
        }

        // App: a route table per AZ, to that AZ's NAT, or round-robin to the others' when
        // it has none (AZ i to gateway i mod n: per AZ and single are the two ends).
        let mut private_route_tables: Vec<Value<String>> = Vec::new();
        for (i, _) in app_subnets.iter().enumerate() {
            let n = i + 1;
            let rt = scope.add(
                &format!("AppRouteTable{n}"),
                RouteTable::new(vpc.reference())
                    .tags(vec![name_tag(&format!("{}/App{n}", scope.path()))]),
            );
            if let Some(nat) = nats.get(i % nats.len().max(1)) {
                scope.add(
                    &format!("AppDefaultRoute{n}"),
                    Route::new(rt.reference())
                        .destination_cidr_block("0.0.0.0/0")
                        .nat_gateway_id(nat.reference()),
                );
            }
            private_route_tables.push(rt.reference());
        }
        let app_rts = private_route_tables.clone();
        associate(&mut scope, App::ID, &app_subnets, |i| app_rts[i].clone());

        // Database: one route table with only the VPC's local route.
        let db_rt = scope.add(
            "DatabaseRouteTable",
            RouteTable::new(vpc.reference())
                .tags(vec![name_tag(&format!("{}/Database", scope.path()))]),
        );
        associate(&mut scope, Database::ID, &db_subnets, |_| db_rt.reference());
        private_route_tables.push(db_rt.reference());

        if props.gateway_endpoints {
            for (id, service) in [("S3Endpoint", "s3"), ("DynamoDbEndpoint", "dynamodb")] {
                scope.add(
                    id,
                    VpcEndpoint::new(vpc.reference())
                        .service_name(fns::sub(format!(
                            "com.amazonaws.${{AWS::Region}}.{service}"
                        )))
                        .vpc_endpoint_type("Gateway")
                        .route_table_ids(private_route_tables.clone()),
                );
            }
        }

        let app_block = plan
            .as_ref()
            .and_then(|p| p.tier(App::NAME))
            .and_then(|tier| tier.block())
            .map(|block| block.to_string());
        let endpoint_security_group = if props.interface_endpoints.is_empty() {
            None
        } else {
            // The tier's addresses, not its security group: what runs in the app subnets has
            // groups of its own (a Fargate service's, a function's), and all of it may call.
            let sources = app_block
                .clone()
                .map_or_else(|| app_cidrs.clone(), |b| vec![b]);
            Some(interface_endpoints(
                &mut scope,
                &vpc,
                &app_subnets,
                &sources,
                &props.interface_endpoints,
            ))
        };

        if props.database_nacl {
            if let Some(app_tier) = plan.as_ref().and_then(|p| p.tier(App::NAME)) {
                // The aligned layout gives the app tier one block; the decimal one does not,
                // so there each app subnet gets its own entries.
                let sources: Vec<(String, String)> = match app_tier.block() {
                    Some(block) => vec![(String::new(), block.to_string())],
                    None => app_cidrs
                        .iter()
                        .enumerate()
                        .map(|(i, cidr)| ((i + 1).to_string(), cidr.clone()))
                        .collect(),
                };
                database_nacl(&mut scope, &vpc, &db_subnets, &sources, props.database_port);
            }
        }

        let flow_log_group = props
            .flow_logs
            .as_ref()
            .map(|settings| flow_logs::add(&mut scope, &vpc, settings).log_group);
        if props.lock_default_security_group {
            default_sg_lockdown::add(&mut scope, &vpc);
        }
        let security_groups = security_groups::add(&mut scope, &vpc, &props);

        let built = Self {
            vpc,
            plan,
            public: SubnetGroup::new(public_subnets, public_cidrs)
                .with_internet_route(&public_route),
            app: SubnetGroup::new(app_subnets, app_cidrs).with_reach(if nats.is_empty() {
                Reach::EndpointsOnly {
                    interface: props.interface_endpoints.clone(),
                    s3_gateway: props.gateway_endpoints,
                }
            } else {
                Reach::Internet
            }),
            database: SubnetGroup::new(db_subnets, db_cidrs),
            security_groups,
            endpoint_security_group,
            flow_log_group,
        };
        built.add_outputs(&mut scope);
        built
    }

    fn add_outputs(&self, scope: &mut Scope<'_>) {
        scope.add_output(
            "VpcId",
            Output::new(self.vpc.reference()).description("The VPC"),
        );
        for (id, subnets, what) in [
            ("PublicSubnetIds", &self.public.subnets, "public"),
            (
                "AppSubnetIds",
                &self.app.subnets,
                "app (private, with egress)",
            ),
            (
                "DatabaseSubnetIds",
                &self.database.subnets,
                "database (isolated)",
            ),
        ] {
            if subnets.is_empty() {
                continue;
            }
            let ids: Vec<Value<String>> = subnets.iter().map(|s| s.reference().into()).collect();
            scope.add_output(
                id,
                Output::new(fns::join(",", ids))
                    .description(format!("The {what} subnets, comma-separated")),
            );
        }
        for (id, group, what) in [
            ("WebSecurityGroupId", &self.security_groups.web, "web"),
            ("AppSecurityGroupId", &self.security_groups.app, "app"),
            (
                "DatabaseSecurityGroupId",
                &self.security_groups.database,
                "database",
            ),
        ] {
            scope.add_output(
                id,
                Output::new(group.att_group_id())
                    .description(format!("The {what} tier security group")),
            );
        }
    }

    /// The VPC.
    pub fn vpc(&self) -> &Handle<Vpc> {
        &self.vpc
    }

    /// The CIDR plan, or `None` when planning failed (the error is reported at synth).
    pub fn plan(&self) -> Option<&CidrPlan> {
        self.plan.as_ref()
    }

    /// The public subnets, one per AZ.
    pub fn public_subnets(&self) -> &SubnetGroup<Public> {
        &self.public
    }

    /// The app subnets (private, with egress through NAT), one per AZ.
    pub fn app_subnets(&self) -> &SubnetGroup<App> {
        &self.app
    }

    /// The database subnets (isolated), one per AZ.
    pub fn database_subnets(&self) -> &SubnetGroup<Database> {
        &self.database
    }

    /// The tier security groups.
    pub fn security_groups(&self) -> &TierSecurityGroups {
        &self.security_groups
    }

    /// The security group of the interface endpoints, when there are any
    /// ([`VpcThreeTierProps::interface_endpoints`](super::VpcThreeTierProps::interface_endpoints)):
    /// it admits HTTPS from the app tier's addresses; admit more with
    /// [`Allow`](crate::blocks::ec2::Allow).
    pub fn endpoint_security_group(&self) -> Option<&Handle<SecurityGroup>> {
        self.endpoint_security_group.as_ref()
    }

    /// The flow log group, when flow logs are on.
    pub fn flow_log_group(&self) -> Option<&Handle<LogGroup>> {
        self.flow_log_group.as_ref()
    }
}

fn name_tag(path: &str) -> Tag {
    Tag::new("Name", path)
}

fn associate(
    scope: &mut Scope<'_>,
    tier_id: &str,
    subnets: &[Handle<Subnet>],
    route_table: impl Fn(usize) -> Value<String>,
) {
    for (i, subnet) in subnets.iter().enumerate() {
        scope.add(
            &format!("{tier_id}Subnet{}RouteTableAssociation", i + 1),
            SubnetRouteTableAssociation::new(route_table(i), subnet.reference()),
        );
    }
}

/// The interface endpoints to `services` in the app `subnets`, with private DNS, behind one
/// security group that admits HTTPS from `sources` (the app tier's CIDRs) and sends nothing.
fn interface_endpoints(
    scope: &mut Scope<'_>,
    vpc: &Handle<Vpc>,
    subnets: &[Handle<Subnet>],
    sources: &[String],
    services: &[EndpointService],
) -> Handle<SecurityGroup> {
    let group = scope.add(
        "EndpointSecurityGroup",
        SecurityGroup::new("Interface endpoints: HTTPS from the app tier only")
            .vpc_id(vpc.reference())
            .security_group_ingress(
                sources
                    .iter()
                    .map(|cidr| tcp_ingress(cidr, 443, "HTTPS from the app tier"))
                    .collect::<Vec<_>>(),
            )
            .security_group_egress(vec![no_egress()]),
    );
    let subnet_ids: Vec<Value<crate::kinds::Id<Subnet>>> =
        subnets.iter().map(|subnet| subnet.reference()).collect();
    for service in services {
        scope.add(
            &format!("{}Endpoint", service.id()),
            VpcEndpoint::new(vpc.reference())
                .service_name(fns::sub(service.to_string()))
                .vpc_endpoint_type("Interface")
                .private_dns_enabled(true)
                .subnet_ids(subnet_ids.clone())
                .security_group_ids(vec![group.att_group_id()]),
        );
    }
    group
}

/// The ports clients answer on: a network ACL is stateless, so the database's replies to the
/// app tier need an outbound rule to the client's ephemeral port. AWS lists 1024–65535 for
/// NAT gateways, Elastic Load Balancing and Lambda, and narrower ranges for Linux (32768–61000)
/// and Windows (49152–65535), so the widest covers every client
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html>).
pub(crate) const EPHEMERAL_PORTS: (u16, u16) = (1024, 65535);

/// A network ACL on the database subnets: in from the app tier's block on the database port
/// only, out to it on the ephemeral ports only (the replies); everything else, in either
/// direction, is denied by the ACL's default rule.
fn database_nacl(
    scope: &mut Scope<'_>,
    vpc: &Handle<Vpc>,
    subnets: &[Handle<Subnet>],
    sources: &[(String, String)],
    database_port: u16,
) {
    let acl = scope.add(
        "DatabaseNetworkAcl",
        NetworkAcl::new(vpc.reference())
            .tags(vec![name_tag(&format!("{}/Database", scope.path()))]),
    );
    let inbound = (database_port, database_port);
    // Each source `(suffix, cidr)` gets a rule each way; rule numbers count up from 100.
    for (rule, (suffix, cidr)) in (100..).zip(sources) {
        for (id, egress, (from, to)) in [
            ("DatabaseNaclFromApp", false, inbound),
            ("DatabaseNaclToApp", true, EPHEMERAL_PORTS),
        ] {
            scope.add(
                &format!("{id}{suffix}"),
                NetworkAclEntry::new(acl.reference(), 6, "allow", rule)
                    .egress(egress)
                    .cidr_block(cidr.as_str())
                    .port_range(PortRange::new().from(i64::from(from)).to(i64::from(to))),
            );
        }
    }
    for (i, subnet) in subnets.iter().enumerate() {
        scope.add(
            &format!("DatabaseSubnet{}NetworkAclAssociation", i + 1),
            SubnetNetworkAclAssociation::new(acl.reference(), subnet.reference()),
        );
    }
}

impl From<&VpcThreeTier> for AnyHandle {
    /// Depending on the VPC construct means depending on its VPC resource.
    fn from(v: &VpcThreeTier) -> Self {
        AnyHandle::from(&v.vpc)
    }
}
