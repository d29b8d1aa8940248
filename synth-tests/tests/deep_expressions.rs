//! Values nested arbitrarily deep, built through the public API: synth reports them
//! (`expression-too-deep`) instead of overflowing the stack. Every test runs on the test
//! thread's ordinary stack, in whatever profile the tests are built in.

use constructs::cfn::logs::LogGroup;
use constructs::cfn::ssm::Parameter as SsmParameter;
use constructs::kinds::Cond;
use constructs::synth::{run_with_args, Format, SynthOptions};
use constructs::{
    fns, App, Code, Expr, Mapping, Output, Parameter, ResourceOptions, Stack, Value,
    MAX_TEMPLATE_DEPTH,
};
use synth_tests::synth_stack;

/// `levels` nested `Fn::Join`s of a one-item list around a string.
fn joins(levels: usize) -> Value<String> {
    let mut v: Value<String> = "x".into();
    for _ in 0..levels {
        v = fns::join(",", vec![v]);
    }
    v
}

/// `levels` nested `Fn::Select`s from a one-item list around a string.
fn selects(levels: usize) -> Value<String> {
    let mut v: Value<String> = "x".into();
    for _ in 0..levels {
        v = fns::select(0, vec![v]);
    }
    v
}

/// `levels` nested `Fn::Base64`s around a string: one level of JSON each.
fn base64s(levels: usize) -> Value<String> {
    let mut v: Value<String> = "x".into();
    for _ in 0..levels {
        v = fns::base64(v);
    }
    v
}

/// `nots` nested `Fn::Not`s around `Fn::Equals` of `base64s(base64)` and a string.
fn nots(nots: usize, base64: usize) -> Value<Cond> {
    let mut c = fns::equals(base64s(base64), "y");
    for _ in 0..nots {
        c = fns::not(c);
    }
    c
}

/// A literal `levels` lists deep around a string.
fn lists(levels: usize) -> Expr {
    let mut e = Expr::string("x");
    for _ in 0..levels {
        e = Expr::List(vec![e]);
    }
    e
}

/// Synthesizes `app` in memory, into a directory in each format, and through the command line;
/// asserts every way fails with `expression-too-deep` errors at `paths` (in that order) and
/// writes nothing. Returns the messages of those errors.
fn assert_too_deep(app: &App, paths: &[&str]) -> Vec<String> {
    let err = app.assemble().unwrap_err();
    let deep: Vec<_> = err
        .errors()
        .filter(|d| d.code == Code::ExpressionTooDeep)
        .collect();
    let found: Vec<&str> = deep.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(found, paths, "{err}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for format in [Format::Json, Format::Yaml, Format::Both] {
        let options = SynthOptions {
            out_dir: out.clone(),
            format,
            check: false,
        };
        let written = app.synth(&options).unwrap_err();
        assert_eq!(written, err, "{format:?}");
    }
    let run = run_with_args(app, ["--out", out.to_str().unwrap(), "--format", "both"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("expression-too-deep"), "{}", run.stderr);
    let files = std::fs::read_dir(&out).map_or(0, |d| d.count());
    assert_eq!(files, 0, "a failed synth writes nothing");
    deep.iter().map(|d| d.to_string()).collect()
}

#[test]
fn properties_nested_100_000_deep_are_reported() {
    let mut app = App::new();
    let mut stack = Stack::new("Deep");
    let name = joins(100_000);
    // Passed by reference, so the value is cloned.
    stack.add("Logs", LogGroup::new().log_group_name(&name));
    stack.add("Param", SsmParameter::new("String", selects(100_000)));
    app.add_stack(stack);
    let messages = assert_too_deep(&app, &["Deep/Logs", "Deep/Param"]);
    // Four objects around the value, and three levels per `Fn::Join` of a list.
    assert_eq!(
        messages[0],
        "error[expression-too-deep] Deep/Logs: property `LogGroupName` of `Logs` nests 300004 \
         levels deep in the template; a template may nest at most 127 (hint: JSON and YAML \
         readers refuse deeper documents; build the value from fewer nested functions (one \
         `Fn::Join` of many items, or a value computed in Rust))"
    );
}

#[test]
fn raw_json_nested_20_000_deep_is_reported() {
    // Built without recursion (`json!` would copy it recursively); `RawResource::property`
    // consumes it.
    use serde_json::Value as J;
    let mut deep = J::from("x");
    for _ in 0..20_000 {
        let call = J::Object(serde_json::Map::from_iter([(
            "Fn::Base64".to_owned(),
            J::Array(vec![deep]),
        )]));
        deep = call;
    }
    let mut app = App::new();
    let mut stack = Stack::new("Deep");
    stack.add(
        "Raw",
        constructs::cfn::RawResource::new("AWS::SSM::Parameter").property("Value", deep),
    );
    app.add_stack(stack);
    let messages = assert_too_deep(&app, &["Deep/Raw"]);
    assert!(messages[0].contains("40004 levels"), "{}", messages[0]);
}

#[test]
fn conditions_properties_and_outputs_10_000_and_100_000_deep_are_reported() {
    for depth in [10_000, 100_000] {
        let mut app = App::new();
        let mut stack = Stack::new("Deep");
        let is_deep = stack.add_condition("IsDeep", nots(depth, 0));
        let is_prod = stack.add_condition("IsProd", fns::equals(fns::region(), "eu-west-1"));
        let mut name: Value<String> = "logs".into();
        for _ in 0..depth {
            name = fns::if_(&is_prod, name, fns::no_value::<String>());
        }
        stack.add("Logs", LogGroup::new().log_group_name(name));
        stack.add("Shallow", LogGroup::new().retention_in_days(7));
        stack.add_output(
            "Out",
            Output::new(joins(depth))
                .export_name(base64s(depth))
                .condition(&is_deep),
        );
        app.add_stack(stack);
        assert_too_deep(&app, &["Deep/IsDeep", "Deep/Logs", "Deep/Out", "Deep/Out"]);
    }
}

#[test]
fn a_deep_stack_does_not_hide_the_problems_of_others() {
    let mut app = App::new();
    let mut shared = Stack::new("Shared");
    let logs = shared.add("Logs", LogGroup::new().retention_in_days(7));
    app.add_stack(shared);
    // The deep value imports from `Shared` at its innermost level.
    let mut deep = Stack::new("Deep");
    let mut name: Value<String> = logs.reference().into();
    for _ in 0..100_000 {
        name = fns::join("-", vec![name]);
    }
    deep.add("Logs", LogGroup::new().log_group_name(name));
    app.add_stack(deep);
    app.add_stack(Stack::new("Empty"));
    let err = app.assemble().unwrap_err();
    let found: Vec<_> = err.errors().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (Code::ExpressionTooDeep, "Deep/Logs"),
            (Code::EmptyTemplate, "Empty")
        ],
        "{err}"
    );
}

