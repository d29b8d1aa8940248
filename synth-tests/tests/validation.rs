//! Every validation error and limit, through the public API: each bad input gives a diagnostic
//! with its stable code and construct path, and synth writes nothing.

use constructs::cfn::ec2::{SecurityGroup, Vpc};
use constructs::cfn::logs::LogGroup;
use constructs::cfn::RawResource;
use constructs::kinds::Json;
use constructs::synth::{Format, SynthOptions};
use constructs::{
    fns, App, Code, Expr, Output, Parameter, ResourceOptions, Severity, Stack, SynthError, Value,
};
use serde_json::json;

fn app_of(stacks: impl IntoIterator<Item = Stack>) -> App {
    let mut app = App::new();
    for s in stacks {
        app.add_stack(s);
    }
    app
}

fn errors(app: &App) -> SynthError {
    app.assemble().expect_err("synth should fail")
}

/// Asserts that synth fails with exactly one error of `code`, at `path`.
fn assert_error(app: &App, code: Code, path: &str) -> String {
    let err = errors(app);
    let found: Vec<_> = err.errors().collect();
    assert_eq!(found.len(), 1, "expected one error, got:\n{err}");
    assert_eq!(found[0].code, code, "{err}");
    assert_eq!(found[0].path, path, "{err}");
    found[0].to_string()
}

fn log_group() -> LogGroup {
    LogGroup::new().retention_in_days(7)
}

#[test]
fn duplicate_logical_id_names_both_construct_paths() {
    let mut stack = Stack::new("Dup");
    let mut scope = stack.scope();
    scope.child("Api").add("Logs", log_group());
    // `ApiLogs` again, from a different construct path.
    scope.add("ApiLogs", log_group());
    let msg = assert_error(&app_of([stack]), Code::DuplicateLogicalId, "Dup/ApiLogs");
    assert!(msg.contains("Dup/Api/Logs"), "{msg}");
}

#[test]
fn a_construct_id_given_twice_in_one_scope_is_one_error_listing_what_collides() {
    use constructs::blocks::sqs::{Queue, QueueProps};

    let mut stack = Stack::new("Dup");
    let mut scope = stack.scope();
    let mut api = scope.child("Api");
    Queue::new(&mut api, "Orders", QueueProps::standard());
    Queue::new(&mut api, "Orders", QueueProps::standard());
    // Not a message naming `Dup/Api/OrdersQueue` as its own first user, once per part: one
    // error, at the scope, listing every part added twice.
    let msg = assert_error(&app_of([stack]), Code::DuplicateLogicalId, "Dup/Api");
    for part in [
        "resource `ApiOrdersQueue`",
        "resource `ApiOrdersDlq`",
        "resource `ApiOrdersQueuePolicy`",
        "resource `ApiOrdersDlqPolicy`",
    ] {
        assert!(msg.contains(part), "{part}: {msg}");
    }
    assert!(!msg.contains("already used by"), "{msg}");
}

#[test]
fn invalid_logical_id_is_reported() {
    let mut stack = Stack::new("Bad");
    stack.add("Log_Group", log_group());
    assert_error(&app_of([stack]), Code::InvalidLogicalId, "Bad/Log_Group");
}

#[test]
fn invalid_and_duplicate_stack_names_are_reported() {
    let mut bad = Stack::new("9lives");
    bad.add("Logs", log_group());
    assert_error(&app_of([bad]), Code::InvalidStackName, "9lives");

    let mut a = Stack::new("Twice");
    a.add("Logs", log_group());
    let mut b = Stack::new("Twice");
    b.add("Logs", log_group());
    assert_error(&app_of([a, b]), Code::DuplicateStackName, "Twice");
}

#[test]
fn dangling_ref_in_raw_json_is_reported() {
    let mut stack = Stack::new("Dangling");
    stack.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", json!({"Ref": "Missing"})),
    );
    let msg = assert_error(&app_of([stack]), Code::DanglingReference, "Dangling/Topic");
    assert!(msg.contains("Missing"), "{msg}");
}

