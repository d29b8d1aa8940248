//! The classic items API: HTTP API, Lambda and DynamoDB, least privilege per route.
//!
//! `cargo run --example serverless_api -- --out synth.out`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::serverless_api::app())
}
