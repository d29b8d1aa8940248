//! The choices a [`FargateService`](super::FargateService) is built from.

use crate::blocks::ec2::{App, SecurityGroupRef, SubnetGroup, VpcRef};
use crate::blocks::logs::RetentionDays;
use crate::cfn::ecs::Cluster;
use crate::iam::Grant;
use crate::Handle;

use super::alb::AlbProps;
use super::container::Container;
use super::scaling::AutoScaling;
use super::size::{FargateSize, FargateSizeError};

/// The CPU architecture tasks run on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CpuArchitecture {
    /// x86-64 (the default: what most images are built for).
    #[default]
    X86_64,
    /// 64-bit ARM (Graviton): about 20% cheaper; the image must be built for it.
    Arm64,
}

impl CpuArchitecture {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CpuArchitecture::X86_64 => "X86_64",
            CpuArchitecture::Arm64 => "ARM64",
        }
    }
}

/// A database the service connects to: its security group and port. The service's group may
/// send to it on that port, and it admits the service's group on that port.
///
/// ```
/// use constructs::blocks::ec2::SecurityGroupRef;
/// use constructs::fargate::DatabaseAccess;
///
/// // A database built elsewhere, by its security group's id.
/// let existing = DatabaseAccess::new(SecurityGroupRef::from_id("sg-0123456789abcdef0"), 5432);
/// # let _ = existing;
/// ```
#[derive(Clone, Debug)]
pub struct DatabaseAccess {
    pub(crate) security_group: SecurityGroupRef,
    pub(crate) port: u16,
}

impl DatabaseAccess {
    /// The database behind `security_group` (a group of this app, or an existing one by id,
    /// parameter or import), listening on `port`.
    pub fn new(security_group: impl Into<SecurityGroupRef>, port: u16) -> Self {
        Self {
            security_group: security_group.into(),
            port,
        }
    }
}

/// The choices of a Fargate service. Start from [`FargateServiceProps::new`] with the VPC, the
/// app subnets the tasks run in, the load balancer and the container; every other choice has
/// a production default.
///
/// ```
/// use constructs::fargate::{
///     AlbListener, AlbPlacement, AlbProps, AutoScaling, Container, ContainerImage,
///     CpuArchitecture, FargateServiceProps, FargateSize, GiB,
/// };
/// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
/// use constructs::Stack;
///
/// let mut stack = Stack::new("Web");
/// let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
/// let props = FargateServiceProps::new(
///     network.vpc(),
///     network.app_subnets(),
///     AlbProps::new(
///         AlbPlacement::InternetFacing(network.public_subnets().clone()),
///         AlbListener::https("arn:aws:acm:eu-west-1:123456789012:certificate/abc"),
///     ),
///     Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
/// )
/// .size(FargateSize::one_vcpu(GiB::<2>))
/// .architecture(CpuArchitecture::Arm64)
/// .desired_count(3)
/// .auto_scaling(Some(AutoScaling::new(3, 12)));
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct FargateServiceProps {
    pub(crate) vpc: VpcRef,
    pub(crate) subnets: SubnetGroup<App>,
    pub(crate) alb: AlbProps,
    pub(crate) container: Container,
    pub(crate) size: Result<FargateSize, FargateSizeError>,
    pub(crate) architecture: CpuArchitecture,
    pub(crate) cluster: Option<Handle<Cluster>>,
    pub(crate) desired_count: Option<u32>,
    pub(crate) health_check_grace_period: u32,
    pub(crate) execute_command: bool,
    pub(crate) log_retention: RetentionDays,
    pub(crate) auto_scaling: Option<AutoScaling>,
    pub(crate) task_grants: Vec<Grant>,
    pub(crate) databases: Vec<DatabaseAccess>,
}

