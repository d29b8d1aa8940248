//! Why a serverless API's route or table cannot be built: [`ServerlessError`], one variant per
//! case, each with a stable [`Code`].

use std::fmt;

use crate::diagnostics::{Code, DomainError};

use crate::blocks::limits::NameProblem;

use super::props::{CORS_MAX_AGE_SECS, CORS_METHODS};
use super::route::{METHODS, ROUTES_PER_API_QUOTA};

/// What [`ServerlessApi`](super::ServerlessApi) found wrong with a route or the table; it
/// reports every one, each with [`to_diagnostic`](DomainError::to_diagnostic) at the route's
/// (`<api>/Routes/<key>`) or the table's (`<api>/Table`) path.
///
/// Each variant documents when it happens and which [`Code`] it carries.
///
/// ```
/// use constructs::serverless::ServerlessError;
/// use constructs::{Code, DomainError};
///
/// let error = ServerlessError::InvalidMethod { key: "FETCH /".into(), method: "FETCH".into() };
/// assert_eq!(error.code(), Code::InvalidRouteKey);
/// assert!(error.to_string().starts_with("route key `FETCH /`: `FETCH` is not one of ANY,"));
/// assert!(error.hint().is_some());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerlessError {
    // Route keys ([`Code::InvalidRouteKey`]); a key is checked on its own.
    /// The key is neither `$default` nor `METHOD /path` (it has no space)
    /// ([`Code::InvalidRouteKey`]).
    MalformedRouteKey {
        /// The key.
        key: String,
    },
    /// The method is not one of [`METHODS`](super::METHODS) ([`Code::InvalidRouteKey`]).
    InvalidMethod {
        /// The key.
        key: String,
        /// The method as written.
        method: String,
    },
    /// The path does not start with `/` ([`Code::InvalidRouteKey`]).
    RelativePath {
        /// The key.
        key: String,
    },
    /// The path has an empty segment: `//` or a trailing `/` ([`Code::InvalidRouteKey`]).
    EmptySegment {
        /// The key.
        key: String,
    },
    /// A `{parameter}` name is empty or has characters other than letters, digits and `_`
    /// ([`Code::InvalidRouteKey`]).
    InvalidParameterName {
        /// The key.
        key: String,
        /// The segment.
        segment: String,
    },
    /// A greedy `{parameter+}` is not the last segment ([`Code::InvalidRouteKey`]).
    GreedyNotLast {
        /// The key.
        key: String,
        /// The segment.
        segment: String,
    },
    /// A literal segment has characters other than letters, digits and `-._~`
    /// ([`Code::InvalidRouteKey`]).
    InvalidSegment {
        /// The key.
        key: String,
        /// The segment.
        segment: String,
    },
    /// A parameter name appears twice in the path ([`Code::InvalidRouteKey`]).
    RepeatedParameter {
        /// The key.
        key: String,
        /// The parameter's name.
        name: String,
    },

    // Routes within the API.
    /// The route has the method and path shape of an earlier route
    /// ([`Code::DuplicateRouteKey`]).
    DuplicateRoute {
        /// The route's key.
        key: String,
        /// The earlier route's key.
        first: String,
    },
    /// The API has more routes than API Gateway's default quota of
    /// [`ROUTES_PER_API_QUOTA`](super::ROUTES_PER_API_QUOTA) ([`Code::TooManyRoutes`]). Reported
    /// as a warning, at the API's path: the quota can be raised for the API.
    RoutesAboveQuota {
        /// How many routes the API has.
        count: usize,
    },
    /// The route's handler is not a declared function ([`Code::RouteWithoutHandler`]).
    UndeclaredHandler {
        /// The route's key.
        key: String,
        /// The function it names.
        handler: String,
        /// The functions declared.
        declared: Vec<String>,
    },
    /// The route queries an index the table does not have ([`Code::UnknownIndex`]).
    UnknownIndex {
        /// The route's key.
        key: String,
        /// The index.
        index: String,
    },
    /// The route requires a JWT but the API has no authorizer ([`Code::MissingAuthorizer`]).
    MissingAuthorizer {
        /// The route's key.
        key: String,
    },

    // The table.
    /// A key of the table or of an index is an attribute the table does not declare
    /// ([`Code::UnknownIndexAttribute`]).
    UndeclaredAttribute {
        /// What uses it: `the table key` or ``index `name` ``.
        owner: String,
        /// The attribute.
        attribute: String,
    },
    /// The same attribute is the partition key and the sort key of the table or of an index
    /// ([`Code::InvalidKeySchema`]).
    SameKeyTwice {
        /// What it keys: `the table` or ``index `name` ``.
        owner: String,
        /// The attribute.
        attribute: String,
    },
    /// An attribute is declared twice with different types ([`Code::InvalidKeySchema`]).
    AttributeTypeConflict {
        /// The attribute.
        attribute: String,
        /// The first type declared (`S`, `N` or `B`).
        first: &'static str,
        /// The other type.
        second: &'static str,
    },
    /// An attribute name (a key, an index key, the TTL attribute) is empty or longer than
    /// 255 characters ([`Code::InvalidKeySchema`]).
    InvalidAttributeName {
        /// The name.
        attribute: String,
        /// What is wrong with it.
        problem: NameProblem,
    },
    /// Provisioned read or write capacity of 0: DynamoDB wants at least one unit
    /// ([`Code::ValueOutOfRange`]).
    CapacityOutOfRange {
        /// `read` or `write`.
        what: &'static str,
        /// The units asked for.
        units: u32,
    },
    /// Two indexes of the table share a name ([`Code::DuplicateIndexName`]).
    DuplicateIndex {
        /// The name.
        name: String,
    },
    /// An index name is malformed ([`Code::InvalidIndexName`]).
    InvalidIndexName {
        /// The name.
        name: String,
        /// What is wrong with it.
        problem: NameProblem,
    },
    /// More global secondary indexes than DynamoDB allows ([`Code::TooManyIndexes`]).
    TooManyIndexes {
        /// How many were declared.
        count: usize,
        /// How many DynamoDB allows.
        max: usize,
    },
    /// An index projection DynamoDB rejects ([`Code::InvalidProjection`]).
    InvalidProjection {
        /// The index.
        index: String,
        /// What is wrong.
        reason: String,
    },

    // The HTTP API.
    /// CORS allows credentials for the origin `*`, which API Gateway refuses (browsers would
    /// too) ([`Code::InvalidCors`]).
    CredentialsWithAnyOrigin,
    /// A CORS origin is not `*`, `http://*`, `https://*` or `scheme://host[:port]`
    /// ([`Code::InvalidCors`]).
    InvalidOrigin {
        /// The origin.
        origin: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A CORS header name is empty or not an HTTP token (letters, digits and
    /// ``!#$%&'*+-.^_`|~``), and not `*` ([`Code::InvalidCors`]).
    InvalidCorsHeader {
        /// The header.
        header: String,
    },
    /// A CORS method is not one of [`CORS_METHODS`](super::CORS_METHODS)
    /// ([`Code::InvalidCors`]).
    InvalidCorsMethod {
        /// The method.
        method: String,
    },
    /// The CORS preflight cache age is over 86,400 s ([`Code::InvalidCors`]).
    CorsMaxAgeOutOfRange {
        /// The age asked for.
        secs: u32,
    },
    /// The throttling rate is not a finite number of zero or more requests per second
    /// ([`Code::InvalidThrottling`]).
    InvalidThrottlingRate {
        /// The rate, as Rust prints it (`NaN`, `inf`, `-1`).
        rate: String,
    },
}

impl DomainError for ServerlessError {
    fn code(&self) -> Code {
        match self {
            ServerlessError::MalformedRouteKey { .. }
            | ServerlessError::InvalidMethod { .. }
            | ServerlessError::RelativePath { .. }
            | ServerlessError::EmptySegment { .. }
            | ServerlessError::InvalidParameterName { .. }
            | ServerlessError::GreedyNotLast { .. }
            | ServerlessError::InvalidSegment { .. }
            | ServerlessError::RepeatedParameter { .. } => Code::InvalidRouteKey,
            ServerlessError::DuplicateRoute { .. } => Code::DuplicateRouteKey,
            ServerlessError::RoutesAboveQuota { .. } => Code::TooManyRoutes,
            ServerlessError::UndeclaredHandler { .. } => Code::RouteWithoutHandler,
            ServerlessError::UnknownIndex { .. } => Code::UnknownIndex,
            ServerlessError::MissingAuthorizer { .. } => Code::MissingAuthorizer,
            ServerlessError::UndeclaredAttribute { .. } => Code::UnknownIndexAttribute,
            ServerlessError::SameKeyTwice { .. }
            | ServerlessError::AttributeTypeConflict { .. }
            | ServerlessError::InvalidAttributeName { .. } => Code::InvalidKeySchema,
            ServerlessError::CapacityOutOfRange { .. } => Code::ValueOutOfRange,
            ServerlessError::DuplicateIndex { .. } => Code::DuplicateIndexName,
            ServerlessError::InvalidIndexName { .. } => Code::InvalidIndexName,
            ServerlessError::TooManyIndexes { .. } => Code::TooManyIndexes,
            ServerlessError::InvalidProjection { .. } => Code::InvalidProjection,
            ServerlessError::CredentialsWithAnyOrigin
            | ServerlessError::InvalidOrigin { .. }
            | ServerlessError::InvalidCorsHeader { .. }
            | ServerlessError::InvalidCorsMethod { .. }
            | ServerlessError::CorsMaxAgeOutOfRange { .. } => Code::InvalidCors,
            ServerlessError::InvalidThrottlingRate { .. } => Code::InvalidThrottling,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ServerlessError::MalformedRouteKey { .. }
            | ServerlessError::InvalidMethod { .. }
            | ServerlessError::RelativePath { .. }
            | ServerlessError::EmptySegment { .. }
            | ServerlessError::InvalidParameterName { .. }
            | ServerlessError::GreedyNotLast { .. }
            | ServerlessError::InvalidSegment { .. }
            | ServerlessError::RepeatedParameter { .. } => {
                "write `METHOD /path`, such as `GET /items/{id}`, or `$default`".to_owned()
            }
            ServerlessError::DuplicateRoute { .. } => {
                "API Gateway matches routes by method and path shape, not parameter names"
                    .to_owned()
            }
            ServerlessError::RoutesAboveQuota { .. } => {
                "request a higher \"Routes per API\" quota for this API (API Gateway in Service \
                 Quotas) before deploying, or split the routes across APIs"
                    .to_owned()
            }
            ServerlessError::UndeclaredHandler { declared, .. } => format!(
                "declare it with ServerlessApiProps::function (declared: {})",
                if declared.is_empty() {
                    "none".to_owned()
                } else {
                    declared.join(", ")
                }
            ),
            ServerlessError::UnknownIndex { .. } => "add it with TableProps::index".to_owned(),
            ServerlessError::MissingAuthorizer { .. } => {
                "add one with ServerlessApiProps::jwt_authorizer".to_owned()
            }
            ServerlessError::UndeclaredAttribute { .. } => {
                "declare it with TableProps::attribute(name, type)".to_owned()
            }
            ServerlessError::SameKeyTwice { .. } => {
                "a sort key is another attribute than the partition key; leave it out to key by \
                 the partition key alone"
                    .to_owned()
            }
            ServerlessError::AttributeTypeConflict { .. } => {
                "an attribute has one type: declare it once".to_owned()
            }
            ServerlessError::InvalidAttributeName { .. } => {
                "name attributes with 1–255 characters".to_owned()
            }
            ServerlessError::CapacityOutOfRange { .. } => {
                "provision at least one unit, or leave TableProps::provisioned out for \
                 on-demand billing"
                    .to_owned()
            }
            ServerlessError::DuplicateIndex { .. } => {
                "global and local indexes of a table share one namespace: rename one".to_owned()
            }
            ServerlessError::InvalidIndexName { .. } => {
                "name indexes with 3–255 letters, digits, `_`, `-` and `.`".to_owned()
            }
            ServerlessError::TooManyIndexes { .. } => {
                "merge indexes with overloaded keys, or move some access patterns to another \
                 table"
                    .to_owned()
            }
            ServerlessError::InvalidProjection { .. } => {
                "include 1–100 non-key attributes (across all indexes) of 1–255 characters, or \
                 project keys only or all attributes"
                    .to_owned()
            }
            ServerlessError::CredentialsWithAnyOrigin => {
                "list the origins that may send credentials, such as `https://app.example.com`"
                    .to_owned()
            }
            ServerlessError::InvalidOrigin { .. } => {
                "write an origin as `https://host` or `https://host:port`, without a path or \
                 trailing `/`; `*`, `https://*` and `http://*` match any"
                    .to_owned()
            }
            ServerlessError::InvalidCorsHeader { .. } => {
                "write a header name such as `content-type`, or `*` for any".to_owned()
            }
            ServerlessError::InvalidCorsMethod { .. } => {
                format!("use one of {}", CORS_METHODS.join(", "))
            }
            ServerlessError::CorsMaxAgeOutOfRange { .. } => {
                format!("use 0–{CORS_MAX_AGE_SECS} seconds")
            }
            ServerlessError::InvalidThrottlingRate { .. } => {
                "give a rate of zero or more requests per second, such as 100.0".to_owned()
            }
        })
    }
}

