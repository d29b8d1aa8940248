//! A synth killed right after any one of its changes to the file system leaves the output
//! directory holding one synth's output, whole (the old or the new), and the next synth
//! cleans up what it left.
//!
//! The test runs this crate's test binary again as a child that synthesizes with
//! `CONSTRUCTS_TEST_ABORT_AFTER_FS_OPS=N` (see `staging::fault`), for every N up to the number
//! of changes a synth makes, with the one-step exchange and with the fallback.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cfn::logs::LogGroup;
use crate::synth::{Format, SynthOptions};
use crate::{App, Stack};

use super::staging::fault;

/// Set in the child: the output directory.
const CHILD_OUT: &str = "CONSTRUCTS_TEST_KILL_OUT";
/// Set in the child: the directory holding the asset sources.
const CHILD_ASSETS: &str = "CONSTRUCTS_TEST_KILL_ASSETS";
const CHILD_TEST: &str = "synth::kill_test::child";

/// The app of generation `generation` (1 or 2). The second drops a stack, changes another
/// and its asset, keeps a third as it was, and is written as JSON only where the first was
/// written in both formats: each kind of file a switch replaces, keeps, adds or removes.
fn synth(generation: u8, assets: &Path, out: &Path) -> crate::synth::SynthReport {
    let mut app = App::new();
    let mut one = Stack::new("One");
    let retention = if generation == 1 { 7 } else { 30 };
    one.add("Logs", LogGroup::new().retention_in_days(retention));
    one.add_asset(assets.join(format!("v{generation}")));
    app.add_stack(one);
    if generation == 1 {
        let mut two = Stack::new("Two");
        two.add("Logs", LogGroup::new());
        app.add_stack(two);
    }
    let mut keep = Stack::new("Keep");
    keep.add("Logs", LogGroup::new());
    app.add_stack(keep);
    let format = if generation == 1 {
        Format::Both
    } else {
        Format::Json
    };
    app.synth(&SynthOptions {
        out_dir: out.to_path_buf(),
        format,
        check: false,
    })
    .unwrap()
}

fn check(assets: &Path, out: &Path) -> crate::synth::SynthReport {
    let mut app = App::new();
    let mut one = Stack::new("One");
    one.add("Logs", LogGroup::new().retention_in_days(30));
    one.add_asset(assets.join("v2"));
    app.add_stack(one);
    let mut keep = Stack::new("Keep");
    keep.add("Logs", LogGroup::new());
    app.add_stack(keep);
    app.synth(&SynthOptions {
        out_dir: out.to_path_buf(),
        format: Format::Json,
        check: true,
    })
    .unwrap()
}

/// Every entry under `dir`: relative path, and the bytes of files (`None` for directories).
type Tree = BTreeMap<PathBuf, Option<Vec<u8>>>;

