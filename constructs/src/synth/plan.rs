//! The app-wide part of synth, done before any stack is written: which values each stack
//! imports from the others, the export outputs that requires, and the order the stacks deploy
//! in.
//!
//! Planning reads the app's expression trees once, without recursing, to find the references
//! that cross stacks and the values nested deeper than a template may be; it copies none of
//! them. A stack holding such a value is reported here and read by no later pass.

use std::collections::HashMap;
use std::fmt;

use indexmap::IndexMap;

use crate::app::{App, Stack};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::expr::Expr;
use crate::model::logical_id::LogicalId;
use crate::model::template::{Export, Output, MAX_TEMPLATE_DEPTH};

use super::export::{foreign_ref, ExportKey, InStack};
use super::graph::{cycle_text, edges_text, topo_order};
use super::parallel::map_in_order;

/// What synth decides for the whole app before it renders any stack.
pub(crate) struct Plan {
    /// For each stack (by index): the stacks it imports from, in the order first referenced.
    pub dependencies: Vec<Vec<usize>>,
    /// For each stack: the outputs (id and output) that carry the exports others import.
    pub exports: Vec<Vec<(String, Output)>>,
    /// Stack indexes in deploy order; empty when the stacks import from each other in a circle.
    pub deploy_order: Vec<usize>,
    /// For each stack: whether it holds a value no writer may see: one nested deeper than a
    /// template may ([`MAX_TEMPLATE_DEPTH`]), or a number JSON cannot write (`NaN`, an
    /// infinity). Such a stack has been reported, and no later pass reads it.
    pub unwritable: Vec<bool>,
    /// The app's and stacks' own diagnostics, then those found planning, in that order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Plans `app`: imports, exports, and deploy order.
pub(crate) fn plan(app: &App) -> Plan {
    let mut diagnostics: Vec<Diagnostic> = app.diagnostics().to_vec();
    if app.stacks().is_empty() {
        // An error rather than an empty output: a forgotten `add_stack` would otherwise pass
        // as a synth that wrote nothing, in a directory that then holds no template.
        diagnostics.push(
            Diagnostic::error(
                Code::EmptyApp,
                APP_PATH,
                "the app has no stacks to synthesize",
            )
            .with_hint("add each stack to the app with App::add_stack before synth"),
        );
    }
    for stack in app.stacks() {
        diagnostics.extend_from_slice(stack.contents().diagnostics);
    }
    let by_name: HashMap<&str, usize> = app
        .stacks()
        .iter()
        .enumerate()
        // Stack names are unique: `App::add_stack` refuses a second stack of a name.
        .map(|(i, s)| (s.name(), i))
        .collect();
    let stacks = Stacks {
        all: app.stacks(),
        by_name,
    };
    let mut imports: Vec<Imports> = Vec::with_capacity(app.stacks().len());
    let mut unwritable = Vec::with_capacity(app.stacks().len());
    // This reads every expression tree of the app, before any other pass does: two threads
    // share the stacks.
    let found = map_in_order(0..app.stacks().len(), MIN_STACKS_TO_SPLIT, |me| {
        let mut problems = Vec::new();
        let (found, deep) = imports_of(&stacks, me, &mut problems);
        (found, deep, problems)
    });
    for (found, deep, problems) in found {
        imports.push(found);
        unwritable.push(deep);
        diagnostics.extend(problems);
    }

    for (consumer, per_consumer) in imports.iter().enumerate() {
        for (&producer, Import { keys, .. }) in per_consumer {
            if let Some(d) =
                cross_environment(&app.stacks()[consumer], &app.stacks()[producer], keys)
            {
                diagnostics.push(d);
            }
        }
    }

    // The exports the imports need, once per exported value, in a stable order.
    let mut wanted: Vec<IndexMap<ExportKey, ()>> = vec![IndexMap::new(); app.stacks().len()];
    for per_consumer in &imports {
        for (&producer, Import { keys, .. }) in per_consumer {
            for key in keys {
                wanted[producer].insert(key.clone(), ());
            }
        }
    }
    let exports = wanted
        .iter()
        .zip(app.stacks())
        .map(|(keys, stack)| export_outputs(stack, keys.keys(), &mut diagnostics))
        .collect::<Vec<_>>();

    check_export_names(app, &exports, &mut diagnostics);

    // Stack graph: consumers depend on producers. Cycles cannot deploy.
    let dependencies: Vec<Vec<usize>> = imports
        .iter()
        .map(|per_consumer| per_consumer.keys().copied().collect())
        .collect();
    let deploy_order = match topo_order(&dependencies) {
        Ok(order) => order,
        Err(cycle) => {
            diagnostics.push(stack_cycle(app, &imports, &cycle));
            Vec::new()
        }
    };
    Plan {
        dependencies,
        exports,
        deploy_order,
        unwritable,
        diagnostics,
    }
}

/// What one stack imports from each other stack, by the producing stack's index.
type Imports = IndexMap<usize, Import>;

/// What one stack imports from one other stack.
struct Import {
    /// The values, in the order first referenced.
    keys: Vec<ExportKey>,
    /// The first reference, for messages: where it is and what it names, as in
    /// ``` `Api/Fn` (property `Role` of `FnFunction`) references `FnRole.Arn` ```.
    first: String,
}

/// The error for stacks that import from each other in a circle (`cycle`, each stack
/// importing from the next, the last from the first): the circle, and for each of its edges
/// the first reference that makes it, since breaking the circle means moving one of them.
fn stack_cycle(app: &App, imports: &[Imports], cycle: &[usize]) -> Diagnostic {
    let name = |i: usize| app.stacks()[i].name();
    let edges = edges_text(cycle, |consumer, producer| {
        // Every edge of the stack graph is an import (`Plan::dependencies`).
        let first = imports[consumer]
            .get(&producer)
            .map_or("", |import| &import.first);
        format!("{first} of stack `{}`", name(producer))
    });
    Diagnostic::error(
        Code::StackDependencyCycle,
        name(cycle[0]),
        format!(
            "stacks reference each other in a circle: {}; {edges}",
            cycle_text(cycle, name),
        ),
    )
    .with_hint(
        "a stack cannot import from one that imports from it, directly or through others: \
         make each grant in the principal's stack (the role's own policy naming the resource, not a resource policy \
         naming the role), move the reference into the stack that holds what it names, or move \
         the shared resources into a third stack both import from",
    )
}

/// The error when `consumer` imports `keys` from `producer` and both are pinned to different
/// Regions or accounts: `Fn::ImportValue` reads the exports of the account and Region the
/// importing stack is deployed to, so the producer's exports are not there.
fn cross_environment(consumer: &Stack, producer: &Stack, keys: &[ExportKey]) -> Option<Diagnostic> {
    let (c, p) = (consumer.environment(), producer.environment());
    let differs =
        |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
    let what = if differs(&c.region, &p.region) {
        ("Region", c.region.as_deref(), p.region.as_deref())
    } else if differs(&c.account, &p.account) {
        ("account", c.account.as_deref(), p.account.as_deref())
    } else {
        return None;
    };
    let (kind, mine, theirs) = what;
    let names: Vec<String> = keys
        .iter()
        .take(3)
        .map(|k| format!("`{}`", key_text(k)))
        .collect();
    let more = if keys.len() > 3 {
        format!(" and {} more", keys.len() - 3)
    } else {
        String::new()
    };
    Some(
        Diagnostic::error(
            Code::CrossEnvironmentReference,
            consumer.name(),
            format!(
                "stack `{}` ({kind} {}) references {}{more} of stack `{}`, pinned to {kind} {}; \
                 CloudFormation exports exist only in their own account and Region",
                consumer.name(),
                mine.unwrap_or_default(),
                names.join(", "),
                producer.name(),
                theirs.unwrap_or_default(),
            ),
        )
        .with_hint(
            "pin both stacks to one account and Region, or pass the value in as a literal or a \
             stack parameter instead of a reference",
        ),
    )
}

/// What an import names, as messages write it: `Queue` (a `Ref`) or `Queue.Arn`.
fn key_text(key: &ExportKey) -> String {
    match &key.attribute {
        Some(attribute) => format!("{}.{attribute}", key.name),
        None => key.name.clone(),
    }
}

/// The path of diagnostics about the app as a whole: not a stack name, which has no
/// parentheses.
const APP_PATH: &str = "(app)";

/// Below this many stacks, a second thread costs more than it saves.
const MIN_STACKS_TO_SPLIT: usize = 16;

/// The stacks of the app, and their indexes by name.
struct Stacks<'a> {
    all: &'a [Stack],
    by_name: HashMap<&'a str, usize>,
}

