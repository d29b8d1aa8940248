//! Least-privilege IAM: policy documents, and their proof against AWS's action data.
//!
//! ## Writing policies
//!
//! A [`PolicyDocument`] holds [`Statement`]s. A statement is built from its effect and a first
//! [`Action`] (validated `service:Name`), then resources (any `Value<String>`: a literal ARN, a
//! `Fn::GetAtt`, a `Fn::Sub`), a [`Principal`] for resource and trust policies, and
//! [`Condition`]s with typed operators. The document converts into the `Value<Json>` that the
//! generated `PolicyDocument` and `AssumeRolePolicyDocument` properties take.
//!
//! ```
//! use constructs::iam::{Action, Condition, ConditionKey, PolicyDocument, Principal, Statement};
//! use constructs::{fns, kinds::Json, Value};
//!
//! let rule_arn = fns::sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/orders");
//! let queue_policy = PolicyDocument::new().statement(
//!     Statement::allow(Action::new("sqs:SendMessage").unwrap())
//!         .principal(Principal::service("events.amazonaws.com").unwrap())
//!         .resource("arn:aws:sqs:us-east-1:123456789012:orders")
//!         .condition(Condition::arn_equals(ConditionKey::SOURCE_ARN, rule_arn)),
//! );
//! let property: Value<Json> = queue_policy.into();
//! # let _ = property;
//! ```
//!
//! Output is deterministic and always the same shape: keys in a fixed order, every list an
//! array even of one item, actions and resources sorted and without duplicates.
//!
//! ## Size
//!
//! [`PolicyDocument::merged`] merges statements that share effect and conditions, have no `Sid`
//! and agree on two of actions, resources and principal. [`PolicyDocument::size`] estimates the
//! characters IAM will count (whitespace not counted, intrinsics at the length they resolve
//! to), and [`PolicyDocument::split_for_role`] lays a role's statements out in one inline
//! policy under 10,240 characters plus managed policies of at most 6,144 each; needing more
//! than 20 managed policies is a [`PolicyError`] with code `iam-too-many-managed-policies`.
//!
//! ## Proof
//!
//! [`check_template`] walks every policy of a rendered template and checks it against the
//! vendored copy of AWS's service authorization reference ([`ActionData`]): actions exist,
//! accept the ARNs they are paired with, condition keys apply, no wildcard actions, `*` only
//! for actions that take no resource, service principals in resource policies carry a source
//! condition, and no AWS managed policy is attached. See [`check`](check_template) for each
//! rule and its code.
//!
//! Trust policies of service roles carry `aws:SourceAccount` and `aws:SourceArn`
//! ([`ServiceRole::scoped_to`](crate::blocks::iam::ServiceRole::scoped_to)) where the service sets them: flow logs, ECS tasks, EventBridge
//! rules. Lambda execution roles carry none, the form AWS documents: only whoever may
//! `iam:PassRole` it can give the role to a function, and a condition naming the function
//! would be circular (the function names the role).

mod action;
mod check;
mod choice;
mod condition;
mod data;
mod error;
mod exprs;
mod glob;
mod grant;
mod handle_grants;
mod merge;
mod policy;
pub mod presets;
mod principal;
mod report;
mod size;
mod split;
mod statement;

pub use action::Action;
pub use check::{
    check_document, check_template, Finding, PolicyKind, EXEMPTIONS_METADATA_KEY,
    RESOURCE_STAR_ACTIONS,
};
pub use choice::StatementChoice;
pub use condition::{
    Condition, ConditionKey, ConditionOperator, Conditions, Operator, SetQualifier,
};
pub use data::{
    AccessLevel, ActionData, ActionDef, ActionResource, DataSource, ResourceType, Service,
};
pub use error::{PolicyError, PolicyErrorKind};
pub(crate) use grant::{action, service_principal};
pub use grant::{Grant, Grantee, Preset};
pub use policy::{PolicyDocument, POLICY_VERSION};
pub use principal::{Principal, PrincipalKind};
pub(crate) use report::{describe, describe_choices, describe_statements};
pub use report::{GrantExplanation, PolicyExplanation};
pub(crate) use size::estimated_size;
pub use size::{policy_size, ESTIMATED_REFERENCE_CHARS};
pub use split::{
    RoleLimits, RolePolicies, MAX_INLINE_ROLE_POLICY_CHARS, MAX_MANAGED_POLICIES_PER_ROLE,
    MAX_MANAGED_POLICY_CHARS,
};
pub use statement::{Effect, Listing, Sid, Statement};
