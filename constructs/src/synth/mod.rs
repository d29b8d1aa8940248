//! Synth: validate every stack, render it, and write the files atomically.
//!
//! The pipeline runs in memory first ([`App::assemble`](crate::App::assemble)): each stack is
//! rendered into a [`Template`](crate::Template), references between stacks become exports and imports, the stack
//! graph is checked for cycles and put in deploy order, every template is validated, and the
//! JSON bodies are produced. Only an assembly without errors can be written, so a failed synth
//! never leaves a half-written output directory.

mod assemble;
mod cli;
mod deploy;
mod emit;
mod manifest;
mod render;
mod validate;
mod yaml;

pub use assemble::{Assembly, StackArtifact};
pub use cli::{run, run_with_args, CliOutcome};
pub use deploy::{DeployInfo, INLINE_BODY_LIMIT};
pub use emit::{Format, OutputFile, SynthOptions, SynthReport};
pub use manifest::{Manifest, ManifestStack};

pub(crate) use assemble::{assemble, assemble_owned};
