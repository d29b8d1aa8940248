//! The choices a [`VpcThreeTier`](super::VpcThreeTier) is built from.

use crate::blocks::ec2::EndpointService;
use crate::blocks::logs::RetentionDays;
use crate::cidr::{CidrError, CidrPlan, CidrPlanBuilder, Layout};

/// How app subnets reach the internet.
///
/// Gateways sit in the public subnets of the first AZs, one each: gateway `k` (ids
/// `NatEip{k+1}`, `NatGateway{k+1}`) in AZ `k`. The app subnet of AZ `i` routes through gateway
/// `i mod n` for `n` gateways: its own AZ's when that AZ has one, the others round-robin. So
/// [`PerAz`](Self::PerAz) is `Count(azs)` and [`Single`](Self::Single) is `Count(1)`, with the
/// same resources and ids, and changing the count adds or removes gateways at the end without
/// renaming the others.
///
/// ```
/// use constructs::network::{Azs, NatStrategy, VpcThreeTier, VpcThreeTierProps};
/// use constructs::{App, Stack};
///
/// let mut stack = Stack::new("Network");
/// VpcThreeTier::new(
///     &mut stack,
///     "Network",
///     VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(3)).nat(NatStrategy::Count(2)),
/// );
/// let mut app = App::new();
/// app.add_stack(stack);
/// let json = &app.assemble().unwrap().stacks[0].json;
/// assert!(json.contains("NetworkNatGateway2") && !json.contains("NetworkNatGateway3"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NatStrategy {
    /// One NAT gateway per AZ, each app subnet routed through its own AZ's (the default: an AZ
    /// outage does not cut the others off).
    #[default]
    PerAz,
    /// One NAT gateway in the first AZ for all app subnets (cheaper, not AZ-resilient).
    Single,
    /// `n` NAT gateways, 1 to the AZ count, in the first `n` AZs; the app subnets of the
    /// other AZs share them round-robin (AZ `i` uses gateway `i mod n`). Outside that range
    /// is `nat-count-out-of-range` at synth.
    Count(u8),
    /// No NAT: app subnets have no route out of the VPC. What they reach are the gateway
    /// endpoints (S3, DynamoDB) and the interface endpoints of
    /// [`VpcThreeTierProps::interface_endpoints`]; a [`FargateService`](crate::fargate::FargateService)
    /// in them is checked to have the endpoints it needs (`missing-vpc-endpoints`).
    None,
}

/// Which availability zones the VPC spans: 2–6 of them, AZ index 0 first.
///
/// A subnet whose zone changes is replaced, with everything in it, so the zones are written
/// into the template whenever they can be:
///
/// - [`Names`](Azs::Names) and [`Ids`](Azs::Ids) are written as given. A zone name such as
///   `us-east-1a` is fixed for an account, but in the oldest regions names map to different
///   physical zones in different accounts; an id such as `use1-az1` is the same zone in every
///   account, so use ids to line subnets up across accounts.
/// - [`Count`](Azs::Count) in a stack pinned to a region ([`Stack::env`](crate::Stack::env))
///   takes the first names of that region from the vendored zone data (the list cfn-lint
///   1.58.0 validates zone names against) and writes them. The data is append-only, so a
///   refresh never changes a name already chosen; an account without one of them fails the
///   deploy, and moves nothing.
/// - [`Count`](Azs::Count) in a stack without a pinned region is the one form left to
///   CloudFormation: `Fn::Select [i, Fn::GetAZs ""]`. `Fn::GetAZs` "returns only Availability
///   Zones that have a default subnet unless none of the Availability Zones has a default
///   subnet", and its order "can change when new Availability Zones are added" (the
///   CloudFormation template reference). Creating or deleting a default subnet, or a new zone
///   in the region, can therefore change the zone of AZ index `i` at the next deploy and
///   replace its subnets. Use it for throwaway stacks; pin the region or name the zones for
///   anything that lives.
///
/// In a pinned stack, a name or id that cannot be in the region is refused
/// ([`Code::InvalidAvailabilityZone`](crate::Code::InvalidAvailabilityZone)), as is an empty
/// one anywhere; see [`ZoneError`](super::ZoneError).
///
/// ```
/// use constructs::network::{Azs, VpcThreeTier, VpcThreeTierProps};
/// use constructs::{App, Env, Stack};
///
/// let mut app = App::new();
/// let pinned = Env { region: Some("eu-west-1".into()), ..Env::default() };
/// let mut stack = Stack::new("Network").env(pinned);
/// let network = VpcThreeTier::new(&mut stack, "Vpc", VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(2)));
/// app.add_stack(stack);
/// let assembly = app.assemble().unwrap();
/// assert!(assembly.stacks[0].json.contains(r#""AvailabilityZone": "eu-west-1b""#));
/// assert!(!assembly.stacks[0].json.contains("Fn::GetAZs"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Azs {
    /// N zones, 2–6: the first N names of the pinned region's zone data, or, in a stack
    /// without a pinned region, `Fn::GetAZs` (which can move subnets; see above).
    Count(u8),
    /// Zone names, such as `eu-west-1a`, written as `AvailabilityZone`.
    Names(Vec<String>),
    /// Zone ids, such as `euw1-az1`, written as `AvailabilityZoneId`: the same zones in every
    /// account.
    Ids(Vec<String>),
}

