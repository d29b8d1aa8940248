//! The serverless API construct.

use indexmap::IndexMap;

use crate::blocks::sns::AlarmTopic;
use crate::cfn::apigatewayv2::{Api, Authorizer, DomainName, Route as RouteResource, Stage};
use crate::cfn::dynamodb::Table;
use crate::cfn::logs::LogGroup;
use crate::diagnostics::{Diagnostic, DomainError};
use crate::{fns, AsScope, Handle, Output, Scope, Value};

use super::alarms::{self, AlarmSpec};
use super::error::ServerlessError;
use super::handler::{self, ApiFunction};
use super::http_api;
use super::props::ServerlessApiProps;
use super::route::{DataAccess, Route, RouteAuth, RouteKey, METHODS, ROUTES_PER_API_QUOTA};

/// An HTTP API whose routes run Lambda functions that use a DynamoDB table, each function
/// allowed exactly the table accesses its routes declare.
///
/// What it adds under its id (say `Items`):
///
/// - `ItemsTable`: the table ([`TableProps`](super::TableProps)): attribute definitions for key
///   attributes only, on-demand billing, point-in-time recovery, encryption, deletion protection,
///   `Retain` on deletion and replacement.
/// - per function `F`: `ItemsFFunctionLogs` (its own log group, with retention),
///   `ItemsFFunctionRole` (assumed by Lambda only; `logs:CreateLogStream`/`PutLogEvents` on that
///   group, the DynamoDB actions of its routes on the table, `dynamodb:Query` on only the indexes
///   its routes list through; no managed policy), `ItemsFFunction`, `ItemsFIntegration` (Lambda
///   proxy, payload 2.0), `ItemsFInvokePermission` (one per function however many routes, for
///   `apigateway.amazonaws.com` from this API and account only), `ItemsFErrorsAlarm` and
///   `ItemsFThrottlesAlarm`.
/// - `ItemsHttpApi` (with CORS when asked), `ItemsDefaultStage` (`$default`, auto-deploy,
///   throttling, JSON access logs to `ItemsAccessLogs`), one `ItemsRoute…` per route,
///   `ItemsApi5xxAlarm`; optionally `ItemsAuthorizer` (JWT), `ItemsDomainName` and
///   `ItemsApiMapping`.
/// - Outputs: `ItemsApiUrl`, `ItemsTableName`, and `ItemsFFunctionArn` per function.
///
/// ```
/// use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};
/// use constructs::serverless::{
///     AttributeType, Route, ServerlessApi, ServerlessApiProps, TableProps,
/// };
/// use constructs::{App, Stack};
///
/// let mut app = App::new();
/// let mut stack = Stack::new("Notes");
/// let code = FunctionCode::inline("def handler(event, context):\n    return {'statusCode': 200}\n");
/// let api = ServerlessApi::new(
///     &mut stack,
///     "Notes",
///     ServerlessApiProps::new(TableProps::new("noteId", AttributeType::String))
///         .function("Api", FunctionProps::new(Runtime::Python313, "index.handler", code))
///         .route(Route::new("GET /notes/{id}", "Api").reads_item())
///         .route(Route::new("POST /notes", "Api").creates_item()),
/// );
/// assert_eq!(api.table().logical_id(), "NotesTable");
/// assert_eq!(api.function("Api").unwrap().function.logical_id(), "NotesApiFunction");
/// app.add_stack(stack);
/// let assembly = app.assemble().unwrap();
/// let json = &assembly.stack("Notes").unwrap().json;
/// assert!(json.contains("dynamodb:GetItem") && !json.contains("dynamodb:DeleteItem"));
/// ```
///
/// Bad input does not panic: a malformed or duplicate route key, a route naming an undeclared
/// function or index, a key on an undeclared attribute, memory or timeout out of range, or a
/// deprecated runtime is reported with its code and the construct path when the app is
/// synthesized. The offending route is left out; everything else is built. More routes than
/// API Gateway's default quota ([`ROUTES_PER_API_QUOTA`](super::ROUTES_PER_API_QUOTA)) is a
/// `too-many-routes` warning: the deploy needs that quota raised for the API.
#[derive(Clone, Debug)]
pub struct ServerlessApi {
    table: Handle<Table>,
    api: Handle<Api>,
    stage: Handle<Stage>,
    access_logs: Handle<LogGroup>,
    authorizer: Option<Handle<Authorizer>>,
    domain: Option<Handle<DomainName>>,
    functions: IndexMap<String, ApiFunction>,
    routes: Vec<Handle<RouteResource>>,
}

