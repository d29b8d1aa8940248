//! Template validation: what CloudFormation would reject, found before anything is deployed.
//!
//! [`validate`] checks one stack's template, seen through a [`TemplateView`]: that every `Ref`,
//! `Fn::GetAtt`, `Fn::Sub` placeholder, `DependsOn`, condition and mapping name resolves; that
//! conditions only use parameters; that resources and conditions do not depend on each other in
//! a circle; that intrinsic functions get arguments CloudFormation accepts; that parameters are
//! consistent; that literal property values meet their resource schema's constraints
//! ([`check_properties`]); and that the template stays within CloudFormation's limits.
//! [`check_body_size`] checks the size of the rendered file.
//!
//! A `Ref` or `Fn::GetAtt` of a resource that another stack owns is an import (synth writes it
//! as `Fn::ImportValue`): planning checked it against that stack, so here it only counts as an
//! import. Every other reference names something of this stack.
//!
//! Diagnostics come in template order (parameters, conditions, resources, outputs), then the
//! limits, so two runs print the same list. Each expression tree is walked once, and nothing
//! is allocated on the happy path beyond the name indexes and the dependency graph of a stack.
//!
//! Intrinsics written as raw JSON maps (`{"Ref": …}` inside a raw resource's properties) are
//! opaque by design and are not checked here.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use indexmap::IndexMap;

use crate::cfn::check::check_properties;
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::model::expr::Expr;
use crate::model::template::Parameter;
#[cfg(test)]
use crate::model::{logical_id::LogicalId, template::Template};

use super::deploy::INLINE_BODY_LIMIT;
use super::export::foreign_ref;
use super::graph::{cycle_text, edges_text, find_cycles};
use super::limit::MAX_BODY_BYTES;
use super::parameter;
use super::view::{ResourceView, TemplateView};

/// What validation needs to know about a resource besides its template entry.
#[cfg(test)]
pub(crate) struct ResourceInfo<'a> {
    /// Construct path, e.g. "Network/Vpc/PublicSubnet1".
    pub path: &'a str,
    /// Valid Fn::GetAtt names of the type; None = unknown (raw resources), accept any.
    pub attributes: Option<&'static [&'static str]>,
}

/// The pseudo parameters CloudFormation defines; `Ref` and `Fn::Sub` accept them anywhere.
const PSEUDO_PARAMETERS: [&str; 8] = [
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// CloudFormation's per-template quotas.
const MAX_RESOURCES: usize = 500;
const MAX_OUTPUTS: usize = 200;
const MAX_PARAMETERS: usize = 200;
const MAX_MAPPINGS: usize = 200;
const MAX_DESCRIPTION_BYTES: usize = 1_024;
const MAX_EXPORT_NAME_CHARS: usize = 255;

/// Validates an owned template. `resources` has an entry for every key of `template.resources`.
/// Paths of parameters/conditions/outputs/mappings are "<stack_name>/<logical id>".
#[cfg(test)]
pub(crate) fn validate_template(
    stack_name: &str,
    template: &Template,
    resources: &IndexMap<LogicalId, ResourceInfo<'_>>,
) -> Vec<Diagnostic> {
    let mut view = TemplateView::of_template(template);
    for resource in &mut view.resources {
        if let Some(info) = resources.get(resource.id) {
            resource.path = Some(info.path);
            resource.attributes = info.attributes;
        }
    }
    validate(stack_name, &view)
}

/// Validates one stack's template. Paths of parameters, conditions, outputs and mappings are
/// `<stack_name>/<logical id>`; a resource without a construct path gets one of that form too.
pub(crate) fn validate(stack_name: &str, view: &TemplateView<'_>) -> Vec<Diagnostic> {
    let mut checker = Checker::new(stack_name, view);
    checker.check_parameters();
    checker.check_conditions();
    checker.check_resources();
    checker.check_outputs();
    checker.check_limits();
    checker.diagnostics
}

/// Size check of one rendered template body (the file's bytes): over 51_200 bytes -> Warning
/// TemplateNeedsS3 with a hint that deploy then needs `aws cloudformation deploy --s3-bucket …`;
/// over 1_048_576 -> Error TemplateTooLarge.
pub(crate) fn check_body_size(
    stack_name: &str,
    file_name: &str,
    bytes: usize,
) -> Option<Diagnostic> {
    if bytes > MAX_BODY_BYTES {
        Some(
            Diagnostic::error(
                Code::TemplateTooLarge,
                stack_name,
                format!(
                    "`{file_name}` is {bytes} bytes; CloudFormation accepts templates of at most \
                     1,048,576 bytes (1 MB)"
                ),
            )
            .with_hint("split the stack: move some of its resources into another stack"),
        )
    } else if bytes > INLINE_BODY_LIMIT {
        Some(
            Diagnostic::warning(
                Code::TemplateNeedsS3,
                stack_name,
                format!(
                    "`{file_name}` is {bytes} bytes, over the 51,200 bytes CloudFormation accepts \
                     inline"
                ),
            )
            .with_hint(
                "deploy it with `aws cloudformation deploy --s3-bucket <bucket> …`, which \
                 uploads the template to S3 first",
            ),
        )
    } else {
        None
    }
}

/// The error for the file `file_name` of stack `stack_name`, whose rendering was stopped once
/// it passed [`MAX_BODY_BYTES`].
pub(crate) fn too_large(stack_name: &str, file_name: &str) -> Diagnostic {
    Diagnostic::error(
        Code::TemplateTooLarge,
        stack_name,
        format!(
            "`{file_name}` is over 1,048,576 bytes (1 MB), the most CloudFormation accepts; \
             synth stopped rendering it there"
        ),
    )
    .with_hint("split the stack: move some of its resources into another stack")
}

/// Where an expression sits, which decides what it may reference and which edges it creates.
#[derive(Clone, Copy)]
enum Owner {
    /// Inside resource `index`: its properties (`edges`: references are dependencies) or its
    /// metadata (no edges: `AWS::CloudFormation::Init` metadata routinely names its own resource).
    Resource { index: usize, edges: bool },
    /// Inside the expression of condition `index`.
    Condition(usize),
    /// Inside output `index` (its value or export name); outputs never create edges.
    Output(usize),
}

/// How a name was referenced, for messages.
#[derive(Clone, Copy)]
enum Via<'s> {
    Ref,
    GetAtt,
    /// A `Fn::Sub` placeholder, with its text between `${` and `}`.
    Sub(&'s str),
}

impl Via<'_> {
    fn describe(self) -> Cow<'static, str> {
        match self {
            Via::Ref => Cow::Borrowed("`Ref`"),
            Via::GetAtt => Cow::Borrowed("`Fn::GetAtt`"),
            Via::Sub(text) => Cow::Owned(format!("`Fn::Sub` placeholder `${{{text}}}`")),
        }
    }
}

struct Checker<'a> {
    stack: &'a str,
    view: &'a TemplateView<'a>,
    // Name indexes, by `&str`.
    params: HashSet<&'a str, FastHash>,
    resources: HashMap<&'a str, usize, FastHash>,
    conditions: HashMap<&'a str, usize, FastHash>,
    mappings: HashSet<&'a str, FastHash>,
    res: &'a [ResourceView<'a>],
    /// Dependencies between resources (by index), from their properties and `DependsOn`.
    resource_edges: Vec<Vec<usize>>,
    /// Dependencies between conditions (by index), from `{"Condition": …}` and `Fn::If`.
    condition_edges: Vec<Vec<usize>>,
    diagnostics: Vec<Diagnostic>,
    /// Where the current owner's diagnostics start, to report each problem once per owner.
    owner_start: usize,
    /// The expressions [`Checker::check_expr`] has yet to visit, kept to reuse its buffer.
    pending: Vec<&'a Expr>,
}

impl<'a> Checker<'a> {
    fn new(stack: &'a str, view: &'a TemplateView<'a>) -> Self {
        Self {
            stack,
            view,
            params: view.parameters.iter().map(|(id, _)| *id).collect(),
            resources: index_of(view.resources.iter().map(|r| r.id)),
            conditions: index_of(view.conditions.iter().map(|(id, _)| *id)),
            mappings: view.mappings.iter().map(|(id, _)| *id).collect(),
            res: &view.resources,
            resource_edges: vec![Vec::new(); view.resources.len()],
            condition_edges: vec![Vec::new(); view.conditions.len()],
            diagnostics: Vec::new(),
            owner_start: 0,
            pending: Vec::new(),
        }
    }

