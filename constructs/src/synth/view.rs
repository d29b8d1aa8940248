//! A borrowed view of one stack's template: what validation checks and what the JSON writer
//! serializes, without building (or copying into) an owned [`Template`].
//!
//! A view of a [`Stack`] is the template synth writes for it: references to other stacks read
//! as `Fn::ImportValue` ([`InStack`]), the stack's tags are merged into every taggable resource,
//! and the outputs carrying the exports other stacks import come last. Those edits happen while
//! serializing, so a synth reads the app's expression trees once and never clones them.
//! The view serializes to JSON, and the YAML emitter reads that JSON, so both formats come from
//! one serializer. [`to_template`] builds the owned [`Template`] of a view, for
//! [`App::assemble`](crate::App::assemble); a test checks that it serializes to the same bytes
//! as the view.

use std::io::Write;

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::app::Stack;
use crate::model::expr::{serialize_map, Expr, Written};
use crate::model::logical_id::LogicalId;
use crate::model::template::{
    DeletionPolicy, Export, Mapping, Output, Parameter, ResourceEntry, Template, FORMAT_VERSION,
};
use crate::resource::Tagging;

use super::export::{localize, InStack};
use super::limit::{Limited, OverLimit};

/// One stack's template, borrowed from the app (or from an owned [`Template`]).
pub(crate) struct TemplateView<'a> {
    /// The stack whose template this is: references owned by any other stack are imports.
    /// `None` for an owned template, whose references are all local already.
    pub local: Option<&'a str>,
    pub description: Option<&'a str>,
    pub metadata: Option<&'a IndexMap<String, Expr>>,
    pub parameters: Vec<(&'a str, &'a Parameter)>,
    pub mappings: Vec<(&'a str, &'a Mapping)>,
    pub conditions: Vec<(&'a str, &'a Expr)>,
    pub resources: Vec<ResourceView<'a>>,
    pub outputs: Vec<OutputView<'a>>,
}

/// One resource of a [`TemplateView`].
pub(crate) struct ResourceView<'a> {
    pub id: &'a str,
    /// The construct path; `None` when unknown (a hand-built template).
    pub path: Option<&'a str>,
    /// Valid `Fn::GetAtt` names of the type; `None` = unknown (raw resources): accept any.
    pub attributes: Option<&'static [&'static str]>,
    pub type_name: &'a str,
    pub condition: Option<&'a str>,
    pub depends_on: Vec<&'a str>,
    pub deletion_policy: Option<DeletionPolicy>,
    pub update_replace_policy: Option<DeletionPolicy>,
    pub metadata: &'a IndexMap<String, Expr>,
    pub properties: &'a IndexMap<String, Expr>,
    /// The stack's tags, merged into the property `tagging` names (none for an owned template).
    pub tags: StackTags<'a>,
}

/// The stack tags a resource receives, and the property that takes them.
#[derive(Clone, Copy)]
pub(crate) struct StackTags<'a> {
    pub tagging: Tagging,
    pub tags: Option<&'a IndexMap<String, String>>,
}

impl StackTags<'_> {
    const NONE: StackTags<'static> = StackTags {
        tagging: Tagging::None,
        tags: None,
    };

    /// The property the tags go into, when there are tags to add.
    fn property(&self) -> Option<&'static str> {
        match (self.tagging, self.tags) {
            (_, None) => None,
            (_, Some(tags)) if tags.is_empty() => None,
            (Tagging::None, _) => None,
            (Tagging::List(p) | Tagging::Map(p), _) => Some(p),
        }
    }
}

/// One output of a [`TemplateView`].
pub(crate) struct OutputView<'a> {
    pub id: &'a str,
    pub description: Option<&'a str>,
    pub condition: Option<&'a str>,
    pub value: &'a Expr,
    pub export_name: Option<&'a Expr>,
}

