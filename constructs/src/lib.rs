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
//! ## Errors
//!
//! Nothing a user writes makes synth panic. Problems are [`Diagnostic`]s with a stable [`Code`],
//! the construct path and a hint; synth reports all of them at once and writes nothing when any
//! is an error.
#![deny(missing_docs)]

mod app;
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

pub use app::{App, AsScope, Env, Output, Parameter, Scope, Stack, MAX_STACK_NAME_LEN};
pub use diagnostics::{Code, Diagnostic, Severity, SynthError};
pub use model::expr::Expr;
pub use model::fns;
pub use model::logical_id::{LogicalId, LogicalIdError, MAX_LOGICAL_ID_LEN};
pub use model::template::{
    ConditionRef, DeletionPolicy, Export, Mapping, MappingRef, Output as TemplateOutput,
    Parameter as TemplateParameter, ResourceEntry, Template, FORMAT_VERSION,
};
pub use model::value::{kinds, Value};
pub use resource::{AnyHandle, Handle, PropertyType, Resource, ResourceOptions, Tagging};
