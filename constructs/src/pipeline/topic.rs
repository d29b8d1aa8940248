//! Subscriptions of queues to a pipeline's topics, and their filter policies.

use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

use super::error::PipelineError;
use super::pattern::{matchers, Matcher};

/// Which messages of a topic a subscription receives: message attributes (or body fields)
/// to matchers, as SNS filter policies write them.
///
/// ```
/// use constructs::pipeline::{FilterPolicy, Matcher};
///
/// let policy = FilterPolicy::new().field("region", [Matcher::prefix("eu-")]);
/// assert_eq!(policy.to_json().unwrap(), serde_json::json!({"region": [{"prefix": "eu-"}]}));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct FilterPolicy {
    fields: IndexMap<String, Vec<Matcher>>,
    body: bool,
}

impl FilterPolicy {
    /// No fields yet (an error until one is set).
    pub fn new() -> Self {
        Self::default()
    }

    /// The attribute (or, with [`on_body`](Self::on_body), the dotted body field) `name`
    /// must match one of `matchers`.
    pub fn field(mut self, name: &str, matchers: impl IntoIterator<Item = Matcher>) -> Self {
        self.fields
            .entry(name.to_owned())
            .or_default()
            .extend(matchers);
        self
    }

    /// Filters on the message body instead of its attributes (`FilterPolicyScope:
    /// MessageBody`).
    pub fn on_body(mut self) -> Self {
        self.body = true;
        self
    }

    pub(crate) fn scope(&self) -> &'static str {
        if self.body {
            "MessageBody"
        } else {
            "MessageAttributes"
        }
    }

    /// The policy as SNS reads it, or every reason it cannot be used.
    ///
    /// ```
    /// use constructs::pipeline::{FilterPolicy, Matcher};
    ///
    /// let policy = FilterPolicy::new()
    ///     .field("region", [Matcher::wildcard("eu-*")])
    ///     .field("kind", [Matcher::prefix("")]);
    /// assert_eq!(policy.to_json().unwrap_err().len(), 2);
    /// ```
    pub fn to_json(&self) -> Result<Json, Vec<PipelineError>> {
        if self.fields.is_empty() {
            return Err(vec![PipelineError::EmptyFilterPolicy]);
        }
        let mut problems: Vec<PipelineError> = self
            .fields
            .iter()
            .filter(|(_, m)| m.iter().any(|m| matches!(m, Matcher::Wildcard(_))))
            .map(|(name, _)| PipelineError::WildcardInFilterPolicy {
                field: name.clone(),
            })
            .collect();
        let json = if self.body {
            super::pattern::nested(&self.fields)
        } else {
            let mut out = Map::new();
            let mut field_problems = Vec::new();
            for (name, list) in &self.fields {
                match matchers(name, list) {
                    Ok(json) => {
                        out.insert(name.clone(), json);
                    }
                    Err(errors) => field_problems.extend(errors),
                }
            }
            if field_problems.is_empty() {
                Ok(Json::Object(out))
            } else {
                Err(field_problems)
            }
        };
        match json {
            Ok(json) if problems.is_empty() => Ok(json),
            Ok(_) => Err(problems),
            Err(errors) => {
                problems.extend(errors);
                Err(problems)
            }
        }
    }
}

/// The choices of one subscription of a queue to a topic.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct SubscriptionProps {
    pub(crate) raw_message_delivery: bool,
    pub(crate) filter_policy: Option<FilterPolicy>,
}

impl SubscriptionProps {
    /// Every message, wrapped in SNS's JSON envelope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Delivers the message body as published, without SNS's envelope.
    pub fn raw_message_delivery(mut self) -> Self {
        self.raw_message_delivery = true;
        self
    }

    /// Delivers only messages that match `policy`.
    pub fn filter_policy(mut self, policy: FilterPolicy) -> Self {
        self.filter_policy = Some(policy);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, DomainError};
    use serde_json::json;

    #[test]
    fn filter_policies() {
        let body = FilterPolicy::new()
            .field(
                "order.total",
                [Matcher::numeric(
                    super::super::NumericRange::new().greater_than(10.0),
                )],
            )
            .on_body();
        assert_eq!(
            body.to_json().unwrap(),
            json!({"order": {"total": [{"numeric": [">", 10]}]}})
        );
        assert_eq!(body.scope(), "MessageBody");
        for bad in [
            FilterPolicy::new(),
            FilterPolicy::new().field("a", [Matcher::wildcard("a*")]),
            FilterPolicy::new().field("a", []),
        ] {
            let errors = bad.to_json().unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].code(), Code::InvalidEventPattern);
        }
    }

    #[test]
    fn every_problem_of_a_filter_policy_is_reported() {
        let policy = FilterPolicy::new()
            .field("a", [Matcher::wildcard("x*")])
            .field("b", [Matcher::wildcard("y*")])
            .field("c", [Matcher::suffix("")]);
        let errors = policy.to_json().unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        assert_eq!(
            messages,
            [
                "filter policy field `a`: SNS filter policies have no wildcard matcher",
                "filter policy field `b`: SNS filter policies have no wildcard matcher",
                "field `c`: suffix needs a non-empty value",
            ]
        );
    }
}