#[test]
fn unknown_attribute_is_reported() {
    let mut stack = Stack::new("Attr");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let bogus: Value<Json> = Value::unchecked(Expr::GetAtt {
        stack: None,
        logical_id: vpc.logical_id().into(),
        attribute: "Colour".into(),
    });
    stack.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", bogus),
    );
    let msg = assert_error(&app_of([stack]), Code::UnknownAttribute, "Attr/Topic");
    assert!(msg.contains("Colour"), "{msg}");
}

#[test]
fn unknown_attribute_across_stacks_is_reported() {
    let mut producer = Stack::new("Producer");
    let vpc = producer.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let mut consumer = Stack::new("Consumer");
    let bogus: Value<Json> = Value::unchecked(Expr::GetAtt {
        stack: Some(vpc.stack_name().into()),
        logical_id: vpc.logical_id().into(),
        attribute: "Colour".into(),
    });
    consumer.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", bogus),
    );
    assert_error(
        &app_of([producer, consumer]),
        Code::UnknownAttribute,
        "Consumer/Topic",
    );
}

#[test]
fn sub_variables_must_resolve() {
    let mut stack = Stack::new("Sub");
    stack.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property(
            "DisplayName",
            fns::sub("${AWS::StackName}-${Nope}").into_json(),
        ),
    );
    let msg = assert_error(&app_of([stack]), Code::DanglingReference, "Sub/Topic");
    assert!(msg.contains("Nope"), "{msg}");
}

#[test]
fn resource_dependency_cycle_is_reported() {
    let mut stack = Stack::new("Cycle");
    // A depends on B through a Ref, B on A through DependsOn.
    let b_ref: Value<Json> = Value::unchecked(Expr::Ref {
        stack: None,
        name: "B".into(),
    });
    let a = stack.add(
        "A",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", b_ref),
    );
    stack.add_with(
        "B",
        RawResource::new("AWS::SNS::Topic"),
        ResourceOptions::new().depends_on(&a),
    );
    let err = errors(&app_of([stack]));
    assert!(err.has(Code::DependencyCycle), "{err}");
}

#[test]
fn stack_dependency_cycle_is_reported() {
    let mut one = Stack::new("One");
    let mut two = Stack::new("Two");
    let g1 = one.add("Logs", log_group());
    let g2 = two.add("Logs", log_group());
    one.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", g2.reference().into_json()),
    );
    two.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", g1.reference().into_json()),
    );
    let msg = assert_error(&app_of([one, two]), Code::StackDependencyCycle, "One");
    assert!(msg.contains("One -> Two -> One"), "{msg}");
    // Each edge of the circle names a reference that makes it.
    for edge in [
        "`One/Topic` (property `DisplayName` of `Topic`) references `Logs` of stack `Two`",
        "`Two/Topic` (property `DisplayName` of `Topic`) references `Logs` of stack `One`",
    ] {
        assert!(msg.contains(edge), "{edge}: {msg}");
    }
    // And the hint says how such circles are usually broken.
    for fix in ["in the principal's stack", "a third stack"] {
        assert!(msg.contains(fix), "{fix}: {msg}");
    }
}

#[test]
fn depends_on_across_stacks_is_reported() {
    let mut one = Stack::new("One");
    let g1 = one.add("Logs", log_group());
    let mut two = Stack::new("Two");
    two.add_with("Logs", log_group(), ResourceOptions::new().depends_on(&g1));
    assert_error(&app_of([one, two]), Code::CrossStackDependsOn, "Two/Logs");
}

#[test]
fn reference_to_a_stack_outside_the_app_is_reported() {
    let mut outside = Stack::new("Outside");
    let g = outside.add("Logs", log_group());
    let mut inside = Stack::new("Inside");
    inside.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", g.reference().into_json()),
    );
    assert_error(&app_of([inside]), Code::DanglingReference, "Inside/Topic");
}

