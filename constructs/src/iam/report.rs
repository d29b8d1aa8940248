//! The IAM audit report: for each role and resource policy, which actions on which resources,
//! and which grant asked for them — readable without opening the JSON.

use std::fmt;

use crate::model::expr::Expr;

use super::choice::StatementChoice;
use super::grant::Grant;
use super::principal::PrincipalKind;
use super::statement::Statement;

/// One role or resource policy of a stack, explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyExplanation {
    /// The construct path of the role or of the resource whose policy this is.
    pub policy: String,
    /// Who is granted: the service that assumes the role, or the principal of a resource policy.
    pub principal: String,
    /// What was granted, grant by grant, in the order asked.
    pub grants: Vec<GrantExplanation>,
}

/// One grant of a [`PolicyExplanation`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantExplanation {
    /// The grant's name, such as `dynamodb:read on Orders`.
    pub grant: String,
    /// The actions.
    pub actions: Vec<String>,
    /// The resources, written as in the template (`Orders.Arn`, `${Orders.Arn}/index/*`).
    pub resources: Vec<String>,
}

impl From<&Grant> for GrantExplanation {
    /// The grant as the report shows it: its name, every action and every resource.
    fn from(grant: &Grant) -> Self {
        GrantExplanation {
            grant: grant.name().to_owned(),
            actions: grant
                .statements()
                .iter()
                .flat_map(|s| s.action_list().map(|a| a.as_str().to_owned()))
                .collect(),
            resources: grant
                .statements()
                .iter()
                .flat_map(|s| s.resource_list())
                .map(describe)
                .collect(),
        }
    }
}

impl fmt::Display for PolicyExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} (assumed by / granted to {})",
            self.policy, self.principal
        )?;
        if self.grants.is_empty() {
            writeln!(f, "  (no permissions)")?;
        }
        for grant in &self.grants {
            writeln!(f, "  {}", grant.grant)?;
            writeln!(f, "    actions:   {}", grant.actions.join(", "))?;
            writeln!(f, "    resources: {}", grant.resources.join(", "))?;
        }
        Ok(())
    }
}

/// The statements of a resource policy at `path`, one explanation each: who, which actions on
/// which resources (a statement's conditions are in the template, not repeated here).
pub(crate) fn describe_statements(path: &str, statements: &[Statement]) -> Vec<PolicyExplanation> {
    statements
        .iter()
        .map(|statement| {
            let actions: Vec<String> = statement
                .action_list()
                .map(|a| a.as_str().to_owned())
                .collect();
            let principal = match statement.principals() {
                None => "(none)".to_owned(),
                Some(p) if p.is_any() => "*".to_owned(),
                Some(p) => {
                    let services: Vec<&str> = p.services().collect();
                    let accounts = p.values(PrincipalKind::Aws);
                    if !services.is_empty() {
                        services.join(", ")
                    } else if !accounts.is_empty() {
                        accounts.iter().map(describe).collect::<Vec<_>>().join(", ")
                    } else {
                        describe(&p.to_expr())
                    }
                }
            };
            PolicyExplanation {
                policy: path.to_owned(),
                principal,
                grants: vec![GrantExplanation {
                    grant: format!("{} {}", statement.effect().as_str(), actions.join(", ")),
                    actions,
                    resources: statement.resource_list().iter().map(describe).collect(),
                }],
            }
        })
        .collect()
}

/// The choices of a resource policy at `path`: each branch explained as a statement, its
/// principal followed by the condition under which it is deployed.
pub(crate) fn describe_choices(path: &str, choices: &[StatementChoice]) -> Vec<PolicyExplanation> {
    let mut out = Vec::new();
    for choice in choices {
        for (statement, when) in [
            (choice.then(), format!("where {}", choice.condition())),
            (
                choice.otherwise(),
                format!("where not {}", choice.condition()),
            ),
        ] {
            for mut explanation in describe_statements(path, std::slice::from_ref(statement)) {
                explanation.principal = format!("{} ({when})", explanation.principal);
                out.push(explanation);
            }
        }
    }
    out
}

/// A short, readable form of a resource expression.
pub(crate) fn describe(expr: &Expr) -> String {
    match expr {
        Expr::String(s) => s.clone(),
        // The report is per stack, so the owning stack is left out.
        Expr::Ref { name, .. } => name.clone(),
        Expr::GetAtt {
            logical_id,
            attribute,
            ..
        } => format!("{logical_id}.{attribute}"),
        Expr::Sub { template, vars } => {
            let mut text = template.clone();
            for (name, value) in vars.iter() {
                text = text.replace(
                    &format!("${{{name}}}"),
                    &format!("${{{}}}", describe(value)),
                );
            }
            text
        }
        Expr::ImportValue(name) => format!("import({})", describe(name)),
        Expr::FindInMap {
            map,
            top_key,
            second_key,
        } => format!("{map}[{}].{}", describe(top_key), describe(second_key)),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    #[test]
    fn resources_are_described_as_written() {
        assert_eq!(describe(&Expr::get_att("Orders", "Arn")), "Orders.Arn");
        let mut vars = IndexMap::new();
        vars.insert("T".to_owned(), Expr::get_att("Orders", "Arn"));
        let sub = Expr::Sub {
            template: "${T}/index/*".into(),
            vars: Box::new(vars),
        };
        assert_eq!(describe(&sub), "${Orders.Arn}/index/*");
        let lookup = Expr::FindInMap {
            map: "Accounts".into(),
            top_key: Box::new(Expr::ref_to("AWS::Region")),
            second_key: Box::new(Expr::string("AccountId")),
        };
        assert_eq!(describe(&lookup), "Accounts[AWS::Region].AccountId");
    }

    #[test]
    fn explanations_print_grant_by_grant() {
        let e = PolicyExplanation {
            policy: "App/Api/FunctionRole".into(),
            principal: "lambda.amazonaws.com".into(),
            grants: vec![GrantExplanation {
                grant: "logs:write on Logs".into(),
                actions: vec!["logs:CreateLogStream".into(), "logs:PutLogEvents".into()],
                resources: vec!["Logs.Arn".into()],
            }],
        };
        assert_eq!(
            e.to_string(),
            "App/Api/FunctionRole (assumed by / granted to lambda.amazonaws.com)\n  logs:write on Logs\n    actions:   logs:CreateLogStream, logs:PutLogEvents\n    resources: Logs.Arn\n"
        );
    }
}
