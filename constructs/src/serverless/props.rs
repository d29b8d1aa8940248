//! The choices a [`ServerlessApi`](super::ServerlessApi) is built from.

use indexmap::IndexMap;

use crate::blocks::limits::Bounds;
use crate::diagnostics::all_problems;
use crate::Value;

use super::error::ServerlessError;
use super::route::Route;
use super::table::TableProps;
use crate::blocks::lambda::FunctionProps;
use crate::blocks::logs::RetentionDays;
use crate::blocks::sns::AlarmTopic;

/// The methods a CORS configuration may allow: `*` (any) and the methods of HTTP API routes.
pub const CORS_METHODS: &[&str] = &[
    "*", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// The longest API Gateway lets browsers cache a preflight answer, in seconds (one day).
pub const CORS_MAX_AGE_SECS: u32 = 86_400;

/// Throttling rates API Gateway accepts: zero or more requests per second, finite.
const THROTTLING_RATE: Bounds<f64> = Bounds::new(0.0, f64::MAX);

/// Cross-origin resource sharing for the API.
///
/// ```
/// use constructs::serverless::CorsConfig;
///
/// let cors = CorsConfig::new(["https://app.example.com"]).allow_credentials().max_age_secs(600);
/// assert!(cors.check().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct CorsConfig {
    pub(crate) origins: Vec<String>,
    pub(crate) headers: Vec<String>,
    pub(crate) methods: Option<Vec<String>>,
    pub(crate) credentials: bool,
    pub(crate) max_age_secs: u32,
}

impl CorsConfig {
    /// Browsers may call the API from `origins`, with the methods the routes use, the headers
    /// `content-type` and `authorization`, and preflight answers cached for an hour.
    pub fn new<S: Into<String>>(origins: impl IntoIterator<Item = S>) -> Self {
        Self {
            origins: origins.into_iter().map(Into::into).collect(),
            headers: vec!["content-type".to_owned(), "authorization".to_owned()],
            methods: None,
            credentials: false,
            max_age_secs: 3600,
        }
    }

    /// The request headers allowed (replacing the default).
    pub fn allow_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// The methods allowed (default: the methods of the routes).
    pub fn allow_methods<S: Into<String>>(mut self, methods: impl IntoIterator<Item = S>) -> Self {
        self.methods = Some(methods.into_iter().map(Into::into).collect());
        self
    }

    /// Lets browsers send credentials (cookies, authorization headers).
    pub fn allow_credentials(mut self) -> Self {
        self.credentials = true;
        self
    }

    /// How long browsers may cache a preflight answer (at most [`CORS_MAX_AGE_SECS`]).
    pub fn max_age_secs(mut self, secs: u32) -> Self {
        self.max_age_secs = secs;
        self
    }

    /// Every problem API Gateway would reject the configuration for, all at once: credentials
    /// allowed for the origin `*`; an origin that is not `*`, `http://*`, `https://*` or
    /// `scheme://host[:port]` (no path, no trailing `/`); a header that is not an HTTP token
    /// or `*`; a method not in [`CORS_METHODS`]; a cache age over [`CORS_MAX_AGE_SECS`].
    ///
    /// ```
    /// use constructs::serverless::{CorsConfig, ServerlessError};
    ///
    /// let errors = CorsConfig::new(["*", "https://app.example.com/"])
    ///     .allow_credentials()
    ///     .check()
    ///     .unwrap_err();
    /// assert_eq!(errors[0], ServerlessError::CredentialsWithAnyOrigin);
    /// assert!(matches!(&errors[1], ServerlessError::InvalidOrigin { origin, .. } if origin.ends_with('/')));
    /// ```
    pub fn check(&self) -> Result<(), Vec<ServerlessError>> {
        let mut errors = Vec::new();
        // API Gateway refuses the pair, as the Fetch standard does: a response to a request
        // with credentials may not allow every origin.
        if self.credentials && self.origins.iter().any(|o| o == "*") {
            errors.push(ServerlessError::CredentialsWithAnyOrigin);
        }
        for origin in &self.origins {
            if let Some(reason) = origin_problem(origin) {
                errors.push(ServerlessError::InvalidOrigin {
                    origin: origin.clone(),
                    reason,
                });
            }
        }
        for header in &self.headers {
            // `*` (any header) is itself a token.
            if !is_token(header) {
                errors.push(ServerlessError::InvalidCorsHeader {
                    header: header.clone(),
                });
            }
        }
        for method in self.methods.iter().flatten() {
            if !CORS_METHODS.contains(&method.as_str()) {
                errors.push(ServerlessError::InvalidCorsMethod {
                    method: method.clone(),
                });
            }
        }
        if self.max_age_secs > CORS_MAX_AGE_SECS {
            errors.push(ServerlessError::CorsMaxAgeOutOfRange {
                secs: self.max_age_secs,
            });
        }
        all_problems(errors)
    }
}

