//! Routes: a validated route key, the function that handles it, and what it does to the data.

use std::fmt;

use super::error::ServerlessError;

/// API Gateway's default quota of routes per HTTP API. It can be raised, for one API at a
/// time, by a quota increase request, so more routes are a `too-many-routes` warning, not an
/// error.
///
/// ```
/// assert_eq!(constructs::serverless::ROUTES_PER_API_QUOTA, 300);
/// ```
pub const ROUTES_PER_API_QUOTA: usize = 300;

/// The methods a route key may name.
pub const METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// What a route does to the table; each access becomes exactly the DynamoDB actions it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataAccess {
    /// Reads one item by key: `dynamodb:GetItem` on the table.
    ReadItem,
    /// Lists items by the table's key: `dynamodb:Query` on the table.
    Query,
    /// Lists items through a global secondary index: `dynamodb:Query` on that index only.
    QueryIndex(String),
    /// Reads every item: `dynamodb:Scan` on the table (only when asked for).
    Scan,
    /// Creates an item: `dynamodb:PutItem`.
    CreateItem,
    /// Changes an item: `dynamodb:UpdateItem`.
    UpdateItem,
    /// Deletes an item: `dynamodb:DeleteItem`.
    DeleteItem,
}

/// Who may call a route when the API has a JWT authorizer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum RouteAuth {
    /// As the authorizer decides: authorized when it covers all routes, open otherwise.
    #[default]
    Default,
    /// Open to anyone, even when the authorizer covers all routes.
    Public,
    /// A valid JWT with these scopes (none: any valid token).
    Jwt(Vec<String>),
}

/// A route of the API: its key, the function that handles it, and what it does to the table.
///
/// ```
/// use constructs::serverless::Route;
///
/// let get = Route::new("GET /items/{id}", "Items").reads_item();
/// let list = Route::new("GET /items", "Items").queries_index("byUser");
/// let health = Route::new("GET /health", "Health").public();
/// # let _ = (get, list, health);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Route {
    pub(crate) key: String,
    pub(crate) handler: String,
    pub(crate) access: Vec<DataAccess>,
    pub(crate) auth: RouteAuth,
}

impl Route {
    /// A route `key` (`GET /items/{id}`, `ANY /files/{proxy+}`, `$default`) handled by the
    /// function declared under `handler`, doing nothing to the table yet.
    pub fn new(key: impl Into<String>, handler: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            handler: handler.into(),
            access: Vec::new(),
            auth: RouteAuth::Default,
        }
    }

    /// Adds a data access.
    pub fn access(mut self, access: DataAccess) -> Self {
        if !self.access.contains(&access) {
            self.access.push(access);
        }
        self
    }

    /// Reads one item by key ([`DataAccess::ReadItem`]).
    pub fn reads_item(self) -> Self {
        self.access(DataAccess::ReadItem)
    }

    /// Lists items by the table's key ([`DataAccess::Query`]).
    pub fn queries(self) -> Self {
        self.access(DataAccess::Query)
    }

    /// Lists items through the index `index` ([`DataAccess::QueryIndex`]).
    pub fn queries_index(self, index: impl Into<String>) -> Self {
        self.access(DataAccess::QueryIndex(index.into()))
    }

    /// Reads every item ([`DataAccess::Scan`]).
    pub fn scans(self) -> Self {
        self.access(DataAccess::Scan)
    }

    /// Creates items ([`DataAccess::CreateItem`]).
    pub fn creates_item(self) -> Self {
        self.access(DataAccess::CreateItem)
    }

    /// Changes items ([`DataAccess::UpdateItem`]).
    pub fn updates_item(self) -> Self {
        self.access(DataAccess::UpdateItem)
    }

    /// Deletes items ([`DataAccess::DeleteItem`]).
    pub fn deletes_item(self) -> Self {
        self.access(DataAccess::DeleteItem)
    }

    /// Open to anyone, even when the API's JWT authorizer covers all routes.
    pub fn public(mut self) -> Self {
        self.auth = RouteAuth::Public;
        self
    }

    /// Requires a valid JWT carrying `scopes` (none: any valid token). The API needs a JWT
    /// authorizer (otherwise `missing-authorizer`).
    pub fn authorized<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.auth = RouteAuth::Jwt(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The route key as given.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A route key that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RouteKey {
    /// `None` for `$default`.
    method: Option<String>,
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
    Greedy(String),
}

impl RouteKey {
    /// Parses `$default` or `METHOD /path`, or says everything that is wrong with it: the
    /// method, and each segment of the path. A key without a space, or a path without its
    /// leading `/`, stops there: there is no path to read segments from.
    pub(crate) fn parse(key: &str) -> Result<Self, Vec<ServerlessError>> {
        if key == "$default" {
            return Ok(Self {
                method: None,
                segments: Vec::new(),
            });
        }
        let Some((method, path)) = key.split_once(' ') else {
            return Err(vec![ServerlessError::MalformedRouteKey {
                key: key.to_owned(),
            }]);
        };
        let mut problems = Vec::new();
        if !METHODS.contains(&method) {
            problems.push(ServerlessError::InvalidMethod {
                key: key.to_owned(),
                method: method.to_owned(),
            });
        }
        let Some(rest) = path.strip_prefix('/') else {
            problems.push(ServerlessError::RelativePath {
                key: key.to_owned(),
            });
            return Err(problems);
        };
        let mut segments = Vec::new();
        let mut params: Vec<String> = Vec::new();
        if !rest.is_empty() {
            let parts: Vec<&str> = rest.split('/').collect();
            for (i, part) in parts.iter().enumerate() {
                let last = i + 1 == parts.len();
                let segment = match parse_segment(key, part, last) {
                    Ok(segment) => segment,
                    Err(error) => {
                        problems.push(error);
                        continue;
                    }
                };
                if let Segment::Param(name) | Segment::Greedy(name) = &segment {
                    if params.contains(name) {
                        problems.push(ServerlessError::RepeatedParameter {
                            key: key.to_owned(),
                            name: name.clone(),
                        });
                    }
                    params.push(name.clone());
                }
                segments.push(segment);
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            method: Some(method.to_owned()),
            segments,
        })
    }

    /// The key with parameter names erased: two keys with the same shape are the same route to
    /// API Gateway.
    pub(crate) fn shape(&self) -> String {
        match &self.method {
            None => "$default".to_owned(),
            Some(method) => {
                let mut out = format!("{method} /");
                let parts: Vec<&str> = self
                    .segments
                    .iter()
                    .map(|s| match s {
                        Segment::Literal(l) => l.as_str(),
                        Segment::Param(_) => "{}",
                        Segment::Greedy(_) => "{+}",
                    })
                    .collect();
                out.push_str(&parts.join("/"));
                out
            }
        }
    }

    /// The method, or `None` for `$default`.
    pub(crate) fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// A logical-id fragment: `GET /items/{id}` → `GetItemsId`, `$default` → `Default`.
    pub(crate) fn id(&self) -> String {
        let Some(method) = &self.method else {
            return "Default".to_owned();
        };
        let mut id = pascal(&method.to_ascii_lowercase());
        if self.segments.is_empty() {
            id.push_str("Root");
        }
        for segment in &self.segments {
            let (Segment::Literal(word) | Segment::Param(word) | Segment::Greedy(word)) = segment;
            id.push_str(&pascal(word));
        }
        id
    }
}

impl fmt::Display for RouteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shape())
    }
}

