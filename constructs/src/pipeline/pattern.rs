//! Event patterns: which events a rule matches, written with EventBridge's matchers.
//!
//! A pattern lists fields of the event (`source`, `detail-type`, fields of `detail`) and, for
//! each, the [`Matcher`]s of which at least one must match. Fields must all match.

use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

use super::error::PipelineError;

/// The largest magnitude EventBridge compares numerically (`-5.0e9` to `+5.0e9`).
pub const MAX_NUMERIC: f64 = 5.0e9;

/// One way a field may match. Several matchers on one field are alternatives.
///
/// ```
/// use constructs::pipeline::{Matcher, NumericRange};
///
/// assert_eq!(Matcher::prefix("eu-").to_json().unwrap(), serde_json::json!({"prefix": "eu-"}));
/// let range = NumericRange::new().greater_than(0.0).at_most(100.0);
/// assert_eq!(
///     Matcher::numeric(range).to_json().unwrap(),
///     serde_json::json!({"numeric": [">", 0, "<=", 100]})
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// The value equals this string.
    Exact(String),
    /// The value equals this number.
    Number(f64),
    /// The value starts with this text (`{"prefix": …}`).
    Prefix(String),
    /// The value ends with this text (`{"suffix": …}`).
    Suffix(String),
    /// The value equals this text, ignoring case (`{"equals-ignore-case": …}`).
    EqualsIgnoreCase(String),
    /// The value matches this pattern, where `*` matches any run of characters
    /// (`{"wildcard": …}`; event patterns only, not SNS filter policies).
    Wildcard(String),
    /// The value is none of these strings (`{"anything-but": […]}`).
    AnythingBut(Vec<String>),
    /// The value does not start with this text (`{"anything-but": {"prefix": …}}`).
    AnythingButPrefix(String),
    /// The value is a number in this range (`{"numeric": […]}`).
    Numeric(NumericRange),
    /// The field is present (`true`) or absent (`false`) (`{"exists": …}`).
    Exists(bool),
}

impl Matcher {
    /// [`Matcher::Exact`].
    pub fn exact(value: impl Into<String>) -> Self {
        Self::Exact(value.into())
    }

    /// [`Matcher::Number`].
    pub fn number(value: f64) -> Self {
        Self::Number(value)
    }

    /// [`Matcher::Prefix`].
    pub fn prefix(value: impl Into<String>) -> Self {
        Self::Prefix(value.into())
    }

    /// [`Matcher::Suffix`].
    pub fn suffix(value: impl Into<String>) -> Self {
        Self::Suffix(value.into())
    }

    /// [`Matcher::EqualsIgnoreCase`].
    pub fn equals_ignore_case(value: impl Into<String>) -> Self {
        Self::EqualsIgnoreCase(value.into())
    }

    /// [`Matcher::Wildcard`].
    pub fn wildcard(value: impl Into<String>) -> Self {
        Self::Wildcard(value.into())
    }

