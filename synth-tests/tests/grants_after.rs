//! Grants after construction: every role a pattern builds takes more permissions once the
//! pattern returns, in one `AWS::IAM::Policy` per role and stack, across stacks without a
//! cycle, and to roles built elsewhere.

use constructs::blocks::iam::RoleRef;
use constructs::blocks::lambda::{Function, FunctionCode, FunctionProps, Runtime};
use constructs::cfn::dynamodb::{table, Table};
use constructs::cfn::events::EventBus;
use constructs::cfn::sqs::Queue;
use constructs::fargate::{
    AlbListener, AlbPlacement, AlbProps, Container, ContainerImage, FargateService,
    FargateServiceProps,
};
use constructs::iam::{presets, Action, Grant, Grantee, Statement};
use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::serverless::{AttributeType, Route, ServerlessApi, ServerlessApiProps, TableProps};
use constructs::synth::Assembly;
use constructs::{App, Code, Stack};
use serde_json::{json, Value as Json};

fn code() -> FunctionProps {
    FunctionProps::new(
        Runtime::Python313,
        "index.handler",
        FunctionCode::inline("def handler(event, context):\n    return None\n"),
    )
}

fn template(assembly: &Assembly, stack: &str) -> Json {
    serde_json::from_str(&assembly.stack(stack).unwrap().json).unwrap()
}

fn table(stack: &mut Stack, id: &str) -> constructs::Handle<Table> {
    stack.add(
        id,
        Table::new(json!([{"AttributeName": "pk", "KeyType": "HASH"}]))
            .attribute_definitions(vec![table::AttributeDefinition::new("pk", "S")])
            .billing_mode("PAY_PER_REQUEST"),
    )
}

/// The `(action, resource)` pairs of a policy resource.
fn pairs(t: &Json, id: &str) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for s in t["Resources"][id]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap_or_else(|| panic!("no policy {id}: {t:#}"))
    {
        for a in s["Action"].as_array().unwrap() {
            for r in s["Resource"].as_array().unwrap() {
                out.push((a.as_str().unwrap().to_owned(), r.clone()));
            }
        }
    }
    out
}

#[test]
fn a_serverless_api_function_takes_grants_after_construction() {
    let mut stack = Stack::new("Svc");
    let api = ServerlessApi::new(
        &mut stack,
        "Api",
        ServerlessApiProps::new(TableProps::new("id", AttributeType::String))
            .function("Items", code())
            .route(Route::new("GET /items/{id}", "Items").reads_item()),
    );
    let audit = table(&mut stack, "Audit");
    let items = api.function("Items").unwrap();
    audit.grant_put_item(&mut stack.grants_to(items));
    stack.grant(items, presets::dynamodb::get_item(&audit));
    // A custom statement.
    let custom = Grant::new("read the audit stream").statement(
        Statement::allow(Action::new("dynamodb:DescribeStream").unwrap())
            .resource(audit.att_stream_arn()),
    );
    stack.grant(items, custom);

    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let t = template(&assembly, "Svc");
    let role = items.role.logical_id();
    let policy = &t["Resources"][format!("{role}Grants")];
    assert_eq!(policy["Type"], "AWS::IAM::Policy");
    assert_eq!(policy["Properties"]["Roles"], json!([{"Ref": role}]));
    // Three grants, one policy: the two on the table's ARN merged into one statement.
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    assert_eq!(statements.len(), 2, "{statements:#?}");
    let got = pairs(&t, &format!("{role}Grants"));
    let arn = json!({"Fn::GetAtt": ["Audit", "Arn"]});
    assert!(got.contains(&("dynamodb:PutItem".to_owned(), arn.clone())));
    assert!(got.contains(&("dynamodb:GetItem".to_owned(), arn)));

    // --explain-iam names each grant.
    let report = &assembly.stack("Svc").unwrap().iam_report;
    let explained = report
        .iter()
        .find(|e| e.policy == "Svc/Api/ItemsFunctionRole/Grants")
        .unwrap_or_else(|| panic!("{report:#?}"));
    let names: Vec<&str> = explained.grants.iter().map(|g| g.grant.as_str()).collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("dynamodb:put-item on Audit")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.contains("read the audit stream")));
}

