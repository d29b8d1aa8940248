//! Reading ARNs out of a template as patterns, and the resource types they fit.
//!
//! IAM's `*` and `?` are wildcards; in `Fn::Sub` and `Fn::Join`, `AWS::Partition`,
//! `AWS::Region` and `AWS::AccountId` stand for one ARN segment and other unknown values for
//! anything; a `Fn::GetAtt` (or a `Ref` that returns an ARN) of a resource in the template whose
//! type is in [`ARN_ATTRIBUTES`] stands for an ARN of that resource type.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value as Json};

use crate::iam::data::{format_glob, ActionData, ResourceType, TIERS};
use crate::iam::glob::{Class, Glob};

/// Turns template values into ARN patterns, resolving references to the template's resources.
pub(super) struct ArnReader<'a> {
    /// The vendored data, for ARN formats.
    pub(super) data: &'static ActionData,
    /// The template's resources, to resolve `Fn::GetAtt` and `Ref`.
    pub(super) resources: &'a Map<String, Json>,
}

impl ArnReader<'_> {
    /// A value (a string, `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`) as an ARN pattern.
    pub(super) fn pattern(&self, value: &Json) -> ArnPattern {
        ArnPattern(self.pieces(value))
    }

    /// The resource types an ARN pattern fits, at the strictest tier where it fits any.
    ///
    /// Matching a pattern against every vendored ARN format is the checker's main cost, and
    /// the same patterns (`${Table.Arn}` of a table, a literal) recur in every stack and every
    /// synth of a process, so the answers are kept, per pattern, for the process.
    pub(super) fn classify(&self, pattern: &ArnPattern) -> Vec<&'static ResourceType> {
        type Cache = HashMap<ArnPattern, Vec<&'static ResourceType>>;
        static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
        let cache = CACHE.get_or_init(Mutex::default);
        // A poisoned lock only means another thread panicked mid-insert; the map is still
        // whole (inserts are single calls), so it is used as it is.
        if let Some(found) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pattern) {
            return found.clone();
        }
        let found = self.classify_uncached(pattern);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(pattern.clone(), found.clone());
        found
    }

    fn classify_uncached(&self, pattern: &ArnPattern) -> Vec<&'static ResourceType> {
        for (tier, class) in TIERS.iter().enumerate() {
            let glob = pattern.glob(*class);
            let found: Vec<&ResourceType> = self
                .data
                .all_resource_types()
                .filter(|t| t.globs[tier].iter().any(|f| f.intersects(&glob)))
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// A value as pattern pieces.
    fn pieces(&self, value: &Json) -> Vec<Piece> {
        match value {
            Json::String(s) => vec![Piece::Text(s.clone())],
            Json::Object(map) if map.len() == 1 => {
                let (key, arg) = map
                    .iter()
                    .next()
                    .map(|(k, v)| (k.as_str(), v))
                    .unwrap_or(("", &Json::Null));
                match key {
                    "Ref" => arg
                        .as_str()
                        .map_or(vec![Piece::Any], |name| self.reference(name)),
                    "Fn::GetAtt" => match get_att_args(arg) {
                        Some((id, attr)) => self.attribute(id, attr),
                        None => vec![Piece::Any],
                    },
                    "Fn::Sub" => self.sub(arg),
                    "Fn::Join" => self.join(arg),
                    _ => vec![Piece::Any],
                }
            }
            _ => vec![Piece::Any],
        }
    }

    fn reference(&self, name: &str) -> Vec<Piece> {
        match name {
            "AWS::Partition" | "AWS::Region" | "AWS::AccountId" => vec![Piece::Name],
            _ => self.resolved(name, None),
        }
    }

    fn attribute(&self, logical_id: &str, attribute: &str) -> Vec<Piece> {
        self.resolved(logical_id, Some(attribute))
    }

    /// The ARN a `Ref` (no attribute) or `Fn::GetAtt` of a template resource stands for.
    fn resolved(&self, logical_id: &str, attribute: Option<&str>) -> Vec<Piece> {
        let Some(resource) = self.resources.get(logical_id) else {
            return vec![Piece::Any];
        };
        let type_name = resource.get("Type").and_then(Json::as_str).unwrap_or("");
        let entry = ARN_ATTRIBUTES
            .iter()
            .find(|(t, a, ..)| *t == type_name && Some(*a) == attribute.or(Some(REF)));
        let Some(&(_, _, service, mut resource_type, suffix)) = entry else {
            return vec![Piece::Any];
        };
        if type_name == "AWS::Events::Rule" {
            let bus = resource.pointer("/Properties/EventBusName");
            if bus.is_some_and(|b| b.as_str() != Some("default")) {
                resource_type = "rule-on-custom-event-bus";
            }
        }
        let Some(format) = self
            .data
            .service(service)
            .and_then(|s| s.resource_type(resource_type))
        else {
            return vec![Piece::Any];
        };
        let mut pieces = vec![Piece::Format(format.arn_format().to_owned())];
        if !suffix.is_empty() {
            pieces.push(Piece::Text(suffix.to_owned()));
        }
        pieces
    }

    fn sub(&self, arg: &Json) -> Vec<Piece> {
        let (template, vars) = match arg {
            Json::String(t) => (t.as_str(), None),
            Json::Array(a) if a.len() == 2 => match (a[0].as_str(), a[1].as_object()) {
                (Some(t), Some(v)) => (t, Some(v)),
                _ => return vec![Piece::Any],
            },
            _ => return vec![Piece::Any],
        };
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            pieces.push(Piece::Text(rest[..start].to_owned()));
            let name = &after[..end];
            if name.starts_with('!') {
                // `${!x}` is the literal `${x}`: an IAM policy variable, unknown until evaluated.
                pieces.push(Piece::Any);
            } else if let Some(value) = vars.and_then(|v| v.get(name)) {
                pieces.extend(self.pieces(value));
            } else if let Some((id, attr)) = name.split_once('.') {
                pieces.extend(self.attribute(id, attr));
            } else {
                pieces.extend(self.reference(name));
            }
            rest = &after[end + 1..];
        }
        pieces.push(Piece::Text(rest.to_owned()));
        pieces
    }

    fn join(&self, arg: &Json) -> Vec<Piece> {
        let Some([delimiter, items]) = arg.as_array().map(Vec::as_slice) else {
            return vec![Piece::Any];
        };
        let (Some(delimiter), Some(items)) = (delimiter.as_str(), items.as_array()) else {
            return vec![Piece::Any];
        };
        let mut pieces = Vec::new();
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                pieces.push(Piece::Text(delimiter.to_owned()));
            }
            pieces.extend(self.pieces(item));
        }
        pieces
    }
}

