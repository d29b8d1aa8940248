//! Template outputs.

use crate::model::template::ConditionRef;
use crate::model::value::Value;

/// A stack output of kind `T`, optionally exported.
///
/// References between stacks of one app need no hand-written export: synth adds one. Export
/// by hand only for consumers outside the app.
///
/// ```
/// use constructs::{fns, Output, Stack, cfn::ec2::Vpc};
///
/// let mut stack = Stack::new("Network");
/// let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
/// stack.add_output(
///     "VpcId",
///     Output::new(vpc.reference())
///         .description("The VPC")
///         .export_name(fns::sub("${AWS::StackName}-VpcId")),
/// );
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct Output<T> {
    pub(crate) value: Value<T>,
    pub(crate) description: Option<String>,
    pub(crate) condition: Option<ConditionRef>,
    pub(crate) export_name: Option<Value<String>>,
}

impl<T> Output<T> {
    /// An output of `value`.
    pub fn new(value: Value<T>) -> Self {
        Self {
            value,
            description: None,
            condition: None,
            export_name: None,
        }
    }

    /// What the output is.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Only output when `condition` holds.
    pub fn condition(mut self, condition: &ConditionRef) -> Self {
        self.condition = Some(condition.clone());
        self
    }

    /// Export the value under `name` (unique in the account and region).
    pub fn export_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.export_name = Some(name.into());
        self
    }
}