    fn resource_ids(&self) -> impl Iterator<Item = &'a str> {
        self.res.iter().map(|r| r.id)
    }

    fn params_in_order(&self) -> impl Iterator<Item = &'a str> {
        self.view.parameters.iter().map(|(id, _)| *id)
    }

    // ---- Sections -------------------------------------------------------------------------

    fn check_parameters(&mut self) {
        for &(id, param) in &self.view.parameters {
            self.begin_owner();
            self.check_parameter(id, param);
        }
    }

    fn check_parameter(&mut self, id: &str, param: &Parameter) {
        let path = format!("{}/{id}", self.stack);
        self.diagnostics.extend(parameter::check(&path, id, param));
    }

    fn check_conditions(&mut self) {
        let view = self.view;
        for (index, (_, expr)) in view.conditions.iter().enumerate() {
            self.begin_owner();
            self.check_expr(Owner::Condition(index), expr);
        }
        for cycle in find_cycles(&mut self.condition_edges) {
            let names = |i: usize| condition_id(view, i);
            let chain = cycle_text(&cycle, names);
            let first = names(cycle[0]);
            let message = if cycle.len() == 1 {
                format!("condition `{first}` refers to itself: {chain}")
            } else {
                format!("conditions refer to each other in a circle: {chain}")
            };
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DependencyCycle,
                    format!("{}/{first}", self.stack),
                    message,
                )
                .with_hint("a condition cannot depend on itself, directly or through others"),
            );
        }
    }

    fn check_resources(&mut self) {
        let view = self.view;
        for (index, entry) in view.resources.iter().enumerate() {
            self.begin_owner();
            let id = entry.id;
            // `Ref` names parameters and resources alike, so they share one namespace.
            if self.params.contains(id) {
                let d = Diagnostic::error(
                    Code::DuplicateLogicalId,
                    self.resource_path(index),
                    format!("resource `{id}` has the same logical id as parameter `{id}`"),
                )
                .with_hint("`Ref` would be ambiguous; give one of them another id");
                self.report(d);
            }
            let attrs = Owner::Resource {
                index,
                edges: false,
            };
            if let Some(condition) = entry.condition {
                self.check_condition_name(attrs, condition, "the resource's `Condition`");
            }
            for dep in &entry.depends_on {
                self.check_depends_on(index, dep);
            }
            for value in entry.metadata.values() {
                self.check_expr(attrs, value);
            }
            let props = Owner::Resource { index, edges: true };
            for value in entry.properties.values() {
                self.check_expr(props, value);
            }
            let path: Cow<'_, str> = match entry.path {
                Some(path) => Cow::Borrowed(path),
                None => Cow::Owned(self.resource_path(index)),
            };
            check_properties(
                entry.type_name,
                entry.properties,
                &path,
                &mut self.diagnostics,
            );
        }
        for cycle in find_cycles(&mut self.resource_edges) {
            let chain = cycle_text(&cycle, |i| self.res[i].id);
            let first = self.res[cycle[0]].id;
            // What makes each edge: the circle is broken by removing one of these.
            let causes = edges_text(&cycle, |from, to| {
                edge_cause(&self.res[from], self.res[to].id, view.local)
            });
            let message = if cycle.len() == 1 {
                format!("resource `{first}` refers to itself: {chain}; {causes}")
            } else {
                format!("resources depend on each other in a circle: {chain}; {causes}")
            };
            let d = Diagnostic::error(Code::DependencyCycle, self.resource_path(cycle[0]), message)
                .with_hint(
                    "remove one of the `Ref`, `Fn::GetAtt`, `Fn::Sub` or `DependsOn` links in \
                     the circle",
                );
            self.diagnostics.push(d);
        }
    }

    fn check_outputs(&mut self) {
        let view = self.view;
        for (index, output) in view.outputs.iter().enumerate() {
            self.begin_owner();
            let owner = Owner::Output(index);
            let id = output.id;
            if let Some(condition) = output.condition {
                self.check_condition_name(owner, condition, "the output's `Condition`");
            }
            self.check_expr(owner, output.value);
            let Some(export_name) = output.export_name else {
                continue;
            };
            self.check_expr(owner, export_name);
            let Some(name) = export_name.as_str() else {
                continue;
            };
            let len = name.chars().count();
            if len > MAX_EXPORT_NAME_CHARS {
                let start: String = name.chars().take(32).collect();
                let d = Diagnostic::error(
                    Code::TooLong,
                    self.owner_path(owner),
                    format!(
                        "export name `{start}…` of output `{id}` is {len} characters long; the \
                         limit is 255"
                    ),
                );
                self.report(d);
            }
            if let Some(ch) = name
                .chars()
                .find(|&c| !(c.is_ascii_alphanumeric() || c == ':' || c == '-'))
            {
                let d = Diagnostic::error(
                    Code::InvalidIntrinsic,
                    self.owner_path(owner),
                    format!("export name `{name}` of output `{id}` holds `{ch}`"),
                )
                .with_hint("export names may only hold letters, digits, `:` and `-`");
                self.report(d);
            }
        }
    }

    fn check_limits(&mut self) {
        let t = self.view;
        let stack = self.stack;
        if let Some(description) = t.description {
            if description.len() > MAX_DESCRIPTION_BYTES {
                self.diagnostics.push(Diagnostic::error(
                    Code::TooLong,
                    stack,
                    format!(
                        "the description of stack `{stack}` is {} bytes long; the limit is 1,024",
                        description.len()
                    ),
                ));
            }
        }
        if t.resources.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::EmptyTemplate,
                    stack,
                    format!("stack `{stack}` has no resources"),
                )
                .with_hint(
                    "CloudFormation requires at least one resource; add one or remove the stack",
                ),
            );
        }
        let counts = [
            ("resources", t.resources.len(), MAX_RESOURCES),
            ("outputs", t.outputs.len(), MAX_OUTPUTS),
            ("parameters", t.parameters.len(), MAX_PARAMETERS),
            ("mappings", t.mappings.len(), MAX_MAPPINGS),
        ];
        for (what, count, max) in counts {
            if count > max {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::LimitExceeded,
                        stack,
                        format!("stack `{stack}` has {count} {what}; CloudFormation allows at most {max}"),
                    )
                    .with_hint("split the stack into several stacks"),
                );
            }
        }
    }

    // ---- Expressions ----------------------------------------------------------------------

    /// Checks `root` and everything nested in it, in one walk.
    ///
    /// A hand-written walk rather than [`Expr::walk`]: one `match` per node both checks and
    /// descends. It keeps its own stack of pending nodes instead of recursing, so no nesting
    /// depth can overflow the thread's stack; children are pushed in reverse so that they are
    /// checked in document order, parents first. The match is exhaustive so that a new kind of
    /// expression cannot be skipped silently.
    fn check_expr(&mut self, owner: Owner, root: &'a Expr) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.push(root);
        while let Some(e) = pending.pop() {
            match e {
                Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => {}
                Expr::List(items) => pending.extend(items.iter().rev()),
                Expr::Map(map) => pending.extend(map.values().rev()),
                // Planning checked it against the stack that owns its target.
                Expr::Ref { .. } | Expr::GetAtt { .. }
                    if foreign_ref(e, self.view.local).is_some() =>
                {
                    self.check_import(owner)
                }
                Expr::Ref { name, .. } => self.check_ref(owner, name, Via::Ref),
                Expr::GetAtt {
                    logical_id,
                    attribute,
                    ..
                } => self.check_get_att(owner, logical_id, attribute, Via::GetAtt),
                Expr::Sub { template, vars } => {
                    self.check_sub(owner, template, vars);
                    pending.extend(vars.values().rev());
                }
                Expr::Join { items: e, .. }
                | Expr::Split { source: e, .. }
                | Expr::GetAzs(e)
                | Expr::Not(e)
                | Expr::Base64(e) => pending.push(e),
                Expr::ImportValue(e) => {
                    self.check_import(owner);
                    pending.push(e);
                }
                Expr::Select { index, list } => {
                    self.check_select(owner, index, list);
                    pending.push(list);
                    pending.push(index);
                }
                Expr::Cidr {
                    block,
                    count,
                    cidr_bits,
                } => {
                    self.check_int_arg(owner, "`Fn::Cidr` count", count, 1, 256);
                    self.check_int_arg(owner, "`Fn::Cidr` cidr bits", cidr_bits, 1, 128);
                    pending.push(cidr_bits);
                    pending.push(count);
                    pending.push(block);
                }
                Expr::If {
                    condition,
                    then,
                    otherwise,
                } => {
                    self.check_condition_name(owner, condition, "`Fn::If`");
                    pending.push(otherwise);
                    pending.push(then);
                }
                Expr::Equals(a, b) => {
                    pending.push(b);
                    pending.push(a);
                }
                Expr::And(items) | Expr::Or(items) => {
                    let function = if matches!(e, Expr::And(_)) {
                        "Fn::And"
                    } else {
                        "Fn::Or"
                    };
                    self.check_arity(owner, function, items.len());
                    pending.extend(items.iter().rev());
                }
                Expr::Condition(name) => self.check_condition_name(owner, name, "`Condition`"),
                Expr::FindInMap {
                    map,
                    top_key,
                    second_key,
                } => {
                    self.check_mapping(owner, map);
                    pending.push(second_key);
                    pending.push(top_key);
                }
            }
        }
        self.pending = pending;
    }

    fn check_mapping(&mut self, owner: Owner, map: &str) {
        if self.mappings.contains(map) {
            return;
        }
        let hint = closest(map, self.view.mappings.iter().map(|(id, _)| *id));
        let d = Diagnostic::error(
            Code::DanglingReference,
            self.owner_path(owner),
            format!("`Fn::FindInMap` names mapping `{map}`, which this stack does not have"),
        );
        self.report(with_suggestion(d, hint));
    }

    /// CloudFormation evaluates conditions from parameter values alone, so it rejects imports
    /// in them.
    fn check_import(&mut self, owner: Owner) {
        if let Owner::Condition(_) = owner {
            let d = Diagnostic::error(
                Code::InvalidCondition,
                self.owner_path(owner),
                format!(
                    "condition `{}` uses `Fn::ImportValue`",
                    self.owner_id(owner)
                ),
            )
            .with_hint(CONDITION_HINT);
            self.report(d);
        }
    }

    /// A `Ref` (or a plain `Fn::Sub` placeholder): a parameter, a resource or a pseudo parameter.
    fn check_ref(&mut self, owner: Owner, name: &str, via: Via<'_>) {
        if is_pseudo_parameter(name) {
            return;
        }
        let resource = self.resources.get(name).copied();
        let is_param = self.params.contains(name);
        match owner {
            Owner::Condition(_) => {
                if is_param {
                    return;
                }
                if resource.is_some() {
                    let d = Diagnostic::error(
                        Code::InvalidCondition,
                        self.owner_path(owner),
                        format!(
                            "condition `{}` uses resource `{name}` (via {})",
                            self.owner_id(owner),
                            via.describe()
                        ),
                    )
                    .with_hint(CONDITION_HINT);
                    self.report(d);
                    return;
                }
            }
            Owner::Resource { index, edges } => {
                if let Some(target) = resource {
                    if edges {
                        self.resource_edges[index].push(target);
                    }
                    return;
                }
                if is_param {
                    return;
                }
            }
            Owner::Output(_) => {
                if resource.is_some() || is_param {
                    return;
                }
            }
        }
        // Conditions cannot use resources, so do not suggest one there.
        let resources = match owner {
            Owner::Condition(_) => None,
            _ => Some(self.resource_ids()),
        };
        let candidates = self
            .params_in_order()
            .chain(resources.into_iter().flatten())
            .chain(PSEUDO_PARAMETERS);
        let hint = closest(name, candidates);
        let message = match via {
            Via::Sub(_) => format!(
                "{} names `{name}`, which is not a variable of the `Fn::Sub`, a parameter, a \
                 resource or a pseudo parameter of this stack",
                via.describe()
            ),
            _ => format!(
                "{} names `{name}`, which is not a parameter, a resource or a pseudo parameter \
                 of this stack",
                via.describe()
            ),
        };
        let d = Diagnostic::error(Code::DanglingReference, self.owner_path(owner), message);
        self.report(with_suggestion(d, hint));
    }

    /// A `Fn::GetAtt` (or a `Res.Attr` placeholder of `Fn::Sub`).
    fn check_get_att(&mut self, owner: Owner, id: &str, attribute: &str, via: Via<'_>) {
        if let Owner::Condition(_) = owner {
            let d = Diagnostic::error(
                Code::InvalidCondition,
                self.owner_path(owner),
                format!(
                    "condition `{}` reads attribute `{attribute}` of `{id}` (via {})",
                    self.owner_id(owner),
                    via.describe()
                ),
            )
            .with_hint(CONDITION_HINT);
            self.report(d);
            return;
        }
        let Some(target) = self.resources.get(id).copied() else {
            let d = if self.params.contains(id) {
                Diagnostic::error(
                    Code::DanglingReference,
                    self.owner_path(owner),
                    format!(
                        "{} names `{id}`, which is a parameter, not a resource",
                        via.describe()
                    ),
                )
                .with_hint(format!(
                    "read a parameter with `Ref` (`${{{id}}}` in `Fn::Sub`)"
                ))
            } else {
                let hint = closest(id, self.resource_ids());
                let d = Diagnostic::error(
                    Code::DanglingReference,
                    self.owner_path(owner),
                    format!(
                        "{} names `{id}`, which is not a resource of this stack",
                        via.describe()
                    ),
                );
                with_suggestion(d, hint)
            };
            self.report(d);
            return;
        };
        if let Owner::Resource { index, edges: true } = owner {
            self.resource_edges[index].push(target);
        }
        let res = &self.res[target];
        let Some(known) = res.attributes else {
            return;
        };
        if known.contains(&attribute) {
            return;
        }
        let list = if known.is_empty() {
            format!("`{}` has no attributes", res.type_name)
        } else {
            format!("attributes of `{}`: {}", res.type_name, known.join(", "))
        };
        let hint = match closest(attribute, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? {list}"),
            None => list,
        };
        let d = Diagnostic::error(
            Code::UnknownAttribute,
            self.owner_path(owner),
            format!(
                "{} asks `{id}` ({}) for attribute `{attribute}`, which it does not have",
                via.describe(),
                res.type_name
            ),
        )
        .with_hint(hint);
        self.report(d);
    }

    /// Parses the `${…}` placeholders of a `Fn::Sub` string by hand and checks each name.
    fn check_sub(&mut self, owner: Owner, template: &str, vars: &IndexMap<String, Expr>) {
        let mut rest = template;
        while let Some(start) = find_placeholder(rest) {
            let after = &rest[start + 2..];
            // `${!Literal}` renders as `${Literal}`: not a placeholder.
            if let Some(escaped) = after.strip_prefix('!') {
                rest = escaped;
                continue;
            }
            let Some(end) = after.find('}') else {
                let fragment: String = rest[start..].chars().take(40).collect();
                let d = Diagnostic::error(
                    Code::InvalidIntrinsic,
                    self.owner_path(owner),
                    format!("`Fn::Sub` string has a `${{` without a closing `}}`: `{fragment}`"),
                )
                .with_hint("close the placeholder, or write `${!` for a literal `${`");
                self.report(d);
                return;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if name.is_empty() {
                let d = Diagnostic::error(
                    Code::InvalidIntrinsic,
                    self.owner_path(owner),
                    "`Fn::Sub` string has an empty placeholder `${}`",
                );
                self.report(d);
            } else if vars.contains_key(name) {
                // Its own variables shadow everything else and are walked as expressions.
            } else if let Some((id, attribute)) = name.split_once('.') {
                self.check_get_att(owner, id, attribute, Via::Sub(name));
            } else {
                self.check_ref(owner, name, Via::Sub(name));
            }
        }
    }

    /// A condition name, used by `Fn::If`, `{"Condition": …}` or a resource's or output's
    /// `Condition`.
    fn check_condition_name(&mut self, owner: Owner, name: &str, what: &str) {
        match self.conditions.get(name) {
            Some(&target) => {
                if let Owner::Condition(index) = owner {
                    self.condition_edges[index].push(target);
                }
            }
            None => {
                let hint = closest(name, self.view.conditions.iter().map(|(id, _)| *id));
                let d = Diagnostic::error(
                    Code::DanglingReference,
                    self.owner_path(owner),
                    format!("{what} names condition `{name}`, which this stack does not have"),
                );
                self.report(with_suggestion(d, hint));
            }
        }
    }

    fn check_depends_on(&mut self, index: usize, dep: &str) {
        let id = self.res[index].id;
        let owner = Owner::Resource { index, edges: true };
        let d = if dep == id {
            Diagnostic::error(
                Code::DanglingReference,
                self.owner_path(owner),
                format!("`DependsOn` of `{id}` names `{dep}` itself"),
            )
            .with_hint("remove it: a resource cannot wait for itself")
        } else if let Some(&target) = self.resources.get(dep) {
            // Repeats are harmless; `find_cycles` deduplicates edges.
            self.resource_edges[index].push(target);
            return;
        } else if self.params.contains(dep) {
            Diagnostic::error(
                Code::DanglingReference,
                self.owner_path(owner),
                format!(
                    "`DependsOn` of `{id}` names `{dep}`, which is a parameter, not a resource"
                ),
            )
        } else {
            let hint = closest(dep, self.resource_ids());
            let d = Diagnostic::error(
                Code::DanglingReference,
                self.owner_path(owner),
                format!(
                    "`DependsOn` of `{id}` names `{dep}`, which is not a resource of this stack"
                ),
            );
            with_suggestion(d, hint)
        };
        self.report(d);
    }

    /// An integer argument that, when literal, must lie in `min..=max`.
    fn check_int_arg(&mut self, owner: Owner, what: &str, arg: &Expr, min: i64, max: i64) {
        let message = match literal_int(arg) {
            None => return,
            Some(Ok(v)) if (min..=max).contains(&v) => return,
            Some(Ok(v)) => format!("{what} is {v}; it must be between {min} and {max}"),
            Some(Err(())) => format!("{what} `{}` is not an integer", json_text(arg)),
        };
        let d = Diagnostic::error(Code::InvalidIntrinsic, self.owner_path(owner), message);
        self.report(d);
    }

    fn check_arity(&mut self, owner: Owner, function: &str, count: usize) {
        if (2..=10).contains(&count) {
            return;
        }
        let d = Diagnostic::error(
            Code::InvalidIntrinsic,
            self.owner_path(owner),
            format!("`{function}` has {count} condition(s); it takes 2 to 10"),
        )
        .with_hint(if count < 2 {
            "use the condition directly, or `Fn::Not` to negate it"
        } else {
            "nest the conditions in several groups of at most 10"
        });
        self.report(d);
    }

    fn check_select(&mut self, owner: Owner, index: &Expr, list: &Expr) {
        let message = match literal_int(index) {
            None => return,
            Some(Err(())) => format!(
                "`Fn::Select` index `{}` is not an integer",
                json_text(index)
            ),
            Some(Ok(i)) if i < 0 => format!("`Fn::Select` index {i} is negative"),
            Some(Ok(i)) => {
                let Expr::List(items) = list else {
                    return;
                };
                let in_bounds = match usize::try_from(i) {
                    Ok(i) => i < items.len(),
                    Err(_) => false,
                };
                if in_bounds {
                    return;
                }
                format!(
                    "`Fn::Select` index {i} is out of bounds for a list of {} item(s)",
                    items.len()
                )
            }
        };
        let d = Diagnostic::error(Code::InvalidIntrinsic, self.owner_path(owner), message);
        self.report(d);
    }

    // ---- Reporting ------------------------------------------------------------------------

    fn begin_owner(&mut self) {
        self.owner_start = self.diagnostics.len();
    }

    /// Records `d` unless the current owner already has the same diagnostic: a name misspelt
    /// in ten places of one resource is one problem.
    fn report(&mut self, d: Diagnostic) {
        if !self.diagnostics[self.owner_start..].contains(&d) {
            self.diagnostics.push(d);
        }
    }

    fn resource_path(&self, index: usize) -> String {
        let res = &self.res[index];
        match res.path {
            Some(path) => path.to_owned(),
            None => format!("{}/{}", self.stack, res.id),
        }
    }

    fn owner_id(&self, owner: Owner) -> &'a str {
        match owner {
            Owner::Resource { index, .. } => self.res[index].id,
            Owner::Condition(index) => condition_id(self.view, index),
            Owner::Output(index) => self.view.outputs.get(index).map_or("", |o| o.id),
        }
    }

    fn owner_path(&self, owner: Owner) -> String {
        match owner {
            Owner::Resource { index, .. } => self.resource_path(index),
            _ => format!("{}/{}", self.stack, self.owner_id(owner)),
        }
    }
}