/// What stack `me` imports, by producing stack; reports references that cannot resolve. Also
/// returns whether the stack holds a value no writer may see (nested deeper than a template
/// may, or a number that is not finite), and reports each such value.
///
/// This is where synth first reads the app's expression trees, and it reads them without
/// recursing ([`Expr::walk_nesting`]). Later passes do recurse as deep as a value nests:
/// serializing it (serde, and the YAML emitter's `serde_json::Value`), copying it into an owned
/// template (`Clone`, [`Expr::map_nodes`]) and checking parameter defaults
/// ([`Expr::is_literal`]). They must only ever see checked trees: a stack this reports as
/// unwritable is left out of every one of them ([`Plan::unwritable`]), and in every other stack no
/// value nests more than [`MAX_TEMPLATE_DEPTH`] levels, which bounds their recursion.
fn imports_of<'s>(
    stacks: &Stacks<'s>,
    me: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Imports, bool) {
    let local = stacks.all[me].name();
    let stack = stacks.all[me].contents();
    let mut imports = Imports::new();
    let mut pending = Vec::new();
    let mut unwritable = false;
    // (path, stack name) of the handles of other stack instances reported, to report each once.
    let mut strangers: Vec<(String, String)> = Vec::new();
    let mut visit = |expr: &'s Expr, path: &str, place: Place<'_>| {
        let imports_here = place.imports();
        let mut non_finite = None;
        let nesting = place.around()
            + expr.walk_nesting(InStack(Some(local)), &mut pending, &mut |node| {
                if let Expr::Float(x) = node {
                    if !x.is_finite() {
                        non_finite.get_or_insert(*x);
                    }
                }
                if let Some(d) = stranger(stacks, node, path, &mut strangers) {
                    diagnostics.push(d);
                    return;
                }
                if !imports_here {
                    return;
                }
                let Some(import) = foreign_ref(node, Some(local)) else {
                    return;
                };
                let key = ExportKey {
                    name: import.name.to_owned(),
                    attribute: import.attribute.map(str::to_owned),
                };
                if let Some(producer) = check_import(stacks, import.owner, &key, path, diagnostics)
                {
                    let found = imports.entry(producer).or_insert_with(|| Import {
                        keys: Vec::new(),
                        first: format!("`{path}` ({place}) references `{}`", key_text(&key)),
                    });
                    if !found.keys.contains(&key) {
                        found.keys.push(key);
                    }
                }
            });
        // JSON has no NaN or infinity (serde_json writes `null`), so no writer may see one.
        if let Some(x) = non_finite {
            unwritable = true;
            diagnostics.push(
                Diagnostic::error(
                    Code::NonFiniteNumber,
                    path,
                    format!("{place} holds the number {x}, which a template cannot hold"),
                )
                .with_hint(
                    "give a finite number; a NaN usually comes from a division by zero or an \
                     unset value",
                ),
            );
        }
        // The depth check: past it, recursive passes read this stack's trees (see above).
        if nesting > MAX_TEMPLATE_DEPTH {
            unwritable = true;
            diagnostics.push(
                Diagnostic::error(
                    Code::ExpressionTooDeep,
                    path,
                    format!(
                        "{place} nests {nesting} levels deep in the template; a template may \
                         nest at most {MAX_TEMPLATE_DEPTH}"
                    ),
                )
                .with_hint(
                    "JSON and YAML readers refuse deeper documents; build the value from fewer \
                     nested functions (one `Fn::Join` of many items, or a value computed in Rust)",
                ),
            );
        }
    };
    // The order of the template, so that diagnostics come in that order.
    for (id, entry) in stack.parameters {
        if LogicalId::is_valid(id) {
            let param = &entry.item;
            if let Some(default) = &param.default {
                visit(default, &entry.path, Place::Default(id));
            }
            for value in &param.allowed_values {
                visit(value, &entry.path, Place::AllowedValue(id));
            }
        }
    }
    for (id, entry) in stack.mappings {
        if LogicalId::is_valid(id) {
            for (top, row) in &entry.item {
                for (key, v) in row {
                    visit(v, &entry.path, Place::Mapping(id, top, key));
                }
            }
        }
    }
    for (id, entry) in stack.conditions {
        if LogicalId::is_valid(id) {
            visit(&entry.item, &entry.path, Place::Condition(id));
        }
    }
    for (id, res) in stack.resources {
        if LogicalId::is_valid(id) {
            // Metadata comes before properties in the template.
            for (key, v) in &res.metadata {
                visit(v, &res.path, Place::Metadata(id, key));
            }
            for (key, v) in &res.properties {
                visit(v, &res.path, Place::Property(id, key));
            }
        }
    }
    for (id, entry) in stack.outputs {
        if LogicalId::is_valid(id) {
            visit(&entry.item.value, &entry.path, Place::OutputValue(id));
            if let Some(name) = &entry.item.export_name {
                visit(name, &entry.path, Place::ExportName(id));
            }
        }
    }
    (imports, unwritable)
}

