//! EventPipeline: the order-flow example resource by resource (least privilege, source-scoped
//! resource policies, dead-letter queues), each kind of target and trigger, and every range and
//! expression reported with a stable code and the construct path.

use constructs::blocks::lambda::{AsyncInvoke, FunctionCode, FunctionProps, Runtime};
use constructs::blocks::s3::BucketProps;
use constructs::cfn::events::EventBus;
use constructs::cfn::kms::Key;
use constructs::iam::check_template;
use constructs::pipeline::{
    ConsumeProps, EventPattern, EventPipeline, EventPipelineProps, FilterPolicy, InputTransformer,
    Matcher, NumericRange, QueueProps, RateUnit, RetryPolicy, RuleProps, Schedule,
    SubscriptionProps, Target, TopicProps,
};
use constructs::{App, Code, Stack, SynthError};
use serde_json::{json, Value as Json};

const HANDLER: &str = "def handler(event, context):\n    return {}\n";

fn build(props: EventPipelineProps) -> Result<Json, SynthError> {
    synth_tests::synth_stack("Pipe", |stack| {
        EventPipeline::new(stack, "P", props);
    })
}

/// The template, after checking it has no IAM findings.
fn synth(props: EventPipelineProps) -> Json {
    let t = build(props).unwrap_or_else(|e| panic!("{e}"));
    let findings = check_template(&t);
    assert!(findings.is_empty(), "{findings:#?}");
    t
}

/// The template of `stack` (holding what the props refer to, such as a key) with the pipeline
/// `P` added, after checking it has no IAM findings.
fn synth_in(mut stack: Stack, props: EventPipelineProps) -> Json {
    EventPipeline::new(&mut stack, "P", props);
    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let t: Json = serde_json::from_str(&assembly.stacks[0].json).unwrap();
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
    t
}

fn example() -> Json {
    let assembly = examples::event_pipeline::app().assemble().unwrap();
    serde_json::from_str(&assembly.stacks[0].json).unwrap()
}

use synth_tests::resources_of_type as resources_of;

fn props_of<'a>(t: &'a Json, id: &str) -> &'a Json {
    let r = &t["Resources"][id];
    assert!(r.is_object(), "no resource {id}");
    &r["Properties"]
}

fn get_att(id: &str, attribute: &str) -> Json {
    json!({"Fn::GetAtt": [id, attribute]})
}

/// The statements of an inline role policy or a resource policy.
fn statements(t: &Json, id: &str) -> Vec<Json> {
    let p = props_of(t, id);
    let doc = if p["Policies"].is_array() {
        &p["Policies"][0]["PolicyDocument"]
    } else {
        &p["PolicyDocument"]
    };
    doc["Statement"].as_array().unwrap().clone()
}

fn error(props: EventPipelineProps) -> SynthError {
    build(props).expect_err("bad props must fail synth")
}

/// Synth fails with `code`, reported at `path`.
fn assert_error(props: EventPipelineProps, code: Code, path: &str) {
    let e = error(props);
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.code == code && d.path == path),
        "expected {code} at {path}, got:\n{e}"
    );
}

