//! Checking rendered policies against AWS's action data; the rules are documented on
//! [`check_template`].

mod arn;

use std::fmt;

use serde_json::{Map, Value as Json};

use self::arn::ArnReader;
use super::action::Action;
use super::condition::{ConditionKey, ConditionOperator};
use super::data::{ActionData, ActionDef};
use crate::diagnostics::Code;

/// Actions our constructs grant on `Resource: "*"`, with the reason they take no resource.
///
/// The service authorization reference lists no resource type for any of them, so IAM cannot
/// scope them and `*` is the only value that grants them (a test checks this against the data):
///
/// | Action | Why it takes no resource |
/// |---|---|
/// | `ecr:GetAuthorizationToken` | the token is for the account's registry, not a repository |
/// | `xray:PutTraceSegments`, `xray:PutTelemetryRecords` | trace data and telemetry are not resources |
/// | `xray:GetSamplingRules`, `xray:GetSamplingTargets` | sampling rules are read account-wide |
/// | `cloudwatch:PutMetricData` | metrics are not resources; narrow with `cloudwatch:namespace` |
/// | `ec2:DescribeNetworkInterfaces`, `ec2:DescribeSubnets` | EC2 `Describe*` calls are not resource-level (Lambda in a VPC) |
/// | `ssm:DescribeParameters` | lists parameter metadata across the account |
/// | `secretsmanager:GetRandomPassword` | generates a password, touches no secret |
/// | `logs:DescribeLogGroups` | lists log groups across the account |
/// | `sts:GetCallerIdentity` | describes the caller |
/// | `dynamodb:ListStreams` | lists the streams of the account (Lambda reading a table's stream) |
/// | `ssmmessages:CreateControlChannel`, `…CreateDataChannel`, `…OpenControlChannel`, `…OpenDataChannel` | ECS Exec's Session Manager channels are not resources |
pub const RESOURCE_STAR_ACTIONS: &[(&str, &str)] = &[
    (
        "ssmmessages:CreateControlChannel",
        "ECS Exec's Session Manager channels are not resources",
    ),
    (
        "ssmmessages:CreateDataChannel",
        "ECS Exec's Session Manager channels are not resources",
    ),
    (
        "ssmmessages:OpenControlChannel",
        "ECS Exec's Session Manager channels are not resources",
    ),
    (
        "ssmmessages:OpenDataChannel",
        "ECS Exec's Session Manager channels are not resources",
    ),
    (
        "ecr:GetAuthorizationToken",
        "the token is for the account's registry, not a repository",
    ),
    ("xray:PutTraceSegments", "trace data is not a resource"),
    (
        "ec2:DescribeSubnets",
        "describing takes no resource; Lambda reads a VPC function's subnets",
    ),
    ("xray:PutTelemetryRecords", "telemetry is not a resource"),
    (
        "xray:GetSamplingRules",
        "sampling rules are read account-wide",
    ),
    (
        "xray:GetSamplingTargets",
        "sampling targets are read account-wide",
    ),
    (
        "cloudwatch:PutMetricData",
        "metrics are not resources; narrow with the `cloudwatch:namespace` condition key",
    ),
    (
        "ec2:DescribeNetworkInterfaces",
        "EC2 Describe calls are not resource-level (Lambda in a VPC needs it)",
    ),
    (
        "ssm:DescribeParameters",
        "lists parameter metadata across the account",
    ),
    (
        "secretsmanager:GetRandomPassword",
        "generates a password, touches no secret",
    ),
    (
        "logs:DescribeLogGroups",
        "lists log groups across the account",
    ),
    ("sts:GetCallerIdentity", "describes the caller"),
    (
        "dynamodb:ListStreams",
        "lists the streams of the account (Lambda reading a table's stream)",
    ),
];

/// Which rules apply to a policy document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a role, user or group: no `Principal`, `Resource` required.
    Identity,
    /// Attached to a resource (queue, topic, bucket): `Principal` and `Resource` required,
    /// service principals need a source condition.
    Resource,
    /// A role's `AssumeRolePolicyDocument`: only the principal's shape is checked.
    Trust,
    /// A KMS key's `KeyPolicy`: a resource policy whose `Resource: "*"` means the key itself,
    /// and where `kms:*` for the key's own account is the statement AWS writes into every
    /// default key policy, so IAM policies of the account can grant use of the key
    /// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>).
    /// Service principals need no source condition here: AWS documents the key statements
    /// of services that publish to encrypted topics without one.
    KeyPolicy,
}

/// The metadata key under which a resource lists the findings it accepts, statement by
/// statement, each with the reason: `{"IamExemptions": [{"Sid": …, "Code": …, "Reason": …}]}`.
///
/// Written by [`ResourceOptions::iam_exemption`](crate::ResourceOptions::iam_exemption); read
/// by [`check_template`].
pub const EXEMPTIONS_METADATA_KEY: &str = "IamExemptions";

