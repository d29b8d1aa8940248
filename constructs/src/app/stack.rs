//! Stacks: the unit CloudFormation deploys, holding resources, parameters, conditions, mappings
//! and outputs under logical ids.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use indexmap::IndexMap;

use crate::asset::{self, Asset, AssetLocation, BUCKET_PARAMETER};
use crate::diagnostics::{Code, Diagnostic, DomainError};
use crate::iam::PolicyExplanation;
use crate::model::expr::{Expr, StackRef};
use crate::model::fns;
use crate::model::template::{self, DeletionPolicy, Mapping};
use crate::model::value::Value;
use crate::network::VpcPlan;
use crate::resource::{AnyHandle, Tagging};

/// A number for each [`Stack`] created in the process, so its handles can be told from those
/// of another stack of the same name ([`StackRef`]).
fn next_instance() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The longest stack name CloudFormation accepts.
pub const MAX_STACK_NAME_LEN: usize = 128;

/// Where a stack is deployed. Unset fields mean "wherever the deploy command points":
/// the template then uses the `AWS::AccountId` and `AWS::Region` pseudo parameters.
///
/// A pinned Region must be one of [`KNOWN_REGIONS`](crate::region::KNOWN_REGIONS) and a pinned
/// account 12 digits (`invalid-environment`); the printed deploy command of a pinned stack passes
/// `--region`. Exports exist only in their own account and Region, so a stack may not reference
/// a stack pinned to another Region or account (`cross-environment-reference`); a stack left
/// unpinned is deployed wherever the command points, and its references are not checked.
///
/// ```
/// use constructs::{App, Code, Env, Stack, cfn::logs::LogGroup};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Logs").env(Env {
///     account: None,
///     region: Some("eu-wset-1".into()),
/// });
/// stack.add("AppLogs", LogGroup::new().retention_in_days(14));
/// app.add_stack(stack);
/// assert!(app.assemble().unwrap_err().has(Code::InvalidEnvironment));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    /// The 12-digit account id.
    pub account: Option<String>,
    /// The region, such as `eu-west-1`.
    pub region: Option<String>,
}

/// One CloudFormation stack.
///
/// Add resources with [`Stack::add`], group them under a construct's id with [`Stack::scope`]
/// and [`Scope::child`](super::Scope::child), and hand the stack to an [`App`](crate::App) to synthesize it.
///
/// ```
/// use constructs::{Stack, cfn::logs::LogGroup};
///
/// let mut stack = Stack::new("Observability")
///     .description("Shared log groups")
///     .tag("team", "platform");
/// let group = stack.add("AppLogs", LogGroup::new().retention_in_days(30));
/// assert_eq!(group.logical_id(), "AppLogs");
/// ```
#[derive(Debug)]
pub struct Stack {
    pub(super) name: StackRef,
    description: Option<String>,
    tags: IndexMap<String, String>,
    env: Env,
    pub(super) resources: IndexMap<String, StackResource>,
    pub(super) parameters: IndexMap<String, Entry<template::Parameter>>,
    pub(super) conditions: IndexMap<String, Entry<Expr>>,
    pub(super) mappings: IndexMap<String, Entry<Mapping>>,
    pub(super) outputs: IndexMap<String, Entry<OutputEntry>>,
    /// Problems found while the stack was built, reported by synth.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// What each role and resource policy grants, for the IAM audit report.
    pub(super) iam_report: Vec<PolicyExplanation>,
    /// The plan of each VPC pattern, in the order built, for `--plan`.
    pub(super) vpc_plans: Vec<VpcPlan>,
    /// The grants made after construction, by the id of the role's policies.
    pub(super) role_grants: IndexMap<String, super::grants::RoleGrants>,
    /// The packed assets, one per hash, in the order first added.
    assets: Vec<Asset>,
    /// Whether the assets bucket parameter was added (with the first asset).
    assets_bucket: bool,
    /// Per scope where an id was added twice at one construct path: the scope's path, the index
    /// in `diagnostics` of the one error reporting it, and what was added twice there.
    repeated: Vec<(String, usize, Vec<String>)>,
}

