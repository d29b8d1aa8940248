// Consuming is an SQS access: granting it on an SNS topic does not compile.
use constructs::cfn::sns::Topic;
use constructs::iam::presets;
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Topic", Topic::new());
    let _ = presets::sqs::consume(&topic);
}
