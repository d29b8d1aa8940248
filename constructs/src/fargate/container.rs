//! The service's container: image, port, environment, secrets, health check, filesystem.

use indexmap::IndexMap;

use crate::blocks::ec2::EndpointService;
use crate::cfn::secretsmanager::Secret;
use crate::iam::presets;
use crate::iam::Grant;
use crate::{fns, Handle, Value};

use super::error::FargateError;
use super::health::ContainerHealthCheck;
use super::image::ContainerImage;

/// Where a secret environment variable's value comes from: a Secrets Manager secret (or one
/// JSON key of it) or an SSM parameter. The execution role may read exactly the secrets and
/// parameters the container uses.
///
/// ```
/// use constructs::fargate::SecretSource;
/// use constructs::{Stack, cfn::secretsmanager::Secret};
///
/// let mut stack = Stack::new("App");
/// let db = stack.add("DbSecret", Secret::new().description("database credentials"));
/// let password = SecretSource::secrets_manager(&db).json_key("password");
/// let api_key = SecretSource::ssm_parameter("/app/api-key");
/// # let _ = (password, api_key);
/// ```
#[derive(Clone, Debug)]
pub struct SecretSource {
    kind: SecretKind,
    json_key: Option<String>,
}

#[derive(Clone, Debug)]
enum SecretKind {
    SecretsManager { what: String, arn: Value<String> },
    Ssm { name: String },
}

impl SecretSource {
    /// The value of a secret of this app.
    pub fn secrets_manager(secret: &Handle<Secret>) -> Self {
        Self {
            kind: SecretKind::SecretsManager {
                what: secret.logical_id().to_owned(),
                arn: secret.reference(),
            },
            json_key: None,
        }
    }

    /// The value of a secret made elsewhere, by its full ARN (with the random suffix), named
    /// `what` in the IAM report.
    pub fn secrets_manager_arn(what: &str, arn: impl Into<Value<String>>) -> Self {
        Self {
            kind: SecretKind::SecretsManager {
                what: what.to_owned(),
                arn: arn.into(),
            },
            json_key: None,
        }
    }

    /// The value of the SSM parameter `name` in the stack's account and region.
    pub fn ssm_parameter(name: impl Into<String>) -> Self {
        Self {
            kind: SecretKind::Ssm { name: name.into() },
            json_key: None,
        }
    }

    /// Only the key `key` of a JSON secret (Secrets Manager only; on a parameter it is
    /// reported as `invalid-container`).
    pub fn json_key(mut self, key: impl Into<String>) -> Self {
        self.json_key = Some(key.into());
        self
    }

    /// The service ECS reads the value from when it starts a task.
    pub(crate) fn endpoint_service(&self) -> EndpointService {
        match self.kind {
            SecretKind::SecretsManager { .. } => EndpointService::SecretsManager,
            SecretKind::Ssm { .. } => EndpointService::Ssm,
        }
    }

    /// The container definition's `ValueFrom`.
    pub(crate) fn value_from(&self) -> Value<String> {
        match (&self.kind, &self.json_key) {
            (SecretKind::SecretsManager { arn, .. }, Some(key)) => {
                let suffix: Value<String> = format!(":{key}::").into();
                fns::join("", vec![arn.clone(), suffix])
            }
            (SecretKind::SecretsManager { arn, .. }, None) => arn.clone(),
            (SecretKind::Ssm { name }, _) => presets::ssm::parameter_arn(name),
        }
    }

    /// What the execution role needs to read it.
    pub(crate) fn grant(&self) -> Grant {
        match &self.kind {
            SecretKind::SecretsManager { what, arn } => {
                presets::secretsmanager::read_arn(what, arn.clone())
            }
            SecretKind::Ssm { name } => presets::ssm::get_parameters(name),
        }
    }

    /// Everything wrong with the source.
    pub(crate) fn problems(&self) -> Vec<FargateError> {
        let mut out = Vec::new();
        if let SecretKind::Ssm { name } = &self.kind {
            if self.json_key.is_some() {
                out.push(FargateError::JsonKeyOnSsmParameter { name: name.clone() });
            }
            if name.trim_matches('/').is_empty() {
                out.push(FargateError::EmptySsmParameterName);
            }
        }
        out
    }
}

/// The service's container: the image, the port the load balancer sends to, and what it runs
/// with.
///
/// Secure defaults: a read-only root filesystem (give it [`scratch_volume`](Self::scratch_volume)s
/// where it must write, or opt out with [`writable_root_filesystem`](Self::writable_root_filesystem)),
/// logs to its own log group, and secrets injected by ECS rather than written into the
/// environment.
///
/// ```
/// use constructs::fargate::{Container, ContainerHealthCheck, ContainerImage, SecretSource};
///
/// let container = Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080)
///     .environment("LOG_LEVEL", "info")
///     .secret("API_KEY", SecretSource::ssm_parameter("/web/api-key"))
///     .health_check(ContainerHealthCheck::shell("curl -fs http://localhost:8080/health"))
///     .scratch_volume("/tmp");
/// assert_eq!(container.name(), "web");
/// ```
#[derive(Clone, Debug)]
pub struct Container {
    pub(crate) name: String,
    pub(crate) image: ContainerImage,
    pub(crate) port: u16,
    pub(crate) environment: IndexMap<String, Value<String>>,
    pub(crate) secrets: Vec<(String, SecretSource)>,
    pub(crate) health_check: Option<ContainerHealthCheck>,
    pub(crate) read_only_root_filesystem: bool,
    pub(crate) scratch_volumes: Vec<String>,
    pub(crate) command: Option<Vec<String>>,
    problems: Vec<FargateError>,
}

