// Deprecated Lambda runtimes are not variants of `Runtime`: naming one does not compile (the
// string escape hatch `Runtime::Other` is checked at synth instead).
use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};

fn main() {
    let _ = FunctionProps::new(Runtime::Nodejs20, "index.handler", FunctionCode::inline("x"));
}
