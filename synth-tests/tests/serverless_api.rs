//! ServerlessApi: least privilege derived per route, one invoke permission per function however
//! many routes, the optional parts, and bad input reported with a stable code and the construct
//! path.

use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};
use constructs::blocks::logs::RetentionDays;
use constructs::blocks::sns::{AlarmTopic, Topic, TopicProps, TopicPublisher};
use constructs::cfn::kms::Key;
use constructs::iam::check_template;
use constructs::iam::{Action, PolicyDocument, Principal, Statement};
use constructs::serverless::{
    AttributeType, CorsConfig, CustomDomain, GlobalIndex, JwtAuthorizer, Route, ServerlessApi,
    ServerlessApiProps, StreamView, TableProps, ROUTES_PER_API_QUOTA,
};
use constructs::{App, Code, Severity, Stack, SynthError};
use serde_json::{json, Value as Json};

fn function() -> FunctionProps {
    FunctionProps::new(
        Runtime::Python313,
        "index.handler",
        FunctionCode::inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
    )
}

fn table() -> TableProps {
    TableProps::new("itemId", AttributeType::String)
        .attribute("userId", AttributeType::String)
        .attribute("createdAt", AttributeType::String)
        .attribute("status", AttributeType::String)
        .index(GlobalIndex::new("byUser", "userId").sort_key("createdAt"))
        .index(GlobalIndex::new("byStatus", "status"))
}

fn try_synth(props: ServerlessApiProps) -> Result<Json, SynthError> {
    synth_tests::synth_stack("Svc", |stack| {
        ServerlessApi::new(stack, "Api", props);
    })
}

fn synth(props: ServerlessApiProps) -> Json {
    try_synth(props).unwrap_or_else(|e| panic!("{e}"))
}

use synth_tests::resources_of_type as resources;

fn count(t: &Json, type_name: &str) -> usize {
    resources(t, type_name).len()
}

/// The statements of a role's inline policy.
fn statements<'a>(t: &'a Json, role: &str) -> &'a Vec<Json> {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap_or_else(|| panic!("{role} has no inline policy"))
}

/// Every (action, resource) pair a role's inline policy allows.
fn allowed(t: &Json, role: &str) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for s in statements(t, role) {
        for a in s["Action"].as_array().unwrap() {
            for r in s["Resource"].as_array().unwrap() {
                out.push((a.as_str().unwrap().to_owned(), r.clone()));
            }
        }
    }
    out
}

fn dynamodb_actions(t: &Json, role: &str) -> Vec<String> {
    let mut actions: Vec<String> = allowed(t, role)
        .into_iter()
        .map(|(a, _)| a)
        .filter(|a| a.starts_with("dynamodb:"))
        .collect();
    actions.sort();
    actions.dedup();
    actions
}

fn table_arn() -> Json {
    json!({"Fn::GetAtt": ["ApiTable", "Arn"]})
}

fn index_arn(index: &str) -> Json {
    json!({"Fn::Sub": [format!("${{TableArn}}/index/{index}"), {"TableArn": table_arn()}]})
}

#[test]
fn the_example_emits_the_classic_items_api() {
    let assembly = examples::serverless_api::app().assemble().unwrap();
    let t: Json = serde_json::from_str(&assembly.stacks[0].json).unwrap();
    assert_eq!(count(&t, "AWS::ApiGatewayV2::Route"), 6);
    assert_eq!(count(&t, "AWS::Lambda::Function"), 2);
    assert_eq!(count(&t, "AWS::Lambda::Permission"), 2);
    assert_eq!(count(&t, "AWS::DynamoDB::Table"), 1);
    assert_eq!(count(&t, "AWS::CloudWatch::Alarm"), 5);
    assert_eq!(t["Resources"].as_object().unwrap().len(), 25);
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
    // The health function touches no data.
    assert!(dynamodb_actions(&t, "ItemsHealthFunctionRole").is_empty());
}

