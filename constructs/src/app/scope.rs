//! Scopes: where constructs add resources, under a path and a logical-id prefix.

use crate::asset::AssetLocation;
use crate::diagnostics::{Code, Diagnostic, DomainError};
use crate::model::expr::Expr;
use crate::model::logical_id::LogicalId;
use crate::model::template::{ConditionRef, Mapping, MappingRef};
use crate::model::value::kinds::Cond;
use crate::model::value::Value;
use crate::resource::{AnyHandle, Handle, Resource, ResourceOptions};

use super::output::Output;
use super::parameter::Parameter;
use super::stack::{Entry, OutputEntry, Stack, StackResource};

/// A place in a stack where a construct adds its resources.
///
/// A scope has a construct path (`Stack/Network/Web`, used in error messages) and a logical-id
/// prefix (`NetworkWeb`). A construct called with id `Network` makes a child scope `Network`
/// and adds its resources under fixed suffixes, so their logical ids (`NetworkVpc`,
/// `NetworkPublicSubnet1`) depend only on ids the user chose, never on where the code sits.
///
/// ```
/// use constructs::{Stack, cfn::ec2::Vpc};
///
/// let mut stack = Stack::new("Network");
/// let mut scope = stack.scope();
/// let mut network = scope.child("Core");
/// let vpc = network.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
/// assert_eq!(vpc.logical_id(), "CoreVpc");
/// assert_eq!(network.path(), "Network/Core");
/// ```
pub struct Scope<'a> {
    stack: &'a mut Stack,
    path: String,
    prefix: String,
}

impl<'a> Scope<'a> {
    fn root(stack: &'a mut Stack) -> Self {
        let path = stack.name().to_owned();
        Self {
            stack,
            path,
            prefix: String::new(),
        }
    }