/// The attribute name that stands for `Ref` in [`ARN_ATTRIBUTES`].
const REF: &str = "Ref";

/// Template values that are ARNs of a known resource type: (CloudFormation type, attribute or
/// `Ref`, service prefix, resource type, suffix after the ARN). A rule on a custom event bus
/// (`EventBusName` set) is read as `rule-on-custom-event-bus`.
#[rustfmt::skip]
pub(super) const ARN_ATTRIBUTES: &[(&str, &str, &str, &str, &str)] = &[
    ("AWS::CloudWatch::Alarm",      "Arn",               "cloudwatch",     "alarm",                     ""),
    ("AWS::DynamoDB::Table",        "Arn",               "dynamodb",       "table",                     ""),
    ("AWS::DynamoDB::Table",        "StreamArn",         "dynamodb",       "stream",                    ""),
    ("AWS::ECR::Repository",        "Arn",               "ecr",            "repository",                ""),
    ("AWS::ECS::Cluster",           "Arn",               "ecs",            "cluster",                   ""),
    ("AWS::ECS::Service",           "ServiceArn",        "ecs",            "service",                   ""),
    ("AWS::ECS::Service",           REF,                 "ecs",            "service",                   ""),
    ("AWS::ECS::TaskDefinition",    "TaskDefinitionArn", "ecs",            "task-definition",           ""),
    ("AWS::ECS::TaskDefinition",    REF,                 "ecs",            "task-definition",           ""),
    ("AWS::Events::EventBus",       "Arn",               "events",         "event-bus",                 ""),
    ("AWS::Events::Rule",           "Arn",               "events",         "rule-on-default-event-bus", ""),
    ("AWS::IAM::ManagedPolicy",     "PolicyArn",         "iam",            "policy",                    ""),
    ("AWS::IAM::ManagedPolicy",     REF,                 "iam",            "policy",                    ""),
    ("AWS::IAM::Role",              "Arn",               "iam",            "role",                      ""),
    ("AWS::KMS::Key",               "Arn",               "kms",            "key",                       ""),
    ("AWS::Lambda::Function",       "Arn",               "lambda",         "function",                  ""),
    // CloudFormation's log group ARN ends in `:*`.
    ("AWS::Logs::LogGroup",         "Arn",               "logs",           "log-group",                 ":*"),
    ("AWS::S3::Bucket",             "Arn",               "s3",             "bucket",                    ""),
    ("AWS::SNS::Topic",             "TopicArn",          "sns",            "topic",                     ""),
    ("AWS::SNS::Topic",             REF,                 "sns",            "topic",                     ""),
    ("AWS::SQS::Queue",             "Arn",               "sqs",            "queue",                     ""),
    ("AWS::SecretsManager::Secret", "Id",                "secretsmanager", "Secret",                    ""),
    ("AWS::SecretsManager::Secret", REF,                 "secretsmanager", "Secret",                    ""),
];

/// One part of an ARN being read from a template.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Piece {
    /// Text as IAM reads it: `*` and `?` are wildcards, `${…}` a policy variable.
    Text(String),
    /// A pseudo parameter that fills one ARN segment (partition, region, account).
    Name,
    /// The ARN of a known resource type: its format from the data.
    Format(String),
    /// Anything.
    Any,
}

/// An ARN read from a template, as a pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct ArnPattern(Vec<Piece>);

impl ArnPattern {
    /// The pattern, with names matched as `class`.
    pub(super) fn glob(&self, class: Class) -> Glob {
        let mut glob = Glob::default();
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => {
                    let mut rest = text.as_str();
                    while let Some(start) = rest.find("${") {
                        let Some(end) = rest[start..].find('}') else {
                            break;
                        };
                        glob.push_iam(&rest[..start]);
                        glob.push_any();
                        rest = &rest[start + end + 1..];
                    }
                    glob.push_iam(rest);
                }
                Piece::Name => glob.push_name(class),
                Piece::Format(format) => glob.push_glob(&format_glob(format, class)),
                Piece::Any => glob.push_any(),
            }
        }
        glob
    }

    /// Whether nothing of the ARN could be read (a parameter, an import, …).
    pub(super) fn is_unknown(&self) -> bool {
        self.glob(Class::Any).is_unknown()
    }

    /// Whether `text` is certainly part of the ARN, whatever its unknown parts turn out to be.
    pub(super) fn certainly_contains(&self, text: &str) -> bool {
        self.glob(Class::Any).literal_text().contains(text)
    }
}

/// The logical id and attribute of a `Fn::GetAtt`, in either of its forms.
fn get_att_args(arg: &Json) -> Option<(&str, &str)> {
    match arg {
        Json::String(s) => s.split_once('.'),
        Json::Array(a) if a.len() == 2 => Some((a[0].as_str()?, a[1].as_str()?)),
        _ => None,
    }
}
