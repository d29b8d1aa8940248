//! One handler function of a [`ServerlessApi`](super::ServerlessApi): its log group, its role
//! (logs on its own group plus exactly the table accesses of its routes), the function, its
//! API integration and its one invoke permission.

use crate::blocks::lambda::{Function, FunctionProps, Layout, MAX_HTTP_TIMEOUT_SECS};
use crate::cfn::apigatewayv2::{Api, Integration};
use crate::cfn::dynamodb::Table;
use crate::cfn::iam::Role;
use crate::cfn::lambda::{Function as CfnFunction, Permission};
use crate::cfn::logs::LogGroup;
use crate::iam::presets::dynamodb;
use crate::iam::Grant;
use crate::{fns, DomainError, Handle, Scope};

use super::route::DataAccess;

/// The resources of one handler function.
#[derive(Clone, Debug)]
pub struct ApiFunction {
    /// The function.
    pub function: Handle<CfnFunction>,
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

/// The variable the construct sets to the table's name.
const TABLE_NAME_VARIABLE: &str = "TABLE_NAME";

/// Adds the function `id` with its log group, role, integration and permission.
pub(crate) fn add(
    scope: &mut Scope<'_>,
    id: &str,
    props: &FunctionProps,
    table: &Handle<Table>,
    access: &[DataAccess],
    api: &Handle<Api>,
) -> ApiFunction {
    let function_id = format!("{id}Function");
    let path = format!("{}/{function_id}", scope.path());
    let mut props = props.clone();
    if let Some(clash) = props.construct_env(
        TABLE_NAME_VARIABLE,
        table.reference(),
        "the API (the table's name)",
        true,
    ) {
        scope.report(clash.to_diagnostic(&path));
    }
    for grant in table_grants(table, access) {
        props = props.grant(grant);
    }
    // `{id}Function` with its parts under the same prefix, as deployed before the block.
    let layout = Layout {
        max_timeout_secs: MAX_HTTP_TIMEOUT_SECS,
        ..Layout::named(path.clone(), &function_id, function_id.clone())
    };
    let built = Function::build(scope, layout, &props);
    let function = built.function().clone();

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
        role: built.role().clone(),
        log_group: built.log_group().clone(),
        integration,
        permission,
    }
}
