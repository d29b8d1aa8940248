//! Statements chosen at deploy time: one of two, by a condition of the stack.

use super::statement::Statement;
use crate::model::expr::Expr;
use crate::model::template::ConditionRef;

/// One of two statements, picked by CloudFormation when the stack is deployed: `then` where a
/// named condition of the stack holds, `otherwise` where it does not. It is written into the
/// policy's `Statement` list as `{"Fn::If": [condition, then, otherwise]}`.
///
/// For what synth cannot know but the deployed stack does, such as which principal a service
/// uses in the stack's Region when the Region is not pinned. Each branch is a whole statement,
/// so the two may differ in principal and conditions as well as in actions; the IAM checker
/// ([`check_template`](super::check_template)) checks both.
///
/// ```
/// use constructs::iam::{Action, PolicyDocument, Principal, Statement, StatementChoice};
/// use constructs::{fns, Stack};
///
/// let mut stack = Stack::new("Logs");
/// let in_us_east_1 = stack.add_condition("InUsEast1", fns::equals(fns::region(), "us-east-1"));
/// let put = Statement::allow(Action::new("s3:PutObject").unwrap()).resource("arn:aws:s3:::logs/*");
/// let choice = StatementChoice::new(
///     &in_us_east_1,
///     put.clone().principal(Principal::aws("arn:aws:iam::127311923021:root")),
///     put.principal(Principal::service("logdelivery.elasticloadbalancing.amazonaws.com").unwrap()),
/// );
/// let doc = PolicyDocument::new().choice(choice);
/// let json = doc.to_json();
/// assert_eq!(json["Statement"][0]["Fn::If"][0], "InUsEast1");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StatementChoice {
    condition: String,
    then: Statement,
    otherwise: Statement,
}

impl StatementChoice {
    /// `then` where `condition` holds, `otherwise` where it does not.
    pub fn new(condition: &ConditionRef, then: Statement, otherwise: Statement) -> Self {
        Self {
            condition: condition.name().to_owned(),
            then,
            otherwise,
        }
    }

    /// The logical id of the condition.
    pub fn condition(&self) -> &str {
        &self.condition
    }

    /// The statement written where the condition holds.
    pub fn then(&self) -> &Statement {
        &self.then
    }

    /// The statement written where the condition does not hold.
    pub fn otherwise(&self) -> &Statement {
        &self.otherwise
    }

    /// The choice as it is written in a policy's `Statement` list.
    pub fn to_expr(&self) -> Expr {
        Expr::If {
            condition: self.condition.clone(),
            then: Box::new(self.then.to_expr()),
            otherwise: Box::new(self.otherwise.to_expr()),
        }
    }
}
