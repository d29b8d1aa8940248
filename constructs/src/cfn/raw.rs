//! The escape hatch: any resource type, with properties given as JSON.

use indexmap::IndexMap;

use crate::model::expr::Expr;
use crate::model::value::{kinds::Json, Value};
use crate::resource::{Handle, Resource, Tagging};

/// A resource of any type, for types this crate does not generate.
///
/// Properties are free-form: nothing checks their names or types before cfn-lint does, and
/// `Fn::GetAtt` of any attribute is accepted.
///
/// ```
/// use constructs::{Stack, cfn::RawResource};
/// use serde_json::json;
///
/// let mut stack = Stack::new("Misc");
/// let topic = stack.add(
///     "Alerts",
///     RawResource::new("AWS::SNS::Topic").property("DisplayName", json!("Alerts")),
/// );
/// let arn = topic.att("TopicArn");
/// # let _ = arn;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct RawResource {
    type_name: String,
    properties: IndexMap<String, Expr>,
}

impl RawResource {
    /// A resource of `type_name` with no properties.
    pub fn new(type_name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            properties: IndexMap::new(),
        }
    }

    /// Sets one property. The value may be JSON or any typed [`Value`].
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Value<Json>>) -> Self {
        self.properties
            .insert(name.into(), value.into().into_expr());
        self
    }
}

impl Resource for RawResource {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn attributes(&self) -> Option<&'static [&'static str]> {
        None
    }

    fn tagging(&self) -> Tagging {
        Tagging::None
    }

    fn into_properties(self) -> IndexMap<String, Expr> {
        self.properties
    }
}

impl Handle<RawResource> {
    /// `Ref` of the resource. Its kind is unknown, so it is a plain string.
    pub fn reference(&self) -> Value<String> {
        Value::unchecked(self.ref_expr())
    }

    /// `Fn::GetAtt` of any attribute; not checked.
    pub fn att(&self, attribute: &str) -> Value<Json> {
        Value::unchecked(self.att_expr(attribute))
    }
}
