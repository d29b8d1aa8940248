//! The `basics` example: a network stack and an app stack built from L1 resources only.
//!
//! - `BasicsNetwork`: a VPC and two subnets in the first two AZs of the region (`Fn::GetAZs`).
//! - `BasicsApp`: a security group in that VPC (a reference across stacks, which synth turns into
//!   an export and an `Fn::ImportValue`), and a log group kept longer in production, chosen by an
//!   `Environment` parameter through an `IsProd` condition.
//!
//! Subnet CIDRs are literals: the construct layer plans them at synth time, which keeps templates
//! readable and deployable on endpoints without `Fn::Cidr`.

use constructs::cfn::ec2::{security_group, SecurityGroup, Subnet, Vpc};
use constructs::cfn::logs::LogGroup;
use constructs::{fns, App, Output, Parameter, ResourceOptions, Stack};

/// Builds the `basics` app.
pub fn app() -> App {
    let mut app = App::new();

    let mut network = Stack::new("BasicsNetwork")
        .description("basics example: a VPC with two subnets")
        .tag("project", "basics");
    let vpc = network.add(
        "Vpc",
        Vpc::new()
            .cidr_block("10.20.0.0/16")
            .enable_dns_support(true)
            .enable_dns_hostnames(true),
    );
    let subnets = [("SubnetA", "10.20.0.0/24"), ("SubnetB", "10.20.1.0/24")];
    for (az, (name, cidr)) in (0..).zip(subnets) {
        let subnet = network.add(
            name,
            Subnet::new(vpc.reference())
                .cidr_block(cidr)
                .availability_zone(fns::select(az, fns::get_azs())),
        );
        network.add_output(
            &format!("{name}Id"),
            Output::new(subnet.reference()).description(format!("The id of {name}")),
        );
    }

    let mut service = Stack::new("BasicsApp")
        .description("basics example: a security group and a log group in the network stack's VPC")
        .tag("project", "basics");
    let environment = service.add_parameter(
        "Environment",
        Parameter::string()
            .description("Deployment environment")
            .allowed_values(["dev", "prod"])
            .default("dev"),
    );
    let is_prod = service.add_condition("IsProd", fns::equals(environment, "prod"));
    service.add(
        "WebSecurityGroup",
        SecurityGroup::new("HTTPS from anywhere")
            .vpc_id(vpc.reference())
            .security_group_ingress(vec![security_group::Ingress::new("tcp")
                .cidr_ip("0.0.0.0/0")
                .from_port(443)
                .to_port(443)
                .description("HTTPS")]),
    );
    let logs = service.add_with(
        "AppLogs",
        LogGroup::new().retention_in_days(fns::if_(&is_prod, 365, 14)),
        ResourceOptions::new().retain(),
    );
    service.add_output(
        "LogGroupName",
        Output::new(logs.reference()).description("Where the app logs"),
    );

    app.add_stack(network);
    app.add_stack(service);
    app
}
