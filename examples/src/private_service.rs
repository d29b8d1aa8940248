//! The `private_service` example: a Fargate service whose tasks have no route to the internet.
//!
//! - `PrivateNetwork`: a [`VpcThreeTier`] in 2 AZs **without NAT gateways**
//!   ([`NatStrategy::None`]). The app subnets reach AWS through endpoints only: the S3 and
//!   DynamoDB gateway endpoints (on by default; ECR serves image layers from S3) and interface
//!   endpoints for ECR's API and registry, CloudWatch Logs and Secrets Manager, in the app
//!   subnets with private DNS, behind one security group that admits HTTPS from the app tier's
//!   addresses only.
//! - `PrivateService`: a generated secret, and a [`FargateService`] running an image of the
//!   account's own ECR with that secret injected, behind an **internal** load balancer in the
//!   app subnets. The service is checked at synth to have every endpoint it needs to start:
//!   take `EndpointService::SecretsManager` out of the list and synth fails with
//!   `missing-vpc-endpoints`, naming it.
//!
//! The listener is plain HTTP for the reason the `fargate_service` example gives (no
//! certificate to deploy unattended); the load balancer is internal, so it is reachable only
//! from inside the VPC and its peers.

use constructs::blocks::ec2::EndpointService;
use constructs::cfn::secretsmanager::{secret::GenerateSecretString, Secret};
use constructs::fargate::{
    AlbListener, AlbPlacement, AlbProps, AutoScaling, Container, ContainerImage, FargateService,
    FargateServiceProps, SecretSource, TargetHealthCheck,
};
use constructs::network::{Azs, NatStrategy, VpcThreeTier, VpcThreeTierProps};
use constructs::{App, ResourceOptions, Stack};

/// The interface endpoints a private Fargate service pulling from ECR, logging with `awslogs`
/// and reading a Secrets Manager secret needs.
pub const ENDPOINTS: [EndpointService; 4] = [
    EndpointService::EcrApi,
    EndpointService::EcrDkr,
    EndpointService::Logs,
    EndpointService::SecretsManager,
];

/// Builds the `private_service` app.
pub fn app() -> App {
    let mut app = App::new();

    let mut network_stack = Stack::new("PrivateNetwork")
        .description("private_service example: a three-tier VPC without NAT, with endpoints")
        .tag("project", "private-service");
    let network = VpcThreeTier::new(
        &mut network_stack,
        "Network",
        VpcThreeTierProps::new("10.1.0.0/16")
            .azs(Azs::Count(2))
            .nat(NatStrategy::None)
            .interface_endpoints(ENDPOINTS),
    );

    let mut stack = Stack::new("PrivateService")
        .description("private_service example: a Fargate service with no route to the internet")
        .tag("project", "private-service");
    // The token outlives the stack (retained on deletion and replacement): callers hold it.
    let token = stack.add_with(
        "ApiToken",
        Secret::new()
            .description("The token the private service presents to its callers")
            .generate_secret_string(
                GenerateSecretString::new()
                    .password_length(32)
                    .exclude_punctuation(true),
            ),
        ResourceOptions::new().retain(),
    );
    let container = Container::new("api", ContainerImage::ecr("private-api", "2.3.0"), 8080)
        .secret("API_TOKEN", SecretSource::secrets_manager(&token));
    FargateService::new(
        &mut stack,
        "Api",
        FargateServiceProps::new(
            network.vpc(),
            network.app_subnets(),
            AlbProps::new(
                AlbPlacement::Internal(network.app_subnets().clone()),
                // Plain HTTP: see the module docs.
                AlbListener::plain_http(),
            )
            .ingress_cidrs(["10.1.0.0/16"])
            .health_check(TargetHealthCheck::new("/health").matcher("200")),
            container,
        )
        .auto_scaling(Some(AutoScaling::new(2, 4))),
    );

    app.add_stack(network_stack);
    app.add_stack(stack);
    app
}
