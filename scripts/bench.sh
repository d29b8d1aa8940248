#!/usr/bin/env bash
# Runs everything BENCHMARKS.md reports, in one command:
#   1. the edit loop: clean dev build of `--example full_stack` in a separate, fresh target
#      directory, then 3 x (touch examples/src/full_stack.rs; cargo run --example full_stack);
#   2. the synth benchmark: `cargo bench -p examples --bench synth` (release).
#
# Usage: scripts/bench.sh [--no-edit-loop] [quick]
#   --no-edit-loop  skip step 1 (it takes a few minutes: a clean build)
#   quick           fewer repeats in step 2
# The edit loop's target directory is removed at the end; set EDIT_LOOP_TARGET to keep one.
set -euo pipefail
cd "$(dirname "$0")/.."

edit_loop=1
bench_args=()
for arg in "$@"; do
  case "$arg" in
    --no-edit-loop) edit_loop=0 ;;
    *) bench_args+=("$arg") ;;
  esac
done

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

echo "# machine"
echo "cores: $(nproc); $(free -h | awk '/^Mem:/ { print "memory: " $2 }'); $(rustc --version)"
echo

if [ "$edit_loop" = 1 ]; then
  scratch=$(mktemp -d)
  target=${EDIT_LOOP_TARGET:-$scratch/target}
  out=$scratch/out
  echo "# edit loop (dev profile, target dir separate from ./target)"
  CARGO_TARGET_DIR=$target cargo clean -q
  t0=$(now)
  CARGO_TARGET_DIR=$target cargo build -q --example full_stack
  t1=$(now)
  echo "clean build, cargo build --example full_stack: $(elapsed "$t0" "$t1") s"
  runs=()
  for i in 1 2 3; do
    touch examples/src/full_stack.rs
    t0=$(now)
    CARGO_TARGET_DIR=$target cargo run -q --example full_stack -- --out "$out" >/dev/null
    t1=$(now)
    runs+=("$(elapsed "$t0" "$t1")")
  done
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  echo "touch examples/src/full_stack.rs + cargo run --example full_stack: ${runs[*]} s (median $median s; target <= 5 s)"
  t0=$(now)
  "$target/debug/examples/full_stack" --out "$out" >/dev/null
  t1=$(now)
  echo "of which the dev-profile synth itself: $(elapsed "$t0" "$t1") s"
  rm -rf "$scratch"
  echo
fi

cargo bench -q -p examples --bench synth -- "${bench_args[@]}"
