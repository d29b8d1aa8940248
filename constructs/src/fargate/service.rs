//! The Fargate service construct.

use crate::blocks::ec2::{https_egress, no_egress, tcp_ingress, Allow, EndpointService};
use crate::blocks::logs::{LogGroup as LogGroupBlock, LogGroupProps};
use crate::cfn::applicationautoscaling::scaling_policy::{
    PredefinedMetricSpecification, TargetTrackingScalingPolicyConfiguration,
};
use crate::cfn::applicationautoscaling::{ScalableTarget, ScalingPolicy};
use crate::cfn::ec2::SecurityGroup;
use crate::cfn::ecs::service::{
    AwsVpcConfiguration, DeploymentCircuitBreaker, DeploymentConfiguration,
    LoadBalancer as ServiceLoadBalancer, NetworkConfiguration,
};
use crate::cfn::ecs::task_definition::{
    ContainerDefinition, KeyValuePair, LogConfiguration, MountPoint, PortMapping, RuntimePlatform,
    Secret as ContainerSecret, Volume,
};
use crate::cfn::ecs::{Cluster, Service, TaskDefinition};
use crate::cfn::elasticloadbalancingv2::listener::{self, Certificate, RedirectConfig};
use crate::cfn::elasticloadbalancingv2::load_balancer::LoadBalancerAttribute;
use crate::cfn::elasticloadbalancingv2::target_group::{Matcher, TargetGroupAttribute};
use crate::cfn::elasticloadbalancingv2::{Listener, LoadBalancer, TargetGroup};
use crate::cfn::iam::Role;
use crate::cfn::logs::LogGroup;
use crate::diagnostics::{Diagnostic, DomainError};
use crate::{fns, AnyHandle, AsScope, Handle, Output, ResourceOptions, Scope, Value};

use super::access_logs;
use super::alb::{AlbListener, AlbPlacement};
use super::error::FargateError;
use super::health::ContainerHealthCheck;
use super::props::FargateServiceProps;
use super::roles;
use super::scaling::AutoScaling;
use super::size::FargateSize;

/// How many tasks run when neither auto scaling nor the props say.
const DEFAULT_DESIRED_COUNT: u32 = 2;

/// An ECS service on Fargate behind an Application Load Balancer, secure by default.
///
/// What it adds under its id (say `Web`): a cluster with Container Insights (unless one is
/// given); the container's log group; the execution role (pull from ECR only when the image is
/// there, write its own log group, read exactly the secrets used) and, when the application
/// was granted anything, the task role; the task definition (Fargate, `awsvpc`, the size and
/// architecture chosen, a read-only root filesystem by default, `awslogs`); the load
/// balancer's security group (443, and 80 only to redirect, from the allowed CIDRs; out only
/// to the service's port) and the service's (the container port from the load balancer only;
/// out 443, and the database port to each connected database); the load balancer (invalid
/// headers dropped, optional access logs and deletion protection), an `ip` target group with a
/// health check, the HTTPS listener with a modern TLS policy and the HTTP redirect (or plain
/// HTTP when asked for explicitly); the service (2 tasks, no public IP, circuit breaker with
/// rollback, 100/200% healthy, ECS Exec off, tags propagated); auto scaling; and outputs (the
/// load balancer's DNS name, the service and cluster names).
///
/// ```
/// use constructs::fargate::{
///     AlbListener, AlbPlacement, AlbProps, Container, ContainerImage, FargateService,
///     FargateServiceProps,
/// };
/// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Web");
/// let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
/// let web = FargateService::new(
///     &mut stack,
///     "Web",
///     FargateServiceProps::new(
///         network.vpc(),
///         network.app_subnets(),
///         AlbProps::new(
///             AlbPlacement::InternetFacing(network.public_subnets().clone()),
///             AlbListener::https("arn:aws:acm:eu-west-1:123456789012:certificate/abc"),
///         ),
///         Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
///     ),
/// );
/// assert_eq!(web.service().logical_id(), "WebService");
/// app.add_stack(stack);
/// let assembly = app.assemble().unwrap();
/// assert!(assembly.stack("Web").unwrap().json.contains("ELBSecurityPolicy-TLS13-1-2-2021-06"));
/// ```
///
/// Invalid settings (a size from run-time input that Fargate does not offer, an unpinned
/// image, a health check or scaling bound out of range) do not panic: each is reported at
/// synth with its code and the construct path.
#[derive(Clone, Debug)]
pub struct FargateService {
    cluster: Handle<Cluster>,
    service: Handle<Service>,
    task_definition: Handle<TaskDefinition>,
    load_balancer: Handle<LoadBalancer>,
    target_group: Handle<TargetGroup>,
    load_balancer_security_group: Handle<SecurityGroup>,
    service_security_group: Handle<SecurityGroup>,
    log_group: Handle<LogGroup>,
    execution_role: Handle<Role>,
    task_role: Handle<Role>,
}

