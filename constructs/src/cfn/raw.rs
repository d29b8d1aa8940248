//! The escape hatch: any resource type, with properties given as JSON.

use indexmap::IndexMap;

use crate::model::expr::Expr;
use crate::model::value::{kinds::Json, Value};
use crate::resource::{Handle, Resource, Tagging};

/// A resource of any type, for types this crate does not generate.
///
/// - Properties are free-form: nothing checks their names or types before cfn-lint does. When
///   the type is one this crate generates, their literal values are checked against the
///   schema's constraints at synth (lengths, patterns, enumerations, ranges, item counts,
///   required properties), as for the generated struct.
/// - References *inside* the properties are checked like any other: a `{"Ref": …}` or
///   `{"Fn::GetAtt": …}` in the JSON must name a resource of the app (cross-stack ones become
///   imports).
/// - A `Fn::GetAtt` *of* a raw resource may name any attribute: the crate does not know the
///   type's attributes.
/// - Stack tags are not applied, since the crate does not know how the type takes tags, unless
///   you say so with [`tags`](Self::tags).
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
    tagging: Tagging,
}

impl RawResource {
    /// A resource of `type_name` with no properties.
    pub fn new(type_name: impl Into<String>) -> Self {
        Self {
            type_name: type_name.into(),
            properties: IndexMap::new(),
            tagging: Tagging::None,
        }
    }

    /// How the type takes tags, so the stack's tags are applied to it as to generated types:
    /// [`Tagging::List`] for a `[{Key, Value}]` property (most types), [`Tagging::Map`] for a
    /// map. Take it from the type's resource schema.
    ///
    /// ```
    /// use constructs::{App, Stack, Tagging, cfn::RawResource};
    ///
    /// let mut app = App::new();
    /// let mut stack = Stack::new("Misc").tag("team", "platform");
    /// stack.add("Alerts", RawResource::new("AWS::SNS::Topic").tags(Tagging::List("Tags")));
    /// app.add_stack(stack);
    /// let json = app.assemble().unwrap().stack("Misc").unwrap().json.clone();
    /// assert!(json.contains(r#""Key": "team""#));
    /// ```
    pub fn tags(mut self, tagging: Tagging) -> Self {
        self.tagging = tagging;
        self
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
        self.tagging
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
