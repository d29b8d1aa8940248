//! Laying a role's statements out in one inline policy and overflow managed policies.

use super::choice::StatementChoice;
use super::error::{PolicyError, PolicyErrorKind};
use super::policy::PolicyDocument;
use super::size::estimated_size;
use super::statement::Statement;
use crate::model::expr::Expr;

/// IAM's limit on the inline policies of one role, in characters without whitespace.
pub const MAX_INLINE_ROLE_POLICY_CHARS: usize = 10_240;
/// IAM's limit on one managed policy, in characters without whitespace.
pub const MAX_MANAGED_POLICY_CHARS: usize = 6_144;
/// The most managed policies a role may have attached (IAM's default quota is 10; it can be
/// raised to 20, which is what the split assumes).
pub const MAX_MANAGED_POLICIES_PER_ROLE: usize = 20;

/// The limits a split works within; [`Default`] is AWS's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleLimits {
    /// The inline policy's budget.
    pub inline_chars: usize,
    /// Each managed policy's budget.
    pub managed_chars: usize,
    /// How many managed policies may be created.
    pub max_managed: usize,
}

impl Default for RoleLimits {
    fn default() -> Self {
        Self {
            inline_chars: MAX_INLINE_ROLE_POLICY_CHARS,
            managed_chars: MAX_MANAGED_POLICY_CHARS,
            max_managed: MAX_MANAGED_POLICIES_PER_ROLE,
        }
    }
}

/// A role's permissions laid out within IAM's limits.
///
/// ```
/// use constructs::iam::{Action, PolicyDocument, Statement};
///
/// let doc = PolicyDocument::new()
///     .statement(Statement::allow(Action::new("sqs:SendMessage").unwrap()).resource("arn:aws:sqs:us-east-1:1:q"));
/// let laid_out = doc.split_for_role().unwrap();
/// assert_eq!(laid_out.inline.statements().len(), 1);
/// assert!(laid_out.managed.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RolePolicies {
    /// The role's one inline policy (empty when there are no statements).
    pub inline: PolicyDocument,
    /// Managed policies for what did not fit inline, each within its budget, in order.
    pub managed: Vec<PolicyDocument>,
}

impl PolicyDocument {
    /// Lays the document out for a role with AWS's limits (see [`RoleLimits`]): merged, then as
    /// much as fits in one inline policy, the rest in managed policies.
    pub fn split_for_role(self) -> Result<RolePolicies, PolicyError> {
        self.split_for_role_with(&RoleLimits::default())
    }

    /// [`split_for_role`](Self::split_for_role) with other limits, for example fewer managed
    /// policies when the role already has some attached.
    pub fn split_for_role_with(self, limits: &RoleLimits) -> Result<RolePolicies, PolicyError> {
        let (statements, choices) = self.merged().into_parts();
        let parts = (statements.into_iter().map(Part::One))
            .chain(choices.into_iter().map(Part::Choice))
            .collect();
        split(parts, limits)
    }
}

/// What a split places: a statement, or a choice of two (counted at its larger branch).
enum Part {
    One(Statement),
    Choice(StatementChoice),
}

impl Part {
    fn to_expr(&self) -> Expr {
        match self {
            Part::One(statement) => statement.to_expr(),
            Part::Choice(choice) => choice.to_expr(),
        }
    }

    fn add_to(self, document: &mut PolicyDocument) {
        match self {
            Part::One(statement) => document.push(statement),
            Part::Choice(choice) => document.push_choice(choice),
        }
    }
}

/// How many statements and choices a document holds.
fn parts_in(document: &PolicyDocument) -> usize {
    document.statements().len() + document.choices().len()
}

