//! The [`Function`] construct: a Lambda function with its own role and log group.

use crate::blocks::ec2::https_egress;
use crate::blocks::iam::ServiceRole;
use crate::blocks::logs::{LogGroup, LogGroupProps};
use crate::cfn::ec2::SecurityGroup;
use crate::cfn::iam::Role;
use crate::cfn::lambda::event_invoke_config::{DestinationConfig, OnFailure};
use crate::cfn::lambda::function::{
    Code as LambdaCode, Environment, EphemeralStorage, LoggingConfig, TracingConfig, VpcConfig,
};
use crate::cfn::lambda::{EventInvokeConfig, EventSourceMapping, Function as CfnFunction};
use crate::cfn::logs::LogGroup as CfnLogGroup;
use crate::iam::{presets, Grant};
use crate::kinds::Map;
use crate::{AsScope, DomainError, Handle, Scope, Value};

use super::limits::{DEFAULT_TIMEOUT_SECS, MAX_TIMEOUT_SECS};
use super::props::{Destination, FunctionCode, FunctionProps};

/// A Lambda function with its own execution role and log group: the one Lambda implementation
/// of the library, which the patterns build their functions from too.
///
/// What it adds under its id (say `Resize`):
///
/// - `ResizeLogs`: the function's log group, with the props' retention, retained when the
///   stack is deleted (see [`blocks::logs`](crate::blocks::logs));
/// - `ResizeRole`: assumed by `lambda.amazonaws.com` only, allowed to write to `ResizeLogs`
///   and nothing else but the props' grants, X-Ray when tracing is on, and sending to the
///   asynchronous failure destination (no AWS managed policy);
/// - `ResizeFunction`: the function, logging to `ResizeLogs`;
/// - `ResizeInvokeConfig` when the props set [`async_invoke`](FunctionProps::async_invoke);
/// - `ResizeSecurityGroup` when the props place it [`in_vpc`](FunctionProps::in_vpc) (HTTPS
///   out only; the role may then create network interfaces in those subnets with that group);
/// - `Resize<Source>Mapping` per [`event_source`](FunctionProps::event_source) (the role gets
///   exactly what polling it takes).
///
/// Props are checked as Lambda checks them (every problem is reported at synth, with the
/// construct path `Stack/…/Resize`): see [`FunctionProps::check`].
///
/// ```
/// use constructs::blocks::lambda::{Function, FunctionProps};
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Media");
/// let resize = Function::new(
///     &mut stack,
///     "Resize",
///     FunctionProps::python("def handler(event, context):\n    return {}\n")
///         .timeout_secs(60)
///         .env("SIZES", "64,256"),
/// );
/// assert_eq!(resize.function().logical_id(), "ResizeFunction");
/// assert_eq!(resize.role().logical_id(), "ResizeRole");
/// assert_eq!(resize.log_group().logical_id(), "ResizeLogs");
/// app.add_stack(stack);
/// assert!(app.assemble().is_ok());
/// ```
#[derive(Clone, Debug)]
pub struct Function {
    function: Handle<CfnFunction>,
    role: Handle<Role>,
    log_group: Handle<CfnLogGroup>,
    invoke_config: Option<Handle<EventInvokeConfig>>,
    security_group: Option<Handle<SecurityGroup>>,
    mappings: Vec<Handle<EventSourceMapping>>,
}

/// Where a function's log group comes from.
pub(crate) enum Logs {
    /// A new log group under this logical id (relative to the scope).
    New(String),
    /// One the caller made.
    Existing(Handle<CfnLogGroup>),
}

/// The ids and limits a function is built with. [`Function::new`] derives them from its id;
/// the patterns give their own so the logical ids they deployed before the block existed stay
/// the same (a renamed logical id would replace the resource).
pub(crate) struct Layout {
    /// The construct path problems are reported at.
    pub path: String,
    /// The function's id, relative to the scope.
    pub function: String,
    /// The role's id.
    pub role: String,
    /// The log group.
    pub logs: Logs,
    /// The id of the `EventInvokeConfig`, when one is made.
    pub invoke_config: String,
    /// The id of the function's security group, when it runs in a VPC.
    pub security_group: String,
    /// What the ids of its event source mappings start with (`{prefix}{source}Mapping`).
    pub mappings: String,
    /// The role's description (`None`: none).
    pub role_description: Option<String>,
    /// The longest timeout allowed, in seconds.
    pub max_timeout_secs: u32,
    /// The timeout when the props set none, in seconds.
    pub default_timeout_secs: u32,
}

