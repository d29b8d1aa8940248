//! The schema check at synth: literal property values against the constraints of their
//! resource provider schema (`minLength`/`maxLength`, `pattern`, `enum`, `minimum`/`maximum`,
//! `minItems`/`maxItems`/`uniqueItems`, `required`, `dependentRequired` and cfn-lint's
//! `requiredXor`).
//!
//! The constraints are data, generated beside the L1 types into `constraints.rs`; this module
//! walks a resource's properties along them. It runs for every resource whose type is generated,
//! whether a construct, an L1 struct or a [`RawResource`](super::RawResource) wrote it, so a
//! 65-character function name or a retention of 31 days is refused at synth with the resource's
//! construct path and the property's path, not by CloudFormation halfway through a deploy.
//!
//! Values that are intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If`, …) are not
//! known at synth and are skipped; so are raw JSON maps shaped like one (`{"Ref": …}`). A list
//! holding a `Fn::If` or a `Ref` (either may be `AWS::NoValue`) is not counted against
//! `minItems`/`maxItems`, and an object whose alternatives hold one is not checked against
//! `requiredXor`.

use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use indexmap::IndexMap;
use regex::Regex;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::expr::Expr;

use super::constraints;

/// The constraints of one schema node; generated data (see `codegen/src/constraints.rs`).
#[derive(Debug)]
pub(crate) struct Node {
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    pub pattern: Option<&'static Pattern>,
    /// Enumerated values: strings as written, numbers as JSON text.
    pub enum_values: &'static [&'static str],
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub required: &'static [&'static str],
    pub dependent_required: &'static [(&'static str, &'static [&'static str])],
    pub required_xor: &'static [&'static str],
    /// The schema of a list's items.
    pub items: Option<&'static Node>,
    /// The schemas of an object's properties (only those with a constraint below them).
    pub props: &'static [(&'static str, &'static Node)],
    /// The schema of every value of a map.
    pub values: Option<&'static Node>,
}

impl Node {
    /// No constraint; generated nodes start from it.
    pub const EMPTY: Node = Node {
        min_len: None,
        max_len: None,
        pattern: None,
        enum_values: &[],
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        required: &[],
        dependent_required: &[],
        required_xor: &[],
        items: None,
        props: &[],
        values: None,
    };
}

/// A schema `pattern`, compiled the first time a value is checked against it.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// As Rust's `regex` reads it (codegen rewrote it and checked that it compiles).
    rust: &'static str,
    /// As the schema writes it, for messages.
    ecma: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    pub const fn new(rust: &'static str, ecma: &'static str) -> Self {
        Self {
            rust,
            ecma,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `text` matches (JSON Schema's `pattern` is a search, not a full match). A
    /// pattern that does not compile accepts everything; codegen makes sure none is generated.
    fn accepts(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(self.rust).ok())
            .as_ref()
            .map_or(true, |re| re.is_match(text))
    }
}

/// One step of a property path.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `Properties.A.B[2].C`.
struct PropertyPath<'p, 'a>(&'p [Step<'a>]);