impl FargateService {
    /// Builds the service in `scope` under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: FargateServiceProps) -> Self {
        let mut parent = scope.as_scope();
        let mut scope = parent.child(id);
        check(&mut scope, &props);
        let size = props.size.unwrap_or_default();
        let container = &props.container;
        let port = i64::from(container.port);

        let cluster = match &props.cluster {
            Some(cluster) => cluster.clone(),
            None => super::cluster::add(&mut scope),
        };
        let log_group = LogGroupBlock::add(
            &mut scope,
            "LogGroup",
            LogGroupProps::new().retention(props.log_retention),
        )
        .handle()
        .clone();
        let execution_role = roles::execution_role(&mut scope, container, &log_group);
        let task_role = roles::task_role(&mut scope, &props.task_grants, props.execute_command);
        let task_definition = add_task_definition(
            &mut scope,
            &props,
            size,
            &log_group,
            &execution_role,
            Some(&task_role),
        );

        // Security groups: the rules between them are separate resources (no cycle).
        let alb = &props.alb;
        let mut alb_ingress = Vec::new();
        for cidr in &alb.ingress_cidrs {
            match alb.listener {
                AlbListener::Https { .. } => {
                    alb_ingress.push(tcp_ingress(cidr, 443, "HTTPS"));
                    alb_ingress.push(tcp_ingress(cidr, 80, "HTTP, redirected to HTTPS"));
                }
                AlbListener::PlainHttp => alb_ingress.push(tcp_ingress(cidr, 80, "HTTP")),
            }
        }
        let alb_sg = scope.add(
            "LoadBalancerSecurityGroup",
            SecurityGroup::new("Load balancer: web traffic from the allowed networks")
                .vpc_id(props.vpc.id())
                .security_group_ingress(alb_ingress)
                .security_group_egress(vec![no_egress()]),
        );
        let service_sg = scope.add(
            "ServiceSecurityGroup",
            SecurityGroup::new("Service: the container port from the load balancer only")
                .vpc_id(props.vpc.id())
                .security_group_egress(vec![https_egress()]),
        );
        Allow::tcp(
            ("LoadBalancer", &alb_sg),
            ("Service", &service_sg),
            props.container.port,
        )
        .descriptions("To the service's tasks", "From the load balancer")
        .add_to(&mut scope);
        for (i, db) in props.databases.iter().enumerate() {
            let name = format!("Database{}", i + 1);
            Allow::tcp(
                ("Service", &service_sg),
                (&name, &db.security_group),
                db.port,
            )
            .descriptions("To the database", "From the Fargate service")
            .add_to(&mut scope);
        }

