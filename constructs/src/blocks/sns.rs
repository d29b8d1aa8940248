//! SNS: [`Topic`], an encrypted topic with exactly one topic policy that names every publishing
//! rule and requires TLS.

use std::fmt;

use crate::cfn::events::Rule;
use crate::cfn::kms::Key;
use crate::cfn::sns::{Topic as CfnTopic, TopicPolicy};
use crate::diagnostics::{all_problems, Code, DomainError};
use crate::iam::{action, PolicyDocument, Statement};
use crate::{AsScope, Handle, Scope, Value};

use super::resource_policy::{allow_from, explain_allow, explain_deny, EVENTS};

/// The AWS managed key of SNS, the default encryption of a topic.
pub const SNS_AWS_MANAGED_KEY: &str = "alias/aws/sns";

/// The choices of a [`Topic`].
///
/// A topic is always encrypted: with the AWS managed key `alias/aws/sns` by default, or a
/// customer managed key. EventBridge cannot publish to a topic encrypted with the AWS managed
/// key, so a topic rules publish to needs [`kms_key`](Self::kms_key) (an
/// `unsupported-encryption` error otherwise).
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
            errors.push(TopicError::RuleWithAwsManagedKey);
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
    /// EventBridge rules may publish, but the topic is encrypted with the AWS managed key
    /// `alias/aws/sns`, which EventBridge cannot use. [`Code::UnsupportedEncryption`].
    RuleWithAwsManagedKey,
}

impl DomainError for TopicError {
    fn code(&self) -> Code {
        match self {
            TopicError::DisplayNameTooLong { .. } => Code::TooLong,
            TopicError::RuleWithAwsManagedKey => Code::UnsupportedEncryption,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            TopicError::RuleWithAwsManagedKey => Some(
                "give the topic a customer managed key (TopicProps::kms_key) whose policy lets \
                 events.amazonaws.com use it"
                    .to_owned(),
            ),
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
            TopicError::RuleWithAwsManagedKey => f.write_str(
                "EventBridge rules may publish, but EventBridge cannot use the AWS managed key \
                 alias/aws/sns the topic is encrypted with",
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
}

impl Topic {
    /// Adds the topic `id` and its policy to `scope`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: TopicProps) -> Self {
        let mut scope = scope.as_scope();
        let topic = Self::add_topic(&mut scope, id, &props);
        let policy = Self::add_policy(&mut scope, id, &topic, &props.rules);
        Self { topic, policy }
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

    /// Adds the one policy of `topic`, `{id}TopicPolicy`: `sns:Publish` for the rules, TLS
    /// required; and explains it in the stack's IAM report.
    pub(crate) fn add_policy(
        scope: &mut Scope<'_>,
        id: &str,
        topic: &Handle<CfnTopic>,
        rules: &[(String, Value<String>)],
    ) -> Handle<TopicPolicy> {
        let id = format!("{id}TopicPolicy");
        let arn: Value<String> = topic.reference().into();
        let shown = topic.logical_id().to_owned();
        let path = format!("{}/{id}", scope.path());
        let mut document = PolicyDocument::new();
        if let Some(allow) = allow_from(EVENTS, "sns:Publish", arn.clone(), rules) {
            document.push(allow);
            scope.explain(explain_allow(EVENTS, "sns:Publish", &path, &shown, rules));
        }
        document.push(Statement::deny_without_tls(
            action("sns:Publish"),
            [arn.clone()],
        ));
        scope.explain(explain_deny("sns:Publish", &path, vec![shown]));
        scope.add(&id, TopicPolicy::new(document, vec![arn]))
    }

    /// The L1 topic: its ARN (`reference()`) and what grants and subscriptions take.
    pub fn topic(&self) -> &Handle<CfnTopic> {
        &self.topic
    }

    /// The topic's one policy.
    pub fn policy(&self) -> &Handle<TopicPolicy> {
        &self.policy
    }
}
