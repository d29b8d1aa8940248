//! Errors and warnings with stable codes, construct paths and hints.
//!
//! Everything that can be wrong with user input is reported as a [`Diagnostic`], never a panic.
//! Synth collects every diagnostic before it writes a file, so one run shows all problems at once
//! and a failed synth leaves the output directory as it was.

use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Synth goes on, and prints the warning.
    Warning,
    /// Synth stops before writing anything.
    Error,
}

/// Declares [`Code`] from one table: each row is the variant's documentation, the variant and
/// its printed name. The enum, [`Code::as_str`] and [`Code::ALL`] are all generated from the
/// rows, so a name cannot drift from its variant and no variant can lack a name.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A stable code for each kind of problem. The codes are part of the public contract:
        /// tests, scripts and users' CI may match on them, so a code is never reused for another
        /// meaning, and a name, once printed, is never changed.
        ///
        /// ```
        /// use constructs::Code;
        ///
        /// assert_eq!(Code::CidrOverlap.as_str(), "cidr-overlap");
        /// assert_eq!(Code::from_name("cidr-overlap"), Some(Code::CidrOverlap));
        /// assert!(Code::ALL.contains(&Code::CidrOverlap));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order declared.
            ///
            /// ```
            /// use constructs::Code;
            ///
            /// assert_eq!(Code::ALL[0], Code::InvalidLogicalId);
            /// ```
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as it is printed: stable, lowercase, hyphenated.
            ///
            /// ```
            /// use constructs::Code;
            ///
            /// assert_eq!(Code::TooManyManagedPolicies.as_str(), "iam-too-many-managed-policies");
            /// ```
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// A logical id is empty, longer than 255 characters, or not alphanumeric.
    InvalidLogicalId = "invalid-logical-id",
    /// Two resources, parameters, conditions, mappings or outputs of one stack share a logical id.
    DuplicateLogicalId = "duplicate-logical-id",
    /// A stack name is not 1–128 characters of letters, digits and hyphens starting with a letter.
    InvalidStackName = "invalid-stack-name",
    /// Two stacks of one app share a name.
    DuplicateStackName = "duplicate-stack-name",
    /// A stack is pinned to a Region AWS does not have, or to an account id that is not 12
    /// digits.
    InvalidEnvironment = "invalid-environment",
    /// A stack references a value of a stack pinned to another Region or account: exports
    /// exist only in their own account and Region, so the import cannot resolve.
    CrossEnvironmentReference = "cross-environment-reference",
    /// A `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn`, condition or mapping names
    /// something that does not exist.
    DanglingReference = "dangling-reference",
    /// `Fn::GetAtt` names an attribute the resource type does not have.
    UnknownAttribute = "unknown-attribute",
    /// A reference comes from a handle of another stack that has the name of one of this app's
    /// stacks (a stack of another app, or an earlier stack of that name).
    ForeignHandle = "foreign-handle",
    /// Resources depend on each other in a circle.
    DependencyCycle = "dependency-cycle",
    /// Stacks reference each other in a circle.
    StackDependencyCycle = "stack-dependency-cycle",
    /// A `DependsOn` names a resource in another stack.
    CrossStackDependsOn = "cross-stack-depends-on",
    /// A condition refers to something other than parameters, pseudo parameters and conditions.
    InvalidCondition = "invalid-condition",
    /// An intrinsic function is used with arguments CloudFormation rejects.
    InvalidIntrinsic = "invalid-intrinsic",
    /// A parameter is malformed: a default that is not a literal, or that breaks the
    /// parameter's own type, allowed values, pattern, length or value bounds; bounds that are
    /// not finite, or a minimum above its maximum.
    InvalidParameter = "invalid-parameter",
    /// More resources, outputs, parameters or mappings than CloudFormation allows in one template.
    LimitExceeded = "limit-exceeded",
    /// The template body is over 51,200 bytes: deploy needs `--s3-bucket` (a warning).
    TemplateNeedsS3 = "template-needs-s3",
    /// The template body is over CloudFormation's 1 MB limit.
    TemplateTooLarge = "template-too-large",
    /// A number in a template is not finite (`NaN` or an infinity): JSON has no way to write
    /// it (serializers write `null`), so CloudFormation would not get the number asked for.
    NonFiniteNumber = "non-finite-number",
    /// Two outputs export one name: in one stack, or in two stacks of the app (export names
    /// are unique per account and Region, so the second stack could not deploy).
    DuplicateExportName = "duplicate-export-name",
    /// A string is longer than CloudFormation or the service allows (descriptions, export
    /// names, an SNS display name, an S3 lifecycle rule id).
    TooLong = "too-long",
    /// A literal string property is shorter or longer than its resource provider schema allows.
    SchemaLength = "schema-length",
    /// A literal property does not match its schema's `pattern`.
    SchemaPattern = "schema-pattern",
    /// A literal property is not one of its schema's enumerated values.
    SchemaEnum = "schema-enum",
    /// A literal number is below its schema's `minimum` or above its `maximum`.
    SchemaRange = "schema-range",
    /// A literal list has fewer or more items than its schema allows, or repeats an item the
    /// schema requires to be unique.
    SchemaItems = "schema-items",
    /// A property the schema requires is missing (`required`, `dependentRequired`), or not
    /// exactly one of a `requiredXor` group is set.
    SchemaRequired = "schema-required",
    /// A template has no resources.
    EmptyTemplate = "empty-template",
    /// An app has no stacks: there is nothing to synthesize, and writing a manifest of no
    /// stacks would only hide that no stack was added.
    EmptyApp = "empty-app",
    /// The output directory could not be written.
    Io = "io",
    /// The output directory holds files synth did not write (no `manifest.json` of an earlier
    /// synth lists them): synth keeps them and says so (a warning).
    ForeignOutputFile = "foreign-output-file",
    /// A VPC block is not an IPv4 network address with a prefix from /16 to /28.
    InvalidVpcBlock = "invalid-vpc-block",
    /// A subnet prefix length is shorter than the VPC's or longer than /28.
    SubnetPrefixOutOfRange = "subnet-prefix-out-of-range",
    /// An AZ count (or maximum) is outside 2–6, or more AZs are asked for than declared.
    AzCountOutOfRange = "az-count-out-of-range",
    /// The tiers do not fit in the VPC block (the message says what was asked and what is free).
    CidrExhausted = "cidr-exhausted",
    /// A pinned or reserved CIDR overlaps another, or lies outside the VPC block.
    CidrOverlap = "cidr-overlap",
    /// An availability zone name or id is empty or malformed, or is not in the region the
    /// stack is pinned to.
    InvalidAvailabilityZone = "invalid-availability-zone",
    /// Zones are asked for by count in a stack pinned to a region the vendored zone data does
    /// not list, so no zone can be written into the template.
    NoZoneData = "no-zone-data",
    /// A NAT gateway count is outside 1 to the VPC's AZ count (no NAT is
    /// `NatStrategy::None`, not a count of 0).
    NatCountOutOfRange = "nat-count-out-of-range",
    /// A literal id of an existing VPC, subnet or security group is not the EC2 form: its
    /// prefix (`vpc-`, `subnet-`, `sg-`) and 8 or 17 lowercase hexadecimal characters.
    InvalidResourceId = "invalid-resource-id",
    /// A group of existing subnets is empty, names one subnet twice, or declares an AZ count
    /// outside 1–6.
    InvalidSubnetGroup = "invalid-subnet-group",
    /// A service runs in subnets with no route out of the VPC, and an interface endpoint it
    /// needs (ECR, CloudWatch Logs, Secrets Manager, …) or the S3 gateway endpoint is missing,
    /// or its image is in a registry no endpoint reaches.
    MissingVpcEndpoints = "missing-vpc-endpoints",
    /// An IAM policy cannot be written as asked. No longer reported: the policy model's own
    /// codes below say which part is wrong. Kept so the name is never given another meaning.
    InvalidIamPolicy = "invalid-iam-policy",
    /// A role's statements need more than 20 managed policies once the inline policy is full.
    TooManyManagedPolicies = "iam-too-many-managed-policies",
    /// An IAM action is not `*` or `service:Name` (a service prefix of letters, digits and
    /// hyphens; a name of letters, digits and hyphens, with `*` and `?` wildcards).
    InvalidIamAction = "iam-invalid-action",
    /// A policy statement id is empty or not made of ASCII letters and digits.
    InvalidIamSid = "iam-invalid-sid",
    /// An IAM condition key is not `prefix:name` (a prefix of letters, digits, dots and hyphens;
    /// a name without whitespace or quotes).
    InvalidIamConditionKey = "iam-invalid-condition-key",
    /// A service principal is not a lowercase DNS name ending in `.amazonaws.com` (or
    /// `.amazonaws.com.cn`).
    InvalidServicePrincipal = "iam-invalid-service-principal",
    /// One policy statement alone is larger than a managed policy may be (6,144 characters), so
    /// no split can place it.
    IamStatementTooLarge = "iam-statement-too-large",
    /// A finding of [`iam::check_template`](crate::iam::check_template): a policy document IAM
    /// does not accept (no `Version` `2012-10-17`, no `Effect`, both or neither of `Action` and
    /// `NotAction`, no `Resource` outside a trust policy).
    MalformedIamPolicy = "iam-malformed-policy",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an action's service is
    /// not in the vendored IAM data.
    UnknownIamService = "iam-unknown-service",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an action does not
    /// exist (or a pattern matches none).
    UnknownIamAction = "iam-unknown-action",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an `Allow` of `*` or of
    /// a partial pattern such as `s3:Get*`.
    WildcardIamAction = "iam-wildcard-action",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an `Allow` of
    /// `service:*`.
    ServiceWildcardIamAction = "iam-service-wildcard-action",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an ARN of a resource type
    /// the action does not accept.
    IamArnTypeMismatch = "iam-arn-type-mismatch",
    /// A finding of [`iam::check_template`](crate::iam::check_template): `Resource: "*"` for an
    /// action that accepts a resource type.
    WildcardIamResource = "iam-wildcard-resource",
    /// A finding of [`iam::check_template`](crate::iam::check_template): a condition operator
    /// IAM does not know.
    UnknownIamConditionOperator = "iam-unknown-condition-operator",
    /// A finding of [`iam::check_template`](crate::iam::check_template): a condition key that
    /// does not apply to the statement's actions.
    UnknownIamConditionKey = "iam-unknown-condition-key",
    /// A finding of [`iam::check_template`](crate::iam::check_template): a principal where none
    /// belongs, none where one is needed, or a malformed or unbounded one.
    InvalidIamPrincipal = "iam-invalid-principal",
    /// A finding of [`iam::check_template`](crate::iam::check_template): a resource policy
    /// allows a service principal without an `aws:SourceArn` or `aws:SourceAccount` condition.
    MissingSourceCondition = "iam-missing-source-condition",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an AWS managed policy
    /// is attached.
    AwsManagedPolicy = "iam-aws-managed-policy",
    /// A finding of [`iam::check_template`](crate::iam::check_template): a second
    /// `QueuePolicy`, `TopicPolicy` or `BucketPolicy` names a queue, topic or bucket that
    /// already has one; the one deployed last replaces the other.
    DuplicateResourcePolicy = "iam-duplicate-resource-policy",
    /// A finding of [`iam::check_template`](crate::iam::check_template): an entry of a
    /// resource's `IamExemptions` metadata names no statement, no known code, or gives no
    /// reason, so it accepts nothing.
    InvalidIamExemption = "iam-invalid-exemption",
    /// A grant names a role that cannot take an `AWS::IAM::Policy`: one imported by ARN only,
    /// where the policy needs the role's name.
    RoleNameUnknown = "iam-role-name-unknown",
    /// [`App::grant`](crate::App::grant) was given a role whose stack is not in the app (or a
    /// role built elsewhere, which has no stack of its own): the policy has nowhere to go.
    GrantOutsideApp = "grant-outside-app",
    /// A Fargate CPU and memory pair given at run time is not in Fargate's table.
    InvalidFargateSize = "invalid-fargate-size",
    /// A container image is untagged or tagged `latest`, so a deploy does not pin what runs.
    MutableImageTag = "mutable-image-tag",
    /// A container or target-group health check has a value outside what ECS or ELB accepts.
    InvalidHealthCheck = "invalid-health-check",
    /// Auto scaling bounds or targets are invalid (minimum above maximum, a target out of range).
    InvalidAutoScaling = "invalid-auto-scaling",
    /// A container setting is invalid (port 0, an empty or repeated variable or secret name, a
    /// desired count below zero).
    InvalidContainer = "invalid-container",
    /// A load balancer setting is invalid (no or malformed ingress CIDRs, a bad log prefix).
    InvalidLoadBalancer = "invalid-load-balancer",
    /// Two routes of one HTTP API have the same route key (method and path, parameter names
    /// aside: `GET /items/{id}` and `GET /items/{key}` are the same route).
    DuplicateRouteKey = "duplicate-route-key",
    /// A route key is not `$default` or `METHOD /path` with a known method, a path of
    /// `/`-separated literal or `{param}` segments, and `{param+}` only as the last segment.
    InvalidRouteKey = "invalid-route-key",
    /// An HTTP API has more routes than API Gateway's default quota of routes per API (300): a
    /// warning, since the quota can be raised for that API by a quota increase request.
    TooManyRoutes = "too-many-routes",
    /// A table key or index key names an attribute the table does not declare.
    UnknownIndexAttribute = "unknown-index-attribute",
    /// A table or index key schema AWS rejects: the same attribute as partition and sort key,
    /// or one attribute declared with two types.
    InvalidKeySchema = "invalid-key-schema",
    /// Two indexes of one table (global or local) share a name.
    DuplicateIndexName = "duplicate-index-name",
    /// An index name is not 3–255 characters of letters, digits, `_`, `-` and `.`.
    InvalidIndexName = "invalid-index-name",
    /// A table has more global secondary indexes than DynamoDB allows (20).
    TooManyIndexes = "too-many-indexes",
    /// An index projection DynamoDB rejects: an `INCLUDE` projection without attributes, an
    /// attribute name outside 1–255 characters, or more than 100 included attributes across
    /// the table's indexes.
    InvalidProjection = "invalid-projection",
    /// An HTTP API's CORS configuration is one API Gateway rejects: credentials allowed for the
    /// `*` origin, a malformed origin, header or method, or a preflight cache age outside
    /// 0–86,400 s.
    InvalidCors = "invalid-cors",
    /// A throttling rate that is not a finite number of zero or more requests per second.
    InvalidThrottling = "invalid-throttling",
    /// A number a building block or pattern writes into a template is outside the range AWS
    /// accepts (the message names the setting and the range), where no more specific code
    /// applies.
    ValueOutOfRange = "value-out-of-range",
    /// A route lists items through an index the table does not have.
    UnknownIndex = "unknown-index",
    /// A Lambda function's memory is outside 128–10,240 MB.
    LambdaMemoryOutOfRange = "lambda-memory-out-of-range",
    /// A Lambda function's timeout is outside 1–900 s, or above a lower cap its pattern sets
    /// (30 s, the HTTP API integration limit).
    LambdaTimeoutOutOfRange = "lambda-timeout-out-of-range",
    /// A Lambda function's ephemeral storage (`/tmp`) is outside 512–10,240 MB.
    LambdaStorageOutOfRange = "lambda-storage-out-of-range",
    /// A Lambda runtime identifier is not one the resource schema knows (a typo, or a runtime
    /// newer than the vendored schema).
    UnknownRuntime = "unknown-runtime",
    /// A Lambda function's code is inline but its runtime is neither Node.js nor Python.
    InlineCodeUnsupported = "inline-code-unsupported",
    /// A Lambda handler is empty, over 128 characters, holds whitespace, or (inline code) does
    /// not start with `index.`.
    InvalidHandler = "invalid-handler",
    /// A Lambda runtime is deprecated (Lambda no longer patches it and will block updates).
    DeprecatedRuntime = "deprecated-runtime",
    /// A route names a handler function that is not declared.
    RouteWithoutHandler = "route-without-handler",
    /// A route requires a JWT but the API has no authorizer.
    MissingAuthorizer = "missing-authorizer",
    /// An EventBridge event pattern or SNS filter policy cannot be used (no fields, a field
    /// without matchers, an empty or out-of-range numeric range, a number beyond ±5.0e9).
    InvalidEventPattern = "invalid-event-pattern",
    /// A `rate()` or `cron()` schedule expression is malformed or out of range (a rate below
    /// 1, a wrong unit, not six cron fields, a value outside its field's range, both or
    /// neither of day-of-month and day-of-week given as `?`).
    InvalidSchedule = "invalid-schedule",
    /// A retry policy is out of range (rule targets: event age 60–86,400 s, 0–185 attempts;
    /// asynchronous Lambda invocation: 60–21,600 s, 0–2 attempts).
    RetryPolicyOutOfRange = "retry-policy-out-of-range",
    /// An input transformer is malformed (an unbound `<name>`, a path not starting with `$`).
    InvalidInputTransformer = "invalid-input-transformer",
    /// FIFO settings disagree: a `.fifo` name on a standard queue or none on a FIFO queue,
    /// content-based deduplication on a standard queue, a FIFO queue targeted without a
    /// message group, or a FIFO queue subscribed to a standard topic.
    FifoMismatch = "fifo-mismatch",
    /// A queue setting is out of range (visibility timeout 0–43,200 s, retention
    /// 60–1,209,600 s, `maxReceiveCount` 1–1,000) or its name is malformed.
    QueueSettingOutOfRange = "queue-setting-out-of-range",
    /// A bucket setting is out of range (an expiration of 0 days).
    BucketSettingOutOfRange = "bucket-setting-out-of-range",
    /// A queue's visibility timeout is less than six times the timeout of a function that
    /// consumes it, so messages would be redelivered while still being processed.
    VisibilityTimeoutTooShort = "visibility-timeout-too-short",
    /// An event source mapping's batch size or batching window is out of range (batch 1–10,
    /// up to 10,000 with a window; window 0–300 s; no window on FIFO queues).
    BatchingOutOfRange = "batching-out-of-range",
    /// An event source mapping's maximum concurrency is outside 2–1,000.
    MaxConcurrencyOutOfRange = "max-concurrency-out-of-range",
    /// A stream event source's setting is out of range (retries 0–10,000, record age
    /// 60–604,800 s, parallelization 1–10).
    StreamSettingOutOfRange = "stream-setting-out-of-range",
    /// A function reads the stream of a table that has no `StreamSpecification`.
    StreamNotEnabled = "stream-not-enabled",
    /// What an event source mapping depends on cannot be read where the function is built: the
    /// queue or table is not (yet) a resource of the function's stack, or the queue's key is not
    /// a customer managed key of the stack, so `kms:Decrypt` cannot be granted on it.
    EventSourceUnreadable = "event-source-unreadable",
    /// A construct was asked to change one of its resources (a queue's or topic's one policy
    /// gaining a sender) through a scope of another stack than the one that holds it.
    NotInThisStack = "not-in-this-stack",
    /// A pipeline function's timeout was outside 1–900 s. No longer reported: every Lambda
    /// function's timeout is checked by the Lambda block, as `lambda-timeout-out-of-range`.
    /// Kept so the name is never given another meaning.
    FunctionTimeoutOutOfRange = "function-timeout-out-of-range",
    /// A resource is encrypted in a way its sender cannot use: EventBridge (rules) or
    /// CloudWatch (alarms) publishing to a topic encrypted with the AWS managed key
    /// `alias/aws/sns`, or with a customer managed key whose policy does not admit the service.
    UnsupportedEncryption = "unsupported-encryption",
    /// A custom event bus is named `default` (the name of the account's own bus) or its name
    /// is not 1–256 letters, digits, `.`, `-` and `_` (a `/` is for partner buses only).
    InvalidEventBusName = "invalid-event-bus-name",
    /// A rule has more than the five targets EventBridge allows.
    TooManyTargets = "too-many-targets",
    /// A rule names one queue, topic, function or event bus as a target twice, or two targets
    /// with one id (a queue and a topic both called `Orders`): a rule's target ids must differ,
    /// and each target gets its own dead-letter queue named after its id.
    DuplicateTarget = "duplicate-target",
    /// A Lambda environment variable name is malformed (not a letter then letters, digits or
    /// `_`), reserved by Lambda (`AWS_REGION`, `_HANDLER`, …), or also set by the construct the
    /// function belongs to (`TABLE_NAME` in a serverless API, a pipeline's topic variables).
    InvalidEnvironmentVariable = "invalid-environment-variable",
    /// A value nests deeper than a template may
    /// ([`MAX_TEMPLATE_DEPTH`](crate::MAX_TEMPLATE_DEPTH) levels of JSON arrays and objects).
    ExpressionTooDeep = "expression-too-deep",
    /// An asset path does not exist.
    AssetNotFound = "asset-not-found",
    /// An asset path is neither a directory nor a `.zip` file, or the `.zip` is not a zip
    /// archive.
    InvalidAsset = "invalid-asset",
    /// An asset directory holds no files, or an asset `.zip` no entries.
    EmptyAsset = "empty-asset",
    /// A file or directory of an asset cannot be read.
    AssetUnreadable = "asset-unreadable",
    /// An asset directory holds a symbolic link, a socket, pipe or device, or a name that is
    /// not UTF-8.
    UnsupportedAssetEntry = "unsupported-asset-entry",
    /// An asset does not fit in a zip without zip64: 65,535 files or more, or 4 GiB or more.
    AssetTooLarge = "asset-too-large",
}

