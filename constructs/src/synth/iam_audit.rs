//! The IAM audit of one stack's template as synth renders it: [`check_template`] on every
//! policy (roles, `AWS::IAM::Policy` and `ManagedPolicy`, queue, topic, bucket and key
//! policies, Lambda permissions — written by a construct or added as L1), its findings
//! reported as coded errors at the construct path of the resource holding the policy, and the
//! `--explain-iam` report derived from the same policies.
//!
//! The checker reads JSON. Rather than render and re-parse the whole template, only the
//! resources that hold a policy are turned into JSON, with every other resource reduced to its
//! `Type` (what the checker needs to tell the ARN type of a `Fn::GetAtt`); the cost is
//! measured in `BENCHMARKS.md`.

use serde_json::{Map, Value as Json};

use crate::app::Stack;
use crate::diagnostics::{Code, Diagnostic};
use crate::iam::{check_template, describe, GrantExplanation, PolicyExplanation};
use crate::model::expr::Expr;

use super::view::TemplateView;

/// The resource types that hold a policy, each listed once by `--explain-iam`.
pub(crate) const POLICY_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Key",
    "AWS::Lambda::Permission",
];

/// Types whose properties the checker reads besides the policies (an event bus's name is in
/// its ARN).
const READ_TYPES: &[&str] = &["AWS::Events::EventBus"];

/// The template's resources as the checker reads them: policies in full, others by type.
fn resources_json(view: &TemplateView<'_>) -> Map<String, Json> {
    let mut resources = Map::new();
    for r in &view.resources {
        let mut entry = Map::new();
        entry.insert("Type".into(), Json::String(r.type_name.to_owned()));
        if POLICY_TYPES.contains(&r.type_name) || READ_TYPES.contains(&r.type_name) {
            let to_json = |e: &Expr| serde_json::to_value(view.expr(e)).unwrap_or(Json::Null);
            if !r.metadata.is_empty() {
                let metadata = r.metadata.iter().map(|(k, v)| (k.clone(), to_json(v)));
                entry.insert("Metadata".into(), Json::Object(metadata.collect()));
            }
            let properties = r.properties.iter().map(|(k, v)| (k.clone(), to_json(v)));
            entry.insert("Properties".into(), Json::Object(properties.collect()));
        }
        resources.insert(r.id.to_owned(), Json::Object(entry));
    }
    resources
}

/// Runs the IAM checker on every policy of the stack's template; each finding is an error
/// at the construct path of the resource holding the policy.
pub(crate) fn check_iam(stack: &Stack, view: &TemplateView<'_>) -> Vec<Diagnostic> {
    if !view
        .resources
        .iter()
        .any(|r| POLICY_TYPES.contains(&r.type_name))
    {
        return Vec::new();
    }
    let template = Json::Object(Map::from_iter([(
        "Resources".to_owned(),
        Json::Object(resources_json(view)),
    )]));
    check_template(&template)
        .into_iter()
        .map(|finding| {
            let path = view
                .resources
                .iter()
                .find(|r| r.id == finding.logical_id)
                .and_then(|r| r.path)
                .map_or_else(
                    || format!("{}/{}", stack.name(), finding.logical_id),
                    str::to_owned,
                );
            let mut place = finding.location.clone();
            if let Some(i) = finding.statement {
                place.push_str(&format!(" statement {i}"));
            }
            let message = if place.is_empty() {
                finding.message
            } else {
                format!("{place}: {}", finding.message)
            };
            Diagnostic::error(finding.code, path, message).with_hint(hint(finding.code))
        })
        .collect()
}

/// Whether `code` is one the IAM checker reports.
pub(crate) fn is_iam_finding(code: Code) -> bool {
    code.as_str().starts_with("iam-")
}

/// What to do about a finding.
fn hint(code: Code) -> &'static str {
    match code {
        Code::DuplicateResourcePolicy => {
            "put every statement in one policy (the queue, topic and bucket blocks collect \
             senders into their one policy)"
        }
        Code::MissingSourceCondition => {
            "add an `aws:SourceArn` (or `aws:SourceAccount`) condition naming the resource \
             that calls"
        }
        Code::InvalidIamExemption => "give the exemption the statement's Sid, a code and a reason",
        _ => {
            "grant exactly the actions and resources needed (the `iam::presets` do); if this \
             is meant, accept it for the statement with `ResourceOptions::iam_exemption` and \
             the reason"
        }
    }
}

