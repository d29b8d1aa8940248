//! Policy documents: a version and statements, as CloudFormation takes them.

use indexmap::IndexMap;
use serde::{Serialize, Serializer};

use super::choice::StatementChoice;
use super::merge;
use super::size;
use super::statement::Statement;
use crate::model::expr::Expr;
use crate::model::value::{kinds::Json, Value};

/// The policy language version every document is written with.
pub const POLICY_VERSION: &str = "2012-10-17";

/// A policy document: `{"Version": "2012-10-17", "Statement": [...]}`.
///
/// Statements keep the order they were added in (merging keeps the first of each merged group
/// in place), so the output is the same on every run. [`StatementChoice`]s, which
/// CloudFormation resolves at deploy time, follow the statements, in the order added; merging
/// leaves them alone. The document converts into a
/// `Value<Json>`, which is what the generated `PolicyDocument` and `AssumeRolePolicyDocument`
/// properties take.
///
/// ```
/// use constructs::iam::{Action, PolicyDocument, Statement};
/// use constructs::{kinds::Json, Value};
///
/// let doc = PolicyDocument::new()
///     .statement(Statement::allow(Action::new("sqs:SendMessage").unwrap()).resource("arn:aws:sqs:us-east-1:1:a"))
///     .statement(Statement::allow(Action::new("sqs:SendMessage").unwrap()).resource("arn:aws:sqs:us-east-1:1:b"))
///     .merged();
/// assert_eq!(doc.statements().len(), 1);
/// assert_eq!(
///     doc.to_json(),
///     serde_json::json!({
///         "Version": "2012-10-17",
///         "Statement": [{
///             "Effect": "Allow",
///             "Action": ["sqs:SendMessage"],
///             "Resource": ["arn:aws:sqs:us-east-1:1:a", "arn:aws:sqs:us-east-1:1:b"]
///         }]
///     })
/// );
/// let property: Value<Json> = doc.into();
/// # let _ = property;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    statements: Vec<Statement>,
    choices: Vec<StatementChoice>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Adds a statement in place.
    pub fn push(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    /// Adds a statement CloudFormation picks by a condition of the stack, written after the
    /// plain statements; see [`StatementChoice`].
    pub fn choice(mut self, choice: StatementChoice) -> Self {
        self.choices.push(choice);
        self
    }

    /// Adds a [`StatementChoice`] in place.
    pub fn push_choice(&mut self, choice: StatementChoice) {
        self.choices.push(choice);
    }

    /// The plain statements, in order (the [`choices`](Self::choices) are apart).
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The statements chosen at deploy time, in order.
    pub fn choices(&self) -> &[StatementChoice] {
        &self.choices
    }

    /// The plain statements and the choices, taken out of the document.
    pub(super) fn into_parts(self) -> (Vec<Statement>, Vec<StatementChoice>) {
        (self.statements, self.choices)
    }

    /// Whether there are no statements (IAM rejects an empty document).
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty() && self.choices.is_empty()
    }

    /// The document with statements merged where that changes nothing IAM decides.
    ///
    /// Two statements merge when they have the same effect and conditions, neither has a
    /// `Sid`, and they agree on two of actions, resources and principal: the merged statement
    /// has the union of the third (sorted, without duplicates). Lists written as `NotAction` or
    /// `NotResource` are never widened, and `*` principals are never combined. Merging repeats
    /// until no pair is left; each merged statement stays where the first of its group was.
    pub fn merged(self) -> Self {
        Self {
            statements: merge::merge(self.statements),
            choices: self.choices,
        }
    }

    /// The size IAM will count once CloudFormation has resolved the document: characters other
    /// than whitespace.
    ///
    /// Literal text is counted exactly. An intrinsic function is counted as the length of the
    /// string it resolves to, estimated from above: `AWS::Partition` 10, `AWS::Region` 14,
    /// `AWS::AccountId` 12, `AWS::URLSuffix` 16, `AWS::StackName` 128, `AWS::StackId` 230, and
    /// any other reference or attribute [`ESTIMATED_REFERENCE_CHARS`](super::ESTIMATED_REFERENCE_CHARS);
    /// `Fn::Sub` and `Fn::Join` add up their parts, `Fn::If` takes the larger branch.
    pub fn size(&self) -> usize {
        size::estimated_size(&self.to_expr())
    }

    /// The document as a template expression.
    pub fn to_expr(&self) -> Expr {
        let mut map = IndexMap::new();
        map.insert("Version".to_owned(), Expr::string(POLICY_VERSION));
        let statements = (self.statements.iter().map(Statement::to_expr))
            .chain(self.choices.iter().map(StatementChoice::to_expr))
            .collect();
        map.insert("Statement".to_owned(), Expr::List(statements));
        Expr::map(map)
    }

    /// The document as JSON, intrinsic functions included as CloudFormation reads them.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.to_expr()).unwrap_or_default()
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_expr().serialize(s)
    }
}

impl From<PolicyDocument> for Value<Json> {
    fn from(doc: PolicyDocument) -> Self {
        Value::unchecked(doc.to_expr())
    }
}

impl From<&PolicyDocument> for Value<Json> {
    fn from(doc: &PolicyDocument) -> Self {
        Value::unchecked(doc.to_expr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Action, Principal};
    use serde_json::json;

    #[test]
    fn trust_policy_shape() {
        let doc = PolicyDocument::new().statement(
            Statement::allow(Action::new("sts:AssumeRole").unwrap())
                .principal(Principal::service("lambda.amazonaws.com").unwrap()),
        );
        assert_eq!(
            doc.to_json(),
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": ["lambda.amazonaws.com"]},
                    "Action": ["sts:AssumeRole"]
                }]
            })
        );
        let value: Value<Json> = doc.clone().into();
        assert_eq!(value.expr(), &doc.to_expr());
        assert_eq!(serde_json::to_value(&doc).unwrap(), doc.to_json());
    }

    #[test]
    fn choices_follow_the_statements_and_survive_merging_and_splitting() {
        use crate::iam::StatementChoice;
        use crate::model::template::ConditionRef;

        let put = |arn: &str| {
            Statement::allow(Action::new("s3:PutObject").unwrap()).resource(arn.to_owned())
        };
        let choice = StatementChoice::new(
            &ConditionRef::new("InOldRegion"),
            put("arn:aws:s3:::a/*").principal(Principal::aws("111111111111")),
            put("arn:aws:s3:::a/*").principal(Principal::aws("222222222222")),
        );
        let doc = PolicyDocument::new()
            .choice(choice.clone())
            .statement(put("arn:aws:s3:::b/*"))
            .statement(put("arn:aws:s3:::c/*"));
        assert!(!PolicyDocument::new().choice(choice.clone()).is_empty());
        let json = doc.clone().merged().to_json();
        let statements = json["Statement"].as_array().unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(statements[1]["Fn::If"][0], "InOldRegion");
        assert_eq!(
            statements[1]["Fn::If"][2]["Principal"],
            json!({"AWS": ["222222222222"]})
        );
        let laid_out = doc.split_for_role().unwrap();
        assert_eq!(laid_out.inline.choices(), [choice]);
        assert_eq!(laid_out.inline.statements().len(), 1);
    }

    #[test]
    fn empty_document() {
        let doc = PolicyDocument::new();
        assert!(doc.is_empty());
        assert_eq!(
            doc.to_json(),
            json!({"Version": "2012-10-17", "Statement": []})
        );
    }
}
