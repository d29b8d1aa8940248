//! Assembling an app: every stack rendered, cross-stack exports added, stacks ordered, templates
//! validated and serialized — in memory, before anything is written.

use indexmap::IndexMap;

use crate::app::Env;
use crate::diagnostics::{Code, Diagnostic, SynthError};
use crate::model::logical_id::LogicalId;
use crate::model::template::{Export, Output, Template};
use crate::App;

use super::manifest::{Manifest, ManifestStack};
use super::render::{render, AppIndex, ExportKey, StackValues};
use super::validate::{check_body_size, validate_template, ResourceInfo};

/// Every stack of an app, rendered and validated, ready to be written.
#[derive(Clone, Debug)]
pub struct Assembly {
    /// The stacks, in the order they were added to the app.
    pub stacks: Vec<StackArtifact>,
    /// Stack names in the order they must be deployed.
    pub deploy_order: Vec<String>,
    /// Warnings found (an assembly has no errors).
    pub warnings: Vec<Diagnostic>,
}

/// One rendered stack.
#[derive(Clone, Debug)]
pub struct StackArtifact {
    /// The stack name.
    pub name: String,
    /// The template model.
    pub template: Template,
    /// The template as 2-space pretty JSON with a final newline: the bytes synth writes.
    pub json: String,
    /// The stacks this one imports from, which must be deployed first.
    pub dependencies: Vec<String>,
    /// The pinned account and region, if any.
    pub env: Env,
    /// What each role and resource policy grants, in the order they were added.
    pub iam_report: Vec<crate::iam::PolicyExplanation>,
}

impl StackArtifact {
    /// The template as YAML with CloudFormation's short-form tags.
    pub fn yaml(&self) -> String {
        super::yaml::to_yaml(&self.template)
    }
}

impl Assembly {
    /// The artifact of the stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The manifest describing this assembly, listing the files of the given formats.
    pub fn manifest(&self, formats: super::emit::Format) -> Manifest {
        Manifest {
            version: 1,
            stacks: self
                .stacks
                .iter()
                .map(|s| ManifestStack::new(s, formats))
                .collect(),
            deploy_order: self.deploy_order.clone(),
        }
    }
}

/// Assembles a borrowed app: every expression tree is copied into the templates.
pub(crate) fn assemble(app: &App) -> Result<Assembly, SynthError> {
    let values = app.stacks.iter().map(StackValues::cloned).collect();
    assemble_values(app, values)
}

/// Assembles an app it owns: every expression tree is moved into the templates.
pub(crate) fn assemble_owned(mut app: App) -> Result<Assembly, SynthError> {
    let values = app.stacks.iter_mut().map(StackValues::taken).collect();
    assemble_values(&app, values)
}