impl fmt::Display for ServerlessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerlessError::MalformedRouteKey { key } => {
                write!(f, "route key `{key}` is not `$default` or `METHOD /path`")
            }
            ServerlessError::InvalidMethod { key, method } => write!(
                f,
                "route key `{key}`: `{method}` is not one of {}",
                METHODS.join(", ")
            ),
            ServerlessError::RelativePath { key } => {
                write!(f, "route key `{key}`: the path must start with `/`")
            }
            ServerlessError::EmptySegment { key } => write!(
                f,
                "route key `{key}`: the path has an empty segment (`//` or a trailing `/`)"
            ),
            ServerlessError::InvalidParameterName { key, segment } => write!(
                f,
                "route key `{key}`: `{segment}`: a parameter name is letters, digits and `_`"
            ),
            ServerlessError::GreedyNotLast { key, segment } => write!(
                f,
                "route key `{key}`: `{segment}`: a greedy parameter must be the last segment"
            ),
            ServerlessError::InvalidSegment { key, segment } => write!(
                f,
                "route key `{key}`: `{segment}`: a path segment is letters, digits and `-._~`, \
                 or a `{{param}}`"
            ),
            ServerlessError::RepeatedParameter { key, name } => {
                write!(f, "route key `{key}`: the parameter `{name}` appears twice")
            }
            ServerlessError::DuplicateRoute { key, first } => {
                write!(f, "route `{key}` repeats route `{first}`")
            }
            ServerlessError::RoutesAboveQuota { count } => write!(
                f,
                "the API has {count} routes; API Gateway allows {ROUTES_PER_API_QUOTA} per HTTP API \
                 unless its quota is raised"
            ),
            ServerlessError::UndeclaredHandler { key, handler, .. } => write!(
                f,
                "route `{key}` names the function `{handler}`, which is not declared"
            ),
            ServerlessError::UnknownIndex { key, index } => write!(
                f,
                "route `{key}` queries the index `{index}`, which the table does not have"
            ),
            ServerlessError::MissingAuthorizer { key } => write!(
                f,
                "route `{key}` requires a JWT, but the API has no authorizer"
            ),
            ServerlessError::UndeclaredAttribute { owner, attribute } => write!(
                f,
                "{owner} uses the attribute `{attribute}`, which the table does not declare"
            ),
            ServerlessError::SameKeyTwice { owner, attribute } => write!(
                f,
                "{owner} has `{attribute}` as both its partition key and its sort key"
            ),
            ServerlessError::AttributeTypeConflict {
                attribute,
                first,
                second,
            } => write!(
                f,
                "the attribute `{attribute}` is declared as `{first}` and as `{second}`"
            ),
            ServerlessError::InvalidAttributeName { attribute, problem } => {
                write!(f, "the attribute name `{attribute}` {problem}")
            }
            ServerlessError::CapacityOutOfRange { what, units } => write!(
                f,
                "provisioned {what} capacity of {units} units is below DynamoDB's minimum of 1"
            ),
            ServerlessError::DuplicateIndex { name } => {
                write!(f, "two indexes are named `{name}`")
            }
            ServerlessError::InvalidIndexName { name, problem } => {
                write!(f, "the index name `{name}` {problem}")
            }
            ServerlessError::TooManyIndexes { count, max } => write!(
                f,
                "the table has {count} global secondary indexes; DynamoDB allows {max}"
            ),
            ServerlessError::InvalidProjection { index, reason } => {
                write!(f, "the projection of index `{index}` {reason}")
            }
            ServerlessError::CredentialsWithAnyOrigin => write!(
                f,
                "CORS allows credentials for the origin `*`, which API Gateway refuses"
            ),
            ServerlessError::InvalidOrigin { origin, reason } => {
                write!(f, "the CORS origin `{origin}` {reason}")
            }
            ServerlessError::InvalidCorsHeader { header } => {
                write!(f, "`{header}` is not a header name")
            }
            ServerlessError::InvalidCorsMethod { method } => {
                write!(f, "`{method}` is not a method CORS can allow")
            }
            ServerlessError::CorsMaxAgeOutOfRange { secs } => write!(
                f,
                "the CORS preflight cache age of {secs} s is over {CORS_MAX_AGE_SECS} s"
            ),
            ServerlessError::InvalidThrottlingRate { rate } => write!(
                f,
                "the throttling rate {rate} is not a number of zero or more requests per second"
            ),
        }
    }
}

