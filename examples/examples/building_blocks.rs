//! Building blocks beside a pattern: a Lambda function and a log group next to an event
//! pipeline.
//!
//! `cargo run --example building_blocks -- --out synth.out`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::building_blocks::app())
}
