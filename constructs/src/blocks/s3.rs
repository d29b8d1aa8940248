//! S3: [`Bucket`], a private, encrypted bucket with exactly one bucket policy that requires TLS.

use std::fmt;

use crate::cfn::kms::Key;
use crate::cfn::s3::bucket::{
    BucketEncryption as CfnBucketEncryption, EventBridgeConfiguration, LifecycleConfiguration,
    NoncurrentVersionExpiration, NotificationConfiguration, OwnershipControls,
    OwnershipControlsRule, PublicAccessBlockConfiguration, Rule, ServerSideEncryptionByDefault,
    ServerSideEncryptionRule, VersioningConfiguration,
};
use crate::cfn::s3::{Bucket as CfnBucket, BucketPolicy};
use crate::diagnostics::{all_problems, Code, DomainError};
use crate::iam::{
    action, describe_choices, describe_statements, presets, Condition, ConditionKey,
    PolicyDocument, Principal, Statement, StatementChoice,
};
use crate::{AsScope, Handle, ResourceOptions, Scope};

use super::resource_policy::explain_deny;

/// How a bucket encrypts objects at rest.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum BucketEncryption {
    /// S3-managed keys (SSE-S3, `AES256`): the default, free.
    #[default]
    S3Managed,
    /// A customer managed KMS key (SSE-KMS, with an S3 bucket key to cut KMS requests).
    Kms(Handle<Key>),
}

/// The choices of a [`Bucket`]. The defaults are the secure ones every bucket of the library
/// has: every kind of public access blocked, ACLs disabled (`BucketOwnerEnforced`), SSE-S3,
/// versioning on, and a policy denying requests without TLS.
///
/// ```
/// use constructs::blocks::s3::BucketProps;
///
/// let props = BucketProps::new().expire_objects("ExpireUploads", 30).event_bridge();
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct BucketProps {
    pub(crate) versioned: bool,
    pub(crate) encryption: BucketEncryption,
    pub(crate) expiration: Option<(String, i64)>,
    pub(crate) event_bridge: bool,
    pub(crate) policy: Vec<Statement>,
}

impl BucketProps {
    /// The secure defaults, versioning on.
    pub fn new() -> Self {
        Self {
            versioned: true,
            encryption: BucketEncryption::S3Managed,
            expiration: None,
            event_bridge: false,
            policy: Vec::new(),
        }
    }

    /// Turns versioning off.
    pub fn unversioned(mut self) -> Self {
        self.versioned = false;
        self
    }

    /// How objects are encrypted at rest (default SSE-S3).
    pub fn encryption(mut self, encryption: BucketEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Deletes objects `days` after they are written, through a lifecycle rule named `rule_id`;
    /// on a versioned bucket the rule also deletes a version `days` after a newer one replaced
    /// it (an expiration alone would only add a delete marker there).
    pub fn expire_objects(mut self, rule_id: impl Into<String>, days: u32) -> Self {
        self.expiration = Some((rule_id.into(), i64::from(days)));
        self
    }

    /// Sends the bucket's events to EventBridge (so rules can match object creation).
    pub fn event_bridge(mut self) -> Self {
        self.event_bridge = true;
        self
    }

    /// One more statement for the bucket's one policy, before its TLS-only deny: a service
    /// principal's access, with its `aws:SourceAccount` or `aws:SourceArn` condition.
    pub fn policy_statement(mut self, statement: Statement) -> Self {
        self.policy.push(statement);
        self
    }
}

impl BucketProps {
    /// Every setting S3 would reject, all at once.
    ///
    /// ```
    /// use constructs::blocks::s3::BucketProps;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = BucketProps::new().expire_objects("x".repeat(256), 0).validate().unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::BucketSettingOutOfRange, Code::TooLong]);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<BucketError>> {
        let mut errors = Vec::new();
        if let Some((rule_id, days)) = &self.expiration {
            if *days < 1 {
                errors.push(BucketError::ExpirationNotPositive);
            }
            let chars = rule_id.chars().count();
            if chars > MAX_RULE_ID_LEN {
                errors.push(BucketError::RuleIdTooLong { chars });
            }
        }
        all_problems(errors)
    }
}

/// The longest lifecycle rule id (`AWS::S3::Bucket.Rule.Id`'s `maxLength`).
const MAX_RULE_ID_LEN: usize = 255;

/// One thing wrong with a [`BucketProps`], found by [`BucketProps::validate`] and reported by
/// [`Bucket`] at synth with its construct path; its code and hint come from [`DomainError`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BucketError {
    /// Objects would expire after 0 days; S3 takes a positive number.
    /// [`Code::BucketSettingOutOfRange`].
    ExpirationNotPositive,
    /// The lifecycle rule id is over 255 characters. [`Code::TooLong`].
    RuleIdTooLong {
        /// Its length in characters.
        chars: usize,
    },
}

impl DomainError for BucketError {
    fn code(&self) -> Code {
        match self {
            BucketError::ExpirationNotPositive => Code::BucketSettingOutOfRange,
            BucketError::RuleIdTooLong { .. } => Code::TooLong,
        }
    }
}

impl fmt::Display for BucketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BucketError::ExpirationNotPositive => {
                f.write_str("objects expire after 0 days; S3 takes at least 1")
            }
            BucketError::RuleIdTooLong { chars } => write!(
                f,
                "the lifecycle rule id is {chars} characters; S3 takes {MAX_RULE_ID_LEN}"
            ),
        }
    }
}

impl std::error::Error for BucketError {}

impl Default for BucketProps {
    fn default() -> Self {
        Self::new()
    }
}

