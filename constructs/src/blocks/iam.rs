//! IAM: [`ServiceRole`], a role that exactly one AWS service assumes, holding only what it was
//! granted. The policy data it is made of ([`Grant`], presets, statements) lives in
//! [`iam`](crate::iam), which builds no resource.

use crate::cfn::iam::{role, ManagedPolicy, Role};
use crate::diagnostics::DomainError;
use crate::iam::{
    action, describe, Condition, ConditionKey, Grant, GrantExplanation, Grantee, PolicyDocument,
    PolicyExplanation, Principal, Statement,
};
use crate::{Handle, Scope, Value};

/// A role that exactly one AWS service assumes, holding only what it was granted.
///
/// ```
/// use constructs::blocks::iam::ServiceRole;
/// use constructs::iam::presets;
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
    /// use constructs::blocks::iam::ServiceRole;
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
        // Both problems below belong to the role, so both are reported at its path.
        let path = format!("{}/{id}", scope.path());
        let principal = match Principal::service(self.service) {
            Ok(p) => p,
            Err(e) => {
                scope.report(e.to_diagnostic(&path));
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
        let (inline, managed) = match document.split_for_role() {
            Ok(split) => (split.inline, split.managed),
            Err(e) => {
                scope.report(e.to_diagnostic(&path));
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
                    grant: g.name().to_owned(),
                    actions: g
                        .statements()
                        .iter()
                        .flat_map(|s| s.action_list().map(|a| a.as_str().to_owned()))
                        .collect(),
                    resources: g
                        .statements()
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

impl Grantee for ServiceRole {
    fn add_grant(&mut self, grant: Grant) {
        self.grant(grant);
    }
}