impl<'a> TemplateView<'a> {
    /// The template synth writes for `stack`, followed by the export `outputs` other stacks of
    /// the app need from it. Items whose logical id is invalid are left out (they are reported
    /// where they were added).
    pub fn of_stack(stack: &'a Stack, exports: &'a [(String, Output)]) -> Self {
        let local: &'a str = stack.name();
        let stack = stack.contents();
        let valid = |id: &String| LogicalId::is_valid(id);
        let resources = stack
            .resources
            .iter()
            .filter(|(id, _)| valid(id))
            .map(|(id, res)| {
                let mut depends_on: Vec<&'a str> = Vec::new();
                for dep in &res.depends_on {
                    // Cross-stack DependsOn was reported when the resource was added.
                    if *dep.stack == *local && !depends_on.contains(&dep.logical_id.as_str()) {
                        depends_on.push(&dep.logical_id);
                    }
                }
                ResourceView {
                    id,
                    path: Some(&res.path),
                    attributes: res.attributes,
                    type_name: &res.type_name,
                    condition: res.condition.as_deref(),
                    depends_on,
                    deletion_policy: res.deletion_policy,
                    update_replace_policy: res.update_replace_policy,
                    metadata: &res.metadata,
                    properties: &res.properties,
                    tags: StackTags {
                        tagging: res.tagging,
                        tags: Some(stack.tags),
                    },
                }
            })
            .collect();
        let outputs = stack
            .outputs
            .iter()
            .filter(|(id, _)| valid(id))
            .map(|(id, entry)| OutputView {
                id,
                description: entry.item.description.as_deref(),
                condition: entry.item.condition.as_deref(),
                value: &entry.item.value,
                export_name: entry.item.export_name.as_ref(),
            })
            .chain(
                exports
                    .iter()
                    .map(|(id, output)| OutputView::of(id, output)),
            )
            .collect();
        Self {
            local: Some(local),
            description: stack.description,
            metadata: None,
            parameters: entries(stack.parameters, |e| &e.item),
            mappings: entries(stack.mappings, |e| &e.item),
            conditions: entries(stack.conditions, |e| &e.item),
            resources,
            outputs,
        }
    }

    /// A view of an owned template. Its resources have no construct paths and accept any
    /// attribute name: an owned template does not know them.
    pub fn of_template(template: &'a Template) -> Self {
        Self {
            local: None,
            description: template.description.as_deref(),
            metadata: Some(&template.metadata),
            parameters: template
                .parameters
                .iter()
                .map(|(id, p)| (id.as_str(), p))
                .collect(),
            mappings: template
                .mappings
                .iter()
                .map(|(id, m)| (id.as_str(), m))
                .collect(),
            conditions: template
                .conditions
                .iter()
                .map(|(id, c)| (id.as_str(), c))
                .collect(),
            resources: template
                .resources
                .iter()
                .map(|(id, entry)| ResourceView {
                    id: id.as_str(),
                    path: None,
                    attributes: None,
                    type_name: &entry.type_name,
                    condition: entry.condition.as_deref(),
                    depends_on: entry.depends_on.iter().map(String::as_str).collect(),
                    deletion_policy: entry.deletion_policy,
                    update_replace_policy: entry.update_replace_policy,
                    metadata: &entry.metadata,
                    properties: &entry.properties,
                    tags: StackTags::NONE,
                })
                .collect(),
            outputs: template
                .outputs
                .iter()
                .map(|(id, output)| OutputView::of(id.as_str(), output))
                .collect(),
        }
    }

    /// `expr` as this template holds it.
    pub fn expr(&self, expr: &'a Expr) -> Written<'a, InStack<'a>> {
        Written::new(expr, InStack(self.local))
    }

    /// The template as 2-space pretty JSON with a final newline, appended to `out`; stops with
    /// [`OverLimit`] as soon as `out` would grow past `limit` bytes, so a template too large to
    /// deploy is never rendered whole.
    pub fn write_json(&self, out: &mut Vec<u8>, limit: usize) -> Result<(), OverLimit> {
        let mut ser = serde_json::Serializer::pretty(Limited::new(out, limit));
        // Plain data always serializes: the only error is the limit's.
        self.serialize(&mut ser).map_err(|_| OverLimit)?;
        ser.into_inner().write_all(b"\n").map_err(|_| OverLimit)
    }
}