/// What a stack holds, borrowed read-only: the way code outside `app` (synth) reads a stack.
/// Everything is in the order it was added. Writes go through [`Scope`](super::Scope) and the stack's own
/// methods.
#[derive(Clone, Copy)]
pub(crate) struct StackContents<'a> {
    /// The template description.
    pub description: Option<&'a str>,
    /// The tags synth applies to every taggable resource.
    pub tags: &'a IndexMap<String, String>,
    /// The resources, by logical id (invalid ids included: they were reported).
    pub resources: &'a IndexMap<String, StackResource>,
    /// The parameters, by logical id.
    pub parameters: &'a IndexMap<String, Entry<template::Parameter>>,
    /// The conditions, by logical id.
    pub conditions: &'a IndexMap<String, Entry<Expr>>,
    /// The mappings, by logical id.
    pub mappings: &'a IndexMap<String, Entry<Mapping>>,
    /// The outputs the user added, by logical id.
    pub outputs: &'a IndexMap<String, Entry<OutputEntry>>,
    /// Problems found while the stack was built.
    pub diagnostics: &'a [Diagnostic],
    /// What each role and resource policy grants, for the IAM audit report.
    pub iam_report: &'a [PolicyExplanation],
}

/// A resource as the stack holds it until synth.
#[derive(Clone, Debug)]
pub(crate) struct StackResource {
    pub path: String,
    pub type_name: String,
    pub properties: IndexMap<String, Expr>,
    pub attributes: Option<&'static [&'static str]>,
    pub tagging: Tagging,
    pub depends_on: Vec<AnyHandle>,
    pub condition: Option<String>,
    pub deletion_policy: Option<DeletionPolicy>,
    pub update_replace_policy: Option<DeletionPolicy>,
    pub metadata: IndexMap<String, Expr>,
}

/// A parameter, condition, mapping or output with the construct path that added it.
#[derive(Clone, Debug)]
pub(crate) struct Entry<T> {
    pub path: String,
    pub item: T,
}

/// An output as the stack holds it until synth.
#[derive(Clone, Debug)]
pub(crate) struct OutputEntry {
    pub description: Option<String>,
    pub condition: Option<String>,
    pub value: Expr,
    pub export_name: Option<Expr>,
}

fn check_stack_name(name: &str) -> Result<(), &'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Err("a stack name may not be empty"),
        Some(c) if !c.is_ascii_alphabetic() => return Err("a stack name must start with a letter"),
        Some(_) => {}
    }
    if name.len() > MAX_STACK_NAME_LEN {
        return Err("a stack name may be at most 128 characters long");
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("a stack name may hold only ASCII letters, digits and hyphens");
    }
    Ok(())
}

