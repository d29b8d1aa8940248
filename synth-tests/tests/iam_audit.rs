//! One IAM audit over the whole template: every policy synth writes, L1 included, is checked
//! at synth (a finding fails synth with its code at the resource's construct path), and
//! `--explain-iam` lists every policy of the template.

use constructs::cfn::iam::{ManagedPolicy, Policy};
use constructs::cfn::kms::Key;
use constructs::cfn::lambda::Permission;
use constructs::cfn::sqs::{Queue, QueuePolicy};
use constructs::iam::{Action, PolicyDocument, Principal, Sid, Statement};
use constructs::{App, Code, ResourceOptions, Stack, Value};
use serde_json::Value as Json;

fn action(name: &str) -> Action {
    Action::new(name).unwrap()
}

fn assemble(stack: Stack) -> Result<constructs::synth::Assembly, constructs::SynthError> {
    let mut app = App::new();
    app.add_stack(stack);
    app.assemble()
}

fn errors(error: &constructs::SynthError) -> Vec<(Code, String)> {
    error.errors().map(|d| (d.code, d.path.clone())).collect()
}

fn dynamodb_star() -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::allow(action("dynamodb:*"))
            .resource("arn:aws:dynamodb:us-east-1:123456789012:table/legacy")
            .sid(Sid::new("Legacy").unwrap()),
    )
}

#[test]
fn an_l1_service_wildcard_policy_fails_synth_at_its_path() {
    let mut stack = Stack::new("Data");
    let names: Value<constructs::kinds::List<String>> = vec!["SomeRole".to_owned()].into();
    stack.scope().child("Legacy").add(
        "Access",
        Policy::new(dynamodb_star(), "Legacy").roles(names),
    );
    let error = assemble(stack).unwrap_err();
    assert_eq!(
        errors(&error),
        [(
            Code::ServiceWildcardIamAction,
            "Data/Legacy/Access".to_owned()
        )]
    );
    let d = error.errors().next().unwrap();
    assert!(d.message.contains("dynamodb:*"), "{}", d.message);
    assert!(d.hint.as_deref().unwrap().contains("iam_exemption"));
}

#[test]
fn an_exemption_with_a_reason_accepts_exactly_its_finding() {
    let sid = Sid::new("Legacy").unwrap();
    let with = |reason: &str, code: Code| {
        let mut stack = Stack::new("Data");
        stack.add_with(
            "Access",
            ManagedPolicy::new(dynamodb_star()),
            ResourceOptions::new().iam_exemption(&sid, code, reason),
        );
        assemble(stack)
    };
    let assembly = with(
        "the migration tool needs every action",
        Code::ServiceWildcardIamAction,
    )
    .unwrap();
    let json = &assembly.stack("Data").unwrap().json;
    assert!(json.contains("the migration tool needs every action"));
    // The wrong code accepts nothing.
    let error = with("because", Code::WildcardIamResource).unwrap_err();
    assert_eq!(
        errors(&error),
        [(Code::ServiceWildcardIamAction, "Data/Access".to_owned())]
    );
    // No reason: the exemption itself is reported, and accepts nothing.
    let error = with("  ", Code::ServiceWildcardIamAction).unwrap_err();
    let mut codes: Vec<Code> = error.errors().map(|d| d.code).collect();
    codes.sort();
    assert_eq!(
        codes,
        [Code::ServiceWildcardIamAction, Code::InvalidIamExemption]
    );
}

#[test]
fn two_policies_on_one_queue_fail_synth() {
    let mut stack = Stack::new("Jobs");
    let queue = stack.add("Queue", Queue::new());
    let document = || {
        PolicyDocument::new().statement(
            Statement::allow(action("sqs:SendMessage"))
                .principal(Principal::aws("arn:aws:iam::123456789012:root"))
                .resource(queue.att_arn()),
        )
    };
    stack.add(
        "First",
        QueuePolicy::new(document(), vec![queue.reference()]),
    );
    stack.add(
        "Second",
        QueuePolicy::new(document(), vec![queue.reference()]),
    );
    let error = assemble(stack).unwrap_err();
    assert_eq!(
        errors(&error),
        [(Code::DuplicateResourcePolicy, "Jobs/Second".to_owned())]
    );
    assert!(error.errors().next().unwrap().message.contains("`First`"));
}