/// The error when `node` is a `Ref` or `Fn::GetAtt` made by a handle of a stack that has the
/// name of a stack of this app but is another [`Stack`] value: one of another app, or an
/// earlier stack of the same name. By name it would resolve to a resource of this app that the
/// handle never meant. Reported once per construct path and stack name.
fn stranger(
    stacks: &Stacks<'_>,
    node: &Expr,
    path: &str,
    seen: &mut Vec<(String, String)>,
) -> Option<Diagnostic> {
    let (owner, name) = match node {
        Expr::Ref {
            stack: Some(owner),
            name,
        } => (owner, name.as_str()),
        Expr::GetAtt {
            stack: Some(owner),
            logical_id,
            ..
        } => (owner, &**logical_id),
        _ => return None,
    };
    let instance = owner.instance()?;
    let &here = stacks.by_name.get(&**owner)?;
    if stacks.all[here].stack_ref().instance() == Some(instance) {
        return None;
    }
    if seen.iter().any(|(p, s)| p == path && **s == **owner) {
        return None;
    }
    seen.push((path.to_owned(), owner.to_string()));
    Some(
        Diagnostic::error(
            Code::ForeignHandle,
            path,
            format!(
                "references `{name}` through a handle of another stack named `{owner}` (of \
                 another App, or a Stack made earlier under that name), not of this app's \
                 `{owner}`"
            ),
        )
        .with_hint("use the handles that this app's stacks returned"),
    )
}

