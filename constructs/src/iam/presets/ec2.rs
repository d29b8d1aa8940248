//! EC2 presets.

use crate::cfn::ec2::Vpc;
use crate::iam::grant::{Grant, Preset};
use crate::model::fns;
use crate::resource::Handle;

/// Remove rules from a security group.
pub const REVOKE_SECURITY_GROUP_RULES: Preset = Preset {
    name: "ec2:revoke-security-group-rules",
    actions: &[
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
    ],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[REVOKE_SECURITY_GROUP_RULES];

/// [`REVOKE_SECURITY_GROUP_RULES`] on the default security group of `vpc`, by its ARN.
pub fn revoke_default_security_group_rules(vpc: &Handle<Vpc>) -> Grant {
    let arn = fns::sub_with(
        "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${GroupId}",
        [("GroupId", vpc.att_default_security_group().into())],
    );
    REVOKE_SECURITY_GROUP_RULES.grant(&format!("{}.DefaultSecurityGroup", vpc.logical_id()), [arn])
}