/// One problem in one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What kind of problem.
    pub code: Code,
    /// The logical id of the resource holding the policy (empty for [`check_document`]).
    pub logical_id: String,
    /// Where in the resource's properties: `Policies[0].PolicyDocument`,
    /// `ManagedPolicyArns[1]`, … (empty for [`check_document`]).
    pub location: String,
    /// The index of the statement in the document, when the problem is in one.
    pub statement: Option<usize>,
    /// What is wrong, naming the action, ARN or key.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        let place = match (self.logical_id.is_empty(), self.location.is_empty()) {
            (false, false) => format!("{}.{}", self.logical_id, self.location),
            (false, true) => self.logical_id.clone(),
            (true, false) => self.location.clone(),
            (true, true) => String::new(),
        };
        if !place.is_empty() {
            write!(f, " {place}")?;
        }
        if let Some(i) = self.statement {
            write!(f, " statement {i}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks every policy of a rendered template against the vendored IAM data.
///
/// Reads a template as it is written to disk and checks every policy in it:
///
/// | Where | Kind |
/// |---|---|
/// | `AWS::IAM::Role` `Policies[].PolicyDocument` | identity |
/// | `AWS::IAM::Role` `AssumeRolePolicyDocument` | trust (principal shape only) |
/// | `AWS::IAM::Role`, `User`, `Group` `ManagedPolicyArns` | no AWS managed policy |
/// | `AWS::IAM::User`, `Group` `Policies[].PolicyDocument` | identity |
/// | `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` `PolicyDocument` | identity |
/// | `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`, `AWS::S3::BucketPolicy` `PolicyDocument` | resource |
/// | `AWS::KMS::Key` `KeyPolicy` | key (a resource policy where `*` is the key, see [`PolicyKind::KeyPolicy`]) |
/// | `AWS::Lambda::Permission` | a service `Principal` needs `SourceArn` or `SourceAccount` |
///
/// Synth runs this check on every stack it writes, so every finding below fails synth, with
/// its code, at the construct path of the resource holding the policy.
/// Each [`Finding`] has a stable [`Code`]:
///
/// | Code | When |
/// |---|---|
/// | `iam-malformed-policy` | not a document IAM accepts: no `Version` `2012-10-17`, no `Effect`, both or neither of `Action` and `NotAction`, no `Resource` outside a trust policy |
/// | `iam-unknown-service` | the action's service is not in the vendored data (add it to `constructs/data/iam/SERVICES`) |
/// | `iam-unknown-action` | the action does not exist (or a pattern matches none), compared without case as IAM does |
/// | `iam-wildcard-action` | an `Allow` of `*`, or of a partial pattern such as `s3:Get*` |
/// | `iam-service-wildcard-action` | an `Allow` of `service:*` |
/// | `iam-arn-type-mismatch` | an ARN is not of a resource type the action accepts, or the action takes no resource and is given an ARN |
/// | `iam-wildcard-resource` | an `Allow` pairs `Resource: "*"` with an action that accepts a resource type |
/// | `iam-unknown-condition-operator` | a condition operator IAM does not know |
/// | `iam-unknown-condition-key` | a key that is neither global nor a key of every action in the statement (of the action, or of a resource type it accepts) |
/// | `iam-invalid-principal` | a `Principal` in an identity policy, none in a resource or trust policy, a malformed one, a `*` in a trust policy, or `NotPrincipal` with `Allow` |
/// | `iam-missing-source-condition` | a resource policy `Allow`s a service principal (`*.amazonaws.com`) without an `aws:SourceArn` or `aws:SourceAccount` condition |
/// | `iam-aws-managed-policy` | `ManagedPolicyArns` holds an AWS managed policy (`arn:…:iam::aws:policy/…`) |
/// | `iam-duplicate-resource-policy` | a second `QueuePolicy`, `TopicPolicy` or `BucketPolicy` names a queue, topic or bucket that already has one (the one deployed last replaces the other) |
/// | `iam-invalid-exemption` | an entry of the resource's `IamExemptions` metadata names no `Sid`, no known code, or gives no reason |
///
/// ## Exemptions
///
/// For the rare statement that must be what the check reports (a vendor tool that needs
/// `service:*`), the resource holding the policy lists the finding it accepts in its metadata,
/// [`EXEMPTIONS_METADATA_KEY`]: the statement's `Sid`, the code, and the reason, which stays in
/// the template for reviewers. [`ResourceOptions::iam_exemption`](crate::ResourceOptions::iam_exemption)
/// writes it. Only that code in that statement is accepted.
///
/// `Deny` statements are checked for existence, ARN types and keys, but may use wildcards.
/// Every (action, resource) pair of a statement must fit: an action that does not accept one
/// of the statement's ARNs belongs in another statement.
///
/// ## Matching ARNs
///
/// Each resource is turned into a pattern: IAM's `*` and `?` are wildcards; in `Fn::Sub` and
/// `Fn::Join`, `AWS::Partition`, `AWS::Region` and `AWS::AccountId` stand for one ARN segment
/// and other unknown values for anything; a `Fn::GetAtt` (or a `Ref` that returns an ARN) of a
/// resource in the template whose type is known (`AWS::DynamoDB::Table` `Arn`, `AWS::SQS::Queue`
/// `Arn`, …) stands for an ARN of that resource type. The pattern is compared with the ARN
/// formats of every vendored resource type, first with names that may not span `/` or `:`,
/// then names that may span `/`, then anything; the first level where the ARN fits some type
/// decides what it is, and the action must accept one of the types found there. So
/// `arn:aws:s3:::bucket/*` is an S3 object, not a bucket, and `${Table.Arn}/index/*` is a
/// DynamoDB index, not a table. A resource the checker cannot read at all (a `Ref` to a
/// parameter, an import) fits every type and is not reported. Both branches of an `Fn::If`
/// are checked, in a `Resource` list as in the `Statement` list (a
/// [`StatementChoice`](super::StatementChoice)).
///
/// ## Actions that take `Resource: "*"`
///
/// `*` is allowed only for actions whose service authorization reference lists no resource
/// type: IAM cannot scope them to a resource, so `*` is the only value that grants them. The
/// ones our constructs use, and why they have no resource, are listed in
/// [`RESOURCE_STAR_ACTIONS`].
///
/// ## Example
///
/// ```
/// use constructs::iam::check_template;
/// use constructs::Code;
/// use serde_json::json;
///
/// let template = json!({"Resources": {
///     "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
///     "Role": {"Type": "AWS::IAM::Role", "Properties": {
///         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
///             "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
///             "Action": ["sts:AssumeRole"]}]},
///         "Policies": [{"PolicyName": "Data", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
///             "Effect": "Allow",
///             "Action": ["sqs:SendMessage"],
///             "Resource": [{"Fn::GetAtt": ["Table", "Arn"]}]}]}}]
///     }}
/// }});
/// let findings = check_template(&template);
/// assert_eq!(findings.len(), 1);
/// assert_eq!(findings[0].code, Code::IamArnTypeMismatch);
/// assert_eq!(findings[0].logical_id, "Role");
/// ```
pub fn check_template(template: &Json) -> Vec<Finding> {
    let empty = Map::new();
    let resources = template
        .get("Resources")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let checker = Checker::new(resources);
    let mut findings = Vec::new();
    // The first resource policy of each queue, topic and bucket, by policy type and target.
    let mut policy_owner: std::collections::HashMap<(&str, String), &str> =
        std::collections::HashMap::new();
    for (logical_id, resource) in resources {
        let Some(kind) = resource.get("Type").and_then(Json::as_str) else {
            continue;
        };
        let props = resource
            .get("Properties")
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let exemptions = exemptions_of(resource, logical_id, &mut findings);
        let mut check = |location: String, doc: Option<&Json>, kind: PolicyKind| {
            if let Some(doc) = doc {
                let mut out = Out {
                    findings: &mut findings,
                    logical_id,
                    location: &location,
                    exemptions: &exemptions,
                };
                checker.document(doc, kind, &mut out);
            }
        };
        let inline_policies = |check: &mut dyn FnMut(String, Option<&Json>, PolicyKind)| {
            for (i, policy) in array(props.get("Policies")).iter().enumerate() {
                let location = format!("Policies[{i}].PolicyDocument");
                check(location, policy.get("PolicyDocument"), PolicyKind::Identity);
            }
        };
        match kind {
            "AWS::IAM::Role" => {
                let trust = props.get("AssumeRolePolicyDocument");
                check("AssumeRolePolicyDocument".into(), trust, PolicyKind::Trust);
                inline_policies(&mut check);
            }
            "AWS::IAM::User" | "AWS::IAM::Group" => inline_policies(&mut check),
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let doc = props.get("PolicyDocument");
                check("PolicyDocument".into(), doc, PolicyKind::Identity);
            }
            "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" | "AWS::S3::BucketPolicy" => {
                let doc = props.get("PolicyDocument");
                check("PolicyDocument".into(), doc, PolicyKind::Resource);
            }
            "AWS::KMS::Key" => {
                let doc = props.get("KeyPolicy");
                check("KeyPolicy".into(), doc, PolicyKind::KeyPolicy);
            }
            "AWS::Lambda::Permission" => {
                if let Some(finding) = unsourced_permission(logical_id, props) {
                    findings.push(finding);
                }
            }
            _ => {}
        }
        for (property, target) in policy_targets(kind, props) {
            let key = (kind, target.to_string());
            if let Some(first) = policy_owner.get(&key) {
                findings.push(Finding {
                    code: Code::DuplicateResourcePolicy,
                    logical_id: logical_id.clone(),
                    location: property.to_owned(),
                    statement: None,
                    message: format!(
                        "{} already has a resource policy, `{first}`; a second `{kind}` \
                         replaces the first when deployed",
                        show(target)
                    ),
                });
            } else {
                policy_owner.insert(key, logical_id.as_str());
            }
        }
        if matches!(
            kind,
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group"
        ) {
            for (i, arn) in array(props.get("ManagedPolicyArns")).iter().enumerate() {
                if checker
                    .arns
                    .pattern(arn)
                    .certainly_contains(":iam::aws:policy/")
                {
                    findings.push(Finding {
                        code: Code::AwsManagedPolicy,
                        logical_id: logical_id.clone(),
                        location: format!("ManagedPolicyArns[{i}]"),
                        statement: None,
                        message: format!(
                            "{} is an AWS managed policy; grant exactly what is needed instead",
                            show(arn)
                        ),
                    });
                }
            }
        }
    }
    findings
}

/// Checks one policy document on its own. Without a template, `Fn::GetAtt` and `Ref` of
/// resources cannot be resolved and fit any resource type.
///
/// ```
/// use constructs::iam::{check_document, PolicyKind};
/// use constructs::Code;
/// use serde_json::json;
///
/// let doc = json!({"Version": "2012-10-17", "Statement": [
///     {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::logs/*"}
/// ]});
/// let codes: Vec<_> = check_document(&doc, PolicyKind::Identity).into_iter().map(|f| f.code).collect();
/// assert_eq!(codes, [Code::ServiceWildcardIamAction]);
/// ```
pub fn check_document(document: &Json, kind: PolicyKind) -> Vec<Finding> {
    let empty = Map::new();
    let checker = Checker::new(&empty);
    let mut findings = Vec::new();
    let mut out = Out {
        findings: &mut findings,
        logical_id: "",
        location: "",
        exemptions: &[],
    };
    checker.document(document, kind, &mut out);
    findings
}

/// The `(Sid, code)` pairs a resource's [`EXEMPTIONS_METADATA_KEY`] metadata accepts. An entry
/// without a `Sid`, with an unknown code or an empty reason accepts nothing and is reported
/// (`iam-invalid-exemption`): an exemption must say what it accepts and why.
fn exemptions_of<'t>(
    resource: &'t Json,
    logical_id: &str,
    findings: &mut Vec<Finding>,
) -> Vec<(&'t str, &'t str)> {
    let entries = resource
        .get("Metadata")
        .and_then(|m| m.get(EXEMPTIONS_METADATA_KEY));
    let mut accepted = Vec::new();
    for (i, entry) in array(entries).iter().enumerate() {
        let text = |key: &str| entry.get(key).and_then(Json::as_str).unwrap_or("");
        let (sid, code, reason) = (text("Sid"), text("Code"), text("Reason"));
        let problem = if sid.is_empty() {
            Some("names no statement `Sid`")
        } else if Code::from_name(code).is_none() {
            Some("names no known code")
        } else if reason.trim().is_empty() {
            Some("gives no reason")
        } else {
            None
        };
        match problem {
            None => accepted.push((sid, code)),
            Some(problem) => findings.push(Finding {
                code: Code::InvalidIamExemption,
                logical_id: logical_id.to_owned(),
                location: format!("Metadata.{EXEMPTIONS_METADATA_KEY}[{i}]"),
                statement: None,
                message: format!("the exemption {} {problem}", show(entry)),
            }),
        }
    }
    accepted
}