impl Layout {
    /// The layout of [`Function::new`]: `{id}Function`, `{id}Role`, `{id}Logs`,
    /// `{id}InvokeConfig`, `{id}SecurityGroup`, under the path `{scope}/{id}`.
    pub(crate) fn under(scope: &Scope<'_>, id: &str) -> Self {
        Self::named(
            format!("{}/{id}", scope.path()),
            id,
            format!("{id}Function"),
        )
    }

    /// The function `function` at `path`, its other parts named `{prefix}Role`,
    /// `{prefix}Logs`, `{prefix}InvokeConfig` and `{prefix}SecurityGroup`, with Lambda's limits
    /// and the library's default timeout: what a pattern adjusts for the ids it deployed.
    pub(crate) fn named(path: String, prefix: &str, function: String) -> Self {
        Self {
            function,
            role: format!("{prefix}Role"),
            logs: Logs::New(format!("{prefix}Logs")),
            invoke_config: format!("{prefix}InvokeConfig"),
            security_group: format!("{prefix}SecurityGroup"),
            mappings: prefix.to_owned(),
            role_description: Some(format!("Execution role of {path}")),
            path,
            max_timeout_secs: MAX_TIMEOUT_SECS,
            default_timeout_secs: DEFAULT_TIMEOUT_SECS,
        }
    }
}