#[test]
fn a_lambda_permission_for_a_service_needs_a_source() {
    let mut stack = Stack::new("Fn");
    stack.add(
        "Invoke",
        Permission::new("lambda:InvokeFunction", "my-function", "sns.amazonaws.com"),
    );
    let error = assemble(stack).unwrap_err();
    assert_eq!(
        errors(&error),
        [(Code::MissingSourceCondition, "Fn/Invoke".to_owned())]
    );
    let mut stack = Stack::new("Fn");
    stack.add(
        "Invoke",
        Permission::new("lambda:InvokeFunction", "my-function", "sns.amazonaws.com")
            .source_arn("arn:aws:sns:us-east-1:123456789012:alerts"),
    );
    assert!(assemble(stack).is_ok());
}

#[test]
fn a_key_policy_is_checked_and_its_default_statement_passes() {
    let admin = Statement::allow(action("kms:*"))
        .principal(Principal::aws("arn:aws:iam::123456789012:root"))
        .resource("*");
    let mut stack = Stack::new("Keys");
    stack.add(
        "Key",
        Key::new().key_policy(PolicyDocument::new().statement(admin.clone())),
    );
    assert!(assemble(stack).is_ok());
    // `kms:*` for anyone else is a wildcard.
    let everyone = Statement::allow(action("kms:*"))
        .principal(Principal::service("logs.amazonaws.com").unwrap())
        .resource("*");
    let mut stack = Stack::new("Keys");
    stack.add(
        "Key",
        Key::new().key_policy(PolicyDocument::new().statement(admin).statement(everyone)),
    );
    let error = assemble(stack).unwrap_err();
    assert_eq!(
        errors(&error),
        [(Code::ServiceWildcardIamAction, "Keys/Key".to_owned())]
    );
}

/// The resources of a template that hold a policy, as `--explain-iam` counts them.
fn policies_in(template: &Json) -> usize {
    const TYPES: &[&str] = &[
        "AWS::IAM::Role",
        "AWS::IAM::User",
        "AWS::IAM::Group",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::S3::BucketPolicy",
        "AWS::KMS::Key",
        "AWS::Lambda::Permission",
    ];
    template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| TYPES.contains(&r["Type"].as_str().unwrap()))
        .count()
}

#[test]
fn the_report_lists_every_policy_of_every_example() {
    let mut listed_total = 0;
    for (name, build) in examples::EXAMPLES {
        let assembly = build().assemble().unwrap_or_else(|e| panic!("{name}: {e}"));
        for stack in &assembly.stacks {
            let template: Json = serde_json::from_str(&stack.json).unwrap();
            let mut listed: Vec<&str> =
                stack.iam_report.iter().map(|e| e.policy.as_str()).collect();
            listed.dedup();
            assert_eq!(
                listed.len(),
                policies_in(&template),
                "{name}/{}: {listed:#?}",
                stack.name
            );
            listed_total += listed.len();
            // Every statement is explained by a grant or by the resource it is written in.
            for explanation in &stack.iam_report {
                for grant in &explanation.grants {
                    assert!(!grant.grant.is_empty(), "{name}: {explanation}");
                }
            }
        }
    }
    assert!(listed_total > 10, "only {listed_total} policies listed");
}

#[test]
fn an_l1_policy_is_in_the_report_with_its_resource() {
    let mut stack = Stack::new("Data");
    let queue = stack.add("Queue", Queue::new());
    let names: Value<constructs::kinds::List<String>> = vec!["SomeRole".to_owned()].into();
    stack.add(
        "Send",
        Policy::new(
            PolicyDocument::new()
                .statement(Statement::allow(action("sqs:SendMessage")).resource(queue.att_arn())),
            "Send",
        )
        .roles(names),
    );
    let assembly = assemble(stack).unwrap();
    let report = &assembly.stack("Data").unwrap().iam_report;
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].policy, "Data/Send");
    assert_eq!(report[0].principal, "role SomeRole");
    assert_eq!(
        report[0].grants[0].grant,
        "Allow sqs:SendMessage (written in AWS::IAM::Policy Data/Send)"
    );
    assert_eq!(report[0].grants[0].resources, ["Queue.Arn"]);
}
