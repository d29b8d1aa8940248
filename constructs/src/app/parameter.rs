//! Typed template parameters.

use std::marker::PhantomData;

use crate::model::expr::Expr;
use crate::model::template;
use crate::model::value::kinds::{Id, List};

/// A template parameter whose value has kind `T`.
///
/// ```
/// use constructs::{Parameter, Stack};
///
/// let mut stack = Stack::new("App");
/// let env = stack.add_parameter(
///     "Environment",
///     Parameter::string().allowed_values(["dev", "prod"]).default("dev"),
/// );
/// # let _ = env;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct Parameter<T> {
    inner: template::Parameter,
    kind: PhantomData<fn() -> T>,
}

impl<T> Parameter<T> {
    fn of_type(type_name: &str) -> Self {
        Self {
            inner: template::Parameter::new(type_name),
            kind: PhantomData,
        }
    }

    /// What the parameter is for, shown in the console.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.inner.description = Some(text.into());
        self
    }

    /// The value used when none is given. Must be a literal that keeps every constraint the
    /// parameter states: its type (a `Number` is a number), allowed values, pattern, length and
    /// range. Synth checks, as CloudFormation would when a stack is created without a value
    /// (`invalid-parameter`).
    ///
    /// ```
    /// use constructs::{App, Code, Parameter, Stack, cfn::sns::Topic};
    ///
    /// let mut stack = Stack::new("App");
    /// let size = stack.add_parameter("Size", Parameter::number().range(1.0, 10.0).default(20));
    /// # let _ = size;
    /// stack.add("Topic", Topic::new());
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// assert!(app.assemble().unwrap_err().has(Code::InvalidParameter));
    /// ```
    pub fn default(mut self, value: impl Into<Expr>) -> Self {
        self.inner.default = Some(value.into());
        self
    }

    /// The only values accepted.
    pub fn allowed_values<V: Into<Expr>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.inner.allowed_values = values.into_iter().map(Into::into).collect();
        self
    }

    /// A regular expression the whole value must match (`String` parameters).
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.inner.allowed_pattern = Some(pattern.into());
        self
    }

    /// Shortest and longest string accepted (`String` parameters; `min` at most `max`).
    pub fn length(mut self, min: u32, max: u32) -> Self {
        self.inner.min_length = Some(min);
        self.inner.max_length = Some(max);
        self
    }

    /// Smallest and largest number accepted (`Number` parameters; finite, `min` at most
    /// `max`).
    pub fn range(mut self, min: f64, max: f64) -> Self {
        self.inner.min_value = Some(min);
        self.inner.max_value = Some(max);
        self
    }

    /// Hide the value in the console and API (for secrets passed as parameters).
    pub fn no_echo(mut self) -> Self {
        self.inner.no_echo = true;
        self
    }

    /// The message shown when a constraint is not met.
    pub fn constraint_description(mut self, text: impl Into<String>) -> Self {
        self.inner.constraint_description = Some(text.into());
        self
    }

    pub(crate) fn into_template(self) -> template::Parameter {
        self.inner
    }
}

impl Parameter<String> {
    /// A `String` parameter.
    pub fn string() -> Self {
        Self::of_type("String")
    }

    /// An `AWS::SSM::Parameter::Value<String>` parameter: the value of the SSM parameter whose
    /// name is given at deploy time.
    pub fn ssm_string() -> Self {
        Self::of_type("AWS::SSM::Parameter::Value<String>")
    }
}

impl Parameter<f64> {
    /// A `Number` parameter.
    pub fn number() -> Self {
        Self::of_type("Number")
    }
}

impl Parameter<List<String>> {
    /// A `CommaDelimitedList` parameter.
    pub fn comma_delimited_list() -> Self {
        Self::of_type("CommaDelimitedList")
    }
}

impl Parameter<Id<crate::cfn::ec2::Vpc>> {
    /// An `AWS::EC2::VPC::Id` parameter: CloudFormation checks the VPC exists.
    pub fn vpc_id() -> Self {
        Self::of_type("AWS::EC2::VPC::Id")
    }
}

impl Parameter<Id<crate::cfn::ec2::Subnet>> {
    /// An `AWS::EC2::Subnet::Id` parameter.
    pub fn subnet_id() -> Self {
        Self::of_type("AWS::EC2::Subnet::Id")
    }
}

impl Parameter<List<Id<crate::cfn::ec2::Subnet>>> {
    /// A `List<AWS::EC2::Subnet::Id>` parameter.
    pub fn subnet_ids() -> Self {
        Self::of_type("List<AWS::EC2::Subnet::Id>")
    }
}

impl Parameter<Id<crate::cfn::ec2::SecurityGroup>> {
    /// An `AWS::EC2::SecurityGroup::Id` parameter.
    pub fn security_group_id() -> Self {
        Self::of_type("AWS::EC2::SecurityGroup::Id")
    }
}
