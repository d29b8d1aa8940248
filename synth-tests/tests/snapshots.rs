//! Snapshots of every template every example emits, plus its manifest.
//!
//! A snapshot change is a behaviour change: review each diff with `cargo insta review` and say
//! what changed in the commit message.

use constructs::synth::Format;

#[test]
fn every_example_template_matches_its_snapshot() {
    for (name, build) in examples::EXAMPLES {
        let assembly = build()
            .assemble()
            .unwrap_or_else(|e| panic!("example `{name}` fails to synthesize:\n{e}"));
        for stack in &assembly.stacks {
            insta::assert_snapshot!(format!("{name}__{}.template.json", stack.name), stack.json);
        }
        let manifest = serde_json::to_string_pretty(&assembly.manifest(Format::Json)).unwrap();
        // Asset sources are absolute paths into this checkout: snapshot them from its root.
        let manifest = manifest.replace(workspace_root(), "$WORKSPACE");
        insta::assert_snapshot!(format!("{name}__manifest.json"), manifest);
    }
}

/// The workspace's directory, where the examples' asset paths start.
fn workspace_root() -> &'static str {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(std::path::Path::to_str)
        .unwrap()
}

#[test]
fn every_example_is_registered() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/examples");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    on_disk.sort();
    let mut registered: Vec<String> = examples::EXAMPLES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    registered.sort();
    assert_eq!(
        on_disk, registered,
        "examples/examples/*.rs and examples::EXAMPLES disagree"
    );
}
