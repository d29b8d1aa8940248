//! Merging statements that say the same thing in fewer characters (not public; see
//! [`PolicyDocument::merged`](super::PolicyDocument::merged)).

use super::exprs;
use super::statement::{Listing, Statement};

/// Merges pairs until none is left; see `PolicyDocument::merged` for the rule.
///
/// Each statement absorbs every later one it can; when one has changed, the scan starts over,
/// since the changed statement may now merge with an earlier one. Without merges this is one
/// pass over the pairs.
pub(crate) fn merge(mut statements: Vec<Statement>) -> Vec<Statement> {
    let mut i = 0;
    while i < statements.len() {
        let mut changed = false;
        let mut j = i + 1;
        while j < statements.len() {
            match try_merge(&statements[i], &statements[j]) {
                Some(merged) => {
                    statements[i] = merged;
                    statements.remove(j);
                    changed = true;
                }
                None => j += 1,
            }
        }
        i = if changed { 0 } else { i + 1 };
    }
    statements
}

/// The merge of two statements, if they may be merged.
fn try_merge(a: &Statement, b: &Statement) -> Option<Statement> {
    if a.sid.is_some()
        || b.sid.is_some()
        || a.effect != b.effect
        || a.conditions != b.conditions
        || a.action_listing != b.action_listing
        || a.resource_listing != b.resource_listing
    {
        return None;
    }
    let same_actions = a.actions == b.actions;
    let same_resources = a.resources == b.resources;
    let same_principal = a.principal == b.principal;
    match (same_actions, same_resources, same_principal) {
        (true, true, true) => Some(a.clone()),
        (false, true, true) if a.action_listing == Listing::Only => {
            let mut merged = a.clone();
            merged.actions.extend(b.actions.iter().cloned());
            Some(merged)
        }
        (true, false, true)
            if a.resource_listing == Listing::Only
                && !a.resources.is_empty()
                && !b.resources.is_empty() =>
        {
            let mut merged = a.clone();
            merged.resources.extend(b.resources.iter().cloned());
            exprs::sort_dedup(&mut merged.resources);
            Some(merged)
        }
        (true, true, false) => {
            let (pa, pb) = (a.principal.as_ref()?, b.principal.as_ref()?);
            if pa.is_any() || pb.is_any() {
                return None;
            }
            let mut merged = a.clone();
            merged.principal = Some(pa.clone().and(pb.clone()));
            Some(merged)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Action, Condition, ConditionKey, Effect, Principal, Sid};
    use serde_json::json;

    fn allow(action: &str) -> Statement {
        Statement::allow(Action::new(action).unwrap())
    }

    fn json(statements: &[Statement]) -> serde_json::Value {
        serde_json::to_value(
            statements
                .iter()
                .map(Statement::to_expr)
                .collect::<Vec<_>>(),
        )
        .unwrap()
    }

    #[test]
    fn same_resources_union_actions() {
        let out = merge(vec![
            allow("sqs:SendMessage").resource("q"),
            allow("sqs:GetQueueUrl").resource("q"),
        ]);
        assert_eq!(
            json(&out),
            json!([{"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"], "Resource": ["q"]}])
        );
    }

    #[test]
    fn same_actions_union_resources_and_chains_to_a_fixpoint() {
        let out = merge(vec![
            allow("dynamodb:GetItem").resource("t1"),
            allow("sqs:SendMessage").resource("q"),
            allow("dynamodb:GetItem").resource("t2"),
            allow("dynamodb:Query").resource("t1").resource("t2"),
        ]);
        assert_eq!(
            json(&out),
            json!([
                {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": ["t1", "t2"]},
                {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": ["q"]}
            ])
        );
    }

    #[test]
    fn same_actions_and_resources_union_principals() {
        let p = |s: &str| Principal::service(s).unwrap();
        let out = merge(vec![
            allow("sqs:SendMessage")
                .resource("q")
                .principal(p("sns.amazonaws.com")),
            allow("sqs:SendMessage")
                .resource("q")
                .principal(p("events.amazonaws.com")),
        ]);
        assert_eq!(
            json(&out)[0]["Principal"],
            json!({"Service": ["events.amazonaws.com", "sns.amazonaws.com"]})
        );
    }

    #[test]
    fn only_two_of_three_agreeing_merges() {
        let out = merge(vec![
            allow("sqs:SendMessage").resource("a"),
            allow("sqs:GetQueueUrl").resource("b"),
        ]);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn sid_effect_conditions_and_not_lists_block_merging() {
        let cond = Condition::string_equals(ConditionKey::SOURCE_ACCOUNT, "1");
        let cases = [
            (
                allow("sqs:SendMessage")
                    .resource("q")
                    .sid(Sid::new("A").unwrap()),
                allow("sqs:GetQueueUrl").resource("q"),
            ),
            (
                Statement::deny(Action::new("sqs:SendMessage").unwrap()).resource("q"),
                allow("sqs:GetQueueUrl").resource("q"),
            ),
            (
                allow("sqs:SendMessage").resource("q").condition(cond),
                allow("sqs:GetQueueUrl").resource("q"),
            ),
            (
                Statement::new(
                    Effect::Deny,
                    Listing::AllExcept,
                    Action::new("sqs:SendMessage").unwrap(),
                )
                .resource("q"),
                Statement::new(
                    Effect::Deny,
                    Listing::AllExcept,
                    Action::new("sqs:GetQueueUrl").unwrap(),
                )
                .resource("q"),
            ),
            (
                allow("sqs:SendMessage").not_resource("a"),
                allow("sqs:SendMessage").not_resource("b"),
            ),
            (
                allow("sqs:SendMessage")
                    .resource("q")
                    .principal(Principal::any()),
                allow("sqs:SendMessage")
                    .resource("q")
                    .principal(Principal::aws("1")),
            ),
        ];
        for (a, b) in cases {
            assert_eq!(merge(vec![a.clone(), b.clone()]).len(), 2, "{a:?} / {b:?}");
        }
    }

    #[test]
    fn duplicates_collapse() {
        let s = allow("sqs:SendMessage").resource("q");
        assert_eq!(merge(vec![s.clone(), s.clone(), s]).len(), 1);
    }
}
