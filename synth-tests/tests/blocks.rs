//! The building blocks used directly: each adds what its docs say, with the same checks the
//! patterns get, and what they add passes the IAM checker and shows in the IAM report.

use constructs::blocks::lambda::{AsyncInvoke, Destination, Function, FunctionProps};
use constructs::blocks::logs::{LogGroup, LogGroupProps, RetentionDays};
use constructs::blocks::s3::{Bucket, BucketProps};
use constructs::cfn::sqs::Queue;
use constructs::iam::{check_template, presets, Condition, ConditionKey, Principal, Statement};
use constructs::{fns, App, Code, Stack};
use serde_json::{json, Value as Json};

fn assemble(stack: Stack) -> (Json, Vec<constructs::iam::PolicyExplanation>) {
    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().expect("the stack is valid");
    let artifact = &assembly.stacks[0];
    let template: Json = serde_json::from_str(&artifact.json).unwrap();
    let findings = check_template(&template);
    assert!(findings.is_empty(), "IAM checker: {findings:?}");
    (template, artifact.iam_report.clone())
}

#[test]
fn a_function_beside_anything_gets_its_role_logs_and_failure_destination() {
    let mut stack = Stack::new("Jobs");
    let failed = stack.add("Failed", Queue::new());
    let function = Function::new(
        &mut stack,
        "Nightly",
        FunctionProps::python("def handler(e, c):\n    return 1\n")
            .timeout_secs(120)
            .env("QUEUE_URL", failed.reference())
            .grant(presets::sqs::consume(&failed))
            .async_invoke(AsyncInvoke::new().on_failure(Destination::Queue(failed.clone()))),
    );
    assert_eq!(
        function.invoke_config().unwrap().logical_id(),
        "NightlyInvokeConfig"
    );
    let (t, report) = assemble(stack);
    let f = &t["Resources"]["NightlyFunction"]["Properties"];
    assert_eq!(f["Timeout"], json!(120));
    assert_eq!(
        f["Environment"]["Variables"]["QUEUE_URL"],
        json!({"Ref": "Failed"})
    );
    assert_eq!(
        f["LoggingConfig"]["LogGroup"],
        json!({"Ref": "NightlyLogs"})
    );
    assert_eq!(
        t["Resources"]["NightlyLogs"]["DeletionPolicy"],
        json!("Retain")
    );
    let statements =
        &t["Resources"]["NightlyRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    let actions: Vec<&Json> = statements
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .collect();
    assert!(actions.contains(&&json!("sqs:SendMessage")), "{actions:?}");
    assert!(
        actions.contains(&&json!("logs:PutLogEvents")),
        "{actions:?}"
    );
    assert!(report.iter().any(|e| e.policy == "Jobs/NightlyRole"));
}

#[test]
fn every_function_problem_is_reported_at_its_path() {
    let mut app = App::new();
    let mut stack = Stack::new("Jobs");
    Function::new(
        &mut stack,
        "Bad",
        FunctionProps::python("x")
            .memory_mb(64)
            .ephemeral_storage_mb(100)
            .env("AWS_REGION", "x"),
    );
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    let codes: Vec<Code> = error.errors().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            Code::LambdaMemoryOutOfRange,
            Code::LambdaStorageOutOfRange,
            Code::InvalidEnvironmentVariable
        ]
    );
    assert!(error.errors().all(|d| d.path == "Jobs/Bad"));
}

#[test]
fn a_bucket_has_one_policy_with_its_statements_then_the_tls_deny() {
    let mut stack = Stack::new("Storage");
    let delivery = Statement::allow(constructs::iam::Action::new("s3:PutObject").unwrap())
        .principal(Principal::service("delivery.logs.amazonaws.com").unwrap())
        .resource(fns::sub("arn:${AWS::Partition}:s3:::example/*"))
        .condition(Condition::string_equals(
            ConditionKey::SOURCE_ACCOUNT,
            fns::account_id(),
        ));
    let bucket = Bucket::new(
        &mut stack,
        "Logs",
        BucketProps::new()
            .unversioned()
            .expire_objects("ExpireLogs", 30)
            .policy_statement(delivery),
    );
    assert_eq!(bucket.policy().logical_id(), "LogsBucketPolicy");
    let (t, report) = assemble(stack);
    let b = &t["Resources"]["LogsBucket"];
    assert_eq!(b["DeletionPolicy"], json!("Retain"));
    assert!(b["Properties"].get("VersioningConfiguration").is_none());
    assert_eq!(
        b["Properties"]["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"],
        json!(30)
    );
    let statements = t["Resources"]["LogsBucketPolicy"]["Properties"]["PolicyDocument"]
        ["Statement"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0]["Effect"], json!("Allow"));
    assert_eq!(statements[1]["Effect"], json!("Deny"));
    // The TLS-only deny compares `aws:SecureTransport` to the JSON boolean: AWS's Guard rule
    // `S3_BUCKET_SSL_REQUESTS_ONLY` matches only that form.
    assert_eq!(
        statements[1]["Condition"]["Bool"]["aws:SecureTransport"],
        json!([false])
    );
    let explained: Vec<&str> = report
        .iter()
        .filter(|e| e.policy == "Storage/LogsBucketPolicy")
        .map(|e| e.principal.as_str())
        .collect();
    assert_eq!(explained, ["delivery.logs.amazonaws.com", "*"]);
}

