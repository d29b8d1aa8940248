//! The value constraints of the schemas, as static data for the synth-time schema check
//! (`constructs/src/cfn/constraints.rs`, read by `constructs/src/cfn/check.rs`).
//!
//! For every settable property, nested property and list item, the keywords that constrain a
//! literal value: `minLength`/`maxLength`/`pattern`/`enum` on strings, `minimum`/`maximum` (and
//! `enum`) on numbers, `minItems`/`maxItems`/`uniqueItems` on lists, and `required`,
//! `dependentRequired` (and the older `dependencies`) and cfn-lint's `requiredXor` on objects.
//! Subtrees without any constraint are left out, so the table holds only what can fail.
//!
//! Patterns are ECMAScript regular expressions (JSON Schema); they are rewritten for Rust's
//! `regex` crate (`\Z` is `\z`) and compiled here once, so that every pattern in the table
//! compiles in `constructs`. Patterns that cannot be expressed (look-around, `\p{Print}`) and
//! patterns that accept everything (`.*`) are left out and counted in [`Table::skipped`].

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::Value as Json;

use crate::Error;

/// One schema node's constraints.
#[derive(Default, Clone, Debug, PartialEq)]
struct Node {
    min_len: Option<u64>,
    max_len: Option<u64>,
    /// The pattern rewritten for Rust, and as the schema writes it (for messages).
    pattern: Option<(String, String)>,
    /// Enumerated values, as JSON text for numbers and as the string itself for strings.
    enum_values: Vec<String>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    required: Vec<String>,
    dependent_required: Vec<(String, Vec<String>)>,
    required_xor: Vec<String>,
    /// Children by index into [`Table::nodes`].
    items: Option<usize>,
    props: Vec<(String, usize)>,
    values: Option<usize>,
}

impl Node {
    fn has_own_rules(&self) -> bool {
        self.min_len.is_some()
            || self.max_len.is_some()
            || self.pattern.is_some()
            || !self.enum_values.is_empty()
            || self.minimum.is_some()
            || self.maximum.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items
            || !self.required.is_empty()
            || !self.dependent_required.is_empty()
            || !self.required_xor.is_empty()
    }
}

/// The constraints of every generated type.
#[derive(Default)]
pub struct Table {
    nodes: Vec<Node>,
    /// `(type name, root node)`.
    roots: Vec<(String, usize)>,
    /// Patterns left out because Rust's `regex` cannot express them: `(type, pattern)`.
    pub skipped: Vec<(String, String)>,
}

/// Patterns that accept every string: checking them costs time and finds nothing.
const TRIVIAL_PATTERNS: &[&str] = &[".*", "^.*$", "[\\s\\S]*", "^[\\s\\S]*$"];

/// The pattern for Rust's `regex`, or `None` when it cannot be expressed there.
fn rust_pattern(ecma: &str) -> Option<String> {
    if ["(?!", "(?=", "(?<!", "(?<=", "\\p{Print}"]
        .iter()
        .any(|x| ecma.contains(x))
    {
        return None;
    }
    let rust = class_literals(&ecma.replace("\\Z", "\\z"));
    regex::Regex::new(&rust).ok().map(|_| rust)
}

