//! # constructs
//!
//! Typed infrastructure in Rust that synthesizes AWS CloudFormation templates you deploy as they
//! are.
//!
//! ## The workflow
//!
//! 1. Describe stacks in Rust: add L1 resources (one typed struct per CloudFormation type, in
//!    [`cfn`]) to a [`Stack`], or let a construct add a whole pattern.
//! 2. Synthesize: `cargo run --example NAME` validates every stack and writes
//!    `synth.out/<Stack>.template.json` plus `manifest.json` (deploy order).
//! 3. Deploy each template, in the manifest's order:
//!    `aws cloudformation deploy --template-file synth.out/<Stack>.template.json
//!    --stack-name <Stack> --capabilities CAPABILITY_IAM`.
//!
//! ## A first stack
//!
//! ```
//! use constructs::{App, Stack, cfn::ec2::{Subnet, Vpc}, fns};
//!
//! let mut app = App::new();
//! let mut network = Stack::new("Network");
//! let vpc = network.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
//! network.add(
//!     "SubnetA",
//!     Subnet::new(vpc.reference())
//!         .cidr_block("10.0.0.0/24")
//!         .availability_zone(fns::select(0, fns::get_azs())),
//! );
//! app.add_stack(network);
//!
//! let assembly = app.assemble().unwrap();
//! let json = &assembly.stack("Network").unwrap().json;
//! assert!(json.contains(r#""VpcId": {
//!           "Ref": "Vpc"
//!         }"#));
//! ```
//!
//! Required properties are constructor arguments, so leaving one out does not compile;
//! references are typed, so a subnet id cannot be passed where a VPC id belongs; and
//! `Fn::GetAtt` methods exist only for attributes the type has.
//!
//! ## Constructs
//!
//! Four production patterns, each a construct that adds a complete, checked set of resources
//! under an id you choose (the id prefixes every logical id, so moving code never renames a
//! resource):
//!
//! - [`network::VpcThreeTier`]: public, app and database subnets per AZ from a growth-stable
//!   [`cidr`] plan, NAT, endpoints, flow logs and tiered security groups;
//! - [`serverless::ServerlessApi`]: HTTP API, Lambda and DynamoDB, least privilege per route;
//! - [`fargate::FargateService`]: ECS on Fargate behind an ALB, secure by default;
//! - [`pipeline::EventPipeline`]: EventBridge, SQS with dead-letter queues, SNS fan-out and
//!   Lambda consumers.
//!
//! ```
//! use constructs::network::{VpcThreeTier, VpcThreeTierProps};
//! use constructs::{App, Stack};
//!
//! let mut app = App::new();
//! let mut stack = Stack::new("Network");
//! let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
//! // Subnet groups carry their tier: a construct that needs private subnets asks for
//! // `&SubnetGroup<App>`, and `network.public_subnets()` does not fit there.
//! assert_eq!(network.app_subnets().cidrs(), ["10.0.8.0/24", "10.0.9.0/24", "10.0.10.0/24"]);
//! app.add_stack(stack);
//! assert!(app.assemble().is_ok());
//! ```
//!
//! ## Building blocks
//!
//! The patterns are compositions of small constructs in [`blocks`], one module per service,
//! which you can use directly beside a pattern with the same checks and defaults:
//! [`blocks::lambda::Function`] (a function with its own role and log group),
//! [`blocks::logs::LogGroup`], [`blocks::sqs::Queue`], [`blocks::sns::Topic`],
//! [`blocks::s3::Bucket`], [`blocks::ec2::Allow`] and [`blocks::iam::ServiceRole`].
//!
//! ```
//! use constructs::blocks::lambda::{Function, FunctionProps};
//! use constructs::{App, Code, Stack};
//!
//! let mut app = App::new();
//! let mut stack = Stack::new("Jobs");
//! Function::new(&mut stack, "Nightly", FunctionProps::python("...").timeout_secs(901));
//! app.add_stack(stack);
//! let error = app.assemble().unwrap_err();
//! assert!(error.has(Code::LambdaTimeoutOutOfRange));
//! assert_eq!(error.errors().next().unwrap().path, "Jobs/Nightly");
//! ```
//!
//! ## Least privilege
//!
//! Roles are [`blocks::iam::ServiceRole`]s assumed by exactly one service and holding only grants:
//! `queue.grant_consume(&mut role)`, or the presets in [`iam::presets`], one module per service,
//! typed by the resource they apply to. No AWS managed policy is attached. The test suite checks
//! every policy of every example against AWS's published action data ([`iam::check_template`]),
//! and `--explain-iam` prints what each role may do and which grant asked for it.
//!
//! ## Errors
//!
//! Nothing a user writes makes synth panic. Problems are [`Diagnostic`]s with a stable [`Code`],
//! the construct path and a hint; synth reports all of them at once and writes nothing when any
//! is an error.
//!
//! Every code is declared once, in [`Code`]. A value checked on its own (a CIDR plan, a
//! schedule, a function's props) returns a [`DomainError`]: its code, message and hint, which a
//! construct turns into a [`Diagnostic`] with its path. A check that can find several problems
//! returns all of them.
//!
//! ```
//! use constructs::network::{Azs, VpcThreeTier, VpcThreeTierProps};
//! use constructs::{App, Code, Stack};
//!
//! let mut app = App::new();
//! let mut stack = Stack::new("Network");
//! VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16").azs(Azs::Count(9)));
//! app.add_stack(stack);
//! let error = app.assemble().unwrap_err();
//! assert!(error.has(Code::AzCountOutOfRange));
//! assert_eq!(error.errors().next().unwrap().path, "Network/Network");
//! ```
//!
//! ## Style
//!
//! The conventions the library keeps, so code built on it can keep them too:
//!
//! - **Layers.** [`cfn`] holds the generated L1 types; [`blocks`] the building blocks made of
//!   them; the patterns ([`network`], [`serverless`], [`fargate`], [`pipeline`]) are made of
//!   blocks, and no pattern imports another. [`iam`] is policy data: it builds no resource.
//! - **Constructs** are `Type::new(scope: &mut impl AsScope, id, props) -> Type`, and the value
//!   returned hands out everything the construct added (`function.role()`,
//!   `bucket.policy()`).
//! - **Props** are values built by consuming methods (`fn x(mut self, …) -> Self`,
//!   `#[must_use]`); what a construct cannot do without is a constructor argument
//!   (`FunctionProps::new(runtime, handler, code)`), everything else has a secure default.
//! - **Units** are in the name: durations in whole seconds end in `_secs` (`timeout_secs`,
//!   `max_event_age_secs`), sizes in `_mb`. A quantity AWS accepts only some values of is an
//!   enum ([`blocks::logs::RetentionDays`]), not a number.
//! - **Errors.** Building never fails or panics: a construct checks its props and reports every
//!   problem to its scope as a [`Diagnostic`] with a stable [`Code`], the construct path and a
//!   hint, and synth refuses to write anything. Props offer the same checks on their own,
//!   returning every problem at once ([`blocks::lambda::FunctionProps::check`]); their errors
//!   are enums whose variants say when they happen, with `code()` and `hint()`.
//! - **Logical ids** are `{id}{Suffix}`, with the fixed suffixes each construct documents
//!   (`{id}Function`, `{id}Role`, `{id}Logs`), never a hash of where the code sits. A changed
//!   logical id makes CloudFormation replace the resource, so a refactor keeps them.
#![deny(missing_docs)]

mod app;
pub mod asset;
pub mod blocks;
pub mod cfn;
pub mod cidr;
mod diagnostics;
pub mod fargate;
pub mod iam;
mod model;
pub mod network;
pub mod pipeline;
mod resource;
pub mod serverless;
pub mod synth;

pub use app::{
    region, App, AppGrants, AsScope, Env, Output, Parameter, Scope, Stack, StackGrants,
    MAX_STACK_NAME_LEN,
};
pub use diagnostics::{Code, Diagnostic, DomainError, Severity, SynthError};
pub use model::expr::{Expr, StackRef};
pub use model::fns;
pub use model::logical_id::{LogicalId, LogicalIdError, MAX_LOGICAL_ID_LEN};
pub use model::template::{
    ConditionRef, DeletionPolicy, Export, Mapping, MappingRef, Output as TemplateOutput,
    Parameter as TemplateParameter, ResourceEntry, Template, FORMAT_VERSION, MAX_TEMPLATE_DEPTH,
};
pub use model::value::{kinds, Value};
pub use resource::{AnyHandle, Handle, PropertyType, Resource, ResourceOptions, Tagging};
