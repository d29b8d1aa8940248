//! VPC flow logs to CloudWatch Logs, through a role that may write only to their log group.

use crate::cfn::ec2::{FlowLog, Vpc};
use crate::cfn::iam::{role, Role};
use crate::cfn::logs::LogGroup;
use crate::iam::{Condition, ConditionKey, PolicyDocument};
use crate::{fns, Handle, ResourceOptions, Scope};

use super::iam_util::{allow, service};
use super::props::FlowLogs;

/// The resources flow logs add.
pub(crate) struct FlowLogResources {
    pub log_group: Handle<LogGroup>,
}

pub(crate) fn add(
    scope: &mut Scope<'_>,
    vpc: &Handle<Vpc>,
    settings: &FlowLogs,
) -> FlowLogResources {
    let log_group = scope.add_with(
        "FlowLogGroup",
        LogGroup::new().retention_in_days(i64::from(settings.retention_days)),
        ResourceOptions::new().retain(),
    );
    // The service assumes the role only for flow logs of this account (confused-deputy guard).
    let trust = PolicyDocument::new().statement(
        allow(&["sts:AssumeRole"])
            .principal(service("vpc-flow-logs.amazonaws.com"))
            .condition(Condition::string_equals(
                ConditionKey::SOURCE_ACCOUNT,
                fns::account_id(),
            ))
            .condition(Condition::arn_like(
                ConditionKey::SOURCE_ARN,
                fns::sub(
                    "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*",
                ),
            )),
    );
    // The log group exists, so the role needs no logs:CreateLogGroup; the Arn attribute of a
    // log group ends in `:*`, which covers its streams.
    let write = PolicyDocument::new().statement(
        allow(&[
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogStreams",
        ])
        .resource(log_group.att_arn()),
    );
    let role = scope.add(
        "FlowLogRole",
        Role::new(trust).policies(vec![role::Policy::new(write, "WriteFlowLogs")]),
    );
    scope.add(
        "FlowLog",
        FlowLog::new(vpc.reference(), "VPC")
            .traffic_type(settings.traffic_type)
            .log_destination_type("cloud-watch-logs")
            .log_group_name(log_group.reference())
            .deliver_logs_permission_arn(role.att_arn()),
    );
    FlowLogResources { log_group }
}
