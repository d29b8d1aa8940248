// DynamoDB grants take a table handle: granting item reads on a log group does not compile.
use constructs::cfn::logs::LogGroup;
use constructs::iam::presets;
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("App");
    let logs = stack.add("Logs", LogGroup::new().retention_in_days(30));
    let _ = presets::dynamodb::get_item(&logs);
}