    /// [`Matcher::AnythingBut`].
    pub fn anything_but<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        Self::AnythingBut(values.into_iter().map(Into::into).collect())
    }

    /// [`Matcher::AnythingButPrefix`].
    pub fn anything_but_prefix(value: impl Into<String>) -> Self {
        Self::AnythingButPrefix(value.into())
    }

    /// [`Matcher::Numeric`].
    pub fn numeric(range: NumericRange) -> Self {
        Self::Numeric(range)
    }

    /// [`Matcher::Exists`].
    pub fn exists(present: bool) -> Self {
        Self::Exists(present)
    }

    /// The matcher as EventBridge reads it, or every reason it cannot be used.
    pub fn to_json(&self) -> Result<Json, Vec<PipelineError>> {
        let bad = |error: PipelineError| Err(vec![error]);
        Ok(match self {
            Matcher::Exact(s) => json!(s),
            Matcher::Number(n) => number(*n).map_err(|e| vec![e])?,
            Matcher::Prefix(s) | Matcher::Suffix(s) | Matcher::EqualsIgnoreCase(s)
                if s.is_empty() =>
            {
                return bad(PipelineError::EmptyMatcherValue {
                    matcher: self.kind(),
                });
            }
            Matcher::Prefix(s) => json!({ "prefix": s }),
            Matcher::Suffix(s) => json!({ "suffix": s }),
            Matcher::EqualsIgnoreCase(s) => json!({ "equals-ignore-case": s }),
            Matcher::Wildcard(s) => {
                if s.is_empty() || s.contains("**") {
                    return bad(PipelineError::InvalidWildcard {
                        wildcard: s.clone(),
                    });
                }
                json!({ "wildcard": s })
            }
            Matcher::AnythingBut(values) => {
                if values.is_empty() {
                    return bad(PipelineError::EmptyAnythingBut);
                }
                json!({ "anything-but": values })
            }
            Matcher::AnythingButPrefix(s) => {
                if s.is_empty() {
                    return bad(PipelineError::EmptyMatcherValue {
                        matcher: "anything-but prefix",
                    });
                }
                json!({ "anything-but": { "prefix": s } })
            }
            Matcher::Numeric(range) => json!({ "numeric": range.to_json()? }),
            Matcher::Exists(b) => json!({ "exists": b }),
        })
    }

    fn kind(&self) -> &'static str {
        match self {
            Matcher::Exact(_) => "exact",
            Matcher::Number(_) => "number",
            Matcher::Prefix(_) => "prefix",
            Matcher::Suffix(_) => "suffix",
            Matcher::EqualsIgnoreCase(_) => "equals-ignore-case",
            Matcher::Wildcard(_) => "wildcard",
            Matcher::AnythingBut(_) | Matcher::AnythingButPrefix(_) => "anything-but",
            Matcher::Numeric(_) => "numeric",
            Matcher::Exists(_) => "exists",
        }
    }
}

/// A numeric range: a lower bound, an upper bound, or both (`{"numeric": [">", 0, "<=", 5]}`).
///
/// Bounds must lie within ±5.0e9 ([`MAX_NUMERIC`]) and the range must not be empty.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NumericRange {
    lower: Option<(f64, bool)>,
    upper: Option<(f64, bool)>,
    equal: Option<f64>,
}

impl NumericRange {
    /// No bounds yet (an error until one is set).
    pub fn new() -> Self {
        Self::default()
    }

    /// Exactly `value` (`["=", value]`).
    pub fn equal_to(value: f64) -> Self {
        Self {
            equal: Some(value),
            ..Self::default()
        }
    }

    /// Greater than `value`.
    pub fn greater_than(mut self, value: f64) -> Self {
        self.lower = Some((value, false));
        self
    }

    /// Greater than or equal to `value`.
    pub fn at_least(mut self, value: f64) -> Self {
        self.lower = Some((value, true));
        self
    }

    /// Less than `value`.
    pub fn less_than(mut self, value: f64) -> Self {
        self.upper = Some((value, false));
        self
    }

    /// Less than or equal to `value`.
    pub fn at_most(mut self, value: f64) -> Self {
        self.upper = Some((value, true));
        self
    }

    /// The range as EventBridge reads it, or every reason it cannot be used: each bound out
    /// of range, and an empty range.
    fn to_json(self) -> Result<Json, Vec<PipelineError>> {
        if let Some(value) = self.equal {
            if self.lower.is_some() || self.upper.is_some() {
                return Err(vec![PipelineError::EqualAndBounds]);
            }
            return number(value).map(|n| json!(["=", n])).map_err(|e| vec![e]);
        }
        let mut out = Vec::new();
        let mut problems = Vec::new();
        if let Some((low, inclusive)) = self.lower {
            out.push(json!(if inclusive { ">=" } else { ">" }));
            out.extend(number(low).map_err(|e| problems.push(e)).ok());
        }
        if let Some((high, inclusive)) = self.upper {
            out.push(json!(if inclusive { "<=" } else { "<" }));
            out.extend(number(high).map_err(|e| problems.push(e)).ok());
        }
        match (self.lower, self.upper) {
            (None, None) => problems.push(PipelineError::NoBound),
            (Some((low, li)), Some((high, hi))) if low > high || (low == high && !(li && hi)) => {
                problems.push(PipelineError::EmptyNumericRange { low, high });
            }
            _ => {}
        }
        if problems.is_empty() {
            Ok(Json::Array(out))
        } else {
            Err(problems)
        }
    }
}

