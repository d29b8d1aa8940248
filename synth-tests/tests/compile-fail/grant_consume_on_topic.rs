// Granting an access a resource does not have does not compile: a topic cannot be consumed
// like a queue.
use constructs::cfn::sns::Topic;
use constructs::blocks::iam::ServiceRole;
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("App");
    let topic = stack.add("Events", Topic::new());
    let mut role = ServiceRole::new("lambda.amazonaws.com");
    topic.grant_consume(&mut role);
}