/// First fit, in statement order (the choices last): the inline policy first, then each
/// managed policy in turn, then a new one.
fn split(parts: Vec<Part>, limits: &RoleLimits) -> Result<RolePolicies, PolicyError> {
    // Sizes add up: the empty document, plus each statement, plus a comma between two.
    let empty = estimated_size(&PolicyDocument::new().to_expr());
    let fits = |used: usize, count: usize, cost: usize, budget: usize| {
        used + cost + usize::from(count > 0) <= budget
    };
    let mut out = RolePolicies::default();
    let mut inline_used = empty;
    let mut managed_used: Vec<usize> = Vec::new();
    for (index, part) in parts.into_iter().enumerate() {
        let cost = estimated_size(&part.to_expr());
        if fits(
            inline_used,
            parts_in(&out.inline),
            cost,
            limits.inline_chars,
        ) {
            inline_used += cost + usize::from(!out.inline.is_empty());
            part.add_to(&mut out.inline);
            continue;
        }
        if empty + cost > limits.managed_chars {
            return Err(PolicyError::new(
                PolicyErrorKind::StatementTooLarge,
                format!(
                    "statement {index} is about {cost} characters; a managed policy holds at most {}",
                    limits.managed_chars
                ),
            ));
        }
        let slot = (0..out.managed.len()).find(|&i| {
            fits(
                managed_used[i],
                parts_in(&out.managed[i]),
                cost,
                limits.managed_chars,
            )
        });
        match slot {
            Some(i) => {
                managed_used[i] += cost + 1;
                part.add_to(&mut out.managed[i]);
            }
            None => {
                managed_used.push(empty + cost);
                let mut document = PolicyDocument::new();
                part.add_to(&mut document);
                out.managed.push(document);
            }
        }
    }
    if out.managed.len() > limits.max_managed {
        return Err(PolicyError::new(
            PolicyErrorKind::TooManyManagedPolicies,
            format!(
                "the role's statements need {} managed policies besides the inline one; at most {} may be attached",
                out.managed.len(),
                limits.max_managed
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::Action;
    use crate::DomainError;

    /// A statement on its own queue ARN, about 130 characters.
    fn statement(i: usize) -> Statement {
        Statement::allow(Action::new(&format!("sqs:Action{i}")).unwrap()).resource(format!(
            "arn:aws:sqs:us-east-1:123456789012:queue-number-{i:04}-with-a-long-name-{}",
            "x".repeat(20)
        ))
    }

    fn doc(n: usize) -> PolicyDocument {
        (0..n).fold(PolicyDocument::new(), |d, i| d.statement(statement(i)))
    }

    #[test]
    fn sizes_add_up_to_the_document_size() {
        let d = doc(5);
        let empty = PolicyDocument::new().size();
        let parts: usize = d
            .statements()
            .iter()
            .map(|s| estimated_size(&s.to_expr()))
            .sum();
        assert_eq!(d.size(), empty + parts + 4);
    }

    #[test]
    fn small_documents_stay_inline() {
        let out = doc(3).split_for_role().unwrap();
        assert_eq!(out.inline.statements().len(), 3);
        assert!(out.managed.is_empty());
    }

    #[test]
    fn overflow_goes_to_managed_policies_within_budget() {
        let out = doc(150).split_for_role().unwrap();
        assert!(out.inline.size() <= MAX_INLINE_ROLE_POLICY_CHARS);
        assert!(!out.managed.is_empty());
        for m in &out.managed {
            assert!(m.size() <= MAX_MANAGED_POLICY_CHARS, "{}", m.size());
        }
        let total: usize = out.inline.statements().len()
            + out
                .managed
                .iter()
                .map(|m| m.statements().len())
                .sum::<usize>();
        assert_eq!(total, 150);
        // Nearly full: adding the next statement would not have fitted.
        assert!(out.inline.size() + 140 > MAX_INLINE_ROLE_POLICY_CHARS);
    }

    #[test]
    fn too_many_managed_policies_is_an_error_with_a_code() {
        let err = doc(1200).split_for_role().unwrap_err();
        assert_eq!(err.kind(), PolicyErrorKind::TooManyManagedPolicies);
        assert_eq!(err.code(), crate::Code::TooManyManagedPolicies);
        let limits = RoleLimits {
            max_managed: 0,
            ..RoleLimits::default()
        };
        assert_eq!(
            doc(100).split_for_role_with(&limits).unwrap_err().code(),
            crate::Code::TooManyManagedPolicies
        );
    }

    #[test]
    fn a_statement_larger_than_a_managed_policy_is_an_error() {
        let limits = RoleLimits {
            inline_chars: 100,
            managed_chars: 100,
            max_managed: 20,
        };
        assert_eq!(
            doc(1).split_for_role_with(&limits).unwrap_err().code(),
            crate::Code::IamStatementTooLarge
        );
    }
}
