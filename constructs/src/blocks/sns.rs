//! SNS: [`Topic`], an encrypted topic with exactly one topic policy that names every publishing
//! rule and requires TLS, and [`FunctionSubscription`], a Lambda function subscribed to a topic.

use std::fmt;

use crate::cfn::events::Rule;
use crate::cfn::kms::Key;
use crate::cfn::sns::{Topic as CfnTopic, TopicPolicy};
use crate::diagnostics::{all_problems, Code, DomainError};
use crate::iam::{action, service_principal, PolicyDocument, PolicyExplanation, Statement};
use crate::model::expr::Expr;
use crate::{AsScope, Handle, Scope, Value};

use super::resource_policy::{explain_deny, rewrite_policy, Senders, TopicSender, EVENTS, SNS};

/// What publishers are allowed on a topic.
const PUBLISH: &str = "sns:Publish";

mod subscription;

pub use subscription::{FunctionSubscription, FunctionSubscriptionProps};

/// The AWS managed key of SNS, the default encryption of a topic.
pub const SNS_AWS_MANAGED_KEY: &str = "alias/aws/sns";

/// An AWS service that publishes to topics on its own behalf, and so needs the topic's key to
/// admit it: neither can use the AWS managed key `alias/aws/sns`, whose key policy only the
/// account's own principals may use ("Enable compatibility between event sources from AWS
/// services and encrypted topics",
/// <https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services>).
///
/// ```
/// use constructs::blocks::sns::TopicPublisher;
///
/// assert_eq!(TopicPublisher::CloudWatch.service_principal(), "cloudwatch.amazonaws.com");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TopicPublisher {
    /// EventBridge, for rules that target the topic.
    EventBridge,
    /// CloudWatch, for alarms whose actions notify the topic.
    CloudWatch,
}

impl TopicPublisher {
    /// The service's principal: `events.amazonaws.com`, `cloudwatch.amazonaws.com`.
    pub fn service_principal(self) -> &'static str {
        match self {
            TopicPublisher::EventBridge => EVENTS,
            TopicPublisher::CloudWatch => "cloudwatch.amazonaws.com",
        }
    }

    /// The service's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            TopicPublisher::EventBridge => "EventBridge",
            TopicPublisher::CloudWatch => "CloudWatch",
        }
    }

    /// The statement a customer managed key's policy needs so that the service can publish to
    /// a topic the key encrypts: `kms:GenerateDataKey` (SNS asks for a data key for the
    /// message) and `kms:Decrypt` (to reuse a cached one) for the service principal, on the key
    /// itself (`Resource: "*"` in a key policy). AWS's example writes `kms:GenerateDataKey*`
    /// (see [`TopicPublisher`]); the pattern also matches the key-pair actions SNS never
    /// calls, and the IAM check reports wildcard actions, so the one action is named. AWS
    /// documents no source condition for this statement.
    ///
    /// ```
    /// use constructs::blocks::sns::TopicPublisher;
    /// use constructs::cfn::kms::Key;
    /// use constructs::iam::{Action, PolicyDocument, Principal, Statement};
    ///
    /// let admin = Statement::allow(Action::new("kms:*").unwrap())
    ///     .principal(Principal::aws("arn:aws:iam::123456789012:root"))
    ///     .resource("*");
    /// let key = Key::new().key_policy(
    ///     PolicyDocument::new()
    ///         .statement(admin)
    ///         .statement(TopicPublisher::CloudWatch.key_statement()),
    /// );
    /// # let _ = key;
    /// ```
    pub fn key_statement(self) -> Statement {
        Statement::allow(action("kms:GenerateDataKey"))
            .action(action("kms:Decrypt"))
            .principal(service_principal(self.service_principal()))
            .resource("*")
    }
}

impl fmt::Display for TopicPublisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The choices of a [`Topic`].
///
/// A topic is always encrypted: with the AWS managed key `alias/aws/sns` by default, or a
/// customer managed key. EventBridge cannot publish to a topic encrypted with the AWS managed
/// key, so a topic rules publish to needs [`kms_key`](Self::kms_key) (an
/// `unsupported-encryption` error otherwise); the same holds for a topic CloudWatch alarms
/// notify ([`AlarmTopic`]).
///
/// ```
/// use constructs::blocks::sns::TopicProps;
///
/// let props = TopicProps::new().display_name("Order events");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct TopicProps {
    pub(crate) key: Option<Handle<Key>>,
    pub(crate) display_name: Option<String>,
    pub(crate) rules: Vec<(String, Value<String>)>,
}

