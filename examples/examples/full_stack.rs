//! A team's infrastructure in four stacks: network, Fargate service, serverless API and event
//! pipeline, deployed in the order the manifest gives.
//!
//! `cargo run --example full_stack -- --out synth.out --print-deploy`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::full_stack::app())
}