/// A Lambda permission for a service principal (`Principal: "sns.amazonaws.com"`) without
/// `SourceArn` or `SourceAccount`: any resource of that service, in any account, could invoke.
fn unsourced_permission(logical_id: &str, props: &Map<String, Json>) -> Option<Finding> {
    let principal = props.get("Principal").and_then(Json::as_str)?;
    let service = principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn");
    if !service || props.contains_key("SourceArn") || props.contains_key("SourceAccount") {
        return None;
    }
    Some(Finding {
        code: Code::MissingSourceCondition,
        logical_id: logical_id.to_owned(),
        location: "Principal".to_owned(),
        statement: None,
        message: format!(
            "the permission lets `{principal}` invoke without `SourceArn` or `SourceAccount`, \
             so a resource of any account could use the service to invoke the function"
        ),
    })
}

/// The queues, topics or bucket a resource policy applies to, with the property naming them.
fn policy_targets<'t>(kind: &str, props: &'t Map<String, Json>) -> Vec<(&'static str, &'t Json)> {
    let property = match kind {
        "AWS::SQS::QueuePolicy" => "Queues",
        "AWS::SNS::TopicPolicy" => "Topics",
        "AWS::S3::BucketPolicy" => "Bucket",
        _ => return Vec::new(),
    };
    match props.get(property) {
        Some(Json::Array(items)) => items.iter().map(|t| (property, t)).collect(),
        Some(one) => vec![(property, one)],
        None => Vec::new(),
    }
}

