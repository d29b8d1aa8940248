//! References across stacks: the export a stack adds for a value another stack of the app
//! uses, the names synth gives it, and how the using stack's template writes the reference
//! (`Fn::ImportValue` of the export name).
//!
//! The model only records which stack owns the target of a `Ref` or `Fn::GetAtt`; turning
//! that into exports and imports is synth's decision, made here.

use crate::model::expr::{Expr, Rewrite};

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

/// The name synth exports a value of stack `producer` under: `Producer:LogicalId` for a `Ref`,
/// `Producer:LogicalId:Attr-Name` for an attribute (export names allow letters, digits, colons
/// and hyphens, so dots become hyphens).
fn export_name(producer: &str, name: &str, attribute: Option<&str>) -> String {
    match attribute {
        None => format!("{producer}:{name}"),
        Some(attr) => format!("{producer}:{name}:{}", attr.replace('.', "-")),
    }
}

/// A `Ref` or `Fn::GetAtt` whose target another stack owns, as seen from the stack that
/// imports it ([`foreign_ref`]).
pub(crate) struct ForeignRef<'a> {
    /// The stack that owns the target.
    pub owner: &'a str,
    /// The target's logical id.
    pub name: &'a str,
    /// The attribute, for `Fn::GetAtt`.
    pub attribute: Option<&'a str>,
}

impl ForeignRef<'_> {
    /// The export this reference imports.
    pub fn export_name(&self) -> String {
        export_name(self.owner, self.name, self.attribute)
    }
}

/// `node` as a reference that the template of stack `local` imports: a `Ref` or `Fn::GetAtt`
/// whose target another stack owns. `None` for any other node, and for every node when `local`
/// is `None` (an already rendered template).
pub(crate) fn foreign_ref<'e>(node: &'e Expr, local: Option<&str>) -> Option<ForeignRef<'e>> {
    let local = local?;
    let (owner, name, attribute) = match node {
        Expr::Ref {
            stack: Some(owner),
            name,
        } => (owner, name.as_str(), None),
        Expr::GetAtt {
            stack: Some(owner),
            logical_id,
            attribute,
        } => (owner, &**logical_id, Some(&**attribute)),
        _ => return None,
    };
    (**owner != *local).then_some(ForeignRef {
        owner,
        name,
        attribute,
    })
}

/// How the template of stack `.0` writes an expression: a `Ref` or `Fn::GetAtt` of a resource
/// another stack owns is written as `Fn::ImportValue` of the export synth gives it. With `None`,
/// every reference is written as it is (an owned template, already localized).
///
/// Serializing through this rule ([`Written`](crate::model::expr::Written)) is how synth
/// localizes references without rebuilding (or even copying) the trees of an app.
#[derive(Clone, Copy)]
pub(crate) struct InStack<'a>(pub Option<&'a str>);

impl Rewrite for InStack<'_> {
    fn rewrite(self, node: &Expr) -> Option<Expr> {
        let import = foreign_ref(node, self.0)?;
        Some(Expr::ImportValue(Box::new(Expr::String(
            import.export_name(),
        ))))
    }
}

/// A copy of `expr` as the template of `local` holds it (see [`InStack`]).
pub(crate) fn localize(expr: &Expr, local: Option<&str>) -> Expr {
    if local.is_none() {
        return expr.clone();
    }
    let rule = InStack(local);
    expr.clone()
        .map_nodes(&mut |node| rule.rewrite(&node).unwrap_or(node))
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;
    use serde_json::json;

    use super::*;
    use crate::model::expr::Written;

    fn att(stack: &str, logical_id: &str, attribute: &str) -> Expr {
        Expr::GetAtt {
            stack: Some(stack.into()),
            logical_id: logical_id.into(),
            attribute: attribute.into(),
        }
    }

    fn reference(stack: &str, name: &str) -> Expr {
        Expr::Ref {
            stack: Some(stack.into()),
            name: name.into(),
        }
    }

    fn json_depth(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
            serde_json::Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    #[test]
    fn references_to_other_stacks_are_written_as_imports() {
        let e = Expr::List(vec![
            reference("Network", "Vpc"),
            att("Network", "Db", "Endpoint.Address"),
            reference("Here", "Queue"),
            Expr::ref_to("AWS::Region"),
        ]);
        let expected = json!([
            {"Fn::ImportValue": "Network:Vpc"},
            {"Fn::ImportValue": "Network:Db:Endpoint-Address"},
            {"Ref": "Queue"},
            {"Ref": "AWS::Region"},
        ]);
        let written = serde_json::to_value(Written::new(&e, InStack(Some("Here")))).unwrap();
        assert_eq!(written, expected);
        assert_eq!(
            serde_json::to_value(localize(&e, Some("Here"))).unwrap(),
            expected
        );
        // Without a stack, and in the owner's own template, references stay as they are.
        let plain = serde_json::to_value(&e).unwrap();
        assert_eq!(
            serde_json::to_value(Written::new(&e, InStack(None))).unwrap(),
            plain
        );
        assert_eq!(plain[0], json!({"Ref": "Vpc"}));
        let owner = Expr::List(vec![reference("Network", "Vpc")]);
        assert_eq!(
            serde_json::to_value(Written::new(&owner, InStack(Some("Network")))).unwrap(),
            json!([{"Ref": "Vpc"}])
        );
    }

    #[test]
    fn nesting_counts_an_import_as_written() {
        let b = |e: Expr| Box::new(e);
        let foreign = att("Other", "Db", "Endpoint.Address");
        let mut cases = vec![
            foreign.clone(),
            reference("Other", "Vpc"),
            Expr::List(vec![foreign.clone(), Expr::get_att("A", "Arn")]),
            Expr::Sub {
                template: "${V}".into(),
                vars: Box::new(IndexMap::from([("V".to_owned(), foreign.clone())])),
            },
            Expr::Split {
                delimiter: ",".into(),
                source: b(foreign.clone()),
            },
        ];
        let mut nested = foreign;
        for _ in 0..40 {
            nested = Expr::Select {
                index: b(Expr::Int(0)),
                list: b(Expr::List(vec![nested])),
            };
            cases.push(nested.clone());
        }
        for local in [None, Some("Here"), Some("Other")] {
            for e in &cases {
                let written = serde_json::to_value(Written::new(e, InStack(local))).unwrap();
                let nesting = e.walk_nesting(InStack(local), &mut Vec::new(), &mut |_| {});
                assert_eq!(nesting, json_depth(&written), "{written} in {local:?}");
            }
        }
    }
}