impl<'a> OutputView<'a> {
    fn of(id: &'a str, output: &'a Output) -> Self {
        Self {
            id,
            description: output.description.as_deref(),
            condition: output.condition.as_deref(),
            value: &output.value,
            export_name: output.export.as_ref().map(|e| &e.name),
        }
    }
}

/// The valid-id entries of one of a stack's name-keyed tables.
fn entries<'a, E, T>(
    table: &'a IndexMap<String, E>,
    item: impl Fn(&'a E) -> &'a T,
) -> Vec<(&'a str, &'a T)> {
    table
        .iter()
        .filter(|(id, _)| LogicalId::is_valid(id))
        .map(|(id, e)| (id.as_str(), item(e)))
        .collect()
}

// ---- Owned templates ------------------------------------------------------------------------

/// The owned template of `view`: the same document, with references localized and tags merged
/// into the trees (which are copied).
pub(crate) fn to_template(view: &TemplateView<'_>) -> Template {
    let localize = |e: &Expr| -> Expr { localize(e, view.local) };
    let id = |s: &str| LogicalId::new(s).expect("views hold valid ids only");
    Template {
        format_version: FORMAT_VERSION,
        description: view.description.map(str::to_owned),
        metadata: view.metadata.cloned().unwrap_or_default(),
        parameters: view
            .parameters
            .iter()
            .map(|(k, p)| (id(k), (*p).clone()))
            .collect(),
        mappings: view
            .mappings
            .iter()
            .map(|(k, table)| {
                let table = table
                    .iter()
                    .map(|(top, row)| {
                        let row = row
                            .iter()
                            .map(|(k2, v)| (k2.clone(), localize(v)))
                            .collect();
                        (top.clone(), row)
                    })
                    .collect();
                (id(k), table)
            })
            .collect(),
        conditions: view
            .conditions
            .iter()
            .map(|(k, c)| (id(k), localize(c)))
            .collect(),
        resources: view
            .resources
            .iter()
            .map(|r| {
                let mut properties: IndexMap<String, Expr> = r
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), localize(v)))
                    .collect();
                if let (Some(prop), Some(tags)) = (r.tags.property(), r.tags.tags) {
                    merge_tags(&mut properties, prop, r.tags.tagging, tags);
                }
                let entry = ResourceEntry {
                    type_name: r.type_name.to_owned(),
                    condition: r.condition.map(str::to_owned),
                    depends_on: r.depends_on.iter().map(|d| (*d).to_owned()).collect(),
                    deletion_policy: r.deletion_policy,
                    update_replace_policy: r.update_replace_policy,
                    metadata: r
                        .metadata
                        .iter()
                        .map(|(k, v)| (k.clone(), localize(v)))
                        .collect(),
                    properties,
                };
                (id(r.id), entry)
            })
            .collect(),
        outputs: view
            .outputs
            .iter()
            .map(|o| {
                let output = Output {
                    description: o.description.map(str::to_owned),
                    condition: o.condition.map(str::to_owned),
                    value: localize(o.value),
                    export: o.export_name.map(|name| Export {
                        name: localize(name),
                    }),
                };
                (id(o.id), output)
            })
            .collect(),
    }
}

/// Adds the stack's tags to property `prop`, keeping any tag the resource sets itself. Tags
/// given by an intrinsic function (not a literal list or map) are left alone.
fn merge_tags(
    properties: &mut IndexMap<String, Expr>,
    prop: &str,
    tagging: Tagging,
    tags: &IndexMap<String, String>,
) {
    let slot = properties
        .entry(prop.to_owned())
        .or_insert_with(|| match tagging {
            Tagging::Map(_) => Expr::map(IndexMap::new()),
            _ => Expr::List(Vec::new()),
        });
    match slot {
        Expr::List(items) => {
            for (k, v) in missing_tags(TagSlot::List(items), tags) {
                let mut tag = IndexMap::new();
                tag.insert("Key".to_owned(), Expr::string(k.as_str()));
                tag.insert("Value".to_owned(), Expr::string(v.as_str()));
                items.push(Expr::map(tag));
            }
        }
        Expr::Map(map) => {
            for (k, v) in missing_tags(TagSlot::Map(map), tags) {
                map.insert(k.clone(), Expr::string(v.as_str()));
            }
        }
        _ => {}
    }
}

