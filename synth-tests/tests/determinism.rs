//! Two synths of the same app give byte-identical files.

use constructs::synth::{run_with_args, Format};

#[test]
fn assembling_twice_gives_identical_bytes() {
    for (name, build) in examples::EXAMPLES {
        let first = build().assemble().unwrap();
        let second = build().assemble().unwrap();
        let a = first.files(Format::Both);
        let b = second.files(Format::Both);
        assert_eq!(a, b, "example `{name}` is not deterministic");
    }
}

#[test]
fn writing_twice_gives_identical_files_and_check_passes() {
    for (name, build) in examples::EXAMPLES {
        let dir_a = tempfile::tempdir().unwrap();
        let dir_b = tempfile::tempdir().unwrap();
        for dir in [&dir_a, &dir_b] {
            let out = run_with_args(
                &build(),
                ["--out", dir.path().to_str().unwrap(), "--format", "both"],
            );
            assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        }
        let list = |d: &std::path::Path| {
            let mut files: Vec<_> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            // Asset zips are one directory down.
            if let Ok(assets) = std::fs::read_dir(d.join("assets")) {
                files.retain(|f| !f.ends_with("assets"));
                files.extend(assets.map(|e| e.unwrap().path()));
            }
            files.sort();
            files
        };
        let (fa, fb) = (list(dir_a.path()), list(dir_b.path()));
        assert_eq!(fa.len(), fb.len());
        for (a, b) in fa.iter().zip(&fb) {
            assert_eq!(a.file_name(), b.file_name());
            assert_eq!(
                std::fs::read(a).unwrap(),
                std::fs::read(b).unwrap(),
                "{a:?}"
            );
        }
        let check = run_with_args(
            &build(),
            [
                "--out",
                dir_a.path().to_str().unwrap(),
                "--format",
                "both",
                "--check",
            ],
        );
        assert_eq!(check.code, 0, "{name}: {}", check.stderr);
    }
}

#[test]
fn streamed_synth_writes_exactly_the_assembled_files() {
    for (name, build) in examples::EXAMPLES {
        let app = build();
        let assembly = app.assemble().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = run_with_args(
            &app,
            ["--out", dir.path().to_str().unwrap(), "--format", "both"],
        );
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        let files = assembly.files(Format::Both);
        for (file, body, _) in &files {
            let written = std::fs::read_to_string(dir.path().join(file)).unwrap();
            assert_eq!(&written, body, "example `{name}`: {file} differs");
        }
        let assets = assembly.asset_files();
        for (file, body) in &assets {
            let written = std::fs::read(dir.path().join(file)).unwrap();
            assert!(written == *body, "example `{name}`: {file} differs");
        }
        let count = |d: &std::path::Path| std::fs::read_dir(d).map_or(0, |e| e.count());
        let assets_dir = usize::from(!assets.is_empty());
        assert_eq!(
            count(dir.path()),
            files.len() + assets_dir,
            "example `{name}`: other files were written"
        );
        assert_eq!(
            count(&dir.path().join("assets")),
            assets.len(),
            "example `{name}`: other asset files were written"
        );
    }
}

#[test]
fn the_owned_template_serializes_to_the_written_bytes() {
    // Synth writes JSON from a view of the app; `StackArtifact::template` is built separately.
    // Both must be the same document, or inspecting a template would not show what deploys.
    for (name, build) in examples::EXAMPLES {
        for stack in build().assemble().unwrap().stacks {
            let owned = serde_json::to_string_pretty(&stack.template).unwrap() + "\n";
            assert_eq!(owned, stack.json, "example `{name}`, stack {}", stack.name);
        }
    }
}

#[test]
fn stack_tags_merge_under_the_resources_own_tags() {
    use constructs::cfn::logs::LogGroup;
    use constructs::cfn::ssm::Parameter;
    use constructs::cfn::Tag;
    use constructs::{App, Stack};
    use serde_json::json;

    let mut stack = Stack::new("Tagged")
        .tag("project", "shop")
        .tag("team", "core");
    stack.add(
        "Own",
        LogGroup::new().tags(vec![Tag::new("project", "mine")]),
    );
    stack.add("Bare", LogGroup::new());
    stack.add(
        "Param",
        Parameter::new("String", "v").tags(vec![("team", "mine")]),
    );
    let mut app = App::new();
    app.add_stack(stack);
    let artifact = app.assemble().unwrap().stacks.remove(0);
    let json: serde_json::Value = serde_json::from_str(&artifact.json).unwrap();
    let resources = &json["Resources"];
    assert_eq!(
        resources["Own"]["Properties"]["Tags"],
        json!([{"Key": "project", "Value": "mine"}, {"Key": "team", "Value": "core"}])
    );
    assert_eq!(
        resources["Bare"]["Properties"]["Tags"],
        json!([{"Key": "project", "Value": "shop"}, {"Key": "team", "Value": "core"}])
    );
    assert_eq!(
        resources["Param"]["Properties"]["Tags"],
        json!({"team": "mine", "project": "shop"})
    );
    // The owned template holds the same document.
    assert_eq!(
        serde_json::to_string_pretty(&artifact.template).unwrap() + "\n",
        artifact.json
    );
}

#[test]
fn a_reference_to_another_stack_in_metadata_is_imported_too() {
    use constructs::cfn::logs::LogGroup;
    use constructs::{App, ResourceOptions, Stack};
    use serde_json::json;

    let mut producer = Stack::new("Producer");
    let logs = producer.add("Logs", LogGroup::new());
    let mut consumer = Stack::new("Consumer");
    consumer.add_with(
        "Mine",
        LogGroup::new(),
        ResourceOptions::new().metadata("Source", logs.att_arn().into_expr()),
    );
    let mut app = App::new();
    app.add_stack(producer);
    app.add_stack(consumer);
    let assembly = app.assemble().unwrap();
    let json = |name: &str| -> serde_json::Value {
        serde_json::from_str(&assembly.stack(name).unwrap().json).unwrap()
    };
    assert_eq!(
        json("Consumer")["Resources"]["Mine"]["Metadata"]["Source"],
        json!({"Fn::ImportValue": "Producer:Logs:Arn"})
    );
    assert_eq!(
        json("Producer")["Outputs"]["ExportLogsArn"]["Export"]["Name"],
        json!("Producer:Logs:Arn")
    );
    assert_eq!(assembly.deploy_order, vec!["Producer", "Consumer"]);
}
