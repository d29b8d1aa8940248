//! Grants: named sets of permissions, and the service roles that collect them.
//!
//! A [`Grant`] is a value: the statements one kind of access to one resource needs, with a
//! name for the audit report. Grants are made by the functions in [`presets`](super::presets),
//! one module per service, each typed by the handle of the resource it grants access to, so
//! granting an access a resource does not have does not compile. A [`ServiceRole`] collects
//! grants and becomes an `AWS::IAM::Role` that exactly one service may assume, with no AWS
//! managed policy and nothing it was not granted.

use crate::cfn::iam::{role, ManagedPolicy, Role};
use crate::diagnostics::{Code, Diagnostic};
use crate::{Handle, Scope, Value};

use super::condition::{Condition, ConditionKey};
use super::policy::PolicyDocument;
use super::principal::Principal;
use super::report::{describe, GrantExplanation, PolicyExplanation};
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

/// A role that exactly one AWS service assumes, holding only what it was granted.
///
/// ```
/// use constructs::iam::{presets, ServiceRole};
/// use constructs::{Stack, cfn::logs::LogGroup};
///
/// let mut stack = Stack::new("App");
/// let logs = stack.add("Logs", LogGroup::new().retention_in_days(30));
/// let mut role = ServiceRole::new("lambda.amazonaws.com");
/// role.grant(presets::logs::write(&logs));
/// let handle = role.add_to(&mut stack.scope(), "FunctionRole");
/// assert_eq!(handle.logical_id(), "FunctionRole");
/// ```
#[derive(Clone, Debug)]
pub struct ServiceRole {
    service: &'static str,
    trust_conditions: Vec<Condition>,
    description: Option<String>,
    grants: Vec<Grant>,
}

impl ServiceRole {
    /// A role for `service` (such as `lambda.amazonaws.com`) with no permissions yet.
    pub fn new(service: &'static str) -> Self {
        Self {
            service,
            trust_conditions: Vec::new(),
            description: None,
            grants: Vec::new(),
        }
    }

    /// A condition on the trust policy, such as `aws:SourceAccount` for services that set it.
    pub fn trust_condition(mut self, condition: Condition) -> Self {
        self.trust_conditions.push(condition);
        self
    }

    /// Trusts the service only when it acts for a resource of the stack's account whose ARN is
    /// like `source_arn` (`*` wildcards): `aws:SourceAccount` and `aws:SourceArn`, AWS's
    /// confused-deputy guard, for services that set both when they assume a role.
    ///
    /// ```
    /// use constructs::fns;
    /// use constructs::iam::ServiceRole;
    ///
    /// let role = ServiceRole::new("events.amazonaws.com").scoped_to(fns::sub(
    ///     "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*",
    /// ));
    /// # let _ = role;
    /// ```
    pub fn scoped_to(self, source_arn: Value<String>) -> Self {
        self.trust_condition(Condition::string_equals(
            ConditionKey::SOURCE_ACCOUNT,
            crate::fns::account_id(),
        ))
        .trust_condition(Condition::arn_like(ConditionKey::SOURCE_ARN, source_arn))
    }

    /// The role's description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds a grant.
    pub fn grant(&mut self, grant: Grant) {
        self.grants.push(grant);
    }

    /// The grants so far.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// Adds the role to `scope` under `id`: merged statements in an inline policy, overflow in
    /// managed policies attached to it, and an entry in the stack's IAM report. A policy that
    /// cannot be laid out within IAM's limits is reported with its code.
    pub fn add_to(self, scope: &mut Scope<'_>, id: &str) -> Handle<Role> {
        let principal = match Principal::service(self.service) {
            Ok(p) => p,
            Err(e) => {
                scope.report(Diagnostic::error(
                    Code::InvalidIamPolicy,
                    scope.path(),
                    e.message(),
                ));
                Principal::any()
            }
        };
        let mut trust_statement = Statement::allow(action("sts:AssumeRole")).principal(principal);
        for condition in self.trust_conditions {
            trust_statement = trust_statement.condition(condition);
        }
        let trust = PolicyDocument::new().statement(trust_statement);

        let mut document = PolicyDocument::new();
        for grant in &self.grants {
            for statement in grant.statements() {
                document.push(statement.clone());
            }
        }
        let path = format!("{}/{id}", scope.path());
        let (inline, managed) = match document.split_for_role() {
            Ok(split) => (split.inline, split.managed),
            Err(e) => {
                let code = match e.code() {
                    "iam-too-many-managed-policies" => Code::TooManyManagedPolicies,
                    _ => Code::InvalidIamPolicy,
                };
                scope.report(Diagnostic::error(code, &path, e.message()));
                (PolicyDocument::new(), Vec::new())
            }
        };

        let mut role = Role::new(trust);
        if let Some(text) = &self.description {
            role = role.description(text.as_str());
        }
        if !inline.is_empty() {
            role = role.policies(vec![role::Policy::new(inline, "Grants")]);
        }
        let handle = scope.add(id, role);
        for (i, document) in managed.into_iter().enumerate() {
            scope.add(
                &format!("{id}Policy{}", i + 1),
                ManagedPolicy::new(document).roles(vec![handle.reference()]),
            );
        }
        scope.explain(PolicyExplanation {
            policy: path,
            principal: self.service.to_owned(),
            grants: self
                .grants
                .iter()
                .map(|g| GrantExplanation {
                    grant: g.name.clone(),
                    actions: g
                        .statements
                        .iter()
                        .flat_map(|s| s.action_list().map(|a| a.as_str().to_owned()))
                        .collect(),
                    resources: g
                        .statements
                        .iter()
                        .flat_map(|s| s.resource_list())
                        .map(describe)
                        .collect(),
                })
                .collect(),
        });
        handle
    }
}