const CONDITION_HINT: &str =
    "conditions can only use parameters, pseudo parameters and other conditions";

fn index_of<'a>(keys: impl ExactSizeIterator<Item = &'a str>) -> HashMap<&'a str, usize, FastHash> {
    let mut map = HashMap::with_capacity_and_hasher(keys.len(), FastHash::default());
    for (i, id) in keys.enumerate() {
        // Keep the first of duplicate keys; a stack's keys are unique anyway.
        map.entry(id).or_insert(i);
    }
    map
}

/// FxHash, the hasher of rustc: a multiply per word. The name indexes hash short names that no
/// attacker chooses, and SipHash was the largest cost of validation in profiles.
#[derive(Clone, Copy, Default)]
struct FxHasher(u64);

type FastHash = BuildHasherDefault<FxHasher>;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn is_pseudo_parameter(name: &str) -> bool {
    // Most names are logical ids, which hold no `:`; only compare those that could match.
    name.starts_with("AWS::") && PSEUDO_PARAMETERS.contains(&name)
}

/// The byte offset of the next `${` in `s`. Searches for `$` (a `memchr`) rather than for the
/// two-byte pattern, whose searcher costs more to set up than most `Fn::Sub` strings to scan.
fn find_placeholder(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(offset) = s[from..].find('$') {
        let at = from + offset;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// What makes resource `from` depend on resource `to`, for the message of a dependency cycle:
/// its first property that names `to` (by `Ref`, `Fn::GetAtt` or a `Fn::Sub` placeholder), or
/// its `DependsOn`. Read again only when a cycle is found, so the check itself records no more
/// than the edge.
fn edge_cause(from: &ResourceView<'_>, to: &str, local: Option<&str>) -> String {
    let names_it = |value: &Expr| {
        let mut found = false;
        value.walk(&mut |node| {
            found |= match node {
                Expr::Ref { .. } | Expr::GetAtt { .. } if foreign_ref(node, local).is_some() => {
                    false
                }
                Expr::Ref { name, .. } => name == to,
                Expr::GetAtt { logical_id, .. } => &**logical_id == to,
                Expr::Sub { template, vars } => sub_names(template, to, vars),
                _ => false,
            };
        });
        found
    };
    let id = from.id;
    match from.properties.iter().find(|(_, value)| names_it(value)) {
        Some((property, _)) => format!("property `{property}` of `{id}` names `{to}`"),
        None if from.depends_on.contains(&to) => format!("`{id}` has `DependsOn` `{to}`"),
        // Tags merged while serializing never name a resource; kept total all the same.
        None => format!("`{id}` names `{to}`"),
    }
}

/// Whether a `Fn::Sub` string has a placeholder `${id}` or `${id.Attribute}` that its own
/// variables do not shadow.
fn sub_names(template: &str, id: &str, vars: &IndexMap<String, Expr>) -> bool {
    let mut rest = template;
    while let Some(start) = find_placeholder(rest) {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return false;
        };
        let name = &after[..end];
        rest = &after[end + 1..];
        let target = name.split_once('.').map_or(name, |(target, _)| target);
        if !name.starts_with('!') && !vars.contains_key(name) && target == id {
            return true;
        }
    }
    false
}

fn condition_id<'a>(view: &TemplateView<'a>, index: usize) -> &'a str {
    view.conditions.get(index).map_or("", |(id, _)| *id)
}

