//! The `asset_function` example: a Lambda function whose code is a local directory,
//! `examples/assets/hello` (a handler and the module it imports), shipped as an asset.
//!
//! Synth packs the directory into `assets/<sha256>.zip` beside the template; the stack takes the
//! bucket as its `AssetsBucket` parameter, and `--print-deploy` prints the upload before the
//! deploy. The function uses the L1 resource with a role that may only write its own log group.
//!
//! Running the handler locally leaves a `__pycache__` in the directory, which would be packed
//! too (and change the hash): delete it before synthesizing.

use constructs::cfn::lambda::{function, Function};
use constructs::cfn::logs::LogGroup;
use constructs::iam::{presets, ServiceRole};
use constructs::serverless::Runtime;
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
    let code = stack.add_asset(HANDLER_DIR);

    let logs = stack.add("HelloLogs", LogGroup::new().retention_in_days(14));
    let mut role = ServiceRole::new("lambda.amazonaws.com");
    role.grant(presets::logs::write(&logs));
    let role = role.add_to(&mut stack.scope(), "HelloRole");
    let hello = stack.add(
        "Hello",
        Function::new(code.lambda_code(), role.att_arn())
            .runtime(Runtime::Python313.name())
            .handler("index.handler")
            .architectures(["arm64"])
            .memory_size(128)
            .timeout(10)
            .description("Says hello; code from examples/assets/hello")
            .logging_config(function::LoggingConfig::new().log_group(logs.reference())),
    );
    stack.add_output(
        "HelloFunctionName",
        Output::new(hello.reference()).description("The function's name"),
    );
    app.add_stack(stack);
    app
}
