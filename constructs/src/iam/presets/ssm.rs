//! AWS Systems Manager Parameter Store presets.

use crate::iam::grant::{Grant, Preset};
use crate::model::fns;
use crate::model::value::Value;

/// Read parameters by name (what ECS calls to inject parameters into a container).
pub const GET_PARAMETERS: Preset = Preset {
    name: "ssm:get-parameters",
    actions: &["ssm:GetParameters"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[GET_PARAMETERS];

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

/// [`GET_PARAMETERS`] on the parameter `name` of the stack's account and region.
pub fn get_parameter(name: &str) -> Grant {
    GET_PARAMETERS.grant(&format!("parameter {name}"), [parameter_arn(name)])
}