/// A number as EventBridge compares it, written as an integer when it is one.
fn number(n: f64) -> Result<Json, PipelineError> {
    if !n.is_finite() || n.abs() > MAX_NUMERIC {
        return Err(PipelineError::NumberOutOfRange { number: n });
    }
    if n.fract() == 0.0 {
        // Integral and within ±5e9, so the conversion is exact.
        Ok(json!(n as i64))
    } else {
        Ok(json!(n))
    }
}

/// Which events a rule matches.
///
/// ```
/// use constructs::pipeline::{EventPattern, Matcher, NumericRange};
/// use serde_json::json;
///
/// let pattern = EventPattern::new()
///     .source(["myapp.orders"])
///     .detail_type(["Order Placed"])
///     .detail("order.total", [Matcher::numeric(NumericRange::new().at_least(100.0))])
///     .detail("customer.tier", [Matcher::anything_but(["test"])]);
/// assert_eq!(
///     pattern.to_json().unwrap(),
///     json!({
///         "source": ["myapp.orders"],
///         "detail-type": ["Order Placed"],
///         "detail": {
///             "order": {"total": [{"numeric": [">=", 100]}]},
///             "customer": {"tier": [{"anything-but": ["test"]}]}
///         }
///     })
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventPattern {
    source: Vec<Matcher>,
    detail_type: Vec<Matcher>,
    detail: IndexMap<String, Vec<Matcher>>,
}

impl EventPattern {
    /// A pattern with no fields yet (an error until one is set: an empty pattern matches
    /// nothing EventBridge accepts).
    pub fn new() -> Self {
        Self::default()
    }

    /// Events whose `source` is one of these.
    pub fn source<S: Into<String>>(mut self, sources: impl IntoIterator<Item = S>) -> Self {
        self.source
            .extend(sources.into_iter().map(|s| Matcher::Exact(s.into())));
        self
    }

    /// Events whose `source` matches one of these matchers.
    pub fn source_matching(mut self, matchers: impl IntoIterator<Item = Matcher>) -> Self {
        self.source.extend(matchers);
        self
    }

    /// Events whose `detail-type` is one of these.
    pub fn detail_type<S: Into<String>>(mut self, types: impl IntoIterator<Item = S>) -> Self {
        self.detail_type
            .extend(types.into_iter().map(|s| Matcher::Exact(s.into())));
        self
    }

    /// Events whose `detail-type` matches one of these matchers.
    pub fn detail_type_matching(mut self, matchers: impl IntoIterator<Item = Matcher>) -> Self {
        self.detail_type.extend(matchers);
        self
    }

    /// Events whose `detail` field at `path` (dotted: `order.total`) matches one of these.
    pub fn detail(mut self, path: &str, matchers: impl IntoIterator<Item = Matcher>) -> Self {
        self.detail
            .entry(path.to_owned())
            .or_default()
            .extend(matchers);
        self
    }

