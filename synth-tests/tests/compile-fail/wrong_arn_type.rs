// A Lambda function's role must be a role's ARN: the ARN of a KMS key does not compile, although
// both are ARNs.
use constructs::cfn::kms::Key;
use constructs::cfn::lambda::{function, Function};
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("App");
    let key = stack.add("Key", Key::new());
    let _ = Function::new(function::Code::new().zip_file("exports.handler = 1"), key.att_arn());
}
