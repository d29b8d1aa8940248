//! The untyped expression tree behind every template value.
//!
//! [`Expr`] is what a property, an output or a condition holds once its Rust type has done its
//! job: literals, lists, maps and CloudFormation's intrinsic functions. It serializes to exactly
//! the JSON CloudFormation reads. References remember the stack that owns their target: that is
//! data, and what a template of another stack makes of it is not decided here. [`Written`]
//! writes an expression with some nodes replaced by a [`Rewrite`], so that a writer can change
//! how a node reads without copying the tree.

use std::sync::Arc;

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::template::MAX_TEMPLATE_DEPTH;

/// The stack that owns a referenced resource or parameter: its name, and which [`Stack`]
/// value it is.
///
/// Handles made by a stack carry that stack's instance, so synth can tell a handle of this
/// app's `Network` from one of a `Network` stack of another app (or an earlier `Stack` of the
/// same name), which would otherwise resolve to a same-named resource here. A reference made
/// from a name alone (`"Network".into()`, as in hand-built expressions) has no instance and
/// resolves by name. Equality, hashing and `Deref` are by name.
///
/// One pointer wide, so that the expressions holding it stay small.
///
/// ```
/// use constructs::{Expr, StackRef};
///
/// let by_name: StackRef = "Network".into();
/// assert_eq!(&*by_name, "Network");
/// let reference = Expr::Ref { stack: Some(by_name), name: "Vpc".into() };
/// # let _ = reference;
/// ```
///
/// [`Stack`]: crate::Stack
#[derive(Clone)]
pub struct StackRef(Arc<StackName>);

struct StackName {
    name: Box<str>,
    /// 0 for a reference by name alone.
    instance: u64,
}

impl StackRef {
    /// A reference to the stack `name` that [`Stack::new`](crate::Stack::new) made as its
    /// `instance`-th stack of the process.
    pub(crate) fn of_instance(name: &str, instance: u64) -> Self {
        StackRef(Arc::new(StackName {
            name: name.into(),
            instance,
        }))
    }

    /// The stack instance the reference was made by, or `None` for a reference by name.
    pub(crate) fn instance(&self) -> Option<u64> {
        (self.0.instance != 0).then_some(self.0.instance)
    }
}

impl From<&str> for StackRef {
    /// A reference by name alone: it resolves to whichever stack of the app has the name.
    fn from(name: &str) -> Self {
        StackRef::of_instance(name, 0)
    }
}

impl From<String> for StackRef {
    /// A reference by name alone (see [`From<&str>`](#impl-From%3C%26str%3E-for-StackRef)).
    fn from(name: String) -> Self {
        StackRef::from(name.as_str())
    }
}

impl std::ops::Deref for StackRef {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0.name
    }
}

impl PartialEq for StackRef {
    fn eq(&self, other: &Self) -> bool {
        *self.0.name == *other.0.name
    }
}

impl Eq for StackRef {}

impl std::hash::Hash for StackRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl std::fmt::Debug for StackRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0.name, f)
    }
}

impl std::fmt::Display for StackRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.name)
    }
}

/// A template value: a literal, a list, a map, or an intrinsic function.
///
/// Variants whose payload is larger than a `String` keep it behind a `Box`, so a node is small:
/// apps hold hundreds of thousands of them.
///
/// Build typed values with [`Value`](crate::Value) and the functions in [`fns`](crate::fns);
/// `Expr` is the representation they share.
#[derive(Debug, PartialEq)]
pub enum Expr {
    /// JSON `null`.
    Null,
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A floating point literal.
    Float(f64),
    /// A string literal.
    String(String),
    /// A list of values.
    List(Vec<Expr>),
    /// A map of values, in insertion order.
    Map(Box<IndexMap<String, Expr>>),
    /// `Ref` of a resource, a parameter or a pseudo parameter (`AWS::Region`, …).
    Ref {
        /// The stack that owns the target; `None` for pseudo parameters and raw names.
        stack: Option<StackRef>,
        /// The logical id or pseudo parameter name.
        name: String,
    },
    /// `Fn::GetAtt` of a resource attribute.
    GetAtt {
        /// The stack that owns the resource; `None` for raw names.
        stack: Option<StackRef>,
        /// The resource's logical id.
        logical_id: Box<str>,
        /// The attribute name, dotted for nested attributes (`Endpoint.Address`).
        attribute: Box<str>,
    },
    /// `Fn::Sub` with a template string and optional variables.
    Sub {
        /// The string with `${Name}` placeholders.
        template: String,
        /// Variables, in the order given.
        vars: Box<IndexMap<String, Expr>>,
    },
    /// `Fn::Join`.
    Join {
        /// The delimiter.
        delimiter: String,
        /// The values to join: a list, or a list-valued function.
        items: Box<Expr>,
    },
    /// `Fn::Select`.
    Select {
        /// The zero-based index.
        index: Box<Expr>,
        /// The list to pick from.
        list: Box<Expr>,
    },
    /// `Fn::Split`.
    Split {
        /// The delimiter.
        delimiter: String,
        /// The string to split.
        source: Box<Expr>,
    },
    /// `Fn::GetAZs` of a region (`""` means the stack's region).
    GetAzs(Box<Expr>),
    /// `Fn::Cidr`.
    Cidr {
        /// The block to divide.
        block: Box<Expr>,
        /// How many CIDRs to produce (1–256).
        count: Box<Expr>,
        /// The number of host bits of each CIDR.
        cidr_bits: Box<Expr>,
    },
    /// `Fn::If`.
    If {
        /// The condition's logical id.
        condition: String,
        /// The value when the condition is true.
        then: Box<Expr>,
        /// The value when it is false.
        otherwise: Box<Expr>,
    },
    /// `Fn::Equals`.
    Equals(Box<Expr>, Box<Expr>),
    /// `Fn::Not`.
    Not(Box<Expr>),
    /// `Fn::And` (2–10 conditions).
    And(Vec<Expr>),
    /// `Fn::Or` (2–10 conditions).
    Or(Vec<Expr>),
    /// `{"Condition": name}`: a reference to a named condition inside a condition function.
    Condition(String),
    /// `Fn::ImportValue`.
    ImportValue(Box<Expr>),
    /// `Fn::Base64`.
    Base64(Box<Expr>),
    /// `Fn::FindInMap`.
    FindInMap {
        /// The mapping's logical id.
        map: String,
        /// The top-level key.
        top_key: Box<Expr>,
        /// The second-level key.
        second_key: Box<Expr>,
    },
}

