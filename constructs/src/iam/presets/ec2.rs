//! EC2 presets.

use crate::cfn::ec2::{SecurityGroup, Subnet, Vpc};
use crate::iam::grant::{Grant, Preset};
use crate::kinds::Id;
use crate::model::fns;
use crate::model::value::Value;
use crate::resource::Handle;

/// Remove rules from a security group.
pub const REVOKE_SECURITY_GROUP_RULES: Preset = Preset {
    name: "ec2:revoke-security-group-rules",
    actions: &[
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
    ],
};

/// Create a network interface: what Lambda does with a VPC function's role to attach it.
pub const CREATE_NETWORK_INTERFACE: Preset = Preset {
    name: "ec2:create-network-interface",
    actions: &["ec2:CreateNetworkInterface"],
};

/// Delete network interfaces and move private addresses between them (Lambda, cleaning up
/// and rebalancing a VPC function's interfaces).
pub const MANAGE_NETWORK_INTERFACES: Preset = Preset {
    name: "ec2:manage-network-interfaces",
    actions: &[
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    ],
};

/// Describe network interfaces and subnets. These actions take no resource, so they are
/// granted on `*` (listed with the reason in
/// [`RESOURCE_STAR_ACTIONS`](crate::iam::RESOURCE_STAR_ACTIONS)).
pub const DESCRIBE_NETWORK: Preset = Preset {
    name: "ec2:describe-network",
    actions: &["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[
    REVOKE_SECURITY_GROUP_RULES,
    CREATE_NETWORK_INTERFACE,
    MANAGE_NETWORK_INTERFACES,
    DESCRIBE_NETWORK,
];

/// `arn:…:ec2:<region>:<account>:<kind>/<id>` for the resource id `id`.
fn ec2_arn(kind: &str, id: Value<String>) -> Value<String> {
    fns::sub_with(
        format!("arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:{kind}/${{Id}}"),
        [("Id", id)],
    )
}

/// What Lambda needs on a VPC function's role to give it network interfaces, the same actions
/// as AWS's `AWSLambdaVPCAccessExecutionRole` but scoped: new interfaces only in `subnets`
/// with `security_group`; deleting and re-addressing interfaces of this account and region
/// (their ids are Lambda's, unknown to the template; AWS documents that naming all of them is
/// what `DeleteNetworkInterface` needs); describing on `*` (no resource type).
pub fn lambda_vpc_access(
    subnets: &[Value<Id<Subnet>>],
    security_group: &Handle<SecurityGroup>,
) -> Grant {
    let interfaces =
        fns::sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:network-interface/*");
    let mut create = vec![interfaces.clone()];
    create.extend(
        subnets
            .iter()
            .map(|subnet| ec2_arn("subnet", subnet.into())),
    );
    create.push(ec2_arn(
        "security-group",
        security_group.att_group_id().into(),
    ));
    Grant::new(format!(
        "ec2:lambda-vpc-access in {}",
        security_group.logical_id()
    ))
    .statement(CREATE_NETWORK_INTERFACE.statement(create))
    .statement(MANAGE_NETWORK_INTERFACES.statement([interfaces]))
    .statement(DESCRIBE_NETWORK.statement(["*"]))
}

/// [`REVOKE_SECURITY_GROUP_RULES`] on the default security group of `vpc`, by its ARN.
pub fn revoke_default_security_group_rules(vpc: &Handle<Vpc>) -> Grant {
    let arn = fns::sub_with(
        "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${GroupId}",
        [("GroupId", vpc.att_default_security_group().into())],
    );
    REVOKE_SECURITY_GROUP_RULES.grant(&format!("{}.DefaultSecurityGroup", vpc.logical_id()), [arn])
}