impl std::error::Error for ServerlessError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_carries_its_documented_code() {
        let s = String::new;
        let length = || NameProblem::Length {
            chars: 0,
            min: 3,
            max: 255,
        };
        for (error, code) in [
            (
                ServerlessError::MalformedRouteKey { key: s() },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::InvalidMethod {
                    key: s(),
                    method: s(),
                },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::RelativePath { key: s() },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::EmptySegment { key: s() },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::InvalidParameterName {
                    key: s(),
                    segment: s(),
                },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::GreedyNotLast {
                    key: s(),
                    segment: s(),
                },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::InvalidSegment {
                    key: s(),
                    segment: s(),
                },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::RepeatedParameter {
                    key: s(),
                    name: s(),
                },
                Code::InvalidRouteKey,
            ),
            (
                ServerlessError::DuplicateRoute {
                    key: s(),
                    first: s(),
                },
                Code::DuplicateRouteKey,
            ),
            (
                ServerlessError::RoutesAboveQuota { count: 301 },
                Code::TooManyRoutes,
            ),
            (
                ServerlessError::UndeclaredHandler {
                    key: s(),
                    handler: s(),
                    declared: Vec::new(),
                },
                Code::RouteWithoutHandler,
            ),
            (
                ServerlessError::UnknownIndex {
                    key: s(),
                    index: s(),
                },
                Code::UnknownIndex,
            ),
            (
                ServerlessError::MissingAuthorizer { key: s() },
                Code::MissingAuthorizer,
            ),
            (
                ServerlessError::UndeclaredAttribute {
                    owner: s(),
                    attribute: s(),
                },
                Code::UnknownIndexAttribute,
            ),
            (
                ServerlessError::SameKeyTwice {
                    owner: s(),
                    attribute: s(),
                },
                Code::InvalidKeySchema,
            ),
            (
                ServerlessError::AttributeTypeConflict {
                    attribute: s(),
                    first: "S",
                    second: "N",
                },
                Code::InvalidKeySchema,
            ),
            (
                ServerlessError::InvalidAttributeName {
                    attribute: s(),
                    problem: length(),
                },
                Code::InvalidKeySchema,
            ),
            (
                ServerlessError::CapacityOutOfRange {
                    what: "read",
                    units: 0,
                },
                Code::ValueOutOfRange,
            ),
            (
                ServerlessError::DuplicateIndex { name: s() },
                Code::DuplicateIndexName,
            ),
            (
                ServerlessError::InvalidIndexName {
                    name: s(),
                    problem: length(),
                },
                Code::InvalidIndexName,
            ),
            (
                ServerlessError::TooManyIndexes { count: 21, max: 20 },
                Code::TooManyIndexes,
            ),
            (
                ServerlessError::InvalidProjection {
                    index: s(),
                    reason: s(),
                },
                Code::InvalidProjection,
            ),
            (ServerlessError::CredentialsWithAnyOrigin, Code::InvalidCors),
            (
                ServerlessError::InvalidOrigin {
                    origin: s(),
                    reason: "",
                },
                Code::InvalidCors,
            ),
            (
                ServerlessError::InvalidCorsHeader { header: s() },
                Code::InvalidCors,
            ),
            (
                ServerlessError::InvalidCorsMethod { method: s() },
                Code::InvalidCors,
            ),
            (
                ServerlessError::CorsMaxAgeOutOfRange { secs: 0 },
                Code::InvalidCors,
            ),
            (
                ServerlessError::InvalidThrottlingRate { rate: s() },
                Code::InvalidThrottling,
            ),
        ] {
            assert_eq!(error.code(), code, "{error:?}");
            assert!(error.hint().is_some(), "{error:?}");
        }
    }

    #[test]
    fn problems_of_a_route_key_are_reported_together_as_variants() {
        let key = "FETCH /{id}/{id}";
        assert_eq!(
            super::super::route::RouteKey::parse(key).unwrap_err(),
            [
                ServerlessError::InvalidMethod {
                    key: key.into(),
                    method: "FETCH".into(),
                },
                ServerlessError::RepeatedParameter {
                    key: key.into(),
                    name: "id".into(),
                },
            ]
        );
    }

    #[test]
    fn the_hint_lists_the_declared_functions() {
        let error = |declared: Vec<String>| ServerlessError::UndeclaredHandler {
            key: "GET /".into(),
            handler: "Api".into(),
            declared,
        };
        assert_eq!(
            error(Vec::new()).hint().unwrap(),
            "declare it with ServerlessApiProps::function (declared: none)"
        );
        assert_eq!(
            error(vec!["A".into(), "B".into()]).hint().unwrap(),
            "declare it with ServerlessApiProps::function (declared: A, B)"
        );
    }
}
