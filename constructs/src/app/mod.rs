//! Apps, stacks and scopes: where constructs put their resources.

mod output;
mod parameter;
mod scope;
mod stack;

pub use output::Output;
pub use parameter::Parameter;
pub use scope::{AsScope, Scope};
pub use stack::{Env, Stack, MAX_STACK_NAME_LEN};

use crate::diagnostics::{Code, Diagnostic, SynthError};
use crate::synth::{Assembly, SynthOptions, SynthReport};

/// An app: the stacks that are synthesized together.
///
/// ```
/// use constructs::{App, Stack, cfn::logs::LogGroup};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Logs");
/// stack.add("AppLogs", LogGroup::new().retention_in_days(14));
/// app.add_stack(stack);
/// let assembly = app.assemble().unwrap();
/// assert!(assembly.stack("Logs").unwrap().json.contains("AWS::Logs::LogGroup"));
/// ```
#[derive(Debug, Default)]
pub struct App {
    stacks: Vec<Stack>,
    diagnostics: Vec<Diagnostic>,
}

impl App {
    /// An app with no stacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a stack. Stacks are deployed in dependency order, ties broken by the order added.
    pub fn add_stack(&mut self, stack: Stack) {
        if self.stacks.iter().any(|s| s.name == stack.name) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateStackName,
                    stack.name(),
                    format!("the app already has a stack named `{}`", stack.name()),
                )
                .with_hint("stack names must be unique in an account and region"),
            );
            return;
        }
        self.stacks.push(stack);
    }

    /// The stacks, in the order added.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// Problems found while the app was built (a stack added twice), reported by synth.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Renders and validates every stack in memory, writing nothing.
    pub fn assemble(&self) -> Result<Assembly, SynthError> {
        crate::synth::assemble(self)
    }

    /// Renders, validates, and writes the templates and `manifest.json` (or, with
    /// [`SynthOptions::check`], compares them with the files on disk).
    ///
    /// Stacks are validated and written one at a time, straight from the app's expression
    /// trees, so a synth needs little memory beyond the app itself. Files go to temporary
    /// names first and are renamed into place only when every stack is valid: a failed synth
    /// changes no file.
    pub fn synth(&self, options: &SynthOptions) -> Result<SynthReport, SynthError> {
        crate::synth::write(self, options).map(|(report, _)| report)
    }
}