/// A value of each place in a template, nested `extra` levels deeper than a template may
/// hold (`extra` 0: as deep as it may be).
fn every_place(stack: &mut Stack, extra: usize) {
    let max = MAX_TEMPLATE_DEPTH + extra;
    // The objects and arrays around each place: the template's own object, the section, the
    // entry, and the entry's field (plus the list of allowed values).
    stack.add_parameter("Default", Parameter::string().default(lists(max - 3)));
    stack.add_parameter(
        "Allowed",
        Parameter::string().allowed_values([lists(max - 4)]),
    );
    let mut mapping = Mapping::new();
    mapping.insert("Top".into(), [("Key".to_owned(), lists(max - 4))].into());
    stack.add_mapping("Table", mapping);
    // `Fn::Equals` of `Fn::Base64` is three levels, each `Fn::Not` two.
    let condition = stack.add_condition("Cond", nots((max - 4) / 2, (max - 4) % 2));
    stack.add_with(
        "Logs",
        LogGroup::new().log_group_name(base64s(max - 4)),
        ResourceOptions::new()
            .metadata("Meta", lists(max - 4))
            .condition(&condition),
    );
    stack.add_output(
        "Out",
        Output::new(base64s(max - 3)).export_name(base64s(max - 4)),
    );
}

#[test]
fn the_deepest_template_allowed_synthesizes_and_reads_back() {
    let template = synth_stack("Deepest", |stack| every_place(stack, 0)).unwrap();
    assert!(template["Resources"]["Logs"]["Properties"]["LogGroupName"].is_object());
    let run = run_with_args(
        &{
            let mut app = App::new();
            let mut stack = Stack::new("Deepest");
            every_place(&mut stack, 0);
            app.add_stack(stack);
            app
        },
        [
            "--out",
            tempfile::tempdir().unwrap().path().to_str().unwrap(),
            "--format",
            "both",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let err = synth_stack("Deeper", |stack| every_place(stack, 1)).unwrap_err();
    let found: Vec<_> = err.errors().map(|d| (d.code, d.path.as_str())).collect();
    let deep = |path| (Code::ExpressionTooDeep, path);
    assert_eq!(
        found,
        [
            deep("Deeper/Default"),
            deep("Deeper/Allowed"),
            deep("Deeper/Table"),
            deep("Deeper/Cond"),
            deep("Deeper/Logs"),
            deep("Deeper/Logs"),
            deep("Deeper/Out"),
            deep("Deeper/Out"),
        ],
        "{err}"
    );
    assert!(
        err.diagnostics[0].message.contains("nests 128 levels"),
        "{err}"
    );
}