#[test]
fn conditions_may_not_reference_resources() {
    let mut stack = Stack::new("Cond");
    let g = stack.add("Logs", log_group());
    stack.add_condition("HasLogs", fns::equals::<String>(g.reference(), "x"));
    let err = errors(&app_of([stack]));
    assert!(err.has(Code::InvalidCondition), "{err}");
}

#[test]
fn condition_used_but_not_defined_is_reported() {
    let mut other = Stack::new("Other");
    let cond = other.add_condition("IsProd", fns::equals(fns::region(), "eu-west-1"));
    let mut stack = Stack::new("Cond");
    stack.add_with("Logs", log_group(), ResourceOptions::new().condition(&cond));
    let mut app = app_of([stack]);
    other.add("Logs", log_group());
    app.add_stack(other);
    assert_error(&app, Code::DanglingReference, "Cond/Logs");
}

#[test]
fn cidr_count_out_of_range_is_reported() {
    let mut stack = Stack::new("Cidr");
    stack.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property(
            "DisplayName",
            fns::select(0, fns::cidr("10.0.0.0/16", 257, 8)).into_json(),
        ),
    );
    assert_error(&app_of([stack]), Code::InvalidIntrinsic, "Cidr/Topic");
}

#[test]
fn parameter_default_outside_allowed_values_is_reported() {
    let mut stack = Stack::new("Params");
    let env = stack.add_parameter(
        "Env",
        Parameter::string()
            .allowed_values(["dev", "prod"])
            .default("staging"),
    );
    stack.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", env.into_json()),
    );
    assert_error(&app_of([stack]), Code::InvalidParameter, "Params/Env");
}

#[test]
fn empty_stack_is_reported() {
    assert_error(&app_of([Stack::new("Empty")]), Code::EmptyTemplate, "Empty");
}

#[test]
fn more_than_500_resources_is_reported() {
    let mut stack = Stack::new("Big");
    for i in 0..501 {
        stack.add(&format!("Topic{i}"), RawResource::new("AWS::SNS::Topic"));
    }
    let err = errors(&app_of([stack]));
    assert!(err.has(Code::LimitExceeded), "{err}");
    assert!(err.to_string().contains("500"), "{err}");
}

#[test]
fn more_than_200_outputs_parameters_or_mappings_is_reported() {
    let mut outputs = Stack::new("Outputs");
    let g = outputs.add("Logs", log_group());
    for i in 0..201 {
        outputs.add_output(&format!("Out{i}"), Output::new(g.reference()));
    }
    assert!(errors(&app_of([outputs])).has(Code::LimitExceeded));

    let mut params = Stack::new("Params");
    let mut used = Vec::new();
    for i in 0..201 {
        used.push(params.add_parameter(&format!("P{i}"), Parameter::string().default("x")));
    }
    params.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic")
            .property("DisplayName", fns::join(",", used).into_json()),
    );
    assert!(errors(&app_of([params])).has(Code::LimitExceeded));

    let mut maps = Stack::new("Maps");
    maps.add("Logs", log_group());
    for i in 0..201 {
        let mut row = indexmap::IndexMap::new();
        row.insert("k".to_owned(), Expr::string("v"));
        let mut table = indexmap::IndexMap::new();
        table.insert("top".to_owned(), row);
        maps.add_mapping(&format!("M{i}"), table);
    }
    assert!(errors(&app_of([maps])).has(Code::LimitExceeded));
}

#[test]
fn large_template_warns_and_huge_template_fails() {
    // About 60 KB: deployable only through S3, so a warning.
    // Security groups of the longest description the schema allows, 255 characters.
    let mut large = Stack::new("Large");
    for i in 0..220 {
        large.add(&format!("Group{i}"), SecurityGroup::new("x".repeat(255)));
    }
    let assembly = app_of([large])
        .assemble()
        .expect("a warning is not an error");
    assert_eq!(assembly.warnings.len(), 1, "{:?}", assembly.warnings);
    assert_eq!(assembly.warnings[0].code, Code::TemplateNeedsS3);
    assert_eq!(assembly.warnings[0].severity, Severity::Warning);
    assert!(assembly.warnings[0].to_string().contains("--s3-bucket"));

    // Over 1 MB: CloudFormation refuses it.
    let mut huge = Stack::new("Huge");
    for i in 0..300 {
        let filler = RawResource::new("Custom::Filler")
            .property(
                "ServiceToken",
                serde_json::json!("arn:aws:lambda:eu-west-1:123456789012:function:f"),
            )
            .property("Text", serde_json::json!("x".repeat(4000)));
        huge.add(&format!("Filler{i}"), filler);
    }
    let err = errors(&app_of([huge]));
    assert!(err.has(Code::TemplateTooLarge), "{err}");
}

