//! The template document: what synth renders one stack into.
//!
//! Plain serde data in CloudFormation's own shape and key order. Every map is an [`IndexMap`],
//! so the output follows the order in which things were added, and two runs give the same bytes.

use indexmap::IndexMap;
use serde::Serialize;

use super::expr::Expr;
use super::logical_id::LogicalId;

/// The only template format version CloudFormation knows.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// How deep a template may nest: the most JSON arrays and objects around any of its values,
/// counting the template's own object (a property value sits inside four: the template,
/// `Resources`, the resource and `Properties`).
///
/// 127 is the most serde_json reads (its default recursion limit of 128 refuses the 128th
/// level; serde_yaml reads one more), so every template synth writes can be read back by
/// common JSON and YAML parsers; templates written by hand rarely nest 15 deep. Synth reports
/// a deeper value ([`Code::ExpressionTooDeep`](crate::Code::ExpressionTooDeep)) before anything
/// else reads it, which also bounds how deep its own recursive passes go.
pub const MAX_TEMPLATE_DEPTH: usize = 127;

/// A mapping for `Fn::FindInMap`: top-level key, then second-level key, to a literal value.
pub type Mapping = IndexMap<String, IndexMap<String, Expr>>;

/// One CloudFormation template.
///
/// Fields are serialized in this order, which is the order of the CloudFormation documentation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    /// Always [`FORMAT_VERSION`].
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: &'static str,
    /// The stack's description (at most 1,024 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Template metadata.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub metadata: IndexMap<String, Expr>,
    /// Input parameters.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub parameters: IndexMap<LogicalId, Parameter>,
    /// Static lookup tables for `Fn::FindInMap`.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub mappings: IndexMap<LogicalId, Mapping>,
    /// Named conditions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub conditions: IndexMap<LogicalId, Expr>,
    /// The resources (at least one).
    pub resources: IndexMap<LogicalId, ResourceEntry>,
    /// Outputs, with exports.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<LogicalId, Output>,
}

/// One resource of a template.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceEntry {
    /// The resource type, `AWS::Service::Type`.
    #[serde(rename = "Type")]
    pub type_name: String,
    /// The condition that decides whether it is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Resources that must be created first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// What happens to it when it is removed from the stack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<DeletionPolicy>,
    /// What happens to the old physical resource when an update replaces it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<DeletionPolicy>,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub metadata: IndexMap<String, Expr>,
    /// The resource's properties.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, Expr>,
}

impl ResourceEntry {
    /// A resource of `type_name` with no properties and no attributes.
    pub fn new(type_name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            condition: None,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: IndexMap::new(),
            properties: IndexMap::new(),
        }
    }
}

/// `DeletionPolicy` and `UpdateReplacePolicy` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DeletionPolicy {
    /// Delete the physical resource.
    Delete,
    /// Keep the physical resource.
    Retain,
    /// Keep it unless the stack's creation is being rolled back.
    RetainExceptOnCreate,
    /// Take a snapshot, then delete (for types that support snapshots).
    Snapshot,
}

/// A template parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `String`, `Number`, `CommaDelimitedList`, an AWS-specific type, or an SSM parameter type.
    #[serde(rename = "Type")]
    pub type_name: String,
    /// What the parameter is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value used when none is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Expr>,
    /// The only values accepted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<Expr>,
    /// A regular expression the value must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// Shortest string accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Longest string accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Smallest number accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// Largest number accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<f64>,
    /// Hide the value in the console and API.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_echo: bool,
    /// The message shown when a constraint is not met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_description: Option<String>,
}

impl Parameter {
    /// A parameter of `type_name` with no default and no constraints.
    pub fn new(type_name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            description: None,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: false,
            constraint_description: None,
        }
    }
}

/// A template output, optionally exported for other stacks.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    /// What the output is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Only output when this condition holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The value.
    pub value: Expr,
    /// The export, when other stacks import it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export: Option<Export>,
}

/// The `Export` of an output.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    /// The export name, unique within an account and region.
    pub name: Expr,
}

/// A named condition of a stack, for [`fns::if_`](crate::fns::if_) and resource options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionRef {
    name: String,
}

impl ConditionRef {
    pub(crate) fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }

    /// The condition's logical id.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A named mapping of a stack, for [`fns::find_in_map`](crate::fns::find_in_map).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingRef {
    name: String,
}

impl MappingRef {
    pub(crate) fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }

    /// The mapping's logical id.
    pub fn name(&self) -> &str {
        &self.name
    }
}
