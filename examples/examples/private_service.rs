//! A Fargate service without NAT: its VPC reaches ECR, CloudWatch Logs and Secrets Manager
//! through interface endpoints (two stacks).
//!
//! `cargo run --example private_service -- --out synth.out --format both`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::private_service::app())
}