    /// A child scope: its path gains `/id` and its logical ids the prefix `id`.
    pub fn child(&mut self, id: &str) -> Scope<'_> {
        Scope {
            path: format!("{}/{}", self.path, id),
            prefix: format!("{}{}", self.prefix, id),
            stack: self.stack,
        }
    }

    /// The construct path of this scope, starting with the stack name.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The logical id a resource added here under `id` gets.
    pub fn logical_id(&self, id: &str) -> String {
        format!("{}{}", self.prefix, id)
    }

    /// The stack this scope adds to.
    pub fn stack(&self) -> &Stack {
        self.stack
    }

    /// Reports a problem found by a construct; synth fails if it is an error.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.stack.diagnostics.push(diagnostic);
    }

    /// Records a VPC's plan, for `--plan` ([`Stack::vpc_plans`]).
    pub(crate) fn record_vpc_plan(&mut self, plan: crate::network::VpcPlan) {
        self.stack.vpc_plans.push(plan);
    }

    /// Records what a role or resource policy grants, for the stack's IAM audit report.
    pub fn explain(&mut self, explanation: crate::iam::PolicyExplanation) {
        self.stack.iam_report.push(explanation);
    }

    /// Adds a resource under the logical id `prefix + id` and returns its typed handle.
    ///
    /// An invalid or duplicate logical id does not stop the build: it is reported by synth with
    /// both construct paths, before anything is written.
    pub fn add<R: Resource>(&mut self, id: &str, resource: R) -> Handle<R> {
        self.add_with(id, resource, ResourceOptions::default())
    }

    /// Rewrites the properties of `handle`, a resource already added to this scope's stack,
    /// as `resource` says, and returns its construct path. Its logical id, options and place
    /// in the template stay. This is how a construct keeps one resource whole when what it
    /// holds grows after it was built: the one policy of a queue or topic that gains a sender
    /// is rewritten, never joined by a second policy (for a queue or topic CloudFormation would
    /// let the second replace the first on AWS).
    ///
    /// A handle of another stack, or of a resource not (or no longer) in this stack, is
    /// reported (`not-in-this-stack`) at `path` and `None` is returned.
    pub(crate) fn rewrite<R: Resource>(
        &mut self,
        handle: &Handle<R>,
        resource: R,
        path: &str,
    ) -> Option<String> {
        let here = self.stack.name().to_owned();
        let entry = (AnyHandle::from(handle).stack == self.stack.stack_ref())
            .then(|| self.stack.resources.get_mut(handle.logical_id()))
            .flatten()
            .filter(|entry| entry.type_name == resource.type_name());
        let Some(entry) = entry else {
            self.report(
                Diagnostic::error(
                    Code::NotInThisStack,
                    path,
                    format!(
                        "`{}` of stack `{}` is not a {} of stack `{here}`, so it cannot be \
                         changed here",
                        handle.logical_id(),
                        handle.stack_name(),
                        resource.type_name()
                    ),
                )
                .with_hint("change it through a scope of the stack that holds it"),
            );
            return None;
        };
        entry.properties = resource.into_properties();
        Some(entry.path.clone())
    }

    /// Adds a resource with `DependsOn`, `Condition`, deletion policies or metadata.
    pub fn add_with<R: Resource>(
        &mut self,
        id: &str,
        resource: R,
        options: ResourceOptions,
    ) -> Handle<R> {
        let (logical_id, path) = self.claim(id, "resource");
        for dep in &options.depends_on {
            if dep.stack != self.stack.name {
                self.report(
                    Diagnostic::error(
                        Code::CrossStackDependsOn,
                        &path,
                        format!(
                            "DependsOn names `{}` of stack `{}`; CloudFormation orders resources only within one stack",
                            dep.logical_id, dep.stack
                        ),
                    )
                    .with_hint("stacks are deployed in dependency order already; drop the DependsOn"),
                );
            }
        }
        let handle = Handle::new(self.stack.stack_ref(), logical_id.clone());
        if let Some(first) = self.stack.resources.get(&logical_id) {
            let first = first.path.clone();
            self.stack.duplicate("resource", &logical_id, &first, &path);
            return handle;
        }
        let entry = StackResource {
            path,
            type_name: resource.type_name().to_owned(),
            attributes: resource.attributes(),
            tagging: resource.tagging(),
            properties: resource.into_properties(),
            depends_on: options.depends_on,
            condition: options.condition.map(|c| c.name().to_owned()),
            deletion_policy: options.deletion_policy,
            update_replace_policy: options.update_replace_policy,
            metadata: options.metadata,
        };
        self.stack.resources.insert(logical_id, entry);
        handle
    }

    /// Adds a template parameter and returns its value (`Ref` of the parameter).
    pub fn add_parameter<T>(&mut self, id: &str, parameter: Parameter<T>) -> Value<T> {
        let (logical_id, path) = self.claim(id, "parameter");
        let value = Value::unchecked(Expr::Ref {
            stack: Some(self.stack.stack_ref()),
            name: logical_id.clone(),
        });
        if let Some(first) = self.stack.parameters.get(&logical_id) {
            let first = first.path.clone();
            self.stack
                .duplicate("parameter", &logical_id, &first, &path);
        } else {
            let item = parameter.into_template();
            self.stack
                .parameters
                .insert(logical_id, Entry { path, item });
        }
        value
    }

    /// Adds a named condition.
    pub fn add_condition(&mut self, id: &str, condition: Value<Cond>) -> ConditionRef {
        let (logical_id, path) = self.claim(id, "condition");
        if let Some(first) = self.stack.conditions.get(&logical_id) {
            let first = first.path.clone();
            self.stack
                .duplicate("condition", &logical_id, &first, &path);
        } else {
            let item = condition.into_expr();
            self.stack
                .conditions
                .insert(logical_id.clone(), Entry { path, item });
        }
        ConditionRef::new(logical_id)
    }

    /// Adds a mapping: top-level key, then second-level key, to a literal value.
    pub fn add_mapping(&mut self, id: &str, mapping: Mapping) -> MappingRef {
        let (logical_id, path) = self.claim(id, "mapping");
        if let Some(first) = self.stack.mappings.get(&logical_id) {
            let first = first.path.clone();
            self.stack.duplicate("mapping", &logical_id, &first, &path);
        } else {
            self.stack.mappings.insert(
                logical_id.clone(),
                Entry {
                    path,
                    item: mapping,
                },
            );
        }
        MappingRef::new(logical_id)
    }

    /// Adds an output.
    pub fn add_output<T>(&mut self, id: &str, output: Output<T>) {
        let (logical_id, path) = self.claim(id, "output");
        if let Some(first) = self.stack.outputs.get(&logical_id) {
            let first = first.path.clone();
            self.stack.duplicate("output", &logical_id, &first, &path);
            return;
        }
        let item = OutputEntry {
            description: output.description,
            condition: output.condition.map(|c| c.name().to_owned()),
            value: output.value.into_expr(),
            export_name: output.export_name.map(Value::into_expr),
        };
        self.stack.outputs.insert(logical_id, Entry { path, item });
    }

    /// Packs a local directory (or takes a `.zip` file as it is) as an asset of the stack and
    /// returns where it will be in S3: the bucket, a `Ref` to the stack's
    /// [`AssetsBucket`](crate::asset::BUCKET_PARAMETER) parameter (added with the first asset),
    /// and the key `assets/<sha256>.zip`.
    ///
    /// The directory is packed now, into a zip that is the same bytes for the same files on
    /// every run and machine (see [`asset`](crate::asset)); adding the same content twice
    /// records it once. Synth writes it to `<out>/assets/<sha256>.zip` and lists it in
    /// `manifest.json`, whose deploy commands upload it first. A relative path is relative to
    /// the directory synth runs in.
    ///
    /// This never fails: a missing path, an empty directory, a symbolic link inside it or an
    /// unreadable file is reported as an error with the construct path of this scope (synth
    /// then writes nothing), and a placeholder location is returned.
    ///
    /// ```
    /// use constructs::{App, Code, Stack};
    ///
    /// let mut stack = Stack::new("Functions");
    /// let location = stack.scope().child("Api").add_asset("no/such/dir");
    /// assert_eq!(location.hash(), "");
    /// # stack.add("Logs", constructs::cfn::logs::LogGroup::new());
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// let error = app.assemble().unwrap_err();
    /// assert!(error.has(Code::AssetNotFound));
    /// assert_eq!(error.errors().next().unwrap().path, "Functions/Api");
    /// ```
    pub fn add_asset(&mut self, path: impl AsRef<std::path::Path>) -> AssetLocation {
        self.stack.add_asset_for(&self.path, path.as_ref())
    }

    /// [`add_asset`](Self::add_asset) for the construct at `construct` (where a problem with
    /// the asset is reported).
    pub(crate) fn add_asset_for(
        &mut self,
        construct: &str,
        path: &std::path::Path,
    ) -> AssetLocation {
        self.stack.add_asset_for(construct, path)
    }

    /// The logical id and construct path of `id` here, reporting an invalid id.
    fn claim(&mut self, id: &str, what: &str) -> (String, String) {
        let logical_id = self.logical_id(id);
        let path = format!("{}/{}", self.path, id);
        if let Err(e) = LogicalId::new(logical_id.as_str()) {
            let mut diagnostic = e.to_diagnostic(&path);
            diagnostic.message = format!("{what}: {}", diagnostic.message);
            self.report(diagnostic);
        }
        (logical_id, path)
    }
}

