//! IAM: [`ServiceRole`], a role that exactly one AWS service assumes, holding only what it was
//! granted. The policy data it is made of ([`Grant`], presets, statements) lives in
//! [`iam`](crate::iam), which builds no resource.

use crate::cfn::iam::{role, ManagedPolicy, Role};
use crate::diagnostics::DomainError;
use crate::iam::{
    action, Condition, ConditionKey, Grant, GrantExplanation, Grantee, PolicyDocument,
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
            grants: self.grants.iter().map(GrantExplanation::from).collect(),
        });
        handle
    }
}

impl Grantee for ServiceRole {
    fn add_grant(&mut self, grant: Grant) {
        self.grant(grant);
    }
}

/// A role that takes grants after it was built: one of the app's roles (any construct's:
/// [`Function::role`](crate::blocks::lambda::Function::role),
/// [`ServerlessApi::function`](crate::serverless::ServerlessApi::function),
/// [`FargateService::task_role`](crate::fargate::FargateService::task_role), a pipeline's
/// functions) or one built elsewhere, by name or by a literal ARN.
///
/// Grants to it go through [`Stack::grant`](crate::Stack::grant) or
/// [`App::grant`](crate::App::grant), which write them into one `AWS::IAM::Policy` per role and
/// stack, attached by the role's name.
///
/// ```
/// use constructs::blocks::iam::RoleRef;
///
/// let ops = RoleRef::from_name("Ops", "ops-automation");
/// let audit = RoleRef::from_arn("Audit", "arn:aws:iam::123456789012:role/team/audit");
/// # let _ = (ops, audit);
/// ```
#[derive(Clone, Debug)]
pub struct RoleRef {
    pub(crate) target: RoleTarget,
}

/// Where a [`RoleRef`]'s role is.
#[derive(Clone, Debug)]
pub(crate) enum RoleTarget {
    /// A role of the app.
    InApp(Handle<crate::cfn::iam::Role>),
    /// A role built elsewhere: the id its policy is named after, and its name, when known (an
    /// ARN that is not a literal does not give it away).
    Imported {
        id: String,
        name: Option<Value<String>>,
        arn: String,
    },
}

impl RoleRef {
    /// A role of the app, by its handle.
    pub fn of(role: &Handle<crate::cfn::iam::Role>) -> Self {
        Self {
            target: RoleTarget::InApp(role.clone()),
        }
    }

    /// A role built elsewhere, by its name (a literal, a parameter, an import). `id` names the
    /// policy that holds its grants (`<id>Grants`).
    pub fn from_name(id: &str, name: impl Into<Value<String>>) -> Self {
        Self {
            target: RoleTarget::Imported {
                id: id.to_owned(),
                name: Some(name.into()),
                arn: String::new(),
            },
        }
    }

    /// A role built elsewhere, by its ARN, written out (`arn:aws:iam::123456789012:role/path/name`):
    /// an `AWS::IAM::Policy` attaches to a role by name, and the name is the ARN's last
    /// segment. An ARN that is not of a role is reported when it is granted to
    /// ([`Code::RoleNameUnknown`](crate::Code::RoleNameUnknown)); for an ARN known only at
    /// deploy time, pass the name with [`from_name`](Self::from_name).
    pub fn from_arn(id: &str, arn: &str) -> Self {
        let name = role_name_of_arn(arn).map(Value::from);
        Self {
            target: RoleTarget::Imported {
                id: id.to_owned(),
                name,
                arn: arn.to_owned(),
            },
        }
    }
}

/// The name of the role a literal role ARN names.
fn role_name_of_arn(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "iam" {
        return None;
    }
    let resource = parts[5].strip_prefix("role/")?;
    let name = resource.rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// Anything whose role takes grants after it was built; see [`RoleRef`].
pub trait Grantable {
    /// The role grants go to.
    fn role_ref(&self) -> RoleRef;
}

impl Grantable for RoleRef {
    fn role_ref(&self) -> RoleRef {
        self.clone()
    }
}

impl Grantable for Handle<crate::cfn::iam::Role> {
    fn role_ref(&self) -> RoleRef {
        RoleRef::of(self)
    }
}

impl Grantable for crate::blocks::lambda::Function {
    fn role_ref(&self) -> RoleRef {
        RoleRef::of(self.role())
    }
}

impl Grantable for crate::serverless::ApiFunction {
    fn role_ref(&self) -> RoleRef {
        RoleRef::of(&self.role)
    }
}

impl Grantable for crate::pipeline::PipelineFunction {
    fn role_ref(&self) -> RoleRef {
        RoleRef::of(self.role())
    }
}

impl Grantable for crate::fargate::FargateService {
    /// The task role: the application's.
    fn role_ref(&self) -> RoleRef {
        RoleRef::of(self.task_role())
    }
}

impl<T: Grantable> Grantable for &T {
    fn role_ref(&self) -> RoleRef {
        (**self).role_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::role_name_of_arn;

    #[test]
    fn a_role_name_is_the_last_segment_of_its_arn() {
        let name = |arn| role_name_of_arn(arn);
        assert_eq!(
            name("arn:aws:iam::123456789012:role/ops").as_deref(),
            Some("ops")
        );
        assert_eq!(
            name("arn:aws:iam::123456789012:role/team/a/audit").as_deref(),
            Some("audit")
        );
        assert_eq!(name("arn:aws:iam::123456789012:user/ops"), None);
        assert_eq!(name("arn:aws:sqs:us-east-1:123456789012:role/x"), None);
        assert_eq!(name("ops"), None);
        assert_eq!(name("arn:aws:iam::123456789012:role/"), None);
    }
}
