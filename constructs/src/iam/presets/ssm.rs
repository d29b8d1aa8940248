//! AWS Systems Manager Parameter Store presets.

use crate::iam::grant::{Grant, Preset};
use crate::model::fns;
use crate::model::value::Value;

/// Read parameters by name in one call (`ssm:GetParameters`: what ECS calls to inject
/// parameters into a container).
pub const GET_PARAMETERS: Preset = Preset {
    name: "ssm:get-parameters",
    actions: &["ssm:GetParameters"],
};

/// Read one parameter (`ssm:GetParameter`: what application code calls, such as boto3's
/// `get_parameter`).
pub const GET_PARAMETER: Preset = Preset {
    name: "ssm:get-parameter",
    actions: &["ssm:GetParameter"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[GET_PARAMETERS, GET_PARAMETER];

/// The ARN of the parameter `name` in the stack's account and region. Hierarchical names
/// (`/app/db/host`) and flat ones (`db-host`) both work: the ARN has exactly one `/` after
/// `parameter`.
///
/// ```
/// use constructs::iam::presets::ssm;
///
/// let arn = ssm::parameter_arn("/app/db/host");
/// assert_eq!(
///     serde_json::to_value(&arn).unwrap(),
///     serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/db/host"})
/// );
/// ```
pub fn parameter_arn(name: &str) -> Value<String> {
    let path = name.strip_prefix('/').unwrap_or(name);
    fns::sub(format!(
        "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{path}"
    ))
}

/// [`GET_PARAMETERS`] (`ssm:GetParameters`) on the parameter `name` of the stack's account and
/// region: what ECS needs to inject it into a container.
///
/// ```
/// use constructs::iam::presets::ssm;
///
/// let grant = ssm::get_parameters("/app/db/host");
/// assert_eq!(grant.statements()[0].action_list().map(|a| a.as_str()).collect::<Vec<_>>(), ["ssm:GetParameters"]);
/// ```
pub fn get_parameters(name: &str) -> Grant {
    GET_PARAMETERS.grant(&format!("parameter {name}"), [parameter_arn(name)])
}

/// [`GET_PARAMETER`] (`ssm:GetParameter`) on the parameter `name` of the stack's account and
/// region: what code calling `GetParameter` needs (each name grants what it says).
///
/// ```
/// use constructs::iam::presets::ssm;
///
/// let grant = ssm::get_parameter("/app/db/host");
/// assert_eq!(grant.statements()[0].action_list().map(|a| a.as_str()).collect::<Vec<_>>(), ["ssm:GetParameter"]);
/// ```
pub fn get_parameter(name: &str) -> Grant {
    GET_PARAMETER.grant(&format!("parameter {name}"), [parameter_arn(name)])
}