/// Whether `text` is an HTTP token (RFC 9110 `tchar`s), the form of a header name.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What is wrong with a CORS origin, if anything. An origin is what browsers send in the
/// `Origin` header, `scheme://host[:port]`; API Gateway also takes `*`, `http://*` and
/// `https://*` as wildcards.
fn origin_problem(origin: &str) -> Option<&'static str> {
    if matches!(origin, "*" | "http://*" | "https://*") {
        return None;
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Some("has no `scheme://`");
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Some("has a malformed scheme");
    }
    if rest.contains('/') {
        return Some("has a path or a trailing `/`; browsers send an origin without one");
    }
    let (host, port) = match rest.rsplit_once(':') {
        // A bracketed IPv6 address holds colons of its own.
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (rest, None),
    };
    let host_ok = if let Some(v6) = host.strip_prefix('[') {
        v6.strip_suffix(']').is_some_and(|inner| {
            !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
        })
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    };
    if !host_ok {
        return Some("has a malformed host");
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65_535).contains(&p));
        if !valid {
            return Some("has a port outside 1–65535");
        }
    }
    None
}

/// A JWT authorizer: tokens from `issuer` for `audience`, checked by API Gateway before a route's
/// function runs. Both are values, so a user pool built in the app (or imported) can be named
/// by reference.
///
/// ```
/// use constructs::serverless::JwtAuthorizer;
/// use constructs::fns;
///
/// let all = JwtAuthorizer::new("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", ["client-id"]);
/// let chosen = all.clone().only_chosen_routes();
/// // A pool named by the stack's parameters `UserPoolId` and `UserPoolClientId`:
/// let by_reference = JwtAuthorizer::new(
///     fns::sub("https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPoolId}"),
///     [fns::sub("${UserPoolClientId}")],
/// );
/// # let _ = (chosen, by_reference);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct JwtAuthorizer {
    pub(crate) issuer: Value<String>,
    pub(crate) audience: Vec<Value<String>>,
    pub(crate) all_routes: bool,
}

impl JwtAuthorizer {
    /// An authorizer on every route except those marked [`Route::public`].
    pub fn new<S: Into<Value<String>>>(
        issuer: impl Into<Value<String>>,
        audience: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into_iter().map(Into::into).collect(),
            all_routes: true,
        }
    }

    /// Only routes marked [`Route::authorized`] require a token.
    pub fn only_chosen_routes(mut self) -> Self {
        self.all_routes = false;
        self
    }
}

/// A custom domain for the API: a regional domain name with an ACM certificate in the API's
/// region, mapped to the API's stage.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct CustomDomain {
    pub(crate) name: String,
    pub(crate) certificate_arn: Value<String>,
    pub(crate) base_path: Option<String>,
}

impl CustomDomain {
    /// The domain `name` (such as `api.example.com`) served with the certificate
    /// `certificate_arn`.
    pub fn new(name: impl Into<String>, certificate_arn: impl Into<Value<String>>) -> Self {
        Self {
            name: name.into(),
            certificate_arn: certificate_arn.into(),
            base_path: None,
        }
    }

    /// Serves the API under `path` of the domain instead of at its root.
    pub fn base_path(mut self, path: impl Into<String>) -> Self {
        self.base_path = Some(path.into());
        self
    }
}

