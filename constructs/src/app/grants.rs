//! Grants after construction: a role that a construct (or someone else) already built takes
//! more permissions, in an `AWS::IAM::Policy` of the stack the grant is written into.
//!
//! ## Why the grant goes through the stack
//!
//! A role a pattern builds has its inline policy written when the pattern returns, so a later
//! grant cannot edit it: it needs a resource of its own, and a resource needs a stack. Granting
//! therefore takes `&mut` of the [`Stack`] the policy goes into ([`Stack::grant`]) or of the
//! [`App`] ([`App::grant`], which puts it in the role's own stack); the borrow checker then
//! proves that every grant lands in a stack synth will read, and nothing is kept aside to be
//! applied later. Each role gets one policy per stack, `<role>Grants`, re-laid out on every
//! grant, so ten grants are one policy (split into `<role>Grants2`… managed policies only when
//! IAM's size limits require it), the way the AWS CDK's `DefaultPolicy` collects them.
//!
//! The policy belongs in the role's stack: it names the resources it grants on (imported from
//! their stacks when they are elsewhere), and the role's stack then depends on theirs, never
//! the reverse, so granting across stacks in both directions adds no cycle.

use indexmap::IndexMap;

use crate::blocks::iam::{Grantable, RoleRef, RoleTarget};
use crate::cfn::iam::{ManagedPolicy, Policy};
use crate::diagnostics::{Code, Diagnostic, DomainError};
use crate::iam::{
    describe, estimated_size, Grant, GrantExplanation, Grantee, PolicyDocument, PolicyExplanation,
    RoleLimits, MAX_INLINE_ROLE_POLICY_CHARS, MAX_MANAGED_POLICIES_PER_ROLE,
};
use crate::model::expr::Expr;
use crate::model::value::kinds::List;
use crate::model::value::Value;
use crate::resource::{Resource, ResourceOptions};

use super::stack::{Stack, StackResource};
use super::App;

/// The grants one role holds in one stack, and the resources they were written into.
#[derive(Clone, Debug)]
pub(crate) struct RoleGrants {
    role: RoleRef,
    grants: Vec<Grant>,
    /// The logical ids written for them, first the `AWS::IAM::Policy`.
    written: Vec<String>,
}

impl Stack {
    /// Grants `grant` to the role of `to`, in an `AWS::IAM::Policy` of this stack attached to
    /// the role by name: a role any construct built (a [`ServerlessApi`](crate::serverless::ServerlessApi)
    /// function, a [`FargateService`](crate::fargate::FargateService)'s task role, a
    /// [`Function`](crate::blocks::lambda::Function), a pipeline's function) or one built
    /// elsewhere ([`RoleRef::from_name`]). Every grant to one role in one stack goes into the
    /// same policy, `<role>Grants`; `--explain-iam` lists it with each grant's name.
    ///
    /// Write the grant into the role's stack (or use [`App::grant`], which does): a role of
    /// another stack is attached by an import of its name, and the stack then depends on the
    /// role's.
    ///
    /// ```
    /// use constructs::blocks::lambda::{Function, FunctionProps};
    /// use constructs::cfn::sqs::Queue;
    /// use constructs::iam::presets;
    /// use constructs::{App, Stack};
    ///
    /// let mut stack = Stack::new("Jobs");
    /// let worker = Function::new(&mut stack, "Worker", FunctionProps::python("def handler(e, c): pass"));
    /// let queue = stack.add("Jobs", Queue::new());
    /// stack.grant(&worker, presets::sqs::send(&queue));
    /// queue.grant_consume(&mut stack.grants_to(&worker));
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// let template = &app.assemble().unwrap().stacks[0].json;
    /// assert!(template.contains("\"WorkerRoleGrants\""));
    /// ```
    pub fn grant(&mut self, to: &impl Grantable, grant: Grant) {
        let role = to.role_ref();
        let Some((base, path)) = self.grant_base(&role) else {
            return;
        };
        let entry = self
            .role_grants
            .entry(base.clone())
            .or_insert_with(|| RoleGrants {
                role,
                grants: Vec::new(),
                written: Vec::new(),
            });
        entry.grants.push(grant);
        self.write_grants(&base, &path);
    }