/// A route that passed validation.
struct Checked<'a> {
    route: &'a Route,
    key: RouteKey,
}

impl ServerlessApi {
    /// Builds the API in `scope` under `id`.
    pub fn new(scope: &mut impl AsScope, id: &str, props: ServerlessApiProps) -> Self {
        let mut parent = scope.as_scope();
        let mut scope = parent.child(id);

        let routes = check_routes(&mut scope, &props);
        if let Some(topic) = &props.alarm_topic {
            let path = format!("{}/AlarmTopic", scope.path());
            for problem in topic.problems(&scope) {
                scope.report(problem.to_diagnostic(&path));
            }
        }
        let table = props.table.add_to(&mut scope);

        let mut methods: Vec<String> = Vec::new();
        // `$default` takes every method, like `ANY`.
        for method in routes.iter().map(|r| r.key.method().unwrap_or("ANY")) {
            let list: &[&str] = if method == "ANY" { METHODS } else { &[method] };
            for m in list.iter().filter(|m| **m != "ANY") {
                if !methods.iter().any(|x| x == m) {
                    methods.push((*m).to_owned());
                }
            }
        }
        let http = http_api::add(&mut scope, &props, &methods);
        let authorizer = props
            .jwt
            .as_ref()
            .map(|jwt| http_api::add_authorizer(&mut scope, &http.api, jwt));

        let mut functions = IndexMap::new();
        for (fid, fprops) in &props.functions {
            let mut access: Vec<DataAccess> = Vec::new();
            for checked in routes.iter().filter(|r| &r.route.handler == fid) {
                for a in &checked.route.access {
                    if !access.contains(a) {
                        access.push(a.clone());
                    }
                }
            }
            let built = handler::add(&mut scope, fid, fprops, &table, &access, &http.api);
            for (metric, what) in [("Errors", "errors"), ("Throttles", "throttles")] {
                let description = format!("{}/{fid}Function {what}", scope.path());
                alarms::add(
                    &mut scope,
                    AlarmSpec {
                        id: format!("{fid}{metric}Alarm"),
                        description,
                        namespace: "AWS/Lambda",
                        metric,
                        dimension: ("FunctionName", built.function.reference()),
                    },
                    props.alarm_topic.as_ref().map(AlarmTopic::arn),
                );
            }
            functions.insert(fid.clone(), built);
        }

        let mut route_handles = Vec::new();
        for checked in &routes {
            let Some(target) = functions.get(&checked.route.handler) else {
                continue;
            };
            let mut route = RouteResource::new(http.api.reference(), checked.route.key.as_str())
                .target(fns::sub_with(
                    "integrations/${IntegrationId}",
                    [("IntegrationId", target.integration.reference())],
                ));
            let scopes = match (&checked.route.auth, &props.jwt) {
                (RouteAuth::Jwt(scopes), Some(_)) => Some(scopes.clone()),
                (RouteAuth::Default, Some(jwt)) if jwt.all_routes => Some(Vec::new()),
                _ => None,
            };
            if let (Some(scopes), Some(authorizer)) = (scopes, &authorizer) {
                route = route
                    .authorization_type("JWT")
                    .authorizer_id(authorizer.reference());
                if !scopes.is_empty() {
                    route = route.authorization_scopes(scopes);
                }
            }
            route_handles.push(scope.add(&format!("Route{}", checked.key.id()), route));
        }

        let domain = props
            .domain
            .as_ref()
            .map(|d| http_api::add_domain(&mut scope, &http.api, &http.stage, d));

        let description = format!("{} server errors (5xx)", scope.path());
        alarms::add(
            &mut scope,
            AlarmSpec {
                id: "Api5xxAlarm".to_owned(),
                description,
                namespace: "AWS/ApiGateway",
                metric: "5xx",
                dimension: ("ApiId", http.api.reference()),
            },
            props.alarm_topic.as_ref().map(AlarmTopic::arn),
        );

        let built = Self {
            table,
            api: http.api,
            stage: http.stage,
            access_logs: http.access_logs,
            authorizer,
            domain,
            functions,
            routes: route_handles,
        };
        built.add_outputs(&mut scope);
        built
    }

    fn add_outputs(&self, scope: &mut Scope<'_>) {
        scope.add_output(
            "ApiUrl",
            Output::new(self.url()).description("The API's invoke URL"),
        );
        scope.add_output(
            "TableName",
            Output::new(self.table.reference()).description("The table's name"),
        );
        if let Some(domain) = &self.domain {
            scope.add_output(
                "DomainTarget",
                Output::new(domain.att_regional_domain_name())
                    .description("Point the custom domain's DNS record (CNAME or alias) here"),
            );
        }
        for (fid, f) in &self.functions {
            let arn: Value<String> = f.function.att_arn().into();
            scope.add_output(
                &format!("{fid}FunctionArn"),
                Output::new(arn).description(format!("The ARN of the {fid} function")),
            );
        }
    }