/// The `--explain-iam` report of a stack: one entry per resource holding a policy, in
/// template order, each statement with the grants that asked for it (as the constructs
/// recorded them) or, for a statement no grant explains, the L1 resource it is written in.
pub(crate) fn explain(stack: &Stack) -> Vec<PolicyExplanation> {
    let view = TemplateView::of_stack(stack, &[]);
    explain_view(stack, &view)
}

/// [`explain`] of a view already built.
pub(crate) fn explain_view(stack: &Stack, view: &TemplateView<'_>) -> Vec<PolicyExplanation> {
    let recorded = stack.contents().iam_report;
    let mut out = Vec::new();
    for r in &view.resources {
        if !POLICY_TYPES.contains(&r.type_name) {
            continue;
        }
        let path = r
            .path
            .map_or_else(|| format!("{}/{}", stack.name(), r.id), str::to_owned);
        // A construct's resource policy was recorded statement by statement, each with its
        // principal and the condition it is deployed under: that is the finer explanation.
        let resource_policy = matches!(
            r.type_name,
            "AWS::SQS::QueuePolicy"
                | "AWS::SNS::TopicPolicy"
                | "AWS::S3::BucketPolicy"
                | "AWS::KMS::Key"
        );
        if resource_policy && recorded.iter().any(|e| e.policy == path) {
            out.extend(recorded.iter().filter(|e| e.policy == path).cloned());
            continue;
        }
        // What the constructs recorded for this resource, or for the role it attaches to.
        let owners = owner_paths(view, r.type_name, r.properties, &path);
        let grants_of: Vec<&GrantExplanation> = recorded
            .iter()
            .filter(|e| owners.contains(&e.policy))
            .flat_map(|e| &e.grants)
            .collect();
        let mut principal = principal_of(r.type_name, r.properties);
        if let Some(owner) = recorded.iter().find(|e| e.policy == path) {
            if principal.is_empty() {
                principal = owner.principal.clone();
            }
        }
        let mut grants = Vec::new();
        for (statement_principal, effect, actions, resources) in statements_of(r) {
            if r.type_name != "AWS::IAM::Role" && !statement_principal.is_empty() {
                principal = merge_principal(&principal, &statement_principal);
            }
            let names: Vec<&str> = grants_of
                .iter()
                .filter(|g| {
                    g.actions.iter().any(|a| actions.contains(a))
                        && g.resources.iter().any(|x| resources.contains(x))
                })
                .map(|g| g.grant.as_str())
                .collect();
            let grant = if names.is_empty() {
                format!("{effect} (written in {} {path})", r.type_name)
            } else {
                dedup(names).join("; ")
            };
            grants.push(GrantExplanation {
                grant,
                actions,
                resources,
            });
        }
        if principal.is_empty() {
            principal = "(none)".to_owned();
        }
        out.push(PolicyExplanation {
            policy: path,
            principal,
            grants,
        });
    }
    out
}

fn dedup(mut names: Vec<&str>) -> Vec<&str> {
    let mut seen = Vec::new();
    names.retain(|n| {
        let new = !seen.contains(n);
        seen.push(*n);
        new
    });
    names
}

fn merge_principal(so_far: &str, next: &str) -> String {
    if so_far.is_empty() || so_far == next {
        next.to_owned()
    } else if so_far.split(", ").any(|p| p == next) {
        so_far.to_owned()
    } else {
        format!("{so_far}, {next}")
    }
}