impl Expr {
    /// A map literal.
    pub fn map(entries: IndexMap<String, Expr>) -> Self {
        Expr::Map(Box::new(entries))
    }

    /// A string literal.
    pub fn string(s: impl Into<String>) -> Self {
        Expr::String(s.into())
    }

    /// `Ref` of a name in the same stack: a parameter, a resource or a pseudo parameter.
    pub fn ref_to(name: impl Into<String>) -> Self {
        Expr::Ref {
            stack: None,
            name: name.into(),
        }
    }

    /// `Fn::GetAtt` of a resource attribute in the same stack.
    pub fn get_att(logical_id: impl Into<String>, attribute: impl Into<String>) -> Self {
        Expr::GetAtt {
            stack: None,
            logical_id: logical_id.into().into_boxed_str(),
            attribute: attribute.into().into_boxed_str(),
        }
    }

    /// `Fn::Sub` of a template string without variables.
    pub fn sub(template: impl Into<String>) -> Self {
        Expr::Sub {
            template: template.into(),
            vars: Box::default(),
        }
    }

    /// Whether this expression is a literal (no intrinsic function anywhere inside it).
    pub fn is_literal(&self) -> bool {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => true,
            Expr::List(items) => items.iter().all(Expr::is_literal),
            Expr::Map(map) => map.values().all(Expr::is_literal),
            _ => false,
        }
    }

    /// The string, when this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::String(s) => Some(s),
            _ => None,
        }
    }

    /// Calls `f` on this expression and every expression nested inside it, parents first, in
    /// document order.
    ///
    /// The walk keeps its own list of the nodes it has yet to visit instead of recursing, so
    /// no depth of nesting can overflow the thread's stack.
    pub fn walk<'a, F: FnMut(&'a Expr) + ?Sized>(&'a self, f: &mut F) {
        self.walk_nesting(AsIs, &mut Vec::new(), f);
    }

    /// Walks like [`Expr::walk`], and returns how deeply this expression nests in the JSON
    /// [`Written`] with `rewrite` writes for it: the most arrays and objects around any part of
    /// it. A node that `rewrite` replaces counts as deep as its replacement, and the walk does
    /// not enter it. `pending` is the walk's list of nodes to visit and the nesting around each,
    /// passed in so that one buffer serves many walks.
    pub(crate) fn walk_nesting<'a, R: Rewrite, F: FnMut(&'a Expr) + ?Sized>(
        &'a self,
        rewrite: R,
        pending: &mut Vec<(&'a Expr, usize)>,
        f: &mut F,
    ) -> usize {
        pending.clear();
        pending.push((self, 0));
        let mut deepest = 0;
        while let Some((node, around)) = pending.pop() {
            f(node);
            if let Some(replacement) = rewrite.rewrite(node) {
                deepest = deepest.max(around + replacement.depth());
                continue;
            }
            let nesting = around + node.json_levels();
            deepest = deepest.max(nesting);
            let first_child = pending.len();
            node.for_each_child(|child| pending.push((child, nesting)));
            // Popped last-in first-out: reversed, the first child is visited first.
            pending[first_child..].reverse();
        }
        deepest
    }

    /// How deeply this expression nests in its plain JSON (see [`Expr::walk_nesting`]).
    fn depth(&self) -> usize {
        self.walk_nesting(AsIs, &mut Vec::new(), &mut |_| {})
    }

    /// How many JSON arrays and objects the plain JSON of this node puts around its children,
    /// or around its own text for a node without children: `{"Fn::Select": [index, list]}` puts
    /// two around `index` and `list`, `{"Ref": name}` one around `name`, a string none.
    fn json_levels(&self) -> usize {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => 0,
            Expr::List(_) | Expr::Map(_) => 1,
            Expr::Ref { .. } | Expr::Condition(_) => 1,
            Expr::GetAzs(_) | Expr::ImportValue(_) | Expr::Base64(_) => 1,
            Expr::Sub { vars, .. } if vars.is_empty() => 1,
            // `{"Fn::Sub": [template, {name: value, …}]}`.
            Expr::Sub { .. } => 3,
            Expr::GetAtt { .. }
            | Expr::Join { .. }
            | Expr::Select { .. }
            | Expr::Split { .. }
            | Expr::Cidr { .. }
            | Expr::If { .. }
            | Expr::Equals(..)
            | Expr::Not(_)
            | Expr::And(_)
            | Expr::Or(_)
            | Expr::FindInMap { .. } => 2,
        }
    }

    /// Calls `f` on each expression this node holds, in document order.
    fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Expr)) {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => {}
            Expr::Ref { .. } | Expr::GetAtt { .. } | Expr::Condition(_) => {}
            Expr::List(items) | Expr::And(items) | Expr::Or(items) => items.iter().for_each(f),
            Expr::Map(entries) | Expr::Sub { vars: entries, .. } => entries.values().for_each(f),
            Expr::Join { items: e, .. }
            | Expr::Split { source: e, .. }
            | Expr::GetAzs(e)
            | Expr::Not(e)
            | Expr::ImportValue(e)
            | Expr::Base64(e) => f(e),
            Expr::Select { index: a, list: b }
            | Expr::If {
                then: a,
                otherwise: b,
                ..
            }
            | Expr::Equals(a, b)
            | Expr::FindInMap {
                top_key: a,
                second_key: b,
                ..
            } => {
                f(a);
                f(b);
            }
            Expr::Cidr {
                block,
                count,
                cidr_bits,
            } => {
                f(block);
                f(count);
                f(cidr_bits);
            }
        }
    }

    /// Calls `f` on each expression this node holds, in document order, to change it.
    fn for_each_child_mut(&mut self, mut f: impl FnMut(&mut Expr)) {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => {}
            Expr::Ref { .. } | Expr::GetAtt { .. } | Expr::Condition(_) => {}
            Expr::List(items) | Expr::And(items) | Expr::Or(items) => items.iter_mut().for_each(f),
            Expr::Map(entries) | Expr::Sub { vars: entries, .. } => {
                entries.values_mut().for_each(f)
            }
            Expr::Join { items: e, .. }
            | Expr::Split { source: e, .. }
            | Expr::GetAzs(e)
            | Expr::Not(e)
            | Expr::ImportValue(e)
            | Expr::Base64(e) => f(e),
            Expr::Select { index: a, list: b }
            | Expr::If {
                then: a,
                otherwise: b,
                ..
            }
            | Expr::Equals(a, b)
            | Expr::FindInMap {
                top_key: a,
                second_key: b,
                ..
            } => {
                f(a);
                f(b);
            }
            Expr::Cidr {
                block,
                count,
                cidr_bits,
            } => {
                f(block);
                f(count);
                f(cidr_bits);
            }
        }
    }

    /// Rebuilds this expression bottom-up, letting `f` replace any node (children first).
    ///
    /// This recurses as deep as the expression nests: synth calls it only on trees whose depth
    /// it has checked.
    pub fn map_nodes(mut self, f: &mut dyn FnMut(Expr) -> Expr) -> Expr {
        self.for_each_child_mut(|e| *e = std::mem::replace(e, Expr::Null).map_nodes(f));
        f(self)
    }

    /// Whether some child of this node holds expressions of its own.
    fn has_grandchildren(&self) -> bool {
        let mut any = false;
        self.for_each_child(|child| any |= child.has_children());
        any
    }

    /// A copy of this node whose children are made by `child`, called on each in document
    /// order.
    fn copy_node(&self, mut child: impl FnMut(&Expr) -> Expr) -> Expr {
        let mut boxed = |e: &Expr| Box::new(child(e));
        match self {
            Expr::Null => Expr::Null,
            Expr::Bool(b) => Expr::Bool(*b),
            Expr::Int(i) => Expr::Int(*i),
            Expr::Float(x) => Expr::Float(*x),
            Expr::String(s) => Expr::String(s.clone()),
            Expr::List(items) => Expr::List(items.iter().map(&mut child).collect()),
            Expr::And(items) => Expr::And(items.iter().map(&mut child).collect()),
            Expr::Or(items) => Expr::Or(items.iter().map(&mut child).collect()),
            Expr::Map(entries) => Expr::Map(Box::new(
                entries.iter().map(|(k, v)| (k.clone(), child(v))).collect(),
            )),
            Expr::Ref { stack, name } => Expr::Ref {
                stack: stack.clone(),
                name: name.clone(),
            },
            Expr::GetAtt {
                stack,
                logical_id,
                attribute,
            } => Expr::GetAtt {
                stack: stack.clone(),
                logical_id: logical_id.clone(),
                attribute: attribute.clone(),
            },
            Expr::Sub { template, vars } => Expr::Sub {
                template: template.clone(),
                vars: Box::new(vars.iter().map(|(k, v)| (k.clone(), child(v))).collect()),
            },
            Expr::Join { delimiter, items } => Expr::Join {
                delimiter: delimiter.clone(),
                items: boxed(items),
            },
            Expr::Select { index, list } => Expr::Select {
                index: boxed(index),
                list: boxed(list),
            },
            Expr::Split { delimiter, source } => Expr::Split {
                delimiter: delimiter.clone(),
                source: boxed(source),
            },
            Expr::GetAzs(region) => Expr::GetAzs(boxed(region)),
            Expr::Cidr {
                block,
                count,
                cidr_bits,
            } => Expr::Cidr {
                block: boxed(block),
                count: boxed(count),
                cidr_bits: boxed(cidr_bits),
            },
            Expr::If {
                condition,
                then,
                otherwise,
            } => Expr::If {
                condition: condition.clone(),
                then: boxed(then),
                otherwise: boxed(otherwise),
            },
            Expr::Equals(a, b) => Expr::Equals(boxed(a), boxed(b)),
            Expr::Not(c) => Expr::Not(boxed(c)),
            Expr::Condition(name) => Expr::Condition(name.clone()),
            Expr::ImportValue(v) => Expr::ImportValue(boxed(v)),
            Expr::Base64(v) => Expr::Base64(boxed(v)),
            Expr::FindInMap {
                map,
                top_key,
                second_key,
            } => Expr::FindInMap {
                map: map.clone(),
                top_key: boxed(top_key),
                second_key: boxed(second_key),
            },
        }
    }

    /// Whether this node holds other expressions.
    fn has_children(&self) -> bool {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::String(_) => false,
            Expr::Ref { .. } | Expr::GetAtt { .. } | Expr::Condition(_) => false,
            Expr::List(items) | Expr::And(items) | Expr::Or(items) => !items.is_empty(),
            Expr::Map(entries) | Expr::Sub { vars: entries, .. } => !entries.is_empty(),
            Expr::Join { .. }
            | Expr::Split { .. }
            | Expr::GetAzs(_)
            | Expr::Not(_)
            | Expr::ImportValue(_)
            | Expr::Base64(_)
            | Expr::Select { .. }
            | Expr::If { .. }
            | Expr::Equals(..)
            | Expr::FindInMap { .. }
            | Expr::Cidr { .. } => true,
        }
    }

    /// Moves every child that holds expressions of its own into `out`, leaving `Null` in its
    /// place: what is left of this node holds no grandchildren.
    fn detach_grandchildren(&mut self, out: &mut Vec<Expr>) {
        self.for_each_child_mut(|e| {
            if e.has_children() {
                out.push(std::mem::replace(e, Expr::Null));
            }
        });
    }
}

