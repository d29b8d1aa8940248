//! Compile-time guarantees, proven by programs that must not compile.
//!
//! Each file in `tests/compile-fail/` states the mistake it makes; its `.stderr` file holds the
//! compiler's answer. Regenerate those with `TRYBUILD=overwrite cargo test -p synth-tests
//! --test compile_fail` and review the diff like a snapshot.

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}
