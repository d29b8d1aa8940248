//! One handler function of a [`ServerlessApi`](super::ServerlessApi): its log group, its role
//! (logs on its own group plus exactly the table accesses of its routes), the function, its
//! API integration and its one invoke permission.

use indexmap::IndexMap;

use crate::cfn::apigatewayv2::{Api, Integration};
use crate::cfn::dynamodb::Table;
use crate::cfn::iam::Role;
use crate::cfn::lambda::function::{Code as LambdaCode, Environment, LoggingConfig, TracingConfig};
use crate::cfn::lambda::{Function, Permission};
use crate::cfn::logs::LogGroup;
use crate::diagnostics::{Code, Diagnostic};
use crate::iam::presets::{self, dynamodb, logs};
use crate::iam::{Grant, ServiceRole};
use crate::kinds::Map;
use crate::{fns, Handle, Scope, Value};

use super::function::{
    FunctionCode, FunctionProps, MAX_HTTP_TIMEOUT_SECS, MAX_MEMORY_MB, MIN_MEMORY_MB,
};
use super::route::DataAccess;

/// The resources of one handler function.
#[derive(Clone, Debug)]
pub struct ApiFunction {
    /// The function.
    pub function: Handle<Function>,
    /// Its execution role.
    pub role: Handle<Role>,
    /// Its log group.
    pub log_group: Handle<LogGroup>,
    /// The API integration that invokes it.
    pub integration: Handle<Integration>,
    /// The one permission that lets this API invoke it, whatever the number of routes.
    pub permission: Handle<Permission>,
}

/// The grants the table accesses `access` need, each once, indexes only when the table has them.
pub(crate) fn table_grants(table: &Handle<Table>, access: &[DataAccess]) -> Vec<Grant> {
    access
        .iter()
        .map(|a| match a {
            DataAccess::ReadItem => dynamodb::get_item(table),
            DataAccess::Query => dynamodb::query(table),
            DataAccess::QueryIndex(index) => dynamodb::query_index(table, index),
            DataAccess::Scan => dynamodb::scan(table),
            DataAccess::CreateItem => dynamodb::put_item(table),
            DataAccess::UpdateItem => dynamodb::update_item(table),
            DataAccess::DeleteItem => dynamodb::delete_item(table),
        })
        .collect()
}

/// Environment variable names Lambda reserves for itself.
const RESERVED_ENVIRONMENT: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];

/// The variable the construct sets to the table's name.
const TABLE_NAME_VARIABLE: &str = "TABLE_NAME";

/// Why `name` cannot be an environment variable of a function, if it cannot.
fn environment_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        Some("a name is a letter then at least one letter, digit or `_`")
    } else if RESERVED_ENVIRONMENT.contains(&name) {
        Some("Lambda reserves it")
    } else if name == TABLE_NAME_VARIABLE {
        Some("the construct sets it to the table's name")
    } else {
        None
    }
}

/// Reports memory, timeout, runtime and environment values Lambda or the HTTP API would reject.
fn check(scope: &mut Scope<'_>, path: &str, props: &FunctionProps) {
    for name in props.environment.keys() {
        if let Some(why) = environment_problem(name) {
            scope.report(Diagnostic::error(
                Code::InvalidEnvironmentVariable,
                path,
                format!("environment variable `{name}`: {why}"),
            ));
        }
    }
    if !(MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&props.memory_mb) {
        scope.report(
            Diagnostic::error(
                Code::LambdaMemoryOutOfRange,
                path,
                format!(
                    "memory {} MB is outside {MIN_MEMORY_MB}–{MAX_MEMORY_MB} MB",
                    props.memory_mb
                ),
            )
            .with_hint("Lambda accepts any whole number of MB in that range"),
        );
    }
    if !(1..=MAX_HTTP_TIMEOUT_SECS).contains(&props.timeout_secs) {
        scope.report(
            Diagnostic::error(
                Code::LambdaTimeoutOutOfRange,
                path,
                format!(
                    "timeout {} s is outside 1–{MAX_HTTP_TIMEOUT_SECS} s",
                    props.timeout_secs
                ),
            )
            .with_hint(
                "an HTTP API gives up on an integration after 30 s; move longer work to a queue",
            ),
        );
    }
    if props.runtime.is_deprecated() {
        scope.report(
            Diagnostic::error(
                Code::DeprecatedRuntime,
                path,
                format!("runtime `{}` is deprecated", props.runtime.name()),
            )
            .with_hint("choose a current runtime from serverless::Runtime"),
        );
    }
}

