//! The app-wide part of synth, done before any stack is written: which values each stack
//! imports from the others, the export outputs that requires, and the order the stacks deploy
//! in.
//!
//! Planning reads the app's expression trees once, to find the references that cross stacks;
//! it copies none of them.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::expr::{export_name, Expr};
use crate::model::logical_id::LogicalId;
use crate::model::template::{Export, Output};
use crate::{App, Stack};

use super::graph::{cycle_text, topo_order};
use super::parallel::map_in_order;

/// A value of one stack that another stack imports: `Ref` of `name`, or its attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ExportKey {
    pub name: String,
    pub attribute: Option<String>,
}

impl ExportKey {
    /// The export name: `Producer:LogicalId` or `Producer:LogicalId:Attr-Name`.
    pub fn export_name(&self, producer: &str) -> String {
        export_name(producer, &self.name, self.attribute.as_deref())
    }

    /// The logical id of the output that carries the export in the producing stack.
    pub fn output_id(&self) -> String {
        match &self.attribute {
            None => format!("Export{}Ref", self.name),
            Some(attr) => format!("Export{}{}", self.name, attr.replace('.', "")),
        }
    }

    /// The value the producing stack exports.
    pub fn value(&self) -> Expr {
        match &self.attribute {
            None => Expr::ref_to(self.name.as_str()),
            Some(attr) => Expr::get_att(self.name.as_str(), attr.as_str()),
        }
    }
}

/// What synth decides for the whole app before it renders any stack.
pub(crate) struct Plan {
    /// For each stack (by index): the stacks it imports from, in the order first referenced.
    pub dependencies: Vec<Vec<usize>>,
    /// For each stack: the outputs (id and output) that carry the exports others import.
    pub exports: Vec<Vec<(String, Output)>>,
    /// Stack indexes in deploy order; empty when the stacks import from each other in a circle.
    pub deploy_order: Vec<usize>,
    /// The app's and stacks' own diagnostics, then those found planning, in that order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Plans `app`: imports, exports, and deploy order.
pub(crate) fn plan(app: &App) -> Plan {
    let mut diagnostics: Vec<Diagnostic> = app.diagnostics.clone();
    for stack in &app.stacks {
        diagnostics.extend(stack.diagnostics.iter().cloned());
    }
    let by_name: HashMap<&str, usize> = app
        .stacks
        .iter()
        .enumerate()
        // Stack names are unique: `App::add_stack` refuses a second stack of a name.
        .map(|(i, s)| (s.name(), i))
        .collect();
    let stacks = Stacks {
        all: &app.stacks,
        by_name,
    };
    let mut imports: Vec<IndexMap<usize, Vec<ExportKey>>> = Vec::with_capacity(app.stacks.len());
    // This reads every expression tree of the app: two threads share the stacks.
    let found = map_in_order(0..app.stacks.len(), MIN_STACKS_TO_SPLIT, |me| {
        let mut problems = Vec::new();
        (imports_of(&stacks, me, &mut problems), problems)
    });
    for (found, problems) in found {
        imports.push(found);
        diagnostics.extend(problems);
    }

    // The exports the imports need, once per exported value, in a stable order.
    let mut wanted: Vec<IndexMap<ExportKey, ()>> = vec![IndexMap::new(); app.stacks.len()];
    for per_consumer in &imports {
        for (&producer, keys) in per_consumer {
            for key in keys {
                wanted[producer].insert(key.clone(), ());
            }
        }
    }
    let exports = wanted
        .iter()
        .zip(&app.stacks)
        .map(|(keys, stack)| export_outputs(stack, keys.keys(), &mut diagnostics))
        .collect();

    // Stack graph: consumers depend on producers. Cycles cannot deploy.
    let dependencies: Vec<Vec<usize>> = imports
        .iter()
        .map(|per_consumer| per_consumer.keys().copied().collect())
        .collect();
    let deploy_order = match topo_order(&dependencies) {
        Ok(order) => order,
        Err(cycle) => {
            let name = |i: usize| app.stacks[i].name();
            diagnostics.push(
                Diagnostic::error(
                    Code::StackDependencyCycle,
                    name(cycle[0]),
                    format!(
                        "stacks reference each other in a circle: {}",
                        cycle_text(&cycle, name)
                    ),
                )
                .with_hint("move the shared resources into a stack both can import from"),
            );
            Vec::new()
        }
    };
    Plan {
        dependencies,
        exports,
        deploy_order,
        diagnostics,
    }
}

/// Below this many stacks, a second thread costs more than it saves.
const MIN_STACKS_TO_SPLIT: usize = 16;

/// The stacks of the app, and their indexes by name.
struct Stacks<'a> {
    all: &'a [Stack],
    by_name: HashMap<&'a str, usize>,
}

/// What stack `me` imports, by producing stack; reports references that cannot resolve.
fn imports_of(
    stacks: &Stacks<'_>,
    me: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> IndexMap<usize, Vec<ExportKey>> {
    let stack = &stacks.all[me];
    let local = stack.name();
    let mut imports: IndexMap<usize, Vec<ExportKey>> = IndexMap::new();
    let mut visit = |expr: &Expr, path: &str| {
        expr.walk(&mut |node| {
            let Some(import) = node.foreign_ref(Some(local)) else {
                return;
            };
            let key = ExportKey {
                name: import.name.to_owned(),
                attribute: import.attribute.map(str::to_owned),
            };
            if let Some(producer) = check_import(stacks, import.owner, &key, path, diagnostics) {
                let keys = imports.entry(producer).or_default();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        })
    };
    // The order of the template, so that diagnostics come in that order.
    for (id, entry) in &stack.mappings {
        if LogicalId::is_valid(id) {
            for row in entry.item.values() {
                row.values().for_each(|v| visit(v, &entry.path));
            }
        }
    }
    for (id, entry) in &stack.conditions {
        if LogicalId::is_valid(id) {
            visit(&entry.item, &entry.path);
        }
    }
    for (id, res) in &stack.resources {
        if LogicalId::is_valid(id) {
            // Metadata comes before properties in the template.
            let values = res.metadata.values().chain(res.properties.values());
            values.for_each(|v| visit(v, &res.path));
        }
    }
    for (id, entry) in &stack.outputs {
        if LogicalId::is_valid(id) {
            visit(&entry.item.value, &entry.path);
            if let Some(name) = &entry.item.export_name {
                visit(name, &entry.path);
            }
        }
    }
    imports
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
    let found = stacks.by_name.get(owner).map(|&i| (i, &stacks.all[i]));
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
        if stack.outputs.contains_key(&output_id) {
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
