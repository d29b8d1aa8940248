//! Grants: named sets of permissions, as data, and what collects them.
//!
//! A [`Grant`] is a value: the statements one kind of access to one resource needs, with a
//! name for the audit report. Grants are made by the functions in [`presets`](super::presets),
//! one module per service, each typed by the handle of the resource it grants access to, so
//! granting an access a resource does not have does not compile. A [`Grantee`] collects
//! grants; the role that becomes an `AWS::IAM::Role` is the IAM block's
//! [`ServiceRole`](crate::blocks::iam::ServiceRole), since this module builds no resource.

use crate::model::value::Value;

use super::principal::Principal;
use super::statement::Statement;
use super::Action;

/// The statements one access needs, named for the audit report.
///
/// ```
/// use constructs::iam::{presets, Grant};
/// use constructs::{Stack, cfn::logs::LogGroup};
///
/// let mut stack = Stack::new("App");
/// let logs = stack.add("Logs", LogGroup::new().retention_in_days(30));
/// let grant: Grant = presets::logs::write(&logs);
/// assert_eq!(grant.name(), "logs:write on Logs");
/// ```
#[derive(Clone, Debug)]
pub struct Grant {
    name: String,
    statements: Vec<Statement>,
}

impl Grant {
    /// A grant with no statements yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            statements: Vec::new(),
        }
    }

    /// Adds a statement.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// The grant's name, as the audit report shows it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its statements.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

/// The actions one kind of access to one service's resource takes: a preset, held as data.
///
/// Presets are constants in the per-service modules of [`presets`](super::presets); a test
/// checks every action of every preset against AWS's action data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// The access, such as `logs:write` (shown in the audit report).
    pub name: &'static str,
    /// The actions, each `service:Action`.
    pub actions: &'static [&'static str],
}

impl Preset {
    /// The preset's actions on `resources`, as a statement.
    pub fn statement<V: Into<Value<String>>>(
        &self,
        resources: impl IntoIterator<Item = V>,
    ) -> Statement {
        let mut actions = self.actions.iter().map(|a| action(a));
        let first = actions
            .next()
            .unwrap_or_else(|| action("sts:GetCallerIdentity"));
        Statement::allow(first)
            .actions(actions)
            .resources(resources)
    }

    /// A grant of this preset on `resources`, named `<preset> on <what>`.
    pub fn grant<V: Into<Value<String>>>(
        &self,
        what: &str,
        resources: impl IntoIterator<Item = V>,
    ) -> Grant {
        Grant::new(format!("{} on {what}", self.name)).statement(self.statement(resources))
    }
}

/// An action named by a constant of this crate (presets, construct policies). Every one is
/// checked by the tests against AWS's action data, so this cannot fail for a released build.
pub(crate) fn action(name: &str) -> Action {
    Action::new(name).expect("the crate's own actions are valid `service:Action` names")
}

/// A service principal named by a constant of this crate, such as `events.amazonaws.com`.
pub(crate) fn service_principal(name: &str) -> Principal {
    Principal::service(name).expect("the crate's own service principals are valid")
}

/// Anything that collects grants: a role being built
/// ([`ServiceRole`](crate::blocks::iam::ServiceRole)) or a function's props
/// ([`FunctionProps`](crate::blocks::lambda::FunctionProps)). The `grant_*` methods of
/// resource handles take any grantee.
///
/// ```
/// use constructs::blocks::lambda::FunctionProps;
/// use constructs::cfn::sqs::Queue;
/// use constructs::Stack;
///
/// let mut stack = Stack::new("App");
/// let jobs = stack.add("Jobs", Queue::new());
/// let mut worker = FunctionProps::python("...");
/// jobs.grant_consume(&mut worker);
/// ```
pub trait Grantee {
    /// Adds `grant` to what the grantee will hold.
    fn add_grant(&mut self, grant: Grant);
}
