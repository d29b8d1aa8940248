//! The checker's rules, one test or more per code, on templates shaped as synth writes them.

use super::arn::ARN_ATTRIBUTES;
use super::*;
use serde_json::json;

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

fn role_with(statements: Json) -> Json {
    json!({"Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
                "Action": ["sts:AssumeRole"]}]},
            "Policies": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}]
        }}
    }})
}

fn check_role(statements: Json) -> Vec<Finding> {
    check_template(&role_with(statements))
}

/// A least-privilege Lambda role: table and its indexes, a queue, its own log group, traces.
fn good_statements() -> Json {
    json!([
        {"Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
         "Resource": [{"Fn::GetAtt": ["Table", "Arn"]}]},
        {"Effect": "Allow",
         "Action": ["dynamodb:Query"],
         "Resource": [{"Fn::GetAtt": ["Table", "Arn"]}, {"Fn::Sub": "${Table.Arn}/index/*"}]},
        {"Effect": "Allow",
         "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
         "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]},
        {"Effect": "Allow",
         "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [{"Fn::GetAtt": ["Logs", "Arn"]},
                      {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/fn:*"}]},
        {"Effect": "Allow", "Action": ["s3:GetObject"],
         "Resource": [{"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/uploads/*"]]}]},
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [{"Fn::GetAtt": ["Bucket", "Arn"]}],
         "Condition": {"StringLike": {"s3:prefix": ["uploads/*"]}}},
        {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": ["*"]},
        {"Effect": "Allow", "Action": ["kms:Decrypt"],
         "Resource": ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
         "Condition": {"StringEquals": {"kms:ViaService": ["sqs.us-east-1.amazonaws.com"], "aws:SourceAccount": ["123456789012"]}}}
    ])
}

#[test]
fn a_least_privilege_role_passes() {
    let findings = check_role(good_statements());
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_wildcard_action_fails() {
    let f = check_role(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    assert_eq!(codes(&f), ["iam-wildcard-action"]);
    assert_eq!(f[0].logical_id, "Role");
    assert_eq!(f[0].location, "Policies[0].PolicyDocument");
    assert_eq!(f[0].statement, Some(0));
    let partial = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:Get*"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]}]),
    );
    assert_eq!(codes(&partial), ["iam-wildcard-action"]);
}

#[test]
fn a_service_wildcard_fails() {
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:*"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]}]),
    );
    assert_eq!(codes(&f), ["iam-service-wildcard-action"]);
}

#[test]
fn deny_may_use_wildcards() {
    let f = check_document(
        &json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}),
        PolicyKind::Resource,
    );
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn a_misspelled_action_fails() {
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:SendMesage"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]}]),
    );
    assert_eq!(codes(&f), ["iam-unknown-action"]);
    assert!(f[0].message.contains("sqs:SendMesage"), "{}", f[0].message);
    // Case does not matter, as in IAM.
    assert!(check_role(json!([{"Effect": "Allow", "Action": ["SQS:sendmessage"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]}])).is_empty());
}

#[test]
fn an_unvendored_service_is_reported() {
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["states:StartExecution"], "Resource": ["arn:aws:states:us-east-1:1:stateMachine:m"]}]),
    );
    assert_eq!(codes(&f), ["iam-unknown-service"]);
}

#[test]
fn an_action_on_the_wrong_arn_type_fails() {
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["Table", "Arn"]}]}]),
    );
    assert_eq!(codes(&f), ["iam-arn-type-mismatch"]);
    assert!(f[0].message.contains("dynamodb table"), "{}", f[0].message);
    // Literal ARNs too.
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]}]),
    );
    assert_eq!(codes(&f), ["iam-arn-type-mismatch"]);
}

