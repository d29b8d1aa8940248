//! Wiring between patterns and blocks: event sources of any function, topic → function
//! subscriptions, and senders added to a queue's or topic's one policy after it was built.
//! What each adds passes the IAM checker.

use constructs::blocks::lambda::{
    ConsumeProps, EventSource, Function, FunctionProps, StartingPosition, StreamFailure,
    StreamProps,
};
use constructs::blocks::sqs::{Queue as QueueBlock, QueueProps};
use constructs::cfn::dynamodb::{table, Table};
use constructs::cfn::kms::Key;
use constructs::cfn::sqs::Queue;
use constructs::iam::{check_template, Action, PolicyDocument, Principal, Statement};
use constructs::kinds::List;
use constructs::{App, Code, Handle, Stack, Value};
use serde_json::{json, Value as Json};

const CODE: &str = "def handler(event, context):\n    return {}\n";

fn assemble(stack: Stack) -> Json {
    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().expect("the stack is valid");
    let template: Json = serde_json::from_str(&assembly.stacks[0].json).unwrap();
    let findings = check_template(&template);
    assert!(findings.is_empty(), "IAM checker: {findings:?}");
    template
}

/// The codes and paths synth reports for `stack` (and `others`).
fn errors(stack: Stack, others: Vec<Stack>) -> Vec<(Code, String)> {
    let mut app = App::new();
    for other in others {
        app.add_stack(other);
    }
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    error.errors().map(|d| (d.code, d.path.clone())).collect()
}

/// Every action of the role `role`'s inline policy, with the resources of its statement.
fn role_statements(t: &Json, role: &str) -> Vec<(Vec<String>, Json)> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let actions = match &s["Action"] {
                Json::String(a) => vec![a.clone()],
                Json::Array(items) => items
                    .iter()
                    .map(|a| a.as_str().unwrap().to_owned())
                    .collect(),
                other => panic!("{other}"),
            };
            // One resource is written as a list of one.
            let resource = match &s["Resource"] {
                Json::Array(items) if items.len() == 1 => items[0].clone(),
                other => other.clone(),
            };
            (actions, resource)
        })
        .collect()
}

fn table(stack: &mut Stack, id: &str, stream: bool) -> Handle<Table> {
    let keys: Value<List<table::KeySchema>> = vec![table::KeySchema::new("id", "HASH")].into();
    let mut t = Table::new(keys.into_json())
        .attribute_definitions(vec![table::AttributeDefinition::new("id", "S")])
        .billing_mode("PAY_PER_REQUEST");
    if stream {
        t = t.stream_specification(table::StreamSpecification::new("NEW_AND_OLD_IMAGES"));
    }
    stack.add(id, t)
}

fn admin_key(stack: &mut Stack) -> Handle<Key> {
    let admin = Statement::allow(Action::new("kms:*").unwrap())
        .principal(Principal::aws("arn:aws:iam::123456789012:root"))
        .resource("*");
    stack.add(
        "QueueKey",
        Key::new().key_policy(PolicyDocument::new().statement(admin)),
    )
}

#[test]
fn a_function_consumes_a_queue_with_exactly_the_consume_grant() {
    let mut stack = Stack::new("Work");
    let jobs = QueueBlock::new(
        &mut stack,
        "Jobs",
        QueueProps::standard().visibility_timeout_secs(120),
    );
    let worker = Function::new(
        &mut stack,
        "Worker",
        FunctionProps::python(CODE).timeout_secs(20).event_source(
            "Jobs",
            EventSource::queue(
                jobs.queue(),
                ConsumeProps::new()
                    .batch_size(100)
                    .batching_window_secs(5)
                    .max_concurrency(4),
            ),
        ),
    );
    assert_eq!(worker.mappings().len(), 1);
    let t = assemble(stack);
    let mapping = &t["Resources"]["WorkerJobsMapping"];
    assert_eq!(mapping["Type"], json!("AWS::Lambda::EventSourceMapping"));
    assert_eq!(
        mapping["Properties"],
        json!({
            "FunctionName": {"Ref": "WorkerFunction"},
            "EventSourceArn": {"Fn::GetAtt": ["JobsQueue", "Arn"]},
            "BatchSize": 100,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "MaximumBatchingWindowInSeconds": 5,
            "ScalingConfig": {"MaximumConcurrency": 4},
        })
    );
    let statements = role_statements(&t, "WorkerRole");
    let consume: Vec<_> = statements
        .iter()
        .filter(|(actions, _)| actions.iter().any(|a| a.starts_with("sqs:")))
        .collect();
    assert_eq!(consume.len(), 1, "{statements:?}");
    assert_eq!(
        consume[0].0,
        [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ]
    );
    assert_eq!(consume[0].1, json!({"Fn::GetAtt": ["JobsQueue", "Arn"]}));
    // No KMS: the queue is SQS-managed.
    assert!(!statements
        .iter()
        .any(|(a, _)| a.iter().any(|a| a.starts_with("kms:"))));
}