    /// The pattern as EventBridge reads it, or every reason it cannot be used.
    ///
    /// ```
    /// use constructs::pipeline::{EventPattern, Matcher};
    ///
    /// let pattern = EventPattern::new()
    ///     .source_matching([Matcher::prefix("")])
    ///     .detail("total", [Matcher::number(6e9)]);
    /// assert_eq!(pattern.to_json().unwrap_err().len(), 2);
    /// ```
    pub fn to_json(&self) -> Result<Json, Vec<PipelineError>> {
        if self.source.is_empty() && self.detail_type.is_empty() && self.detail.is_empty() {
            return Err(vec![PipelineError::EmptyPattern]);
        }
        let mut out = Map::new();
        let mut problems = Vec::new();
        let mut field = |name: &str, json: Result<Json, Vec<PipelineError>>| match json {
            Ok(json) => {
                out.insert(name.into(), json);
            }
            Err(errors) => problems.extend(errors),
        };
        if !self.source.is_empty() {
            field("source", matchers("source", &self.source));
        }
        if !self.detail_type.is_empty() {
            field("detail-type", matchers("detail-type", &self.detail_type));
        }
        if !self.detail.is_empty() {
            field("detail", nested(&self.detail));
        }
        if problems.is_empty() {
            Ok(Json::Object(out))
        } else {
            Err(problems)
        }
    }
}