#[test]
fn the_order_flow_has_every_part() {
    let t = example();
    let count = |type_name: &str| resources_of(&t, type_name).len();
    assert_eq!(count("AWS::Events::EventBus"), 1);
    assert_eq!(count("AWS::Events::Rule"), 1);
    // 4 queues, 4 dead-letter queues, 1 rule-target dead-letter queue.
    assert_eq!(count("AWS::SQS::Queue"), 9);
    assert_eq!(count("AWS::SQS::QueuePolicy"), 9);
    assert_eq!(count("AWS::SNS::Topic"), 1);
    assert_eq!(count("AWS::SNS::TopicPolicy"), 1);
    assert_eq!(count("AWS::SNS::Subscription"), 3);
    assert_eq!(count("AWS::Lambda::Function"), 1);
    assert_eq!(count("AWS::Lambda::EventSourceMapping"), 1);
    assert_eq!(count("AWS::IAM::Role"), 1);
    assert_eq!(count("AWS::Logs::LogGroup"), 1);
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));

    let rule = props_of(&t, "OrdersOrderPlacedRule");
    assert_eq!(
        rule["EventPattern"],
        json!({"source": ["myapp.orders"], "detail-type": ["Order Placed"]})
    );
    // The bus is named through GetAtt, never Ref (the local endpoint breaks on Ref).
    assert_eq!(rule["EventBusName"], get_att("OrdersBus", "Name"));
    let target = &rule["Targets"][0];
    assert_eq!(target["Arn"], get_att("OrdersOrdersQueue", "Arn"));
    assert_eq!(
        target["DeadLetterConfig"]["Arn"],
        get_att("OrdersOrderPlacedOrdersDlq", "Arn")
    );
    assert_eq!(
        target["RetryPolicy"],
        json!({"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 24})
    );
}

#[test]
fn the_consumer_role_has_exactly_its_grants() {
    let t = example();
    let s = statements(&t, "OrdersProcessOrderRole");
    assert_eq!(s.len(), 3, "{s:#?}");
    assert_eq!(
        s[0],
        json!({
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [get_att("OrdersProcessOrderLogs", "Arn")]
        })
    );
    assert_eq!(
        s[1],
        json!({
            "Effect": "Allow",
            "Action": [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage"
            ],
            "Resource": [get_att("OrdersOrdersQueue", "Arn")]
        })
    );
    assert_eq!(
        s[2],
        json!({
            "Effect": "Allow",
            "Action": ["sns:Publish"],
            "Resource": [{"Ref": "OrdersOrderEventsTopic"}]
        })
    );
    let role = props_of(&t, "OrdersProcessOrderRole");
    assert!(role.get("ManagedPolicyArns").is_none());
    let f = props_of(&t, "OrdersProcessOrderFunction");
    assert_eq!(
        f["Environment"]["Variables"]["ORDER_EVENTS_TOPIC_ARN"],
        json!({"Ref": "OrdersOrderEventsTopic"})
    );
    let mapping = props_of(&t, "OrdersProcessOrderOrdersMapping");
    assert_eq!(
        mapping["FunctionResponseTypes"],
        json!(["ReportBatchItemFailures"])
    );
    assert_eq!(
        mapping["EventSourceArn"],
        get_att("OrdersOrdersQueue", "Arn")
    );
    assert_eq!(mapping["ScalingConfig"], json!({"MaximumConcurrency": 10}));
    // Six times the function's 30 s timeout.
    assert_eq!(
        props_of(&t, "OrdersOrdersQueue")["VisibilityTimeout"],
        json!(180)
    );
}

#[test]
fn queue_policies_name_their_exact_sources_and_require_tls() {
    let t = example();
    let tls_deny = |queue: &str| {
        json!({
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["sqs:*"],
            "Resource": [get_att(queue, "Arn")],
            "Condition": {"Bool": {"aws:SecureTransport": ["false"]}}
        })
    };
    let from = |service: &str, queue: &str, source: Json| {
        json!({
            "Effect": "Allow",
            "Principal": {"Service": [service]},
            "Action": ["sqs:SendMessage"],
            "Resource": [get_att(queue, "Arn")],
            "Condition": {"ArnEquals": {"aws:SourceArn": [source]}}
        })
    };
    let rule = get_att("OrdersOrderPlacedRule", "Arn");
    let topic = json!({"Ref": "OrdersOrderEventsTopic"});
    let cases = [
        (
            "OrdersOrdersQueue",
            vec![from(
                "events.amazonaws.com",
                "OrdersOrdersQueue",
                rule.clone(),
            )],
        ),
        (
            "OrdersOrderPlacedOrdersDlq",
            vec![from(
                "events.amazonaws.com",
                "OrdersOrderPlacedOrdersDlq",
                rule.clone(),
            )],
        ),
        (
            "OrdersFulfillmentQueue",
            vec![from(
                "sns.amazonaws.com",
                "OrdersFulfillmentQueue",
                topic.clone(),
            )],
        ),
        (
            "OrdersEmailQueue",
            vec![from("sns.amazonaws.com", "OrdersEmailQueue", topic.clone())],
        ),
        (
            "OrdersAnalyticsQueue",
            vec![from(
                "sns.amazonaws.com",
                "OrdersAnalyticsQueue",
                topic.clone(),
            )],
        ),
        ("OrdersOrdersDlq", vec![]),
    ];
    for (queue, mut expected) in cases {
        expected.push(tls_deny(queue));
        let policy = format!("{queue}Policy");
        assert_eq!(statements(&t, &policy), expected, "{policy}");
        assert_eq!(props_of(&t, &policy)["Queues"], json!([{"Ref": queue}]));
    }
}

#[test]
fn every_queue_has_a_dead_letter_queue_that_names_it() {
    let t = example();
    for id in ["Orders", "Fulfillment", "Email", "Analytics"] {
        let queue = props_of(&t, &format!("Orders{id}Queue"));
        let dlq_id = format!("Orders{id}Dlq");
        assert_eq!(
            queue["RedrivePolicy"],
            json!({"deadLetterTargetArn": get_att(&dlq_id, "Arn"), "maxReceiveCount": 3})
        );
        assert_eq!(queue["SqsManagedSseEnabled"], json!(true));
        let name = format!("${{AWS::StackName}}-Orders{id}Queue");
        assert_eq!(queue["QueueName"], json!({ "Fn::Sub": name }));
        let dlq = props_of(&t, &dlq_id);
        assert_eq!(dlq["MessageRetentionPeriod"], json!(1_209_600));
        assert_eq!(dlq["SqsManagedSseEnabled"], json!(true));
        assert_eq!(
            dlq["RedriveAllowPolicy"],
            json!({
                "redrivePermission": "byQueue",
                "sourceQueueArns": [{
                    "Fn::Sub": format!("arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{name}")
                }]
            })
        );
    }
    let topic = props_of(&t, "OrdersOrderEventsTopic");
    assert_eq!(topic["KmsMasterKeyId"], json!("alias/aws/sns"));
    let email = props_of(&t, "OrdersOrderEventsToEmailSubscription");
    assert_eq!(email["RawMessageDelivery"], json!(true));
    assert_eq!(
        email["FilterPolicy"],
        json!({"priority": [{"anything-but": ["bulk"]}]})
    );
    assert_eq!(email["Endpoint"], get_att("OrdersEmailQueue", "Arn"));
}

#[test]
fn a_function_target_gets_a_scoped_permission_and_a_failure_destination() {
    let mut props = EventPipelineProps::new();
    let f = props.function(
        "Audit",
        FunctionProps::python(HANDLER).async_invoke(
            AsyncInvoke::new()
                .retry_attempts(1)
                .max_event_age_secs(3600),
        ),
    );
    props.rule(
        "Any",
        RuleProps::on(EventPattern::new().source_matching([Matcher::prefix("myapp.")]))
            .target(Target::function(&f)),
    );
    let t = synth(props);
    let permission = props_of(&t, "PAnyAuditPermission");
    assert_eq!(permission["Principal"], json!("events.amazonaws.com"));
    assert_eq!(permission["SourceArn"], get_att("PAnyRule", "Arn"));
    assert_eq!(permission["FunctionName"], get_att("PAuditFunction", "Arn"));
    let config = props_of(&t, "PAuditInvokeConfig");
    assert_eq!(config["Qualifier"], json!("$LATEST"));
    assert_eq!(config["MaximumRetryAttempts"], json!(1));
    assert_eq!(
        config["DestinationConfig"]["OnFailure"]["Destination"],
        get_att("PAuditFailureQueue", "Arn")
    );
    let s = statements(&t, "PAuditRole");
    assert_eq!(s.len(), 2);
    assert_eq!(
        s[1],
        json!({"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [get_att("PAuditFailureQueue", "Arn")]})
    );
}

#[test]
fn the_pipelines_own_queues_follow_its_key() {
    // With a key on every queue, the queues the pipeline makes (a rule target's dead-letter
    // queue, a function's failure queue) take the pipeline's key too, and the function whose
    // failure queue it encrypts may use it.
    let mut stack = Stack::new("Keyed");
    let key = stack.add("Key", Key::new());
    let mut props = EventPipelineProps::new().kms_key(&key);
    let jobs = props.queue("Jobs", QueueProps::standard().kms_key(&key));
    let audit = props.function("Audit", FunctionProps::python(HANDLER));
    props.rule(
        "Any",
        RuleProps::on(pattern())
            .target(Target::queue(&jobs))
            .target(Target::function(&audit)),
    );
    let t = synth_in(stack, props);
    for (id, _) in resources_of(&t, "AWS::SQS::Queue") {
        let queue = props_of(&t, id);
        assert_eq!(queue["KmsMasterKeyId"], get_att("Key", "Arn"), "{id}");
        assert!(queue.get("SqsManagedSseEnabled").is_none(), "{id}");
    }
    assert!(t["Resources"]["PAnyJobsDlq"].is_object());
    assert!(t["Resources"]["PAuditFailureQueue"].is_object());
    let role = statements(&t, "PAuditRole");
    assert!(
        role.contains(&json!({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": [get_att("Key", "Arn")]})),
        "{role:#?}"
    );
}

#[test]
fn schedules_buses_topics_and_keys() {
    let mut stack = Stack::new("Keys");
    let key = stack.add("Key", Key::new());
    let other = stack.add("Other", EventBus::new("other"));
    let mut props = EventPipelineProps::new().default_bus();
    let jobs = props.queue("Jobs", QueueProps::standard().kms_key(&key));
    let alerts = props.topic("Alerts", TopicProps::new().kms_key(&key));
    let worker = props.function("Worker", FunctionProps::python(HANDLER));
    props.publish(&worker, &alerts, "ALERTS");
    props.consume(
        &worker,
        &jobs,
        ConsumeProps::new().batch_size(500).batching_window_secs(30),
    );
    props.rule(
        "Hourly",
        RuleProps::every(Schedule::rate(1, RateUnit::Hours))
            .target(Target::queue(&jobs).input_transformer(
                InputTransformer::new(r#"{"at": <time>}"#).path("time", "$.time"),
            ))
            .target(Target::topic(&alerts))
            .target(Target::bus(&other)),
    );
    let t = synth_in(stack, props);

    assert!(
        resources_of(&t, "AWS::Events::EventBus").len() == 1,
        "only the user's bus"
    );
    let rule = props_of(&t, "PHourlyRule");
    assert_eq!(rule["ScheduleExpression"], json!("rate(1 hour)"));
    assert!(rule.get("EventBusName").is_none());
    assert_eq!(
        rule["Targets"][0]["InputTransformer"],
        json!({"InputPathsMap": {"time": "$.time"}, "InputTemplate": "{\"at\": <time>}"})
    );
    assert_eq!(
        rule["Targets"][2]["RoleArn"],
        get_att("PHourlyOtherRole", "Arn")
    );
    assert_eq!(
        statements(&t, "PHourlyOtherRole"),
        vec![
            json!({"Effect": "Allow", "Action": ["events:PutEvents"], "Resource": [get_att("Other", "Arn")]})
        ]
    );
    // Only EventBridge rules of this account and region may assume it.
    assert_eq!(
        props_of(&t, "PHourlyOtherRole")["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
        json!({
            "StringEquals": {"aws:SourceAccount": [{"Ref": "AWS::AccountId"}]},
            "ArnLike": {"aws:SourceArn": [{"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*"}]}
        })
    );
    assert_eq!(
        props_of(&t, "PJobsQueue")["KmsMasterKeyId"],
        get_att("Key", "Arn")
    );
    assert_eq!(
        props_of(&t, "PAlertsTopic")["KmsMasterKeyId"],
        get_att("Key", "Arn")
    );
    // The rule may publish to the topic, on its own behalf only.
    assert_eq!(
        statements(&t, "PAlertsTopicPolicy")[0],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com"]},
            "Action": ["sns:Publish"],
            "Resource": [{"Ref": "PAlertsTopic"}],
            "Condition": {"ArnEquals": {"aws:SourceArn": [get_att("PHourlyRule", "Arn")]}}
        })
    );
    // Decrypt to consume the queue, GenerateDataKey to publish to the topic: one key, merged.
    let role = statements(&t, "PWorkerRole");
    assert_eq!(role.len(), 4, "{role:#?}");
    assert_eq!(
        role[2],
        json!({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": [get_att("Key", "Arn")]})
    );
    let mapping = props_of(&t, "PWorkerJobsMapping");
    assert_eq!(mapping["BatchSize"], json!(500));
    assert_eq!(mapping["MaximumBatchingWindowInSeconds"], json!(30));
}

#[test]
fn an_s3_source_sends_object_created_events_to_the_default_bus() {
    let mut props = EventPipelineProps::new();
    let uploads = props.bucket("Uploads", BucketProps::new());
    let inbox = props.queue("Inbox", QueueProps::standard());
    props.rule(
        "NewCsv",
        RuleProps::object_created(&uploads)
            .prefix("incoming/")
            .suffix(".csv")
            .target(Target::queue(&inbox)),
    );
    props.rule(
        "AnyUpload",
        RuleProps::object_created(&uploads).target(Target::queue(&inbox)),
    );
    let t = synth(props);
    let bucket = props_of(&t, "PUploadsBucket");
    assert_eq!(
        bucket["NotificationConfiguration"],
        json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}})
    );
    assert_eq!(
        bucket["PublicAccessBlockConfiguration"],
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
    );
    assert_eq!(
        t["Resources"]["PUploadsBucket"]["DeletionPolicy"],
        json!("Retain")
    );
    let rule = props_of(&t, "PNewCsvRule");
    assert!(
        rule.get("EventBusName").is_none(),
        "S3 sends to the default bus"
    );
    assert_eq!(
        rule["EventPattern"],
        json!({
            "source": ["aws.s3"],
            "detail-type": ["Object Created"],
            "detail": {
                "bucket": {"name": [{"Ref": "PUploadsBucket"}]},
                "object": {"key": [{"wildcard": "incoming/*.csv"}]}
            }
        })
    );
    assert!(props_of(&t, "PAnyUploadRule")["EventPattern"]["detail"]
        .get("object")
        .is_none());
    // Both rules may send to the queue.
    let sources =
        &statements(&t, "PInboxQueuePolicy")[0]["Condition"]["ArnEquals"]["aws:SourceArn"];
    assert_eq!(sources.as_array().unwrap().len(), 2);
    assert_eq!(
        statements(&t, "PUploadsBucketPolicy")[0]["Effect"],
        json!("Deny")
    );
}

/// Props with one queue `Q`, consumed by `F` (timeout `timeout`) through `consume`.
fn consumed(queue: QueueProps, timeout: u32, consume: ConsumeProps) -> EventPipelineProps {
    let mut props = EventPipelineProps::new();
    let q = props.queue("Q", queue);
    let f = props.function("F", FunctionProps::python(HANDLER).timeout_secs(timeout));
    props.consume(&f, &q, consume);
    props
}

fn with_rule(rule: impl FnOnce(&mut EventPipelineProps) -> RuleProps) -> EventPipelineProps {
    let mut props = EventPipelineProps::new();
    let r = rule(&mut props);
    props.rule("R", r);
    props
}

fn pattern() -> EventPattern {
    EventPattern::new().source(["a"])
}

#[test]
fn visibility_timeout_is_checked_against_six_function_timeouts() {
    let t = synth(consumed(QueueProps::standard(), 100, ConsumeProps::new()));
    assert_eq!(props_of(&t, "PQQueue")["VisibilityTimeout"], json!(600));
    let t = synth(consumed(
        QueueProps::standard().visibility_timeout_secs(600),
        100,
        ConsumeProps::new(),
    ));
    assert_eq!(props_of(&t, "PQQueue")["VisibilityTimeout"], json!(600));
    assert_error(
        consumed(
            QueueProps::standard().visibility_timeout_secs(599),
            100,
            ConsumeProps::new(),
        ),
        Code::VisibilityTimeoutTooShort,
        "Pipe/P/Q",
    );
}

#[test]
fn every_range_is_reported_with_its_code_and_path() {
    let q = QueueProps::standard;
    let c = ConsumeProps::new;
    let cases = [
        (
            consumed(q().visibility_timeout_secs(43_201), 1, c()),
            Code::QueueSettingOutOfRange,
            "Pipe/P/Q",
        ),
        (
            consumed(q().retention_secs(59), 1, c()),
            Code::QueueSettingOutOfRange,
            "Pipe/P/Q",
        ),
        (
            consumed(q().retention_secs(1_209_601), 1, c()),
            Code::QueueSettingOutOfRange,
            "Pipe/P/Q",
        ),
        (
            consumed(q().max_receive_count(0), 1, c()),
            Code::QueueSettingOutOfRange,
            "Pipe/P/Q",
        ),
        (
            consumed(q().max_receive_count(1_001), 1, c()),
            Code::QueueSettingOutOfRange,
            "Pipe/P/Q",
        ),
        (
            consumed(q(), 1, c().batch_size(0)),
            Code::BatchingOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(q(), 1, c().batch_size(11)),
            Code::BatchingOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(q(), 1, c().batch_size(10_001).batching_window_secs(10)),
            Code::BatchingOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(q(), 1, c().batching_window_secs(301)),
            Code::BatchingOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(QueueProps::fifo(), 1, c().batching_window_secs(1)),
            Code::BatchingOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(q(), 1, c().max_concurrency(1)),
            Code::MaxConcurrencyOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(q(), 1, c().max_concurrency(1_001)),
            Code::MaxConcurrencyOutOfRange,
            "Pipe/P/FQMapping",
        ),
        (
            consumed(q(), 0, c()),
            Code::LambdaTimeoutOutOfRange,
            "Pipe/P/F",
        ),
        (
            consumed(q(), 901, c()),
            Code::LambdaTimeoutOutOfRange,
            "Pipe/P/F",
        ),
    ];
    for (props, code, path) in cases {
        assert_error(props, code, path);
    }
    for retry in [
        RetryPolicy::new(59, 0),
        RetryPolicy::new(86_401, 0),
        RetryPolicy::new(60, 186),
    ] {
        let props = with_rule(|p| {
            let q = p.queue("Q", QueueProps::standard());
            RuleProps::on(pattern()).target(Target::queue(&q).retry(retry))
        });
        assert_error(props, Code::RetryPolicyOutOfRange, "Pipe/P/R");
    }
    let mut props = EventPipelineProps::new();
    props.function(
        "F",
        FunctionProps::python(HANDLER).async_invoke(AsyncInvoke::new().retry_attempts(3)),
    );
    assert_error(props, Code::RetryPolicyOutOfRange, "Pipe/P/F");
    let mut props = EventPipelineProps::new();
    props.function("F", FunctionProps::python(HANDLER).memory_mb(64));
    assert_error(props, Code::LambdaMemoryOutOfRange, "Pipe/P/F");
}

#[test]
fn every_expression_is_reported_with_its_code_and_path() {
    let schedules = [
        Schedule::rate(0, RateUnit::Minutes),
        Schedule::parse("rate(1 minutes)"),
        Schedule::cron("0 12 * * ?"),
        Schedule::cron("0 12 * * * *"),
        Schedule::cron("61 12 * * ? *"),
        Schedule::cron("0 12 ? * 9 *"),
    ];
    for schedule in schedules {
        let props = with_rule(|p| {
            let q = p.queue("Q", QueueProps::standard());
            RuleProps::every(schedule).target(Target::queue(&q))
        });
        assert_error(props, Code::InvalidSchedule, "Pipe/P/R");
    }
    let patterns = [
        EventPattern::new(),
        EventPattern::new().detail(
            "amount",
            [Matcher::numeric(
                NumericRange::new().at_least(10.0).less_than(1.0),
            )],
        ),
        EventPattern::new().detail("amount", [Matcher::number(1e10)]),
        EventPattern::new().detail("tag", [Matcher::anything_but(Vec::<String>::new())]),
        EventPattern::new().source_matching([Matcher::wildcard("a**")]),
    ];
    for p in patterns {
        let props = with_rule(|props| {
            let q = props.queue("Q", QueueProps::standard());
            RuleProps::on(p).target(Target::queue(&q))
        });
        assert_error(props, Code::InvalidEventPattern, "Pipe/P/R");
    }
    let props = with_rule(|p| {
        let q = p.queue("Q", QueueProps::standard());
        RuleProps::on(pattern())
            .target(Target::queue(&q).input_transformer(InputTransformer::new("<id>")))
    });
    assert_error(props, Code::InvalidInputTransformer, "Pipe/P/R");
    let mut props = EventPipelineProps::new();
    let topic = props.topic("T", TopicProps::new());
    let queue = props.queue("Q", QueueProps::standard());
    props.subscribe(
        &topic,
        &queue,
        SubscriptionProps::new()
            .filter_policy(FilterPolicy::new().field("a", [Matcher::wildcard("x*")])),
    );
    assert_error(props, Code::InvalidEventPattern, "Pipe/P/TToQSubscription");
}

#[test]
fn every_problem_of_each_setting_is_reported_not_only_the_first() {
    let mut props = consumed(
        QueueProps::standard()
            .retention_secs(59)
            .max_receive_count(0),
        1,
        ConsumeProps::new().batch_size(0).max_concurrency(1),
    );
    let rule_queue = props.queue("RQ", QueueProps::standard());
    props.rule(
        "R",
        RuleProps::on(
            EventPattern::new()
                .source_matching([Matcher::prefix("")])
                .detail("amount", [Matcher::number(1e10)]),
        )
        .target(
            Target::queue(&rule_queue)
                .retry(RetryPolicy::new(59, 186))
                .input_transformer(InputTransformer::new("<a> <b>")),
        ),
    );
    props.rule(
        "S",
        RuleProps::every(Schedule::cron("60 24 * * ? *")).target(Target::queue(&rule_queue)),
    );
    let e = error(props);
    let count = |code: Code, path: &str| {
        e.errors()
            .filter(|d| d.code == code && d.path == path)
            .count()
    };
    assert_eq!(count(Code::QueueSettingOutOfRange, "Pipe/P/Q"), 2, "{e}");
    assert_eq!(
        count(Code::BatchingOutOfRange, "Pipe/P/FQMapping"),
        1,
        "{e}"
    );
    assert_eq!(
        count(Code::MaxConcurrencyOutOfRange, "Pipe/P/FQMapping"),
        1,
        "{e}"
    );
    assert_eq!(count(Code::InvalidEventPattern, "Pipe/P/R"), 2, "{e}");
    assert_eq!(count(Code::RetryPolicyOutOfRange, "Pipe/P/R"), 2, "{e}");
    assert_eq!(count(Code::InvalidInputTransformer, "Pipe/P/R"), 2, "{e}");
    assert_eq!(count(Code::InvalidSchedule, "Pipe/P/S"), 2, "{e}");
}

#[test]
fn fifo_mismatches_encryption_and_target_limits_are_errors() {
    let mut props = EventPipelineProps::new();
    props.queue("Q", QueueProps::fifo().name("orders"));
    assert_error(props, Code::FifoMismatch, "Pipe/P/Q");
    let mut props = EventPipelineProps::new();
    props.queue("Q", QueueProps::standard().content_based_deduplication());
    assert_error(props, Code::FifoMismatch, "Pipe/P/Q");
    let props = with_rule(|p| {
        let q = p.queue("Q", QueueProps::fifo());
        RuleProps::on(pattern()).target(Target::queue(&q))
    });
    assert_error(props, Code::FifoMismatch, "Pipe/P/R");
    let mut props = EventPipelineProps::new();
    let topic = props.topic("T", TopicProps::new());
    let queue = props.queue("Q", QueueProps::fifo());
    props.subscribe(&topic, &queue, SubscriptionProps::new());
    assert_error(props, Code::FifoMismatch, "Pipe/P/TToQSubscription");
    // EventBridge cannot use the AWS managed SNS key.
    let props = with_rule(|p| {
        let t = p.topic("T", TopicProps::new());
        RuleProps::on(pattern()).target(Target::topic(&t))
    });
    assert_error(props, Code::UnsupportedEncryption, "Pipe/P/R");
    let props = with_rule(|p| {
        let mut rule = RuleProps::on(pattern());
        for i in 0..6 {
            let q = p.queue(&format!("Q{i}"), QueueProps::standard());
            rule = rule.target(Target::queue(&q));
        }
        rule
    });
    assert_error(props, Code::TooManyTargets, "Pipe/P/R");
    // A key from other props is reported, not a panic.
    let mut other = EventPipelineProps::new();
    other.queue("A", QueueProps::standard());
    let foreign = other.queue("B", QueueProps::standard());
    let props = with_rule(|_| RuleProps::on(pattern()).target(Target::queue(&foreign)));
    assert_error(props, Code::DanglingReference, "Pipe/P/R");
}

#[test]
fn a_fifo_queue_with_a_message_group_synthesizes() {
    let props = with_rule(|p| {
        let q = p.queue("Q", QueueProps::fifo().content_based_deduplication());
        RuleProps::on(pattern()).target(Target::queue(&q).message_group_id("orders"))
    });
    let t = synth(props);
    let q = props_of(&t, "PQQueue");
    assert_eq!(q["FifoQueue"], json!(true));
    assert_eq!(q["ContentBasedDeduplication"], json!(true));
    assert_eq!(
        q["QueueName"],
        json!({"Fn::Sub": "${AWS::StackName}-PQQueue.fifo"})
    );
    assert_eq!(props_of(&t, "PQDlq")["FifoQueue"], json!(true));
    assert_eq!(
        props_of(&t, "PRRule")["Targets"][0]["SqsParameters"],
        json!({"MessageGroupId": "orders"})
    );
}

#[test]
fn a_published_topic_variable_may_not_shadow_the_functions_own() {
    let mut props = EventPipelineProps::new();
    let alerts = props.topic("Alerts", TopicProps::new());
    let f = props.function("F", FunctionProps::python(HANDLER).env("ALERTS", "mine"));
    props.publish(&f, &alerts, "ALERTS");
    let e = error(props);
    let clash = e
        .errors()
        .find(|d| d.code == Code::InvalidEnvironmentVariable)
        .expect("the clash is reported");
    assert_eq!(clash.path, "Pipe/P/F");
    assert!(clash.message.contains("`ALERTS`"), "{clash}");
    assert!(clash.message.contains("topic `Alerts`"), "{clash}");
}

#[test]
fn function_props_are_checked_as_the_lambda_block_checks_them() {
    for (props, code) in [
        (
            FunctionProps::python(HANDLER).env("AWS_REGION", "x"),
            Code::InvalidEnvironmentVariable,
        ),
        (
            FunctionProps::new(
                Runtime::Java21,
                "index.handler",
                FunctionCode::inline(HANDLER),
            ),
            Code::InlineCodeUnsupported,
        ),
        (
            FunctionProps::new(
                Runtime::Other("pyhton3.13".into()),
                "index.handler",
                FunctionCode::inline(HANDLER),
            ),
            Code::UnknownRuntime,
        ),
        (
            FunctionProps::new(
                Runtime::Other("nodejs18.x".into()),
                "index.handler",
                FunctionCode::inline(HANDLER),
            ),
            Code::DeprecatedRuntime,
        ),
    ] {
        let mut pipeline = EventPipelineProps::new();
        pipeline.function("F", props);
        assert_error(pipeline, code, "Pipe/P/F");
    }
}

#[test]
fn a_queue_without_a_dead_letter_queue_is_an_error_not_a_panic() {
    for queue in [
        QueueProps::dead_letter(),
        QueueProps::standard().without_dead_letter_queue(),
    ] {
        let mut props = EventPipelineProps::new();
        props.queue("Q", queue);
        assert_error(props, Code::QueueSettingOutOfRange, "Pipe/P/Q");
    }
}

#[test]
fn a_publisher_with_a_foreign_function_key_is_reported() {
    let mut other = EventPipelineProps::new();
    other.function("A", FunctionProps::python(HANDLER));
    let foreign = other.function("B", FunctionProps::python(HANDLER));
    let mut props = EventPipelineProps::new();
    let topic = props.topic("T", TopicProps::new());
    props.publish(&foreign, &topic, "TOPIC");
    assert_error(props, Code::DanglingReference, "Pipe/P");
}

#[test]
fn a_foreign_key_whose_index_exists_here_is_reported_not_followed() {
    // Both props have a queue, a topic and a function at index 0: by index alone, the
    // foreign keys would silently wire this pipeline's own parts.
    let mut other = EventPipelineProps::new();
    let their_queue = other.queue("Theirs", QueueProps::standard());
    let their_topic = other.topic("Theirs", TopicProps::new());
    let their_function = other.function("Theirs", FunctionProps::python(HANDLER));

    let mut props = EventPipelineProps::new();
    let queue = props.queue("Q", QueueProps::standard());
    props.topic("T", TopicProps::new());
    let function = props.function("F", FunctionProps::python(HANDLER));
    props.subscribe(&their_topic, &queue, SubscriptionProps::new());
    props.consume(&their_function, &queue, ConsumeProps::new());
    props.publish(&function, &their_topic, "TOPIC");
    props.rule(
        "R",
        RuleProps::on(pattern()).target(Target::queue(&their_queue)),
    );
    let e = error(props.clone());
    let dangling: Vec<(&str, &str)> = e
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DanglingReference)
        .map(|d| (d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        dangling,
        [
            (
                "Pipe/P",
                "a subscription's topic or queue key does not belong to this pipeline's props"
            ),
            (
                "Pipe/P",
                "a consumer's function key does not belong to this pipeline's props"
            ),
            (
                "Pipe/P",
                "a published topic's key does not belong to this pipeline's props"
            ),
            (
                "Pipe/P/R",
                "a target queue key does not belong to this pipeline's props"
            ),
        ],
        "{e}"
    );

    // The pipeline's accessors answer only the keys of its own props (or of a clone).
    let mut stack = Stack::new("Pipe");
    let mut own = EventPipelineProps::new();
    let q = own.queue("Q", QueueProps::standard());
    let pipeline = EventPipeline::new(&mut stack, "P", own.clone());
    assert!(pipeline.queue(&q).is_some());
    assert!(pipeline.queue(&their_queue).is_none());
    assert!(pipeline.topic(&their_topic).is_none());
    assert!(pipeline.function(&their_function).is_none());
}

#[test]
fn a_custom_bus_cannot_be_named_default_or_like_a_partner_bus() {
    for (name, says) in [
        ("default", "is the account's default bus"),
        ("aws.partner/saas/1", "holds `/`"),
        ("", "is 0 characters long"),
    ] {
        let e = error(EventPipelineProps::new().bus_name(name));
        let found: Vec<_> = e.errors().map(|d| (d.code, d.path.as_str())).collect();
        // Reported once, by the pipeline: the schema check of the same value defers to it.
        assert_eq!(found, [(Code::InvalidEventBusName, "Pipe/P/Bus")], "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
    let t = build(EventPipelineProps::new().bus_name("orders.events-1")).unwrap();
    assert_eq!(props_of(&t, "PBus")["Name"], json!("orders.events-1"));
}

#[test]
fn a_rule_targeting_one_queue_topic_or_function_twice_is_one_error_at_the_rule() {
    type Twice = fn(&mut Stack, &mut EventPipelineProps) -> RuleProps;
    let cases: [(&str, Twice); 3] = [
        ("queue `Q`", |_, p| {
            let q = p.queue("Q", QueueProps::standard());
            RuleProps::on(pattern())
                .target(Target::queue(&q))
                .target(Target::queue(&q).retry(RetryPolicy::new(60, 0)))
        }),
        ("topic `T`", |stack, p| {
            let key = stack.add("Key", Key::new());
            let t = p.topic("T", TopicProps::new().kms_key(&key));
            RuleProps::on(pattern())
                .target(Target::topic(&t))
                .target(Target::topic(&t))
        }),
        ("function `F`", |_, p| {
            let f = p.function("F", FunctionProps::python(HANDLER));
            RuleProps::on(pattern())
                .target(Target::function(&f))
                .target(Target::function(&f))
        }),
    ];
    for (what, twice) in cases {
        let e = synth_tests::synth_stack("Pipe", |stack| {
            let mut props = EventPipelineProps::new();
            let rule = twice(stack, &mut props);
            props.rule("R", rule);
            EventPipeline::new(stack, "P", props);
        })
        .expect_err("a target given twice must fail synth");
        // One error, at the rule: no duplicate-logical-id noise from the second target's parts.
        assert_eq!(e.diagnostics.len(), 1, "{what}: {e}");
        let d = &e.diagnostics[0];
        assert_eq!(d.code, Code::DuplicateTarget, "{what}: {e}");
        assert_eq!(d.path, "Pipe/P/R", "{what}: {e}");
        assert_eq!(
            d.message,
            format!("the rule targets {what} twice"),
            "{what}: {e}"
        );
    }
    // Two targets of one id: also one error, naming both.
    let e = synth_tests::synth_stack("Pipe", |stack| {
        let key = stack.add("Key", Key::new());
        let mut props = EventPipelineProps::new();
        let q = props.queue("Orders", QueueProps::standard());
        let t = props.topic("Orders", TopicProps::new().kms_key(&key));
        props.rule(
            "R",
            RuleProps::on(pattern())
                .target(Target::queue(&q))
                .target(Target::topic(&t)),
        );
        EventPipeline::new(stack, "P", props);
    })
    .expect_err("two targets of one id must fail synth");
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert_eq!(e.diagnostics[0].code, Code::DuplicateTarget, "{e}");
    assert!(
        e.diagnostics[0]
            .message
            .starts_with("the rule targets queue `Orders` and topic `Orders`"),
        "{e}"
    );
}