/// The integer a literal argument holds; `None` when the argument is computed, `Err` when it is
/// a literal but not an integer. CloudFormation accepts numbers written as strings.
fn literal_int(e: &Expr) -> Option<Result<i64, ()>> {
    match e {
        Expr::Int(i) => Some(Ok(*i)),
        Expr::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Some(Ok(*x as i64)),
        Expr::String(s) => Some(s.trim().parse().map_err(|_| ())),
        Expr::Float(_) | Expr::Null | Expr::Bool(_) | Expr::List(_) | Expr::Map(_) => Some(Err(())),
        _ => None,
    }
}

/// A literal as JSON, for messages.
fn json_text(e: &Expr) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

fn with_suggestion(d: Diagnostic, suggestion: Option<&str>) -> Diagnostic {
    match suggestion {
        Some(near) => d.with_hint(format!("did you mean `{near}`?")),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::model::template::{Export, Output, ResourceEntry, FORMAT_VERSION};

    const THING: &str = "AWS::Test::Thing";
    const ATTRS: &[&str] = &["Arn", "Endpoint.Address"];

    fn lid(s: &str) -> LogicalId {
        LogicalId::new(s).unwrap()
    }

    fn r(name: &str) -> Expr {
        Expr::ref_to(name)
    }

    fn att(id: &str, attribute: &str) -> Expr {
        Expr::get_att(id, attribute)
    }

    fn sub(template: &str) -> Expr {
        Expr::sub(template)
    }

    fn s(text: &str) -> Expr {
        Expr::string(text)
    }

    fn b(e: Expr) -> Box<Expr> {
        Box::new(e)
    }

    fn entry(type_name: &str, props: Vec<Expr>) -> ResourceEntry {
        ResourceEntry {
            properties: props
                .into_iter()
                .enumerate()
                .map(|(i, e)| (format!("P{i}"), e))
                .collect(),
            ..ResourceEntry::new(type_name)
        }
    }

    fn param() -> Parameter {
        Parameter::new("String")
    }

    fn output(value: Expr) -> Output {
        Output {
            description: None,
            condition: None,
            value,
            export: None,
        }
    }

    /// A template whose only resource, `Bucket`, has no properties.
    fn base() -> Template {
        let mut t = Template {
            format_version: FORMAT_VERSION,
            ..Template::default()
        };
        t.resources.insert(lid("Bucket"), entry(THING, vec![]));
        t
    }

    fn add<'t>(t: &'t mut Template, id: &str, props: Vec<Expr>) -> &'t mut ResourceEntry {
        let (index, _) = t.resources.insert_full(lid(id), entry(THING, props));
        &mut t.resources[index]
    }

    /// Validates `t` as stack `App`, with construct paths `App/C/<id>`; `Custom::` types have
    /// unknown attributes, all others [`ATTRS`].
    fn run(t: &Template) -> Vec<Diagnostic> {
        let paths: Vec<String> = t.resources.keys().map(|id| format!("App/C/{id}")).collect();
        let infos = t
            .resources
            .iter()
            .zip(&paths)
            .map(|((id, e), path)| {
                let attributes = (!e.type_name.starts_with("Custom::")).then_some(ATTRS);
                (id.clone(), ResourceInfo { path, attributes })
            })
            .collect();
        validate_template("App", t, &infos)
    }

    fn found(diags: &[Diagnostic]) -> Vec<(Code, &str)> {
        diags.iter().map(|d| (d.code, d.path.as_str())).collect()
    }

    fn assert_clean(t: &Template) {
        let diags = run(t);
        assert!(diags.is_empty(), "{diags:#?}");
    }

    #[test]
    fn a_valid_template_reports_nothing() {
        let mut t = base();
        let mut p = param();
        p.default = Some(s("prod"));
        p.allowed_values = vec![s("prod"), s("dev")];
        t.parameters.insert(lid("Env"), p);
        t.mappings.insert(lid("Sizes"), IndexMap::new());
        t.conditions
            .insert(lid("IsProd"), Expr::Equals(b(r("Env")), b(s("prod"))));
        t.conditions.insert(
            lid("IsProdHere"),
            Expr::And(vec![
                Expr::Condition("IsProd".into()),
                Expr::Equals(b(r("AWS::Region")), b(s("x"))),
            ]),
        );
        let mut vars = IndexMap::new();
        vars.insert("Name".into(), r("Bucket"));
        add(
            &mut t,
            "Queue",
            vec![
                r("Bucket"),
                att("Bucket", "Endpoint.Address"),
                Expr::Sub {
                    template: "${Name}-${Bucket.Arn}-${Env}-${AWS::StackName}-${!Literal}".into(),
                    vars: Box::new(vars),
                },
                Expr::If {
                    condition: "IsProd".into(),
                    then: b(s("a")),
                    otherwise: b(r("AWS::NoValue")),
                },
                Expr::FindInMap {
                    map: "Sizes".into(),
                    top_key: b(r("AWS::Region")),
                    second_key: b(s("Size")),
                },
                Expr::Select {
                    index: b(Expr::Int(1)),
                    list: b(Expr::Cidr {
                        block: b(att("Bucket", "Arn")),
                        count: b(Expr::Int(2)),
                        cidr_bits: b(s("8")),
                    }),
                },
            ],
        )
        .depends_on = vec!["Bucket".into(), "Bucket".into()];
        t.resources[1].condition = Some("IsProdHere".into());
        let mut out = output(att("Queue", "Arn"));
        out.condition = Some("IsProd".into());
        out.export = Some(Export {
            name: s("App:Queue-Arn"),
        });
        t.outputs.insert(lid("QueueArn"), out);
        t.description = Some("x".repeat(1024));
        assert_clean(&t);
    }

    #[test]
    fn ref_must_name_a_parameter_resource_or_pseudo_parameter() {
        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        add(
            &mut t,
            "Queue",
            vec![r("Buckt"), r("AWS::Regoin"), r("Nothing")],
        );
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![(Code::DanglingReference, "App/C/Queue"); 3]
        );
        assert!(diags[0].message.contains("`Buckt`"));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `Bucket`?"));
        assert_eq!(
            diags[1].hint.as_deref(),
            Some("did you mean `AWS::Region`?")
        );
        assert_eq!(diags[2].hint, None);

        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        add(
            &mut t,
            "Queue",
            vec![r("Bucket"), r("Env"), r("AWS::URLSuffix")],
        );
        t.outputs.insert(lid("Out"), output(r("Queue")));
        assert_clean(&t);
    }

    #[test]
    fn ref_of_a_resource_to_itself_is_a_cycle() {
        let mut t = base();
        t.resources[0].properties.insert("Name".into(), r("Bucket"));
        let diags = run(&t);
        assert_eq!(found(&diags), vec![(Code::DependencyCycle, "App/C/Bucket")]);
        assert!(
            diags[0].message.contains("Bucket -> Bucket"),
            "{}",
            diags[0].message
        );

        // Metadata (cfn-init) may name its own resource.
        let mut t = base();
        t.resources[0]
            .metadata
            .insert("Init".into(), sub("--resource ${Bucket}"));
        assert_clean(&t);
    }

    #[test]
    fn get_att_must_name_a_resource_and_a_known_attribute() {
        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        add(
            &mut t,
            "Queue",
            vec![
                att("Env", "Arn"),
                att("Bukket", "Arn"),
                att("Bucket", "Amr"),
                att("Bucket", "Zzz"),
            ],
        );
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::DanglingReference, "App/C/Queue"),
                (Code::DanglingReference, "App/C/Queue"),
                (Code::UnknownAttribute, "App/C/Queue"),
                (Code::UnknownAttribute, "App/C/Queue"),
            ]
        );
        assert!(diags[0].message.contains("`Env`, which is a parameter"));
        assert_eq!(diags[1].hint.as_deref(), Some("did you mean `Bucket`?"));
        assert!(diags[2].message.contains("`Amr`"));
        assert_eq!(
            diags[2].hint.as_deref(),
            Some("did you mean `Arn`? attributes of `AWS::Test::Thing`: Arn, Endpoint.Address")
        );
        assert_eq!(
            diags[3].hint.as_deref(),
            Some("attributes of `AWS::Test::Thing`: Arn, Endpoint.Address")
        );

        // Known attributes pass, and any attribute of a type with unknown attributes.
        let mut t = base();
        t.resources.insert(lid("Raw"), entry("Custom::Raw", vec![]));
        add(
            &mut t,
            "Queue",
            vec![att("Bucket", "Endpoint.Address"), att("Raw", "Anything")],
        );
        assert_clean(&t);
    }

    #[test]
    fn sub_placeholders_must_resolve() {
        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        add(
            &mut t,
            "Queue",
            vec![sub(
                "${Missing}-${Bucket.Nope}-${Env.Arn}-${Nope.Arn}-${AWS::Regio}",
            )],
        );
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::DanglingReference, "App/C/Queue"),
                (Code::UnknownAttribute, "App/C/Queue"),
                (Code::DanglingReference, "App/C/Queue"),
                (Code::DanglingReference, "App/C/Queue"),
                (Code::DanglingReference, "App/C/Queue"),
            ]
        );
        assert!(
            diags[0].message.contains("`${Missing}`"),
            "{}",
            diags[0].message
        );
        assert!(diags[1].message.contains("`Nope`"));

        let mut vars = IndexMap::new();
        vars.insert("Missing".to_owned(), s("x"));
        vars.insert("Dotted.Name".to_owned(), s("y"));
        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        add(
            &mut t,
            "Queue",
            vec![
                Expr::Sub {
                    template: "${Missing}${Dotted.Name}${!Not.Here}${!Nope}".into(),
                    vars: Box::new(vars),
                },
                sub("${Bucket}${Bucket.Arn}${Env}${AWS::Region}$Plain {}"),
            ],
        );
        assert_clean(&t);
    }

    #[test]
    fn unterminated_or_empty_sub_placeholder_is_invalid() {
        let mut t = base();
        add(&mut t, "Queue", vec![sub("a-${AWS::Region")]);
        add(&mut t, "Topic", vec![sub("a-${}")]);
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::InvalidIntrinsic, "App/C/Queue"),
                (Code::InvalidIntrinsic, "App/C/Topic")
            ]
        );
        assert!(
            diags[0].message.contains("`${AWS::Region`"),
            "{}",
            diags[0].message
        );

        let mut t = base();
        add(
            &mut t,
            "Queue",
            vec![sub("a-${!AWS::Region"), sub("}${AWS::Region}}")],
        );
        assert_clean(&t);
    }

    #[test]
    fn depends_on_must_name_other_resources() {
        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        add(&mut t, "Queue", vec![]).depends_on =
            vec!["Queue".into(), "Env".into(), "Buckett".into()];
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![(Code::DanglingReference, "App/C/Queue"); 3]
        );
        assert!(diags[0].message.contains("`Queue` itself"));
        assert!(diags[1].message.contains("`Env`, which is a parameter"));
        assert_eq!(diags[2].hint.as_deref(), Some("did you mean `Bucket`?"));

        let mut t = base();
        add(&mut t, "Queue", vec![]).depends_on = vec!["Bucket".into(), "Bucket".into()];
        assert_clean(&t);
    }

    #[test]
    fn condition_names_must_exist() {
        let mut t = base();
        t.conditions
            .insert(lid("IsProd"), Expr::Equals(b(s("a")), b(s("b"))));
        t.conditions.insert(
            lid("Both"),
            Expr::And(vec![
                Expr::Condition("IsProd".into()),
                Expr::Condition("IsDev".into()),
            ]),
        );
        t.resources[0].condition = Some("IsPrd".into());
        let iff = Expr::If {
            condition: "Nope".into(),
            then: b(s("a")),
            otherwise: b(s("b")),
        };
        add(&mut t, "Queue", vec![iff]);
        let mut out = output(s("x"));
        out.condition = Some("Missing".into());
        t.outputs.insert(lid("Out"), out);
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::DanglingReference, "App/Both"),
                (Code::DanglingReference, "App/C/Bucket"),
                (Code::DanglingReference, "App/C/Queue"),
                (Code::DanglingReference, "App/Out"),
            ]
        );
        assert!(diags[0].message.contains("`IsDev`"));
        assert_eq!(diags[1].hint.as_deref(), Some("did you mean `IsProd`?"));
        assert!(diags[2].message.contains("`Fn::If` names condition `Nope`"));
        assert!(diags[3].message.contains("`Missing`"));

        let mut t = base();
        t.conditions
            .insert(lid("IsProd"), Expr::Equals(b(s("a")), b(s("b"))));
        t.resources[0].condition = Some("IsProd".into());
        let mut out = output(Expr::If {
            condition: "IsProd".into(),
            then: b(s("a")),
            otherwise: b(s("b")),
        });
        out.condition = Some("IsProd".into());
        t.outputs.insert(lid("Out"), out);
        assert_clean(&t);
    }

    #[test]
    fn find_in_map_must_name_a_mapping() {
        let find = |map: &str| Expr::FindInMap {
            map: map.into(),
            top_key: b(s("a")),
            second_key: b(s("b")),
        };
        let mut t = base();
        t.mappings.insert(lid("Sizes"), IndexMap::new());
        add(&mut t, "Queue", vec![find("Size")]);
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![(Code::DanglingReference, "App/C/Queue")]
        );
        assert!(diags[0].message.contains("mapping `Size`"));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `Sizes`?"));

        let mut t = base();
        t.mappings.insert(lid("Sizes"), IndexMap::new());
        add(&mut t, "Queue", vec![find("Sizes")]);
        assert_clean(&t);
    }

    #[test]
    fn conditions_may_only_use_parameters_and_pseudo_parameters() {
        let eq = |a: Expr| Expr::Equals(b(a), b(s("x")));
        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        t.conditions.insert(lid("UsesRef"), eq(r("Bucket")));
        t.conditions
            .insert(lid("UsesAtt"), eq(att("Bucket", "Arn")));
        t.conditions
            .insert(lid("UsesImport"), eq(Expr::ImportValue(b(s("Other:Vpc")))));
        t.conditions.insert(lid("UsesSub"), eq(sub("${Bucket}")));
        t.conditions
            .insert(lid("UsesSubAtt"), eq(sub("${Bucket.Arn}")));
        t.conditions.insert(lid("Dangling"), eq(r("Bucket2")));
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::InvalidCondition, "App/UsesRef"),
                (Code::InvalidCondition, "App/UsesAtt"),
                (Code::InvalidCondition, "App/UsesImport"),
                (Code::InvalidCondition, "App/UsesSub"),
                (Code::InvalidCondition, "App/UsesSubAtt"),
                (Code::DanglingReference, "App/Dangling"),
            ]
        );
        assert!(diags[0].message.contains("resource `Bucket`"));
        // No resource is suggested where resources are not allowed.
        assert_eq!(diags[5].hint, None);

        let mut t = base();
        t.parameters.insert(lid("Env"), param());
        t.conditions.insert(lid("A"), eq(r("Env")));
        t.conditions.insert(
            lid("B"),
            Expr::Or(vec![
                Expr::Condition("A".into()),
                eq(sub("${AWS::Region}-${Env}")),
            ]),
        );
        assert_clean(&t);
    }

    #[test]
    fn condition_cycles_are_reported() {
        let mut t = base();
        t.conditions
            .insert(lid("A"), Expr::Not(b(Expr::Condition("B".into()))));
        t.conditions.insert(
            lid("B"),
            Expr::And(vec![
                Expr::Condition("A".into()),
                Expr::Condition("A".into()),
            ]),
        );
        t.conditions
            .insert(lid("C"), Expr::Not(b(Expr::Condition("C".into()))));
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::DependencyCycle, "App/A"),
                (Code::DependencyCycle, "App/C")
            ]
        );
        assert!(
            diags[0].message.ends_with("A -> B -> A"),
            "{}",
            diags[0].message
        );
        assert!(diags[1].message.ends_with("C -> C"), "{}", diags[1].message);

        let mut t = base();
        t.conditions
            .insert(lid("A"), Expr::Equals(b(s("a")), b(s("b"))));
        t.conditions
            .insert(lid("B"), Expr::Not(b(Expr::Condition("A".into()))));
        assert_clean(&t);
    }

    #[test]
    fn resource_cycles_are_reported_once_each_in_order() {
        let mut t = base();
        // A -> B (Ref), B -> C (Fn::Sub Res.Attr), C -> A (DependsOn), B -> A (GetAtt).
        add(&mut t, "A", vec![r("B")]);
        add(&mut t, "B", vec![sub("${C.Arn}"), att("A", "Arn")]);
        add(&mut t, "C", vec![]).depends_on = vec!["A".into()];
        // A separate two-node cycle through an implicit `Fn::Sub` name.
        add(&mut t, "D", vec![sub("${E}")]);
        add(&mut t, "E", vec![r("D")]);
        // Outputs do not create edges.
        t.outputs.insert(lid("Out"), output(r("A")));
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::DependencyCycle, "App/C/A"),
                (Code::DependencyCycle, "App/C/D")
            ]
        );
        assert_eq!(
            diags[0].message,
            "resources depend on each other in a circle: A -> B -> A; property `P0` of `A` \
             names `B`; property `P1` of `B` names `A`"
        );
        assert_eq!(
            diags[1].message,
            "resources depend on each other in a circle: D -> E -> D; property `P0` of `D` \
             names `E`; property `P0` of `E` names `D`"
        );
        assert_eq!(run(&t), diags, "deterministic");

        let mut t = base();
        add(&mut t, "A", vec![r("B"), att("C", "Arn")]);
        add(&mut t, "B", vec![sub("${C}")]);
        add(&mut t, "C", vec![]).depends_on = vec!["Bucket".into()];
        t.outputs.insert(lid("Out"), output(r("A")));
        assert_clean(&t);
    }

    #[test]
    fn a_cycle_names_the_property_or_depends_on_of_each_edge() {
        let mut t = base();
        // `P0` names `Y` only through its own variable; `P2` names it.
        let shadowed = Expr::Sub {
            template: "${Y}-${!Y}".into(),
            vars: Box::new([("Y".to_owned(), s("literal"))].into_iter().collect()),
        };
        add(&mut t, "X", vec![shadowed, s("x"), sub("arn:${Y.Arn}")]);
        add(&mut t, "Y", vec![]).depends_on = vec!["X".into()];
        add(&mut t, "Z", vec![s("z"), r("Z")]);
        let diags = run(&t);
        assert_eq!(
            diags.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
            [
                "resources depend on each other in a circle: X -> Y -> X; property `P2` of `X` \
                 names `Y`; `Y` has `DependsOn` `X`",
                "resource `Z` refers to itself: Z -> Z; property `P1` of `Z` names `Z`",
            ]
        );
    }

    #[test]
    fn a_long_dependency_ring_does_not_overflow() {
        let n = 20_000;
        let mut t = base();
        for i in 0..n {
            add(
                &mut t,
                &format!("R{i}"),
                vec![r(&format!("R{}", (i + 1) % n))],
            );
        }
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::DependencyCycle, "App/C/R0"),
                (Code::LimitExceeded, "App")
            ]
        );
        // The chain in full; the first edges' causes, then how many more.
        assert!(
            diags[0]
                .message
                .contains("R19999 -> R0; property `P0` of `R0` names `R1`;"),
            "{}",
            &diags[0].message[diags[0].message.len() - 300..]
        );
        assert!(diags[0].message.ends_with("; and 19992 more"));
    }

    #[test]
    fn deeply_nested_values_do_not_overflow_the_stack() {
        let mut deep = r("Nope");
        for _ in 0..100_000 {
            deep = Expr::Not(b(deep));
        }
        let mut t = base();
        t.resources[0].properties.insert("Deep".into(), deep);
        assert_eq!(
            found(&run(&t)),
            vec![(Code::DanglingReference, "App/C/Bucket")]
        );
        // Dropping `t` drops the value too, in a loop (`Expr`'s `Drop`).
    }

    #[test]
    fn cidr_arguments_must_be_in_range() {
        let cidr = |count: Expr, bits: Expr| Expr::Cidr {
            block: b(s("10.0.0.0/16")),
            count: b(count),
            cidr_bits: b(bits),
        };
        let mut t = base();
        add(&mut t, "A", vec![cidr(Expr::Int(0), Expr::Int(8))]);
        add(&mut t, "B", vec![cidr(Expr::Int(257), Expr::Int(8))]);
        add(&mut t, "C", vec![cidr(Expr::Int(4), Expr::Int(0))]);
        add(&mut t, "D", vec![cidr(s("4"), s("129"))]);
        add(&mut t, "E", vec![cidr(s("four"), Expr::Int(8))]);
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::InvalidIntrinsic, "App/C/A"),
                (Code::InvalidIntrinsic, "App/C/B"),
                (Code::InvalidIntrinsic, "App/C/C"),
                (Code::InvalidIntrinsic, "App/C/D"),
                (Code::InvalidIntrinsic, "App/C/E"),
            ]
        );
        assert!(diags[1].message.contains("count is 257"));
        assert!(diags[3].message.contains("cidr bits is 129"));
        assert!(diags[4].message.contains("`\"four\"`"));

        let mut t = base();
        add(
            &mut t,
            "A",
            vec![
                cidr(Expr::Int(1), Expr::Int(128)),
                cidr(s("256"), s("1")),
                cidr(r("AWS::Region"), att("Bucket", "Arn")),
            ],
        );
        assert_clean(&t);
    }

    #[test]
    fn and_or_take_two_to_ten_conditions() {
        let c = || Expr::Condition("X".into());
        let mut t = base();
        t.conditions
            .insert(lid("X"), Expr::Equals(b(s("a")), b(s("b"))));
        t.conditions.insert(lid("One"), Expr::And(vec![c()]));
        t.conditions.insert(lid("Eleven"), Expr::Or(vec![c(); 11]));
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::InvalidIntrinsic, "App/One"),
                (Code::InvalidIntrinsic, "App/Eleven")
            ]
        );
        assert!(diags[0].message.contains("`Fn::And` has 1"));

        let mut t = base();
        t.conditions
            .insert(lid("X"), Expr::Equals(b(s("a")), b(s("b"))));
        t.conditions.insert(lid("Two"), Expr::And(vec![c(); 2]));
        t.conditions.insert(lid("Ten"), Expr::Or(vec![c(); 10]));
        assert_clean(&t);
    }

    #[test]
    fn select_index_must_be_non_negative_and_in_bounds() {
        let select = |index: Expr, list: Expr| Expr::Select {
            index: b(index),
            list: b(list),
        };
        let two = || Expr::List(vec![s("a"), r("Bucket")]);
        let mut t = base();
        add(
            &mut t,
            "A",
            vec![select(Expr::Int(-1), r("AWS::NotificationARNs"))],
        );
        add(&mut t, "B", vec![select(Expr::Int(2), two())]);
        add(&mut t, "C", vec![select(s("x"), two())]);
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::InvalidIntrinsic, "App/C/A"),
                (Code::InvalidIntrinsic, "App/C/B"),
                (Code::InvalidIntrinsic, "App/C/C"),
            ]
        );
        assert!(diags[0].message.contains("-1"));
        assert!(diags[1]
            .message
            .contains("index 2 is out of bounds for a list of 2"));

        let mut t = base();
        add(
            &mut t,
            "A",
            vec![
                select(Expr::Int(1), two()),
                select(s("0"), two()),
                select(Expr::Int(5), Expr::GetAzs(b(s("")))),
                select(r("AWS::Region"), two()),
            ],
        );
        assert_clean(&t);
    }

    #[test]
    fn parameters_must_be_consistent() {
        let mut t = base();
        let mut p = param();
        p.default = Some(r("AWS::Region"));
        t.parameters.insert(lid("NotLiteral"), p);
        let mut p = param();
        p.default = Some(s("test"));
        p.allowed_values = vec![s("prod"), s("dev")];
        t.parameters.insert(lid("NotAllowed"), p);
        let mut p = param();
        p.type_name = "CommaDelimitedList".into();
        p.default = Some(s("a,c"));
        p.allowed_values = vec![s("a"), s("b")];
        t.parameters.insert(lid("ListNotAllowed"), p);
        let mut p = param();
        p.min_length = Some(5);
        p.max_length = Some(3);
        t.parameters.insert(lid("Lengths"), p);
        let mut p = param();
        p.type_name = "Number".into();
        p.min_value = Some(10.0);
        p.max_value = Some(1.5);
        t.parameters.insert(lid("Values"), p);
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::InvalidParameter, "App/NotLiteral"),
                (Code::InvalidParameter, "App/NotAllowed"),
                (Code::InvalidParameter, "App/ListNotAllowed"),
                (Code::InvalidParameter, "App/Lengths"),
                (Code::InvalidParameter, "App/Values"),
            ]
        );
        assert!(diags[1].message.contains("`test`"));
        assert_eq!(diags[1].hint.as_deref(), Some("allowed values: prod, dev"));
        assert!(diags[2].message.contains("`c`"));

        let mut t = base();
        let mut p = param();
        p.type_name = "Number".into();
        p.default = Some(Expr::Int(3));
        p.allowed_values = vec![s("3"), Expr::Int(4)];
        p.min_value = Some(1.0);
        p.max_value = Some(4.0);
        t.parameters.insert(lid("Count"), p);
        let mut p = param();
        p.type_name = "List<AWS::EC2::Subnet::Id>".into();
        p.default = Some(s("a, b"));
        p.allowed_values = vec![s("a"), s("b")];
        p.min_length = Some(1);
        p.max_length = Some(1);
        t.parameters.insert(lid("Subnets"), p);
        assert_clean(&t);
    }

    #[test]
    fn a_default_must_keep_every_constraint_of_its_parameter() {
        let mut t = base();
        let mut p = param();
        p.type_name = "Number".into();
        // Once asserted to be fine: CloudFormation refuses a default above max_value.
        p.default = Some(Expr::Int(3));
        p.min_value = Some(1.0);
        p.max_value = Some(1.0);
        t.parameters.insert(lid("Count"), p);
        let mut p = param();
        p.type_name = "Number".into();
        p.default = Some(s("ten"));
        p.allowed_values = vec![s("ten"), s("1")];
        t.parameters.insert(lid("Word"), p);
        let mut p = param();
        p.type_name = "List<Number>".into();
        p.default = Some(s("1, x, -5"));
        p.min_value = Some(0.0);
        t.parameters.insert(lid("Numbers"), p);
        let mut p = param();
        p.default = Some(s("ab"));
        p.min_length = Some(3);
        p.max_length = Some(1);
        t.parameters.insert(lid("Short"), p);
        let mut p = param();
        p.default = Some(s("prod-1"));
        p.allowed_pattern = Some("[a-z]+".into());
        t.parameters.insert(lid("Pattern"), p);
        let mut p = param();
        p.type_name = "Number".into();
        p.min_value = Some(f64::NAN);
        p.max_value = Some(f64::INFINITY);
        t.parameters.insert(lid("Bounds"), p);
        let diags = run(&t);
        let messages: Vec<(&str, &str)> = diags
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert!(diags.iter().all(|d| d.code == Code::InvalidParameter));
        assert_eq!(
            messages,
            [
                (
                    "App/Count",
                    "the default `3` of parameter `Count` is more than its max_value 1"
                ),
                (
                    "App/Word",
                    "the default `ten` of parameter `Word` is not a number, as its type \
                     `Number` wants"
                ),
                (
                    "App/Word",
                    "the allowed value `ten` of parameter `Word` is not a number"
                ),
                (
                    "App/Numbers",
                    "the default `x` of parameter `Numbers` is not a number, as its type \
                     `List<Number>` wants"
                ),
                (
                    "App/Numbers",
                    "the default `-5` of parameter `Numbers` is less than its min_value 0"
                ),
                (
                    "App/Short",
                    "the default `ab` of parameter `Short` is 2 characters long, shorter than \
                     its min_length 3"
                ),
                (
                    "App/Short",
                    "the default `ab` of parameter `Short` is 2 characters long, longer than \
                     its max_length 1"
                ),
                (
                    "App/Short",
                    "parameter `Short` has min_length 3 greater than max_length 1"
                ),
                (
                    "App/Pattern",
                    "the default `prod-1` of parameter `Pattern` does not match its \
                     allowed_pattern `[a-z]+`"
                ),
                (
                    "App/Bounds",
                    "parameter `Bounds` has min_value NaN, which a template cannot hold"
                ),
                (
                    "App/Bounds",
                    "parameter `Bounds` has max_value inf, which a template cannot hold"
                ),
            ]
        );

        // Within every constraint, and a pattern Rust's regex cannot read, are fine.
        let mut t = base();
        let mut p = param();
        p.default = Some(s("prod"));
        p.allowed_pattern = Some("[a-z]+".into());
        p.min_length = Some(4);
        p.max_length = Some(4);
        t.parameters.insert(lid("Pattern"), p);
        let mut p = param();
        p.default = Some(s("abc"));
        p.allowed_pattern = Some("(?!x)[a-z]+".into());
        t.parameters.insert(lid("LookAhead"), p);
        let mut p = param();
        p.type_name = "List<Number>".into();
        p.default = Some(s("1, 2.5"));
        p.min_value = Some(1.0);
        p.max_value = Some(2.5);
        t.parameters.insert(lid("Numbers"), p);
        assert_clean(&t);
    }

    #[test]
    fn limits_are_enforced() {
        let mut t = base();
        t.resources.clear();
        t.description = Some("é".repeat(513));
        for i in 0..201 {
            t.outputs.insert(lid(&format!("O{i}")), output(s("x")));
            t.parameters.insert(lid(&format!("P{i}")), param());
            t.mappings.insert(lid(&format!("M{i}")), IndexMap::new());
        }
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::TooLong, "App"),
                (Code::EmptyTemplate, "App"),
                (Code::LimitExceeded, "App"),
                (Code::LimitExceeded, "App"),
                (Code::LimitExceeded, "App"),
            ]
        );
        assert!(diags[2].message.contains("201 outputs"));
        assert!(diags[3].message.contains("201 parameters"));
        assert!(diags[4].message.contains("201 mappings"));

        let mut t = base();
        for i in 0..501 {
            add(&mut t, &format!("R{i}"), vec![]);
        }
        assert_eq!(found(&run(&t)), vec![(Code::LimitExceeded, "App")]);

        let mut t = base();
        t.description = Some("é".repeat(512));
        for i in 1..500 {
            add(&mut t, &format!("R{i}"), vec![]);
        }
        for i in 0..200 {
            t.outputs.insert(lid(&format!("O{i}")), output(s("x")));
            t.parameters.insert(lid(&format!("P{i}")), param());
            t.mappings.insert(lid(&format!("M{i}")), IndexMap::new());
        }
        assert_clean(&t);
    }

    #[test]
    fn export_names_must_be_short_and_plain() {
        let exported = |name: Expr| Output {
            export: Some(Export { name }),
            ..output(s("x"))
        };
        let mut t = base();
        t.outputs.insert(lid("Long"), exported(s(&"a".repeat(256))));
        t.outputs.insert(lid("Odd"), exported(s("App/Vpc_Id")));
        t.outputs
            .insert(lid("Dangling"), exported(sub("${AWS::StackName}-${Nope}")));
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![
                (Code::TooLong, "App/Long"),
                (Code::InvalidIntrinsic, "App/Odd"),
                (Code::DanglingReference, "App/Dangling"),
            ]
        );
        assert!(diags[0].message.contains("256 characters"));
        assert!(diags[1].message.contains("`App/Vpc_Id`") && diags[1].message.contains("`/`"));

        let mut t = base();
        t.outputs.insert(lid("Max"), exported(s(&"a".repeat(255))));
        t.outputs.insert(lid("Plain"), exported(s("App:Vpc-Id:2")));
        t.outputs
            .insert(lid("Computed"), exported(sub("${AWS::StackName}-Vpc")));
        assert_clean(&t);
    }

    #[test]
    fn parameters_and_resources_share_one_namespace() {
        let mut t = base();
        t.parameters.insert(lid("Bucket"), param());
        let diags = run(&t);
        assert_eq!(
            found(&diags),
            vec![(Code::DuplicateLogicalId, "App/C/Bucket")]
        );
        assert!(diags[0].message.contains("`Bucket`"));

        let mut t = base();
        t.parameters.insert(lid("BucketName"), param());
        t.outputs.insert(lid("Bucket"), output(r("Bucket")));
        t.conditions
            .insert(lid("Bucket2"), Expr::Equals(b(s("a")), b(s("b"))));
        assert_clean(&t);
    }

    #[test]
    fn body_size_warns_over_51200_and_fails_over_1mb() {
        assert_eq!(check_body_size("App", "App.template.json", 51_200), None);
        let warn = check_body_size("App", "App.template.json", 51_201).unwrap();
        assert_eq!(
            (warn.code, warn.severity, warn.path.as_str()),
            (Code::TemplateNeedsS3, Severity::Warning, "App")
        );
        assert!(warn.message.contains("`App.template.json`"));
        assert!(warn
            .hint
            .unwrap()
            .contains("aws cloudformation deploy --s3-bucket"));
        let warn = check_body_size("App", "App.template.json", 1_048_576).unwrap();
        assert_eq!(warn.code, Code::TemplateNeedsS3);
        let err = check_body_size("App", "App.template.json", 1_048_577).unwrap();
        assert_eq!(
            (err.code, err.severity, err.path.as_str()),
            (Code::TemplateTooLarge, Severity::Error, "App")
        );
    }

    #[test]
    fn diagnostics_follow_template_order_then_limits() {
        let mut t = base();
        t.description = Some("x".repeat(1025));
        t.outputs.insert(lid("Out"), output(r("Nope")));
        t.resources[0].properties.insert("A".into(), r("Nope"));
        t.conditions
            .insert(lid("Cond"), Expr::Condition("Nope".into()));
        let mut p = param();
        p.default = Some(r("AWS::Region"));
        t.parameters.insert(lid("Param"), p);
        assert_eq!(
            found(&run(&t)),
            vec![
                (Code::InvalidParameter, "App/Param"),
                (Code::DanglingReference, "App/Cond"),
                (Code::DanglingReference, "App/C/Bucket"),
                (Code::DanglingReference, "App/Out"),
                (Code::TooLong, "App"),
            ]
        );
    }

    #[test]
    fn a_problem_repeated_in_one_place_is_reported_once() {
        let mut t = base();
        add(&mut t, "A", vec![r("Nope"), r("Nope"), sub("${Nope}")]);
        add(&mut t, "B", vec![r("Nope")]);
        assert_eq!(
            found(&run(&t)),
            vec![
                (Code::DanglingReference, "App/C/A"),
                (Code::DanglingReference, "App/C/A"),
                (Code::DanglingReference, "App/C/B"),
            ]
        );
    }

    #[test]
    fn missing_resource_info_falls_back_to_the_stack_path() {
        let mut t = base();
        t.resources[0]
            .properties
            .insert("A".into(), att("Bucket", "Anything"));
        t.resources[0].properties.insert("B".into(), r("Nope"));
        let diags = validate_template("App", &t, &IndexMap::new());
        // Self-reference through GetAtt is a cycle too; unknown attributes are accepted.
        assert_eq!(
            found(&diags),
            vec![
                (Code::DanglingReference, "App/Bucket"),
                (Code::DependencyCycle, "App/Bucket")
            ]
        );
    }

    #[test]
    fn suggestions_need_a_close_match() {
        let names = ["Vpc", "PublicSubnet1", "PublicSubnet2"];
        assert_eq!(
            closest("PublicSubnet3", names.into_iter()),
            Some("PublicSubnet1")
        );
        assert_eq!(closest("vpc", names.into_iter()), Some("Vpc"));
        assert_eq!(closest("Vp", names.into_iter()), Some("Vpc"));
        assert_eq!(closest("X", names.into_iter()), None);
        assert_eq!(closest("Subnet", names.into_iter()), None);
        assert_eq!(
            crate::diagnostics::edit_distance("kitten", "sitting", 3),
            Some(3)
        );
        assert_eq!(
            crate::diagnostics::edit_distance("kitten", "sitting", 2),
            None
        );
    }
}