/// The choices of a serverless API. Start from [`ServerlessApiProps::new`] with the table;
/// declare functions and the routes they handle; everything else has a production default.
///
/// ```
/// use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};
/// use constructs::serverless::{AttributeType, Route, ServerlessApiProps, TableProps};
///
/// let props = ServerlessApiProps::new(TableProps::new("id", AttributeType::String))
///     .function("Api", FunctionProps::new(Runtime::Nodejs22, "index.handler", FunctionCode::inline("...")))
///     .route(Route::new("GET /things/{id}", "Api").reads_item())
///     .route(Route::new("POST /things", "Api").creates_item())
///     .throttling(50.0, 100);
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ServerlessApiProps {
    pub(crate) table: TableProps,
    pub(crate) functions: IndexMap<String, FunctionProps>,
    pub(crate) routes: Vec<Route>,
    pub(crate) cors: Option<CorsConfig>,
    pub(crate) rate_limit: f64,
    pub(crate) burst_limit: u32,
    pub(crate) access_log_retention: RetentionDays,
    pub(crate) jwt: Option<JwtAuthorizer>,
    pub(crate) domain: Option<CustomDomain>,
    pub(crate) alarm_topic: Option<AlarmTopic>,
    pub(crate) description: Option<String>,
}

impl ServerlessApiProps {
    /// An API over `table`, with the defaults: no functions or routes yet, no CORS, throttling
    /// at 100 requests per second with bursts of 200, access logs kept 90 days, no authorizer,
    /// no custom domain, alarms without actions.
    pub fn new(table: TableProps) -> Self {
        Self {
            table,
            functions: IndexMap::new(),
            routes: Vec::new(),
            cors: None,
            rate_limit: 100.0,
            burst_limit: 200,
            access_log_retention: RetentionDays::Days90,
            jwt: None,
            domain: None,
            alarm_topic: None,
            description: None,
        }
    }

    /// Declares a function under `id` (letters and digits; part of its logical ids). Routes name
    /// it as their handler: one function for all routes, one per route, or anything between.
    pub fn function(mut self, id: impl Into<String>, props: FunctionProps) -> Self {
        self.functions.insert(id.into(), props);
        self
    }

    /// Adds a route.
    pub fn route(mut self, route: Route) -> Self {
        self.routes.push(route);
        self
    }

    /// Adds routes.
    pub fn routes(mut self, routes: impl IntoIterator<Item = Route>) -> Self {
        self.routes.extend(routes);
        self
    }

    /// CORS for browsers.
    pub fn cors(mut self, cors: CorsConfig) -> Self {
        self.cors = Some(cors);
        self
    }

    /// Default throttling of every route: steady requests per second (a finite number, zero or
    /// more; otherwise `invalid-throttling`), and burst.
    pub fn throttling(mut self, rate_per_second: f64, burst: u32) -> Self {
        self.rate_limit = rate_per_second;
        self.burst_limit = burst;
        self
    }

    /// How long the access log group keeps events (default 90 days).
    pub fn access_log_retention(mut self, retention: RetentionDays) -> Self {
        self.access_log_retention = retention;
        self
    }

    /// A JWT authorizer.
    pub fn jwt_authorizer(mut self, authorizer: JwtAuthorizer) -> Self {
        self.jwt = Some(authorizer);
        self
    }

    /// A custom domain.
    pub fn custom_domain(mut self, domain: CustomDomain) -> Self {
        self.domain = Some(domain);
        self
    }

    /// Alarms notify this SNS topic when they fire and when they recover: a
    /// [`Topic`](crate::blocks::sns::Topic) of the app (`&topic`), whose key is checked to
    /// admit CloudWatch, or [`AlarmTopic::external`], unchecked. A topic CloudWatch cannot
    /// publish to (the AWS managed key `alias/aws/sns`, or a key policy without
    /// `cloudwatch.amazonaws.com`) is reported as `unsupported-encryption` at synth.
    ///
    /// ```
    /// use constructs::blocks::sns::AlarmTopic;
    /// use constructs::serverless::{AttributeType, ServerlessApiProps, TableProps};
    ///
    /// let props = ServerlessApiProps::new(TableProps::new("id", AttributeType::String))
    ///     .alarm_topic(AlarmTopic::external("arn:aws:sns:eu-west-1:123456789012:pager"));
    /// # let _ = props;
    /// ```
    pub fn alarm_topic(mut self, topic: impl Into<AlarmTopic>) -> Self {
        self.alarm_topic = Some(topic.into());
        self
    }

    /// The API's description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The throttling rate, when API Gateway accepts it: `NaN`, infinities and negative rates
    /// are refused (JSON has no `NaN`: it would be written `null`).
    pub(crate) fn checked_rate(&self) -> Result<f64, ServerlessError> {
        if THROTTLING_RATE.contains(self.rate_limit) {
            Ok(self.rate_limit)
        } else {
            Err(ServerlessError::InvalidThrottlingRate {
                rate: self.rate_limit.to_string(),
            })
        }
    }
}