/// Where a value sits in its stack's template: what it is called in messages, and how deep the
/// template puts it.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// The default of a parameter.
    Default(&'a str),
    /// One of the allowed values of a parameter.
    AllowedValue(&'a str),
    /// The value of a mapping (id, top-level key, second-level key).
    Mapping(&'a str, &'a str, &'a str),
    /// A condition.
    Condition(&'a str),
    /// A metadata entry of a resource (id, key).
    Metadata(&'a str, &'a str),
    /// A property of a resource (id, property).
    Property(&'a str, &'a str),
    /// The value of an output.
    OutputValue(&'a str),
    /// The export name of an output.
    ExportName(&'a str),
}

impl Place<'_> {
    /// How many JSON objects and arrays the template puts around a value here: a property is
    /// inside `Properties`, its resource, `Resources` and the template itself.
    fn around(self) -> usize {
        match self {
            Place::Condition(_) => 2,
            Place::Default(_) | Place::OutputValue(_) => 3,
            Place::AllowedValue(_)
            | Place::Mapping(..)
            | Place::Metadata(..)
            | Place::Property(..)
            | Place::ExportName(_) => 4,
        }
    }

    /// Whether a reference to another stack here is an import. Parameters never import: their
    /// values must be literals, which validation checks.
    fn imports(self) -> bool {
        !matches!(self, Place::Default(_) | Place::AllowedValue(_))
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Default(id) => write!(f, "the default of parameter `{id}`"),
            Place::AllowedValue(id) => write!(f, "an allowed value of parameter `{id}`"),
            Place::Mapping(id, top, key) => write!(f, "value `{top}.{key}` of mapping `{id}`"),
            Place::Condition(id) => write!(f, "condition `{id}`"),
            Place::Metadata(id, key) => write!(f, "metadata `{key}` of `{id}`"),
            Place::Property(id, key) => write!(f, "property `{key}` of `{id}`"),
            Place::OutputValue(id) => write!(f, "the value of output `{id}`"),
            Place::ExportName(id) => write!(f, "the export name of output `{id}`"),
        }
    }
}

/// The index of the stack named `owner`, when it has what `key` names; otherwise reports why
/// the reference cannot resolve (once, here: the producing stack gets no export for it).
fn check_import(
    stacks: &Stacks<'_>,
    owner: &str,
    key: &ExportKey,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let found = stacks
        .by_name
        .get(owner)
        .map(|&i| (i, stacks.all[i].contents()));
    let Some((producer, stack)) = found else {
        diagnostics.push(
            Diagnostic::error(
                Code::DanglingReference,
                path,
                format!(
                    "references `{}` of stack `{owner}`, which is not in the app",
                    key.name
                ),
            )
            .with_hint("add that stack to the app with App::add_stack"),
        );
        return None;
    };
    let problem = match (stack.resources.get(&key.name), &key.attribute) {
        (Some(res), Some(attr)) => match res.attributes {
            Some(known) if !known.contains(&attr.as_str()) => Some(Diagnostic::error(
                Code::UnknownAttribute,
                path,
                format!(
                    "`{}` of stack `{owner}` ({}) has no attribute `{attr}`",
                    key.name, res.type_name
                ),
            )),
            _ => None,
        },
        (Some(_), None) => None,
        (None, None) if stack.parameters.contains_key(&key.name) => None,
        (None, _) => Some(Diagnostic::error(
            Code::DanglingReference,
            path,
            format!(
                "references `{}`, which stack `{owner}` does not have",
                key.name
            ),
        )),
    };
    match problem {
        Some(problem) => {
            diagnostics.push(problem);
            None
        }
        None => Some(producer),
    }
}

/// The outputs that export `keys` from `stack`; reports ids that cannot be used.
fn export_outputs<'k>(
    stack: &Stack,
    keys: impl Iterator<Item = &'k ExportKey>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Output)> {
    let stack_name = stack.name();
    let mut outputs: Vec<(String, Output)> = Vec::new();
    for key in keys {
        let output_id = key.output_id();
        let path = format!("{stack_name}/{output_id}");
        if !LogicalId::is_valid(&output_id) {
            diagnostics.push(Diagnostic::error(
                Code::InvalidLogicalId,
                path,
                format!("the export output id `{output_id}` is not a valid logical id"),
            ));
            continue;
        }
        if stack.contents().outputs.contains_key(&output_id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateLogicalId,
                    path,
                    format!(
                        "output `{output_id}` is needed for a cross-stack export but is already defined"
                    ),
                )
                .with_hint("rename the output; ids starting with `Export` are used by synth"),
            );
            continue;
        }
        // `Db` + `Endpoint.Address` and `DbEndpoint` + `Address` both give
        // `ExportDbEndpointAddress`: two exports must not share one output.
        if let Some((_, other)) = outputs.iter().find(|(id, _)| *id == output_id) {
            let other = other
                .export
                .as_ref()
                .and_then(|e| e.name.as_str())
                .unwrap_or("");
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateLogicalId,
                    path,
                    format!(
                        "exports `{}` and `{other}` would both be output `{output_id}`",
                        key.export_name(stack_name)
                    ),
                )
                .with_hint("rename one of the resources whose values other stacks import"),
            );
            continue;
        }
        let output = Output {
            description: None,
            condition: None,
            value: key.value(),
            export: Some(Export {
                name: key.export_name(stack_name).into(),
            }),
        };
        outputs.push((output_id, output));
    }
    outputs
}

