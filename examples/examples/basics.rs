//! Two stacks of plain L1 resources that prove the pipeline end to end: parameters, conditions,
//! intrinsic functions, a reference across stacks, tags and outputs.
//!
//! `cargo run --example basics -- --out synth.out --format both`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::basics::app())
}
