#!/usr/bin/env bash
# Runs every test the project has: formatting, lints, the public docs' links, the Rust test suite (unit, snapshot,
# compile-fail, property, validation and IAM dataset tests), cfn-lint over every template every
# example emits, in JSON and YAML (any error or warning fails), checkov over the same templates
# (every finding fixed or listed with its reason in scanners/suppressions.toml), and finally a
# deploy of every
# example's stacks, in manifest order, to a local CloudFormation endpoint (moto on 127.0.0.1),
# checked resource by resource.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Python tools (scripts/requirements.txt, in a virtual environment)"
# A project venv keeps the pinned tools apart from the system's Python (which may refuse
# installs outright, PEP 668). CONSTRUCTS_VENV may point it elsewhere.
venv=${CONSTRUCTS_VENV:-.venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
# The offline check costs a second when the pinned versions are installed already.
"$py" -m pip install --quiet --disable-pip-version-check --no-index -r scripts/requirements.txt 2>/dev/null \
  || "$py" -m pip install --quiet --disable-pip-version-check -r scripts/requirements.txt
# cfn-lint through the venv's interpreter, so no PATH change is needed.
cfn_lint() { "$py" -c 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())' "$@"; }
cfn_lint --version
# checkov in a venv of its own (its pins conflict with the aws CLI's); CONSTRUCTS_SCAN_VENV may
# point it elsewhere.
scan_venv=${CONSTRUCTS_SCAN_VENV:-.venv-scan}
[ -x "$scan_venv/bin/python" ] || python3 -m venv "$scan_venv"
"$scan_venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index -r scripts/requirements-scan.txt 2>/dev/null \
  || "$scan_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements-scan.txt
"$scan_venv/bin/checkov" --version

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo doc -D warnings (broken links in the public docs fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p constructs --quiet

step "cargo test"
cargo test --workspace --quiet

step "synthesize every example"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
examples=$(ls examples/examples/*.rs | xargs -n1 basename | sed 's/\.rs$//')
for ex in $examples; do
  cargo run --quiet --example "$ex" -- --out "$out/$ex" --format both >/dev/null
  echo "$ex: $(ls "$out/$ex" | grep -c '\.template\.') template files"
done

step "cfn-lint (errors and warnings both fail)"
templates=$(find "$out" -name '*.template.*' | sort)
# cfn-lint exits non-zero on any error (2) or warning (4).
cfn_lint --format parseable -- $templates
echo "cfn-lint: $(echo "$templates" | wc -l) templates, 0 errors, 0 warnings"

step "independent scanners (scanners/suppressions.toml, rendered in docs/SCANNERS.md)"
"$py" scripts/scan.py check-docs
# Fails on a finding that is neither fixed nor listed with its reason, and on a stale listing.
"$py" scripts/scan.py checkov "$scan_venv/bin/checkov" "$out"

step "deploy every example on a local CloudFormation endpoint (moto)"
"$py" scripts/deploy_test.py "$out"/*