/// Reports every export name used twice where CloudFormation would refuse the second: export
/// names are unique per account and Region, so two outputs of one stack, or of two stacks
/// deployed to the same place, cannot share one. Both the outputs the user exports and the
/// exports synth adds for cross-stack references are counted.
///
/// Only names known at synth are compared: a literal, or a `Fn::Sub` whose only placeholder is
/// `${AWS::StackName}` (the usual way to make an export name unique). Two stacks are taken to
/// deploy to the same place when their [`Env`](crate::Env)s are equal: an unset account or
/// Region is wherever the deploy command points, the same for both.
fn check_export_names(
    app: &App,
    planned: &[Vec<(String, Output)>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // By (account, Region, export name): the path of the first output exporting it.
    type Key<'a> = (Option<&'a str>, Option<&'a str>, String);
    let mut first: HashMap<Key<'_>, String> = HashMap::new();
    for (stack, planned) in app.stacks().iter().zip(planned) {
        let name = stack.name();
        let env = stack.environment();
        let (account, region) = (env.account.as_deref(), env.region.as_deref());
        // A name known only at deploy is still the same name twice in one stack when it is
        // the same expression (`${AWS::Region}-Vpc` twice).
        let mut deploy_time: Vec<(&Expr, &str)> = Vec::new();
        for entry in stack.contents().outputs.values() {
            let Some(export) = &entry.item.export_name else {
                continue;
            };
            if static_export_name(export, name).is_some() {
                continue;
            }
            match deploy_time.iter().find(|(e, _)| *e == export) {
                Some((_, earlier)) => diagnostics.push(duplicate_export(
                    &entry.path,
                    &serde_json::to_string(export).unwrap_or_default(),
                    earlier,
                )),
                None => deploy_time.push((export, &entry.path)),
            }
        }
        let user = stack.contents().outputs.values().filter_map(|entry| {
            let export = entry.item.export_name.as_ref()?;
            Some((static_export_name(export, name)?, entry.path.clone()))
        });
        let synth = planned.iter().filter_map(|(id, output)| {
            let export = output.export.as_ref()?.name.as_str()?;
            Some((export.to_owned(), format!("{name}/{id}")))
        });
        for (export, path) in user.chain(synth) {
            match first.get(&(account, region, export.clone())) {
                Some(earlier) => diagnostics.push(duplicate_export(&path, &export, earlier)),
                None => {
                    first.insert((account, region, export), path);
                }
            }
        }
    }
}

/// The error of the output at `path` exporting `export`, which the output at `earlier` exports.
fn duplicate_export(path: &str, export: &str, earlier: &str) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateExportName,
        path,
        format!("exports `{export}`, which `{earlier}` exports too"),
    )
    .with_hint(
        "export names are unique per account and Region: rename one, for example with \
         `fns::sub(\"${AWS::StackName}-…\")`",
    )
}