    /// A [`Grantee`] that writes what it is granted to the role of `to`, in this stack, so the
    /// `grant_*` methods of resource handles work after construction:
    /// `table.grant_get_item(&mut stack.grants_to(&api.function("Items").unwrap()))`.
    pub fn grants_to(&mut self, to: &impl Grantable) -> StackGrants<'_> {
        StackGrants {
            stack: self,
            role: to.role_ref(),
        }
    }

    /// The id the role's policies are named after and the construct path of the policy, or
    /// `None` after reporting why the role cannot take a policy.
    fn grant_base(&mut self, role: &RoleRef) -> Option<(String, String)> {
        match &role.target {
            RoleTarget::InApp(handle) => {
                let base = handle.logical_id().to_owned();
                let path = match self.resources.get(&base) {
                    Some(r) if handle.stack_name() == self.name() => format!("{}/Grants", r.path),
                    _ => format!("{}/{base}Grants", self.name()),
                };
                Some((base, path))
            }
            RoleTarget::Imported { id, name, arn } => {
                let path = format!("{}/{id}Grants", self.name());
                if name.is_none() {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::RoleNameUnknown,
                            &path,
                            format!(
                                "`{arn}` is not the ARN of a role, so the role's name, which \
                                 an `AWS::IAM::Policy` attaches by, is unknown"
                            ),
                        )
                        .with_hint(
                            "write the ARN out (arn:aws:iam::ACCOUNT:role/NAME), or pass the \
                             name with RoleRef::from_name",
                        ),
                    );
                    return None;
                }
                Some((id.clone(), path))
            }
        }
    }

    /// Lays out the grants of the role `base` again and rewrites their policies.
    fn write_grants(&mut self, base: &str, path: &str) {
        let Some(entry) = self.role_grants.get(base) else {
            return;
        };
        let role = entry.role.clone();
        let grants = entry.grants.clone();
        let old = entry.written.clone();
        let name: Value<String> = match &role.target {
            RoleTarget::InApp(handle) => handle.reference(),
            RoleTarget::Imported { name, .. } => name.clone().unwrap_or_else(|| "".into()),
        };

        let mut document = PolicyDocument::new();
        for grant in &grants {
            for statement in grant.statements() {
                document.push(statement.clone());
            }
        }
        let limits = self.limits_left(&role, &old);
        let split = match document.split_for_role_with(&limits) {
            Ok(split) => split,
            Err(e) => {
                self.diagnostics.push(e.to_diagnostic(path));
                return;
            }
        };

        let policy_id = format!("{base}Grants");
        let mut written = vec![policy_id.clone()];
        let roles = || -> Value<List<String>> { vec![name.clone()].into() };
        let put = |stack: &mut Stack, id: &str, res_path: String, resource: StackResource| {
            if stack.resources.contains_key(id) && !old.iter().any(|o| o == id) {
                let first = stack.resources[id].path.clone();
                stack.duplicate("resource", id, &first, &res_path);
            } else {
                stack.resources.insert(id.to_owned(), resource);
            }
        };
        let policy = Policy::new(split.inline, policy_id.as_str()).roles(roles());
        put(self, &policy_id, path.to_owned(), entry_of(path, policy));
        for (i, document) in split.managed.into_iter().enumerate() {
            let id = format!("{base}Grants{}", i + 2);
            let res_path = format!("{path}{}", i + 2);
            let managed = ManagedPolicy::new(document).roles(roles());
            put(self, &id, res_path.clone(), entry_of(&res_path, managed));
            written.push(id);
        }
        for stale in old.iter().filter(|o| !written.contains(o)) {
            self.resources.shift_remove(stale);
        }

        let principal = match &role.target {
            RoleTarget::InApp(handle) => format!("role {}", handle.logical_id()),
            RoleTarget::Imported { name, .. } => {
                format!(
                    "role {}",
                    name.as_ref().map_or(String::new(), |n| describe(n.expr()))
                )
            }
        };
        let explanation = PolicyExplanation {
            policy: path.to_owned(),
            principal,
            grants: grants.iter().map(GrantExplanation::from).collect(),
        };
        self.iam_report.retain(|e| e.policy != path);
        self.iam_report.push(explanation);
        if let Some(entry) = self.role_grants.get_mut(base) {
            entry.written = written;
        }
    }

    /// IAM's limits less what a role of this stack already uses: the size of its own inline
    /// policies (IAM counts a role's inline policies together) and its managed policies. For a
    /// role of another stack or account that is not known here, and AWS's limits are used.
    fn limits_left(&self, role: &RoleRef, ours: &[String]) -> RoleLimits {
        let mut limits = RoleLimits::default();
        let RoleTarget::InApp(handle) = &role.target else {
            return limits;
        };
        if handle.stack_name() != self.name() {
            return limits;
        }
        if let Some(r) = self.resources.get(handle.logical_id()) {
            if let Some(Expr::List(policies)) = r.properties.get("Policies") {
                let used: usize = policies
                    .iter()
                    .filter_map(|p| match p {
                        Expr::Map(m) => m.get("PolicyDocument").map(estimated_size),
                        _ => None,
                    })
                    .sum();
                limits.inline_chars = MAX_INLINE_ROLE_POLICY_CHARS.saturating_sub(used);
            }
        }
        let attached = self
            .resources
            .iter()
            .filter(|(id, r)| {
                r.type_name == "AWS::IAM::ManagedPolicy"
                    && !ours.contains(id)
                    && matches!(r.properties.get("Roles"), Some(Expr::List(roles))
                        if roles.iter().any(|x| matches!(x, Expr::Ref { name, .. } if name == handle.logical_id())))
            })
            .count();
        limits.max_managed = MAX_MANAGED_POLICIES_PER_ROLE.saturating_sub(attached);
        limits
    }
}

