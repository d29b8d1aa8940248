//! Serverless APIs: API Gateway HTTP API, Lambda and DynamoDB.
//!
//! [`ServerlessApi`] builds the client → HTTP API → Lambda → DynamoDB pattern from a table
//! ([`TableProps`]), functions ([`FunctionProps`]) and routes ([`Route`]) that say what they do
//! to the data. Each function's role is derived from its routes: reading one item grants
//! `dynamodb:GetItem`, listing through an index grants `dynamodb:Query` on that index only, and
//! so on; nothing is granted that no route declares. Runtimes are a [`Runtime`] enum of
//! current runtimes, so a deprecated one cannot be named except through the checked escape
//! hatch [`Runtime::Other`].

mod alarms;
mod function;
mod handler;
mod http_api;
mod props;
mod route;
mod runtime;
mod serverless_api;
mod table;

pub use function::{
    FunctionCode, FunctionProps, MAX_HTTP_TIMEOUT_SECS, MAX_MEMORY_MB, MIN_MEMORY_MB,
};
pub use handler::ApiFunction;
pub use props::{CorsConfig, CustomDomain, JwtAuthorizer, ServerlessApiProps};
pub use route::{DataAccess, Route, METHODS};
pub use runtime::{Architecture, Runtime, DEPRECATED_RUNTIMES};
pub use serverless_api::ServerlessApi;
pub use table::{AttributeType, GlobalIndex, StreamView, TableProps};