/// Cloning copies the tree with a loop and lists of pending nodes, so no depth of nesting can
/// overflow the thread's stack (a derived `Clone` recurses once per level). A node whose
/// children hold nothing is copied directly.
impl Clone for Expr {
    fn clone(&self) -> Self {
        if !self.has_grandchildren() {
            // Its children are copied here, and hold no children to copy in turn.
            return self.copy_node(Expr::clone);
        }
        // Children before parents: a node is copied once the copies of those of its children
        // that hold expressions are on `copies`, in order; the others are copied on the spot.
        let mut todo = vec![(self, false)];
        let mut copies: Vec<Expr> = Vec::new();
        while let Some((node, children_copied)) = todo.pop() {
            if children_copied {
                let mut count = 0;
                node.for_each_child(|child| count += usize::from(child.has_children()));
                let first = copies.len() - count;
                let mut children = copies.drain(first..);
                let copy = node.copy_node(|child| {
                    if child.has_children() {
                        children.next().unwrap_or(Expr::Null)
                    } else {
                        child.clone()
                    }
                });
                drop(children);
                copies.push(copy);
            } else {
                todo.push((node, true));
                let first_child = todo.len();
                node.for_each_child(|child| {
                    if child.has_children() {
                        todo.push((child, false));
                    }
                });
                // Popped last-in first-out: reversed, the first child is copied first.
                todo[first_child..].reverse();
            }
        }
        copies.pop().unwrap_or(Expr::Null)
    }
}

