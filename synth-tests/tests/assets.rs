//! Local assets through synth: the zips written beside the templates, `manifest.json`, `--check`
//! and `--print-deploy`.

use std::fs;
use std::path::Path;

use constructs::cfn::lambda::Function;
use constructs::cfn::logs::LogGroup;
use constructs::synth::run_with_args;
use constructs::{App, Code, Stack, Value};

/// A directory holding a one-file Python handler saying `greeting`.
fn handler_dir(root: &Path, name: &str, greeting: &str) -> String {
    let dir = root.join(name);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("index.py"),
        format!("def handler(event, context):\n    return {greeting:?}\n"),
    )
    .unwrap();
    dir.to_str().unwrap().to_owned()
}

/// A stack with one function whose code is the asset at `path`.
fn function_stack(name: &str, path: &str) -> Stack {
    let mut stack = Stack::new(name);
    let code = stack.add_asset(path);
    stack.add(
        "Fn",
        Function::new(
            code.lambda_code(),
            Value::unchecked("arn:aws:iam::123456789012:role/fn"),
        )
        .runtime("python3.13")
        .handler("index.handler"),
    );
    stack
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn the_zip_is_written_listed_in_the_manifest_and_uploaded_before_the_deploy() {
    let src = tempfile::tempdir().unwrap();
    let path = handler_dir(src.path(), "hello", "hi");
    let mut app = App::new();
    app.add_stack(function_stack("Fns", &path));
    // Another stack with the same code: one zip, one upload.
    app.add_stack(function_stack("MoreFns", &path));
    let out = tempfile::tempdir().unwrap();
    let out_str = out.path().to_str().unwrap();
    let run = run_with_args(&app, ["--out", out_str, "--print-deploy"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let manifest = manifest(out.path());
    let asset = &manifest["stacks"][0]["assets"][0];
    let hash = asset["hash"].as_str().unwrap().to_owned();
    let file = format!("assets/{hash}.zip");
    assert_eq!(hash.len(), 64);
    assert_eq!(
        asset,
        &serde_json::json!({
            "source": path,
            "hash": hash,
            "file": file,
            "s3Key": file,
            "bucketParameter": "AssetsBucket",
            "upload": format!("aws s3 cp {file} \"s3://$ASSETS_BUCKET/{file}\""),
        })
    );
    assert_eq!(manifest["stacks"][1]["assets"][0], *asset);
    assert_eq!(
        manifest["stacks"][0]["deploy"]["requiredParameters"],
        serde_json::json!(["AssetsBucket"])
    );

    // The zip on disk is the one the template points at.
    let zip = fs::read(out.path().join(&file)).unwrap();
    assert!(zip.starts_with(b"PK\x03\x04"));
    assert_eq!(fs::read_dir(out.path().join("assets")).unwrap().count(), 1);
    let template = fs::read_to_string(out.path().join("Fns.template.json")).unwrap();
    assert!(
        template.contains(&format!("\"S3Key\": \"{file}\"")),
        "{template}"
    );

    // --print-deploy: the one upload first, then the deploys passing the bucket.
    let lines: Vec<&str> = run.stdout.lines().collect();
    let upload = format!(
        "aws s3 cp {} \"s3://$ASSETS_BUCKET/{file}\"",
        out.path().join(&file).display()
    );
    let uploads: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == upload).collect();
    assert_eq!(uploads.len(), 1, "{}", run.stdout);
    let deploys: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("aws cloudformation deploy"))
        .collect();
    assert_eq!(deploys.len(), 2, "{}", run.stdout);
    for deploy in &deploys {
        assert!(
            deploy.ends_with("--parameter-overrides \"AssetsBucket=$ASSETS_BUCKET\""),
            "{deploy}"
        );
    }
    let first_deploy = lines
        .iter()
        .position(|l| l.starts_with("aws cloudformation deploy"))
        .unwrap();
    assert!(uploads[0] < first_deploy, "{}", run.stdout);
    assert!(
        run.stdout.contains("# upload the assets first:\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unchanged_asset_is_left_alone_and_check_finds_a_missing_or_changed_one() {
    let src = tempfile::tempdir().unwrap();
    let path = handler_dir(src.path(), "hello", "hi");
    let app = |path: &str| {
        let mut app = App::new();
        app.add_stack(function_stack("Fns", path));
        app
    };
    let out = tempfile::tempdir().unwrap();
    let out_str = out.path().to_str().unwrap();
    assert_eq!(run_with_args(&app(&path), ["--out", out_str]).code, 0);
    let hash = manifest(out.path())["stacks"][0]["assets"][0]["hash"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = format!("assets/{hash}.zip");

    let again = run_with_args(&app(&path), ["--out", out_str]);
    assert!(
        again
            .stdout
            .contains(&format!("unchanged {}", out.path().join(&file).display())),
        "{}",
        again.stdout
    );
    assert_eq!(
        run_with_args(&app(&path), ["--out", out_str, "--check"]).code,
        0
    );

    fs::remove_file(out.path().join(&file)).unwrap();
    let missing = run_with_args(&app(&path), ["--out", out_str, "--check"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains(&file), "{}", missing.stderr);
    assert!(!missing.stderr.contains("Fns"), "{}", missing.stderr);

    // New code: a new zip, and the template that points at it, are out of date.
    let changed = handler_dir(src.path(), "hello", "hello");
    let stale = run_with_args(&app(&changed), ["--out", out_str, "--check"]);
    assert_eq!(stale.code, 1);
    assert!(stale.stderr.contains("Fns"), "{}", stale.stderr);
    assert!(stale.stderr.contains("assets/"), "{}", stale.stderr);
}

#[test]
fn an_error_in_any_stack_writes_no_zip() {
    let src = tempfile::tempdir().unwrap();
    let path = handler_dir(src.path(), "hello", "hi");
    let mut app = App::new();
    app.add_stack(function_stack("Fns", &path));
    let mut broken = Stack::new("Broken");
    broken
        .scope()
        .child("Worker")
        .add_asset(src.path().join("missing"));
    broken.add("Logs", LogGroup::new());
    app.add_stack(broken);
    let out = tempfile::tempdir().unwrap();
    let run = run_with_args(&app, ["--out", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(&format!("error[{}] Broken/Worker:", Code::AssetNotFound)),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_stack_without_assets_has_no_assets_key_and_no_upload_section() {
    let mut app = App::new();
    let mut stack = Stack::new("Plain");
    stack.add("Logs", LogGroup::new());
    app.add_stack(stack);
    let out = tempfile::tempdir().unwrap();
    let run = run_with_args(
        &app,
        ["--out", out.path().to_str().unwrap(), "--print-deploy"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(manifest(out.path())["stacks"][0].get("assets").is_none());
    assert!(!run.stdout.contains("upload"), "{}", run.stdout);
    assert!(!out.path().join("assets").exists());
}