impl Code {
    /// The code printed as `name`, if there is one: the inverse of [`as_str`](Self::as_str).
    ///
    /// ```
    /// use constructs::Code;
    ///
    /// assert_eq!(Code::from_name("invalid-schedule"), Some(Code::InvalidSchedule));
    /// assert_eq!(Code::from_name("InvalidSchedule"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Code::ALL.iter().copied().find(|code| code.as_str() == name)
    }

    /// Whether the code is one of the schema check's (`schema-*`): a literal property value
    /// outside what its resource provider schema allows.
    ///
    /// ```
    /// use constructs::Code;
    ///
    /// assert!(Code::SchemaEnum.is_schema());
    /// assert!(!Code::TooLong.is_schema());
    /// ```
    pub fn is_schema(self) -> bool {
        matches!(
            self,
            Code::SchemaLength
                | Code::SchemaPattern
                | Code::SchemaEnum
                | Code::SchemaRange
                | Code::SchemaItems
                | Code::SchemaRequired
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in an app: what, where, and what to do about it.
///
/// ```
/// use constructs::{Code, Diagnostic};
///
/// let d = Diagnostic::error(Code::DuplicateLogicalId, "Network/Vpc", "logical id `Vpc` is used twice")
///     .with_hint("give one of them another id");
/// assert_eq!(
///     d.to_string(),
///     "error[duplicate-logical-id] Network/Vpc: logical id `Vpc` is used twice (hint: give one of them another id)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// The construct path, `Stack/Construct/Resource`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning.
    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, path, message)
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}[{}] {}: {}", self.code, self.path, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The one shape of a domain error: why some input cannot be used, with a stable [`Code`], a
/// message and perhaps a hint, turned into a [`Diagnostic`] in one way.
///
/// Every error a validating function returns implements it: [`CidrError`](crate::cidr::CidrError),
/// [`FunctionError`](crate::blocks::lambda::FunctionError),
/// [`PipelineError`](crate::pipeline::PipelineError),
/// [`FargateSizeError`](crate::fargate::FargateSizeError),
/// [`FargateError`](crate::fargate::FargateError),
/// [`ServerlessError`](crate::serverless::ServerlessError),
/// [`QueueError`](crate::blocks::sqs::QueueError), [`TopicError`](crate::blocks::sns::TopicError),
/// [`BucketError`](crate::blocks::s3::BucketError),
/// [`PolicyError`](crate::iam::PolicyError), [`AssetError`](crate::asset::AssetError) and
/// [`LogicalIdError`](crate::LogicalIdError). A construct reports one with
/// [`to_diagnostic`](Self::to_diagnostic) and its construct path, so what a user sees at synth is
/// what the error says when the value is checked on its own.
///
/// ```
/// use constructs::cidr::CidrPlan;
/// use constructs::{Code, DomainError};
///
/// let err = &CidrPlan::new("10.0.0.1/16", &[("public", 24)], 3).unwrap_err()[0];
/// assert_eq!(err.code(), Code::InvalidVpcBlock);
/// let d = err.to_diagnostic("Network/Vpc");
/// assert_eq!(d.code, Code::InvalidVpcBlock);
/// assert_eq!(d.path, "Network/Vpc");
/// assert_eq!(d.message, err.message());
/// assert_eq!(d.hint.as_deref(), Some("use 10.0.0.0/16"));
/// ```
pub trait DomainError: std::error::Error {
    /// The stable code.
    fn code(&self) -> Code;