/// The literal tags a resource already has.
#[derive(Clone, Copy)]
enum TagSlot<'a> {
    /// `[{Key, Value}, …]`.
    List(&'a [Expr]),
    /// `{Key: Value, …}`.
    Map(&'a IndexMap<String, Expr>),
}

impl TagSlot<'_> {
    fn has(self, key: &str) -> bool {
        match self {
            TagSlot::List(items) => items.iter().any(|t| match t {
                Expr::Map(m) => m.get("Key").and_then(Expr::as_str) == Some(key),
                _ => false,
            }),
            TagSlot::Map(map) => map.contains_key(key),
        }
    }
}

/// The stack tags `slot` does not set itself, in the stack's order. (Collected first: the
/// caller then extends the slot it was computed from.)
fn missing_tags<'t>(
    slot: TagSlot<'_>,
    tags: &'t IndexMap<String, String>,
) -> Vec<(&'t String, &'t String)> {
    tags.iter().filter(|(k, _)| !slot.has(k)).collect()
}

// ---- JSON -----------------------------------------------------------------------------------

impl Serialize for TemplateView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("AWSTemplateFormatVersion", FORMAT_VERSION)?;
        if let Some(description) = self.description {
            map.serialize_entry("Description", description)?;
        }
        if let Some(metadata) = self.metadata.filter(|m| !m.is_empty()) {
            map.serialize_entry("Metadata", &Exprs(metadata, self.local))?;
        }
        if !self.parameters.is_empty() {
            map.serialize_entry("Parameters", &Pairs(&self.parameters))?;
        }
        if !self.mappings.is_empty() {
            let mappings: Vec<(&str, Mappings<'_>)> = self
                .mappings
                .iter()
                .map(|(id, m)| (*id, Mappings(m, self.local)))
                .collect();
            map.serialize_entry("Mappings", &Pairs(&mappings))?;
        }
        if !self.conditions.is_empty() {
            let conditions: Vec<(&str, Written<'_, InStack<'_>>)> = self
                .conditions
                .iter()
                .map(|(id, c)| (*id, self.expr(c)))
                .collect();
            map.serialize_entry("Conditions", &Pairs(&conditions))?;
        }
        map.serialize_entry("Resources", &Resources(self))?;
        if !self.outputs.is_empty() {
            map.serialize_entry("Outputs", &Outputs(self))?;
        }
        map.end()
    }
}

/// `(key, value)` pairs as a JSON object.
struct Pairs<'p, 'a, T>(&'p [(&'a str, T)]);

impl<T: Serialize> Serialize for Pairs<'_, '_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A map of expressions in the template of a stack.
struct Exprs<'a>(&'a IndexMap<String, Expr>, Option<&'a str>);

impl Serialize for Exprs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_map(s, self.0, InStack(self.1))
    }
}

/// One mapping: top-level key to second-level key to value.
struct Mappings<'a>(&'a Mapping, Option<&'a str>);

impl Serialize for Mappings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, row)| (k, Exprs(row, self.1))))
    }
}

struct Resources<'v, 'a>(&'v TemplateView<'a>);

impl Serialize for Resources<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_map(
            view.resources
                .iter()
                .map(|r| (r.id, Resource(r, view.local))),
        )
    }
}

struct Resource<'v, 'a>(&'v ResourceView<'a>, Option<&'a str>);

impl Serialize for Resource<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, local) = (self.0, self.1);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("Type", r.type_name)?;
        if let Some(condition) = r.condition {
            map.serialize_entry("Condition", condition)?;
        }
        if !r.depends_on.is_empty() {
            map.serialize_entry("DependsOn", &r.depends_on)?;
        }
        if let Some(policy) = &r.deletion_policy {
            map.serialize_entry("DeletionPolicy", policy)?;
        }
        if let Some(policy) = &r.update_replace_policy {
            map.serialize_entry("UpdateReplacePolicy", policy)?;
        }
        if !r.metadata.is_empty() {
            map.serialize_entry("Metadata", &Exprs(r.metadata, local))?;
        }
        let tag_property = r.tags.property();
        if !r.properties.is_empty() || tag_property.is_some() {
            map.serialize_entry("Properties", &Properties(r, local))?;
        }
        map.end()
    }
}

