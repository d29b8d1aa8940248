//! Why a serverless API's route or table cannot be built: [`ServerlessError`], one variant per
//! case, each with a stable [`Code`].

use std::fmt;

use crate::diagnostics::{Code, DomainError};

use super::route::METHODS;

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
            ServerlessError::UndeclaredHandler { .. } => Code::RouteWithoutHandler,
            ServerlessError::UnknownIndex { .. } => Code::UnknownIndex,
            ServerlessError::MissingAuthorizer { .. } => Code::MissingAuthorizer,
            ServerlessError::UndeclaredAttribute { .. } => Code::UnknownIndexAttribute,
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
