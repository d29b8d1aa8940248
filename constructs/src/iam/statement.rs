//! Statements: effect, actions, resources, principal and conditions.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::action::Action;
use super::condition::{Condition, ConditionKey, Conditions};
use super::error::{PolicyError, PolicyErrorKind};
use super::exprs;
use super::principal::Principal;
use crate::model::expr::Expr;
use crate::model::value::Value;

/// Whether a statement allows or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`: wins over any `Allow`.
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A statement id: ASCII letters and digits, as IAM requires in identity policies.
///
/// A statement with a `Sid` is never merged with another.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sid(String);

impl Sid {
    /// Checks and wraps a statement id.
    pub fn new(sid: &str) -> Result<Self, PolicyError> {
        if sid.is_empty() || !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidSid,
                format!("`{sid}` is not a statement id (ASCII letters and digits only)"),
            ));
        }
        Ok(Self(sid.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a list names what the statement applies to (`Action`, `Resource`) or what it
/// applies to everything but (`NotAction`, `NotResource`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Listing {
    /// `Action` / `Resource`: exactly these.
    Only,
    /// `NotAction` / `NotResource`: everything except these.
    AllExcept,
}

/// One statement of a policy.
///
/// The actions are a constructor argument, so a statement always has at least one. Everything
/// else is added with builder methods. Output, as serialized:
///
/// - keys in the order `Sid`, `Effect`, `Principal`, `Action`/`NotAction`,
///   `Resource`/`NotResource`, `Condition`;
/// - every list is an array, even of one item (`"Action": ["sqs:SendMessage"]`), so a merge
///   that adds an item changes one line, not the shape;
/// - actions sorted case-insensitively, resources sorted by their JSON text, both without
///   duplicates, so the order grants are made in does not show.
///
/// ```
/// use constructs::iam::{Action, Statement};
///
/// let s = Statement::allow(Action::new("sqs:SendMessage").unwrap())
///     .resource("arn:aws:sqs:us-east-1:123456789012:orders");
/// assert_eq!(
///     serde_json::to_value(s.to_expr()).unwrap(),
///     serde_json::json!({
///         "Effect": "Allow",
///         "Action": ["sqs:SendMessage"],
///         "Resource": ["arn:aws:sqs:us-east-1:123456789012:orders"]
///     })
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub(crate) sid: Option<Sid>,
    pub(crate) effect: Effect,
    pub(crate) principal: Option<Principal>,
    pub(crate) action_listing: Listing,
    pub(crate) actions: BTreeSet<Action>,
    pub(crate) resource_listing: Listing,
    /// Kept sorted and without duplicates.
    pub(crate) resources: Vec<Expr>,
    pub(crate) conditions: Conditions,
}

impl Statement {
    /// A statement with `effect` on `actions` (`Only`) or on every action except them
    /// (`AllExcept`, written `NotAction`).
    pub fn new(effect: Effect, listing: Listing, action: Action) -> Self {
        Self {
            sid: None,
            effect,
            principal: None,
            action_listing: listing,
            actions: BTreeSet::from([action]),
            resource_listing: Listing::Only,
            resources: Vec::new(),
            conditions: Conditions::new(),
        }
    }

    /// `Allow` of one action; add more with [`action`](Self::action).
    pub fn allow(action: Action) -> Self {
        Self::new(Effect::Allow, Listing::Only, action)
    }

    /// `Deny` of one action; add more with [`action`](Self::action).
    pub fn deny(action: Action) -> Self {
        Self::new(Effect::Deny, Listing::Only, action)
    }

    /// `Deny` of `action` on `resources` to everyone, for requests made without TLS
    /// (`aws:SecureTransport` false): the statement a resource policy adds to require TLS.
    /// `action` may be a service wildcard such as `sqs:*`: it only ever narrows access.
    ///
    /// ```
    /// use constructs::iam::{Action, Statement};
    ///
    /// let deny = Statement::deny_without_tls(Action::new("sqs:*").unwrap(), ["arn:aws:sqs:us-east-1:123456789012:q"]);
    /// # let _ = deny;
    /// ```
    pub fn deny_without_tls(
        action: Action,
        resources: impl IntoIterator<Item = impl Into<Value<String>>>,
    ) -> Self {
        Self::deny(action)
            .principal(Principal::any())
            .resources(resources)
            .condition(Condition::bool(ConditionKey::SECURE_TRANSPORT, false))
    }

    /// Adds an action (to the `NotAction` list, if the statement was made with `AllExcept`).
    pub fn action(mut self, action: Action) -> Self {
        self.actions.insert(action);
        self
    }

    /// Adds actions.
    pub fn actions(mut self, actions: impl IntoIterator<Item = Action>) -> Self {
        self.actions.extend(actions);
        self
    }

    /// Adds a resource ARN (a literal, or an expression such as a `Fn::GetAtt` or `Fn::Sub`).
    ///
    /// `Resource` and `NotResource` exclude each other: if the statement lists `NotResource`,
    /// this starts a `Resource` list in its place.
    pub fn resource(mut self, arn: impl Into<Value<String>>) -> Self {
        if self.resource_listing != Listing::Only {
            self.resource_listing = Listing::Only;
            self.resources.clear();
        }
        self.resources.push(arn.into().into_expr());
        exprs::sort_dedup(&mut self.resources);
        self
    }