/// The export name `expr` gives in stack `stack`, when synth can know it: a literal, or a
/// `Fn::Sub` of `${AWS::StackName}` and text.
fn static_export_name(expr: &Expr, stack: &str) -> Option<String> {
    match expr {
        Expr::String(name) => Some(name.clone()),
        Expr::Sub { template, vars } if vars.is_empty() => {
            let mut out = String::new();
            let mut rest = template.as_str();
            while let Some(start) = rest.find("${") {
                let (text, placeholder) = rest.split_at(start);
                out.push_str(text);
                let end = placeholder.find('}')?;
                // `${!Literal}` is written as `${Literal}`; anything but the stack name is known
                // only at deploy.
                if &placeholder[2..end] != "AWS::StackName" {
                    return None;
                }
                out.push_str(stack);
                rest = &placeholder[end + 1..];
            }
            out.push_str(rest);
            Some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_name_is_known_when_it_is_a_literal_or_names_only_the_stack() {
        let sub = |t: &str| Expr::Sub {
            template: t.into(),
            vars: Box::default(),
        };
        let known = |e: &Expr| static_export_name(e, "Net");
        assert_eq!(known(&Expr::String("x".into())).as_deref(), Some("x"));
        assert_eq!(
            known(&sub("${AWS::StackName}-Vpc-${AWS::StackName}")).as_deref(),
            Some("Net-Vpc-Net")
        );
        assert_eq!(known(&sub("plain")).as_deref(), Some("plain"));
        for unknown in ["${AWS::Region}-Vpc", "${!Literal}", "${AWS::StackName"] {
            assert_eq!(known(&sub(unknown)), None, "{unknown}");
        }
        assert_eq!(known(&Expr::ref_to("P")), None);
    }
}