impl TopicProps {
    /// A standard topic encrypted with `alias/aws/sns`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Encrypts with a customer managed key; publishers need `kms:GenerateDataKey` and
    /// `kms:Decrypt` on it.
    pub fn kms_key(mut self, key: &Handle<Key>) -> Self {
        self.key = Some(key.clone());
        self
    }

    /// The display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Lets EventBridge publish on behalf of `rule` (`sns:Publish` for `events.amazonaws.com`
    /// with `aws:SourceArn` equal to the rule's ARN), in the topic's one policy.
    pub fn allow_from_rule(mut self, rule: &Handle<Rule>) -> Self {
        self.rules
            .push((rule.logical_id().to_owned(), rule.att_arn()));
        self
    }
}

impl TopicProps {
    /// Every setting SNS would reject, all at once.
    ///
    /// ```
    /// use constructs::blocks::sns::TopicProps;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = TopicProps::new().display_name("x".repeat(101)).validate().unwrap_err();
    /// assert_eq!(errors[0].code(), Code::TooLong);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<TopicError>> {
        let mut errors = Vec::new();
        if let Some(name) = &self.display_name {
            let chars = name.chars().count();
            if chars > MAX_DISPLAY_NAME_LEN {
                errors.push(TopicError::DisplayNameTooLong { chars });
            }
        }
        if self.key.is_none() && !self.rules.is_empty() {
            errors.push(TopicError::AwsManagedKey {
                publisher: TopicPublisher::EventBridge,
            });
        }
        all_problems(errors)
    }
}

/// The longest display name (`AWS::SNS::Topic.DisplayName`'s documentation).
const MAX_DISPLAY_NAME_LEN: usize = 100;

/// One thing wrong with a [`TopicProps`], found by [`TopicProps::validate`] and reported by
/// [`Topic`] (and the pipeline's topics) at synth with the construct path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TopicError {
    /// The display name is over 100 characters. [`Code::TooLong`].
    DisplayNameTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// A service publishes to the topic (EventBridge for rules, CloudWatch for alarms), but
    /// the topic is encrypted with the AWS managed key `alias/aws/sns`, which the service
    /// cannot use. [`Code::UnsupportedEncryption`].
    AwsManagedKey {
        /// The service.
        publisher: TopicPublisher,
    },
    /// A service publishes to the topic, but the policy of the customer managed key the topic
    /// is encrypted with does not let the service use it. [`Code::UnsupportedEncryption`].
    KeyPolicyWithoutPublisher {
        /// The service.
        publisher: TopicPublisher,
        /// The key's logical id.
        key: String,
    },
}

impl DomainError for TopicError {
    fn code(&self) -> Code {
        match self {
            TopicError::DisplayNameTooLong { .. } => Code::TooLong,
            TopicError::AwsManagedKey { .. } | TopicError::KeyPolicyWithoutPublisher { .. } => {
                Code::UnsupportedEncryption
            }
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            TopicError::AwsManagedKey { publisher } => Some(format!(
                "give the topic a customer managed key (TopicProps::kms_key) whose policy lets \
                 {} use it (TopicPublisher::{publisher:?}.key_statement())",
                publisher.service_principal()
            )),
            TopicError::KeyPolicyWithoutPublisher { publisher, .. } => Some(format!(
                "add TopicPublisher::{publisher:?}.key_statement() to the key's KeyPolicy"
            )),
            TopicError::DisplayNameTooLong { .. } => None,
        }
    }
}

impl fmt::Display for TopicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopicError::DisplayNameTooLong { chars } => write!(
                f,
                "the display name is {chars} characters; SNS takes {MAX_DISPLAY_NAME_LEN}"
            ),
            TopicError::AwsManagedKey { publisher } => write!(
                f,
                "{publisher} publishes to the topic, but cannot use the AWS managed key \
                 {SNS_AWS_MANAGED_KEY} the topic is encrypted with"
            ),
            TopicError::KeyPolicyWithoutPublisher { publisher, key } => write!(
                f,
                "{publisher} publishes to the topic, but the policy of its key `{key}` does not \
                 allow {} kms:GenerateDataKey and kms:Decrypt",
                publisher.service_principal()
            ),
        }
    }
}

impl std::error::Error for TopicError {}