/// Dropping an expression takes it apart with a loop and a list of pending nodes, so no depth
/// of nesting can overflow the thread's stack (the compiler's drop glue would recurse once per
/// level). Each node is dropped only once it holds no grandchildren, so the glue goes at most
/// two levels down; a tree of depth two or less needs no list at all.
impl Drop for Expr {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        self.detach_grandchildren(&mut pending);
        while let Some(mut node) = pending.pop() {
            node.detach_grandchildren(&mut pending);
        }
    }
}

impl From<serde_json::Value> for Expr {
    /// Converts plain JSON, recognising CloudFormation's intrinsic functions (single-key objects
    /// such as `{"Ref": "Vpc"}` or `{"Fn::GetAtt": ["Vpc", "CidrBlock"]}`), so references written
    /// as raw JSON are validated like typed ones. An object that only looks like an intrinsic
    /// (wrong argument shape) stays a plain map.
    ///
    /// A value nested deeper than any template may ([`MAX_TEMPLATE_DEPTH`]) is converted with
    /// a loop instead, as plain lists and maps (planning reports it, `expression-too-deep`,
    /// before anything reads it), so no depth of input can overflow the stack here.
    fn from(value: serde_json::Value) -> Self {
        if nests_deeper_than(&value, MAX_TEMPLATE_DEPTH) {
            from_deep_json(value)
        } else {
            from_json(value)
        }
    }
}

/// Whether `value` has more than `limit` arrays and objects around some part of it; measured
/// with a loop, and only as far as `limit`.
fn nests_deeper_than(value: &serde_json::Value, limit: usize) -> bool {
    use serde_json::Value as J;
    let mut pending = vec![(value, 0)];
    while let Some((value, around)) = pending.pop() {
        let deeper = around + 1;
        match value {
            J::Array(_) | J::Object(_) if deeper > limit => return true,
            J::Array(items) => pending.extend(items.iter().map(|item| (item, deeper))),
            J::Object(map) => pending.extend(map.values().map(|item| (item, deeper))),
            _ => {}
        }
    }
    false
}

/// `value` as plain lists, maps and literals, converted with a loop and a list of the open
/// collections: no depth of nesting can overflow the stack. Moving every child out before its
/// collection is dropped keeps serde_json's own drop glue from recursing too.
fn from_deep_json(value: serde_json::Value) -> Expr {
    use serde_json::Value as J;
    /// A collection being converted: the items converted so far and those still to come.
    enum Open {
        List(Vec<Expr>, std::vec::IntoIter<J>),
        /// The key of the child being converted comes last.
        Map(IndexMap<String, Expr>, serde_json::map::IntoIter, String),
    }
    let mut open: Vec<Open> = Vec::new();
    let mut next = Some(value);
    loop {
        let mut done = match next.take() {
            Some(J::Array(items)) => {
                open.push(Open::List(
                    Vec::with_capacity(items.len()),
                    items.into_iter(),
                ));
                None
            }
            Some(J::Object(map)) => {
                open.push(Open::Map(IndexMap::new(), map.into_iter(), String::new()));
                None
            }
            // Literals: no recursion.
            Some(literal) => Some(from_json(literal)),
            None => None,
        };
        // Hand finished nodes to their collections until one has another child to open.
        while next.is_none() {
            let Some(top) = open.last_mut() else {
                return done.unwrap_or(Expr::Null);
            };
            match (top, done.take()) {
                (Open::List(items, _), Some(node)) => items.push(node),
                (Open::Map(map, _, key), Some(node)) => {
                    map.insert(std::mem::take(key), node);
                }
                (_, None) => {}
            }
            next = match open.last_mut() {
                Some(Open::List(_, rest)) => rest.next(),
                Some(Open::Map(_, rest, key)) => rest.next().map(|(k, v)| {
                    *key = k;
                    v
                }),
                None => None,
            };
            if next.is_none() {
                done = open.pop().map(|finished| match finished {
                    Open::List(items, _) => Expr::List(items),
                    Open::Map(map, _, _) => Expr::map(map),
                });
            }
        }
    }
}

/// [`Expr::from`] of a value nested at most [`MAX_TEMPLATE_DEPTH`] levels, which bounds its
/// recursion.
fn from_json(value: serde_json::Value) -> Expr {
    use serde_json::Value as J;
    match value {
        J::Null => Expr::Null,
        J::Bool(b) => Expr::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Expr::Int(i),
            None => Expr::Float(n.as_f64().unwrap_or_default()),
        },
        J::String(s) => Expr::String(s),
        J::Array(items) => Expr::List(items.into_iter().map(from_json).collect()),
        J::Object(map)
            if map.len() == 1
                && map
                    .keys()
                    .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")) =>
        {
            let mut entries = map.into_iter();
            let Some((key, arg)) = entries.next() else {
                return Expr::map(IndexMap::new());
            };
            // The argument is cloned only for names of intrinsics, so that a malformed one
            // can still be kept as the plain map it is.
            intrinsic_from_json(&key, arg.clone()).unwrap_or_else(|| {
                let mut m = IndexMap::new();
                m.insert(key, from_json(arg));
                Expr::map(m)
            })
        }
        J::Object(map) => Expr::map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect()),
    }
}