#[test]
fn the_load_balancers_log_bucket_policy_is_in_the_iam_report() {
    let assembly = examples::fargate_service::app().assemble().unwrap();
    let service = assembly.stack("FargateService").unwrap();
    let principals: Vec<&str> = service
        .iam_report
        .iter()
        .filter(|e| e.policy.ends_with("AccessLogBucketPolicy"))
        .map(|e| e.principal.as_str())
        .collect();
    // The stack's Region is not pinned: both writers are listed, each with its condition.
    assert_eq!(
        principals,
        [
            "*",
            "arn:${AWS::Partition}:iam::${WebAccessLogElbAccounts[AWS::Region].AccountId}:root \
             (where WebAccessLogInElbAccountRegion)",
            "logdelivery.elasticloadbalancing.amazonaws.com (where not WebAccessLogInElbAccountRegion)",
        ]
    );
}

#[test]
fn a_log_group_takes_only_retentions_cloudwatch_accepts() {
    let mut stack = Stack::new("Logs");
    LogGroup::new(
        &mut stack,
        "Audit",
        LogGroupProps::new().retention(RetentionDays::Days3653),
    );
    let (t, _) = assemble(stack);
    assert_eq!(
        t["Resources"]["Audit"]["Properties"]["RetentionInDays"],
        json!(3653)
    );
    assert_eq!(
        t["Resources"]["Audit"]["UpdateReplacePolicy"],
        json!("Retain")
    );
}