impl fmt::Display for PropertyPath<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Properties")?;
        for step in self.0 {
            match step {
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// Checks the literal values of one resource's `properties` against the schema of
/// `type_name`, pushing one diagnostic per violation at `path` (the construct path). Types
/// that are not generated have no table and are not checked.
pub(crate) fn check_properties(
    type_name: &str,
    properties: &IndexMap<String, Expr>,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(root) = constraints::of(type_name) else {
        return;
    };
    let mut walk = Walk {
        type_name,
        path,
        steps: Vec::new(),
        out,
    };
    walk.object(root, properties);
}

struct Walk<'a, 'o> {
    type_name: &'a str,
    path: &'a str,
    steps: Vec<Step<'a>>,
    out: &'o mut Vec<Diagnostic>,
}

/// A value CloudFormation computes at deploy time: an intrinsic, or raw JSON shaped like one.
fn is_intrinsic(expr: &Expr) -> bool {
    match expr {
        Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => false,
        Expr::List(_) => false,
        Expr::Map(map) => {
            map.len() == 1
                && map
                    .keys()
                    .next()
                    .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
        }
        _ => true,
    }
}

/// An intrinsic that may resolve to `AWS::NoValue`, removing the item or property it is.
fn may_vanish(expr: &Expr) -> bool {
    match expr {
        Expr::If { .. } | Expr::Ref { .. } => true,
        Expr::Map(_) => is_intrinsic(expr),
        _ => false,
    }
}

impl<'a> Walk<'a, '_> {
    fn report(&mut self, code: Code, message: String) {
        let mut text = String::new();
        let _ = write!(text, "`{}`: {message}", PropertyPath(&self.steps));
        self.out
            .push(Diagnostic::error(code, self.path, text).with_hint(format!(
                "{} rejects this value (its resource provider schema says so); use a value \
                 within the constraint",
                self.type_name
            )));
    }

    fn value(&mut self, node: &'static Node, expr: &'a Expr) {
        if is_intrinsic(expr) {
            return;
        }
        match expr {
            Expr::String(s) => {
                self.string(node, s);
                if let Ok(x) = s.trim().parse::<f64>() {
                    // CloudFormation reads a numeric string as the number; cfn-lint too.
                    if node.minimum.is_some() || node.maximum.is_some() {
                        self.number(node, x, s);
                    }
                }
            }
            Expr::Int(i) => {
                let text = i.to_string();
                self.number(node, *i as f64, &text);
                self.enumerated(node, &text);
                self.pattern(node, &text);
            }
            Expr::Float(x) => {
                let text = format!("{x}");
                self.number(node, *x, &text);
                self.enumerated(node, &text);
                self.pattern(node, &text);
            }
            Expr::Bool(b) => self.pattern(node, if *b { "true" } else { "false" }),
            Expr::List(items) => self.list(node, items),
            Expr::Map(map) => self.object(node, map),
            _ => {}
        }
    }

    fn string(&mut self, node: &'static Node, s: &str) {
        if node.min_len.is_some() || node.max_len.is_some() {
            let len = s.chars().count() as u64;
            if let Some(min) = node.min_len.filter(|min| len < *min) {
                self.report(
                    Code::SchemaLength,
                    format!("{len} characters; at least {min} are required"),
                );
            }
            if let Some(max) = node.max_len.filter(|max| len > *max) {
                self.report(
                    Code::SchemaLength,
                    format!("{len} characters; at most {max} are allowed"),
                );
            }
        }
        self.enumerated(node, s);
        self.pattern(node, s);
    }

    fn enumerated(&mut self, node: &'static Node, text: &str) {
        if !node.enum_values.is_empty() && !node.enum_values.contains(&text) {
            let mut allowed = node.enum_values[..node.enum_values.len().min(12)].join(", ");
            if node.enum_values.len() > 12 {
                allowed.push_str(", …");
            }
            self.report(
                Code::SchemaEnum,
                format!("`{text}` is not one of {allowed}"),
            );
        }
    }

    fn pattern(&mut self, node: &'static Node, text: &str) {
        if let Some(p) = node.pattern {
            if !p.accepts(text) {
                self.report(
                    Code::SchemaPattern,
                    format!("`{text}` does not match the pattern `{}`", p.ecma),
                );
            }
        }
    }

    fn number(&mut self, node: &'static Node, x: f64, text: &str) {
        if let Some(min) = node.minimum.filter(|min| x < *min) {
            self.report(
                Code::SchemaRange,
                format!("{text} is less than the minimum, {min}"),
            );
        }
        if let Some(max) = node.maximum.filter(|max| x > *max) {
            self.report(
                Code::SchemaRange,
                format!("{text} is more than the maximum, {max}"),
            );
        }
    }

    fn list(&mut self, node: &'static Node, items: &'a [Expr]) {
        if !items.iter().any(may_vanish) {
            let n = items.len() as u64;
            if let Some(min) = node.min_items.filter(|min| n < *min) {
                self.report(
                    Code::SchemaItems,
                    format!("{n} items; at least {min} are required"),
                );
            }
            if let Some(max) = node.max_items.filter(|max| n > *max) {
                self.report(
                    Code::SchemaItems,
                    format!("{n} items; at most {max} are allowed"),
                );
            }
        }
        if node.unique_items {
            // Quadratic, but schema lists are short; `Fn::If` items are left out, since both
            // branches of two of them may differ.
            let dup = items.iter().enumerate().find_map(|(i, a)| {
                (!matches!(a, Expr::If { .. }))
                    .then(|| items[..i].iter().position(|b| b == a).map(|j| (j, i)))
                    .flatten()
            });
            if let Some((first, again)) = dup {
                self.report(
                    Code::SchemaItems,
                    format!("items {first} and {again} are equal; the items must be unique"),
                );
            }
        }
        if let Some(item) = node.items {
            for (i, expr) in items.iter().enumerate() {
                self.steps.push(Step::Index(i));
                self.value(item, expr);
                self.steps.pop();
            }
        }
    }

    fn object(&mut self, node: &'static Node, map: &'a IndexMap<String, Expr>) {
        let missing: Vec<&str> = node
            .required
            .iter()
            .filter(|k| !map.contains_key(**k))
            .copied()
            .collect();
        if !missing.is_empty() {
            self.report(
                Code::SchemaRequired,
                format!(
                    "{} {} required but missing",
                    quoted(&missing),
                    verb(&missing)
                ),
            );
        }
        for (key, needs) in node.dependent_required {
            if !map.contains_key(*key) {
                continue;
            }
            let missing: Vec<&str> = needs
                .iter()
                .filter(|k| !map.contains_key(**k))
                .copied()
                .collect();
            if !missing.is_empty() {
                self.report(
                    Code::SchemaRequired,
                    format!(
                        "`{key}` is set, so {} {} required too",
                        quoted(&missing),
                        verb(&missing)
                    ),
                );
            }
        }
        if !node.required_xor.is_empty() {
            let present: Vec<&str> = node
                .required_xor
                .iter()
                .filter(|k| map.contains_key(**k))
                .copied()
                .collect();
            let uncertain = present.iter().any(|k| may_vanish(&map[*k]));
            if present.len() != 1 && !uncertain {
                let found = if present.is_empty() {
                    "none is set".to_owned()
                } else {
                    format!("{} {} set", quoted(&present), verb(&present))
                };
                self.report(
                    Code::SchemaRequired,
                    format!(
                        "exactly one of {} is required; {found}",
                        quoted(node.required_xor)
                    ),
                );
            }
        }
        for (name, child) in node.props {
            if let Some((key, expr)) = map.get_key_value(*name) {
                self.steps.push(Step::Key(key));
                self.value(child, expr);
                self.steps.pop();
            }
        }
        if let Some(values) = node.values {
            for (key, expr) in map {
                self.steps.push(Step::Key(key));
                self.value(values, expr);
                self.steps.pop();
            }
        }
    }
}

/// `` `A`, `B` ``.
fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `is` for one name, `are` for more.
fn verb(names: &[&str]) -> &'static str {
    if names.len() == 1 {
        "is"
    } else {
        "are"
    }
}

#[cfg(test)]
mod tests;
