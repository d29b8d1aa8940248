//! The classic order flow: EventBridge -> SQS -> Lambda -> SNS fan-out to three queues.
//!
//! `cargo run --example event_pipeline -- --out synth.out`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::event_pipeline::app())
}