/// The intrinsic function `{key: arg}`, if `key` names one and `arg` has its shape.
fn intrinsic_from_json(key: &str, arg: serde_json::Value) -> Option<Expr> {
    use serde_json::Value as J;
    let b = |v: J| Box::new(from_json(v));
    let args = |arg: J, n: usize| match arg {
        J::Array(items) if items.len() == n => Some(items),
        _ => None,
    };
    Some(match key {
        "Ref" => Expr::Ref {
            stack: None,
            name: arg.as_str()?.to_owned(),
        },
        "Condition" => Expr::Condition(arg.as_str()?.to_owned()),
        "Fn::GetAtt" => {
            let (logical_id, attribute) = match arg {
                J::String(s) => {
                    let (l, a) = s.split_once('.')?;
                    (l.to_owned(), a.to_owned())
                }
                J::Array(items) if items.len() == 2 => {
                    (items[0].as_str()?.to_owned(), items[1].as_str()?.to_owned())
                }
                _ => return None,
            };
            Expr::get_att(logical_id, attribute)
        }
        "Fn::Sub" => match arg {
            J::String(template) => Expr::sub(template),
            J::Array(items) if items.len() == 2 => {
                let mut items = items.into_iter();
                let template = items.next()?.as_str()?.to_owned();
                let J::Object(vars) = items.next()? else {
                    return None;
                };
                Expr::Sub {
                    template,
                    vars: Box::new(vars.into_iter().map(|(k, v)| (k, from_json(v))).collect()),
                }
            }
            _ => return None,
        },
        "Fn::Join" => {
            let mut a = args(arg, 2)?.into_iter();
            let delimiter = a.next()?.as_str()?.to_owned();
            Expr::Join {
                delimiter,
                items: b(a.next()?),
            }
        }
        "Fn::Split" => {
            let mut a = args(arg, 2)?.into_iter();
            let delimiter = a.next()?.as_str()?.to_owned();
            Expr::Split {
                delimiter,
                source: b(a.next()?),
            }
        }
        "Fn::Select" => {
            let mut a = args(arg, 2)?.into_iter();
            Expr::Select {
                index: b(a.next()?),
                list: b(a.next()?),
            }
        }
        "Fn::Cidr" => {
            let mut a = args(arg, 3)?.into_iter();
            Expr::Cidr {
                block: b(a.next()?),
                count: b(a.next()?),
                cidr_bits: b(a.next()?),
            }
        }
        "Fn::If" => {
            let mut a = args(arg, 3)?.into_iter();
            let condition = a.next()?.as_str()?.to_owned();
            Expr::If {
                condition,
                then: b(a.next()?),
                otherwise: b(a.next()?),
            }
        }
        "Fn::Equals" => {
            let mut a = args(arg, 2)?.into_iter();
            Expr::Equals(b(a.next()?), b(a.next()?))
        }
        "Fn::Not" => Expr::Not(b(args(arg, 1)?.into_iter().next()?)),
        "Fn::And" => Expr::And(match arg {
            J::Array(items) => items.into_iter().map(from_json).collect(),
            _ => return None,
        }),
        "Fn::Or" => Expr::Or(match arg {
            J::Array(items) => items.into_iter().map(from_json).collect(),
            _ => return None,
        }),
        "Fn::FindInMap" => {
            let mut a = args(arg, 3)?.into_iter();
            let map = a.next()?.as_str()?.to_owned();
            Expr::FindInMap {
                map,
                top_key: b(a.next()?),
                second_key: b(a.next()?),
            }
        }
        "Fn::GetAZs" => Expr::GetAzs(b(arg)),
        "Fn::ImportValue" => Expr::ImportValue(b(arg)),
        "Fn::Base64" => Expr::Base64(b(arg)),
        _ => return None,
    })
}

// ---- JSON -----------------------------------------------------------------------------------

/// A rule that writes some nodes of an expression as other expressions, applied while
/// serializing ([`Written`]) and measuring ([`Expr::walk_nesting`]), so that no tree has to be
/// copied to be written differently.
pub(crate) trait Rewrite: Copy {
    /// The expression written in place of `node`, or `None` to write `node` as it is. A
    /// replacement is written as it is, not rewritten again.
    fn rewrite(self, node: &Expr) -> Option<Expr>;
}

/// The rule that writes every node as it is: the plain JSON of [`Expr`]'s `Serialize`.
#[derive(Clone, Copy)]
pub(crate) struct AsIs;

impl Rewrite for AsIs {
    fn rewrite(self, _: &Expr) -> Option<Expr> {
        None
    }
}

/// An expression as JSON, with the nodes `rewrite` replaces written as their replacements.
#[derive(Clone, Copy)]
pub(crate) struct Written<'a, R> {
    /// The expression.
    pub expr: &'a Expr,
    /// The rule.
    pub rewrite: R,
}

impl<'a, R: Rewrite> Written<'a, R> {
    /// `expr` written with `rewrite`.
    pub fn new(expr: &'a Expr, rewrite: R) -> Self {
        Self { expr, rewrite }
    }

    fn at(self, expr: &'a Expr) -> Self {
        Self {
            expr,
            rewrite: self.rewrite,
        }
    }
}

/// Serializes `{key: value}`.
fn single<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// One argument of an intrinsic function's argument list: a name or a value.
enum Arg<'a, R> {
    Str(&'a str),
    Expr(Written<'a, R>),
    Map(&'a IndexMap<String, Expr>, R),
}

impl<R: Rewrite> Serialize for Arg<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Str(t) => s.serialize_str(t),
            Arg::Expr(e) => e.serialize(s),
            Arg::Map(m, rewrite) => serialize_map(s, m, *rewrite),
        }
    }
}