/// The items of a JSON array, or none.
fn array(value: Option<&Json>) -> &[Json] {
    value.and_then(Json::as_array).map_or(&[], Vec::as_slice)
}

/// A JSON value, short, for messages.
fn show(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(160).collect::<String>())
    } else {
        text
    }
}

/// Where findings go, and where they are.
struct Out<'a> {
    findings: &'a mut Vec<Finding>,
    logical_id: &'a str,
    location: &'a str,
    /// The `(Sid, code)` pairs the resource accepts, with a reason.
    exemptions: &'a [(&'a str, &'a str)],
}

impl Out<'_> {
    /// Drops the findings from `before` on that the resource accepts for the statement `sid`.
    fn drop_exempt(&mut self, before: usize, sid: Option<&str>) {
        let Some(sid) = sid else { return };
        let exemptions = self.exemptions;
        let mut i = before;
        while i < self.findings.len() {
            let code = self.findings[i].code.as_str();
            if exemptions.iter().any(|&(s, c)| s == sid && c == code) {
                self.findings.remove(i);
            } else {
                i += 1;
            }
        }
    }

    fn push(&mut self, code: Code, statement: Option<usize>, message: String) {
        self.findings.push(Finding {
            code,
            logical_id: self.logical_id.to_owned(),
            location: self.location.to_owned(),
            statement,
            message,
        });
    }
}