/// An encrypted SNS topic and its one policy: `sns:Publish` for EventBridge on behalf of the
/// rules the props name (`aws:SourceArn`), then a deny of publishing without TLS.
///
/// What it adds under its id (say `Events`): `EventsTopic` and `EventsTopicPolicy`.
///
/// ```
/// use constructs::blocks::sns::{Topic, TopicProps};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Fanout");
/// let events = Topic::new(&mut stack, "Events", TopicProps::new());
/// assert_eq!(events.topic().logical_id(), "EventsTopic");
/// app.add_stack(stack);
/// let json = app.assemble().unwrap().stack("Fanout").unwrap().json.clone();
/// assert!(json.contains(r#""KmsMasterKeyId": "alias/aws/sns""#));
/// ```
#[derive(Clone, Debug)]
pub struct Topic {
    topic: Handle<CfnTopic>,
    policy: Handle<TopicPolicy>,
    key: Option<Handle<Key>>,
    /// The construct path, where a sender added later is reported.
    path: String,
    /// Who the policy names, so a sender added later rewrites it whole.
    senders: Senders,
}

impl Topic {
    /// Adds the topic `id` and its policy to `scope`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: TopicProps) -> Self {
        let mut scope = scope.as_scope();
        let path = format!("{}/{id}", scope.path());
        let topic = Self::add_topic(&mut scope, id, &props);
        let senders = Senders {
            rules: props.rules,
            ..Senders::default()
        };
        let policy = Self::add_policy(&mut scope, id, &topic, &senders);
        Self {
            topic,
            policy,
            key: props.key,
            path,
            senders,
        }
    }

    /// Adds the topic `{id}Topic` alone; its policy follows with [`Topic::add_policy`] once
    /// whoever writes it knows every publisher (a pipeline writes its policies last).
    pub(crate) fn add_topic(
        scope: &mut Scope<'_>,
        id: &str,
        props: &TopicProps,
    ) -> Handle<CfnTopic> {
        if let Err(errors) = props.validate() {
            let path = format!("{}/{id}", scope.path());
            for error in errors {
                scope.report(error.to_diagnostic(&path));
            }
        }
        let key: Value<String> = match &props.key {
            Some(key) => key.att_arn().into(),
            None => SNS_AWS_MANAGED_KEY.into(),
        };
        let mut topic = CfnTopic::new().kms_master_key_id(key);
        if let Some(name) = &props.display_name {
            topic = topic.display_name(name.as_str());
        }
        scope.add(&format!("{id}Topic"), topic)
    }

    /// Adds the one policy of `topic`, `{id}TopicPolicy`: `sns:Publish` for `senders`, TLS
    /// required; and explains it in the stack's IAM report.
    pub(crate) fn add_policy(
        scope: &mut Scope<'_>,
        id: &str,
        topic: &Handle<CfnTopic>,
        senders: &Senders,
    ) -> Handle<TopicPolicy> {
        let id = format!("{id}TopicPolicy");
        let path = format!("{}/{id}", scope.path());
        let (policy, explanations) = Self::policy_of(topic, senders, &path);
        for explanation in explanations {
            scope.explain(explanation);
        }
        scope.explain(explain_deny(
            "sns:Publish",
            &path,
            vec![topic.logical_id().to_owned()],
        ));
        scope.add(&id, policy)
    }

    /// The one policy of `topic` (at `path`): `sns:Publish` for `senders`, then TLS required;
    /// with the report entries of the senders' statements.
    fn policy_of(
        topic: &Handle<CfnTopic>,
        senders: &Senders,
        path: &str,
    ) -> (TopicPolicy, Vec<PolicyExplanation>) {
        let arn: Value<String> = topic.reference().into();
        let (statements, explanations) =
            senders.statements(PUBLISH, &arn, path, topic.logical_id());
        let mut document = PolicyDocument::new();
        for statement in statements {
            document.push(statement);
        }
        document.push(Statement::deny_without_tls(action(PUBLISH), [arn.clone()]));
        (TopicPolicy::new(document, vec![arn]), explanations)
    }

    /// Lets `sender` publish to `topic` after its policy `policy` was added with `senders`
    /// (which gain it), `key` being the topic's customer managed key: the one policy is
    /// rewritten in place through `scope`, a scope of the topic's stack. A rule needs a key
    /// EventBridge can use, reported at `path` otherwise.
    pub(crate) fn add_sender(
        scope: &mut Scope<'_>,
        path: &str,
        (topic, policy, key): (
            &Handle<CfnTopic>,
            &Handle<TopicPolicy>,
            Option<&Handle<Key>>,
        ),
        senders: &mut Senders,
        sender: TopicSender,
    ) {
        if matches!(sender, TopicSender::Rule(_)) && key.is_none() {
            let publisher = TopicPublisher::EventBridge;
            scope.report(TopicError::AwsManagedKey { publisher }.to_diagnostic(path));
        }
        let arn: Value<String> = topic.reference().into();
        rewrite_policy(
            scope,
            path,
            (policy, senders),
            sender.into(),
            (PUBLISH, &arn, topic.logical_id()),
            |all| Self::policy_of(topic, all, "").0,
        );
    }

    /// Lets `sender` publish to the topic too, through its one policy, which is rewritten in
    /// place: `scope` is any scope of the topic's stack (a `not-in-this-stack` error
    /// otherwise). A rule needs the topic to have a customer managed key EventBridge may use
    /// (an `unsupported-encryption` error otherwise).
    ///
    /// ```
    /// use constructs::blocks::sns::{Topic, TopicProps};
    /// use constructs::blocks::TopicSender;
    /// use constructs::{App, Stack};
    ///
    /// let mut stack = Stack::new("Fanout");
    /// let mut events = Topic::new(&mut stack, "Events", TopicProps::new());
    /// events.allow(&mut stack.scope(), TopicSender::account("111122223333"));
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// let json = app.assemble().unwrap().stack("Fanout").unwrap().json.clone();
    /// assert_eq!(json.matches("AWS::SNS::TopicPolicy").count(), 1);
    /// assert!(json.contains("111122223333"));
    /// ```
    pub fn allow(&mut self, scope: &mut impl AsScope, sender: TopicSender) {
        let mut scope = scope.as_scope();
        let path = self.path.clone();
        Self::add_sender(
            &mut scope,
            &path,
            (&self.topic, &self.policy, self.key.as_ref()),
            &mut self.senders,
            sender,
        );
    }

    /// The L1 topic: its ARN (`reference()`) and what grants and subscriptions take.
    pub fn topic(&self) -> &Handle<CfnTopic> {
        &self.topic
    }

    /// The topic's one policy.
    pub fn policy(&self) -> &Handle<TopicPolicy> {
        &self.policy
    }

    /// The customer managed key the topic is encrypted with; `None` for the AWS managed key
    /// `alias/aws/sns`.
    pub fn kms_key(&self) -> Option<&Handle<Key>> {
        self.key.as_ref()
    }
}

