//! Least privilege, proven: every policy of every template every example emits is checked
//! against the vendored copy of AWS's service authorization reference. Each action must exist,
//! accept the ARNs it is paired with, use valid condition keys, never be a wildcard; service
//! principals in resource policies carry a source condition; no AWS managed policy is attached.

use constructs::iam::check_template;
use constructs::Code;
use serde_json::{json, Value as Json};

fn example_templates() -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for (name, build) in examples::EXAMPLES {
        let assembly = build().assemble().unwrap_or_else(|e| panic!("{name}: {e}"));
        for stack in &assembly.stacks {
            out.push((
                format!("{name}/{}", stack.name),
                serde_json::from_str(&stack.json).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn every_example_policy_passes_the_dataset_check() {
    let mut checked_roles = 0;
    for (name, template) in example_templates() {
        let findings = check_template(&template);
        assert!(findings.is_empty(), "{name}:\n{findings:#?}");
        checked_roles += template["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::IAM::Role")
            .count();
    }
    // The check must have had something to check.
    assert!(
        checked_roles >= 2,
        "only {checked_roles} roles in the examples"
    );
}

/// The vpc_three_tier template, with `edit` applied to its flow-log role's inline policy.
fn vpc_template_with(edit: impl FnOnce(&mut Json)) -> Json {
    let (_, mut template) = example_templates()
        .into_iter()
        .find(|(name, _)| name == "vpc_three_tier/Network")
        .expect("the vpc_three_tier example");
    let statement = &mut template["Resources"]["NetworkFlowLogRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"][0];
    edit(statement);
    template
}

fn codes(template: &Json) -> Vec<Code> {
    check_template(template)
        .into_iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn an_introduced_wildcard_action_fails() {
    let t = vpc_template_with(|s| s["Action"] = json!(["logs:*"]));
    assert!(
        codes(&t).contains(&Code::ServiceWildcardIamAction),
        "{:?}",
        codes(&t)
    );
    let t = vpc_template_with(|s| s["Action"] = json!(["*"]));
    assert!(
        codes(&t).contains(&Code::WildcardIamAction),
        "{:?}",
        codes(&t)
    );
}

#[test]
fn an_introduced_mismatched_arn_fails() {
    let t = vpc_template_with(
        |s| s["Resource"] = json!([{"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"}]),
    );
    assert!(
        codes(&t).contains(&Code::IamArnTypeMismatch),
        "{:?}",
        codes(&t)
    );
}

#[test]
fn an_introduced_wildcard_resource_or_unknown_action_fails() {
    let t = vpc_template_with(|s| s["Resource"] = json!(["*"]));
    assert!(
        codes(&t).contains(&Code::WildcardIamResource),
        "{:?}",
        codes(&t)
    );
    let t = vpc_template_with(|s| s["Action"] = json!(["logs:PutLogEvent"]));
    assert!(
        codes(&t).contains(&Code::UnknownIamAction),
        "{:?}",
        codes(&t)
    );
}

#[test]
fn an_attached_aws_managed_policy_fails() {
    let mut t = vpc_template_with(|_| {});
    t["Resources"]["NetworkFlowLogRole"]["Properties"]["ManagedPolicyArns"] =
        json!(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    assert!(
        codes(&t).contains(&Code::AwsManagedPolicy),
        "{:?}",
        codes(&t)
    );
}

#[test]
fn every_lambda_permission_for_a_service_is_scoped_to_its_source() {
    let mut permissions = 0;
    for (name, template) in example_templates() {
        for (id, resource) in template["Resources"].as_object().unwrap() {
            if resource["Type"] != "AWS::Lambda::Permission" {
                continue;
            }
            let properties = &resource["Properties"];
            let principal = properties["Principal"].as_str().unwrap_or_default();
            if principal.ends_with(".amazonaws.com") {
                permissions += 1;
                assert!(
                    properties.get("SourceArn").is_some(),
                    "{name}/{id}: {principal} may invoke without aws:SourceArn"
                );
            }
        }
    }
    assert!(
        permissions >= 2,
        "only {permissions} Lambda permissions in the examples"
    );
}