#[test]
fn a_queue_with_a_key_of_the_stack_adds_decrypt_on_that_key() {
    let mut stack = Stack::new("Work");
    let key = admin_key(&mut stack);
    let jobs = stack.add(
        "Jobs",
        Queue::new()
            .kms_master_key_id(key.att_arn())
            .visibility_timeout(60),
    );
    Function::new(
        &mut stack,
        "Worker",
        FunctionProps::python(CODE)
            .event_source("Jobs", EventSource::queue(&jobs, ConsumeProps::new())),
    );
    let t = assemble(stack);
    let statements = role_statements(&t, "WorkerRole");
    assert!(
        statements.contains(&(
            vec!["kms:Decrypt".to_owned()],
            json!({"Fn::GetAtt": ["QueueKey", "Arn"]})
        )),
        "{statements:?}"
    );
}

#[test]
fn what_a_queue_source_cannot_take_is_reported_at_the_source() {
    let mut stack = Stack::new("Work");
    let fifo = stack.add(
        "Ledger",
        Queue::new().fifo_queue(true).visibility_timeout(30),
    );
    let aliased = stack.add(
        "Aliased",
        Queue::new()
            .kms_master_key_id("alias/orders")
            .visibility_timeout(600),
    );
    let mut other = Stack::new("Other");
    let elsewhere = other.add("Elsewhere", Queue::new());
    Function::new(
        &mut stack,
        "Worker",
        FunctionProps::python(CODE)
            .timeout_secs(10)
            .event_source(
                "Ledger",
                EventSource::queue(&fifo, ConsumeProps::new().batching_window_secs(1)),
            )
            .event_source("Aliased", EventSource::queue(&aliased, ConsumeProps::new()))
            .event_source(
                "Elsewhere",
                EventSource::queue(&elsewhere, ConsumeProps::new()),
            ),
    );
    assert_eq!(
        errors(stack, vec![other]),
        [
            (
                Code::BatchingOutOfRange,
                "Work/WorkerLedgerMapping".to_owned()
            ),
            (
                Code::VisibilityTimeoutTooShort,
                "Work/WorkerLedgerMapping".to_owned()
            ),
            (
                Code::EventSourceUnreadable,
                "Work/WorkerAliasedMapping".to_owned()
            ),
            (
                Code::EventSourceUnreadable,
                "Work/WorkerElsewhereMapping".to_owned()
            ),
        ]
    );
}

#[test]
fn a_function_reads_a_table_stream_with_the_stream_grant_on_the_stream_only() {
    let mut stack = Stack::new("Data");
    let orders = table(&mut stack, "Orders", true);
    let failed = stack.add("Failed", Queue::new());
    Function::new(
        &mut stack,
        "Projector",
        FunctionProps::python(CODE).event_source(
            "Orders",
            EventSource::table_stream(
                &orders,
                StreamProps::new(StartingPosition::TrimHorizon)
                    .batch_size(500)
                    .bisect_on_error()
                    .max_retries(3)
                    .max_record_age_secs(3_600)
                    .parallelization(2)
                    .on_failure(StreamFailure::Queue(failed.clone())),
            ),
        ),
    );
    let t = assemble(stack);
    assert_eq!(
        t["Resources"]["ProjectorOrdersMapping"]["Properties"],
        json!({
            "FunctionName": {"Ref": "ProjectorFunction"},
            "EventSourceArn": {"Fn::GetAtt": ["Orders", "StreamArn"]},
            "StartingPosition": "TRIM_HORIZON",
            "BatchSize": 500,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BisectBatchOnFunctionError": true,
            "MaximumRetryAttempts": 3,
            "MaximumRecordAgeInSeconds": 3600,
            "ParallelizationFactor": 2,
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Failed", "Arn"]}}},
        })
    );
    let statements = role_statements(&t, "ProjectorRole");
    let dynamodb: Vec<_> = statements
        .iter()
        .filter(|(a, _)| a.iter().any(|a| a.starts_with("dynamodb:")))
        .cloned()
        .collect();
    assert_eq!(
        dynamodb,
        [
            (
                vec![
                    "dynamodb:DescribeStream".to_owned(),
                    "dynamodb:GetRecords".to_owned(),
                    "dynamodb:GetShardIterator".to_owned(),
                ],
                json!({"Fn::GetAtt": ["Orders", "StreamArn"]})
            ),
            (vec!["dynamodb:ListStreams".to_owned()], json!("*")),
        ]
    );
    assert!(statements.contains(&(
        vec!["sqs:SendMessage".to_owned()],
        json!({"Fn::GetAtt": ["Failed", "Arn"]})
    )));
}