fn tree(dir: &Path) -> Tree {
    fn walk(root: &Path, dir: &Path, tree: &mut Tree) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                tree.insert(rel, None);
                walk(root, &path, tree);
            } else {
                tree.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut tree = Tree::new();
    walk(dir, dir, &mut tree);
    tree
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The first generation and the user's own files, in `base/out`.
fn first_generation(assets: &Path, base: &Path) -> PathBuf {
    let out = base.join("out");
    synth(1, assets, &out);
    fs::write(out.join("notes.txt"), "the user's").unwrap();
    fs::create_dir(out.join("docs")).unwrap();
    fs::write(out.join("docs/readme.md"), "the user's").unwrap();
    fs::write(out.join("assets/README"), "the user's").unwrap();
    out
}

/// Runs the child synth of the second generation into `out`, aborted after `abort_after`
/// changes (never when `None`); returns whether it finished and what it printed.
fn run_child(
    assets: &Path,
    out: &Path,
    abort_after: Option<u64>,
    exchange: bool,
) -> (bool, String) {
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_OUT, out)
        .env(CHILD_ASSETS, assets)
        .env_remove(fault::ABORT_AFTER)
        .env_remove(fault::NO_EXCHANGE);
    if let Some(n) = abort_after {
        child.env(fault::ABORT_AFTER, n.to_string());
    }
    if !exchange {
        child.env(fault::NO_EXCHANGE, "1");
    }
    let output = child.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The second generation's synth, in a child process.
#[test]
fn child() {
    let (Some(out), Some(assets)) = (std::env::var_os(CHILD_OUT), std::env::var_os(CHILD_ASSETS))
    else {
        return;
    };
    synth(2, Path::new(&assets), Path::new(&out));
    println!("fs-ops: {}", fault::done());
}

#[test]
fn a_synth_killed_after_any_change_leaves_one_generation_whole_and_the_next_cleans_up() {
    let assets = tempfile::tempdir().unwrap();
    for (version, body) in [("v1", "print(1)\n"), ("v2", "print(2)\n")] {
        fs::create_dir(assets.path().join(version)).unwrap();
        fs::write(assets.path().join(version).join("index.py"), body).unwrap();
    }
    // What the directory holds with each generation, the user's files included.
    let reference = tempfile::tempdir().unwrap();
    let out = first_generation(assets.path(), reference.path());
    let old = tree(&out);
    synth(2, assets.path(), &out);
    let new = tree(&out);
    assert_ne!(old, new);
    assert!(
        new.contains_key(Path::new("notes.txt")) && new.contains_key(Path::new("assets/README"))
    );
    assert!(!new.contains_key(Path::new("Two.template.json")));
    assert!(!new.contains_key(Path::new("One.template.yaml")));

    for exchange in [true, false] {
        let base = tempfile::tempdir().unwrap();
        let out = first_generation(assets.path(), base.path());
        let (finished, printed) = run_child(assets.path(), &out, None, exchange);
        assert!(finished, "{printed}");
        assert_eq!(tree(&out), new);
        let changes: u64 = printed
            .lines()
            // libtest prints the test's name on the same line.
            .find_map(|l| l.split("fs-ops: ").nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count in {printed}"));
        assert!(changes > 10, "{changes}");

        for n in 1..=changes {
            let base = tempfile::tempdir().unwrap();
            let out = first_generation(assets.path(), base.path());
            let (finished, _) = run_child(assets.path(), &out, Some(n), exchange);
            assert!(!finished, "not killed after change {n}");
            let at = format!("killed after change {n} of {changes} (exchange: {exchange})");

            // Exactly one generation, whole, under the name; or, in the fallback's gap, none
            // under the name and the old one whole beside it.
            let beside: Vec<String> = names(base.path())
                .into_iter()
                .filter(|name| name != "out")
                .collect();
            assert!(
                beside.iter().all(|b| b.starts_with(".out.synth-")),
                "{at}: {beside:?}"
            );
            if out.exists() {
                let found = tree(&out);
                assert!(found == old || found == new, "{at}: a mix: {found:#?}");
            } else {
                assert!(!exchange, "{at}: no directory");
                let aside: Vec<&String> =
                    beside.iter().filter(|b| b.contains("synth-old")).collect();
                assert_eq!(aside.len(), 1, "{at}: {beside:?}");
                assert_eq!(tree(&base.path().join(aside[0])), old, "{at}");
            }

            // A check says what is wrong; the next synth repairs it all.
            let checked = check(assets.path(), &out);
            let clean = out.exists() && tree(&out) == new && beside.is_empty();
            assert_eq!(checked.is_up_to_date(), clean, "{at}: {checked:?}");
            assert_eq!(checked.leftovers.len(), beside.len(), "{at}: {checked:?}");
            let report = synth(2, assets.path(), &out);
            assert_eq!(report.leftovers.len(), beside.len(), "{at}: {report:?}");
            assert_eq!(tree(&out), new, "{at}");
            assert_eq!(names(base.path()), ["out"], "{at}");
            assert!(check(assets.path(), &out).is_up_to_date(), "{at}");
        }
        let base = tempfile::tempdir().unwrap();
        let out = first_generation(assets.path(), base.path());
        let (finished, _) = run_child(assets.path(), &out, Some(changes + 1), exchange);
        assert!(finished, "more changes than counted");
    }
}