#[test]
fn bucket_and_object_arns_are_told_apart() {
    let on_objects = check_role(
        json!([{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::b/*"]}]),
    );
    assert_eq!(codes(&on_objects), ["iam-arn-type-mismatch"]);
    let on_bucket = check_role(
        json!([{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [{"Fn::GetAtt": ["Bucket", "Arn"]}]}]),
    );
    assert_eq!(codes(&on_bucket), ["iam-arn-type-mismatch"]);
}

#[test]
fn table_and_index_arns_are_told_apart() {
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["dynamodb:DescribeTable"], "Resource": [{"Fn::Sub": "${Table.Arn}/index/*"}]}]),
    );
    assert_eq!(codes(&f), ["iam-arn-type-mismatch"]);
    let f = check_role(json!([{"Effect": "Allow", "Action": ["dynamodb:Query"],
        "Resource": [{"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}/index/*", {"T": {"Ref": "Table"}}]}]}]));
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn resource_star_for_an_action_that_takes_resources_fails() {
    let f =
        check_role(json!([{"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"}]));
    assert_eq!(codes(&f), ["iam-wildcard-resource"]);
    // And the reverse: an action that takes no resource given an ARN.
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]}]),
    );
    assert_eq!(codes(&f), ["iam-arn-type-mismatch"]);
}

#[test]
fn an_invalid_condition_key_fails() {
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}],
        "Condition": {"StringEquals": {"dynamodb:LeadingKeys": ["x"]}}}]),
    );
    assert_eq!(codes(&f), ["iam-unknown-condition-key"]);
    let f = check_role(
        json!([{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}],
        "Condition": {"StringEqual": {"aws:SourceAccount": ["1"]}}}]),
    );
    assert_eq!(codes(&f), ["iam-unknown-condition-operator"]);
}

fn queue_policy(statement: Json) -> Json {
    json!({"Resources": {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {}},
        "QueuePolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": "Queue"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}
        }}
    }})
}

#[test]
fn a_service_principal_without_source_condition_fails() {
    let bare = json!({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}});
    let f = check_template(&queue_policy(bare.clone()));
    assert_eq!(codes(&f), ["iam-missing-source-condition"]);
    assert_eq!(f[0].logical_id, "QueuePolicy");
    let mut scoped = bare;
    scoped["Condition"] = json!({"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["Rule", "Arn"]}}});
    let f = check_template(&queue_policy(scoped));
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn both_branches_of_a_statement_choice_are_checked() {
    let scoped = json!({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]},
        "Condition": {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["Rule", "Arn"]}}}});
    let account = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::127311923021:root"},
        "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}});
    let chosen = json!({"Fn::If": ["InOldRegion", account, scoped]});
    let f = check_template(&queue_policy(chosen));
    assert!(f.is_empty(), "{f:#?}");
    // Without the checker reading into the choice, neither of these would be seen.
    let mut bare = scoped;
    bare.as_object_mut().unwrap().remove("Condition");
    let f = check_template(&queue_policy(
        json!({"Fn::If": ["InOldRegion", account, bare]}),
    ));
    assert_eq!(codes(&f), ["iam-missing-source-condition"]);
    assert_eq!(f[0].statement, Some(0));
    let wildcard = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::127311923021:root"},
        "Action": "sqs:*", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}});
    let f = check_template(&queue_policy(
        json!({"Fn::If": ["InOldRegion", wildcard, {"Ref": "AWS::NoValue"}]}),
    ));
    assert_eq!(codes(&f), ["iam-service-wildcard-action"]);
}

#[test]
fn an_aws_managed_policy_fails() {
    let mut t = role_with(good_statements());
    t["Resources"]["Role"]["Properties"]["ManagedPolicyArns"] = json!([
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"]]},
        {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/Mine"}
    ]);
    let f = check_template(&t);
    assert_eq!(codes(&f), ["iam-aws-managed-policy"; 3]);
    assert_eq!(f[2].location, "ManagedPolicyArns[2]");
}

#[test]
fn principals_are_checked_by_policy_kind() {
    let with_principal = check_role(
        json!([{"Effect": "Allow", "Principal": "*", "Action": ["sqs:SendMessage"], "Resource": [{"Fn::GetAtt": ["Queue", "Arn"]}]}]),
    );
    assert_eq!(codes(&with_principal), ["iam-invalid-principal"]);
    let mut t = role_with(good_statements());
    t["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] =
        json!({"AWS": "*"});
    assert_eq!(codes(&check_template(&t)), ["iam-invalid-principal"]);
    t["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] =
        json!({"Service": "lambda"});
    assert_eq!(codes(&check_template(&t)), ["iam-invalid-principal"]);
    let f = check_template(&queue_policy(
        json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}),
    ));
    assert!(codes(&f).contains(&"iam-invalid-principal"), "{f:#?}");
}

#[test]
fn malformed_documents_are_reported() {
    let f = check_document(
        &json!({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:q"}]}),
        PolicyKind::Identity,
    );
    assert_eq!(codes(&f), ["iam-malformed-policy"]);
    let f = check_document(
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "sqs:SendMessage"}]}),
        PolicyKind::Identity,
    );
    assert_eq!(codes(&f), ["iam-malformed-policy"]);
    let f = check_document(
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage"}]}),
        PolicyKind::Identity,
    );
    assert_eq!(codes(&f), ["iam-malformed-policy"]);
    let text = json!("{\"Version\": \"2012-10-17\", \"Statement\": []}");
    assert!(check_document(&text, PolicyKind::Identity).is_empty());
}

#[test]
fn unreadable_resources_are_not_reported() {
    let f = check_document(
        &json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Ref": "QueueArnParameter"}},
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::ImportValue": "Other-QueueArn"}}
        ]}),
        PolicyKind::Identity,
    );
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn both_branches_of_an_if_are_checked() {
    let f = check_role(json!([{"Effect": "Allow", "Action": ["sqs:SendMessage"],
        "Resource": {"Fn::If": ["C", {"Fn::GetAtt": ["Queue", "Arn"]}, {"Fn::GetAtt": ["Table", "Arn"]}]}}]));
    assert_eq!(codes(&f), ["iam-arn-type-mismatch"]);
}

#[test]
fn lambda_qualified_arns_and_custom_bus_rules_fit() {
    let t = json!({"Resources": {
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "Bus": {"Type": "AWS::Events::EventBus", "Properties": {}},
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {"EventBusName": {"Ref": "Bus"}}},
        "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "lambda:InvokeFunction",
             "Resource": [{"Fn::GetAtt": ["Fn", "Arn"]}, {"Fn::Sub": "${Fn.Arn}:*"}]},
            {"Effect": "Allow", "Action": ["events:PutEvents"], "Resource": {"Fn::GetAtt": ["Bus", "Arn"]}},
            {"Effect": "Allow", "Action": ["events:DescribeRule"], "Resource": {"Fn::GetAtt": ["Rule", "Arn"]}}
        ]}}}
    }});
    let f = check_template(&t);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn resource_star_actions_take_no_resource() {
    let data = ActionData::vendored();
    for (action, reason) in RESOURCE_STAR_ACTIONS {
        let def = data
            .action(action)
            .unwrap_or_else(|| panic!("{action} exists"));
        assert!(def.accepts_no_resource(), "{action} takes a resource type");
        assert!(!reason.is_empty());
    }
    let mut actions: Vec<&str> = RESOURCE_STAR_ACTIONS.iter().map(|(a, _)| *a).collect();
    actions.sort_unstable();
    let listed = actions.len();
    actions.dedup();
    assert_eq!(actions.len(), listed, "an action is listed twice");
}

#[test]
fn every_arn_attribute_names_a_vendored_resource_type() {
    let data = ActionData::vendored();
    for (ty, attr, service, rt, _) in ARN_ATTRIBUTES {
        assert!(
            data.service(service)
                .and_then(|s| s.resource_type(rt))
                .is_some(),
            "{ty}.{attr} -> {service} {rt}"
        );
    }
}

#[test]
fn findings_display_their_place() {
    let f = check_role(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    assert_eq!(
        f[0].to_string(),
        "iam-wildcard-action Role.Policies[0].PolicyDocument statement 0: `*` allows every action of every service"
    );
}

/// The policy model, through a stack and synth, into the checker.
mod through_synth {
    use super::*;
    use crate::cfn::dynamodb::Table;
    use crate::cfn::iam::role::{Policy, Role};
    use crate::cfn::sqs::Queue;
    use crate::iam::{Action, PolicyDocument, Principal, Statement};
    use crate::{App, Stack};

    fn synth(pair_queue_action_with_table: bool) -> Json {
        let app = app(pair_queue_action_with_table);
        let assembly = app.assemble().unwrap();
        serde_json::from_str(&assembly.stack("Orders").unwrap().json).unwrap()
    }

    fn app(pair_queue_action_with_table: bool) -> App {
        let mut stack = Stack::new("Orders");
        let table = stack.add(
            "Table",
            Table::new(json!([{"AttributeName": "pk", "KeyType": "HASH"}])),
        );
        let queue = stack.add("Queue", Queue::new());
        let action = |a: &str| Action::new(a).unwrap();
        let trust = PolicyDocument::new().statement(
            Statement::allow(action("sts:AssumeRole"))
                .principal(Principal::service("lambda.amazonaws.com").unwrap()),
        );
        let queue_arn = if pair_queue_action_with_table {
            table.att_arn()
        } else {
            queue.att_arn().into()
        };
        let permissions = PolicyDocument::new()
            .statement(Statement::allow(action("dynamodb:GetItem")).resource(table.att_arn()))
            .statement(Statement::allow(action("dynamodb:PutItem")).resource(table.att_arn()))
            .statement(Statement::allow(action("sqs:SendMessage")).resource(queue_arn))
            .merged();
        // With the queue action on the table, all three share a resource and merge into one.
        let expected = if pair_queue_action_with_table { 1 } else { 2 };
        assert_eq!(permissions.statements().len(), expected);
        stack.add(
            "Role",
            Role::new(trust).policies(vec![Policy::new(permissions, "Data")]),
        );
        let mut app = App::new();
        app.add_stack(stack);
        app
    }

    #[test]
    fn a_synthesized_role_passes() {
        let template = synth(false);
        let findings = check_template(&template);
        assert!(findings.is_empty(), "{findings:#?}");
        let statements = &template["Resources"]["Role"]["Properties"]["Policies"][0]
            ["PolicyDocument"]["Statement"];
        assert_eq!(
            statements[0],
            json!({"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                   "Resource": [{"Fn::GetAtt": ["Table", "Arn"]}]})
        );
    }

    #[test]
    fn a_synthesized_mismatch_fails_synth_at_the_role() {
        let error = app(true).assemble().unwrap_err();
        let found: Vec<(Code, &str)> = error.errors().map(|d| (d.code, d.path.as_str())).collect();
        assert_eq!(found, [(Code::IamArnTypeMismatch, "Orders/Role")]);
    }
}