impl Azs {
    pub(crate) fn count(&self) -> u8 {
        match self {
            Azs::Count(n) => *n,
            Azs::Names(zones) | Azs::Ids(zones) => u8::try_from(zones.len()).unwrap_or(u8::MAX),
        }
    }
}

/// The VPC flow log settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowLogs {
    /// How long the log group keeps events (default a year).
    pub retention: RetentionDays,
    /// `ALL`, `ACCEPT` or `REJECT`.
    pub traffic_type: &'static str,
}

impl Default for FlowLogs {
    fn default() -> Self {
        Self {
            retention: RetentionDays::Days365,
            traffic_type: "ALL",
        }
    }
}

/// The choices of a three-tier VPC. Start from [`VpcThreeTierProps::new`] with the VPC block;
/// every other choice has a production default.
///
/// ```
/// use constructs::network::{Azs, NatStrategy, VpcThreeTierProps};
///
/// let props = VpcThreeTierProps::new("10.0.0.0/16")
///     .azs(Azs::Count(2))
///     .nat(NatStrategy::Single)
///     .app_port(8080)
///     .database_port(5432);
/// let plan = props.plan().unwrap();
/// assert_eq!(plan.subnet("app", 0).unwrap().cidr().to_string(), "10.0.8.0/24");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct VpcThreeTierProps {
    pub(crate) cidr: String,
    pub(crate) azs: Azs,
    pub(crate) max_azs: u8,
    pub(crate) prefixes: [u8; 3],
    pub(crate) layout: Layout,
    pub(crate) nat: NatStrategy,
    pub(crate) gateway_endpoints: bool,
    pub(crate) interface_endpoints: Vec<EndpointService>,
    pub(crate) flow_logs: Option<FlowLogs>,
    pub(crate) lock_default_security_group: bool,
    pub(crate) web_ingress_cidrs: Vec<String>,
    pub(crate) web_http: bool,
    pub(crate) app_port: u16,
    pub(crate) database_port: u16,
    pub(crate) database_nacl: bool,
}

impl VpcThreeTierProps {
    /// A VPC on `cidr` (an IPv4 block from /16 to /28) with the defaults: 3 AZs (room to grow
    /// to 6 without moving a subnet), /24 subnets in every tier, a NAT gateway per AZ, S3 and
    /// DynamoDB gateway endpoints, flow logs kept a year, the default security group locked
    /// down, HTTPS from anywhere to the web tier, app port 8080, database port 5432.
    pub fn new(cidr: impl Into<String>) -> Self {
        Self {
            cidr: cidr.into(),
            azs: Azs::Count(3),
            max_azs: crate::cidr::DEFAULT_MAX_AZS,
            prefixes: [24, 24, 24],
            layout: Layout::default(),
            nat: NatStrategy::default(),
            gateway_endpoints: true,
            interface_endpoints: Vec::new(),
            flow_logs: Some(FlowLogs::default()),
            lock_default_security_group: true,
            web_ingress_cidrs: vec!["0.0.0.0/0".to_owned()],
            web_http: false,
            app_port: 8080,
            database_port: 5432,
            database_nacl: false,
        }
    }

    /// The availability zones: names, ids, or a count; 2–6. See [`Azs`] for which forms are
    /// written into the template and which one can move subnets.
    pub fn azs(mut self, azs: Azs) -> Self {
        self.azs = azs;
        self
    }

    /// The most AZs the VPC may ever grow to (2–6, default 6). Each tier reserves room for this
    /// many subnets, so adding AZs later never moves a subnet.
    ///
    /// Changing the maximum later moves every tier unless the room stays the same: a tier's
    /// block holds the next power of two of subnets (2, 4 or 8), so 3 and 4 give the same
    /// blocks, as do 5 and 6, and changing between those moves nothing.
    pub fn max_azs(mut self, max_azs: u8) -> Self {
        self.max_azs = max_azs;
        self
    }

    /// Subnet prefix lengths of the public, app and database tiers (default /24 each).
    pub fn prefixes(mut self, public: u8, app: u8, database: u8) -> Self {
        self.prefixes = [public, app, database];
        self
    }