struct Checker<'a> {
    data: &'static ActionData,
    arns: ArnReader<'a>,
}

/// An action of a statement, as far as the data knows it.
enum Known {
    /// One action of the data.
    Exact(&'static ActionDef),
    /// A pattern and the actions it stands for.
    Pattern(Vec<&'static ActionDef>),
    /// `*`, an unknown service or action, an intrinsic, or a `NotAction`: nothing to pair
    /// resources with.
    Opaque,
}

impl<'a> Checker<'a> {
    fn new(resources: &'a Map<String, Json>) -> Self {
        let data = ActionData::vendored();
        Self {
            data,
            arns: ArnReader { data, resources },
        }
    }

    fn document(&self, doc: &Json, kind: PolicyKind, out: &mut Out<'_>) {
        let parsed;
        let doc = match doc {
            // Some templates carry the document as a JSON string.
            Json::String(text) => match serde_json::from_str::<Json>(text) {
                Ok(v) => {
                    parsed = v;
                    &parsed
                }
                Err(e) => {
                    let message = format!("the policy string is not JSON: {e}");
                    out.push(Code::MalformedIamPolicy, None, message);
                    return;
                }
            },
            other => other,
        };
        let Some(doc) = doc.as_object() else {
            // An intrinsic function or a parameter: nothing to check here.
            return;
        };
        match doc.get("Version").and_then(Json::as_str) {
            Some("2012-10-17") => {}
            other => out.push(
                Code::MalformedIamPolicy,
                None,
                format!(
                    "`Version` is {}; write \"2012-10-17\" (older versions ignore policy variables)",
                    other.map_or("missing".to_owned(), |v| format!("{v:?}"))
                ),
            ),
        }
        let statements: Vec<&Json> = match doc.get("Statement") {
            Some(Json::Array(items)) => items.iter().collect(),
            Some(s @ Json::Object(_)) => vec![s],
            _ => {
                let message = "`Statement` is missing".to_owned();
                out.push(Code::MalformedIamPolicy, None, message);
                return;
            }
        };
        for (i, item) in statements.into_iter().enumerate() {
            // A statement chosen at deploy time (`Fn::If`): each branch is a statement that
            // may be deployed, so each is checked, under the index of the choice.
            for statement in alternatives(item) {
                match statement.as_object() {
                    Some(s) => {
                        let before = out.findings.len();
                        self.statement(s, i, kind, out);
                        out.drop_exempt(before, s.get("Sid").and_then(Json::as_str));
                    }
                    None => {
                        let message = "a statement is not an object".to_owned();
                        out.push(Code::MalformedIamPolicy, Some(i), message);
                    }
                }
            }
        }
    }

    fn statement(&self, s: &Map<String, Json>, i: usize, kind: PolicyKind, out: &mut Out<'_>) {
        let at = Some(i);
        let allow = match s.get("Effect").and_then(Json::as_str) {
            Some("Allow") => true,
            Some("Deny") => false,
            _ => {
                let message = "`Effect` must be \"Allow\" or \"Deny\"".to_owned();
                out.push(Code::MalformedIamPolicy, at, message);
                return;
            }
        };
        self.principal(s, i, kind, allow, out);
        if kind == PolicyKind::Trust {
            return;
        }

        let (action_values, not_action) = match (s.get("Action"), s.get("NotAction")) {
            (Some(a), None) => (a, false),
            (None, Some(a)) => (a, true),
            _ => {
                let message =
                    "a statement needs exactly one of `Action` and `NotAction`".to_owned();
                out.push(Code::MalformedIamPolicy, at, message);
                return;
            }
        };
        // The default key policy's `kms:*` for the account's own principals (see
        // `PolicyKind::KeyPolicy`) is not reported as a wildcard.
        let account_admin =
            kind == PolicyKind::KeyPolicy && is_account_principal(s.get("Principal"));
        let known: Vec<Known> = strings_of(action_values)
            .into_iter()
            .map(|value| match value.as_str() {
                Some(text) => {
                    let admin = account_admin && text.eq_ignore_ascii_case("kms:*");
                    self.action(text, allow && !admin, not_action, i, out)
                }
                None => Known::Opaque,
            })
            .collect();

        match (s.get("Resource"), s.get("NotResource")) {
            (Some(resources), None) => {
                // In a key policy `*` is the key itself, not every resource.
                let star_is_wildcard = allow && kind != PolicyKind::KeyPolicy;
                for resource in alternatives(resources) {
                    self.resource(resource, &known, star_is_wildcard, i, out);
                }
            }
            (None, Some(_)) => {}
            (Some(_), Some(_)) => {
                let message = "a statement has both `Resource` and `NotResource`".to_owned();
                out.push(Code::MalformedIamPolicy, at, message);
            }
            (None, None) => {
                let message = "a statement needs `Resource` or `NotResource`".to_owned();
                out.push(Code::MalformedIamPolicy, at, message);
            }
        }

        if let Some(conditions) = s.get("Condition") {
            self.conditions(conditions, &known, not_action, i, out);
        }

        // Not in key policies: a service uses a key for a resource the key encrypts, and AWS
        // documents the statements it needs there without a source condition (SNS topics
        // encrypted for EventBridge and CloudWatch, see `TopicPublisher::key_statement`).
        if kind == PolicyKind::Resource && allow && has_service_principal(s.get("Principal")) {
            let sourced = condition_keys(s.get("Condition")).iter().any(|k| {
                k.eq_ignore_ascii_case("aws:SourceArn")
                    || k.eq_ignore_ascii_case("aws:SourceAccount")
            });
            if !sourced {
                out.push(
                    Code::MissingSourceCondition,
                    at,
                    "a service principal is allowed without an `aws:SourceArn` or \
                     `aws:SourceAccount` condition, so a resource of any account could use the \
                     service to reach this one"
                        .into(),
                );
            }
        }
    }

    /// Checks one action and says what the data knows of it. Wildcards are reported only in
    /// an `Allow` of `Action`.
    fn action(
        &self,
        text: &str,
        allow: bool,
        not_action: bool,
        i: usize,
        out: &mut Out<'_>,
    ) -> Known {
        let at = Some(i);
        let report_wildcards = allow && !not_action;
        let Ok(action) = Action::new(text) else {
            out.push(
                Code::UnknownIamAction,
                at,
                format!("`{text}` is not an IAM action"),
            );
            return Known::Opaque;
        };
        let Some(prefix) = action.service() else {
            if report_wildcards {
                let message = "`*` allows every action of every service".to_owned();
                out.push(Code::WildcardIamAction, at, message);
            }
            return Known::Opaque;
        };
        let Some(service) = self.data.service(prefix) else {
            out.push(
                Code::UnknownIamService,
                at,
                format!(
                    "`{text}`: service `{prefix}` is not in the vendored IAM data \
                     (constructs/data/iam/SERVICES)"
                ),
            );
            return Known::Opaque;
        };
        if action.is_pattern() {
            if report_wildcards {
                let (code, what) = if action.name() == "*" {
                    (
                        Code::ServiceWildcardIamAction,
                        "every action of the service",
                    )
                } else {
                    (Code::WildcardIamAction, "every action matching the pattern")
                };
                out.push(
                    code,
                    at,
                    format!("`{text}` allows {what}; list the actions needed"),
                );
            }
            let matching = self.data.matching_actions(&action);
            if matching.is_empty() {
                let message = format!("`{text}` matches no action of `{prefix}`");
                out.push(Code::UnknownIamAction, at, message);
                return Known::Opaque;
            }
            return if not_action {
                Known::Opaque
            } else {
                Known::Pattern(matching)
            };
        }
        match service.action(action.name()) {
            Some(_) if not_action => Known::Opaque,
            Some(def) => Known::Exact(def),
            None => {
                let message = format!(
                    "`{text}` is not an action of {} (`{prefix}`)",
                    service.name()
                );
                out.push(Code::UnknownIamAction, at, message);
                Known::Opaque
            }
        }
    }

    fn resource(&self, resource: &Json, known: &[Known], allow: bool, i: usize, out: &mut Out<'_>) {
        let at = Some(i);
        let exact = known.iter().filter_map(|k| match k {
            Known::Exact(def) => Some(*def),
            _ => None,
        });
        if resource.as_str() == Some("*") {
            if !allow {
                return;
            }
            for def in exact.filter(|d| !d.accepts_no_resource()) {
                let types: Vec<&str> = def
                    .resource_types()
                    .iter()
                    .map(|r| r.resource_type())
                    .collect();
                let message = format!(
                    "`{}` is allowed on `*` but accepts {}; name the resources",
                    def.full_name(),
                    types.join(", ")
                );
                out.push(Code::WildcardIamResource, at, message);
            }
            return;
        }
        let pattern = self.arns.pattern(resource);
        if pattern.is_unknown() {
            return;
        }
        let mut found = None;
        for def in exact {
            if def.accepts_no_resource() {
                let message = format!(
                    "`{}` takes no resource, so only `\"*\"` grants it; {} matches nothing",
                    def.full_name(),
                    show(resource)
                );
                out.push(Code::IamArnTypeMismatch, at, message);
                continue;
            }
            let found = found.get_or_insert_with(|| self.arns.classify(&pattern));
            let fits = found
                .iter()
                .any(|t| t.service() == def.service() && def.accepts(t.name()));
            if fits {
                continue;
            }
            let wanted: Vec<&str> = def
                .resource_types()
                .iter()
                .map(|r| r.resource_type())
                .collect();
            let looks: Vec<String> = found
                .iter()
                .take(3)
                .map(|t| format!("{} {}", t.service(), t.name()))
                .collect();
            let looks = if looks.is_empty() {
                "of no known ARN format".to_owned()
            } else {
                format!("a {} ARN", looks.join(" / "))
            };
            let message = format!(
                "`{}` accepts {} but {} is {looks}",
                def.full_name(),
                wanted.join(", "),
                show(resource)
            );
            out.push(Code::IamArnTypeMismatch, at, message);
        }
    }

    fn conditions(
        &self,
        conditions: &Json,
        known: &[Known],
        not_action: bool,
        i: usize,
        out: &mut Out<'_>,
    ) {
        let at = Some(i);
        let Some(blocks) = conditions.as_object() else {
            let message = "`Condition` is not an object".to_owned();
            out.push(Code::MalformedIamPolicy, at, message);
            return;
        };
        for (operator, keys) in blocks {
            if ConditionOperator::parse(operator).is_none() {
                let message = format!("`{operator}` is not an IAM condition operator");
                out.push(Code::UnknownIamConditionOperator, at, message);
            }
            let Some(keys) = keys.as_object() else {
                let message = format!("`{operator}` does not map keys to values");
                out.push(Code::MalformedIamPolicy, at, message);
                continue;
            };
            for key in keys.keys() {
                if let Some(problem) = self.key_problem(key, known, not_action) {
                    out.push(Code::UnknownIamConditionKey, at, problem);
                }
            }
        }
    }

    /// Why a condition key does not apply to a statement's actions, if it does not.
    fn key_problem(&self, key: &str, known: &[Known], not_action: bool) -> Option<String> {
        if ConditionKey::new(key).is_err() {
            return Some(format!("`{key}` is not a condition key"));
        }
        if self.data.is_global_condition_key(key) {
            return None;
        }
        if not_action || known.iter().all(|k| matches!(k, Known::Opaque)) {
            let anywhere = self.data.services().any(|s| s.has_condition_key(key));
            return (!anywhere).then(|| {
                format!("`{key}` is neither a global condition key nor a key of a vendored service")
            });
        }
        let mut not_for = Vec::new();
        for k in known {
            match k {
                Known::Exact(def) if !self.data.condition_key_applies(def, key) => {
                    not_for.push(def.full_name());
                }
                Known::Pattern(defs)
                    if !defs.iter().any(|d| self.data.condition_key_applies(d, key)) =>
                {
                    not_for.push(format!("{}:…", defs[0].service()));
                }
                _ => {}
            }
        }
        (!not_for.is_empty()).then(|| {
            format!(
                "`{key}` is not a global key and does not apply to {}, so the statement never \
                 matches them",
                not_for.join(", ")
            )
        })
    }

    fn principal(
        &self,
        s: &Map<String, Json>,
        i: usize,
        kind: PolicyKind,
        allow: bool,
        out: &mut Out<'_>,
    ) {
        let at = Some(i);
        let principal = s.get("Principal");
        let not_principal = s.get("NotPrincipal");
        if kind == PolicyKind::Identity {
            if principal.is_some() || not_principal.is_some() {
                let message = "an identity policy takes no `Principal`".to_owned();
                out.push(Code::InvalidIamPrincipal, at, message);
            }
            return;
        }
        if not_principal.is_some() && allow {
            let message = "`NotPrincipal` with `Allow` lets in everyone not listed".to_owned();
            out.push(Code::InvalidIamPrincipal, at, message);
        }
        let Some(principal) = principal.or(not_principal) else {
            let message = "the statement names no `Principal`".to_owned();
            out.push(Code::InvalidIamPrincipal, at, message);
            return;
        };
        if let Some(problem) = principal_problem(principal) {
            out.push(Code::InvalidIamPrincipal, at, problem);
        } else if kind == PolicyKind::Trust && is_anyone(principal) {
            let message = "a trust policy must name who may assume the role, not `*`".to_owned();
            out.push(Code::InvalidIamPrincipal, at, message);
        }
    }
}

/// The values a `Resource` may take: each item of a list, each branch of an `Fn::If`
/// (without `AWS::NoValue`).
fn alternatives(value: &Json) -> Vec<&Json> {
    match value {
        Json::Array(items) => items.iter().flat_map(alternatives).collect(),
        Json::Object(map) if map.len() == 1 => match map.get("Fn::If").and_then(Json::as_array) {
            Some(args) if args.len() == 3 => args[1..].iter().flat_map(alternatives).collect(),
            _ if is_no_value(value) => Vec::new(),
            _ => vec![value],
        },
        _ => vec![value],
    }
}

fn is_no_value(value: &Json) -> bool {
    value.get("Ref").and_then(Json::as_str) == Some("AWS::NoValue")
}

/// A string, or each item of a list.
fn strings_of(value: &Json) -> Vec<&Json> {
    match value {
        Json::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Every key tested by a `Condition` block.
fn condition_keys(conditions: Option<&Json>) -> Vec<&str> {
    conditions
        .and_then(Json::as_object)
        .into_iter()
        .flat_map(|blocks| blocks.values())
        .filter_map(Json::as_object)
        .flat_map(|keys| keys.keys().map(String::as_str))
        .collect()
}

/// Whether a principal names a service (any value under `Service`).
fn has_service_principal(principal: Option<&Json>) -> bool {
    principal
        .and_then(|p| p.get("Service"))
        .is_some_and(|s| !strings_of(s).is_empty())
}

/// Whether a principal names only accounts or their IAM principals (`{"AWS": …}`, not `*`).
fn is_account_principal(principal: Option<&Json>) -> bool {
    principal.is_some_and(|p| {
        p.as_object()
            .is_some_and(|m| m.len() == 1 && m.contains_key("AWS"))
            && !is_anyone(p)
    })
}

/// Whether a principal is everyone: `*` or `{"AWS": "*"}`.
fn is_anyone(principal: &Json) -> bool {
    principal.as_str() == Some("*")
        || principal
            .get("AWS")
            .is_some_and(|v| strings_of(v).iter().any(|s| s.as_str() == Some("*")))
}

/// What is wrong with a principal's shape, if anything.
fn principal_problem(principal: &Json) -> Option<String> {
    if principal.as_str() == Some("*") {
        return None;
    }
    let Some(map) = principal.as_object() else {
        return Some(format!(
            "`Principal` must be \"*\" or an object, not {}",
            show(principal)
        ));
    };
    if map.is_empty() {
        return Some("`Principal` names nobody".into());
    }
    for (kind, values) in map {
        if !matches!(
            kind.as_str(),
            "AWS" | "Service" | "Federated" | "CanonicalUser"
        ) {
            return Some(format!(
                "`{kind}` is not a kind of principal (AWS, Service, Federated, CanonicalUser)"
            ));
        }
        let values = strings_of(values);
        if values.is_empty() {
            return Some(format!("`Principal.{kind}` is empty"));
        }
        for value in values {
            match value {
                Json::String(s) if kind == "Service" && super::Principal::service(s).is_err() => {
                    return Some(format!(
                        "`{s}` is not a service principal (expected `name.amazonaws.com`)"
                    ));
                }
                Json::String(s) if s.is_empty() => {
                    return Some(format!("`Principal.{kind}` has an empty value"));
                }
                Json::String(_) | Json::Object(_) => {}
                other => {
                    return Some(format!(
                        "`Principal.{kind}` holds {}, not a string",
                        show(other)
                    ))
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