#[test]
fn a_failed_synth_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut stack = Stack::new("Bad");
    stack.add("Bad_Id", log_group());
    let err = app_of([stack])
        .synth(&SynthOptions {
            out_dir: out.clone(),
            ..SynthOptions::default()
        })
        .unwrap_err();
    assert!(err.has(Code::InvalidLogicalId));
    assert!(!out.exists(), "synth created {out:?} although it failed");
}

#[test]
fn an_error_in_a_later_stack_leaves_every_file_as_it_was() {
    // Synth stages each stack's file before it validates the next one: an error found in the
    // last stack must still remove what was staged and change nothing on disk.
    let dir = tempfile::tempdir().unwrap();
    let options = SynthOptions {
        out_dir: dir.path().to_path_buf(),
        ..SynthOptions::default()
    };
    let good = |retention: u32| {
        let mut stack = Stack::new("First");
        stack.add("Logs", LogGroup::new().retention_in_days(retention));
        stack
    };
    app_of([good(7)]).synth(&options).unwrap();
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = files_in(dir.path());

    let mut bad = Stack::new("Second");
    bad.add(
        "Logs",
        LogGroup::new().log_group_name(fns::sub("${Missing}-logs")),
    );
    let err = app_of([good(14), bad]).synth(&options).unwrap_err();
    assert!(err.has(Code::DanglingReference), "{err}");
    assert_eq!(files_in(dir.path()), before, "a failed synth changed files");
}

fn files_in(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let body = std::fs::read(&path).unwrap();
            (path, body)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_unwritable_output_directory_is_an_io_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let mut stack = Stack::new("Ok");
    stack.add("Logs", log_group());
    let err = app_of([stack])
        .synth(&SynthOptions {
            out_dir: blocker.join("out"),
            ..SynthOptions::default()
        })
        .unwrap_err();
    assert!(err.has(Code::Io), "{err}");
}

#[test]
fn two_imported_values_whose_export_outputs_would_share_an_id_are_an_error() {
    // `Db` + `Endpoint.Address` and `DbEndpoint` + `Address` both map to the output id
    // `ExportDbEndpointAddress`.
    let mut producer = Stack::new("Producer");
    let db = producer.add("Db", RawResource::new("AWS::RDS::DBInstance"));
    let other = producer.add("DbEndpoint", RawResource::new("AWS::RDS::DBInstance"));
    let mut consumer = Stack::new("Consumer");
    consumer.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic")
            .property("DisplayName", db.att("Endpoint.Address"))
            .property("TopicName", other.att("Address")),
    );
    let err = errors(&app_of([producer, consumer]));
    assert!(err.has(Code::DuplicateLogicalId), "{err}");
    assert!(err.to_string().contains("ExportDbEndpointAddress"), "{err}");
}

