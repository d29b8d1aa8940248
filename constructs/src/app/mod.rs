//! Apps, stacks and scopes: where constructs put their resources.
//!
//! Constructs write through [`Scope`] and the [`Stack`] methods; synth only reads, through
//! `Stack::contents`, and adds `App::assemble` and `App::synth` from its own module, so this
//! layer imports nothing from synth.

mod grants;
mod output;
mod parameter;
pub mod region;
mod scope;
mod stack;

pub use grants::{AppGrants, StackGrants};
pub use output::Output;
pub use parameter::Parameter;
pub use scope::{AsScope, Scope};
pub use stack::{Env, Stack, MAX_STACK_NAME_LEN};

use crate::diagnostics::{Code, Diagnostic};

/// An app: the stacks that are synthesized together. Synth needs at least one: an app without
/// stacks is an `empty-app` error, not an empty output.
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
///
/// assert!(App::new().assemble().unwrap_err().has(constructs::Code::EmptyApp));
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
        self.diagnostics
            .extend(region::check_env(stack.environment(), stack.name()));
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
}