/// Adding to a stack: each method adds at the stack's root scope.
impl Stack {
    /// The root scope: resources added here get the logical id they are given.
    pub fn scope(&mut self) -> Scope<'_> {
        Scope::root(self)
    }

    /// Adds a resource under `id`; see [`Scope::add`].
    pub fn add<R: Resource>(&mut self, id: &str, resource: R) -> Handle<R> {
        self.scope().add(id, resource)
    }

    /// Adds a resource with options; see [`Scope::add_with`].
    pub fn add_with<R: Resource>(
        &mut self,
        id: &str,
        resource: R,
        options: ResourceOptions,
    ) -> Handle<R> {
        self.scope().add_with(id, resource, options)
    }

    /// Adds a parameter; see [`Scope::add_parameter`].
    pub fn add_parameter<T>(&mut self, id: &str, parameter: Parameter<T>) -> Value<T> {
        self.scope().add_parameter(id, parameter)
    }

    /// Adds a condition; see [`Scope::add_condition`].
    pub fn add_condition(&mut self, id: &str, condition: Value<Cond>) -> ConditionRef {
        self.scope().add_condition(id, condition)
    }

    /// Adds a mapping; see [`Scope::add_mapping`].
    pub fn add_mapping(&mut self, id: &str, mapping: Mapping) -> MappingRef {
        self.scope().add_mapping(id, mapping)
    }

    /// Adds an output; see [`Scope::add_output`].
    pub fn add_output<T>(&mut self, id: &str, output: Output<T>) {
        self.scope().add_output(id, output)
    }

    /// Packs a local directory or `.zip` as an asset of this stack; see [`Scope::add_asset`].
    pub fn add_asset(&mut self, path: impl AsRef<std::path::Path>) -> AssetLocation {
        self.scope().add_asset(path)
    }
}

/// Anything a construct can add resources to: a [`Stack`] or a [`Scope`].
///
/// Constructs take `&mut impl AsScope`, so they can be placed at the top of a stack or inside
/// another construct.
pub trait AsScope {
    /// A scope adding to the same place.
    fn as_scope(&mut self) -> Scope<'_>;
}

impl AsScope for Stack {
    fn as_scope(&mut self) -> Scope<'_> {
        self.scope()
    }
}

impl AsScope for Scope<'_> {
    fn as_scope(&mut self) -> Scope<'_> {
        Scope {
            stack: self.stack,
            path: self.path.clone(),
            prefix: self.prefix.clone(),
        }
    }
}
