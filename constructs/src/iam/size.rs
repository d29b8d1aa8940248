//! Policy sizes as IAM counts them: characters, whitespace not counted.

use crate::model::expr::Expr;

/// The length assumed for the resolved value of a resource `Ref` or `Fn::GetAtt` (an ARN, a
/// name, a URL) when estimating a policy's size. Generated physical names are the stack name,
/// the logical id and a 12–13 character suffix; inside an ARN that stays under 128 characters
/// for stack names and logical ids of up to about 30 characters each.
pub const ESTIMATED_REFERENCE_CHARS: usize = 128;

/// The size of a policy document as written: characters of its compact JSON, whitespace not
/// counted. Exact for a document without intrinsic functions; one with intrinsics is measured
/// as the JSON CloudFormation receives, which is usually not what IAM receives (see
/// [`PolicyDocument::size`](super::PolicyDocument::size) for an estimate of that).
///
/// ```
/// use constructs::iam::policy_size;
///
/// let doc = serde_json::json!({"Version": "2012-10-17", "Statement": []});
/// assert_eq!(policy_size(&doc), r#"{"Version":"2012-10-17","Statement":[]}"#.len());
/// ```
pub fn policy_size(document: &serde_json::Value) -> usize {
    let text = serde_json::to_string(document).unwrap_or_default();
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The estimated size once CloudFormation has resolved every intrinsic function.
pub(crate) fn estimated_size(document: &Expr) -> usize {
    let resolved = document.clone().map_nodes(&mut resolve);
    serde_json::to_value(resolved).map_or(0, |v| policy_size(&v))
}

/// Stands in a string of the estimated length for a string-valued intrinsic. Children are
/// already replaced when this sees their parent.
fn resolve(node: Expr) -> Expr {
    let len = match &node {
        Expr::Ref { name, .. } => pseudo_len(name).unwrap_or(ESTIMATED_REFERENCE_CHARS),
        Expr::GetAtt { .. }
        | Expr::ImportValue(_)
        | Expr::FindInMap { .. }
        | Expr::Select { .. } => ESTIMATED_REFERENCE_CHARS,
        Expr::Sub { template, vars } => sub_len(template, |name| match vars.get(name) {
            Some(Expr::String(s)) => s.chars().count(),
            Some(_) => ESTIMATED_REFERENCE_CHARS,
            None => pseudo_len(name).unwrap_or(ESTIMATED_REFERENCE_CHARS),
        }),
        Expr::Join { delimiter, items } => match items.as_ref() {
            Expr::List(items) if items.iter().all(|i| matches!(i, Expr::String(_))) => {
                let parts: usize = items
                    .iter()
                    .filter_map(Expr::as_str)
                    .map(|s| s.chars().count())
                    .sum();
                parts + delimiter.chars().count() * items.len().saturating_sub(1)
            }
            _ => ESTIMATED_REFERENCE_CHARS,
        },
        Expr::If {
            then, otherwise, ..
        } => {
            let size = |e: &Expr| serde_json::to_value(e).map_or(0, |v| policy_size(&v));
            return if size(then) >= size(otherwise) {
                (**then).clone()
            } else {
                (**otherwise).clone()
            };
        }
        Expr::Base64(_) | Expr::Split { .. } | Expr::GetAzs(_) | Expr::Cidr { .. } => {
            ESTIMATED_REFERENCE_CHARS
        }
        _ => return node,
    };
    Expr::String("x".repeat(len))
}

/// Upper bounds for pseudo parameters; `None` for anything else.
fn pseudo_len(name: &str) -> Option<usize> {
    Some(match name {
        "AWS::Partition" => 10,  // aws-us-gov
        "AWS::Region" => 14,     // ap-southeast-2
        "AWS::AccountId" => 12,  // always 12 digits
        "AWS::URLSuffix" => 16,  // amazonaws.com.cn
        "AWS::StackName" => 128, // the longest stack name
        "AWS::StackId" => 230,   // an ARN holding the name and a UUID
        "AWS::NoValue" => 0,     // removes the value
        "AWS::NotificationARNs" => ESTIMATED_REFERENCE_CHARS,
        _ => return None,
    })
}

/// The length of a `Fn::Sub` string with each `${Name}` as long as `var` says; `${!Literal}`
/// stands for `${Literal}`.
fn sub_len(template: &str, var: impl Fn(&str) -> usize) -> usize {
    let mut len = 0;
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        len += rest[..start].chars().count();
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            rest = &rest[start..];
            break;
        };
        let name = &after[..end];
        len += match name.strip_prefix('!') {
            Some(literal) => literal.chars().count() + 3,
            None => var(name),
        };
        rest = &after[end + 1..];
    }
    len + rest.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whitespace_is_not_counted() {
        assert_eq!(policy_size(&json!({"a": "b c"})), r#"{"a":"bc"}"#.len());
    }

    #[test]
    fn intrinsics_count_as_their_estimated_values() {
        let sub =
            Expr::sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Q}-${!x}");
        // "arn:" + 10 + ":sqs:" + 14 + ":" + 12 + ":" + 128 + "-" + "${x}", in quotes.
        assert_eq!(
            estimated_size(&sub),
            4 + 10 + 5 + 14 + 1 + 12 + 1 + 128 + 1 + 4 + 2
        );
        let get_att = Expr::GetAtt {
            stack: None,
            logical_id: "T".into(),
            attribute: "Arn".into(),
        };
        assert_eq!(estimated_size(&get_att), ESTIMATED_REFERENCE_CHARS + 2);
        let join = Expr::Join {
            delimiter: "/".into(),
            items: Box::new(Expr::List(vec![get_att.clone(), Expr::string("*")])),
        };
        assert_eq!(estimated_size(&join), ESTIMATED_REFERENCE_CHARS + 2 + 2);
        let lit = Expr::string("arn:aws:sqs:us-east-1:123456789012:q");
        assert_eq!(estimated_size(&lit), 38);
    }
}
