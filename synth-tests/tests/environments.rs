//! Stacks pinned to an account and Region: the pin is checked, references across Regions or
//! accounts are refused (exports are per account and Region), and the printed deploy command
//! of a pinned stack deploys to its Region.

use std::fs;

use constructs::cfn::ec2::Vpc;
use constructs::cfn::logs::LogGroup;
use constructs::synth::run_with_args;
use constructs::{App, Code, Env, Stack};

fn pinned(name: &str, account: Option<&str>, region: Option<&str>) -> Stack {
    Stack::new(name).env(Env {
        account: account.map(str::to_owned),
        region: region.map(str::to_owned),
    })
}

/// A producer with a VPC and a consumer whose log group is named after the VPC's id, so the
/// consumer imports it.
fn producer_and_consumer(producer: Stack, mut consumer: Stack) -> App {
    let mut producer = producer;
    let vpc = producer.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    consumer.add(
        "Logs",
        LogGroup::new()
            .log_group_name(constructs::fns::sub_with(
                "/vpc/${Id}",
                [(
                    "Id",
                    constructs::Value::unchecked(vpc.reference().into_expr()),
                )],
            ))
            .retention_in_days(7),
    );
    let mut app = App::new();
    app.add_stack(producer);
    app.add_stack(consumer);
    app
}

#[test]
fn a_reference_to_a_stack_pinned_to_another_region_is_refused() {
    let app = producer_and_consumer(
        pinned("Network", None, Some("us-east-1")),
        pinned("Api", None, Some("eu-west-1")),
    );
    let err = app.assemble().unwrap_err();
    let found: Vec<_> = err.errors().collect();
    assert_eq!(found.len(), 1, "{err}");
    assert_eq!(found[0].code, Code::CrossEnvironmentReference);
    assert_eq!(found[0].path, "Api");
    assert!(
        found[0].message.contains(
            "stack `Api` (Region eu-west-1) references `Vpc` of stack `Network`, pinned to Region us-east-1"
        ),
        "{}",
        found[0].message
    );
}

#[test]
fn a_reference_to_a_stack_pinned_to_another_account_is_refused() {
    let app = producer_and_consumer(
        pinned("Network", Some("111111111111"), Some("eu-west-1")),
        pinned("Api", Some("222222222222"), Some("eu-west-1")),
    );
    let err = app.assemble().unwrap_err();
    assert!(err.has(Code::CrossEnvironmentReference), "{err}");
}

#[test]
fn references_within_one_region_or_between_unpinned_stacks_are_imports() {
    for (p, c) in [
        (Some("eu-west-1"), Some("eu-west-1")),
        (None, Some("eu-west-1")),
        (None, None),
    ] {
        let app = producer_and_consumer(pinned("Network", None, p), pinned("Api", None, c));
        let assembly = app.assemble().unwrap();
        assert!(assembly
            .stack("Api")
            .unwrap()
            .json
            .contains("Fn::ImportValue"));
    }
}

#[test]
fn a_region_aws_does_not_have_and_a_malformed_account_are_refused() {
    let mut app = App::new();
    let mut stack = pinned("Api", Some("1234"), Some("eu-wset-1"));
    stack.add("Logs", LogGroup::new().retention_in_days(7));
    app.add_stack(stack);
    let err = app.assemble().unwrap_err();
    let found: Vec<_> = err.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::InvalidEnvironment, "Api"),
            (Code::InvalidEnvironment, "Api")
        ],
        "{err}"
    );
    assert!(err.to_string().contains("did you mean `eu-west-1`?"));
}

#[test]
fn the_deploy_command_of_a_pinned_stack_names_its_region() {
    let mut app = App::new();
    for stack in [
        pinned("Here", None, Some("ap-southeast-4")),
        pinned("Anywhere", None, None),
    ] {
        let mut stack = stack;
        stack.add("Logs", LogGroup::new().retention_in_days(7));
        app.add_stack(stack);
    }
    let out = tempfile::tempdir().unwrap();
    let run = run_with_args(&app, ["--out", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let command = |i: usize| {
        manifest["stacks"][i]["deploy"]["command"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        command(0).ends_with(" --region ap-southeast-4"),
        "{}",
        command(0)
    );
    assert!(!command(1).contains("--region"), "{}", command(1));
}