/// Reads one segment `part` of the path of `key`.
fn parse_segment(key: &str, part: &str, last: bool) -> Result<Segment, ServerlessError> {
    let key = || key.to_owned();
    let segment = || part.to_owned();
    if part.is_empty() {
        return Err(ServerlessError::EmptySegment { key: key() });
    }
    if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(ServerlessError::InvalidParameterName {
                key: key(),
                segment: segment(),
            });
        }
        if greedy && !last {
            return Err(ServerlessError::GreedyNotLast {
                key: key(),
                segment: segment(),
            });
        }
        return Ok(if greedy {
            Segment::Greedy(name.to_owned())
        } else {
            Segment::Param(name.to_owned())
        });
    }
    if !part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    {
        return Err(ServerlessError::InvalidSegment {
            key: key(),
            segment: segment(),
        });
    }
    Ok(Segment::Literal(part.to_owned()))
}

/// `items-v2` → `ItemsV2`, `itemId` → `ItemId`.
fn pascal(word: &str) -> String {
    let mut out = String::new();
    for piece in word.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = piece.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_keys_parse_and_name_their_routes() {
        for (key, id) in [
            ("GET /items", "GetItems"),
            ("GET /items/{id}", "GetItemsId"),
            ("ANY /files/{proxy+}", "AnyFilesProxy"),
            ("POST /", "PostRoot"),
            ("DELETE /v1/user_items/{itemId}", "DeleteV1UserItemsItemId"),
            ("$default", "Default"),
        ] {
            let parsed = RouteKey::parse(key).unwrap_or_else(|e| panic!("{key}: {e:?}"));
            assert_eq!(parsed.id(), id, "{key}");
        }
    }

    #[test]
    fn bad_keys_are_rejected_with_the_reason() {
        for (key, why) in [
            ("GET", "not `$default`"),
            ("get /items", "is not one of"),
            ("FETCH /items", "is not one of"),
            ("GET items", "must start with `/`"),
            ("GET /items/", "empty segment"),
            ("GET /items//x", "empty segment"),
            ("GET /{proxy+}/x", "greedy parameter must be the last"),
            ("GET /items/{}", "parameter name"),
            ("GET /items/{id-x}", "parameter name"),
            ("GET /a b", "path segment"),
            ("GET /it*ms", "path segment"),
            ("GET /{id}/{id}", "appears twice"),
        ] {
            let errors = RouteKey::parse(key).expect_err(key);
            assert_eq!(errors.len(), 1, "{key}: {errors:?}");
            assert!(errors[0].to_string().contains(why), "{key}: {errors:?}");
        }
    }

    #[test]
    fn every_problem_of_a_route_key_is_reported() {
        let errors = RouteKey::parse("FETCH /a b/{proxy+}/{}").unwrap_err();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "route key `FETCH /a b/{proxy+}/{}`: `FETCH` is not one of ANY, DELETE, GET, HEAD, \
                 OPTIONS, PATCH, POST, PUT",
                "route key `FETCH /a b/{proxy+}/{}`: `a b`: a path segment is letters, digits and \
                 `-._~`, or a `{param}`",
                "route key `FETCH /a b/{proxy+}/{}`: `{proxy+}`: a greedy parameter must be the \
                 last segment",
                "route key `FETCH /a b/{proxy+}/{}`: `{}`: a parameter name is letters, digits \
                 and `_`",
            ]
        );
        // Without the leading `/` there are no segments to check; the method still is.
        assert_eq!(RouteKey::parse("get items").unwrap_err().len(), 2);
    }

    #[test]
    fn parameter_names_do_not_change_the_shape() {
        let a = RouteKey::parse("GET /items/{id}").unwrap();
        let b = RouteKey::parse("GET /items/{itemId}").unwrap();
        let c = RouteKey::parse("PUT /items/{id}").unwrap();
        assert_eq!(a.shape(), b.shape());
        assert_ne!(a.shape(), c.shape());
    }
}
