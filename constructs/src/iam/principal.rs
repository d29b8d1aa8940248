//! Principals: who a resource policy or a trust policy lets in.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::error::{PolicyError, PolicyErrorKind};
use super::exprs;
use crate::model::expr::Expr;
use crate::model::value::Value;

/// The kinds of principal, in the order they are written (alphabetical, like IAM prints them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    /// `AWS`: an account (`123456789012` or its root ARN), a role or a user ARN.
    Aws,
    /// `CanonicalUser`: an S3 canonical user id.
    CanonicalUser,
    /// `Federated`: a SAML or OIDC provider.
    Federated,
    /// `Service`: an AWS service, such as `events.amazonaws.com`.
    Service,
}

impl PrincipalKind {
    /// The key in the policy (`AWS`, `CanonicalUser`, `Federated`, `Service`).
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::CanonicalUser => "CanonicalUser",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::Service => "Service",
        }
    }
}

/// The `Principal` of a statement: `*`, or named principals of one or more kinds.
///
/// It is written as `"*"` or as an object whose keys are in [`PrincipalKind`] order and whose
/// values are always arrays, sorted and without duplicates.
///
/// ```
/// use constructs::iam::Principal;
///
/// let events = Principal::service("events.amazonaws.com").unwrap();
/// let json = serde_json::to_value(events.to_expr()).unwrap();
/// assert_eq!(json, serde_json::json!({"Service": ["events.amazonaws.com"]}));
/// assert!(Principal::service("events.example.com").is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    any: bool,
    named: BTreeMap<PrincipalKind, Vec<Expr>>,
}

impl Principal {
    /// `"*"`: anyone, including anonymous callers. Use only with conditions that narrow it, or in
    /// a `Deny`.
    pub fn any() -> Self {
        Self {
            any: true,
            named: BTreeMap::new(),
        }
    }

    /// An AWS service principal such as `lambda.amazonaws.com`, checked in shape.
    pub fn service(name: &str) -> Result<Self, PolicyError> {
        let base = name
            .strip_suffix(".amazonaws.com")
            .or_else(|| name.strip_suffix(".amazonaws.com.cn"));
        let valid = base.is_some_and(|b| {
            !b.is_empty()
                && !b.starts_with(['.', '-'])
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
        });
        if !valid {
            return Err(PolicyError::new(
                PolicyErrorKind::InvalidServicePrincipal,
                format!("`{name}` is not an AWS service principal (expected such as `events.amazonaws.com`)"),
            ));
        }
        Ok(Self::of(PrincipalKind::Service, Expr::string(name)))
    }

    /// The service principal `<name>.<Region>.amazonaws.com` of the stack's own Region,
    /// written with `Fn::Sub`: for services whose principal names the Region, such as
    /// CloudWatch Logs in a key policy (`logs.eu-west-1.amazonaws.com`). `name` is checked in
    /// shape like [`service`](Self::service)'s.
    ///
    /// ```
    /// use constructs::iam::Principal;
    ///
    /// let logs = Principal::regional_service("logs").unwrap();
    /// let json = serde_json::to_value(logs.to_expr()).unwrap();
    /// assert_eq!(
    ///     json,
    ///     serde_json::json!({"Service": [{"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}]})
    /// );
    /// ```
    pub fn regional_service(name: &str) -> Result<Self, PolicyError> {
        // Checked as the literal principal of one Region would be.
        Self::service(&format!("{name}.us-east-1.amazonaws.com"))?;
        let principal = crate::fns::sub(format!("{name}.${{AWS::Region}}.amazonaws.com"));
        Ok(Self::of(PrincipalKind::Service, principal.into_expr()))
    }

    /// An `AWS` principal: an account id, an account root ARN, or a role or user ARN.
    pub fn aws(id: impl Into<Value<String>>) -> Self {
        Self::of(PrincipalKind::Aws, id.into().into_expr())
    }

    /// A `Federated` principal: the ARN of a SAML provider, or an OIDC provider's name.
    pub fn federated(provider: impl Into<Value<String>>) -> Self {
        Self::of(PrincipalKind::Federated, provider.into().into_expr())
    }

    /// A `CanonicalUser` principal (S3 only).
    pub fn canonical_user(id: impl Into<Value<String>>) -> Self {
        Self::of(PrincipalKind::CanonicalUser, id.into().into_expr())
    }

    fn of(kind: PrincipalKind, value: Expr) -> Self {
        let mut named = BTreeMap::new();
        named.insert(kind, vec![value]);
        Self { any: false, named }
    }

    /// The principals of both. `*` absorbs everything else.
    pub fn and(mut self, other: Principal) -> Self {
        if self.any || other.any {
            return Self::any();
        }
        for (kind, values) in other.named {
            let entry = self.named.entry(kind).or_default();
            entry.extend(values);
            exprs::sort_dedup(entry);
        }
        self
    }

    /// Whether this is `*`.
    pub fn is_any(&self) -> bool {
        self.any
    }

    /// The values of one kind, sorted.
    pub fn values(&self, kind: PrincipalKind) -> &[Expr] {
        self.named.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The literal service principals (`events.amazonaws.com`, …).
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.values(PrincipalKind::Service)
            .iter()
            .filter_map(Expr::as_str)
    }

    /// The principal as it is written in a policy.
    pub fn to_expr(&self) -> Expr {
        if self.any {
            return Expr::string("*");
        }
        let mut map = IndexMap::new();
        for (kind, values) in &self.named {
            let mut values = values.clone();
            exprs::sort_dedup(&mut values);
            map.insert(kind.as_str().to_owned(), exprs::list(values));
        }
        Expr::map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;
    use serde_json::json;

    fn json(p: &Principal) -> serde_json::Value {
        serde_json::to_value(p.to_expr()).unwrap()
    }

    #[test]
    fn service_principals_are_checked() {
        for ok in [
            "lambda.amazonaws.com",
            "logs.us-east-1.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "states.amazonaws.com.cn",
        ] {
            assert!(Principal::service(ok).is_ok(), "{ok}");
        }
        for bad in [
            "amazonaws.com",
            ".amazonaws.com",
            "Lambda.amazonaws.com",
            "lambda",
            "x y.amazonaws.com",
            "-a.amazonaws.com",
        ] {
            assert_eq!(
                Principal::service(bad).unwrap_err().code(),
                crate::Code::InvalidServicePrincipal,
                "{bad}"
            );
        }
    }

    #[test]
    fn union_sorts_kinds_and_values() {
        let p = Principal::service("sns.amazonaws.com")
            .unwrap()
            .and(Principal::aws("123456789012"))
            .and(Principal::service("events.amazonaws.com").unwrap())
            .and(Principal::service("sns.amazonaws.com").unwrap());
        assert_eq!(
            json(&p),
            json!({"AWS": ["123456789012"], "Service": ["events.amazonaws.com", "sns.amazonaws.com"]})
        );
        assert_eq!(
            p.services().collect::<Vec<_>>(),
            ["events.amazonaws.com", "sns.amazonaws.com"]
        );
        assert!(!p.is_any());
    }

    #[test]
    fn any_absorbs() {
        let p = Principal::aws("1").and(Principal::any());
        assert!(p.is_any());
        assert_eq!(json(&p), json!("*"));
    }
}