#[test]
fn a_table_without_a_stream_cannot_be_read() {
    let mut stack = Stack::new("Data");
    let orders = table(&mut stack, "Orders", false);
    Function::new(
        &mut stack,
        "Projector",
        FunctionProps::python(CODE).event_source(
            "Orders",
            EventSource::table_stream(
                &orders,
                StreamProps::new(StartingPosition::Latest).parallelization(11),
            ),
        ),
    );
    assert_eq!(
        errors(stack, Vec::new()),
        [
            (
                Code::StreamSettingOutOfRange,
                "Data/ProjectorOrdersMapping".to_owned()
            ),
            (
                Code::StreamNotEnabled,
                "Data/ProjectorOrdersMapping".to_owned()
            ),
        ]
    );
}

#[test]
fn a_serverless_table_with_a_stream_feeds_a_function() {
    use constructs::serverless::{
        AttributeType, Route, ServerlessApi, ServerlessApiProps, StreamView, TableProps,
    };

    let api_code = "def handler(event, context):\n    return {'statusCode': 200}\n";
    let mut stack = Stack::new("Items");
    let api = ServerlessApi::new(
        &mut stack,
        "Items",
        ServerlessApiProps::new(
            TableProps::new("pk", AttributeType::String).stream(StreamView::NewImage),
        )
        .function("Api", FunctionProps::python(api_code))
        .route(Route::new("GET /items/{id}", "Api").reads_item()),
    );
    Function::new(
        &mut stack,
        "Audit",
        FunctionProps::python(CODE).event_source(
            "Items",
            EventSource::table_stream(api.table(), StreamProps::new(StartingPosition::Latest)),
        ),
    );
    let t = assemble(stack);
    assert_eq!(
        t["Resources"]["AuditItemsMapping"]["Properties"]["EventSourceArn"],
        json!({"Fn::GetAtt": [api.table().logical_id(), "StreamArn"]})
    );
}

#[test]
fn a_pipeline_topic_delivers_to_a_function_with_a_scoped_permission_and_a_dead_letter_queue() {
    use constructs::blocks::sns::{FunctionSubscription, FunctionSubscriptionProps};
    use constructs::pipeline::{
        EventPipeline, EventPipelineProps, FilterPolicy, Matcher, TopicProps,
    };

    let mut stack = Stack::new("Shop");
    let mut props = EventPipelineProps::new();
    let events = props.topic("Events", TopicProps::new());
    let pipeline = EventPipeline::new(&mut stack, "Orders", props);
    let audit = Function::new(&mut stack, "Audit", FunctionProps::python(CODE));
    let topic = pipeline.topic(&events).unwrap().clone();
    FunctionSubscription::new(
        &mut stack,
        "AuditEvents",
        &topic,
        audit.function(),
        FunctionSubscriptionProps::new().filter_policy(
            FilterPolicy::new()
                .field("order.total", [Matcher::prefix("1")])
                .on_body(),
        ),
    );
    let t = assemble(stack);
    let r = &t["Resources"];
    let topic_ref = json!({"Ref": topic.logical_id()});
    assert_eq!(
        r["AuditEventsPermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["AuditFunction", "Arn"]},
            "Principal": "sns.amazonaws.com",
            "SourceArn": topic_ref,
        })
    );
    assert_eq!(
        r["AuditEventsSubscription"]["Properties"],
        json!({
            "Protocol": "lambda",
            "TopicArn": topic_ref,
            "Endpoint": {"Fn::GetAtt": ["AuditFunction", "Arn"]},
            "FilterPolicy": {"order": {"total": [{"prefix": "1"}]}},
            "FilterPolicyScope": "MessageBody",
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["AuditEventsDlq", "Arn"]}},
        })
    );
    let statements = &r["AuditEventsDlqPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[0]["Principal"],
        json!({"Service": ["sns.amazonaws.com"]})
    );
    assert_eq!(statements[0]["Action"], json!(["sqs:SendMessage"]));
    assert_eq!(
        statements[0]["Condition"],
        json!({"ArnEquals": {"aws:SourceArn": [topic_ref]}})
    );
    assert_eq!(statements[1]["Effect"], json!("Deny"));
}