#[test]
fn a_get_only_api_grants_get_item_and_nothing_else() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function("Reader", function())
            .route(Route::new("GET /items/{id}", "Reader").reads_item()),
    );
    assert_eq!(
        dynamodb_actions(&t, "ApiReaderFunctionRole"),
        ["dynamodb:GetItem"]
    );
    let pairs = allowed(&t, "ApiReaderFunctionRole");
    assert!(pairs.contains(&("dynamodb:GetItem".to_owned(), table_arn())));
    let text = t.to_string();
    for absent in [
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Scan",
        "dynamodb:Query",
        "/index/",
    ] {
        assert!(!text.contains(absent), "{absent} granted to a GET-only API");
    }
    // Logs only on its own group; no managed policies.
    assert!(pairs.contains(&(
        "logs:PutLogEvents".to_owned(),
        json!({"Fn::GetAtt": ["ApiReaderFunctionLogs", "Arn"]})
    )));
    assert!(t["Resources"]["ApiReaderFunctionRole"]["Properties"]
        .get("ManagedPolicyArns")
        .is_none());
}

#[test]
fn a_list_on_an_index_grants_query_on_that_index_only() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function("Lister", function())
            .route(Route::new("GET /users/{userId}/items", "Lister").queries_index("byUser")),
    );
    let pairs = allowed(&t, "ApiListerFunctionRole");
    let dynamo: Vec<_> = pairs
        .iter()
        .filter(|(a, _)| a.starts_with("dynamodb:"))
        .collect();
    assert_eq!(
        dynamo,
        [&("dynamodb:Query".to_owned(), index_arn("byUser"))],
        "Query on byUser's ARN only: not the table, not byStatus"
    );
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

#[test]
fn scan_and_table_query_are_granted_only_when_asked() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function("Q", function())
            .function("S", function())
            .route(Route::new("GET /q", "Q").queries())
            .route(Route::new("GET /s", "S").scans()),
    );
    assert_eq!(
        allowed(&t, "ApiQFunctionRole")
            .into_iter()
            .filter(|(a, _)| a.starts_with("dynamodb:"))
            .collect::<Vec<_>>(),
        [("dynamodb:Query".to_owned(), table_arn())]
    );
    assert_eq!(dynamodb_actions(&t, "ApiSFunctionRole"), ["dynamodb:Scan"]);
}

#[test]
fn each_function_gets_only_its_own_routes_accesses() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function("Read", function())
            .function("Write", function())
            .routes([
                Route::new("GET /items/{id}", "Read").reads_item(),
                Route::new("GET /items", "Read").queries_index("byStatus"),
                Route::new("POST /items", "Write").creates_item(),
                Route::new("PUT /items/{id}", "Write").updates_item(),
                Route::new("DELETE /items/{id}", "Write").deletes_item(),
            ]),
    );
    assert_eq!(
        dynamodb_actions(&t, "ApiReadFunctionRole"),
        ["dynamodb:GetItem", "dynamodb:Query"]
    );
    assert_eq!(
        dynamodb_actions(&t, "ApiWriteFunctionRole"),
        [
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem"
        ]
    );
    assert_eq!(count(&t, "AWS::Lambda::Permission"), 2);
    assert_eq!(count(&t, "AWS::ApiGatewayV2::Integration"), 2);
}