#[test]
fn a_queue_and_a_topic_each_have_one_policy_naming_their_senders() {
    use constructs::blocks::sns::{Topic, TopicProps};
    use constructs::blocks::sqs::{Queue, QueueProps};
    use constructs::cfn::events::Rule;

    let mut stack = Stack::new("Fanout");
    let rule = stack.add("Nightly", Rule::new().schedule_expression("rate(1 day)"));
    // EventBridge cannot use alias/aws/sns: a topic rules publish to has its own key.
    let key = stack.add("TopicKey", constructs::cfn::kms::Key::new());
    let topic = Topic::new(
        &mut stack,
        "Events",
        TopicProps::new().kms_key(&key).allow_from_rule(&rule),
    );
    let queue = Queue::new(
        &mut stack,
        "Jobs",
        QueueProps::standard()
            .allow_from_rule(&rule)
            .allow_from_topic(topic.topic()),
    );
    let (t, report) = assemble(stack);
    let resources = t["Resources"].as_object().unwrap();
    let policies_of = |kind: &str, list: &str, target: &str| -> usize {
        resources
            .values()
            .filter(|r| r["Type"] == kind)
            .filter(|r| {
                r["Properties"][list]
                    .as_array()
                    .unwrap()
                    .contains(&json!({"Ref": target}))
            })
            .count()
    };
    assert_eq!(
        policies_of("AWS::SQS::QueuePolicy", "Queues", "JobsQueue"),
        1
    );
    assert_eq!(policies_of("AWS::SQS::QueuePolicy", "Queues", "JobsDlq"), 1);
    assert_eq!(
        policies_of("AWS::SNS::TopicPolicy", "Topics", "EventsTopic"),
        1
    );

    let statements = t["Resources"]["JobsQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(statements.len(), 3, "events, sns, and the TLS deny");
    assert_eq!(
        statements[0]["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!([{"Fn::GetAtt": ["Nightly", "Arn"]}])
    );
    assert_eq!(
        statements[1]["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!([{"Ref": "EventsTopic"}])
    );
    let topic_statements =
        &t["Resources"]["EventsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        topic_statements[0]["Principal"]["Service"],
        json!(["events.amazonaws.com"])
    );
    let dlq = &t["Resources"]["JobsDlq"]["Properties"];
    assert_eq!(dlq["MessageRetentionPeriod"], json!(1_209_600));
    assert_eq!(
        t["Resources"]["JobsQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"],
        json!({"Fn::GetAtt": ["JobsDlq", "Arn"]})
    );
    assert_eq!(queue.policy().logical_id(), "JobsQueuePolicy");
    assert_eq!(
        queue.dead_letter_policy().unwrap().logical_id(),
        "JobsDlqPolicy"
    );
    assert_eq!(topic.policy().logical_id(), "EventsTopicPolicy");
    assert!(report
        .iter()
        .any(|e| e.policy == "Fanout/JobsQueuePolicy" && e.principal == "sns.amazonaws.com"));
}

#[test]
fn every_queue_problem_is_reported_at_its_path() {
    use constructs::blocks::sqs::{Queue, QueueProps};

    let mut app = App::new();
    let mut stack = Stack::new("Work");
    Queue::new(
        &mut stack,
        "Bad",
        QueueProps::standard()
            .retention_secs(1)
            .name("bad.fifo")
            .max_receive_count(0),
    );
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    let codes: Vec<Code> = error.errors().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            Code::QueueSettingOutOfRange,
            Code::QueueSettingOutOfRange,
            Code::FifoMismatch
        ]
    );
    assert!(error.errors().all(|d| d.path == "Work/Bad"));
}

#[test]
fn a_function_in_app_subnets_gets_its_own_group_and_scoped_network_permissions() {
    use constructs::blocks::ec2::Allow;
    use constructs::network::{VpcThreeTier, VpcThreeTierProps};

    let mut stack = Stack::new("Net");
    let network = VpcThreeTier::new(&mut stack, "Net", VpcThreeTierProps::new("10.0.0.0/16"));
    let function = Function::new(
        &mut stack,
        "Reader",
        FunctionProps::python("def handler(e, c):\n    return 1\n")
            .in_vpc(network.vpc().reference(), network.app_subnets()),
    );
    let group = function
        .security_group()
        .expect("a VPC function has a group")
        .clone();
    assert_eq!(group.logical_id(), "ReaderSecurityGroup");
    Allow::tcp(
        ("Reader", &group),
        ("Database", &network.security_groups().database),
        5432,
    )
    .add_to(&mut stack);
    let (t, _) = assemble(stack);

    let vpc_config = &t["Resources"]["ReaderFunction"]["Properties"]["VpcConfig"];
    assert_eq!(
        vpc_config["SecurityGroupIds"],
        json!([{"Fn::GetAtt": ["ReaderSecurityGroup", "GroupId"]}])
    );
    assert_eq!(vpc_config["SubnetIds"].as_array().unwrap().len(), 3);
    let egress = &t["Resources"]["ReaderSecurityGroup"]["Properties"]["SecurityGroupEgress"];
    assert_eq!(egress[0]["FromPort"], json!(443));
    assert!(t["Resources"]["ReaderSecurityGroup"]["Properties"]
        .get("SecurityGroupIngress")
        .is_none());

    let statements = t["Resources"]["ReaderRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let create = statements
        .iter()
        .find(|s| s["Action"] == json!(["ec2:CreateNetworkInterface"]))
        .expect("creating interfaces is granted");
    // Interfaces of this account, the three app subnets and the function's own group: no `*`.
    assert_eq!(create["Resource"].as_array().unwrap().len(), 5);
    let star: Vec<&Json> = statements
        .iter()
        .filter(|s| s["Resource"] == json!(["*"]))
        .flat_map(|s| s["Action"].as_array().unwrap())
        .collect();
    assert_eq!(
        star,
        [
            &json!("ec2:DescribeNetworkInterfaces"),
            &json!("ec2:DescribeSubnets")
        ]
    );
}

#[test]
fn bucket_and_topic_problems_are_reported_at_their_paths() {
    use constructs::blocks::sns::{Topic, TopicProps};

    let mut app = App::new();
    let mut stack = Stack::new("Store");
    Bucket::new(
        &mut stack,
        "Logs",
        BucketProps::new().expire_objects("x".repeat(256), 0),
    );
    Topic::new(
        &mut stack,
        "Alerts",
        TopicProps::new().display_name("y".repeat(101)),
    );
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    let found: Vec<(Code, &str)> = error.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::BucketSettingOutOfRange, "Store/Logs"),
            (Code::TooLong, "Store/Logs"),
            (Code::TooLong, "Store/Alerts"),
        ]
    );
}

#[test]
fn a_topic_rules_publish_to_needs_a_key_eventbridge_can_use() {
    use constructs::blocks::sns::{Topic, TopicProps};
    use constructs::cfn::events::Rule;

    let mut app = App::new();
    let mut stack = Stack::new("Fanout");
    let rule = stack.add("Nightly", Rule::new().schedule_expression("rate(1 day)"));
    Topic::new(
        &mut stack,
        "Events",
        TopicProps::new().allow_from_rule(&rule),
    );
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    let found: Vec<(Code, &str)> = error.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(found, [(Code::UnsupportedEncryption, "Fanout/Events")]);
}

#[test]
fn a_role_reports_its_problems_at_its_own_path() {
    use constructs::blocks::iam::ServiceRole;

    let mut app = App::new();
    let mut stack = Stack::new("Roles");
    ServiceRole::new("Not A Service").add_to(&mut stack.scope(), "Worker");
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    let found: Vec<(Code, &str)> = error.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(found, [(Code::InvalidServicePrincipal, "Roles/Worker")]);
}