/// The stack entry of a resource written for grants.
fn entry_of<R: Resource>(path: &str, resource: R) -> StackResource {
    let options = ResourceOptions::default();
    StackResource {
        path: path.to_owned(),
        type_name: resource.type_name().to_owned(),
        attributes: resource.attributes(),
        tagging: resource.tagging(),
        properties: resource.into_properties(),
        depends_on: options.depends_on,
        condition: None,
        deletion_policy: None,
        update_replace_policy: None,
        metadata: IndexMap::new(),
    }
}

/// What [`Stack::grants_to`] returns: a [`Grantee`] writing into the stack.
pub struct StackGrants<'s> {
    stack: &'s mut Stack,
    role: RoleRef,
}

impl Grantee for StackGrants<'_> {
    fn add_grant(&mut self, grant: Grant) {
        self.stack.grant(&self.role, grant);
    }
}

impl App {
    /// Grants `grant` to the role of `to` in the role's own stack ([`Stack::grant`] there),
    /// wherever the resources granted on are: their ARNs are imported into the role's stack, so
    /// the role's stack depends on theirs and granting in both directions between two stacks
    /// adds no cycle. The role's stack must be in the app already; a role built elsewhere
    /// ([`RoleRef::from_name`]) has no stack here, so its grants go through
    /// [`Stack::grant`] of the stack that should hold them (both are reported,
    /// [`Code::GrantOutsideApp`]).
    ///
    /// ```
    /// use constructs::blocks::lambda::{Function, FunctionProps};
    /// use constructs::cfn::sqs::Queue;
    /// use constructs::iam::presets;
    /// use constructs::{App, Stack};
    ///
    /// let mut app = App::new();
    /// let mut data = Stack::new("Data");
    /// let queue = data.add("Jobs", Queue::new());
    /// let mut compute = Stack::new("Compute");
    /// let worker = Function::new(&mut compute, "Worker", FunctionProps::python("def handler(e, c): pass"));
    /// app.add_stack(data);
    /// app.add_stack(compute);
    /// app.grant(&worker, presets::sqs::consume(&queue));
    /// let assembly = app.assemble().unwrap();
    /// assert_eq!(assembly.deploy_order, ["Data", "Compute"]);
    /// ```
    pub fn grant(&mut self, to: &impl Grantable, grant: Grant) {
        let role = to.role_ref();
        let target = match &role.target {
            RoleTarget::InApp(handle) => self
                .stacks
                .iter()
                .position(|s| s.name() == handle.stack_name()),
            RoleTarget::Imported { .. } => None,
        };
        match target {
            Some(i) => self.stacks[i].grant(&role, grant),
            None => {
                let (what, path) = match &role.target {
                    RoleTarget::InApp(h) => (
                        format!("the role `{}` is in stack `{}`, which is not in the app", h.logical_id(), h.stack_name()),
                        format!("{}/{}", h.stack_name(), h.logical_id()),
                    ),
                    RoleTarget::Imported { id, .. } => (
                        format!("the role `{id}` was built elsewhere, so no stack of the app is its own"),
                        id.clone(),
                    ),
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::GrantOutsideApp,
                        path,
                        format!("`{}` cannot be placed: {what}", grant.name()),
                    )
                    .with_hint("add the role's stack to the app first, or grant with Stack::grant on the stack that should hold the policy"),
                );
            }
        }
    }

    /// A [`Grantee`] that writes what it is granted as [`App::grant`] does.
    pub fn grants_to(&mut self, to: &impl Grantable) -> AppGrants<'_> {
        AppGrants {
            app: self,
            role: to.role_ref(),
        }
    }
}

/// What [`App::grants_to`] returns: a [`Grantee`] writing into the role's stack.
pub struct AppGrants<'a> {
    app: &'a mut App,
    role: RoleRef,
}

impl Grantee for AppGrants<'_> {
    fn add_grant(&mut self, grant: Grant) {
        self.app.grant(&self.role, grant);
    }
}