        // Load balancer, target group, listeners.
        let mut attributes = vec![
            attribute("routing.http.drop_invalid_header_fields.enabled", "true"),
            attribute(
                "deletion_protection.enabled",
                if alb.deletion_protection {
                    "true"
                } else {
                    "false"
                },
            ),
            attribute(
                "idle_timeout.timeout_seconds",
                &alb.idle_timeout.to_string(),
            ),
        ];
        let mut alb_options = ResourceOptions::new();
        if let Some(logs) = &alb.access_logs {
            let (bucket, policy) = access_logs::add(&mut scope, logs);
            attributes.push(attribute("access_logs.s3.enabled", "true"));
            attributes.push(
                LoadBalancerAttribute::new()
                    .key("access_logs.s3.bucket")
                    .value(bucket.reference()),
            );
            attributes.push(attribute("access_logs.s3.prefix", &logs.prefix));
            // ELB checks it may write to the bucket when logging is turned on.
            alb_options = alb_options.depends_on(&policy);
        }
        // ELB refuses an internet-facing balancer in a VPC whose internet gateway is not yet
        // attached. In the network's own stack, wait for the public default route (which waits
        // for the attachment); from another stack, deploy order already does, and `DependsOn`
        // cannot cross stacks.
        if let AlbPlacement::InternetFacing(group) = &alb.placement {
            let same_stack = |route: &&AnyHandle| *route.stack == *scope.stack().name();
            if let Some(route) = group.internet_route().filter(same_stack) {
                alb_options = alb_options.depends_on(route.clone());
            }
        }
        let load_balancer = scope.add_with(
            "LoadBalancer",
            LoadBalancer::new()
                .type_("application")
                .scheme(alb.placement.scheme())
                .ip_address_type("ipv4")
                .subnets(alb.placement.subnet_ids())
                .security_groups(vec![alb_sg.att_group_id()])
                .load_balancer_attributes(attributes),
            alb_options,
        );
        let hc = &alb.health_check;
        let target_group = scope.add(
            "TargetGroup",
            TargetGroup::new()
                .target_type("ip")
                .protocol("HTTP")
                .port(port)
                .vpc_id(props.vpc.id())
                .health_check_enabled(true)
                .health_check_protocol("HTTP")
                .health_check_path(hc.path.as_str())
                .matcher(Matcher::new().http_code(hc.matcher.as_str()))
                .health_check_interval_seconds(hc.interval)
                .health_check_timeout_seconds(hc.timeout)
                .healthy_threshold_count(hc.healthy_threshold)
                .unhealthy_threshold_count(hc.unhealthy_threshold)
                .target_group_attributes(vec![TargetGroupAttribute::new()
                    .key("deregistration_delay.timeout_seconds")
                    .value(alb.deregistration_delay.to_string())]),
        );
        let forward =
            || vec![listener::Action::new("forward").target_group_arn(target_group.reference())];
        let listener = match &alb.listener {
            AlbListener::Https {
                certificate_arn,
                ssl_policy,
            } => {
                scope.add(
                    "HttpRedirectListener",
                    Listener::new(
                        vec![listener::Action::new("redirect").redirect_config(
                            RedirectConfig::new("HTTP_301")
                                .protocol("HTTPS")
                                .port("443"),
                        )],
                        load_balancer.reference(),
                    )
                    .port(80)
                    .protocol("HTTP"),
                );
                scope.add(
                    "HttpsListener",
                    Listener::new(forward(), load_balancer.reference())
                        .port(443)
                        .protocol("HTTPS")
                        .ssl_policy(ssl_policy.as_str())
                        .certificates(vec![
                            Certificate::new().certificate_arn(certificate_arn.clone())
                        ]),
                )
            }
            AlbListener::PlainHttp => scope.add(
                "HttpListener",
                Listener::new(forward(), load_balancer.reference())
                    .port(80)
                    .protocol("HTTP"),
            ),
        };

        let mut service = Service::new()
            .cluster(cluster.reference())
            .task_definition(task_definition.reference())
            .launch_type("FARGATE");
        // With auto scaling the count is auto scaling's: writing it would reset a scaled-out
        // service on every deploy (left out, CloudFormation leaves it as it is).
        if props.auto_scaling.is_none() {
            service = service.desired_count(props.desired_count.unwrap_or(DEFAULT_DESIRED_COUNT));
        }
        let service = scope.add_with(
            "Service",
            service
                .deployment_configuration(
                    DeploymentConfiguration::new()
                        .deployment_circuit_breaker(DeploymentCircuitBreaker::new(true, true))
                        .minimum_healthy_percent(100)
                        .maximum_percent(200),
                )
                .health_check_grace_period_seconds(props.health_check_grace_period)
                .enable_execute_command(props.execute_command)
                .enable_ecs_managed_tags(true)
                .propagate_tags("SERVICE")
                .load_balancers(vec![ServiceLoadBalancer::new()
                    .container_name(container.name.as_str())
                    .container_port(port)
                    .target_group_arn(target_group.reference())])
                .network_configuration(
                    NetworkConfiguration::new().awsvpc_configuration(
                        AwsVpcConfiguration::new()
                            .assign_public_ip("DISABLED")
                            .security_groups(vec![service_sg.att_group_id()])
                            .subnets(props.subnets.subnet_ids()),
                    ),
                ),
            // The target group must belong to a load balancer before a service uses it.
            ResourceOptions::new().depends_on(&listener),
        );

        if let Some(scaling) = &props.auto_scaling {
            let target = scope.add(
                "ScalableTarget",
                ScalableTarget::new(
                    scaling.max,
                    scaling.min,
                    fns::join(
                        "/",
                        vec![
                            Value::from("service"),
                            cluster.reference(),
                            service.att_name(),
                        ],
                    ),
                    "ecs:service:DesiredCount",
                    "ecs",
                ),
            );
            for metric in scaling.effective_metrics() {
                let mut spec = PredefinedMetricSpecification::new(metric.predefined_type());
                if matches!(metric, super::ScalingMetric::RequestsPerTarget(_)) {
                    spec = spec.resource_label(fns::join(
                        "/",
                        vec![
                            load_balancer.att_load_balancer_full_name(),
                            target_group.att_target_group_full_name(),
                        ],
                    ));
                }
                let policy_id = format!("{}ScalingPolicy", metric.id());
                scope.add(
                    &policy_id,
                    ScalingPolicy::new(scope.logical_id(&policy_id), "TargetTrackingScaling")
                        .scaling_target_id(target.reference())
                        .target_tracking_scaling_policy_configuration(
                            TargetTrackingScalingPolicyConfiguration::new(metric.target())
                                .predefined_metric_specification(spec)
                                .scale_in_cooldown(scaling.scale_in_cooldown)
                                .scale_out_cooldown(scaling.scale_out_cooldown),
                        ),
                );
            }
        }