/// Escapes what ECMAScript reads literally inside a character class but Rust's `regex` does
/// not: `[` (a nested class there) and the set operators `&&` and `~~`.
fn class_literals(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' if in_class => out.push_str("\\["),
            '[' => {
                in_class = true;
                out.push(c);
                // `]` or `^]` first in a class is a literal in both dialects.
                if chars.peek() == Some(&'^') {
                    out.extend(chars.next());
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '&' | '~' if in_class && chars.peek() == Some(&c) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

struct Builder<'a> {
    type_name: &'a str,
    root: &'a Json,
    table: &'a mut Table,
    /// Nodes already built for a `$ref` target of this schema, by pointer.
    by_ref: HashMap<String, usize>,
    read_only: Vec<String>,
}

impl Builder<'_> {
    /// Builds the node of `schema` reached at instance path `path` (`/properties/A/B`, for the
    /// read-only test); returns its index.
    fn node(&mut self, schema: &Json, path: &str) -> Result<usize, Error> {
        if let Some(r) = schema.get("$ref").and_then(Json::as_str) {
            if let Some(&i) = self.by_ref.get(r) {
                return Ok(i);
            }
            let target = r
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
                .ok_or_else(|| Error(format!("{}: unresolvable $ref {r}", self.type_name)))?;
            // Registered before walking, so that a recursive definition refers to itself.
            let index = self.push(Node::default());
            self.by_ref.insert(r.to_owned(), index);
            let node = self.build(target, path)?;
            self.table.nodes[index] = node;
            return Ok(index);
        }
        let node = self.build(schema, path)?;
        Ok(self.push(node))
    }

    fn push(&mut self, node: Node) -> usize {
        self.table.nodes.push(node);
        self.table.nodes.len() - 1
    }

    fn build(&mut self, schema: &Json, path: &str) -> Result<Node, Error> {
        let mut n = Node::default();
        let uint = |k: &str| schema.get(k).and_then(Json::as_u64);
        let num = |k: &str| schema.get(k).and_then(Json::as_f64);
        n.min_len = uint("minLength").filter(|v| *v > 0);
        n.max_len = uint("maxLength");
        n.minimum = num("minimum");
        n.maximum = num("maximum");
        n.min_items = uint("minItems").filter(|v| *v > 0);
        n.max_items = uint("maxItems");
        n.unique_items = schema.get("uniqueItems").and_then(Json::as_bool) == Some(true);
        if let Some(p) = schema.get("pattern").and_then(Json::as_str) {
            if !TRIVIAL_PATTERNS.contains(&p) {
                match rust_pattern(p) {
                    Some(rust) => n.pattern = Some((rust, p.to_owned())),
                    None => self
                        .table
                        .skipped
                        .push((self.type_name.to_owned(), p.to_owned())),
                }
            }
        }
        if let Some(values) = schema.get("enum").and_then(Json::as_array) {
            n.enum_values = values
                .iter()
                .filter_map(|v| match v {
                    Json::String(s) => Some(s.clone()),
                    Json::Number(x) => Some(x.to_string()),
                    _ => None,
                })
                .collect();
        }
        n.required = strings(schema.get("required"));
        for key in ["dependentRequired", "dependencies"] {
            if let Some(map) = schema.get(key).and_then(Json::as_object) {
                for (k, v) in map {
                    if v.is_array() {
                        n.dependent_required.push((k.clone(), strings(Some(v))));
                    }
                }
            }
        }
        n.required_xor = strings(schema.get("requiredXor"));

        if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
            n.items = Some(self.node(items, &format!("{path}/*"))?);
        }
        if let Some(props) = schema.get("properties").and_then(Json::as_object) {
            for (name, prop) in props {
                let child_path = format!("{path}/{name}");
                if self.read_only.contains(&child_path) {
                    continue;
                }
                let child = self.node(prop, &child_path)?;
                n.props.push((name.clone(), child));
            }
        }
        let mut values: Vec<&Json> = schema
            .get("patternProperties")
            .and_then(Json::as_object)
            .map(|m| m.values().collect())
            .unwrap_or_default();
        if let Some(ap) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            values.push(ap);
        }
        // A map's values are checked only when one schema covers them all.
        if let [single] = values.as_slice() {
            n.values = Some(self.node(single, &format!("{path}/*"))?);
        }
        Ok(n)
    }
}

fn strings(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect()
}

impl Table {
    /// Adds the constraints of one resource type.
    pub fn add(&mut self, type_name: &str, schema: &Json) -> Result<(), Error> {
        let read_only = strings(schema.get("readOnlyProperties"));
        let mut b = Builder {
            type_name,
            root: schema,
            table: self,
            by_ref: HashMap::new(),
            read_only,
        };
        let root = b.build(schema, "/properties")?;
        // The resource's own properties: `build` walked them with paths `/properties/Name`.
        let root = b.push(root);
        self.roots.push((type_name.to_owned(), root));
        Ok(())
    }