/// A private, encrypted S3 bucket and its one bucket policy, retained when its stack is
/// deleted (it holds data).
///
/// What it adds under its id (say `Uploads`): `UploadsBucket`, and `UploadsBucketPolicy`
/// holding the props' statements followed by a deny of every request without TLS on the bucket
/// and its objects. The policy is listed by `--explain-iam`.
///
/// ```
/// use constructs::blocks::s3::{Bucket, BucketProps};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Storage");
/// let uploads = Bucket::new(&mut stack, "Uploads", BucketProps::new());
/// assert_eq!(uploads.bucket().logical_id(), "UploadsBucket");
/// assert_eq!(uploads.policy().logical_id(), "UploadsBucketPolicy");
/// app.add_stack(stack);
/// let json = app.assemble().unwrap().stack("Storage").unwrap().json.clone();
/// assert!(json.contains(r#""aws:SecureTransport""#));
/// assert!(json.contains(r#""RestrictPublicBuckets": true"#));
/// ```
#[derive(Clone, Debug)]
pub struct Bucket {
    bucket: Handle<CfnBucket>,
    policy: Handle<BucketPolicy>,
}

impl Bucket {
    /// Adds the bucket `id` and its policy to `scope`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: BucketProps) -> Self {
        let mut scope = scope.as_scope();
        let bucket = Self::add_bucket(&mut scope, id, &props);
        let policy = Self::add_policy(&mut scope, id, &bucket, props.policy, Vec::new());
        Self { bucket, policy }
    }

    /// Adds the bucket `{id}Bucket` alone; its policy follows with [`Bucket::add_policy`], once
    /// whoever writes it knows every statement (a pattern writes its policies last).
    pub(crate) fn add_bucket(
        scope: &mut Scope<'_>,
        id: &str,
        props: &BucketProps,
    ) -> Handle<CfnBucket> {
        if let Err(errors) = props.validate() {
            let path = format!("{}/{id}", scope.path());
            for error in errors {
                scope.report(error.to_diagnostic(&path));
            }
        }
        let by_default = match &props.encryption {
            BucketEncryption::S3Managed => ServerSideEncryptionByDefault::new("AES256"),
            BucketEncryption::Kms(key) => {
                ServerSideEncryptionByDefault::new("aws:kms").kms_master_key_id(key.att_arn())
            }
        };
        let mut rule =
            ServerSideEncryptionRule::new().server_side_encryption_by_default(by_default);
        if matches!(props.encryption, BucketEncryption::Kms(_)) {
            rule = rule.bucket_key_enabled(true);
        }
        let mut bucket = CfnBucket::new()
            .bucket_encryption(CfnBucketEncryption::new(vec![rule]))
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            )
            .ownership_controls(OwnershipControls::new(vec![
                OwnershipControlsRule::new().object_ownership("BucketOwnerEnforced")
            ]));
        if props.event_bridge {
            bucket = bucket.notification_configuration(
                NotificationConfiguration::new()
                    .event_bridge_configuration(EventBridgeConfiguration::new(true)),
            );
        }
        if props.versioned {
            bucket = bucket.versioning_configuration(VersioningConfiguration::new("Enabled"));
        }
        if let Some((rule_id, days)) = &props.expiration {
            let mut rule = Rule::new("Enabled")
                .id(rule_id.as_str())
                .expiration_in_days(*days);
            // On a versioned bucket an expiration only adds a delete marker: the object's
            // versions must expire too, or nothing is ever deleted.
            if props.versioned {
                rule = rule.noncurrent_version_expiration(NoncurrentVersionExpiration::new(*days));
            }
            bucket = bucket.lifecycle_configuration(LifecycleConfiguration::new(vec![rule]));
        }
        scope.add_with(
            &format!("{id}Bucket"),
            bucket,
            ResourceOptions::new().retain(),
        )
    }

    /// Adds the one policy of `bucket`, `{id}BucketPolicy`: `statements`, then the TLS-only
    /// deny, then `choices` (statements CloudFormation picks at deploy time); and explains it
    /// in the stack's IAM report.
    pub(crate) fn add_policy(
        scope: &mut Scope<'_>,
        id: &str,
        bucket: &Handle<CfnBucket>,
        statements: Vec<Statement>,
        choices: Vec<StatementChoice>,
    ) -> Handle<BucketPolicy> {
        let policy_id = format!("{id}BucketPolicy");
        let path = format!("{}/{policy_id}", scope.path());
        // The TLS-only deny, with `aws:SecureTransport` compared to the JSON boolean `false`
        // (which S3 takes as the policy grammar does): AWS's Guard rule for TLS-only buckets
        // (`S3_BUCKET_SSL_REQUESTS_ONLY`) matches only that form, not the string `"false"`.
        let deny = Statement::deny(action("s3:*"))
            .principal(Principal::any())
            .resources([bucket.att_arn(), presets::s3::objects_arn(bucket)])
            .condition(Condition::bool_literal(
                ConditionKey::SECURE_TRANSPORT,
                false,
            ));
        for explanation in describe_statements(&path, &statements) {
            scope.explain(explanation);
        }
        let shown = format!("{}.Arn", bucket.logical_id());
        scope.explain(explain_deny(
            "s3:*",
            &path,
            vec![shown.clone(), format!("{shown}/*")],
        ));
        for explanation in describe_choices(&path, &choices) {
            scope.explain(explanation);
        }
        let mut document = PolicyDocument::new();
        for statement in statements {
            document.push(statement);
        }
        document.push(deny);
        for choice in choices {
            document.push_choice(choice);
        }
        scope.add(&policy_id, BucketPolicy::new(bucket.reference(), document))
    }

    /// The L1 bucket: its name (`reference()`), ARN, and what grants take.
    pub fn bucket(&self) -> &Handle<CfnBucket> {
        &self.bucket
    }

    /// The bucket's one policy.
    pub fn policy(&self) -> &Handle<BucketPolicy> {
        &self.policy
    }
}