        scope.add_output(
            "LoadBalancerDnsName",
            Output::new(load_balancer.att_dns_name()).description("The load balancer's DNS name"),
        );
        scope.add_output(
            "ServiceName",
            Output::new(service.att_name()).description("The ECS service's name"),
        );
        scope.add_output(
            "ClusterName",
            Output::new(cluster.reference()).description("The ECS cluster's name"),
        );

        Self {
            cluster,
            service,
            task_definition,
            load_balancer,
            target_group,
            load_balancer_security_group: alb_sg,
            service_security_group: service_sg,
            log_group,
            execution_role,
            task_role,
        }
    }

    /// The cluster the service runs in.
    pub fn cluster(&self) -> &Handle<Cluster> {
        &self.cluster
    }

    /// The ECS service.
    pub fn service(&self) -> &Handle<Service> {
        &self.service
    }

    /// The task definition.
    pub fn task_definition(&self) -> &Handle<TaskDefinition> {
        &self.task_definition
    }

    /// The load balancer.
    pub fn load_balancer(&self) -> &Handle<LoadBalancer> {
        &self.load_balancer
    }

    /// The target group the tasks register in.
    pub fn target_group(&self) -> &Handle<TargetGroup> {
        &self.target_group
    }

    /// The load balancer's security group.
    pub fn load_balancer_security_group(&self) -> &Handle<SecurityGroup> {
        &self.load_balancer_security_group
    }

    /// The tasks' security group (give it access to other resources by their groups).
    pub fn service_security_group(&self) -> &Handle<SecurityGroup> {
        &self.service_security_group
    }

    /// The container's log group.
    pub fn log_group(&self) -> &Handle<LogGroup> {
        &self.log_group
    }

    /// The execution role (ECS's, to start tasks).
    pub fn execution_role(&self) -> &Handle<Role> {
        &self.execution_role
    }

    /// The task role (the application's). It takes grants after construction too:
    /// `stack.grant(&service, grant)` (see [`Stack::grant`](crate::Stack::grant)).
    pub fn task_role(&self) -> &Handle<Role> {
        &self.task_role
    }
}

impl From<&FargateService> for AnyHandle {
    /// Depending on the construct means depending on its service.
    fn from(s: &FargateService) -> Self {
        AnyHandle::from(&s.service)
    }
}

/// Reports every invalid setting with its code.
fn check(scope: &mut Scope<'_>, props: &FargateServiceProps) {
    let path = scope.path().to_owned();
    let mut found: Vec<Diagnostic> = Vec::new();
    if let Err(e) = &props.size {
        found.push(e.to_diagnostic(&path));
    }
    let mut problems: Vec<FargateError> = Vec::new();
    problems.extend(props.container.image.pin_problem());
    problems.extend(
        props
            .container
            .health_check
            .iter()
            .flat_map(ContainerHealthCheck::problems),
    );
    problems.extend(props.alb.health_check.problems());
    problems.extend(props.auto_scaling.iter().flat_map(AutoScaling::problems));
    if props.execute_command && props.container.read_only_root_filesystem {
        problems.push(FargateError::ExecWithReadOnlyRoot);
    }
    if let (Some(count), Some(scaling)) = (props.desired_count, &props.auto_scaling) {
        if !(scaling.min..=scaling.max).contains(&count) {
            problems.push(FargateError::DesiredCountOutsideScaling {
                count,
                min: scaling.min,
                max: scaling.max,
            });
        }
    }
    problems.extend(props.container.problems());
    if props.subnets.is_empty() {
        problems.push(FargateError::NoSubnets);
    }
    for db in &props.databases {
        if db.port == 0 {
            problems.push(FargateError::ZeroDatabasePort);
        }
    }
    problems.extend(props.alb.problems());
    problems.extend(endpoint_problems(props));
    found.extend(problems.iter().map(|p| p.to_diagnostic(&path)));
    // Existing VPCs and subnets: malformed ids, an empty or repeated group.
    let placement_problems = match &props.alb.placement {
        AlbPlacement::InternetFacing(group) => group.problems(),
        AlbPlacement::Internal(group) => group.problems(),
    };
    // An internal load balancer often shares the tasks' group: say each problem once.
    for problem in props
        .vpc
        .problems()
        .iter()
        .chain(props.subnets.problems())
        .chain(placement_problems)
    {
        let diagnostic = problem.to_diagnostic(&path);
        if !found.contains(&diagnostic) {
            found.push(diagnostic);
        }
    }
    for d in found {
        scope.report(d);
    }
}

