//! The examples' command line: formats, `--check`, and argument errors.

use constructs::cfn::logs::LogGroup;
use constructs::network::{Azs, VpcThreeTier, VpcThreeTierProps};
use constructs::synth::run_with_args;
use constructs::{App, Env, Stack};

fn app(retention: i64) -> App {
    let mut app = App::new();
    let mut stack = Stack::new("Cli");
    stack.add("Logs", LogGroup::new().retention_in_days(retention));
    app.add_stack(stack);
    app
}

#[test]
fn writes_the_formats_asked_for_and_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = run_with_args(&app(7), ["--out", out, "--format", "yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("Cli.template.yaml").exists());
    assert!(!dir.path().join("Cli.template.json").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["deployOrder"], serde_json::json!(["Cli"]));
    assert_eq!(
        manifest["stacks"][0]["templates"],
        serde_json::json!(["Cli.template.yaml"])
    );
    let yaml = std::fs::read_to_string(dir.path().join("Cli.template.yaml")).unwrap();
    assert!(
        yaml.starts_with("AWSTemplateFormatVersion: '2010-09-09'\n"),
        "{yaml}"
    );
}

#[test]
fn check_lists_stale_stacks_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    assert_eq!(run_with_args(&app(7), ["--out", out]).code, 0);
    let same = run_with_args(&app(7), ["--out", out, "--check"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let changed = run_with_args(&app(30), ["--out", out, "--check"]);
    assert_eq!(changed.code, 1);
    assert!(changed.stderr.contains("Cli"), "{}", changed.stderr);
    // --check wrote nothing: the file still holds the old retention.
    let body = std::fs::read_to_string(dir.path().join("Cli.template.json")).unwrap();
    assert!(body.contains("\"RetentionInDays\": 7"), "{body}");
}

#[test]
fn files_synth_no_longer_writes_fail_the_check_and_are_removed_by_the_next_synth() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = out_dir.to_str().unwrap();
    assert_eq!(
        run_with_args(&app(7), ["--out", out, "--format", "both"]).code,
        0
    );
    std::fs::write(out_dir.join("notes.txt"), "mine").unwrap();

    // The YAML of the first synth is not what a JSON-only synth leaves.
    let check = run_with_args(&app(7), ["--out", out, "--check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("no longer by this one")
            && check.stderr.contains("Cli.template.yaml"),
        "{}",
        check.stderr
    );
    let run = run_with_args(&app(7), ["--out", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("removed "), "{}", run.stdout);
    assert!(!out_dir.join("Cli.template.yaml").exists());
    // The user's file stays, and synth says it is not its own.
    assert_eq!(
        std::fs::read_to_string(out_dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(run.stderr.contains("foreign-output-file"), "{}", run.stderr);
    let check = run_with_args(&app(7), ["--out", out, "--check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("notes.txt"), "{}", check.stderr);
}

#[test]
fn what_an_interrupted_synth_left_fails_the_check_and_is_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = out_dir.to_str().unwrap();
    assert_eq!(run_with_args(&app(7), ["--out", out]).code, 0);
    let aside = dir.path().join(".out.synth-new.12345");
    std::fs::create_dir(&aside).unwrap();
    std::fs::write(aside.join("Cli.template.json"), "half").unwrap();
    std::fs::write(out_dir.join(".Cli.template.json.tmp999"), "half").unwrap();

    let check = run_with_args(&app(7), ["--out", out, "--check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("interrupted")
            && check.stderr.contains(".out.synth-new.12345")
            && check.stderr.contains(".Cli.template.json.tmp999"),
        "{}",
        check.stderr
    );
    let run = run_with_args(&app(7), ["--out", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!aside.exists());
    assert!(!out_dir.join(".Cli.template.json.tmp999").exists());
    assert_eq!(run_with_args(&app(7), ["--out", out, "--check"]).code, 0);
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let run = run_with_args(&app(7), ["--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown format"));
    assert!(run.stderr.contains("usage:"));
}

#[test]
fn help_names_the_program_as_it_was_started() {
    let run = run_with_args(&app(7), ["--help"]);
    assert_eq!(run.code, 0);
    // This test binary stands for a user's own binary: no `--example` to name.
    let started_as = std::env::args_os().next().unwrap();
    let program = std::path::Path::new(&started_as).file_name().unwrap();
    let program = program.to_str().unwrap();
    let program = program
        .strip_suffix(std::env::consts::EXE_SUFFIX)
        .unwrap_or(program);
    assert!(
        run.stdout
            .starts_with(&format!("usage: {program} [--out DIR] ")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("cargo run --example"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n  --out DIR        where"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_app_without_stacks_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = run_with_args(&App::new(), ["--out".as_ref(), out.as_os_str()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error[empty-app] (app): the app has no stacks to synthesize"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "no directory, no manifest");
}

#[test]
fn synth_errors_exit_1_and_name_the_code() {
    let mut app = App::new();
    app.add_stack(Stack::new("Empty"));
    let dir = tempfile::tempdir().unwrap();
    let run = run_with_args(&app, ["--out", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("empty-template"), "{}", run.stderr);
}

#[test]
fn print_deploy_lists_commands_in_deploy_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let basics = run_with_args(&examples::basics::app(), ["--out", out, "--print-deploy"]);
    assert_eq!(basics.code, 0, "{}", basics.stderr);
    let commands: Vec<&str> = basics
        .stdout
        .lines()
        .filter(|l| l.starts_with("aws "))
        .collect();
    assert_eq!(commands.len(), 2, "{}", basics.stdout);
    assert!(commands[0].contains("--stack-name BasicsNetwork"));
    assert!(commands[1].contains("--stack-name BasicsApp"));
    assert!(commands[0].contains(&format!(
        "--template-file {out}/BasicsNetwork.template.json"
    )));
    assert!(
        !commands[0].contains("--capabilities"),
        "no IAM, no capabilities"
    );
}

#[test]
fn print_deploy_adds_the_iam_capability_where_roles_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let vpc = run_with_args(
        &examples::vpc_three_tier::app(),
        ["--out", out, "--print-deploy"],
    );
    assert_eq!(vpc.code, 0, "{}", vpc.stderr);
    assert!(
        vpc.stdout.contains(
            "--stack-name Network --no-fail-on-empty-changeset --capabilities CAPABILITY_IAM"
        ),
        "{}",
        vpc.stdout
    );
}

#[test]
fn explain_iam_shows_each_grant_of_each_role() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = run_with_args(
        &examples::vpc_three_tier::app(),
        ["--out", out, "--explain-iam"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = "\
Network/Network/FlowLogRole (assumed by / granted to vpc-flow-logs.amazonaws.com)
  logs:deliver-flow-logs on NetworkFlowLogGroup
    actions:   logs:CreateLogStream, logs:DescribeLogStreams, logs:PutLogEvents
    resources: NetworkFlowLogGroup.Arn
";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    let basics = run_with_args(&examples::basics::app(), ["--out", out, "--explain-iam"]);
    assert!(
        basics.stdout.contains("(no roles or resource policies)"),
        "{}",
        basics.stdout
    );
}

/// The `vpc_three_tier` example's plan, as `--plan` prints it.
const VPC_THREE_TIER_PLAN: &str = "\
VPC Network/Network: 10.0.0.0/16, aligned layout, 3 AZs (room for 6)
tier      AZ  zone       CIDR          usable
public     0  GetAZs[0]  10.0.0.0/24      251
public     1  GetAZs[1]  10.0.1.0/24      251
public     2  GetAZs[2]  10.0.2.0/24      251
app        0  GetAZs[0]  10.0.8.0/24      251
app        1  GetAZs[1]  10.0.9.0/24      251
app        2  GetAZs[2]  10.0.10.0/24     251
database   0  GetAZs[0]  10.0.16.0/24     251
database   1  GetAZs[1]  10.0.17.0/24     251
database   2  GetAZs[2]  10.0.18.0/24     251
tier blocks: public 10.0.0.0/21, app 10.0.8.0/21, database 10.0.16.0/21
free: 59392 addresses in 10.0.24.0/21, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17
room to grow, moving nothing: 3 more AZs in every tier; a new tier of /20 to /28 subnets
zones: GetAZs[i] is picked by Fn::GetAZs at each deploy and can change with the account's \
default subnets, replacing subnets; pin the stack's region or name the zones to fix them
";

#[test]
fn plan_prints_every_vpc_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = run_with_args(
        &examples::vpc_three_tier::app(),
        ["--plan".as_ref(), "--out".as_ref(), out.as_os_str()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, VPC_THREE_TIER_PLAN);
    assert_eq!(run.stderr, "");
    assert!(!out.exists(), "--plan wrote {}", out.display());

    // Two VPCs, one pinned to a region: both plans, the pinned one with its zone names.
    let mut app = App::new();
    for (name, region) in [("West", Some("eu-west-1")), ("Anywhere", None)] {
        let env = Env {
            region: region.map(String::from),
            ..Env::default()
        };
        let mut stack = Stack::new(name).env(env);
        VpcThreeTier::new(
            &mut stack,
            "Vpc",
            VpcThreeTierProps::new("10.1.0.0/20")
                .azs(Azs::Count(2))
                .max_azs(2),
        );
        app.add_stack(stack);
    }
    let run = run_with_args(&app, ["--plan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plans: Vec<&str> = run.stdout.split("\n\n").collect();
    assert_eq!(plans.len(), 2, "{}", run.stdout);
    assert!(plans[0].starts_with("VPC West/Vpc: 10.1.0.0/20"));
    assert!(
        plans[0].contains("public     1  eu-west-1b  10.1.1.0/24"),
        "{}",
        plans[0]
    );
    assert!(!plans[0].contains("GetAZs"), "{}", plans[0]);
    assert!(plans[1].starts_with("VPC Anywhere/Vpc: 10.1.0.0/20"));
    assert!(plans[1].contains("GetAZs[1]"), "{}", plans[1]);
}

#[test]
fn plan_reports_a_vpc_that_cannot_plan_and_exits_1() {
    let mut app = App::new();
    let mut stack = Stack::new("Net");
    VpcThreeTier::new(
        &mut stack,
        "Vpc",
        VpcThreeTierProps::new("10.0.0.0/24").prefixes(26, 26, 26),
    );
    app.add_stack(stack);
    let run = run_with_args(&app, ["--plan"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "no VPC plans: the app has no VpcThreeTier that planned\n"
    );
    assert!(run.stderr.contains("cidr-exhausted"), "{}", run.stderr);
    assert!(run.stderr.contains("Net/Vpc"), "{}", run.stderr);
    assert!(run.stderr.contains("it plans with"), "{}", run.stderr);

    let run = run_with_args(&app, ["--plan", "--check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--plan writes nothing"),
        "{}",
        run.stderr
    );
}
