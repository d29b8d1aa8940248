//! `resource.grant_<access>(&mut role)` on every resource type that has grants: the role it
//! builds passes the check against AWS's action data with zero findings, and holds exactly
//! what was granted.

use constructs::blocks::iam::ServiceRole;
use constructs::cfn::dynamodb::{table, Table};
use constructs::cfn::events::EventBus;
use constructs::cfn::kms::Key;
use constructs::cfn::lambda::{function, Function};
use constructs::cfn::logs::LogGroup;
use constructs::cfn::s3::Bucket;
use constructs::cfn::secretsmanager::Secret;
use constructs::cfn::sns::Topic;
use constructs::cfn::sqs::Queue;
use constructs::iam::check_template;
use constructs::{App, Stack};
use serde_json::json;

#[test]
fn every_handle_grant_passes_the_dataset_check() {
    let mut stack = Stack::new("Grants");
    let table = stack.add(
        "Orders",
        Table::new(json!([{"AttributeName": "id", "KeyType": "HASH"}]))
            .attribute_definitions(vec![table::AttributeDefinition::new("id", "S")])
            .billing_mode("PAY_PER_REQUEST"),
    );
    let queue = stack.add("Jobs", Queue::new());
    let topic = stack.add("Events", Topic::new());
    let bus = stack.add("Bus", EventBus::new("grants-bus"));
    let logs = stack.add("Logs", LogGroup::new().retention_in_days(7));
    let secret = stack.add("Secret", Secret::new());
    let bucket = stack.add("Bucket", Bucket::new());
    let key = stack.add("Key", Key::new());

    let mut helper_role = ServiceRole::new("lambda.amazonaws.com");
    logs.grant_write(&mut helper_role);
    let helper_role = helper_role.add_to(&mut stack.scope(), "HelperRole");
    let helper = stack.add(
        "Helper",
        Function::new(
            function::Code::new().zip_file("def handler(e, c): pass"),
            helper_role.att_arn(),
        )
        .runtime("python3.13")
        .handler("index.handler"),
    );

    let mut role = ServiceRole::new("lambda.amazonaws.com");
    table.grant_get_item(&mut role);
    table.grant_query(&mut role);
    table.grant_query_index("byUser", &mut role);
    table.grant_scan(&mut role);
    table.grant_put_item(&mut role);
    table.grant_update_item(&mut role);
    table.grant_delete_item(&mut role);
    queue.grant_consume(&mut role);
    queue.grant_send(&mut role);
    topic.grant_publish(&mut role);
    bus.grant_put_events(&mut role);
    helper.grant_invoke(&mut role);
    logs.grant_write(&mut role);
    secret.grant_read(&mut role);
    bucket.grant_read_objects(&mut role);
    bucket.grant_write_objects(&mut role);
    bucket.grant_list(&mut role);
    key.grant_decrypt(&mut role);
    key.grant_encrypt(&mut role);
    assert_eq!(role.grants().len(), 19);
    role.add_to(&mut stack.scope(), "AppRole");

    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let template: serde_json::Value = serde_json::from_str(&assembly.stacks[0].json).unwrap();
    let findings = check_template(&template);
    assert!(findings.is_empty(), "{findings:#?}");

    // Every granted action is in the role, and nothing else.
    let statements = template["Resources"]["AppRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let mut actions: Vec<&str> = statements
        .iter()
        .flat_map(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
        })
        .collect();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(
        actions,
        [
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:UpdateItem",
            "events:PutEvents",
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "lambda:InvokeFunction",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "s3:GetObject",
            "s3:ListBucket",
            "s3:PutObject",
            "secretsmanager:GetSecretValue",
            "sns:Publish",
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
        ]
    );
    assert!(template["Resources"]["AppRole"]["Properties"]
        .get("ManagedPolicyArns")
        .is_none());
}