/// The topic CloudWatch alarms notify, given so that its encryption can be checked.
///
/// CloudWatch publishes to the topic itself, so the topic's key must admit
/// `cloudwatch.amazonaws.com`; with the AWS managed key `alias/aws/sns`, or a key whose policy
/// does not admit CloudWatch, every notification is dropped while the alarm still changes
/// state (see [`TopicPublisher`]). A construct that takes an `AlarmTopic` reports, when the
/// app is synthesized:
///
/// - a [`Topic`] built with the AWS managed key: [`TopicError::AwsManagedKey`];
/// - a [`Topic`] with a customer managed key of the same stack whose `KeyPolicy` is written
///   out and has no statement allowing `cloudwatch.amazonaws.com` `kms:GenerateDataKey*` (or
///   `kms:GenerateDataKey`) and `kms:Decrypt`:
///   [`TopicError::KeyPolicyWithoutPublisher`]. A key of another stack, or a policy that is an
///   intrinsic function or a parameter, cannot be read here and is not reported.
///
/// [`AlarmTopic::external`] takes the ARN of a topic created outside the app, unchecked.
///
/// ```
/// use constructs::blocks::sns::{AlarmTopic, Topic, TopicProps, TopicPublisher};
/// use constructs::cfn::kms::Key;
/// use constructs::iam::{Action, PolicyDocument, Principal, Statement};
/// use constructs::Stack;
///
/// let mut stack = Stack::new("Ops");
/// let admin = Statement::allow(Action::new("kms:*").unwrap())
///     .principal(Principal::aws("arn:aws:iam::123456789012:root"))
///     .resource("*");
/// let key = stack.add("AlarmsKey", Key::new().key_policy(
///     PolicyDocument::new().statement(admin).statement(TopicPublisher::CloudWatch.key_statement()),
/// ));
/// let topic = Topic::new(&mut stack, "Alarms", TopicProps::new().kms_key(&key));
/// let checked = AlarmTopic::from(&topic);
/// let unchecked = AlarmTopic::external("arn:aws:sns:eu-west-1:123456789012:pager");
/// # let _ = (checked, unchecked);
/// ```
#[derive(Clone, Debug)]
pub struct AlarmTopic {
    arn: Value<String>,
    encryption: AlarmTopicKey,
}

