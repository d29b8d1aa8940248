//! Serverless APIs: API Gateway HTTP API, Lambda and DynamoDB.
//!
//! [`ServerlessApi`] builds the client → HTTP API → Lambda → DynamoDB pattern from a table
//! ([`TableProps`]), functions (the Lambda block's
//! [`FunctionProps`](crate::blocks::lambda::FunctionProps)) and routes ([`Route`]) that say
//! what they do to the data. Each function's role is derived from its routes: reading one item
//! grants `dynamodb:GetItem`, listing through an index grants `dynamodb:Query` on that index
//! only, and so on; nothing is granted that no route declares. Functions behind the API may run
//! at most [`MAX_HTTP_TIMEOUT_SECS`](crate::blocks::lambda::MAX_HTTP_TIMEOUT_SECS).

mod alarms;
mod error;
mod handler;
mod http_api;
mod props;
mod route;
mod serverless_api;
mod table;

pub use error::ServerlessError;
pub use handler::ApiFunction;
pub use props::{
    CorsConfig, CustomDomain, JwtAuthorizer, ServerlessApiProps, CORS_MAX_AGE_SECS, CORS_METHODS,
};
pub use route::{DataAccess, Route, METHODS, ROUTES_PER_API_QUOTA};
pub use serverless_api::ServerlessApi;
pub use table::{
    AttributeType, GlobalIndex, StreamView, TableProps, MAX_GLOBAL_INDEXES,
    MAX_PROJECTED_ATTRIBUTES,
};
