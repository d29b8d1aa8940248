//! A web service on Fargate behind an Application Load Balancer, in a three-tier VPC (two
//! stacks).
//!
//! `cargo run --example fargate_service -- --out synth.out --format both`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::fargate_service::app())
}
