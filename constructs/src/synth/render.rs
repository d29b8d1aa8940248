//! Rendering one stack into a template: tags applied, references across stacks turned into
//! imports, and the exports those imports need recorded.

use indexmap::IndexMap;

use crate::app::{OutputEntry, StackResource};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::expr::Expr;
use crate::model::logical_id::LogicalId;
use crate::model::template::{
    Export, Mapping, Output, Parameter as TemplateParameter, ResourceEntry, Template,
    FORMAT_VERSION,
};
use crate::resource::Tagging;
use crate::Stack;

/// A value of one stack that another stack imports: `Ref` of `name`, or its attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ExportKey {
    pub name: String,
    pub attribute: Option<String>,
}

impl ExportKey {
    /// The export name: `Producer:LogicalId` or `Producer:LogicalId:Attr.Name` (export names
    /// allow letters, digits, colons and hyphens, so dots become hyphens).
    pub fn export_name(&self, producer: &str) -> String {
        match &self.attribute {
            None => format!("{producer}:{}", self.name),
            Some(attr) => format!("{producer}:{}:{}", self.name, attr.replace('.', "-")),
        }
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

/// What the app knows about all stacks while one of them is rendered.
pub(crate) struct AppIndex<'a> {
    pub stacks: &'a [Stack],
}

impl AppIndex<'_> {
    fn stack(&self, name: &str) -> Option<(usize, &Stack)> {
        self.stacks
            .iter()
            .enumerate()
            .find(|(_, s)| &*s.name == name)
    }
}

/// The result of rendering one stack.
pub(crate) struct Rendered {
    pub template: Template,
    /// For each stack this one imports from (by index): what it imports.
    pub imports: IndexMap<usize, Vec<ExportKey>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The expression trees of one stack: cloned out of a borrowed app, or taken out of an owned
/// one (so a consuming synth moves every tree into its template instead of copying it). The
/// names, paths and attributes other stacks' references are checked against stay in the stack.
pub(crate) struct StackValues {
    parameters: Vec<TemplateParameter>,
    mappings: Vec<Mapping>,
    conditions: Vec<Expr>,
    /// Properties and metadata of each resource, in the stack's order.
    resources: Vec<(IndexMap<String, Expr>, IndexMap<String, Expr>)>,
    outputs: Vec<OutputEntry>,
}

impl StackValues {
    /// Copies of the stack's trees.
    pub(crate) fn cloned(stack: &Stack) -> Self {
        Self {
            parameters: stack.parameters.values().map(|e| e.item.clone()).collect(),
            mappings: stack.mappings.values().map(|e| e.item.clone()).collect(),
            conditions: stack.conditions.values().map(|e| e.item.clone()).collect(),
            resources: stack
                .resources
                .values()
                .map(|r| (r.properties.clone(), r.metadata.clone()))
                .collect(),
            outputs: stack.outputs.values().map(|e| e.item.clone()).collect(),
        }
    }

    /// The stack's trees, moved out of it.
    pub(crate) fn taken(stack: &mut Stack) -> Self {
        let take_expr = |e: &mut Expr| std::mem::replace(e, Expr::Null);
        Self {
            parameters: stack
                .parameters
                .values_mut()
                .map(|e| std::mem::replace(&mut e.item, TemplateParameter::new("String")))
                .collect(),
            mappings: stack
                .mappings
                .values_mut()
                .map(|e| std::mem::take(&mut e.item))
                .collect(),
            conditions: stack
                .conditions
                .values_mut()
                .map(|e| take_expr(&mut e.item))
                .collect(),
            resources: stack
                .resources
                .values_mut()
                .map(|r| {
                    (
                        std::mem::take(&mut r.properties),
                        std::mem::take(&mut r.metadata),
                    )
                })
                .collect(),
            outputs: stack
                .outputs
                .values_mut()
                .map(|e| OutputEntry {
                    description: e.item.description.take(),
                    condition: e.item.condition.take(),
                    value: take_expr(&mut e.item.value),
                    export_name: e.item.export_name.take(),
                })
                .collect(),
        }
    }
}

/// Renders `stack` (at index `me` of the app) from its `values`.
pub(crate) fn render(index: &AppIndex<'_>, me: usize, values: StackValues) -> Rendered {
    let stack = &index.stacks[me];
    let mut cx = Localizer {
        index,
        me,
        imports: IndexMap::new(),
        diagnostics: Vec::new(),
    };
    let mut template = Template {
        format_version: FORMAT_VERSION,
        description: stack.description.clone(),
        ..Template::default()
    };
    for (id, item) in stack.parameters.keys().zip(values.parameters) {
        if let Ok(id) = LogicalId::new(id.as_str()) {
            template.parameters.insert(id, item);
        }
    }
    for ((id, entry), table) in stack.mappings.iter().zip(values.mappings) {
        if let Ok(id) = LogicalId::new(id.as_str()) {
            let table = table
                .into_iter()
                .map(|(k, row)| {
                    let row = row
                        .into_iter()
                        .map(|(k2, v)| (k2, cx.localize(v, &entry.path)))
                        .collect();
                    (k, row)
                })
                .collect();
            template.mappings.insert(id, table);
        }
    }
    for ((id, entry), item) in stack.conditions.iter().zip(values.conditions) {
        if let Ok(id) = LogicalId::new(id.as_str()) {
            template
                .conditions
                .insert(id, cx.localize(item, &entry.path));
        }
    }
    for ((id, res), (properties, metadata)) in stack.resources.iter().zip(values.resources) {
        if let Ok(id) = LogicalId::new(id.as_str()) {
            let entry = cx.resource(res, properties, metadata, &stack.tags);
            template.resources.insert(id, entry);
        }
    }
    for ((id, entry), item) in stack.outputs.iter().zip(values.outputs) {
        if let Ok(id) = LogicalId::new(id.as_str()) {
            let OutputEntry {
                description,
                condition,
                value,
                export_name,
            } = item;
            let output = Output {
                description,
                condition,
                value: cx.localize(value, &entry.path),
                export: export_name.map(|name| Export {
                    name: cx.localize(name, &entry.path),
                }),
            };
            template.outputs.insert(id, output);
        }
    }
    Rendered {
        template,
        imports: cx.imports,
        diagnostics: cx.diagnostics,
    }
}

struct Localizer<'a, 'b> {
    index: &'b AppIndex<'a>,
    me: usize,
    imports: IndexMap<usize, Vec<ExportKey>>,
    diagnostics: Vec<Diagnostic>,
}

impl Localizer<'_, '_> {
    fn resource(
        &mut self,
        res: &StackResource,
        properties: IndexMap<String, Expr>,
        metadata: IndexMap<String, Expr>,
        tags: &IndexMap<String, String>,
    ) -> ResourceEntry {
        // In place: the map keeps its allocation and hashes.
        let mut properties = properties;
        for value in properties.values_mut() {
            let owned = std::mem::replace(value, Expr::Null);
            *value = self.localize(owned, &res.path);
        }
        apply_tags(&mut properties, res.tagging, tags);
        let mut depends_on: Vec<String> = Vec::new();
        for dep in &res.depends_on {
            // Cross-stack DependsOn was reported when the resource was added.
            if dep.stack == self.index.stacks[self.me].name && !depends_on.contains(&dep.logical_id)
            {
                depends_on.push(dep.logical_id.clone());
            }
        }
        ResourceEntry {
            type_name: res.type_name.clone(),
            condition: res.condition.clone(),
            depends_on,
            deletion_policy: res.deletion_policy,
            update_replace_policy: res.update_replace_policy,
            metadata,
            properties,
        }
    }