    /// Adds resource ARNs.
    pub fn resources<V: Into<Value<String>>>(self, arns: impl IntoIterator<Item = V>) -> Self {
        arns.into_iter().fold(self, Statement::resource)
    }

    /// Adds a `NotResource` ARN; if the statement lists `Resource`, this starts a `NotResource`
    /// list in its place.
    pub fn not_resource(mut self, arn: impl Into<Value<String>>) -> Self {
        if self.resource_listing != Listing::AllExcept {
            self.resource_listing = Listing::AllExcept;
            self.resources.clear();
        }
        self.resources.push(arn.into().into_expr());
        exprs::sort_dedup(&mut self.resources);
        self
    }

    /// Adds a principal (resource and trust policies only; identity policies have none).
    pub fn principal(mut self, principal: Principal) -> Self {
        self.principal = Some(match self.principal.take() {
            Some(p) => p.and(principal),
            None => principal,
        });
        self
    }

    /// Adds a condition (see [`Conditions::add`]).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.conditions.add(condition);
        self
    }

    /// Sets the statement id. A statement with an id is never merged.
    pub fn sid(mut self, sid: Sid) -> Self {
        self.sid = Some(sid);
        self
    }

    /// The effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The actions, sorted; see [`action_listing`](Self::action_listing).
    pub fn action_list(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter()
    }

    /// Whether the actions are `Action` or `NotAction`.
    pub fn action_listing(&self) -> Listing {
        self.action_listing
    }

    /// The resources, sorted; see [`resource_listing`](Self::resource_listing).
    pub fn resource_list(&self) -> &[Expr] {
        &self.resources
    }

    /// Whether the resources are `Resource` or `NotResource`.
    pub fn resource_listing(&self) -> Listing {
        self.resource_listing
    }

    /// The principal, if any.
    pub fn principals(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }

    /// The conditions.
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// The statement id, if any.
    pub fn statement_id(&self) -> Option<&Sid> {
        self.sid.as_ref()
    }

    /// The statement as it is written in a policy.
    pub fn to_expr(&self) -> Expr {
        let mut map = IndexMap::new();
        if let Some(sid) = &self.sid {
            map.insert("Sid".to_owned(), Expr::string(sid.as_str()));
        }
        map.insert("Effect".to_owned(), Expr::string(self.effect.as_str()));
        if let Some(principal) = &self.principal {
            map.insert("Principal".to_owned(), principal.to_expr());
        }
        let key = match self.action_listing {
            Listing::Only => "Action",
            Listing::AllExcept => "NotAction",
        };
        let actions = self.actions.iter().map(|a| Expr::string(a.as_str()));
        map.insert(key.to_owned(), exprs::list(actions));
        if !self.resources.is_empty() {
            let key = match self.resource_listing {
                Listing::Only => "Resource",
                Listing::AllExcept => "NotResource",
            };
            map.insert(key.to_owned(), exprs::list(self.resources.iter().cloned()));
        }
        if !self.conditions.is_empty() {
            map.insert("Condition".to_owned(), self.conditions.to_expr());
        }
        Expr::map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::condition::ConditionKey;
    use crate::DomainError;
    use serde_json::json;

    fn a(s: &str) -> Action {
        Action::new(s).unwrap()
    }

    #[test]
    fn full_statement_writes_keys_in_order() {
        let s = Statement::allow(a("sqs:SendMessage"))
            .sid(Sid::new("FromRule").unwrap())
            .principal(Principal::service("events.amazonaws.com").unwrap())
            .resource(Value::<String>::unchecked(Expr::GetAtt {
                stack: None,
                logical_id: "Queue".into(),
                attribute: "Arn".into(),
            }))
            .condition(Condition::arn_equals(
                ConditionKey::SOURCE_ARN,
                "arn:aws:events:us-east-1:1:rule/r",
            ));
        let text = serde_json::to_string(&s.to_expr()).unwrap();
        assert_eq!(
            text,
            r#"{"Sid":"FromRule","Effect":"Allow","Principal":{"Service":["events.amazonaws.com"]},"Action":["sqs:SendMessage"],"Resource":[{"Fn::GetAtt":["Queue","Arn"]}],"Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:events:us-east-1:1:rule/r"]}}}"#
        );
    }

    #[test]
    fn actions_and_resources_are_sorted_and_deduplicated() {
        let s = Statement::allow(a("sqs:SendMessage"))
            .actions([a("sqs:GetQueueUrl"), a("SQS:sendmessage")])
            .resources(["b", "a", "b"]);
        assert_eq!(
            serde_json::to_value(s.to_expr()).unwrap(),
            json!({"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"], "Resource": ["a", "b"]})
        );
    }

    #[test]
    fn not_action_and_not_resource() {
        let s = Statement::new(Effect::Deny, Listing::AllExcept, a("iam:*"))
            .resource("x")
            .not_resource("arn:aws:s3:::b");
        assert_eq!(
            serde_json::to_value(s.to_expr()).unwrap(),
            json!({"Effect": "Deny", "NotAction": ["iam:*"], "NotResource": ["arn:aws:s3:::b"]})
        );
    }

    #[test]
    fn sids_are_alphanumeric() {
        assert!(Sid::new("AllowEvents1").is_ok());
        for bad in ["", "a b", "a-b", "ü"] {
            assert_eq!(
                Sid::new(bad).unwrap_err().code(),
                crate::Code::InvalidIamSid
            );
        }
    }
}