    /// What is wrong, without the code or the hint. By default, what `Display` prints.
    fn message(&self) -> String {
        self.to_string()
    }

    /// What to change, when there is something useful to say.
    fn hint(&self) -> Option<String> {
        None
    }

    /// The error as an error [`Diagnostic`] at the construct path `path`: its code, message and
    /// hint. Implementations do not override it, so every error converts the same way.
    fn to_diagnostic(&self, path: &str) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.code(), path, self.message());
        match self.hint() {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    }
}

/// `Ok` when a check found no problem, else every problem it found: the result shape of every
/// props check (`validate`, `check`), which reports all problems, never only the first.
pub(crate) fn all_problems<E>(problems: Vec<E>) -> Result<(), Vec<E>> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Synth failed: the errors (and any warnings) found. Nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SynthError {
    /// Every diagnostic, errors first, each group in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl SynthError {
    /// The error of a synth that found `diagnostics`: errors first, then warnings, each group in
    /// the order found.
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| std::cmp::Reverse(d.severity));
        Self { diagnostics }
    }

    /// Whether any diagnostic carries `code`.
    pub fn has(&self, code: Code) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl From<Diagnostic> for SynthError {
    fn from(diagnostic: Diagnostic) -> Self {
        Self {
            diagnostics: vec![diagnostic],
        }
    }
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        writeln!(
            f,
            "synth failed with {errors} error(s); nothing was written"
        )?;
        for d in &self.diagnostics {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

/// The largest edit distance for which a "did you mean" hint is given.
const MAX_SUGGESTION_DISTANCE: usize = 2;

/// The candidate nearest to `name` within [`MAX_SUGGESTION_DISTANCE`] edits (the first on ties),
/// unless that would rewrite most of a short name.
pub(crate) fn closest<'n>(
    name: &str,
    candidates: impl Iterator<Item = &'n str>,
) -> Option<&'n str> {
    let mut best: Option<(usize, &'n str)> = None;
    for candidate in candidates {
        let limit = best.map_or(MAX_SUGGESTION_DISTANCE, |(d, _)| d - 1);
        match edit_distance(name, candidate, limit) {
            Some(d) if d > 0 => best = Some((d, candidate)),
            _ => {}
        }
        if matches!(best, Some((1, _))) {
            break;
        }
    }
    best.filter(|&(d, _)| d < name.chars().count())
        .map(|(_, c)| c)
}

/// Levenshtein distance of `a` and `b` when it is at most `limit`.
pub(crate) fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        // Every later row is at least this row's minimum.
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_lowercase_and_hyphenated() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "`{name}` names two codes");
            let well_formed = !name.is_empty()
                && !name.starts_with('-')
                && !name.ends_with('-')
                && !name.contains("--")
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            assert!(well_formed, "`{name}` is not lowercase and hyphenated");
        }
    }

    #[test]
    fn every_code_round_trips_through_its_name() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
            assert_eq!(code.to_string(), code.as_str());
        }
        assert_eq!(Code::from_name(""), None);
        assert_eq!(Code::from_name("Invalid-Logical-Id"), None);
    }

    #[test]
    fn every_domain_error_converts_the_same_way() {
        fn check(error: &dyn DomainError) {
            let d = error.to_diagnostic("Stack/Construct");
            assert!(d.is_error());
            assert_eq!(d.path, "Stack/Construct");
            assert_eq!(
                (d.code, &d.message, &d.hint),
                (error.code(), &error.message(), &error.hint())
            );
        }
        check(&crate::cidr::CidrPlan::new("10.0.0.1/16", &[("a", 24)], 3).unwrap_err()[0]);
        check(&crate::fargate::FargateSize::try_new(1, 1).unwrap_err());
        check(&crate::iam::Action::new("not an action").unwrap_err());
        check(&crate::LogicalId::new("not-an-id").unwrap_err());
        check(&crate::asset::pack("does/not/exist").unwrap_err());
        let function = crate::blocks::lambda::FunctionProps::python("...").memory_mb(1);
        check(&function.check().unwrap_err()[0]);
        let schedule = crate::pipeline::Schedule::cron("0 25 * * ? *");
        check(&schedule.expression().unwrap_err()[0]);
    }
}
