//! Lambda: [`Function`], a function with its own role and log group, and the one
//! [`FunctionProps`] every function of the library is described with.
//!
//! Runtimes are a [`Runtime`] enum of current runtimes (from Lambda's lifecycle data as cfn-lint
//! ships it), so a deprecated one cannot be named except through the checked escape hatch
//! [`Runtime::Other`]. Inline code is refused for runtimes CloudFormation cannot take it for;
//! memory, timeout, `/tmp`, handler, environment names and asynchronous retries are checked
//! against Lambda's limits, all problems at once.
//!
//! An [`EventSource`] (a queue with [`ConsumeProps`], a table's stream with [`StreamProps`])
//! has Lambda poll it for a function, with exactly the grants that takes.

mod error;
mod event_source;
mod function;
mod limits;
mod props;
mod runtime;

pub use error::FunctionError;
pub(crate) use event_source::{queue_grants, queue_mapping, VISIBILITY_FACTOR};
pub use event_source::{
    ConsumeProps, EventSource, EventSourceError, StartingPosition, StreamFailure, StreamProps,
    MAX_BATCHING_WINDOW_SECS,
};
pub use function::Function;
pub(crate) use function::{Layout, Logs};
pub use limits::{
    DEFAULT_TIMEOUT_SECS, MAX_EPHEMERAL_STORAGE_MB, MAX_EVENT_AGE_SECS, MAX_HTTP_TIMEOUT_SECS,
    MAX_MEMORY_MB, MAX_RETRY_ATTEMPTS, MAX_TIMEOUT_SECS, MIN_EPHEMERAL_STORAGE_MB,
    MIN_EVENT_AGE_SECS, MIN_MEMORY_MB,
};
pub use props::{AsyncInvoke, Destination, FunctionCode, FunctionProps, RESERVED_ENVIRONMENT};
pub use runtime::{Architecture, Runtime, DEPRECATED_RUNTIMES, KNOWN_RUNTIMES};