#[test]
fn the_inline_size_warning_measures_the_file_that_is_deployed() {
    // Deeply indented JSON is larger than the same template in YAML: find a size where only
    // the JSON is over the 51,200 bytes CloudFormation takes inline.
    let app = || {
        let mut stack = Stack::new("Big");
        for i in 0..300 {
            stack.add(
                &format!("Queue{i}"),
                RawResource::new("AWS::SQS::Queue").property(
                    "RedrivePolicy",
                    json!({"deadLetterTargetArn": {"Fn::Sub": "arn:${AWS::Partition}:sqs:x"}, "maxReceiveCount": 3}),
                ),
            );
        }
        app_of([stack])
    };
    let warned = |format: Format| {
        let dir = tempfile::tempdir().unwrap();
        let report = app()
            .synth(&SynthOptions {
                out_dir: dir.path().join("out"),
                format,
                ..SynthOptions::default()
            })
            .unwrap();
        report
            .warnings
            .iter()
            .find(|d| d.code == Code::TemplateNeedsS3)
            .map(|d| d.message.clone())
    };
    let json = warned(Format::Json).expect("the JSON is over the inline limit");
    assert!(json.contains("Big.template.json"), "{json}");
    assert_eq!(warned(Format::Yaml), None, "the YAML fits inline");
    // With both, the YAML is what is deployed, since only it fits inline.
    assert_eq!(warned(Format::Both), None, "the YAML is deployed");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = constructs::synth::run_with_args(
        &app(),
        [
            "--out",
            out.to_str().unwrap(),
            "--format",
            "both",
            "--print-deploy",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let deploy = run
        .stdout
        .lines()
        .find(|l| l.starts_with("aws cloudformation deploy"))
        .unwrap();
    let yaml = out.join("Big.template.yaml");
    assert!(
        deploy.contains(&format!("--template-file {} ", yaml.display())),
        "{deploy}"
    );
    assert!(!deploy.contains("--s3-bucket"), "{deploy}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let stack = &manifest["stacks"][0];
    assert_eq!(
        stack["templates"],
        json!(["Big.template.json", "Big.template.yaml"])
    );
    assert_eq!(stack["deploy"]["needsS3Bucket"], json!(false));
    assert!(
        stack["deploy"]["command"]
            .as_str()
            .unwrap()
            .contains("--template-file Big.template.yaml "),
        "{stack}"
    );
}

#[test]
fn with_both_formats_over_the_inline_limit_the_json_is_deployed_and_named() {
    let mut stack = Stack::new("Bigger");
    for i in 0..400 {
        stack.add(
            &format!("Queue{i}"),
            RawResource::new("AWS::SQS::Queue")
                .property("QueueName", json!(format!("{i}-{}", "q".repeat(150)))),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let report = app_of([stack])
        .synth(&SynthOptions {
            out_dir: dir.path().join("out"),
            format: Format::Both,
            ..SynthOptions::default()
        })
        .unwrap();
    let warning = report
        .warnings
        .iter()
        .find(|d| d.code == Code::TemplateNeedsS3)
        .expect("both files are over the inline limit");
    assert!(
        warning.message.contains("Bigger.template.json"),
        "{warning}"
    );
}

#[test]
fn a_handle_of_another_apps_same_named_stack_is_refused() {
    // Another app's `Network`, whose VPC handle is used by mistake.
    let mut theirs = Stack::new("Network");
    let their_vpc = theirs.add("Vpc", Vpc::new().cidr_block("10.1.0.0/16"));

    let mut network = Stack::new("Network");
    network.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let mut api = Stack::new("Api");
    let name: Value<String> = Value::unchecked(their_vpc.reference().into_expr());
    api.add(
        "Logs",
        LogGroup::new()
            .log_group_name(fns::join("/", vec![name.clone(), name]))
            .retention_in_days(7),
    );
    let msg = assert_error(&app_of([network, api]), Code::ForeignHandle, "Api/Logs");
    assert!(
        msg.contains("references `Vpc` through a handle of another stack named `Network`"),
        "{msg}"
    );

    // By name, as a hand-built expression, the same reference resolves to this app's stack.
    let mut network = Stack::new("Network");
    network.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let mut api = Stack::new("Api");
    let by_name: Value<String> = Value::unchecked(Expr::Ref {
        stack: Some("Network".into()),
        name: "Vpc".into(),
    });
    api.add(
        "Logs",
        LogGroup::new().log_group_name(by_name).retention_in_days(7),
    );
    assert!(app_of([network, api]).assemble().is_ok());
}

#[test]
fn a_number_json_cannot_write_is_reported_wherever_it_is_and_nothing_is_written() {
    use constructs::cfn::apigatewayv2::stage::RouteSettings;
    use constructs::cfn::apigatewayv2::{Api, Stage};

    let mut stack = Stack::new("Nan");
    let api = stack.add("Api", Api::new().name("api").protocol_type("HTTP"));
    stack.add(
        "Stage",
        Stage::new(api.reference(), "$default")
            .default_route_settings(RouteSettings::new().throttling_rate_limit(f64::NAN)),
    );
    stack.add_output("Inf", Output::new(Value::from(f64::INFINITY)));
    stack.add_parameter("Rate", Parameter::number().default(f64::NEG_INFINITY));
    let err = errors(&app_of([stack]));
    let found: Vec<_> = err.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::NonFiniteNumber, "Nan/Rate"),
            (Code::NonFiniteNumber, "Nan/Stage"),
            (Code::NonFiniteNumber, "Nan/Inf"),
        ],
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("property `DefaultRouteSettings` of `Stage` holds the number NaN"));
    assert!(text.contains("the value of output `Inf` holds the number inf"));

    // The model refuses to write one too, rather than writing `null`.
    assert!(serde_json::to_string(&Expr::Float(f64::NAN)).is_err());
    assert_eq!(serde_json::to_string(&Expr::Float(0.5)).unwrap(), "0.5");
}

#[test]
fn an_export_name_used_twice_in_one_account_and_region_is_reported_with_both_paths() {
    use constructs::Env;

    let exporting = |name: &str, outputs: &[(&str, Value<String>)], env: Env| {
        let mut stack = Stack::new(name).env(env);
        let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
        for (id, export) in outputs {
            stack.add_output(id, Output::new(vpc.reference()).export_name(export.clone()));
        }
        (stack, vpc)
    };
    let here = Env::default;
    let (a, _) = exporting(
        "A",
        &[
            ("One", "Shared".into()),
            ("Two", "Shared".into()),
            ("Own", fns::sub("${AWS::StackName}-Vpc")),
        ],
        here(),
    );
    let (b, vpc_b) = exporting(
        "B",
        &[
            ("Three", "Shared".into()),
            // Each stack's name makes these two differ.
            ("Own", fns::sub("${AWS::StackName}-Vpc")),
            // What synth names the export of `C`'s reference to B's VPC.
            ("Taken", "B:Vpc".into()),
        ],
        here(),
    );
    let mut c = Stack::new("C");
    c.add(
        "Group",
        SecurityGroup::new("uses the VPC of B").vpc_id(vpc_b.reference()),
    );
    let err = errors(&app_of([a, b, c]));
    let found: Vec<_> = err.errors().map(|d| (d.code, d.path.as_str())).collect();
    let dup = Code::DuplicateExportName;
    assert_eq!(
        found,
        [(dup, "A/Two"), (dup, "B/Three"), (dup, "B/ExportVpcRef")],
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("A/Two: exports `Shared`, which `A/One` exports too"));
    assert!(text.contains("B/ExportVpcRef: exports `B:Vpc`, which `B/Taken` exports too"));

    // In other Regions, or with names only known at deploy, nothing is reported.
    let region = |r: &str| Env {
        region: Some(r.to_owned()),
        ..Env::default()
    };
    let (a, _) = exporting("A", &[("One", "Shared".into())], region("eu-west-1"));
    let (b, _) = exporting("B", &[("One", "Shared".into())], region("us-east-1"));
    let (c, _) = exporting("C", &[("One", fns::sub("${AWS::Region}-Shared"))], here());
    let (d, _) = exporting("D", &[("One", fns::sub("${AWS::Region}-Shared"))], here());
    app_of([a, b, c, d]).assemble().unwrap();

    // Within one stack, the same deploy-time name is the same name.
    let (e, _) = exporting(
        "E",
        &[
            ("One", fns::sub("${AWS::Region}-Shared")),
            ("Two", fns::sub("${AWS::Region}-Shared")),
        ],
        here(),
    );
    assert_error(&app_of([e]), dup, "E/Two");
}