/// Serializes `{key: [args…]}`, the shape of most intrinsic functions.
fn call<S: Serializer, R: Rewrite>(
    s: S,
    key: &str,
    args: &[Arg<'_, R>],
) -> Result<S::Ok, S::Error> {
    struct Args<'a, 'b, R>(&'a [Arg<'b, R>]);
    impl<R: Rewrite> Serialize for Args<'_, '_, R> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.0.len()))?;
            for arg in self.0 {
                seq.serialize_element(arg)?;
            }
            seq.end()
        }
    }
    single(s, key, &Args(args))
}

/// Serializes a map of expressions, each written with `rewrite`.
pub(crate) fn serialize_map<S: Serializer, R: Rewrite>(
    s: S,
    map: &IndexMap<String, Expr>,
    rewrite: R,
) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (k, Written::new(v, rewrite))))
}

fn serialize_list<S: Serializer, R: Rewrite>(
    s: S,
    items: &[Expr],
    rewrite: R,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(|e| Written::new(e, rewrite)))
}

impl<'a, R: Rewrite> Serialize for Written<'a, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let this: Written<'a, R> = *self;
        let e = |expr: &'a Expr| Arg::Expr(this.at(expr));
        if let Some(replacement) = self.rewrite.rewrite(self.expr) {
            return Written::new(&replacement, AsIs).serialize(s);
        }
        let rewrite = self.rewrite;
        match self.expr {
            Expr::Null => s.serialize_unit(),
            Expr::Bool(b) => s.serialize_bool(*b),
            Expr::Int(i) => s.serialize_i64(*i),
            // serde_json would write `null` for a NaN and an infinity: refuse them instead, so
            // no template says something other than what was asked. Synth reports them first
            // (`non-finite-number`) and never serializes such a value.
            Expr::Float(x) if !x.is_finite() => Err(serde::ser::Error::custom(format_args!(
                "the number {x} cannot be written in a template"
            ))),
            Expr::Float(x) => s.serialize_f64(*x),
            Expr::String(t) => s.serialize_str(t),
            Expr::List(items) => serialize_list(s, items, rewrite),
            Expr::Map(map) => serialize_map(s, map, rewrite),
            Expr::Ref { name, .. } => single(s, "Ref", name),
            Expr::GetAtt {
                logical_id,
                attribute,
                ..
            } => call(
                s,
                "Fn::GetAtt",
                &[Arg::<R>::Str(logical_id), Arg::Str(attribute)],
            ),
            Expr::Sub { template, vars } if vars.is_empty() => single(s, "Fn::Sub", template),
            Expr::Sub { template, vars } => {
                call(s, "Fn::Sub", &[Arg::Str(template), Arg::Map(vars, rewrite)])
            }
            Expr::Join { delimiter, items } => {
                call(s, "Fn::Join", &[Arg::Str(delimiter), e(items)])
            }
            Expr::Select { index, list } => call(s, "Fn::Select", &[e(index), e(list)]),
            Expr::Split { delimiter, source } => {
                call(s, "Fn::Split", &[Arg::Str(delimiter), e(source)])
            }
            Expr::GetAzs(region) => single(s, "Fn::GetAZs", &this.at(region)),
            Expr::Cidr {
                block,
                count,
                cidr_bits,
            } => call(s, "Fn::Cidr", &[e(block), e(count), e(cidr_bits)]),
            Expr::If {
                condition,
                then,
                otherwise,
            } => call(s, "Fn::If", &[Arg::Str(condition), e(then), e(otherwise)]),
            Expr::Equals(a, b) => call(s, "Fn::Equals", &[e(a), e(b)]),
            Expr::Not(c) => call(s, "Fn::Not", &[e(c)]),
            Expr::And(items) => single(s, "Fn::And", &List(items, rewrite)),
            Expr::Or(items) => single(s, "Fn::Or", &List(items, rewrite)),
            Expr::Condition(name) => single(s, "Condition", name),
            Expr::ImportValue(v) => single(s, "Fn::ImportValue", &this.at(v)),
            Expr::Base64(v) => single(s, "Fn::Base64", &this.at(v)),
            Expr::FindInMap {
                map,
                top_key,
                second_key,
            } => call(
                s,
                "Fn::FindInMap",
                &[Arg::Str(map), e(top_key), e(second_key)],
            ),
        }
    }
}

/// A list of expressions, each written with the rule.
struct List<'a, R>(&'a [Expr], R);

