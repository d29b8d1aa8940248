//! Removing the rules of a VPC's default security group.
//!
//! CloudFormation has no property for this, so a custom resource does it: a Python function,
//! inline (no asset to upload), that revokes the default group's two rules (all traffic from
//! itself, all traffic out). Its role may revoke rules of that one group and write to its own
//! log group; nothing else, and no AWS managed policy.

use crate::blocks::lambda::{Function, FunctionProps, Layout};
use crate::cfn::ec2::Vpc;
use crate::cfn::RawResource;
use crate::iam::presets;
use crate::{Handle, Scope};

/// The function's code. `cfnresponse` is provided by Lambda for inline (`ZipFile`) Python code.
const HANDLER: &str = r#"import botocore
import boto3
import cfnresponse

ec2 = boto3.client("ec2")

# The rules AWS gives every default security group.
DEFAULT_RULES = (
    ("ingress", [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": None}]}]),
    ("egress", [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
)


def revoke(group_id):
    for direction, permissions in DEFAULT_RULES:
        for permission in permissions:
            for pair in permission.get("UserIdGroupPairs", []):
                pair["GroupId"] = group_id
        call = getattr(ec2, "revoke_security_group_" + direction)
        try:
            call(GroupId=group_id, IpPermissions=permissions)
        except botocore.exceptions.ClientError as error:
            if error.response["Error"]["Code"] != "InvalidPermission.NotFound":
                raise


def handler(event, context):
    group_id = event["ResourceProperties"]["GroupId"]
    status = cfnresponse.SUCCESS
    try:
        if event["RequestType"] in ("Create", "Update"):
            revoke(group_id)
    except Exception as error:  # report any failure to CloudFormation instead of timing out
        print(error)
        status = cfnresponse.FAILED
    cfnresponse.send(event, context, status, {}, group_id + "-lockdown")
"#;

pub(crate) fn add(scope: &mut Scope<'_>, vpc: &Handle<Vpc>) {
    let props = FunctionProps::python(HANDLER)
        .memory_mb(128)
        .timeout_secs(60)
        .description("Removes the rules of the VPC's default security group")
        .grant(presets::ec2::revoke_default_security_group_rules(vpc));
    let layout = Layout {
        role_description: None,
        ..Layout::under(scope, "DefaultSgLockdown")
    };
    let function = Function::build(scope, layout, &props);
    scope.add(
        "DefaultSgLockdown",
        RawResource::new("Custom::DefaultSecurityGroupLockdown")
            .property("ServiceToken", function.function().att_arn().into_json())
            .property("GroupId", vpc.att_default_security_group().into_json()),
    );
}
