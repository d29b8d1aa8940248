//! The `full_stack` example: one app shaped like a team's infrastructure, in four stacks.
//!
//! - `Shop-Network`: a three-tier VPC in 3 AZs with a NAT gateway per AZ.
//! - `Shop-Service`: the web service on Fargate in that VPC, reached through exports and
//!   `Fn::ImportValue` (synth adds them), with access to the network's database tier.
//! - `Shop-Api`: the items API (HTTP API, Lambda, DynamoDB).
//! - `Shop-Pipeline`: the order flow (EventBridge, SQS, Lambda, SNS fan-out).
//!
//! The manifest deploys `Shop-Network` before `Shop-Service`; the API and the pipeline depend on
//! nothing. Each pattern is the one of its own example, added by the same function.

use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::{App, Stack};

use crate::{event_pipeline, fargate_service, serverless_api};

/// Builds the `full_stack` app.
pub fn app() -> App {
    let mut app = App::new();
    let stack = |name: &str, description: &str| {
        Stack::new(name)
            .description(description)
            .tag("project", "shop")
    };

    let mut network_stack = stack("Shop-Network", "Shop: three-tier VPC in 3 AZs");
    let network = VpcThreeTier::new(
        &mut network_stack,
        "Network",
        VpcThreeTierProps::new("10.10.0.0/16")
            .web_http()
            .app_port(8080)
            .database_port(5432),
    );

    let mut service_stack = stack("Shop-Service", "Shop: web service on Fargate behind an ALB");
    fargate_service::web_service(&mut service_stack, &network);

    let mut api_stack = stack(
        "Shop-Api",
        "Shop: items API on API Gateway, Lambda and DynamoDB",
    );
    serverless_api::items_api(&mut api_stack);

    let mut pipeline_stack = stack(
        "Shop-Pipeline",
        "Shop: order events through EventBridge, SQS and SNS",
    );
    event_pipeline::order_flow(&mut pipeline_stack);

    app.add_stack(network_stack);
    app.add_stack(service_stack);
    app.add_stack(api_stack);
    app.add_stack(pipeline_stack);
    app
}