impl Container {
    /// A container named `name` running `image`, taking the load balancer's traffic on `port`.
    pub fn new(name: impl Into<String>, image: ContainerImage, port: u16) -> Self {
        Self {
            name: name.into(),
            image,
            port,
            environment: IndexMap::new(),
            secrets: Vec::new(),
            health_check: None,
            read_only_root_filesystem: true,
            scratch_volumes: Vec::new(),
            command: None,
            problems: Vec::new(),
        }
    }

    /// The container's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The AWS services a task of this container calls before it runs, in the order an error
    /// lists them: ECR (API and registry) for an ECR image, CloudWatch Logs (the `awslogs`
    /// driver), then the services its secrets come from.
    pub(crate) fn startup_services(&self) -> Vec<EndpointService> {
        let mut services = Vec::new();
        if self.image.is_ecr() {
            services.extend([EndpointService::EcrApi, EndpointService::EcrDkr]);
        }
        services.push(EndpointService::Logs);
        for (_, source) in &self.secrets {
            let service = source.endpoint_service();
            if !services.contains(&service) {
                services.push(service);
            }
        }
        services
    }

    /// Sets a plain environment variable (never a secret: use [`secret`](Self::secret)). The
    /// value is any [`Value<String>`]: a literal, a handle's reference or attribute (a table's
    /// name, a queue's URL), a parameter or a `Fn::Sub`; a value of another stack becomes an
    /// import, as everywhere.
    ///
    /// ```
    /// use constructs::fargate::{Container, ContainerImage};
    /// use constructs::{cfn::sqs::Queue, Stack};
    ///
    /// let mut stack = Stack::new("Svc");
    /// let jobs = stack.add("Jobs", Queue::new());
    /// let container = Container::new("web", ContainerImage::registry("nginx:1.27"), 8080)
    ///     .environment("LOG_LEVEL", "info")
    ///     .environment("JOBS_URL", jobs.reference());
    /// # let _ = container;
    /// ```
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        let name = name.into();
        if self.environment.contains_key(&name) {
            self.problems
                .push(FargateError::DuplicateEnvironmentVariable { name: name.clone() });
        }
        self.environment.insert(name, value.into());
        self
    }

    /// Sets the environment variable `name` from a secret, injected by ECS at start.
    pub fn secret(mut self, name: impl Into<String>, source: SecretSource) -> Self {
        self.secrets.push((name.into(), source));
        self
    }

    /// The container's own health check.
    pub fn health_check(mut self, check: ContainerHealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// Lets the container write anywhere in its filesystem (the default is read-only).
    pub fn writable_root_filesystem(mut self) -> Self {
        self.read_only_root_filesystem = false;
        self
    }

    /// Mounts a writable scratch volume (task ephemeral storage) at `path`, such as `/tmp`.
    pub fn scratch_volume(mut self, path: impl Into<String>) -> Self {
        self.scratch_volumes.push(path.into());
        self
    }

    /// Overrides the image's command.
    pub fn command<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.command = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// Everything wrong with the container's settings.
    pub(crate) fn problems(&self) -> Vec<FargateError> {
        let mut out = self.problems.clone();
        if self.name.is_empty()
            || self.name.len() > 255
            || !self
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            out.push(FargateError::InvalidContainerName {
                name: self.name.clone(),
            });
        }
        if self.port == 0 {
            out.push(FargateError::ZeroContainerPort);
        }
        let mut seen: Vec<&str> = self.environment.keys().map(String::as_str).collect();
        for (name, source) in &self.secrets {
            if seen.contains(&name.as_str()) {
                out.push(FargateError::DuplicateEnvironmentVariable { name: name.clone() });
            }
            seen.push(name);
            out.extend(source.problems());
        }
        if seen.iter().any(|n| n.is_empty()) {
            out.push(FargateError::EmptyEnvironmentVariableName);
        }
        for path in &self.scratch_volumes {
            if !path.starts_with('/') {
                out.push(FargateError::RelativeScratchVolume { path: path.clone() });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_a_secret_source_is_reported() {
        let source = SecretSource::ssm_parameter("/").json_key("password");
        assert_eq!(
            source.problems(),
            [
                FargateError::JsonKeyOnSsmParameter { name: "/".into() },
                FargateError::EmptySsmParameterName,
            ]
        );
        let messages: Vec<String> = source.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "a JSON key is given for SSM parameter `/`; only Secrets Manager secrets have keys",
                "an SSM parameter name is empty",
            ]
        );
    }
}