#[test]
fn a_fargate_task_role_takes_grants_after_construction() {
    let mut app = App::new();
    let mut net = Stack::new("Net");
    let network = VpcThreeTier::new(&mut net, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    let mut svc = Stack::new("Svc");
    let service = FargateService::new(
        &mut svc,
        "Web",
        FargateServiceProps::new(
            network.vpc(),
            network.app_subnets(),
            AlbProps::new(
                AlbPlacement::InternetFacing(network.public_subnets().clone()),
                AlbListener::https("arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d"),
            ),
            Container::new(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
                8080,
            ),
        ),
    );
    let bus = svc.add("Bus", EventBus::new("orders"));
    bus.grant_put_events(&mut svc.grants_to(&service));
    app.add_stack(net);
    app.add_stack(svc);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let t = template(&assembly, "Svc");
    assert_eq!(
        pairs(&t, "WebTaskRoleGrants"),
        [(
            "events:PutEvents".to_owned(),
            json!({"Fn::GetAtt": ["Bus", "Arn"]})
        )]
    );
    let report = &assembly.stack("Svc").unwrap().iam_report;
    assert!(report.iter().any(|e| e.policy == "Svc/Web/TaskRole/Grants"
        && e.grants[0].grant == "events:put-events on Bus"));
}

/// A function in `Compute` granted on a queue in `Data`, or the other way round.
fn cross_stack(function_in_data: bool) -> Assembly {
    let mut app = App::new();
    let mut data = Stack::new("Data");
    let mut compute = Stack::new("Compute");
    let (queue, worker) = if function_in_data {
        let queue = compute.add("Jobs", Queue::new());
        (queue, Function::new(&mut data, "Worker", code()))
    } else {
        let queue = data.add("Jobs", Queue::new());
        (queue, Function::new(&mut compute, "Worker", code()))
    };
    app.add_stack(data);
    app.add_stack(compute);
    app.grant(&worker, presets::sqs::consume(&queue));
    app.grants_to(&worker).add_grant(presets::sqs::send(&queue));
    app.assemble().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_cross_stack_grant_goes_into_the_principals_stack_in_both_directions() {
    for (function_in_data, role_stack, queue_stack) in
        [(false, "Compute", "Data"), (true, "Data", "Compute")]
    {
        let assembly = cross_stack(function_in_data);
        assert_eq!(assembly.deploy_order, [queue_stack, role_stack]);
        let t = template(&assembly, role_stack);
        let got = pairs(&t, "WorkerRoleGrants");
        assert!(
            got.iter().all(|(_, r)| r.get("Fn::ImportValue").is_some()),
            "{got:?}"
        );
        assert!(got.iter().any(|(a, _)| a == "sqs:SendMessage"));
        assert!(got.iter().any(|(a, _)| a == "sqs:ReceiveMessage"));
        // The queue's stack is untouched by the grant.
        assert!(!assembly.stack(queue_stack).unwrap().json.contains("Grants"));
        assert!(assembly.stack(role_stack).unwrap().dependencies == [queue_stack]);
    }
}

#[test]
fn an_imported_role_takes_grants_by_name() {
    let mut stack = Stack::new("Ops");
    let queue = stack.add("Jobs", Queue::new());
    let ops = RoleRef::from_name("Automation", "ops-automation");
    queue.grant_send(&mut stack.grants_to(&ops));
    let audit = RoleRef::from_arn("Audit", "arn:aws:iam::123456789012:role/team/audit");
    queue.grant_consume(&mut stack.grants_to(&audit));
    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
    let t = template(&assembly, "Ops");
    assert_eq!(
        t["Resources"]["AutomationGrants"]["Properties"]["Roles"],
        json!(["ops-automation"])
    );
    assert_eq!(
        t["Resources"]["AuditGrants"]["Properties"]["Roles"],
        json!(["audit"])
    );
    let report = &assembly.stack("Ops").unwrap().iam_report;
    assert!(report
        .iter()
        .any(|e| e.policy == "Ops/AutomationGrants" && e.principal == "role ops-automation"));
}

#[test]
fn roles_that_cannot_take_a_policy_are_reported() {
    let mut stack = Stack::new("Ops");
    let queue = stack.add("Jobs", Queue::new());
    let not_a_role = RoleRef::from_arn("Bot", "arn:aws:iam::123456789012:user/bot");
    stack.grant(&not_a_role, presets::sqs::send(&queue));
    let mut app = App::new();
    app.add_stack(stack);
    // A role of a stack that is not in the app.
    let mut elsewhere = Stack::new("Elsewhere");
    let worker = Function::new(&mut elsewhere, "Worker", code());
    app.grant(&worker, presets::sqs::send(&queue));
    let error = app.assemble().unwrap_err();
    let found: Vec<(Code, &str)> = error.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert!(
        found.contains(&(Code::RoleNameUnknown, "Ops/BotGrants")),
        "{found:?}"
    );
    assert!(
        found.contains(&(Code::GrantOutsideApp, "Elsewhere/WorkerRole")),
        "{found:?}"
    );
}

#[test]
fn a_grant_policy_does_not_take_a_users_logical_id() {
    let mut stack = Stack::new("Svc");
    let worker = Function::new(&mut stack, "Worker", code());
    stack.add("WorkerRoleGrants", Queue::new());
    let queue = stack.add("Jobs", Queue::new());
    stack.grant(&worker, presets::sqs::send(&queue));
    let mut app = App::new();
    app.add_stack(stack);
    let error = app.assemble().unwrap_err();
    assert!(error.has(Code::DuplicateLogicalId));
}
