//! A Lambda function whose code is a local directory, shipped as an asset.
//!
//! `cargo run --example asset_function -- --out synth.out --print-deploy`

fn main() -> std::process::ExitCode {
    constructs::synth::run(examples::asset_function::app())
}