    /// Which nodes have a constraint in their subtree (recursion included).
    fn useful(&self) -> Vec<bool> {
        let mut useful: Vec<bool> = self.nodes.iter().map(Node::has_own_rules).collect();
        loop {
            let mut changed = false;
            for (i, n) in self.nodes.iter().enumerate() {
                if useful[i] {
                    continue;
                }
                let child_useful = n.items.is_some_and(|c| useful[c])
                    || n.values.is_some_and(|c| useful[c])
                    || n.props.iter().any(|(_, c)| useful[*c]);
                if child_useful {
                    useful[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return useful;
            }
        }
    }

    /// The fields of node `i` as Rust initialisers, its children written by `child`.
    fn fields(
        &self,
        i: usize,
        useful: &[bool],
        child: &mut dyn FnMut(usize) -> String,
    ) -> Vec<String> {
        let n = &self.nodes[i];
        let mut fields = Vec::new();
        let list = |v: &[String]| {
            format!(
                "&[{}]",
                v.iter()
                    .map(|x| format!("{x:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if let Some(v) = n.min_len {
            fields.push(format!("min_len: Some({v})"));
        }
        if let Some(v) = n.max_len {
            fields.push(format!("max_len: Some({v})"));
        }
        if n.pattern.is_some() {
            fields.push(format!("pattern: Some(&P{i})"));
        }
        if !n.enum_values.is_empty() {
            fields.push(format!("enum_values: {}", list(&n.enum_values)));
        }
        if let Some(v) = n.minimum {
            fields.push(format!("minimum: Some({v:?})"));
        }
        if let Some(v) = n.maximum {
            fields.push(format!("maximum: Some({v:?})"));
        }
        if let Some(v) = n.min_items {
            fields.push(format!("min_items: Some({v})"));
        }
        if let Some(v) = n.max_items {
            fields.push(format!("max_items: Some({v})"));
        }
        if n.unique_items {
            fields.push("unique_items: true".to_owned());
        }
        if !n.required.is_empty() {
            fields.push(format!("required: {}", list(&n.required)));
        }
        if !n.dependent_required.is_empty() {
            let pairs: Vec<String> = n
                .dependent_required
                .iter()
                .map(|(k, v)| format!("({k:?}, {})", list(v)))
                .collect();
            fields.push(format!("dependent_required: &[{}]", pairs.join(", ")));
        }
        if !n.required_xor.is_empty() {
            fields.push(format!("required_xor: {}", list(&n.required_xor)));
        }
        if let Some(c) = n.items.filter(|c| useful[*c]) {
            fields.push(format!("items: Some({})", child(c)));
        }
        if let Some(c) = n.values.filter(|c| useful[*c]) {
            fields.push(format!("values: Some({})", child(c)));
        }
        let props: Vec<String> = n
            .props
            .iter()
            .filter(|(_, c)| useful[*c])
            .map(|(name, c)| format!("({name:?}, {})", child(*c)))
            .collect();
        if !props.is_empty() {
            fields.push(format!("props: &[{}]", props.join(", ")));
        }
        fields.push("..Node::EMPTY".to_owned());
        fields
    }

    /// For each node, the first node with the same constraints and the same children, so
    /// that the many copies of one definition (a `Tag` in every type) are emitted once.
    /// Children are compared by their own description; a child on the path being described
    /// (a recursive definition) by its index, which only ever misses a merge.
    fn representatives(&self, useful: &[bool]) -> Vec<usize> {
        fn describe(
            table: &Table,
            i: usize,
            useful: &[bool],
            memo: &mut Vec<Option<String>>,
            on_path: &mut Vec<usize>,
        ) -> String {
            if let Some(d) = &memo[i] {
                return d.clone();
            }
            if on_path.contains(&i) {
                return format!("#{i}");
            }
            on_path.push(i);
            let mut fields = table.fields(i, useful, &mut |c| {
                format!("({})", describe(table, c, useful, memo, on_path))
            });
            if let Some((rust, _)) = &table.nodes[i].pattern {
                fields.push(format!("pattern {rust:?}"));
            }
            on_path.pop();
            let d = fields.join(", ");
            memo[i] = Some(d.clone());
            d
        }
        let mut memo = vec![None; self.nodes.len()];
        let mut first: HashMap<String, usize> = HashMap::new();
        (0..self.nodes.len())
            .map(|i| {
                if !useful[i] {
                    return i;
                }
                let d = describe(self, i, useful, &mut memo, &mut Vec::new());
                *first.entry(d).or_insert(i)
            })
            .collect()
    }

    /// `constructs/src/cfn/constraints.rs`.
    pub fn emit(&self, header: &str) -> String {
        let useful = self.useful();
        let mut s = String::from(header);
        s.push_str(
            "\n//! The value constraints of every generated type's schema, for the synth-time \
             schema check in\n//! [`check`](super::check). Only properties with a constraint \
             somewhere below them are listed.\n\n\
             use super::check::{Node, Pattern};\n\n",
        );
        if !self.skipped.is_empty() {
            s.push_str(
                "// Patterns not checked at synth (look-around or `\\p{Print}`, which Rust's \
                 `regex` lacks):\n",
            );
            for (t, p) in &self.skipped {
                writeln!(s, "// - {t}: `{p}`").unwrap();
            }
            s.push('\n');
        }
        s.push_str(
            "/// The constraints of `type_name`'s properties, when it is a generated type.\n\
             pub(crate) fn of(type_name: &str) -> Option<&'static Node> {\n    \
             Some(match type_name {\n",
        );
        let rep = self.representatives(&useful);
        for (t, root) in self.roots.iter().filter(|(_, r)| useful[*r]) {
            writeln!(s, "        {t:?} => &N{},", rep[*root]).unwrap();
        }
        s.push_str("        _ => return None,\n    })\n}\n\n");
        let rep = self.representatives(&useful);
        for (i, n) in self.nodes.iter().enumerate() {
            if !useful[i] || rep[i] != i {
                continue;
            }
            if let Some((rust, ecma)) = &n.pattern {
                writeln!(
                    s,
                    "static P{i}: Pattern = Pattern::new({rust:?}, {ecma:?});"
                )
                .unwrap();
            }
            let fields = self.fields(i, &useful, &mut |c| format!("&N{}", rep[c]));
            writeln!(s, "static N{i}: Node = Node {{ {} }};", fields.join(", ")).unwrap();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::rust_pattern;

    #[test]
    fn ecmascript_class_literals_are_escaped_for_rust() {
        let sg = r"^([a-z,A-Z,0-9,. _\-:/()#,@[\]+=&;\{\}!$*])*$";
        let rust = rust_pattern(sg).expect("expressible");
        let re = regex::Regex::new(&rust).unwrap();
        assert!(re.is_match("Web tier [public] #1"));
        assert!(!re.is_match("caf\u{e9}"));
        assert_eq!(rust_pattern(r"^[^\s]+\Z").as_deref(), Some(r"^[^\s]+\z"));
        assert_eq!(rust_pattern(r"^(?!\s*$).+$"), None);
    }
}
