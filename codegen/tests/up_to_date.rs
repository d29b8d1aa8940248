//! The committed `constructs/src/cfn/` is what the generator writes from the vendored schemas.

#[test]
fn generated_modules_are_up_to_date() {
    let out = codegen::default_out_dir();
    let files = codegen::generate(&codegen::default_schemas_dir(), &out)
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let stale = codegen::check(&out, &files).expect("reading the generated files");
    assert!(
        stale.is_empty(),
        "generated files are out of date, run `cargo run -p codegen`: {stale:#?}"
    );
}

#[test]
fn every_listed_type_is_vendored() {
    let schemas = codegen::default_schemas_dir();
    let types = codegen::types(&schemas).expect("schemas/TYPES");
    assert!(!types.is_empty());
    for t in &types {
        let path = schemas.join(codegen::schema_file(t));
        assert!(path.is_file(), "{t}: {} is missing", path.display());
    }
    let vendored = std::fs::read_dir(&schemas)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count();
    assert_eq!(
        vendored,
        types.len(),
        "schemas/ holds files not listed in TYPES"
    );
}

#[test]
fn generation_is_deterministic() {
    let out = codegen::default_out_dir();
    let schemas = codegen::default_schemas_dir();
    let a = codegen::generate(&schemas, &out).unwrap();
    let b = codegen::generate(&schemas, &out).unwrap();
    assert_eq!(a, b);
}

/// The schemas are vendored from the cfn-lint that the tests lint with: the pin in
/// `scripts/requirements.txt` is the one place its version is written.
#[test]
fn the_vendored_schemas_come_from_the_pinned_cfn_lint() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let requirements = std::fs::read_to_string(root.join("scripts/requirements.txt")).unwrap();
    let pinned = requirements
        .lines()
        .find_map(|l| l.strip_prefix("cfn-lint=="))
        .expect("scripts/requirements.txt pins cfn-lint");
    let version = std::fs::read_to_string(codegen::default_schemas_dir().join("VERSION")).unwrap();
    let vendored = version
        .lines()
        .find_map(|l| l.strip_prefix("cfn-lint="))
        .expect("schemas/VERSION names its cfn-lint");
    assert_eq!(
        vendored.trim(),
        pinned.trim(),
        "the schemas come from another cfn-lint than the tests lint with: run \
         codegen/refresh-schemas.sh and cargo run -p codegen"
    );
}