/// A resource's properties, with the stack's tags merged in as [`merge_tags`] does.
struct Properties<'v, 'a>(&'v ResourceView<'a>, Option<&'a str>);

impl Serialize for Properties<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, local) = (self.0, self.1);
        let tagged = r.tags.property().zip(r.tags.tags);
        let Some((prop, tags)) = tagged else {
            return serialize_map(s, r.properties, InStack(local));
        };
        let present = r.properties.contains_key(prop);
        let mut map = s.serialize_map(Some(r.properties.len() + usize::from(!present)))?;
        for (k, v) in r.properties {
            if k == prop {
                map.serialize_entry(k, &Tagged(Some(v), r.tags.tagging, tags, local))?;
            } else {
                map.serialize_entry(k, &Written::new(v, InStack(local)))?;
            }
        }
        if !present {
            map.serialize_entry(prop, &Tagged(None, r.tags.tagging, tags, local))?;
        }
        map.end()
    }
}

/// The tag property's value (`None`: absent) with the stack's tags merged in.
struct Tagged<'a>(
    Option<&'a Expr>,
    Tagging,
    &'a IndexMap<String, String>,
    Option<&'a str>,
);

impl Serialize for Tagged<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Tagged(value, tagging, tags, local) = *self;
        match (value, tagging) {
            (Some(Expr::List(items)), _) => {
                let missing = missing_tags(TagSlot::List(items), tags);
                let mut seq = s.serialize_seq(Some(items.len() + missing.len()))?;
                for item in items {
                    seq.serialize_element(&Written::new(item, InStack(local)))?;
                }
                for (k, v) in missing {
                    seq.serialize_element(&Tag(k, v))?;
                }
                seq.end()
            }
            (Some(Expr::Map(existing)), _) => {
                let missing = missing_tags(TagSlot::Map(existing), tags);
                let mut map = s.serialize_map(Some(existing.len() + missing.len()))?;
                for (k, v) in existing.iter() {
                    map.serialize_entry(k, &Written::new(v, InStack(local)))?;
                }
                for (k, v) in missing {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            // Tags given by an intrinsic function are left alone.
            (Some(other), _) => Written::new(other, InStack(local)).serialize(s),
            (None, Tagging::Map(_)) => s.collect_map(tags),
            (None, _) => s.collect_seq(tags.iter().map(|(k, v)| Tag(k, v))),
        }
    }
}

/// `{"Key": k, "Value": v}`.
struct Tag<'a>(&'a str, &'a str);

impl Serialize for Tag<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("Key", self.0)?;
        map.serialize_entry("Value", self.1)?;
        map.end()
    }
}

struct Outputs<'v, 'a>(&'v TemplateView<'a>);

impl Serialize for Outputs<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        s.collect_map(
            view.outputs
                .iter()
                .map(|o| (o.id, OutputJson(o, view.local))),
        )
    }
}

struct OutputJson<'v, 'a>(&'v OutputView<'a>, Option<&'a str>);

impl Serialize for OutputJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (o, local) = (self.0, self.1);
        let mut map = s.serialize_map(None)?;
        if let Some(description) = o.description {
            map.serialize_entry("Description", description)?;
        }
        if let Some(condition) = o.condition {
            map.serialize_entry("Condition", condition)?;
        }
        map.serialize_entry("Value", &Written::new(o.value, InStack(local)))?;
        if let Some(name) = o.export_name {
            map.serialize_entry("Export", &ExportJson(Written::new(name, InStack(local))))?;
        }
        map.end()
    }
}

struct ExportJson<'a>(Written<'a, InStack<'a>>);

impl Serialize for ExportJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("Name", &self.0)?;
        map.end()
    }
}