    /// Replaces references to other stacks of the app by `Fn::ImportValue` and records the
    /// export each needs.
    fn localize(&mut self, expr: Expr, path: &str) -> Expr {
        // Most values reference nothing in another stack: leave those trees as they are rather
        // than rebuilding them node by node.
        let me = &*self.index.stacks[self.me].name;
        let mut foreign = false;
        expr.walk(&mut |node| match node {
            Expr::Ref {
                stack: Some(owner), ..
            }
            | Expr::GetAtt {
                stack: Some(owner), ..
            } => foreign |= &**owner != me,
            _ => {}
        });
        if !foreign {
            return expr;
        }
        expr.map_nodes(&mut |node| match node {
            Expr::Ref {
                stack: Some(owner),
                name,
            } if *owner != *self.index.stacks[self.me].name => {
                self.import(&owner, name, None, path)
            }
            Expr::GetAtt {
                stack: Some(owner),
                logical_id,
                attribute,
            } if *owner != *self.index.stacks[self.me].name => {
                self.import(&owner, logical_id.into(), Some(attribute.into()), path)
            }
            other => other,
        })
    }

    fn import(&mut self, owner: &str, name: String, attribute: Option<String>, path: &str) -> Expr {
        let key = ExportKey { name, attribute };
        let Some((producer, stack)) = self.index.stack(owner) else {
            self.diagnostics.push(
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
            return Expr::ImportValue(Box::new(Expr::String(key.export_name(owner))));
        };
        // A reference that cannot resolve is reported here, once, and gets no export (whose
        // output would only repeat the error in the producing stack).
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
        if let Some(problem) = problem {
            self.diagnostics.push(problem);
            return Expr::ImportValue(Box::new(Expr::String(key.export_name(owner))));
        }
        let export_name = key.export_name(owner);
        let keys = self.imports.entry(producer).or_default();
        if !keys.contains(&key) {
            keys.push(key);
        }
        Expr::ImportValue(Box::new(Expr::String(export_name)))
    }
}

/// Adds the stack's tags to a taggable resource, keeping any tag the resource sets itself.
/// Tags given by an intrinsic function (not a literal list or map) are left alone.
fn apply_tags(
    properties: &mut IndexMap<String, Expr>,
    tagging: Tagging,
    tags: &IndexMap<String, String>,
) {
    if tags.is_empty() {
        return;
    }
    match tagging {
        Tagging::None => {}
        Tagging::List(prop) => {
            let slot = properties
                .entry(prop.to_owned())
                .or_insert_with(|| Expr::List(Vec::new()));
            if let Expr::List(items) = slot {
                let has = |items: &[Expr], key: &str| {
                    items.iter().any(|t| match t {
                        Expr::Map(m) => m.get("Key").and_then(Expr::as_str) == Some(key),
                        _ => false,
                    })
                };
                for (k, v) in tags {
                    if !has(items, k) {
                        let mut tag = IndexMap::new();
                        tag.insert("Key".to_owned(), Expr::string(k.as_str()));
                        tag.insert("Value".to_owned(), Expr::string(v.as_str()));
                        items.push(Expr::map(tag));
                    }
                }
            }
        }
        Tagging::Map(prop) => {
            let slot = properties
                .entry(prop.to_owned())
                .or_insert_with(|| Expr::map(IndexMap::new()));
            if let Expr::Map(map) = slot {
                for (k, v) in tags {
                    map.entry(k.clone())
                        .or_insert_with(|| Expr::string(v.as_str()));
                }
            }
        }
    }
}
