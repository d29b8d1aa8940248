//! Compile-time guarantees, proven by programs that must not compile.
//!
//! Each file in `tests/compile-fail/` states the mistake it makes; its `.stderr` file holds the
//! compiler's answer. Regenerate those with `TRYBUILD=overwrite cargo test -p synth-tests
//! --test compile_fail` and review the diff like a snapshot.
//!
//! Compiler messages change between Rust releases, so the `.stderr` files hold the answer of
//! one compiler: the version in `tests/compile-fail/RUSTC_VERSION`, the one CI runs. The
//! repository does not pin it with a `rust-toolchain.toml`: on machines that cannot download a
//! toolchain, a pin to one that is not installed would stop every cargo command, including the
//! README's first. Instead this test says plainly when it runs under another compiler.

use std::process::Command;

#[test]
fn compile_fail() {
    let expected = include_str!("compile-fail/RUSTC_VERSION").trim();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(&rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        version.starts_with(&format!("rustc {expected} ")),
        "the compile-fail expectations were written by rustc {expected}, and this is `{}`: \
         run the tests with that compiler (`rustup run {expected} cargo test`), or re-bless \
         them with TRYBUILD=overwrite under the new one, review the diff, and update \
         tests/compile-fail/RUSTC_VERSION together with CI's compiler",
        version.trim()
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}