#[test]
fn forty_routes_on_one_function_need_one_permission() {
    let routes = (0..40).map(|i| Route::new(format!("GET /things{i}/{{id}}"), "All").reads_item());
    let t = synth(
        ServerlessApiProps::new(table())
            .function("All", function())
            .routes(routes),
    );
    assert_eq!(count(&t, "AWS::ApiGatewayV2::Route"), 40);
    let permissions = resources(&t, "AWS::Lambda::Permission");
    assert_eq!(permissions.len(), 1);
    let p = &permissions[0].1["Properties"];
    assert_eq!(p["Principal"], "apigateway.amazonaws.com");
    assert_eq!(p["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    assert_eq!(
        p["SourceArn"],
        json!({"Fn::Sub": [
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}/*",
            {"ApiId": {"Ref": "ApiHttpApi"}}
        ]})
    );
}

#[test]
fn more_routes_than_the_quota_is_one_warning_at_the_api() {
    let assemble = |n: usize| {
        let routes = (0..n).map(|i| Route::new(format!("GET /r{i}"), "All").reads_item());
        let props = ServerlessApiProps::new(table())
            .function("All", function())
            .routes(routes);
        let mut stack = Stack::new("Svc");
        ServerlessApi::new(&mut stack, "Api", props);
        let mut app = App::new();
        app.add_stack(stack);
        let assembly = app.assemble().unwrap_or_else(|e| panic!("{e}"));
        // Such a template is also over the inline size (`template-needs-s3`).
        let warnings = assembly.warnings.into_iter();
        warnings
            .filter(|w| w.code != Code::TemplateNeedsS3)
            .collect::<Vec<_>>()
    };
    assert_eq!(assemble(ROUTES_PER_API_QUOTA), []);
    let warnings = assemble(ROUTES_PER_API_QUOTA + 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert_eq!(
        (w.severity, w.code, w.path.as_str()),
        (Severity::Warning, Code::TooManyRoutes, "Svc/Api")
    );
    assert!(w.message.contains("301 routes"), "{w}");
    assert!(w.hint.as_deref().unwrap_or("").contains("quota"), "{w}");
}

#[test]
fn the_table_is_production_ready_and_defines_only_key_attributes() {
    let t = synth(
        ServerlessApiProps::new(
            TableProps::new("pk", AttributeType::String)
                .sort_key("sk", AttributeType::Number)
                .attribute("unused", AttributeType::String)
                .attribute("gsiPk", AttributeType::Binary)
                .index(GlobalIndex::new("byGsi", "gsiPk"))
                .stream(StreamView::NewAndOldImages)
                .ttl_attribute("expiresAt")
                .kms_key("arn:aws:kms:eu-west-1:123456789012:key/abc"),
        )
        .function("F", function())
        .route(Route::new("GET /x", "F").reads_item()),
    );
    let resource = &t["Resources"]["ApiTable"];
    assert_eq!(resource["DeletionPolicy"], "Retain");
    assert_eq!(resource["UpdateReplacePolicy"], "Retain");
    let p = &resource["Properties"];
    assert_eq!(
        p["AttributeDefinitions"],
        json!([
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "gsiPk", "AttributeType": "B"},
        ])
    );
    assert_eq!(
        p["KeySchema"],
        json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    );
    assert_eq!(p["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(p["DeletionProtectionEnabled"], true);
    assert_eq!(
        p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert_eq!(p["SSESpecification"]["SSEType"], "KMS");
    assert_eq!(
        p["StreamSpecification"]["StreamViewType"],
        "NEW_AND_OLD_IMAGES"
    );
    assert_eq!(p["TimeToLiveSpecification"]["AttributeName"], "expiresAt");

    let provisioned = synth(
        ServerlessApiProps::new(table().provisioned(5, 2))
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item()),
    );
    let p = &provisioned["Resources"]["ApiTable"]["Properties"];
    assert_eq!(p["BillingMode"], "PROVISIONED");
    assert_eq!(p["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
    assert_eq!(
        p["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"],
        2
    );
}

#[test]
fn functions_have_their_settings_their_own_log_group_and_the_table_name() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function(
                "F",
                function()
                    .memory_mb(1024)
                    .timeout_secs(30)
                    .env("STAGE", "prod")
                    .reserved_concurrency(5)
                    .tracing()
                    .log_retention(RetentionDays::Days14),
            )
            .route(Route::new("GET /x", "F").reads_item()),
    );
    let p = &t["Resources"]["ApiFFunction"]["Properties"];
    assert_eq!(p["Runtime"], "python3.13");
    assert_eq!(p["MemorySize"], 1024);
    assert_eq!(p["Timeout"], 30);
    assert_eq!(p["Architectures"], json!(["arm64"]));
    assert_eq!(p["ReservedConcurrentExecutions"], 5);
    assert_eq!(p["TracingConfig"]["Mode"], "Active");
    assert_eq!(
        p["Environment"]["Variables"],
        json!({"TABLE_NAME": {"Ref": "ApiTable"}, "STAGE": "prod"})
    );
    assert_eq!(
        p["LoggingConfig"]["LogGroup"],
        json!({"Ref": "ApiFFunctionLogs"})
    );
    assert_eq!(
        t["Resources"]["ApiFFunctionLogs"]["Properties"]["RetentionInDays"],
        14
    );
    assert!(
        allowed(&t, "ApiFFunctionRole").contains(&("xray:PutTraceSegments".to_owned(), json!("*")))
    );
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

#[test]
fn the_stage_throttles_and_logs_json_and_alarms_notify_the_topic() {
    let topic = "arn:aws:sns:eu-west-1:123456789012:alarms";
    let t = synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item())
            .route(Route::new("POST /x", "F").creates_item())
            .throttling(10.0, 20)
            .cors(CorsConfig::new(["https://example.com"]))
            .alarm_topic(AlarmTopic::external(topic)),
    );
    let stage = &t["Resources"]["ApiDefaultStage"]["Properties"];
    assert_eq!(stage["StageName"], "$default");
    assert_eq!(stage["AutoDeploy"], true);
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingRateLimit"], 10.0);
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingBurstLimit"], 20);
    let format: Json =
        serde_json::from_str(stage["AccessLogSettings"]["Format"].as_str().unwrap()).unwrap();
    assert_eq!(format["routeKey"], "$context.routeKey");
    let cors = &t["Resources"]["ApiHttpApi"]["Properties"]["CorsConfiguration"];
    assert_eq!(cors["AllowMethods"], json!(["GET", "POST"]));
    assert_eq!(cors["AllowOrigins"], json!(["https://example.com"]));

    // `$default` takes every method: preflights must allow them all.
    let catch_all = synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("$default", "F").reads_item())
            .cors(CorsConfig::new(["https://example.com"])),
    );
    assert_eq!(
        catch_all["Resources"]["ApiHttpApi"]["Properties"]["CorsConfiguration"]["AllowMethods"],
        json!(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"])
    );

    let alarms = resources(&t, "AWS::CloudWatch::Alarm");
    assert_eq!(alarms.len(), 3);
    for (_, alarm) in &alarms {
        assert_eq!(alarm["Properties"]["AlarmActions"], json!([topic]));
    }
    let api_alarm = &t["Resources"]["ApiApi5xxAlarm"]["Properties"];
    assert_eq!(api_alarm["Namespace"], "AWS/ApiGateway");
    assert_eq!(api_alarm["MetricName"], "5xx");
    assert_eq!(
        api_alarm["Dimensions"],
        json!([{"Name": "ApiId", "Value": {"Ref": "ApiHttpApi"}}])
    );
    assert_eq!(
        t["Resources"]["ApiFErrorsAlarm"]["Properties"]["MetricName"],
        "Errors"
    );
    assert_eq!(
        t["Resources"]["ApiFThrottlesAlarm"]["Properties"]["MetricName"],
        "Throttles"
    );
}

#[test]
fn jwt_covers_every_route_but_public_ones_or_only_chosen_ones() {
    let issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc";
    let routes = || {
        [
            Route::new("GET /items", "F").queries(),
            Route::new("POST /items", "F")
                .creates_item()
                .authorized(["items/write"]),
            Route::new("GET /health", "F").public(),
        ]
    };
    let all = synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .routes(routes())
            .jwt_authorizer(JwtAuthorizer::new(issuer, ["client"])),
    );
    let authorizer = &all["Resources"]["ApiAuthorizer"]["Properties"];
    assert_eq!(authorizer["AuthorizerType"], "JWT");
    assert_eq!(authorizer["JwtConfiguration"]["Issuer"], issuer);
    let auth = |t: &Json, id: &str| t["Resources"][id]["Properties"]["AuthorizationType"].clone();
    assert_eq!(auth(&all, "ApiRouteGetItems"), "JWT");
    assert_eq!(auth(&all, "ApiRoutePostItems"), "JWT");
    assert_eq!(
        all["Resources"]["ApiRoutePostItems"]["Properties"]["AuthorizationScopes"],
        json!(["items/write"])
    );
    assert_eq!(auth(&all, "ApiRouteGetHealth"), Json::Null);

    let chosen = synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .routes(routes())
            .jwt_authorizer(JwtAuthorizer::new(issuer, ["client"]).only_chosen_routes()),
    );
    assert_eq!(auth(&chosen, "ApiRouteGetItems"), Json::Null);
    assert_eq!(auth(&chosen, "ApiRoutePostItems"), "JWT");
}

#[test]
fn a_custom_domain_is_mapped_to_the_stage() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item())
            .custom_domain(
                CustomDomain::new(
                    "api.example.com",
                    "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
                )
                .base_path("v1"),
            ),
    );
    let domain = &t["Resources"]["ApiDomainName"]["Properties"];
    assert_eq!(domain["DomainName"], "api.example.com");
    assert_eq!(
        domain["DomainNameConfigurations"][0]["EndpointType"],
        "REGIONAL"
    );
    let mapping = &t["Resources"]["ApiApiMapping"]["Properties"];
    assert_eq!(mapping["Stage"], json!({"Ref": "ApiDefaultStage"}));
    assert_eq!(mapping["DomainName"], json!({"Ref": "ApiDomainName"}));
    assert_eq!(mapping["ApiMappingKey"], "v1");
    assert!(t["Outputs"]["ApiDomainTarget"].is_object());
}

#[test]
fn outputs_give_the_url_the_table_and_the_functions() {
    let t = synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("$default", "F").reads_item()),
    );
    assert_eq!(
        t["Outputs"]["ApiApiUrl"]["Value"],
        json!({"Fn::Sub": [
            "https://${ApiId}.execute-api.${AWS::Region}.${AWS::URLSuffix}/",
            {"ApiId": {"Ref": "ApiHttpApi"}}
        ]})
    );
    assert_eq!(
        t["Outputs"]["ApiTableName"]["Value"],
        json!({"Ref": "ApiTable"})
    );
    assert_eq!(
        t["Outputs"]["ApiFFunctionArn"]["Value"],
        json!({"Fn::GetAtt": ["ApiFFunction", "Arn"]})
    );
    assert_eq!(
        t["Resources"]["ApiRouteDefault"]["Properties"]["RouteKey"],
        "$default"
    );
}

fn error(props: ServerlessApiProps) -> SynthError {
    try_synth(props).expect_err("bad props must fail synth")
}

fn assert_reports(props: ServerlessApiProps, code: Code, path: &str) {
    let e = error(props);
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("expected {code}, got:\n{e}"));
    assert!(
        d.path.starts_with(path),
        "{code} at `{}`, expected `{path}`",
        d.path
    );
}

fn one_route(route: Route) -> ServerlessApiProps {
    ServerlessApiProps::new(table())
        .function("F", function())
        .route(route)
}

#[test]
fn duplicate_route_keys_are_reported() {
    for second in ["GET /items/{id}", "GET /items/{itemId}"] {
        assert_reports(
            ServerlessApiProps::new(table())
                .function("F", function())
                .route(Route::new("GET /items/{id}", "F").reads_item())
                .route(Route::new(second, "F").reads_item()),
            Code::DuplicateRouteKey,
            "Svc/Api/Routes/",
        );
    }
}

#[test]
fn malformed_route_keys_are_reported() {
    for key in [
        "GET",
        "get /items",
        "GET items",
        "GET /items/",
        "GET /{proxy+}/x",
        "GET /items/{id-x}",
    ] {
        assert_reports(
            one_route(Route::new(key, "F").reads_item()),
            Code::InvalidRouteKey,
            &format!("Svc/Api/Routes/{key}"),
        );
    }
    // A greedy parameter last, and `$default`, are fine.
    synth(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("ANY /files/{proxy+}", "F").reads_item())
            .route(Route::new("$default", "F")),
    );
}

#[test]
fn a_key_on_an_undeclared_attribute_is_reported() {
    assert_reports(
        ServerlessApiProps::new(
            TableProps::new("itemId", AttributeType::String)
                .index(GlobalIndex::new("byOwner", "ownerId")),
        )
        .function("F", function())
        .route(Route::new("GET /x", "F").reads_item()),
        Code::UnknownIndexAttribute,
        "Svc/Api/Table",
    );
}

#[test]
fn a_route_on_an_undeclared_index_is_reported() {
    assert_reports(
        one_route(Route::new("GET /x", "F").queries_index("byNothing")),
        Code::UnknownIndex,
        "Svc/Api/Routes/GET /x",
    );
}

#[test]
fn memory_and_timeout_out_of_range_are_reported() {
    for mb in [0, 127, 10_241] {
        assert_reports(
            ServerlessApiProps::new(table())
                .function("F", function().memory_mb(mb))
                .route(Route::new("GET /x", "F")),
            Code::LambdaMemoryOutOfRange,
            "Svc/Api/FFunction",
        );
    }
    for secs in [0, 31, 900] {
        assert_reports(
            ServerlessApiProps::new(table())
                .function("F", function().timeout_secs(secs))
                .route(Route::new("GET /x", "F")),
            Code::LambdaTimeoutOutOfRange,
            "Svc/Api/FFunction",
        );
    }
    for (mb, secs) in [(128, 1), (10_240, 30)] {
        synth(
            ServerlessApiProps::new(table())
                .function("F", function().memory_mb(mb).timeout_secs(secs))
                .route(Route::new("GET /x", "F")),
        );
    }
}

#[test]
fn a_deprecated_runtime_is_reported_and_a_newer_one_accepted() {
    let with = |runtime: &str| {
        ServerlessApiProps::new(table())
            .function(
                "F",
                FunctionProps::new(
                    Runtime::Other(runtime.to_owned()),
                    "index.handler",
                    FunctionCode::inline("x"),
                ),
            )
            .route(Route::new("GET /x", "F"))
    };
    for old in ["nodejs20.x", "python3.9", "go1.x", "dotnet8"] {
        assert_reports(with(old), Code::DeprecatedRuntime, "Svc/Api/FFunction");
    }
    let t = synth(with("nodejs26.x"));
    assert_eq!(
        t["Resources"]["ApiFFunction"]["Properties"]["Runtime"],
        "nodejs26.x"
    );
}

#[test]
fn a_route_without_a_declared_handler_is_reported() {
    assert_reports(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("GET /x", "Missing").reads_item()),
        Code::RouteWithoutHandler,
        "Svc/Api/Routes/GET /x",
    );
    assert_reports(
        ServerlessApiProps::new(table()).route(Route::new("GET /x", "F")),
        Code::RouteWithoutHandler,
        "Svc/Api/Routes/GET /x",
    );
}

#[test]
fn a_route_requiring_a_jwt_without_an_authorizer_is_reported() {
    assert_reports(
        one_route(Route::new("GET /x", "F").authorized(["read"])),
        Code::MissingAuthorizer,
        "Svc/Api/Routes/GET /x",
    );
}

#[test]
fn bad_environment_variable_names_are_reported() {
    for name in ["X", "9LIVES", "MY-VAR", "AWS_REGION", "TABLE_NAME"] {
        assert_reports(
            ServerlessApiProps::new(table())
                .function("F", function().env(name, "v"))
                .route(Route::new("GET /x", "F")),
            Code::InvalidEnvironmentVariable,
            "Svc/Api/FFunction",
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = error(
        ServerlessApiProps::new(table())
            .function("F", function().memory_mb(64).timeout_secs(60))
            .route(Route::new("GET /x", "F"))
            .route(Route::new("GET /x", "F"))
            .route(Route::new("BREW /x", "F")),
    );
    for code in [
        Code::LambdaMemoryOutOfRange,
        Code::LambdaTimeoutOutOfRange,
        Code::DuplicateRouteKey,
        Code::InvalidRouteKey,
    ] {
        assert!(e.has(code), "{code} missing from:\n{e}");
    }
}

#[test]
fn a_bad_or_repeated_route_key_does_not_hide_the_routes_other_problems() {
    let e = error(
        ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("GET /x", "F"))
            .route(Route::new("GET /x", "Missing"))
            .route(Route::new("BREW /a b", "AlsoMissing")),
    );
    let found: Vec<(Code, &str)> = e.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::DuplicateRouteKey, "Svc/Api/Routes/GET /x"),
            (Code::RouteWithoutHandler, "Svc/Api/Routes/GET /x"),
            (Code::InvalidRouteKey, "Svc/Api/Routes/BREW /a b"),
            (Code::InvalidRouteKey, "Svc/Api/Routes/BREW /a b"),
            (Code::RouteWithoutHandler, "Svc/Api/Routes/BREW /a b"),
        ],
        "{e}"
    );
}

/// The template of an API whose alarms notify a topic of the same stack, encrypted as `key`
/// says: `None` for the AWS managed key, else a customer managed key with these statements
/// besides the account's own.
fn alarms_to_a_topic(key: Option<Vec<Statement>>) -> Result<Json, SynthError> {
    synth_tests::synth_stack("Svc", |stack| {
        let mut topic_props = TopicProps::new();
        if let Some(statements) = key {
            let admin = Statement::allow(Action::new("kms:*").unwrap())
                .principal(Principal::aws("arn:aws:iam::123456789012:root"))
                .resource("*");
            let policy = statements.into_iter().fold(
                PolicyDocument::new().statement(admin),
                PolicyDocument::statement,
            );
            let key = stack.add("AlarmsKey", Key::new().key_policy(policy));
            topic_props = topic_props.kms_key(&key);
        }
        let topic = Topic::new(stack, "Alarms", topic_props);
        let props = ServerlessApiProps::new(table())
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item())
            .alarm_topic(&topic);
        ServerlessApi::new(stack, "Api", props);
    })
}

#[test]
fn alarms_notify_only_a_topic_whose_key_cloudwatch_may_use() {
    // The AWS managed key: CloudWatch cannot use it, so no notification would ever arrive.
    let error = alarms_to_a_topic(None).unwrap_err();
    let found: Vec<_> = error.errors().map(|d| (d.code, d.path.clone())).collect();
    assert_eq!(
        found,
        [(Code::UnsupportedEncryption, "Svc/Api/AlarmTopic".to_owned())]
    );
    let diagnostic = error.errors().next().unwrap();
    assert!(
        diagnostic.message.contains("alias/aws/sns"),
        "{}",
        diagnostic.message
    );
    assert!(
        diagnostic
            .hint
            .as_deref()
            .unwrap()
            .contains("cloudwatch.amazonaws.com"),
        "{:?}",
        diagnostic.hint
    );

    // A customer managed key whose policy does not let CloudWatch in.
    let error = alarms_to_a_topic(Some(Vec::new())).unwrap_err();
    let diagnostic = error.errors().next().unwrap();
    assert_eq!(diagnostic.code, Code::UnsupportedEncryption);
    assert!(
        diagnostic.message.contains("`AlarmsKey`"),
        "{}",
        diagnostic.message
    );
    // Another service's statement does not count.
    let events = TopicPublisher::EventBridge.key_statement();
    assert!(alarms_to_a_topic(Some(vec![events])).is_err());

    // With the statement AWS documents, the alarms notify the topic.
    let t = alarms_to_a_topic(Some(vec![TopicPublisher::CloudWatch.key_statement()])).unwrap();
    let key_policy = &t["Resources"]["AlarmsKey"]["Properties"]["KeyPolicy"]["Statement"][1];
    assert_eq!(
        key_policy["Principal"],
        json!({"Service": ["cloudwatch.amazonaws.com"]})
    );
    assert_eq!(
        key_policy["Action"],
        json!(["kms:Decrypt", "kms:GenerateDataKey"])
    );
    let alarms = resources(&t, "AWS::CloudWatch::Alarm");
    assert!(!alarms.is_empty());
    for (_, alarm) in &alarms {
        assert_eq!(
            alarm["Properties"]["AlarmActions"],
            json!([{"Ref": "AlarmsTopic"}])
        );
        assert_eq!(
            alarm["Properties"]["OKActions"],
            json!([{"Ref": "AlarmsTopic"}])
        );
    }
    assert!(check_template(&t).is_empty(), "{:#?}", check_template(&t));
}

/// Every error of a synth, as (code, path).
fn found(e: &SynthError) -> Vec<(Code, &str)> {
    e.errors().map(|d| (d.code, d.path.as_str())).collect()
}

#[test]
fn cors_that_api_gateway_rejects_is_reported_at_the_api_all_at_once() {
    let e = error(
        one_route(Route::new("GET /x", "F").reads_item()).cors(
            CorsConfig::new([
                "*",
                "https://app.example.com/",
                "app.example.com",
                "https://app.example.com:0",
                "https://*.example.com",
            ])
            .allow_credentials()
            .allow_headers(["content-type", "x bad", ""])
            .allow_methods(["GET", "FETCH", "get"])
            .max_age_secs(86_401),
        ),
    );
    let at = "Svc/Api/HttpApi";
    let cors = Code::InvalidCors;
    assert_eq!(found(&e), [(cors, at); 10], "{e}");
    let text = e.to_string();
    for part in [
        "credentials for the origin `*`",
        "`https://app.example.com/` has a path",
        "`app.example.com` has no `scheme://`",
        "`https://app.example.com:0` has a port",
        "`https://*.example.com` has a malformed host",
        "`x bad` is not a header name",
        "`` is not a header name",
        "`FETCH` is not a method",
        "`get` is not a method",
        "86401 s is over 86400 s",
    ] {
        assert!(text.contains(part), "`{part}` missing from:\n{text}");
    }
    assert!(e.errors().all(|d| d.hint.is_some()));
}

#[test]
fn well_formed_cors_is_accepted() {
    let t = synth(
        one_route(Route::new("GET /x", "F").reads_item()).cors(
            CorsConfig::new([
                "https://app.example.com",
                "http://localhost:3000",
                "http://[::1]:8080",
                "https://*",
            ])
            .allow_credentials()
            .allow_headers(["*", "x-api-key"])
            .allow_methods(["*", "OPTIONS"])
            .max_age_secs(86_400),
        ),
    );
    let cors = &t["Resources"]["ApiHttpApi"]["Properties"]["CorsConfiguration"];
    assert_eq!(cors["AllowCredentials"], json!(true));
    assert_eq!(cors["MaxAge"], json!(86_400));
    // Without credentials, any origin is fine.
    synth(one_route(Route::new("GET /x", "F").reads_item()).cors(CorsConfig::new(["*"])));
}

#[test]
fn a_throttling_rate_that_is_not_a_finite_non_negative_number_is_refused() {
    for rate in [f64::NAN, f64::INFINITY, -1.0] {
        let e = error(one_route(Route::new("GET /x", "F").reads_item()).throttling(rate, 10));
        // One report, at the stage: the rate is left out of the template, so the general
        // non-finite number check does not report it again.
        assert_eq!(
            found(&e),
            [(Code::InvalidThrottling, "Svc/Api/DefaultStage")],
            "{e}"
        );
    }
    let t = synth(one_route(Route::new("GET /x", "F").reads_item()).throttling(0.0, 0));
    let settings = &t["Resources"]["ApiDefaultStage"]["Properties"]["DefaultRouteSettings"];
    assert_eq!(settings["ThrottlingRateLimit"], json!(0.0));
}

#[test]
fn a_table_dynamodb_rejects_is_reported_at_the_table_all_at_once() {
    let many = (0..21).fold(
        TableProps::new("id", AttributeType::String)
            .sort_key("id", AttributeType::String)
            .attribute("user", AttributeType::String)
            .attribute("user", AttributeType::Number)
            .provisioned(0, 5)
            .ttl_attribute(""),
        |t, i| t.index(GlobalIndex::new(format!("byUser{i}"), "user")),
    );
    let table = many
        .index(GlobalIndex::new("byUser0", "user").sort_key("user"))
        .index(GlobalIndex::new("by user", "user").include(Vec::<String>::new()))
        .index(GlobalIndex::new("ix", "user").include(["a".repeat(256)]));
    let e = error(
        ServerlessApiProps::new(table)
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item()),
    );
    let at = "Svc/Api/Table";
    assert_eq!(
        found(&e),
        [
            (Code::InvalidKeySchema, at),
            (Code::InvalidKeySchema, at),
            (Code::InvalidKeySchema, at),
            (Code::InvalidKeySchema, at),
            (Code::DuplicateIndexName, at),
            (Code::InvalidIndexName, at),
            (Code::InvalidProjection, at),
            (Code::InvalidIndexName, at),
            (Code::InvalidProjection, at),
            (Code::TooManyIndexes, at),
            (Code::ValueOutOfRange, at),
        ],
        "{e}"
    );
    let text = e.to_string();
    for part in [
        "the table has `id` as both its partition key and its sort key",
        "index `byUser0` has `user` as both",
        "`user` is declared as `S` and as `N`",
        "the attribute name `` is 0 characters long",
        "two indexes are named `byUser0`",
        "`by user` holds ` `",
        "`ix` is 2 characters long, not 3–255",
        "24 global secondary indexes; DynamoDB allows 20",
        "read capacity of 0 units",
    ] {
        assert!(text.contains(part), "`{part}` missing from:\n{text}");
    }
}

#[test]
fn projections_are_written_as_asked() {
    let table = TableProps::new("itemId", AttributeType::String)
        .attribute("userId", AttributeType::String)
        .index(GlobalIndex::new("byUser", "userId").keys_only())
        .index(GlobalIndex::new("byUser.slim", "userId").include(["title"]));
    let t = synth(
        ServerlessApiProps::new(table)
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item()),
    );
    let gsis = &t["Resources"]["ApiTable"]["Properties"]["GlobalSecondaryIndexes"];
    assert_eq!(
        gsis[0]["Projection"],
        json!({"ProjectionType": "KEYS_ONLY"})
    );
    assert_eq!(
        gsis[1]["Projection"],
        json!({"NonKeyAttributes": ["title"], "ProjectionType": "INCLUDE"})
    );
}

#[test]
fn more_than_100_included_attributes_across_indexes_are_reported() {
    let names = |prefix: &'static str| (0..50).map(move |i| format!("{prefix}{i}"));
    let table = TableProps::new("itemId", AttributeType::String)
        .attribute("userId", AttributeType::String)
        .index(GlobalIndex::new("one", "userId").include(names("a")))
        .index(GlobalIndex::new("two", "userId").include(names("b")));
    synth(
        ServerlessApiProps::new(table.clone())
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item()),
    );
    let table = table.index(GlobalIndex::new("three", "userId").include(["c"]));
    let e = error(
        ServerlessApiProps::new(table)
            .function("F", function())
            .route(Route::new("GET /x", "F").reads_item()),
    );
    assert_eq!(found(&e), [(Code::InvalidProjection, "Svc/Api/Table")]);
    assert!(e.to_string().contains("`three`") && e.to_string().contains("101"));
}
