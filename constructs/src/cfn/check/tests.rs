use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::json;

use super::*;
use crate::cfn::{ec2, lambda, logs, sqs, RawResource};
use crate::resource::Resource;
use crate::{fns, App, Stack};

fn problems(type_name: &str, properties: IndexMap<String, Expr>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_properties(type_name, &properties, "App/Thing", &mut out);
    out
}

fn of(resource: impl Resource) -> Vec<Diagnostic> {
    let type_name = resource.type_name().to_owned();
    problems(&type_name, resource.into_properties())
}

fn codes(found: &[Diagnostic]) -> Vec<(Code, String)> {
    found.iter().map(|d| (d.code, d.message.clone())).collect()
}

/// A literal id or ARN, where the typed setters take handles.
fn literal<T>(text: &str) -> crate::Value<T> {
    crate::Value::unchecked(Expr::string(text))
}

fn role<T>() -> crate::Value<T> {
    literal("arn:aws:iam::123456789012:role/fn")
}

fn function(name: &str) -> lambda::Function {
    lambda::Function::new(
        lambda::function::Code::new().zip_file("def h(e, c): pass"),
        role(),
    )
    .runtime("python3.13")
    .handler("index.h")
    .function_name(name)
}

#[test]
fn a_string_longer_than_the_schema_allows_is_refused_with_its_property_path() {
    let found = of(function("f").description("d".repeat(257)));
    assert_eq!(
        codes(&found),
        [(
            Code::SchemaLength,
            "`Properties.Description`: 257 characters; at most 256 are allowed".to_owned()
        )]
    );
    assert_eq!(found[0].path, "App/Thing");
    assert!(found[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("AWS::Lambda::Function"));
    assert!(of(function("f").description("d".repeat(256))).is_empty());
}

#[test]
fn a_function_name_of_65_characters_is_refused() {
    // The schema allows 140 characters for an ARN, and 64 for a name, in its pattern.
    let found = of(function(&"f".repeat(65)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::SchemaPattern);
    assert!(of(function(&"f".repeat(64))).is_empty());
}

#[test]
fn a_pattern_is_searched_as_the_schema_writes_it() {
    let found = of(function("my function"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::SchemaPattern);
    assert!(found[0].message.contains("`my function` does not match"));
    assert!(of(function(
        "arn:aws:lambda:eu-west-1:123456789012:function:my-fn"
    ))
    .is_empty());
}

#[test]
fn a_retention_the_service_does_not_offer_is_not_one_of_the_enumerated_days() {
    let found = of(logs::LogGroup::new().retention_in_days(31));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::SchemaEnum);
    assert!(found[0]
        .message
        .starts_with("`Properties.RetentionInDays`: `31` is not one of 1, 3, 5, 7"));
    assert!(of(logs::LogGroup::new().retention_in_days(30)).is_empty());
}

#[test]
fn numbers_and_numeric_strings_are_checked_against_the_range() {
    let found = of(sqs::Queue::new().message_retention_period(30));
    assert_eq!(
        codes(&found),
        [(
            Code::SchemaRange,
            "`Properties.MessageRetentionPeriod`: 30 is less than the minimum, 60".to_owned()
        )]
    );
    let raw =
        RawResource::new("AWS::SQS::Queue").property("MessageRetentionPeriod", json!("2000000"));
    let found = of(raw);
    assert_eq!(found.len(), 1);
    assert!(found[0]
        .message
        .contains("2000000 is more than the maximum, 1209600"));
}

#[test]
fn every_violation_of_a_resource_is_reported_at_once() {
    let found = of(sqs::Queue::new()
        .message_retention_period(30)
        .maximum_message_size(10)
        .delay_seconds(901));
    let found: Vec<Code> = found.iter().map(|d| d.code).collect();
    assert_eq!(found, [Code::SchemaRange; 3]);
}

#[test]
fn exactly_one_of_a_required_xor_group_is_needed() {
    let both = ec2::SecurityGroupIngress::new("tcp")
        .group_id(literal("sg-12345678"))
        .cidr_ip("10.0.0.0/16")
        .cidr_ipv6("::/0");
    let found = of(both);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::SchemaRequired);
    assert!(found[0]
        .message
        .contains("exactly one of `CidrIp`, `CidrIpv6`"));
    assert!(found[0].message.ends_with("`CidrIp`, `CidrIpv6` are set"));

    let none = ec2::SecurityGroupIngress::new("tcp").group_id(literal("sg-12345678"));
    assert!(of(none)[0].message.ends_with("none is set"));

    // A `Fn::If` may leave either out: not known at synth.
    let conditional = RawResource::new("AWS::EC2::SecurityGroupIngress")
        .property("IpProtocol", json!("tcp"))
        .property(
            "CidrIp",
            json!({"Fn::If": ["V4", "10.0.0.0/16", {"Ref": "AWS::NoValue"}]}),
        )
        .property("CidrIpv6", json!("::/0"));
    assert!(of(conditional).is_empty());
}

#[test]
fn required_and_dependent_properties_are_checked_on_raw_resources() {
    let found = of(RawResource::new("AWS::Logs::LogGroup")
        .property("DataProtectionPolicy", json!({}))
        .property("RetentionInDays", json!(14)));
    assert!(found.is_empty(), "{found:?}");

    let found = of(RawResource::new("AWS::EC2::SecurityGroup"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::SchemaRequired);
    assert_eq!(
        found[0].message,
        "`Properties`: `GroupDescription` is required but missing"
    );
}

#[test]
fn items_are_counted_and_must_be_unique_where_the_schema_says_so() {
    let layer = "arn:aws:lambda:eu-west-1:123456789012:layer:shared:3";
    let found = of(function("f").layers([layer, layer]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::SchemaItems);
    assert_eq!(
        found[0].message,
        "`Properties.Layers`: items 0 and 1 are equal; the items must be unique"
    );

    let many: Vec<crate::Value<_>> = (0..6).map(|i| literal(&format!("sg-{i}"))).collect();
    let vpc = lambda::function::VpcConfig::new().security_group_ids(many);
    let found = of(function("f").vpc_config(vpc));
    assert!(
        found
            .iter()
            .any(|d| d.message.contains("6 items; at most 5 are allowed")),
        "{found:?}"
    );
}

#[test]
fn values_computed_at_deploy_time_are_skipped() {
    let by_ref =
        function("x").function_name(fns::sub("${AWS::StackName}-a-name-that-could-be-long"));
    assert!(of(by_ref).is_empty());
    let raw = RawResource::new("AWS::Logs::LogGroup")
        .property("RetentionInDays", json!({"Ref": "Days"}))
        .property("LogGroupName", json!({"Fn::Sub": "${AWS::StackName}"}));
    assert!(of(raw).is_empty());
}

#[test]
fn types_without_a_table_are_not_checked() {
    let raw = RawResource::new("AWS::Route53::HostedZone").property("Name", json!(""));
    assert!(of(raw).is_empty());
}

#[test]
fn the_check_runs_when_the_app_is_synthesized() {
    let mut app = App::new();
    let mut stack = Stack::new("Logs");
    stack.add("Audit", logs::LogGroup::new().retention_in_days(31));
    stack.add(
        "Raw",
        RawResource::new("AWS::Logs::LogGroup").property("RetentionInDays", json!(45)),
    );
    app.add_stack(stack);
    let errors = app.assemble().unwrap_err();
    let found: Vec<(&str, Code)> = errors.errors().map(|d| (d.path.as_str(), d.code)).collect();
    assert_eq!(
        found,
        [
            ("Logs/Audit", Code::SchemaEnum),
            ("Logs/Raw", Code::SchemaEnum)
        ]
    );
}

/// Every node reachable from the table, each once (the table has cycles).
fn all_nodes() -> Vec<&'static Node> {
    let types = include_str!("../../../../codegen/schemas/TYPES");
    let mut seen: HashSet<*const Node> = HashSet::new();
    let mut todo: Vec<&'static Node> = types
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(constraints::of)
        .collect();
    let mut out = Vec::new();
    while let Some(n) = todo.pop() {
        if !seen.insert(n as *const Node) {
            continue;
        }
        out.push(n);
        todo.extend(n.items);
        todo.extend(n.values);
        todo.extend(n.props.iter().map(|(_, c)| *c));
    }
    out
}

#[test]
fn every_generated_pattern_compiles_here() {
    let nodes = all_nodes();
    let patterns: Vec<&Pattern> = nodes.iter().filter_map(|n| n.pattern).collect();
    assert!(patterns.len() > 50, "{} patterns", patterns.len());
    for p in patterns {
        assert!(Regex::new(p.rust).is_ok(), "{} does not compile", p.rust);
    }
    assert!(nodes.iter().any(|n| n.max_len.is_some()));
    assert!(nodes.iter().any(|n| !n.required_xor.is_empty()));
}