/// Adds the function `id` with its log group, role, integration and permission.
pub(crate) fn add(
    scope: &mut Scope<'_>,
    id: &str,
    props: &FunctionProps,
    table: &Handle<Table>,
    access: &[DataAccess],
    api: &Handle<Api>,
) -> ApiFunction {
    let path = format!("{}/{id}Function", scope.path());
    check(scope, &path, props);

    let log_group = scope.add(
        &format!("{id}FunctionLogs"),
        LogGroup::new().retention_in_days(i64::from(props.log_retention_days)),
    );

    let mut role =
        ServiceRole::new("lambda.amazonaws.com").description(format!("Execution role of {path}"));
    role.grant(logs::write(&log_group));
    for grant in table_grants(table, access) {
        role.grant(grant);
    }
    if props.tracing {
        role.grant(presets::xray::write());
    }
    let role = role.add_to(scope, &format!("{id}FunctionRole"));

    let code = match &props.code {
        FunctionCode::Inline(source) => LambdaCode::new().zip_file(source.as_str()),
        FunctionCode::S3 { bucket, key } => LambdaCode::new().s3_bucket(bucket).s3_key(key),
    };
    let mut variables: IndexMap<String, Value<String>> = IndexMap::new();
    variables.insert(TABLE_NAME_VARIABLE.to_owned(), table.reference());
    for (name, value) in &props.environment {
        if name != TABLE_NAME_VARIABLE {
            variables.insert(name.clone(), value.clone());
        }
    }
    let variables: Value<Map<String>> = variables.into();
    let mut function = Function::new(code, role.att_arn())
        .runtime(props.runtime.name())
        .handler(props.handler.as_str())
        .memory_size(i64::from(props.memory_mb))
        .timeout(i64::from(props.timeout_secs))
        .architectures([props.architecture.name()])
        .environment(Environment::new().variables(variables.into_json()))
        .logging_config(LoggingConfig::new().log_group(log_group.reference()));
    if let Some(text) = &props.description {
        function = function.description(text.as_str());
    }
    if props.tracing {
        function = function.tracing_config(TracingConfig::new().mode("Active"));
    }
    if let Some(n) = props.reserved_concurrency {
        function = function.reserved_concurrent_executions(i64::from(n));
    }
    let function = scope.add(&format!("{id}Function"), function);

    let integration = scope.add(
        &format!("{id}Integration"),
        Integration::new(api.reference(), "AWS_PROXY")
            .integration_uri(function.att_arn())
            .payload_format_version("2.0")
            .description(format!("Invokes {path}")),
    );
    let permission = scope.add(
        &format!("{id}InvokePermission"),
        Permission::new(
            "lambda:InvokeFunction",
            function.att_arn(),
            "apigateway.amazonaws.com",
        )
        .source_arn(fns::sub_with(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}/*",
            [("ApiId", api.reference())],
        ))
        .source_account(fns::account_id()),
    );
    ApiFunction {
        function,
        role,
        log_group,
        integration,
        permission,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_names_are_checked() {
        for good in ["STAGE", "LOG_LEVEL", "a1", "Ab_c"] {
            assert_eq!(environment_problem(good), None, "{good}");
        }
        for bad in [
            "A",
            "1ABC",
            "_X",
            "A-B",
            "",
            "AWS_REGION",
            "_HANDLER",
            "TABLE_NAME",
        ] {
            assert!(environment_problem(bad).is_some(), "{bad}");
        }
    }
}
