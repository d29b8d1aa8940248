//! The `vpc_three_tier` example: one stack with a production three-tier VPC in 3 AZs, a NAT
//! gateway per AZ, gateway endpoints, flow logs, a locked-down default security group, tiered
//! security groups and a network ACL on the database tier.

use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::{App, Stack};

/// Builds the `vpc_three_tier` app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("Network")
        .description("Three-tier VPC: public, app and database subnets in 3 AZs")
        .tag("project", "vpc-three-tier");
    VpcThreeTier::new(
        &mut stack,
        "Network",
        VpcThreeTierProps::new("10.0.0.0/16")
            .web_http()
            .app_port(8080)
            .database_port(5432)
            .database_nacl(),
    );
    app.add_stack(stack);
    app
}