/// The matchers of one field, as a JSON array, or every problem of every matcher.
pub(crate) fn matchers(field: &str, list: &[Matcher]) -> Result<Json, Vec<PipelineError>> {
    if list.is_empty() {
        return Err(vec![PipelineError::NoMatchers {
            field: field.to_owned(),
        }]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for matcher in list {
        match matcher.to_json() {
            Ok(json) => out.push(json),
            Err(errors) => problems.extend(errors.into_iter().map(|e| e.in_field(field))),
        }
    }
    if problems.is_empty() {
        Ok(Json::Array(out))
    } else {
        Err(problems)
    }
}

/// Dotted paths to their matchers, as nested objects, or every problem of every path.
pub(crate) fn nested(fields: &IndexMap<String, Vec<Matcher>>) -> Result<Json, Vec<PipelineError>> {
    let mut root = Map::new();
    let mut problems = Vec::new();
    'paths: for (path, list) in fields {
        let parts: Vec<&str> = path.split('.').collect();
        if parts.iter().any(|p| p.is_empty()) {
            problems.push(PipelineError::InvalidFieldPath { path: path.clone() });
            continue;
        }
        let (leaf, parents) = parts.split_last().unwrap_or((&"", &[]));
        let mut node = &mut root;
        for part in parents {
            let child = node
                .entry((*part).to_owned())
                .or_insert_with(|| Json::Object(Map::new()));
            node = match child {
                Json::Object(map) => map,
                _ => {
                    problems.push(PipelineError::PathInsideMatchedField { path: path.clone() });
                    continue 'paths;
                }
            };
        }
        if node.contains_key(*leaf) {
            problems.push(PipelineError::MatchedAndNested { path: path.clone() });
            continue;
        }
        match matchers(path, list) {
            // A placeholder keeps the path taken, so a later path inside it is still caught.
            Ok(json) => node.insert((*leaf).to_owned(), json),
            Err(errors) => {
                problems.extend(errors);
                node.insert((*leaf).to_owned(), Json::Null)
            }
        };
    }
    if problems.is_empty() {
        Ok(Json::Object(root))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, DomainError};

    /// The code of the one problem of `r`.
    fn code(r: Result<Json, Vec<PipelineError>>) -> Code {
        let errors = r.unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors[0].code()
    }

    #[test]
    fn every_matcher_is_written_as_eventbridge_expects() {
        let cases = [
            (Matcher::exact("a"), json!("a")),
            (Matcher::number(1.5), json!(1.5)),
            (Matcher::number(3.0), json!(3)),
            (Matcher::prefix("a"), json!({"prefix": "a"})),
            (Matcher::suffix(".png"), json!({"suffix": ".png"})),
            (
                Matcher::equals_ignore_case("A"),
                json!({"equals-ignore-case": "A"}),
            ),
            (Matcher::wildcard("a*b"), json!({"wildcard": "a*b"})),
            (
                Matcher::anything_but(["x", "y"]),
                json!({"anything-but": ["x", "y"]}),
            ),
            (
                Matcher::anything_but_prefix("t"),
                json!({"anything-but": {"prefix": "t"}}),
            ),
            (Matcher::exists(false), json!({"exists": false})),
            (
                Matcher::numeric(NumericRange::equal_to(5.0)),
                json!({"numeric": ["=", 5]}),
            ),
            (
                Matcher::numeric(NumericRange::new().greater_than(-1.0).less_than(2.5)),
                json!({"numeric": [">", -1, "<", 2.5]}),
            ),
        ];
        for (matcher, expected) in cases {
            assert_eq!(matcher.to_json().unwrap(), expected, "{matcher:?}");
        }
    }

    #[test]
    fn bad_matchers_are_errors() {
        let bad = [
            Matcher::prefix(""),
            Matcher::suffix(""),
            Matcher::wildcard("a**b"),
            Matcher::anything_but(Vec::<String>::new()),
            Matcher::anything_but_prefix(""),
            Matcher::number(6e9),
            Matcher::number(f64::NAN),
            Matcher::numeric(NumericRange::new()),
            Matcher::numeric(NumericRange::new().greater_than(5.0).less_than(1.0)),
            Matcher::numeric(NumericRange::new().greater_than(1.0).at_most(1.0)),
            Matcher::numeric(NumericRange::new().at_least(-5.000_000_1e9)),
            Matcher::numeric(NumericRange::equal_to(1.0).less_than(2.0)),
        ];
        for matcher in bad {
            assert_eq!(
                code(matcher.to_json()),
                Code::InvalidEventPattern,
                "{matcher:?}"
            );
        }
        assert!(
            Matcher::numeric(NumericRange::new().at_least(1.0).at_most(1.0))
                .to_json()
                .is_ok()
        );
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert_eq!(
            code(EventPattern::new().to_json()),
            Code::InvalidEventPattern
        );
        let no_matchers = EventPattern::new().detail("a", []);
        assert_eq!(code(no_matchers.to_json()), Code::InvalidEventPattern);
        let clash = EventPattern::new()
            .detail("a", [Matcher::exists(true)])
            .detail("a.b", [Matcher::exact("x")]);
        assert_eq!(code(clash.to_json()), Code::InvalidEventPattern);
        let clash = EventPattern::new()
            .detail("a.b", [Matcher::exact("x")])
            .detail("a", [Matcher::exists(true)]);
        assert_eq!(code(clash.to_json()), Code::InvalidEventPattern);
        let empty_part = EventPattern::new().detail("a..b", [Matcher::exact("x")]);
        assert_eq!(code(empty_part.to_json()), Code::InvalidEventPattern);
    }

    #[test]
    fn every_problem_of_a_pattern_is_reported() {
        let pattern = EventPattern::new()
            .source_matching([Matcher::prefix(""), Matcher::exact("ok")])
            .detail_type_matching([Matcher::anything_but(Vec::<String>::new())])
            .detail(
                "order.total",
                [Matcher::numeric(
                    NumericRange::new().greater_than(6e9).less_than(-6e9),
                )],
            )
            .detail("order", [Matcher::exists(true)])
            .detail("a..b", [Matcher::exact("x")]);
        let errors = pattern.to_json().unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        assert_eq!(
            messages,
            [
                "field `source`: prefix needs a non-empty value",
                "field `detail-type`: anything-but needs at least one value",
                "field `order.total`: 6000000000 is outside the numbers EventBridge compares \
                 (-5.0e9 to 5.0e9)",
                "field `order.total`: -6000000000 is outside the numbers EventBridge compares \
                 (-5.0e9 to 5.0e9)",
                "field `order.total`: the numeric range from 6000000000 to -6000000000 is empty",
                "`order` is both matched and has fields matched",
                "`a..b` is not a field path (`name` or `a.b.c`)",
            ]
        );
    }
}
