//! The HTTP API of a [`ServerlessApi`](super::ServerlessApi): the API with its CORS, the
//! `$default` stage with throttling and JSON access logs, the optional JWT authorizer and custom
//! domain.

use crate::blocks::logs::{LogGroup as LogGroupBlock, LogGroupProps};
use crate::cfn::apigatewayv2::api::Cors;
use crate::cfn::apigatewayv2::authorizer::JwtConfiguration;
use crate::cfn::apigatewayv2::domain_name::DomainNameConfiguration;
use crate::cfn::apigatewayv2::stage::{AccessLogSettings, RouteSettings};
use crate::cfn::apigatewayv2::{Api, ApiMapping, Authorizer, DomainName, Stage};
use crate::cfn::logs::LogGroup;
use crate::diagnostics::DomainError;
use crate::{Handle, Scope};

use super::props::{CorsConfig, CustomDomain, JwtAuthorizer, ServerlessApiProps};

/// The JSON access log line: one object per request.
pub(crate) const ACCESS_LOG_FORMAT: &str = concat!(
    r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","#,
    r#""requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","#,
    r#""routeKey":"$context.routeKey","status":"$context.status","#,
    r#""protocol":"$context.protocol","responseLength":"$context.responseLength","#,
    r#""integrationLatency":"$context.integrationLatency","#,
    r#""integrationError":"$context.integrationErrorMessage","#,
    r#""authorizerError":"$context.authorizer.error"}"#
);

/// The API, its stage and its access log group.
pub(crate) struct HttpApi {
    pub api: Handle<Api>,
    pub stage: Handle<Stage>,
    pub access_logs: Handle<LogGroup>,
}

/// Adds the API and its `$default` stage.
pub(crate) fn add(
    scope: &mut Scope<'_>,
    props: &ServerlessApiProps,
    route_methods: &[String],
) -> HttpApi {
    let mut api = Api::new()
        .name(scope.path().replace('/', "-"))
        .protocol_type("HTTP");
    if let Some(text) = &props.description {
        api = api.description(text.as_str());
    }
    if let Some(cors) = &props.cors {
        let path = format!("{}/HttpApi", scope.path());
        for error in cors.check().err().into_iter().flatten() {
            scope.report(error.to_diagnostic(&path));
        }
        api = api.cors_configuration(cors_configuration(cors, route_methods));
    }
    let api = scope.add("HttpApi", api);

    let access_logs = LogGroupBlock::add(
        scope,
        "AccessLogs",
        LogGroupProps::new().retention(props.access_log_retention),
    )
    .handle()
    .clone();
    let mut throttling = RouteSettings::new().throttling_burst_limit(i64::from(props.burst_limit));
    match props.checked_rate() {
        Ok(rate) => throttling = throttling.throttling_rate_limit(rate),
        // Reported here, with its hint, and left out of the template (a `NaN` would be
        // written `null`).
        Err(error) => {
            let path = format!("{}/DefaultStage", scope.path());
            scope.report(error.to_diagnostic(&path));
        }
    }
    let stage = scope.add(
        "DefaultStage",
        Stage::new(api.reference(), "$default")
            .auto_deploy(true)
            .default_route_settings(throttling)
            .access_log_settings(
                AccessLogSettings::new()
                    .destination_arn(access_logs.att_arn())
                    .format(ACCESS_LOG_FORMAT),
            ),
    );
    HttpApi {
        api,
        stage,
        access_logs,
    }
}

fn cors_configuration(cors: &CorsConfig, route_methods: &[String]) -> Cors {
    let methods = cors
        .methods
        .clone()
        .unwrap_or_else(|| route_methods.to_vec());
    let mut out = Cors::new()
        .allow_origins(cors.origins.clone())
        .allow_headers(cors.headers.clone())
        .allow_methods(methods)
        .max_age(i64::from(cors.max_age_secs));
    if cors.credentials {
        out = out.allow_credentials(true);
    }
    out
}

/// Adds the JWT authorizer, reading tokens from the `Authorization` header.
pub(crate) fn add_authorizer(
    scope: &mut Scope<'_>,
    api: &Handle<Api>,
    jwt: &JwtAuthorizer,
) -> Handle<Authorizer> {
    scope.add(
        "Authorizer",
        Authorizer::new(api.reference(), "JWT", "jwt")
            .identity_source(["$request.header.Authorization"])
            .jwt_configuration(
                JwtConfiguration::new()
                    .issuer(jwt.issuer.clone())
                    .audience(jwt.audience.clone()),
            ),
    )
}

/// Adds the custom domain and maps it to the stage.
pub(crate) fn add_domain(
    scope: &mut Scope<'_>,
    api: &Handle<Api>,
    stage: &Handle<Stage>,
    domain: &CustomDomain,
) -> Handle<DomainName> {
    let name = scope.add(
        "DomainName",
        DomainName::new(domain.name.as_str()).domain_name_configurations(vec![
            DomainNameConfiguration::new()
                .certificate_arn(domain.certificate_arn.clone())
                .endpoint_type("REGIONAL")
                .security_policy("TLS_1_2"),
        ]),
    );
    let mut mapping = ApiMapping::new(api.reference(), name.reference(), stage.reference());
    if let Some(path) = &domain.base_path {
        mapping = mapping.api_mapping_key(path.as_str());
    }
    scope.add("ApiMapping", mapping);
    name
}
