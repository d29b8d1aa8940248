//! Building blocks: small constructs with secure defaults, between the generated L1 types
//! ([`cfn`](crate::cfn)) and the patterns ([`network`](crate::network),
//! [`serverless`](crate::serverless), [`fargate`](crate::fargate),
//! [`pipeline`](crate::pipeline)).
//!
//! Each block is one module per AWS service, takes `(scope, id, props)` like a pattern, checks
//! its props as AWS would and reports every problem at synth with its construct path. The
//! patterns are built from these blocks, so a user who adds one more function next to a
//! pattern gets the same checks, defaults and least-privilege role as the pattern's own.
//!
//! - [`ec2::Allow`]: one group may reach another on a port, as the egress and ingress pair;
//! - [`iam::ServiceRole`]: a role one service assumes, holding only its grants;
//! - [`lambda::Function`]: a function with its role and log group;
//! - [`logs::LogGroup`]: a log group with a typed [`logs::RetentionDays`], retained on delete;
//! - [`s3::Bucket`]: a private, encrypted bucket with one TLS-only bucket policy;
//! - [`sns::Topic`]: an encrypted topic with one policy naming its publishers, and
//!   [`sns::FunctionSubscription`]: a function subscribed to any topic, with its permission and
//!   dead-letter queue;
//! - [`sqs::Queue`]: an encrypted queue with its dead-letter queue and one policy per queue
//!   naming every sender.
//!
//! A queue's or topic's one policy takes senders from outside its construct after it was built
//! ([`QueueSender`], [`TopicSender`]): the policy is rewritten in place, never joined by a
//! second one.

pub mod ec2;
pub mod iam;
pub mod lambda;
pub mod limits;
pub mod logs;
pub(crate) mod resource_policy;
pub use resource_policy::{QueueSender, TopicSender};
pub mod s3;
pub mod sns;
pub mod sqs;