    /// The CIDR layout (default: aligned tier blocks; see [`Layout`]).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// How app subnets reach the internet.
    pub fn nat(mut self, nat: NatStrategy) -> Self {
        self.nat = nat;
        self
    }

    /// Turns the S3 and DynamoDB gateway endpoints off (they are free and on by default).
    pub fn without_gateway_endpoints(mut self) -> Self {
        self.gateway_endpoints = false;
        self
    }

    /// Interface endpoints (AWS PrivateLink) to `services`, so that the app subnets reach them
    /// without NAT: each an `AWS::EC2::VPCEndpoint` of type `Interface` for
    /// `com.amazonaws.${AWS::Region}.<service>` in the app subnets (one per AZ), with private
    /// DNS on (the services' usual names resolve to the endpoints inside the VPC), under the
    /// id `{Service}Endpoint`. They share one security group, `EndpointSecurityGroup`, that
    /// admits HTTPS (443) from the app tier's addresses only and sends nothing. A service
    /// listed twice gets one endpoint.
    ///
    /// Each endpoint is billed per AZ and hour; for a private Fargate service pulling from
    /// ECR with logs, the least is `EcrApi`, `EcrDkr` and `Logs` (plus the S3 gateway
    /// endpoint, on by default), and `SecretsManager` or `Ssm` for the secrets it injects.
    ///
    /// ```
    /// use constructs::blocks::ec2::EndpointService;
    /// use constructs::network::{NatStrategy, VpcThreeTier, VpcThreeTierProps};
    /// use constructs::{App, Stack};
    ///
    /// let mut stack = Stack::new("Network");
    /// VpcThreeTier::new(
    ///     &mut stack,
    ///     "Network",
    ///     VpcThreeTierProps::new("10.0.0.0/16")
    ///         .nat(NatStrategy::None)
    ///         .interface_endpoints([EndpointService::EcrApi, EndpointService::EcrDkr, EndpointService::Logs]),
    /// );
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// let json = &app.assemble().unwrap().stacks[0].json;
    /// assert!(json.contains("NetworkEcrDkrEndpoint"));
    /// assert!(json.contains("com.amazonaws.${AWS::Region}.ecr.dkr"));
    /// ```
    pub fn interface_endpoints(
        mut self,
        services: impl IntoIterator<Item = EndpointService>,
    ) -> Self {
        for service in services {
            if !self.interface_endpoints.contains(&service) {
                self.interface_endpoints.push(service);
            }
        }
        self
    }

    /// Flow log settings, or `None` to turn flow logs off.
    pub fn flow_logs(mut self, flow_logs: Option<FlowLogs>) -> Self {
        self.flow_logs = flow_logs;
        self
    }

    /// Leaves the VPC's default security group as AWS creates it (by default its rules are
    /// removed by a small custom resource).
    pub fn keep_default_security_group(mut self) -> Self {
        self.lock_default_security_group = false;
        self
    }

    /// The CIDRs the web tier admits (default `0.0.0.0/0`).
    pub fn web_ingress_cidrs<S: Into<String>>(
        mut self,
        cidrs: impl IntoIterator<Item = S>,
    ) -> Self {
        self.web_ingress_cidrs = cidrs.into_iter().map(Into::into).collect();
        self
    }

    /// Also admits HTTP (port 80) to the web tier, for redirects to HTTPS.
    pub fn web_http(mut self) -> Self {
        self.web_http = true;
        self
    }

    /// The port the app tier listens on (from the web tier only).
    pub fn app_port(mut self, port: u16) -> Self {
        self.app_port = port;
        self
    }

    /// The port the database tier listens on (from the app tier only).
    pub fn database_port(mut self, port: u16) -> Self {
        self.database_port = port;
        self
    }

    /// Adds a network ACL on the database subnets: TCP in from the app tier's block on the
    /// [database port](Self::database_port) only, and out to the app tier on the ephemeral
    /// ports 1024–65535 only (the replies: a network ACL is stateless). Everything else, in
    /// and out, is denied, including the S3 and DynamoDB gateway endpoints: the database
    /// tier is for databases, which reach no AWS API from inside the subnet.
    pub fn database_nacl(mut self) -> Self {
        self.database_nacl = true;
        self
    }

    /// The CIDR plan these props produce, or every reason there is none.
    pub fn plan(&self) -> Result<CidrPlan, Vec<CidrError>> {
        CidrPlanBuilder::new(self.cidr.as_str(), self.azs.count())
            .max_azs(self.max_azs)
            .tier("public", self.prefixes[0])
            .tier("app", self.prefixes[1])
            .tier("database", self.prefixes[2])
            .layout(self.layout)
            .build()
    }
}