#[test]
fn a_bad_filter_policy_of_a_function_subscription_is_reported_at_it() {
    use constructs::blocks::sns::{
        FunctionSubscription, FunctionSubscriptionProps, Topic, TopicProps,
    };
    use constructs::pipeline::{FilterPolicy, Matcher};

    let mut stack = Stack::new("Shop");
    let topic = Topic::new(&mut stack, "Events", TopicProps::new());
    let audit = Function::new(&mut stack, "Audit", FunctionProps::python(CODE));
    let subscription = FunctionSubscription::new(
        &mut stack,
        "AuditEvents",
        topic.topic(),
        audit.function(),
        FunctionSubscriptionProps::new()
            .without_dead_letter_queue()
            .filter_policy(FilterPolicy::new().field("kind", [Matcher::wildcard("a*")])),
    );
    assert!(subscription.dead_letter_queue().is_none());
    assert_eq!(
        errors(stack, Vec::new()),
        [(Code::InvalidEventPattern, "Shop/AuditEvents".to_owned())]
    );
}

/// The resources of type `ty` in `t`, by logical id.
fn of_type<'t>(t: &'t Json, ty: &str) -> Vec<(&'t String, &'t Json)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == json!(ty))
        .collect()
}

#[test]
fn a_second_sender_merges_into_the_one_queue_policy() {
    use constructs::blocks::QueueSender;
    use constructs::cfn::events::Rule;
    use constructs::cfn::s3::Bucket;
    use constructs::pipeline::{
        EventPattern, EventPipeline, EventPipelineProps, RuleProps, Target,
    };

    let mut stack = Stack::new("Shop");
    let mut props = EventPipelineProps::new();
    let orders = props.queue("Orders", QueueProps::standard());
    props.rule(
        "Placed",
        RuleProps::on(EventPattern::new().source(["shop.orders"])).target(Target::queue(&orders)),
    );
    let mut pipeline = EventPipeline::new(&mut stack, "Pipeline", props);
    // Senders from outside the pattern: another rule, a bucket, another account.
    let legacy = stack.add("Legacy", Rule::new().schedule_expression("rate(1 hour)"));
    let uploads = stack.add("Uploads", Bucket::new());
    let mut scope = stack.scope();
    pipeline.allow_to_queue(&mut scope, &orders, QueueSender::Rule(legacy));
    pipeline.allow_to_queue(&mut scope, &orders, QueueSender::Bucket(uploads));
    pipeline.allow_to_queue(&mut scope, &orders, QueueSender::account("111122223333"));
    let queue = pipeline.queue(&orders).unwrap().logical_id().to_owned();
    let t = assemble(stack);

    let policies: Vec<_> = of_type(&t, "AWS::SQS::QueuePolicy")
        .into_iter()
        .filter(|(_, p)| p["Properties"]["Queues"] == json!([{"Ref": queue}]))
        .collect();
    assert_eq!(policies.len(), 1, "one policy for the queue");
    let (id, policy) = policies[0];
    assert_eq!(id, "PipelineOrdersQueuePolicy");
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    assert_eq!(statements.len(), 4, "{statements:#?}");
    // EventBridge for both rules, in one statement (values are written sorted).
    assert_eq!(
        statements[0]["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!([
            {"Fn::GetAtt": ["Legacy", "Arn"]},
            {"Fn::GetAtt": ["PipelinePlacedRule", "Arn"]}
        ])
    );
    assert_eq!(
        statements[1]["Principal"],
        json!({"Service": ["s3.amazonaws.com"]})
    );
    assert_eq!(
        statements[1]["Condition"]["StringEquals"]["aws:SourceAccount"],
        json!([{"Ref": "AWS::AccountId"}])
    );
    assert_eq!(statements[2]["Principal"], json!({"AWS": ["111122223333"]}));
    assert_eq!(statements[3]["Effect"], json!("Deny"));
}

#[test]
fn a_sender_added_through_another_stack_or_a_rule_on_an_aws_managed_key_is_refused() {
    use constructs::blocks::sns::{Topic, TopicProps};
    use constructs::blocks::{QueueSender, TopicSender};
    use constructs::cfn::events::Rule;

    let mut stack = Stack::new("Shop");
    let mut jobs = QueueBlock::new(&mut stack, "Jobs", QueueProps::standard());
    let mut events = Topic::new(&mut stack, "Events", TopicProps::new());
    let nightly = stack.add("Nightly", Rule::new().schedule_expression("rate(1 day)"));
    events.allow(&mut stack.scope(), TopicSender::Rule(nightly));
    let mut other = Stack::new("Other");
    other.add("Spare", Queue::new());
    jobs.allow(&mut other.scope(), QueueSender::account("111122223333"));
    assert_eq!(
        errors(stack, vec![other]),
        [
            (Code::NotInThisStack, "Other".to_owned()),
            (Code::UnsupportedEncryption, "Shop/Events".to_owned()),
        ]
    );
}
