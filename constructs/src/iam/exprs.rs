//! Internal helpers for the lists of expressions a policy holds (not public).

use crate::model::expr::Expr;

/// The sort key of an expression: its JSON text, so literals and intrinsics order the same way
/// on every run.
pub(crate) fn sort_key(expr: &Expr) -> String {
    serde_json::to_string(expr).unwrap_or_default()
}

/// Sorts by [`sort_key`] and removes duplicates. Two references that print alike but point into
/// different stacks are kept apart: synth turns one of them into an import.
pub(crate) fn sort_dedup(exprs: &mut Vec<Expr>) {
    let mut keyed: Vec<(String, Expr)> = exprs.drain(..).map(|e| (sort_key(&e), e)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    exprs.extend(keyed.into_iter().map(|(_, e)| e));
}

/// `[a, b, …]`: policies write every list as an array, even of one item.
pub(crate) fn list(exprs: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::List(exprs.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_dedups_by_json() {
        let mut v = vec![
            Expr::string("b"),
            Expr::GetAtt {
                stack: None,
                logical_id: "T".into(),
                attribute: "Arn".into(),
            },
            Expr::string("a"),
            Expr::string("b"),
        ];
        sort_dedup(&mut v);
        let json: Vec<String> = v.iter().map(sort_key).collect();
        assert_eq!(json, ["\"a\"", "\"b\"", r#"{"Fn::GetAtt":["T","Arn"]}"#]);
    }
}