impl Stack {
    /// A new, empty stack. The name is the CloudFormation stack name: 1–128 ASCII letters,
    /// digits and hyphens, starting with a letter. An invalid name is reported by synth
    /// ([`Code::InvalidStackName`]).
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        let mut diagnostics = Vec::new();
        if let Err(reason) = check_stack_name(&name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidStackName,
                    name.as_str(),
                    format!("invalid stack name `{name}`: {reason}"),
                )
                .with_hint("use 1–128 ASCII letters, digits and hyphens, starting with a letter"),
            );
        }
        Self {
            name: StackRef::of_instance(&name, next_instance()),
            description: None,
            tags: IndexMap::new(),
            env: Env::default(),
            resources: IndexMap::new(),
            parameters: IndexMap::new(),
            conditions: IndexMap::new(),
            mappings: IndexMap::new(),
            outputs: IndexMap::new(),
            diagnostics,
            iam_report: Vec::new(),
            vpc_plans: Vec::new(),
            role_grants: IndexMap::new(),
            assets: Vec::new(),
            assets_bucket: false,
            repeated: Vec::new(),
        }
    }

    /// The stack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the template description (at most 1,024 bytes; synth checks).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a tag that synth applies to every taggable resource of the stack. A tag the
    /// resource sets itself wins.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Pins the account and region the stack is meant for; see [`Env`].
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// The stack's environment.
    pub fn environment(&self) -> &Env {
        &self.env
    }

    /// The region: the pinned one, or `AWS::Region`.
    pub fn region(&self) -> Value<String> {
        match &self.env.region {
            Some(r) => r.as_str().into(),
            None => fns::region(),
        }
    }

    /// The account: the pinned one, or `AWS::AccountId`.
    pub fn account(&self) -> Value<String> {
        match &self.env.account {
            Some(a) => a.as_str().into(),
            None => fns::account_id(),
        }
    }

    /// The CIDR plan and zones of each VPC pattern in the stack, in the order built; the
    /// synth CLI's `--plan` prints them.
    ///
    /// ```
    /// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
    ///
    /// let mut stack = constructs::Stack::new("Net");
    /// VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    /// assert_eq!(stack.vpc_plans().len(), 1);
    /// ```
    pub fn vpc_plans(&self) -> &[VpcPlan] {
        &self.vpc_plans
    }

    /// The assets packed for this stack, one per hash, in the order first added.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// What the stack holds, for synth to read.
    pub(crate) fn contents(&self) -> StackContents<'_> {
        StackContents {
            description: self.description.as_deref(),
            tags: &self.tags,
            resources: &self.resources,
            parameters: &self.parameters,
            conditions: &self.conditions,
            mappings: &self.mappings,
            outputs: &self.outputs,
            diagnostics: &self.diagnostics,
            iam_report: &self.iam_report,
        }
    }

    /// Packs `path` as an asset of this stack, reporting a failure at construct path
    /// `construct`; see [`Scope::add_asset`](super::Scope::add_asset).
    pub(super) fn add_asset_for(&mut self, construct: &str, path: &Path) -> AssetLocation {
        self.add_assets_bucket();
        match asset::pack(path) {
            Ok(packed) => {
                let location = AssetLocation::of(self.stack_ref(), &packed);
                if !self.assets.iter().any(|a| a.hash() == packed.hash()) {
                    self.assets
                        .push(Asset::new(path.display().to_string(), packed));
                }
                location
            }
            Err(error) => {
                self.diagnostics.push(error.to_diagnostic(construct));
                AssetLocation::unavailable(self.stack_ref())
            }
        }
    }

    /// Adds the assets bucket parameter, with the first asset.
    fn add_assets_bucket(&mut self) {
        if self.assets_bucket {
            return;
        }
        self.assets_bucket = true;
        let path = format!("{}/{BUCKET_PARAMETER}", self.name());
        if let Some(first) = self.parameters.get(BUCKET_PARAMETER) {
            let first = first.path.clone();
            self.duplicate("parameter", BUCKET_PARAMETER, &first, &path);
        } else {
            let item = asset::bucket_parameter();
            self.parameters
                .insert(BUCKET_PARAMETER.to_owned(), Entry { path, item });
        }
    }

    pub(crate) fn stack_ref(&self) -> StackRef {
        self.name.clone()
    }

    /// Records a duplicate-id error: `id` (a `what`: resource, parameter, …) was added at
    /// construct path `second` and already at `first`.
    ///
    /// Two paths are named in the error. The same path twice means the same id was given to
    /// two constructs in one scope (or one construct added the same part twice): every part the
    /// second one adds collides, so all of them are listed in one error at the scope, instead
    /// of an error per part naming one path twice.
    pub(crate) fn duplicate(&mut self, what: &str, id: &str, first: &str, second: &str) {
        if what == "parameter" && id == BUCKET_PARAMETER && self.assets_bucket {
            // Synth adds this parameter at the stack's root, so its path and the user's can
            // be the same: say whose the first one is.
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateLogicalId,
                    second,
                    format!(
                        "parameter `{BUCKET_PARAMETER}` is the stack's assets bucket, added \
                         with its first asset; a parameter of that id cannot be added too"
                    ),
                )
                .with_hint("give your parameter another id"),
            );
            return;
        }
        if first != second {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateLogicalId,
                    second,
                    format!("{what} logical id `{id}` is already used by `{first}`"),
                )
                .with_hint("give one of the two another id"),
            );
            return;
        }
        let scope = second.rsplit_once('/').map_or(second, |(scope, _)| scope);
        let part = format!("{what} `{id}`");
        let index = match self.repeated.iter().position(|(s, ..)| s == scope) {
            Some(known) => known,
            None => {
                self.diagnostics.push(
                    Diagnostic::error(Code::DuplicateLogicalId, scope, String::new())
                        .with_hint("give each construct of a scope its own id"),
                );
                self.repeated
                    .push((scope.to_owned(), self.diagnostics.len() - 1, Vec::new()));
                self.repeated.len() - 1
            }
        };
        let (_, at, parts) = &mut self.repeated[index];
        if !parts.contains(&part) {
            parts.push(part);
        }
        self.diagnostics[*at].message = format!(
            "added twice in this scope, at the same construct path each time: {}; two \
             constructs were given one id here, or one construct added the same part twice",
            parts.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_are_validated() {
        assert!(Stack::new("Network-prod1").diagnostics.is_empty());
        assert!(Stack::new("a".repeat(128)).diagnostics.is_empty());
        for bad in ["", "1Network", "Net_work", "Net work", &"a".repeat(129)] {
            let stack = Stack::new(bad);
            assert_eq!(stack.diagnostics.len(), 1, "{bad}");
            assert_eq!(stack.diagnostics[0].code, Code::InvalidStackName, "{bad}");
        }
    }
}
