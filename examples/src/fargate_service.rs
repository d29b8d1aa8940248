//! The `fargate_service` example: a web service on Fargate behind an Application Load
//! Balancer, in the app tier of a three-tier VPC.
//!
//! - `FargateNetwork`: a [`VpcThreeTier`] in 2 AZs (NAT per AZ, flow logs, tiered security
//!   groups).
//! - `FargateService`: a generated database password in Secrets Manager, injected into the
//!   container by ECS (the execution role may read that one secret); a [`FargateService`] running
//!   a pinned, unprivileged nginx image on arm64 with a read-only root filesystem, scaling
//!   between 2 and 6 tasks on CPU and requests per task, allowed to reach the network stack's
//!   database tier, with load-balancer access logs. Its references to the network stack (VPC,
//!   subnets, database security group) become exports and imports.
//!
//! **The listener is plain HTTP, on purpose.** HTTPS needs an ACM certificate for a domain the
//! deployer owns; the example has neither, a made-up certificate ARN would not deploy, and a
//! required `CertificateArn` stack parameter would keep the example from deploying unattended
//! (the local deploy test passes no parameters). In
//! your own app, pass the certificate ARN (`AlbListener::https(arn)`, from a literal, a
//! `Parameter::string()` or an import): you then get HTTPS on 443 with
//! `ELBSecurityPolicy-TLS13-1-2-2021-06` and an HTTP listener that only redirects to it.

use constructs::cfn::secretsmanager::{secret::GenerateSecretString, Secret};
use constructs::fargate::{
    AccessLogs, AlbListener, AlbPlacement, AlbProps, AutoScaling, Container, ContainerHealthCheck,
    ContainerImage, CpuArchitecture, DatabaseAccess, FargateService, FargateServiceProps,
    FargateSize, GiB, ScalingMetric, SecretSource, TargetHealthCheck,
};
use constructs::network::{Azs, VpcThreeTier, VpcThreeTierProps};
use constructs::{App, ResourceOptions, Stack};

/// Builds the `fargate_service` app.
pub fn app() -> App {
    let mut app = App::new();

    let mut network_stack = Stack::new("FargateNetwork")
        .description("fargate_service example: a three-tier VPC in 2 AZs")
        .tag("project", "fargate-service");
    let network = VpcThreeTier::new(
        &mut network_stack,
        "Network",
        VpcThreeTierProps::new("10.0.0.0/16")
            .azs(Azs::Count(2))
            .web_http()
            .app_port(8080)
            .database_port(5432),
    );

    let mut stack = Stack::new("FargateService")
        .description(
            "fargate_service example: nginx on Fargate behind an Application Load Balancer",
        )
        .tag("project", "fargate-service");
    web_service(&mut stack, &network);

    app.add_stack(network_stack);
    app.add_stack(stack);
    app
}

/// Adds the web service under the id `Web` to `stack`, in `network` (which may be in another
/// stack): its database secret, an nginx container on Fargate, an internet-facing ALB with
/// access logs, autoscaling, and access to the network's database tier.
pub fn web_service(stack: &mut Stack, network: &VpcThreeTier) -> FargateService {
    // The credentials outlive the stack (retained on deletion and replacement), like the data
    // they open.
    let db_secret = stack.add_with(
        "DatabaseSecret",
        Secret::new()
            .description("Database credentials of the web service")
            .generate_secret_string(
                GenerateSecretString::new()
                    .secret_string_template(r#"{"username":"web"}"#)
                    .generate_string_key("password")
                    .password_length(32)
                    .exclude_punctuation(true),
            ),
        ResourceOptions::new().retain(),
    );

    let container = Container::new(
        "web",
        ContainerImage::registry("docker.io/nginxinc/nginx-unprivileged:1.27-alpine"),
        8080,
    )
    .environment("APP_ENV", "example")
    .secret(
        "DB_PASSWORD",
        SecretSource::secrets_manager(&db_secret).json_key("password"),
    )
    .health_check(
        ContainerHealthCheck::shell("wget -q -O /dev/null http://localhost:8080/ || exit 1")
            .start_period(10),
    )
    // nginx-unprivileged writes its pid and temporary files under /tmp only.
    .scratch_volume("/tmp");

    FargateService::new(
        stack,
        "Web",
        FargateServiceProps::new(
            network.vpc(),
            network.app_subnets(),
            AlbProps::new(
                AlbPlacement::InternetFacing(network.public_subnets().clone()),
                // Plain HTTP: see the module docs for why, and how to get HTTPS.
                AlbListener::plain_http(),
            )
            .health_check(TargetHealthCheck::new("/").matcher("200"))
            .access_logs(AccessLogs::new().prefix("web").expiration_days(90)),
            container,
        )
        .size(FargateSize::half_vcpu(GiB::<1>))
        .architecture(CpuArchitecture::Arm64)
        .auto_scaling(Some(
            AutoScaling::new(2, 6)
                .metric(ScalingMetric::Cpu(70.0))
                .metric(ScalingMetric::RequestsPerTarget(1000)),
        ))
        .database(DatabaseAccess::new(
            &network.security_groups().database,
            5432,
        )),
    )
}