    /// The table.
    pub fn table(&self) -> &Handle<Table> {
        &self.table
    }

    /// The HTTP API.
    pub fn api(&self) -> &Handle<Api> {
        &self.api
    }

    /// The `$default` stage.
    pub fn stage(&self) -> &Handle<Stage> {
        &self.stage
    }

    /// The access log group of the stage.
    pub fn access_logs(&self) -> &Handle<LogGroup> {
        &self.access_logs
    }

    /// The JWT authorizer, when there is one.
    pub fn authorizer(&self) -> Option<&Handle<Authorizer>> {
        self.authorizer.as_ref()
    }

    /// The custom domain, when there is one.
    pub fn domain(&self) -> Option<&Handle<DomainName>> {
        self.domain.as_ref()
    }

    /// The function declared under `id`, with its role, log group, integration and permission.
    pub fn function(&self, id: &str) -> Option<&ApiFunction> {
        self.functions.get(id)
    }

    /// Every function, by id, in the order declared.
    pub fn functions(&self) -> impl Iterator<Item = (&str, &ApiFunction)> {
        self.functions.iter().map(|(id, f)| (id.as_str(), f))
    }

    /// Every route that was added, in the order declared.
    pub fn routes(&self) -> &[Handle<RouteResource>] {
        &self.routes
    }

    /// The invoke URL: `https://{api id}.execute-api.{region}.{url suffix}/`.
    pub fn url(&self) -> Value<String> {
        fns::sub_with(
            "https://${ApiId}.execute-api.${AWS::Region}.${AWS::URLSuffix}/",
            [("ApiId", self.api.reference())],
        )
    }
}

/// Validates every route, reporting each problem; returns the routes to build.
fn check_routes<'a>(scope: &mut Scope<'_>, props: &'a ServerlessApiProps) -> Vec<Checked<'a>> {
    let mut out: Vec<Checked<'a>> = Vec::new();
    let mut shapes: Vec<(String, &str)> = Vec::new();
    for route in &props.routes {
        let path = format!("{}/Routes/{}", scope.path(), route.key);
        let key = match RouteKey::parse(&route.key) {
            Ok(key) => Some(key),
            Err(errors) => {
                for error in errors {
                    scope.report(error.to_diagnostic(&path));
                }
                None
            }
        };
        let mut ok = key.is_some();
        if let Some(key) = &key {
            let shape = key.shape();
            if let Some((_, first)) = shapes.iter().find(|(s, _)| *s == shape) {
                let error = ServerlessError::DuplicateRoute {
                    key: route.key.clone(),
                    first: (*first).to_owned(),
                };
                scope.report(error.to_diagnostic(&path));
                ok = false;
            } else {
                shapes.push((shape, route.key.as_str()));
            }
        }
        // The handler, the indexes and the authorizer are checked whatever the key: each is a
        // problem of its own.
        if !props.functions.contains_key(&route.handler) {
            let error = ServerlessError::UndeclaredHandler {
                key: route.key.clone(),
                handler: route.handler.clone(),
                declared: props.functions.keys().cloned().collect(),
            };
            scope.report(error.to_diagnostic(&path));
            ok = false;
        }
        for access in &route.access {
            if let DataAccess::QueryIndex(index) = access {
                if !props.table.has_index(index) {
                    let error = ServerlessError::UnknownIndex {
                        key: route.key.clone(),
                        index: index.clone(),
                    };
                    scope.report(error.to_diagnostic(&path));
                    ok = false;
                }
            }
        }
        if matches!(route.auth, RouteAuth::Jwt(_)) && props.jwt.is_none() {
            let error = ServerlessError::MissingAuthorizer {
                key: route.key.clone(),
            };
            scope.report(error.to_diagnostic(&path));
            ok = false;
        }
        if let (true, Some(key)) = (ok, key) {
            out.push(Checked { route, key });
        }
    }
    // A quota, not a hard limit: the deploy fails unless it was raised for this API, which
    // synth cannot know. So a warning, once, at the API.
    if out.len() > ROUTES_PER_API_QUOTA {
        let quota = ServerlessError::RoutesAboveQuota { count: out.len() };
        let mut warning = Diagnostic::warning(quota.code(), scope.path(), quota.message());
        warning.hint = quota.hint();
        scope.report(warning);
    }
    out
}