impl<R: Rewrite> Serialize for List<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_list(s, self.0, self.1)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Written::new(self, AsIs).serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(e: &Expr) -> serde_json::Value {
        serde_json::to_value(e).unwrap()
    }

    #[test]
    fn intrinsics_serialize_as_cloudformation_reads_them() {
        let r = Expr::Ref {
            stack: None,
            name: "Vpc".into(),
        };
        assert_eq!(json_of(&r), json!({"Ref": "Vpc"}));
        let g = Expr::GetAtt {
            stack: None,
            logical_id: "Vpc".into(),
            attribute: "CidrBlock".into(),
        };
        assert_eq!(json_of(&g), json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]}));
        let sub = Expr::sub("${AWS::StackName}-x");
        assert_eq!(json_of(&sub), json!({"Fn::Sub": "${AWS::StackName}-x"}));
        let sel = Expr::Select {
            index: Box::new(Expr::Int(0)),
            list: Box::new(Expr::GetAzs(Box::new(Expr::string("")))),
        };
        assert_eq!(
            json_of(&sel),
            json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
        );
        let not = Expr::Not(Box::new(Expr::Condition("IsProd".into())));
        assert_eq!(json_of(&not), json!({"Fn::Not": [{"Condition": "IsProd"}]}));
    }

    #[test]
    fn json_intrinsics_parse_and_serialize_back_unchanged() {
        let cases = [
            json!({"Ref": "Vpc"}),
            json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]}),
            json!({"Fn::Sub": ["${A}", {"A": {"Ref": "AWS::Region"}}]}),
            json!({"Fn::Join": [",", [{"Ref": "A"}, "b"]]}),
            json!({"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]}),
            json!({"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}]}),
            json!({"Fn::FindInMap": ["M", "a", "b"]}),
            json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
            json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]}),
            json!({"Fn::Base64": {"Fn::Sub": "x"}}),
            json!({"Fn::ImportValue": "Export"}),
            json!({"Fn::Split": [",", "a,b"]}),
            json!({"Fn::Equals": ["a", "b"]}),
            json!({"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}),
        ];
        for case in cases {
            let e = Expr::from(case.clone());
            assert!(!matches!(e, Expr::Map(_)), "{case} was not recognised");
            assert_eq!(json_of(&e), case);
        }
        let dotted = Expr::from(json!({"Fn::GetAtt": "Vpc.CidrBlock"}));
        assert_eq!(
            json_of(&dotted),
            json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]})
        );
        // Malformed intrinsics stay maps and serialize unchanged.
        let odd = json!({"Fn::Join": "x"});
        assert!(matches!(Expr::from(odd.clone()), Expr::Map(_)));
        assert_eq!(json_of(&Expr::from(odd.clone())), odd);
    }

    #[test]
    fn map_nodes_rewrites_children_before_parents() {
        let e = Expr::List(vec![Expr::Ref {
            stack: Some("Other".into()),
            name: "Vpc".into(),
        }]);
        let out = e.map_nodes(&mut |n| match &n {
            Expr::Ref {
                stack: Some(_),
                name,
            } => Expr::ImportValue(Box::new(Expr::String(name.clone()))),
            _ => n,
        });
        assert_eq!(json_of(&out), json!([{"Fn::ImportValue": "Vpc"}]));
    }

    #[test]
    fn map_nodes_visits_children_in_document_order() {
        let s = Expr::string;
        let e = Expr::If {
            condition: "C".into(),
            then: Box::new(Expr::Select {
                index: Box::new(Expr::Int(0)),
                list: Box::new(Expr::List(vec![s("a"), s("b")])),
            }),
            otherwise: Box::new(Expr::Cidr {
                block: Box::new(s("c")),
                count: Box::new(Expr::Int(1)),
                cidr_bits: Box::new(Expr::Int(2)),
            }),
        };
        let before = json_of(&e);
        let mut seen = Vec::new();
        let out = e.map_nodes(&mut |n| {
            if !n.has_children() {
                seen.push(json_of(&n));
            }
            n
        });
        assert_eq!(
            seen,
            [
                json!(0),
                json!("a"),
                json!("b"),
                json!("c"),
                json!(1),
                json!(2)
            ]
        );
        assert_eq!(json_of(&out), before);
    }

    /// An expression `levels` deep, nesting each kind of node in turn.
    fn deep(levels: usize) -> Expr {
        let mut e = Expr::string("x");
        for i in 0..levels {
            let b = |e: Expr| Box::new(e);
            e = match i % 8 {
                0 => Expr::List(vec![Expr::Int(1), e]),
                1 => Expr::map(IndexMap::from([("K".to_owned(), e)])),
                2 => Expr::Join {
                    delimiter: ",".into(),
                    items: b(e),
                },
                3 => Expr::Select {
                    index: b(Expr::Int(0)),
                    list: b(e),
                },
                4 => Expr::If {
                    condition: "C".into(),
                    then: b(Expr::Null),
                    otherwise: b(e),
                },
                5 => Expr::Sub {
                    template: "${V}".into(),
                    vars: Box::new(IndexMap::from([("V".to_owned(), e)])),
                },
                6 => Expr::Equals(b(e), b(Expr::Bool(true))),
                _ => Expr::Cidr {
                    block: b(Expr::Int(0)),
                    count: b(e),
                    cidr_bits: b(Expr::Int(8)),
                },
            };
        }
        e
    }

    #[test]
    fn walk_visits_parents_first_in_document_order_at_any_depth() {
        let e = Expr::Select {
            index: Box::new(Expr::Int(0)),
            list: Box::new(Expr::List(vec![
                Expr::string("a"),
                Expr::Not(Box::new(Expr::Condition("C".into()))),
            ])),
        };
        let mut seen = Vec::new();
        e.walk(&mut |n| seen.push(json_of(n)));
        assert_eq!(
            seen,
            [
                json_of(&e),
                json!(0),
                json!(["a", {"Fn::Not": [{"Condition": "C"}]}]),
                json!("a"),
                json!({"Fn::Not": [{"Condition": "C"}]}),
                json!({"Condition": "C"}),
            ]
        );
        let mut count = 0;
        deep(100_000).walk(&mut |_| count += 1);
        // Every eight levels add 14 nodes (the leaves beside the chain included).
        assert_eq!(count, 1 + 100_000 / 8 * 14);
    }

    /// How many arrays and objects nest in `v` at most.
    fn json_depth(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
            serde_json::Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// A rule for the tests: writes a reference to stack `Other` as an import, and the
    /// condition `Deep` as a list in a list.
    #[derive(Clone, Copy)]
    struct Toy;

    impl Rewrite for Toy {
        fn rewrite(self, node: &Expr) -> Option<Expr> {
            match node {
                Expr::Ref {
                    stack: Some(owner),
                    name,
                } if **owner == *"Other" => {
                    Some(Expr::ImportValue(Box::new(Expr::string(name.as_str()))))
                }
                Expr::GetAtt {
                    stack: Some(owner), ..
                } if **owner == *"Other" => Some(Expr::ImportValue(Box::new(Expr::string("x")))),
                Expr::Condition(name) if name == "Deep" => {
                    Some(Expr::List(vec![Expr::List(vec![Expr::string("d")])]))
                }
                _ => None,
            }
        }
    }

    #[test]
    fn nesting_is_the_depth_of_the_json_written() {
        let b = |e: Expr| Box::new(e);
        let s = Expr::string;
        let foreign_att = Expr::GetAtt {
            stack: Some("Other".into()),
            logical_id: "Db".into(),
            attribute: "Endpoint.Address".into(),
        };
        let foreign_ref = Expr::Ref {
            stack: Some("Other".into()),
            name: "Vpc".into(),
        };
        let sub_with = |v: Expr| Expr::Sub {
            template: "${V}".into(),
            vars: Box::new(IndexMap::from([("V".to_owned(), v)])),
        };
        let mut cases = vec![
            Expr::Null,
            s("x"),
            Expr::List(vec![]),
            Expr::map(IndexMap::new()),
            Expr::ref_to("A"),
            Expr::get_att("A", "Arn"),
            foreign_att.clone(),
            foreign_ref.clone(),
            Expr::List(vec![foreign_att.clone(), Expr::get_att("A", "Arn")]),
            Expr::sub("x"),
            sub_with(s("x")),
            sub_with(foreign_att.clone()),
            Expr::GetAzs(b(s(""))),
            Expr::ImportValue(b(sub_with(Expr::ref_to("A")))),
            Expr::Base64(b(Expr::sub("x"))),
            Expr::Not(b(Expr::Condition("C".into()))),
            Expr::And(vec![]),
            Expr::Or(vec![Expr::Condition("C".into()), foreign_ref]),
            Expr::Not(b(Expr::Condition("Deep".into()))),
            Expr::Split {
                delimiter: ",".into(),
                source: b(foreign_att),
            },
            Expr::FindInMap {
                map: "M".into(),
                top_key: b(Expr::ref_to("AWS::Region")),
                second_key: b(s("k")),
            },
        ];
        cases.extend((1..40).map(deep));
        for e in &cases {
            let plain = serde_json::to_value(e).unwrap();
            let nesting = e.walk_nesting(AsIs, &mut Vec::new(), &mut |_| {});
            assert_eq!(nesting, json_depth(&plain), "{plain}");
            let written = serde_json::to_value(Written::new(e, Toy)).unwrap();
            let nesting = e.walk_nesting(Toy, &mut Vec::new(), &mut |_| {});
            assert_eq!(nesting, json_depth(&written), "{written}");
        }
    }

    #[test]
    fn clone_copies_every_kind_of_node_at_any_depth() {
        let b = |e: Expr| Box::new(e);
        let s = Expr::string;
        let mut cases = vec![
            Expr::Null,
            Expr::Bool(true),
            Expr::Float(1.5),
            Expr::Ref {
                stack: Some("Other".into()),
                name: "Vpc".into(),
            },
            Expr::get_att("A", "Arn"),
            Expr::sub("x"),
            Expr::Split {
                delimiter: ",".into(),
                source: b(s("a,b")),
            },
            Expr::GetAzs(b(s(""))),
            Expr::ImportValue(b(s("x"))),
            Expr::Not(b(Expr::Condition("C".into()))),
            Expr::And(vec![
                Expr::Condition("C".into()),
                Expr::Condition("D".into()),
            ]),
            Expr::Or(vec![Expr::Condition("C".into())]),
            Expr::FindInMap {
                map: "M".into(),
                top_key: b(Expr::ref_to("AWS::Region")),
                second_key: b(Expr::List(vec![s("k")])),
            },
            Expr::List(vec![
                s("a"),
                Expr::map(IndexMap::from([("K".into(), s("v"))])),
            ]),
        ];
        cases.extend((1..40).map(deep));
        for e in &cases {
            assert_eq!(&e.clone(), e);
        }
        // Too deep to compare with the recursive `PartialEq`: compare node by node.
        let shape = |e: &Expr| {
            let mut nodes = Vec::new();
            e.walk(&mut |n| {
                nodes.push(match n.has_children() {
                    true => format!("{:?}", std::mem::discriminant(n)),
                    false => format!("{n:?}"),
                })
            });
            nodes
        };
        let original = deep(100_000);
        assert_eq!(shape(&original.clone()), shape(&original));
    }

    #[test]
    fn json_nested_20_000_deep_converts_without_overflowing_the_stack() {
        use serde_json::Value as J;
        // Built and handed over without recursion; the conversion consumes it.
        let mut deep = J::String("x".into());
        for i in 0..20_000 {
            deep = match i % 3 {
                0 => J::Array(vec![deep, J::Null]),
                1 => J::Object(serde_json::Map::from_iter([(
                    "Fn::Base64".to_owned(),
                    deep,
                )])),
                _ => J::Object(serde_json::Map::from_iter([("k".to_owned(), deep)])),
            };
        }
        // A small stack: the recursive conversion would need megabytes.
        let converted = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let e = Expr::from(deep);
                let mut pending = Vec::new();
                let nesting = e.walk_nesting(AsIs, &mut pending, &mut |_| {});
                (nesting, matches!(&e, Expr::Map(_)))
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(converted, (20_000, true));

        // Up to the template's limit, intrinsics are still recognised.
        let shallow = serde_json::json!({"a": [{"Ref": "Vpc"}]});
        assert_eq!(
            Expr::from(shallow),
            Expr::map(IndexMap::from([(
                "a".to_owned(),
                Expr::List(vec![Expr::Ref {
                    stack: None,
                    name: "Vpc".into()
                }])
            )]))
        );
        let mut at_limit = serde_json::json!("x");
        for _ in 0..MAX_TEMPLATE_DEPTH {
            at_limit = serde_json::json!([at_limit]);
        }
        assert!(!nests_deeper_than(&at_limit, MAX_TEMPLATE_DEPTH));
        assert!(nests_deeper_than(
            &serde_json::json!([at_limit]),
            MAX_TEMPLATE_DEPTH
        ));
    }

    #[test]
    fn dropping_a_deep_expression_does_not_overflow_the_stack() {
        drop(deep(100_000));
        // A wide tree of deep branches, dropped through a list and a map.
        let mut e = Expr::List((0..4).map(|_| deep(25_000)).collect());
        e = Expr::map(IndexMap::from([
            ("A".to_owned(), e),
            ("B".to_owned(), deep(1_000)),
        ]));
        drop(e);
    }
}