/// What is known of an [`AlarmTopic`]'s key.
#[derive(Clone, Debug)]
enum AlarmTopicKey {
    AwsManaged,
    Customer(Handle<Key>),
    Unknown,
}

impl AlarmTopic {
    /// A topic created outside the app, by ARN. Its encryption is not checked: make sure its
    /// key (if any) is customer managed and admits `cloudwatch.amazonaws.com`.
    pub fn external(arn: impl Into<Value<String>>) -> Self {
        Self {
            arn: arn.into(),
            encryption: AlarmTopicKey::Unknown,
        }
    }

    /// The topic's ARN, for alarm actions.
    pub fn arn(&self) -> &Value<String> {
        &self.arn
    }

    /// What keeps CloudWatch from publishing to the topic, as far as `scope`'s stack shows it.
    pub(crate) fn problems(&self, scope: &Scope<'_>) -> Vec<TopicError> {
        let publisher = TopicPublisher::CloudWatch;
        match &self.encryption {
            AlarmTopicKey::AwsManaged => vec![TopicError::AwsManagedKey { publisher }],
            AlarmTopicKey::Customer(key) => {
                let resources = scope.stack().contents().resources;
                let policy = (key.stack_name() == scope.stack().name())
                    .then(|| resources.get(key.logical_id()))
                    .flatten()
                    .and_then(|resource| resource.properties.get("KeyPolicy"));
                match policy {
                    Some(policy) if key_policy_admits(policy, publisher) == Some(false) => {
                        vec![TopicError::KeyPolicyWithoutPublisher {
                            publisher,
                            key: key.logical_id().to_owned(),
                        }]
                    }
                    _ => Vec::new(),
                }
            }
            AlarmTopicKey::Unknown => Vec::new(),
        }
    }
}

impl From<&Topic> for AlarmTopic {
    fn from(topic: &Topic) -> Self {
        Self {
            arn: topic.topic.reference().into(),
            encryption: match &topic.key {
                Some(key) => AlarmTopicKey::Customer(key.clone()),
                None => AlarmTopicKey::AwsManaged,
            },
        }
    }
}

/// Whether a key policy has a statement allowing `publisher`'s principal to generate data keys
/// and decrypt; `None` when the policy is not written out (an intrinsic function, a parameter).
fn key_policy_admits(policy: &Expr, publisher: TopicPublisher) -> Option<bool> {
    key_policy_allows(policy, |service| service == publisher.service_principal())
}

/// Whether a key policy has an `Allow` statement for a service principal that `is_service`
/// accepts, with `kms:GenerateDataKey` and `kms:Decrypt` among its actions (written out or by
/// a wildcard such as `kms:Decrypt*`); `None` when the policy or one of its statements is not
/// written out (an intrinsic function, a parameter), since that one may admit the service.
/// A principal written with `Fn::Sub` (`logs.${AWS::Region}.amazonaws.com`) is read as its
/// text.
pub(crate) fn key_policy_allows(policy: &Expr, is_service: impl Fn(&str) -> bool) -> Option<bool> {
    let policy = serde_json::to_value(policy).ok()?;
    let statements = match policy.as_object()?.get("Statement")? {
        serde_json::Value::Array(items) => items.clone(),
        one => vec![one.clone()],
    };
    let text = |v: &serde_json::Value| -> Option<String> {
        match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(o) => o.get("Fn::Sub")?.as_str().map(str::to_owned),
            _ => None,
        }
    };
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        match v {
            Some(serde_json::Value::Array(items)) => items.iter().filter_map(text).collect(),
            Some(one) => text(one).into_iter().collect(),
            None => Vec::new(),
        }
    };
    let covers = |actions: &[String], wanted: &str| {
        actions.iter().any(|a| {
            let a = a.to_ascii_lowercase();
            match a.strip_suffix('*') {
                Some(prefix) => wanted.starts_with(prefix),
                None => a == wanted,
            }
        })
    };
    let admits = statements.iter().any(|s| {
        let allow = s.get("Effect").and_then(|e| e.as_str()) == Some("Allow");
        let services = strings(s.get("Principal").and_then(|p| p.get("Service")));
        let actions = strings(s.get("Action"));
        allow
            && services.iter().any(|p| is_service(p))
            && covers(&actions, "kms:decrypt")
            && covers(&actions, "kms:generatedatakey")
    });
    // A statement that is an intrinsic (an `Fn::If`) may be the one that admits the service.
    let unreadable = statements.iter().any(|s| s.get("Effect").is_none());
    (admits || !unreadable).then_some(admits)
}