/// The construct paths whose recorded grants may explain a policy: its own, and for a policy
/// attached to roles, those roles'.
fn owner_paths(
    view: &TemplateView<'_>,
    type_name: &str,
    properties: &indexmap::IndexMap<String, Expr>,
    path: &str,
) -> Vec<String> {
    let mut paths = vec![path.to_owned()];
    if matches!(type_name, "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy") {
        if let Some(Expr::List(roles)) = properties.get("Roles") {
            for role in roles {
                if let Expr::Ref { name, .. } = role {
                    if let Some(p) = view
                        .resources
                        .iter()
                        .find(|r| r.id == name)
                        .and_then(|r| r.path)
                    {
                        paths.push(p.to_owned());
                    }
                }
            }
        }
    }
    paths
}

/// Who a resource's policy is for, when the resource says it: the service assuming a role,
/// the roles an identity policy is attached to, the principal of a Lambda permission.
fn principal_of(type_name: &str, properties: &indexmap::IndexMap<String, Expr>) -> String {
    match type_name {
        "AWS::IAM::Role" => properties
            .get("AssumeRolePolicyDocument")
            .map(|doc| {
                let mut who = Vec::new();
                for s in list(field(doc, "Statement")) {
                    if let Some(p) = field(s, "Principal") {
                        who.push(principal_text(p));
                    }
                }
                who.join(", ")
            })
            .unwrap_or_default(),
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            let roles: Vec<String> = list(properties.get("Roles"))
                .into_iter()
                .map(describe)
                .collect();
            if roles.is_empty() {
                String::new()
            } else {
                format!("role {}", roles.join(", "))
            }
        }
        "AWS::Lambda::Permission" => properties
            .get("Principal")
            .map(describe)
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A principal, short: its services, accounts or roles.
fn principal_text(principal: &Expr) -> String {
    match principal {
        Expr::Map(kinds) => kinds
            .values()
            .flat_map(|v| list(Some(v)))
            .map(describe)
            .collect::<Vec<_>>()
            .join(", "),
        other => describe(other),
    }
}

/// Each statement of a resource's policies: principal, effect, actions and resources.
fn statements_of(
    r: &super::view::ResourceView<'_>,
) -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let p = r.properties;
    let documents: Vec<&Expr> = match r.type_name {
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => list(p.get("Policies"))
            .into_iter()
            .filter_map(|policy| field(policy, "PolicyDocument"))
            .collect(),
        "AWS::KMS::Key" => p.get("KeyPolicy").into_iter().collect(),
        "AWS::Lambda::Permission" => {
            let action = p.get("Action").map(describe).unwrap_or_default();
            let function = p.get("FunctionName").map(describe).unwrap_or_default();
            let principal = p.get("Principal").map(describe).unwrap_or_default();
            return vec![(
                principal,
                format!("Allow {action}"),
                vec![action],
                vec![function],
            )];
        }
        _ => p.get("PolicyDocument").into_iter().collect(),
    };
    let mut out = Vec::new();
    for document in documents {
        for statement in list(field(document, "Statement")) {
            // A statement chosen at deploy time: both branches may be deployed.
            let branches = match statement {
                Expr::If {
                    then, otherwise, ..
                } => vec![&**then, &**otherwise],
                other => vec![other],
            };
            for s in branches {
                let effect = field(s, "Effect").map(describe).unwrap_or_default();
                let actions: Vec<String> = list(field(s, "Action").or(field(s, "NotAction")))
                    .into_iter()
                    .map(describe)
                    .collect();
                if actions.is_empty() {
                    continue;
                }
                let resources: Vec<String> = list(field(s, "Resource").or(field(s, "NotResource")))
                    .into_iter()
                    .map(describe)
                    .collect();
                let principal = field(s, "Principal")
                    .map(principal_text)
                    .unwrap_or_default();
                let effect = format!("{effect} {}", actions.join(", "));
                out.push((principal, effect, actions, resources));
            }
        }
    }
    out
}

/// A field of a map expression.
fn field<'e>(expr: &'e Expr, key: &str) -> Option<&'e Expr> {
    match expr {
        Expr::Map(map) => map.get(key),
        _ => None,
    }
}

/// The items of a list expression, or the one value.
fn list(expr: Option<&Expr>) -> Vec<&Expr> {
    match expr {
        None => Vec::new(),
        Some(Expr::List(items)) => items.iter().collect(),
        Some(one) => vec![one],
    }
}
