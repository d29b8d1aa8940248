//! Event pipelines: EventBridge rules, SQS queues with dead-letter queues, SNS fan-out and
//! Lambda consumers, encrypted and least-privilege by default.
//!
//! Describe the whole pipeline in an [`EventPipelineProps`]: each `queue`, `topic`,
//! `function`, `bucket` and `rule` call adds a part under an id and returns a typed key
//! ([`QueueKey`], [`TopicKey`], …) that connects it to the others, so a topic cannot be
//! given where a queue is expected. [`EventPipeline::new`] then builds it all at once, which
//! lets it derive what depends on the whole: a queue's visibility timeout from the functions
//! that consume it, one resource policy per queue and topic naming exactly the rules and topics
//! that send to it, and each role's exact grants.
//!
//! Values are checked as AWS checks them ([`EventPattern`], [`Schedule`], [`RetryPolicy`],
//! [`ConsumeProps`]; the queue, topic, bucket and function props are the blocks' and are
//! checked there); each check is available on its own and returns every problem, each a
//! domain error ([`PipelineError`], or the block's own) with a stable [`Code`](crate::Code),
//! and the construct reports the same errors with the construct path at synth.

mod error;
mod event_pipeline;
mod pattern;
mod props;
mod retry;
mod rule;
mod schedule;
mod topic;

pub use error::PipelineError;
pub use event_pipeline::{EventPipeline, PipelineFunction, PipelineQueue, FUNCTION_TIMEOUT_SECS};
pub use pattern::{EventPattern, Matcher, NumericRange, MAX_NUMERIC};
pub use props::{BucketKey, EventPipelineProps, FunctionKey, QueueKey, RuleKey, TopicKey};
pub use retry::RetryPolicy;
pub use rule::{InputTransformer, RuleProps, Target, MAX_TARGETS_PER_RULE};
pub use schedule::{RateUnit, Schedule};
pub use topic::{FilterPolicy, SubscriptionProps};

// The queue and topic props are the SQS and SNS blocks', and how a function reads a queue the
// Lambda block's; re-exported here, where a pipeline's users meet them.
pub use crate::blocks::lambda::ConsumeProps;
pub use crate::blocks::sns::{TopicProps, SNS_AWS_MANAGED_KEY};
pub use crate::blocks::sqs::{QueueEncryption, QueueProps, DEAD_LETTER_RETENTION_SECS};
