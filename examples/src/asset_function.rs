//! The `asset_function` example: a Lambda function whose code is a local directory,
//! `examples/assets/hello` (a handler and the module it imports), shipped as an asset.
//!
//! Synth packs the directory into `assets/<sha256>.zip` beside the template; the stack takes the
//! bucket as its `AssetsBucket` parameter, and `--print-deploy` prints the upload before the
//! deploy. The function is the Lambda block's, so its role may only write its own log group.
//!
//! Running the handler locally leaves a `__pycache__` in the directory, which would be packed
//! too (and change the hash): delete it before synthesizing.

use constructs::blocks::lambda::{Function, FunctionCode, FunctionProps, Runtime};
use constructs::blocks::logs::RetentionDays;
use constructs::{App, Output, Stack};

/// The handler's directory. Absolute (from this crate's location), so that the example packs
/// the same directory from any working directory, tests included.
pub const HANDLER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/hello");

/// Builds the `asset_function` app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("AssetFunction")
        .description("asset_function example: a Lambda function shipped as a local asset")
        .tag("project", "asset-function");
    let hello = Function::new(
        &mut stack,
        "Hello",
        FunctionProps::new(
            Runtime::Python313,
            "index.handler",
            FunctionCode::asset(HANDLER_DIR),
        )
        .memory_mb(128)
        .timeout_secs(10)
        .log_retention(RetentionDays::Days14)
        .description("Says hello; code from examples/assets/hello"),
    );
    stack.add_output(
        "HelloFunctionName",
        Output::new(hello.function().reference()).description("The function's name"),
    );
    app.add_stack(stack);
    app
}
