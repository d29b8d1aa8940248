//! VPC flow logs to CloudWatch Logs, through a role that may write only to their log group.

use super::props::FlowLogs;
use crate::blocks::iam::ServiceRole;
use crate::blocks::logs::{LogGroup as LogGroupBlock, LogGroupProps};
use crate::cfn::ec2::{FlowLog, Vpc};
use crate::cfn::logs::LogGroup;
use crate::iam::presets;
use crate::{fns, Handle, Scope};

/// The resources flow logs add.
pub(crate) struct FlowLogResources {
    pub log_group: Handle<LogGroup>,
}

pub(crate) fn add(
    scope: &mut Scope<'_>,
    vpc: &Handle<Vpc>,
    settings: &FlowLogs,
) -> FlowLogResources {
    let log_group = LogGroupBlock::add(
        scope,
        "FlowLogGroup",
        LogGroupProps::new().retention(settings.retention),
    )
    .handle()
    .clone();
    // The service assumes the role only for flow logs of this account (confused-deputy guard).
    let mut role = ServiceRole::new("vpc-flow-logs.amazonaws.com").scoped_to(fns::sub(
        "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*",
    ));
    role.grant(presets::logs::deliver_flow_logs(&log_group));
    let role = role.add_to(scope, "FlowLogRole");
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