impl FargateServiceProps {
    /// A service in `vpc` whose tasks run in `subnets` (app tier only), behind `alb`, running
    /// `container`. Defaults: 0.25 vCPU with 0.5 GiB, x86-64, a cluster of its own with
    /// Container Insights, 2 tasks, 60 s health-check grace period, ECS Exec off, logs kept 30
    /// days, scaling between 2 and 4 tasks on CPU at 70%, no task role.
    ///
    /// The VPC and subnets may be a [`VpcThreeTier`](crate::network::VpcThreeTier)'s or
    /// existing ones ([`VpcRef`], [`SubnetGroup::from_ids`] and its siblings):
    ///
    /// ```
    /// use constructs::blocks::ec2::{App, Public, SubnetGroup, VpcRef};
    /// use constructs::fargate::{AlbListener, AlbPlacement, AlbProps, Container, ContainerImage, FargateServiceProps};
    ///
    /// let props = FargateServiceProps::new(
    ///     VpcRef::from_id("vpc-0123456789abcdef0"),
    ///     &SubnetGroup::<App>::from_ids(["subnet-0a1b2c3d", "subnet-4e5f6a7b"]),
    ///     AlbProps::new(
    ///         AlbPlacement::InternetFacing(SubnetGroup::<Public>::from_import("Net-PublicSubnetIds", 2)),
    ///         AlbListener::https("arn:aws:acm:eu-west-1:123456789012:certificate/abc"),
    ///     ),
    ///     Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
    /// );
    /// # let _ = props;
    /// ```
    pub fn new(
        vpc: impl Into<VpcRef>,
        subnets: &SubnetGroup<App>,
        alb: AlbProps,
        container: Container,
    ) -> Self {
        Self {
            vpc: vpc.into(),
            subnets: subnets.clone(),
            alb,
            container,
            size: Ok(FargateSize::default()),
            architecture: CpuArchitecture::default(),
            cluster: None,
            desired_count: None,
            health_check_grace_period: 60,
            execute_command: false,
            log_retention: RetentionDays::Days30,
            auto_scaling: Some(AutoScaling::new(2, 4)),
            task_grants: Vec::new(),
            databases: Vec::new(),
        }
    }

    /// The task's CPU and memory.
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = Ok(size);
        self
    }

    /// The task's CPU units and memory (MiB) from run-time input; a pair Fargate does not offer
    /// is reported at synth with the code `invalid-fargate-size`.
    pub fn size_from(mut self, cpu_units: u32, memory_mib: u32) -> Self {
        self.size = FargateSize::try_new(cpu_units, memory_mib);
        self
    }

    /// The CPU architecture.
    pub fn architecture(mut self, architecture: CpuArchitecture) -> Self {
        self.architecture = architecture;
        self
    }

    /// Runs in an existing cluster (such as a [`FargateCluster`](super::FargateCluster) shared
    /// by several services) instead of one of its own.
    pub fn cluster(mut self, cluster: &Handle<Cluster>) -> Self {
        self.cluster = Some(cluster.clone());
        self
    }

    /// How many tasks run without auto scaling (default 2).
    ///
    /// With auto scaling on (the default), the count is auto scaling's: the template leaves
    /// `DesiredCount` out, so a deploy never resets a scaled-out service (the resource schema:
    /// "for existing services, if a desired count is not specified, it is omitted from the
    /// operation"), and a count given here must lie within the scaling bounds
    /// (`invalid-auto-scaling` otherwise).
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = Some(count);
        self
    }

    /// Seconds after a task starts during which failed load-balancer health checks are
    /// ignored (default 60).
    pub fn health_check_grace_period(mut self, seconds: u32) -> Self {
        self.health_check_grace_period = seconds;
        self
    }

    /// Turns ECS Exec on (a shell into running tasks; off by default). The task role gets the
    /// four Session Manager channel permissions it needs (`ssmmessages:*Channel`, on `*`: the
    /// channels are not resources). Its agent writes into the container's filesystem, so the
    /// container must be given [`Container::writable_root_filesystem`](super::Container::writable_root_filesystem)
    /// (`invalid-container` otherwise): the read-only default and ECS Exec do not go together.
    pub fn enable_execute_command(mut self) -> Self {
        self.execute_command = true;
        self
    }

    /// How long the container's log group keeps events (default 30 days).
    pub fn log_retention(mut self, retention: RetentionDays) -> Self {
        self.log_retention = retention;
        self
    }

    /// Auto scaling, or `None` for a fixed task count.
    pub fn auto_scaling(mut self, scaling: Option<AutoScaling>) -> Self {
        self.auto_scaling = scaling;
        self
    }

    /// Grants the application (the task role) an access, such as
    /// `presets::secretsmanager::read(&secret)`. The task role exists only if granted something.
    pub fn grant(mut self, grant: Grant) -> Self {
        self.task_grants.push(grant);
        self
    }

    /// Lets the tasks reach a database.
    pub fn database(mut self, database: DatabaseAccess) -> Self {
        self.databases.push(database);
        self
    }
}