impl Function {
    /// Adds the function `id` with its role and log group to `scope`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: FunctionProps) -> Self {
        let mut scope = scope.as_scope();
        let layout = Layout::under(&scope, id);
        Self::build(&mut scope, layout, &props)
    }

    /// Adds a function as `layout` says.
    pub(crate) fn build(scope: &mut Scope<'_>, layout: Layout, props: &FunctionProps) -> Self {
        for error in props.problems(layout.max_timeout_secs, layout.default_timeout_secs) {
            scope.report(error.to_diagnostic(&layout.path));
        }
        // An existing VPC or subnets given by malformed ids, an empty or repeated group.
        if let Some((vpc, subnets)) = &props.vpc {
            for error in vpc.problems().iter().chain(subnets.problems()) {
                scope.report(error.to_diagnostic(&layout.path));
            }
        }

        let log_group = match layout.logs {
            Logs::New(id) => LogGroup::add(
                scope,
                &id,
                LogGroupProps::new().retention(props.log_retention),
            )
            .handle()
            .clone(),
            Logs::Existing(handle) => handle,
        };

        let mut role = ServiceRole::new("lambda.amazonaws.com");
        if let Some(text) = layout.role_description {
            role = role.description(text);
        }
        role.grant(presets::logs::write(&log_group));
        for grant in &props.grants {
            role.grant(grant.clone());
        }
        if props.tracing {
            role.grant(presets::xray::write());
        }
        let security_group = props.vpc.as_ref().map(|(vpc, _)| {
            scope.add(
                &layout.security_group,
                SecurityGroup::new(format!("Lambda function {}: HTTPS out only", layout.path))
                    .vpc_id(vpc.id())
                    .security_group_egress(vec![https_egress()]),
            )
        });
        if let (Some((_, subnets)), Some(group)) = (&props.vpc, &security_group) {
            role.grant(presets::ec2::lambda_vpc_access(
                subnets.subnet_id_values(),
                group,
            ));
        }
        let destination = props
            .async_invoke
            .as_ref()
            .and_then(|settings| settings.on_failure.as_ref());
        if let Some(destination) = destination {
            role.grant(send_to(destination));
        }
        let timeout = props.timeout_or(layout.default_timeout_secs);
        for (id, source) in &props.event_sources {
            let (grants, problems) = source.resolve(scope, timeout);
            // At the mapping's path, so the schema check does not repeat them.
            let path = format!("{}/{}{id}Mapping", scope.path(), layout.mappings);
            for problem in problems {
                scope.report(problem.to_diagnostic(&path));
            }
            for grant in grants {
                role.grant(grant);
            }
        }
        let role = role.add_to(scope, &layout.role);

        let code = match &props.code {
            FunctionCode::Inline(source) => LambdaCode::new().zip_file(source.as_str()),
            FunctionCode::S3 {
                bucket,
                key,
                object_version,
            } => {
                let code = LambdaCode::new().s3_bucket(bucket).s3_key(key);
                match object_version {
                    Some(version) => code.s3_object_version(version),
                    None => code,
                }
            }
            FunctionCode::Asset(path) => scope.add_asset_for(&layout.path, path).lambda_code(),
        };
        let mut function = CfnFunction::new(code, role.att_arn())
            .runtime(props.runtime.name())
            .handler(props.handler.as_str())
            .memory_size(i64::from(props.memory_mb))
            .timeout(i64::from(timeout))
            .architectures([props.architecture.name()])
            .logging_config(LoggingConfig::new().log_group(log_group.reference()));
        // An empty `Variables` map is legal but noise; leave the property out instead.
        if !props.environment.is_empty() {
            let variables: Value<Map<String>> = props.environment.clone().into();
            function = function.environment(Environment::new().variables(variables.into_json()));
        }
        if let Some(text) = &props.description {
            function = function.description(text.as_str());
        }
        if props.tracing {
            function = function.tracing_config(TracingConfig::new().mode("Active"));
        }
        if let Some(n) = props.reserved_concurrency {
            function = function.reserved_concurrent_executions(i64::from(n));
        }
        if let Some(mb) = props.ephemeral_storage_mb {
            function = function.ephemeral_storage(EphemeralStorage::new(i64::from(mb)));
        }
        if let (Some((_, subnets)), Some(group)) = (&props.vpc, &security_group) {
            function = function.vpc_config(
                VpcConfig::new()
                    .subnet_ids(subnets.subnet_ids())
                    .security_group_ids(vec![group.att_group_id()]),
            );
        }
        let function = scope.add(&layout.function, function);

        let invoke_config = props.async_invoke.as_ref().map(|settings| {
            let mut config = EventInvokeConfig::new(function.reference(), "$LATEST")
                .maximum_retry_attempts(i64::from(settings.retry_attempts))
                .maximum_event_age_in_seconds(i64::from(settings.max_event_age_secs));
            if let Some(destination) = &settings.on_failure {
                config = config.destination_config(
                    DestinationConfig::new().on_failure(OnFailure::new(arn_of(destination))),
                );
            }
            scope.add(&layout.invoke_config, config)
        });

        let mappings = props
            .event_sources
            .iter()
            .map(|(id, source)| {
                let mapping_id = format!("{}{id}Mapping", layout.mappings);
                scope.add(&mapping_id, source.mapping(&function))
            })
            .collect();

        Self {
            function,
            role,
            log_group,
            invoke_config,
            security_group,
            mappings,
        }
    }

    /// The L1 function: its name (`reference()`), ARN, and what grants and triggers take.
    pub fn function(&self) -> &Handle<CfnFunction> {
        &self.function
    }

    /// The function's execution role.
    pub fn role(&self) -> &Handle<Role> {
        &self.role
    }

    /// The function's log group.
    pub fn log_group(&self) -> &Handle<CfnLogGroup> {
        &self.log_group
    }

    /// The function's security group, when it runs in a VPC
    /// ([`FunctionProps::in_vpc`]): what an [`Allow`](crate::blocks::ec2::Allow) to a database
    /// starts from.
    pub fn security_group(&self) -> Option<&Handle<SecurityGroup>> {
        self.security_group.as_ref()
    }

    /// The event source mappings, in the order the props gave their sources
    /// ([`FunctionProps::event_source`]).
    pub fn mappings(&self) -> &[Handle<EventSourceMapping>] {
        &self.mappings
    }

    /// The asynchronous invocation settings, when the props set them.
    pub fn invoke_config(&self) -> Option<&Handle<EventInvokeConfig>> {
        self.invoke_config.as_ref()
    }
}

/// The grant that lets the function send a failed event to `destination`.
fn send_to(destination: &Destination) -> Grant {
    match destination {
        Destination::Queue(queue) => presets::sqs::send(queue),
        Destination::Topic(topic) => presets::sns::publish(topic),
        Destination::Function(function) => presets::lambda::invoke(function),
        Destination::Bus(bus) => presets::events::put_events(bus),
    }
}

/// The ARN `OnFailure` names for `destination`.
fn arn_of(destination: &Destination) -> Value<String> {
    match destination {
        Destination::Queue(queue) => queue.att_arn().into(),
        Destination::Topic(topic) => topic.reference().into(),
        Destination::Function(function) => function.att_arn().into(),
        Destination::Bus(bus) => bus.att_arn(),
    }
}