/// What the tasks cannot reach when their subnets have no route out of the VPC: the
/// endpoints they need to start (pull, log, read secrets; ECS Exec's channels), or an image in
/// a registry no endpoint reaches. Nothing when the subnets have NAT or are not the library's.
fn endpoint_problems(props: &FargateServiceProps) -> Vec<FargateError> {
    let reach = props.subnets.reach();
    if reach.has_route_out() {
        return Vec::new();
    }
    let container = &props.container;
    let mut needed = container.startup_services();
    if props.execute_command {
        needed.push(EndpointService::SsmMessages);
    }
    let mut problems = Vec::new();
    if !container.image.is_ecr() {
        problems.push(FargateError::ImageUnreachable {
            image: container.image.shown().to_owned(),
        });
    }
    // ECR serves image layers from S3, through the gateway endpoint.
    let missing = reach.missing(&needed, container.image.is_ecr());
    if !missing.is_empty() {
        problems.push(FargateError::MissingVpcEndpoints { missing });
    }
    problems
}

fn add_task_definition(
    scope: &mut Scope<'_>,
    props: &FargateServiceProps,
    size: FargateSize,
    log_group: &Handle<LogGroup>,
    execution_role: &Handle<Role>,
    task_role: Option<&Handle<Role>>,
) -> Handle<TaskDefinition> {
    let container = &props.container;
    let log_options: Vec<(&str, Value<String>)> = vec![
        ("awslogs-group", log_group.reference().into()),
        ("awslogs-region", fns::region()),
        ("awslogs-stream-prefix", container.name.as_str().into()),
    ];
    let mut definition = ContainerDefinition::new(container.image.uri(), container.name.as_str())
        .essential(true)
        .port_mappings(vec![PortMapping::new()
            .container_port(i64::from(container.port))
            .protocol("tcp")])
        .readonly_root_filesystem(container.read_only_root_filesystem)
        .log_configuration(LogConfiguration::new("awslogs").options(log_options));
    if !container.environment.is_empty() {
        definition = definition.environment(
            container
                .environment
                .iter()
                .map(|(k, v)| KeyValuePair::new().name(k.as_str()).value(v.clone()))
                .collect::<Vec<_>>(),
        );
    }
    if !container.secrets.is_empty() {
        definition = definition.secrets(
            container
                .secrets
                .iter()
                .map(|(name, source)| ContainerSecret::new(name.as_str(), source.value_from()))
                .collect::<Vec<_>>(),
        );
    }
    if let Some(check) = &container.health_check {
        definition = definition.health_check(check.to_cfn());
    }
    if let Some(command) = &container.command {
        definition = definition.command(command.clone());
    }
    let volume_name = |i: usize| format!("scratch{}", i + 1);
    if !container.scratch_volumes.is_empty() {
        definition = definition.mount_points(
            container
                .scratch_volumes
                .iter()
                .enumerate()
                .map(|(i, path)| {
                    MountPoint::new()
                        .source_volume(volume_name(i))
                        .container_path(path.as_str())
                        .read_only(false)
                })
                .collect::<Vec<_>>(),
        );
    }
    let mut task = TaskDefinition::new()
        .requires_compatibilities(["FARGATE"])
        .network_mode("awsvpc")
        .cpu(size.cpu_units().to_string())
        .memory(size.memory_mib().to_string())
        .runtime_platform(
            RuntimePlatform::new()
                .cpu_architecture(props.architecture.as_str())
                .operating_system_family("LINUX"),
        )
        .execution_role_arn(execution_role.att_arn())
        .container_definitions(vec![definition]);
    if let Some(role) = task_role {
        task = task.task_role_arn(role.att_arn());
    }
    if !container.scratch_volumes.is_empty() {
        task = task.volumes(
            (0..container.scratch_volumes.len())
                .map(|i| Volume::new().name(volume_name(i)))
                .collect::<Vec<_>>(),
        );
    }
    scope.add("TaskDefinition", task)
}

fn attribute(key: &str, value: &str) -> LoadBalancerAttribute {
    LoadBalancerAttribute::new().key(key).value(value)
}
