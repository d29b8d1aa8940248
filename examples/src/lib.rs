//! The example apps, as functions, so tests can synthesize every one of them.
//!
//! Each `examples/NAME.rs` is a two-line `main` that runs the CLI on the app built here:
//! `cargo run --example NAME -- --out DIR --format both`.

use constructs::App;

pub mod asset_function;
pub mod basics;
pub mod building_blocks;
pub mod event_pipeline;
pub mod fargate_service;
pub mod full_stack;
pub mod private_service;
pub mod serverless_api;
pub mod vpc_three_tier;

/// An example: its name (the `--example` argument) and the function that builds its app.
pub type Example = (&'static str, fn() -> App);

/// Every example: its name (the `--example` argument) and the function that builds its app.
///
/// Tests walk this list, so an example that is not listed here is caught by the
/// `every_example_is_registered` test.
pub const EXAMPLES: &[Example] = &[
    ("asset_function", asset_function::app),
    ("basics", basics::app),
    ("building_blocks", building_blocks::app),
    ("event_pipeline", event_pipeline::app),
    ("fargate_service", fargate_service::app),
    ("full_stack", full_stack::app),
    ("private_service", private_service::app),
    ("serverless_api", serverless_api::app),
    ("vpc_three_tier", vpc_three_tier::app),
];
