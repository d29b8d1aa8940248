//! The two roles of a task: the execution role ECS uses to start it, and the task role the
//! application runs as.

use crate::blocks::iam::ServiceRole;
use crate::cfn::iam::Role;
use crate::cfn::logs::LogGroup;
use crate::iam::{presets, Grant};
use crate::{fns, Handle, Scope};

use super::container::Container;

const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";

/// A role ECS tasks of this account and region may assume, and nothing else (confused-deputy
/// guard on both source keys).
fn ecs_tasks_role(description: &str) -> ServiceRole {
    ServiceRole::new(ECS_TASKS)
        .description(description)
        .scoped_to(fns::sub(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*",
        ))
}

/// The execution role: pull the image (ECR only), write the container's log group, read
/// exactly the secrets the container uses.
pub(crate) fn execution_role(
    scope: &mut Scope<'_>,
    container: &Container,
    logs: &Handle<LogGroup>,
) -> Handle<Role> {
    let mut role = ecs_tasks_role("Starts the tasks: pulls the image, writes logs, reads secrets");
    if let Some((name, arn)) = container.image.repository() {
        role.grant(presets::ecr::get_authorization_token());
        role.grant(presets::ecr::pull(&name, arn));
    }
    role.grant(presets::logs::write(logs));
    for (_, source) in &container.secrets {
        role.grant(source.grant());
    }
    role.add_to(scope, "ExecutionRole")
}

/// The task role: what the application was granted, and, with ECS Exec on, the Session
/// Manager channels its agent opens with the task role. Made even with nothing granted, so
/// grants after construction ([`Stack::grant`](crate::Stack::grant)) have a role to go to.
pub(crate) fn task_role(
    scope: &mut Scope<'_>,
    grants: &[Grant],
    execute_command: bool,
) -> Handle<Role> {
    let mut role = ecs_tasks_role("The application's own permissions");
    for grant in grants {
        role.grant(grant.clone());
    }
    if execute_command {
        role.grant(presets::ssmmessages::ecs_exec());
    }
    role.add_to(scope, "TaskRole")
}
