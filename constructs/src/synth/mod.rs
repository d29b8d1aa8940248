//! Synth: plan the app, validate every stack, serialize it, and write the files atomically.
//!
//! [`App::synth`](crate::App::synth) (and [`run`], which examples call) first *plans* the whole
//! app: which values each stack imports from the others, the export outputs that takes, and
//! the deploy order, with cycles between stacks and values nested too deep reported (a stack
//! holding one is read by no later pass, which may recurse). Then, one stack at a time, it
//! validates the template and serializes it straight from the app's expression trees, through
//! a borrowed view that writes references to other stacks as `Fn::ImportValue` and merges the
//! stack's tags; nothing is copied. Files are written into a new copy of the output directory,
//! beside it, while the next stack is checked, and the two directories are swapped in one step
//! only when every stack is valid: the output directory always holds one synth's output,
//! whole, even when synth is killed, and a failed synth changes nothing. The files an earlier
//! synth wrote that this one does not are left out of the new copy; the user's own files are
//! carried into it.
//!
//! Every policy of every stack, L1 included, goes through the IAM checker
//! ([`iam::check_template`](crate::iam::check_template)) at validation: a finding is an error at
//! the construct path of the resource holding the policy.
//!
//! [`App::assemble`](crate::App::assemble) does the same in memory and also builds each stack's
//! owned [`Template`](crate::Template), for tests and tools that inspect templates.

mod assemble;
mod cli;
mod deploy;
mod emit;
mod export;
mod graph;
mod iam_audit;
#[cfg(test)]
mod kill_test;
mod limit;
mod manifest;
mod outdir;
mod parallel;
mod parameter;
mod plan;
mod staging;
mod validate;
mod view;
mod vpc_plans;
mod yaml;

pub use assemble::{Assembly, StackArtifact};
pub use cli::{run, run_with_args, CliOutcome};
pub use deploy::{DeployInfo, INLINE_BODY_LIMIT};
pub use emit::{OutputFile, SynthOptions, SynthReport};
pub use manifest::{Format, Manifest, ManifestAsset, ManifestStack};
