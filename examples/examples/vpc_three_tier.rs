//! A production three-tier VPC in one stack.
//!
//! `cargo run --example vpc_three_tier -- --out synth.out`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::vpc_three_tier::app())
}