/// Assembles `app` from the expression trees of its stacks, in stack order.
fn assemble_values(app: &App, values: Vec<StackValues>) -> Result<Assembly, SynthError> {
    let mut diagnostics: Vec<Diagnostic> = app.diagnostics.clone();
    for stack in &app.stacks {
        diagnostics.extend(stack.diagnostics.iter().cloned());
    }

    // Render each stack, collecting what it imports from the others.
    let index = AppIndex {
        stacks: &app.stacks,
    };
    let mut templates = Vec::with_capacity(app.stacks.len());
    let mut imports = Vec::with_capacity(app.stacks.len());
    for (me, values) in values.into_iter().enumerate() {
        let rendered = render(&index, me, values);
        diagnostics.extend(rendered.diagnostics);
        templates.push(rendered.template);
        imports.push(rendered.imports);
    }

    // Add the exports the imports need, once per exported value, in a stable order.
    let mut exports: Vec<IndexMap<ExportKey, ()>> = vec![IndexMap::new(); app.stacks.len()];
    for per_consumer in &imports {
        for (&producer, keys) in per_consumer {
            for key in keys {
                exports[producer].insert(key.clone(), ());
            }
        }
    }
    for (producer, keys) in exports.iter().enumerate() {
        let stack_name = app.stacks[producer].name();
        for key in keys.keys() {
            let output_id = key.output_id();
            let path = format!("{stack_name}/{output_id}");
            let Ok(id) = LogicalId::new(output_id.as_str()) else {
                diagnostics.push(Diagnostic::error(
                    Code::InvalidLogicalId,
                    path,
                    format!("the export output id `{output_id}` is not a valid logical id"),
                ));
                continue;
            };
            let template = &mut templates[producer];
            if template.outputs.contains_key(&id) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateLogicalId,
                        path,
                        format!("output `{output_id}` is needed for a cross-stack export but is already defined"),
                    )
                    .with_hint("rename the output; ids starting with `Export` are used by synth"),
                );
                continue;
            }
            template.outputs.insert(
                id,
                Output {
                    description: None,
                    condition: None,
                    value: key.value(),
                    export: Some(Export {
                        name: key.export_name(stack_name).into(),
                    }),
                },
            );
        }
    }

    // Stack graph: consumers depend on producers. Cycles cannot deploy.
    let deps: Vec<Vec<usize>> = imports
        .iter()
        .map(|per_consumer| per_consumer.keys().copied().collect())
        .collect();
    let deploy_order = match topo_order(&deps) {
        Ok(order) => order,
        Err(cycle) => {
            let names: Vec<&str> = cycle.iter().map(|&i| app.stacks[i].name()).collect();
            diagnostics.push(
                Diagnostic::error(
                    Code::StackDependencyCycle,
                    names[0],
                    format!(
                        "stacks reference each other in a circle: {}",
                        names.join(" -> ")
                    ),
                )
                .with_hint("move the shared resources into a stack both can import from"),
            );
            Vec::new()
        }
    };

    // Validate and serialize.
    let mut stacks = Vec::with_capacity(app.stacks.len());
    for (i, (stack, template)) in app.stacks.iter().zip(templates).enumerate() {
        let infos: IndexMap<LogicalId, ResourceInfo<'_>> = stack
            .resources
            .iter()
            .filter_map(|(id, res)| {
                let id = LogicalId::new(id.as_str()).ok()?;
                Some((
                    id,
                    ResourceInfo {
                        path: &res.path,
                        attributes: res.attributes,
                    },
                ))
            })
            .collect();
        let found = validate_template(stack.name(), &template, &infos);
        // A stack whose only resources have invalid ids is not empty: those ids are reported.
        let has_resources = !stack.resources.is_empty();
        diagnostics.extend(
            found
                .into_iter()
                .filter(|d| !(has_resources && d.code == Code::EmptyTemplate)),
        );
        let mut json = serde_json::to_string_pretty(&template).unwrap_or_else(|e| {
            // Serializing plain data to a string cannot fail; keep the message if it ever does.
            diagnostics.push(Diagnostic::error(Code::Io, stack.name(), e.to_string()));
            String::new()
        });
        json.push('\n');
        let file = format!("{}.template.json", stack.name());
        diagnostics.extend(check_body_size(stack.name(), &file, json.len()));
        stacks.push(StackArtifact {
            name: stack.name().to_owned(),
            template,
            json,
            dependencies: deps[i]
                .iter()
                .map(|&p| app.stacks[p].name().to_owned())
                .collect(),
            env: stack.env.clone(),
            iam_report: stack.iam_report.clone(),
        });
    }

    if diagnostics.iter().any(Diagnostic::is_error) {
        // Errors first, then warnings; each group in the order found.
        diagnostics.sort_by_key(|d| std::cmp::Reverse(d.severity));
        return Err(SynthError { diagnostics });
    }
    Ok(Assembly {
        deploy_order: deploy_order
            .into_iter()
            .map(|i| app.stacks[i].name().to_owned())
            .collect(),
        stacks,
        warnings: diagnostics,
    })
}

/// Orders nodes so each comes after the nodes it depends on; ties keep index order. On a cycle,
/// returns the nodes of one cycle, in order, with the first repeated at the end.
fn topo_order(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        n: usize,
        deps: &[Vec<usize>],
        marks: &mut [Mark],
        trail: &mut Vec<usize>,
        order: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match marks[n] {
            Mark::Done => return Ok(()),
            Mark::Active => {
                let start = trail.iter().position(|&t| t == n).unwrap_or(0);
                let mut cycle = trail[start..].to_vec();
                cycle.push(n);
                return Err(cycle);
            }
            Mark::New => {}
        }
        marks[n] = Mark::Active;
        trail.push(n);
        for &d in &deps[n] {
            visit(d, deps, marks, trail, order)?;
        }
        trail.pop();
        marks[n] = Mark::Done;
        order.push(n);
        Ok(())
    }
    let mut marks = vec![Mark::New; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    for n in 0..deps.len() {
        visit(n, deps, &mut marks, &mut Vec::new(), &mut order)?;
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::topo_order;

    #[test]
    fn topo_order_puts_dependencies_first_and_keeps_ties_stable() {
        assert_eq!(topo_order(&[vec![], vec![], vec![]]), Ok(vec![0, 1, 2]));
        assert_eq!(topo_order(&[vec![2], vec![], vec![1]]), Ok(vec![1, 2, 0]));
    }

    #[test]
    fn topo_order_reports_a_cycle() {
        assert_eq!(
            topo_order(&[vec![1], vec![2], vec![0]]),
            Err(vec![0, 1, 2, 0])
        );
    }
}
