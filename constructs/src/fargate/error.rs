//! Why a Fargate service's setting cannot be used: [`FargateError`], one variant per case, each
//! with a stable [`Code`].

use std::fmt;

use crate::diagnostics::{Code, DomainError};

/// What a check of a Fargate service's settings found wrong (a check returns every one).
///
/// Each variant documents when it happens and which [`Code`] it carries. It is a
/// [`DomainError`]: [`FargateService`](super::FargateService) reports each with
/// [`to_diagnostic`](DomainError::to_diagnostic) and its construct path at synth; the checks
/// ([`ContainerHealthCheck::problems`](super::ContainerHealthCheck::problems),
/// [`TargetHealthCheck::problems`](super::TargetHealthCheck::problems),
/// [`AutoScaling::problems`](super::AutoScaling::problems),
/// [`ContainerImage::pin_problem`](super::ContainerImage::pin_problem)) return it directly.
/// The size has its own error, [`FargateSizeError`](super::FargateSizeError).
///
/// ```
/// use constructs::fargate::{AutoScaling, FargateError};
/// use constructs::{Code, DomainError};
///
/// let problems = AutoScaling::new(5, 2).problems();
/// assert_eq!(problems, [FargateError::MinTasksAboveMax { min: 5, max: 2 }]);
/// assert_eq!(problems[0].code(), Code::InvalidAutoScaling);
/// assert_eq!(problems[0].to_string(), "auto scaling minimum (5) is above the maximum (2)");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum FargateError {
    // The image.
    /// The image reference has no tag or digest ([`Code::MutableImageTag`]).
    UntaggedImage {
        /// The image (or repository) as given.
        image: String,
    },
    /// The image is tagged `latest` ([`Code::MutableImageTag`]).
    LatestImageTag {
        /// The image (or repository) as given.
        image: String,
    },

    // Health checks.
    /// The container health check's command is empty ([`Code::InvalidHealthCheck`]).
    NoHealthCheckCommand,
    /// A health check number is outside what ECS or ELB accepts
    /// ([`Code::InvalidHealthCheck`]): the container check's interval (5–300), timeout
    /// (2–60), retries (1–10) or start period (0–300); the load balancer check's interval
    /// (5–300), timeout (2–120) or healthy and unhealthy thresholds (2–10).
    HealthCheckOutOfRange {
        /// The setting, as the message names it (`health check interval`, …).
        setting: &'static str,
        /// The value given.
        value: u32,
        /// The least allowed.
        min: u32,
        /// The most allowed.
        max: u32,
    },
    /// The load balancer's health check path does not start with `/` or is longer than 1024
    /// characters ([`Code::InvalidHealthCheck`]).
    InvalidHealthCheckPath {
        /// The path.
        path: String,
    },
    /// The load balancer's health check matcher is not a list of HTTP codes or ranges from
    /// 200 to 499 ([`Code::InvalidHealthCheck`]).
    InvalidHealthCheckMatcher {
        /// The matcher.
        matcher: String,
    },
    /// The load balancer's health check timeout is not shorter than its interval
    /// ([`Code::InvalidHealthCheck`]).
    HealthCheckTimeoutNotShorter {
        /// The timeout, in seconds.
        timeout: u32,
        /// The interval, in seconds.
        interval: u32,
    },

    // Auto scaling.
    /// The most tasks is 0 ([`Code::InvalidAutoScaling`]).
    ZeroMaxTasks,
    /// The fewest tasks is above the most ([`Code::InvalidAutoScaling`]).
    MinTasksAboveMax {
        /// The fewest tasks.
        min: u32,
        /// The most tasks.
        max: u32,
    },
    /// A desired count is given outside the auto scaling bounds ([`Code::InvalidAutoScaling`]).
    DesiredCountOutsideScaling {
        /// The count given.
        count: u32,
        /// The fewest tasks.
        min: u32,
        /// The most tasks.
        max: u32,
    },
    /// ECS Exec is on but the container's root filesystem is read-only, where the exec agent
    /// cannot run ([`Code::InvalidContainer`]).
    ExecWithReadOnlyRoot,
    /// A metric is tracked twice ([`Code::InvalidAutoScaling`]).
    MetricTrackedTwice {
        /// The metric's predefined type (`ECSServiceAverageCPUUtilization`, …).
        metric: &'static str,
    },
    /// A CPU or memory target is outside 1–100% ([`Code::InvalidAutoScaling`]).
    UtilizationTargetOutOfRange {
        /// `cpu` or `memory`.
        metric: &'static str,
        /// The target, in percent.
        target: f64,
    },
    /// The requests-per-target target is 0 ([`Code::InvalidAutoScaling`]).
    ZeroRequestsTarget,

    // The container and where it runs.
    /// The container name is empty, longer than 255 characters, or has characters other
    /// than letters, digits, `-` and `_` ([`Code::InvalidContainer`]).
    InvalidContainerName {
        /// The name.
        name: String,
    },
    /// The container port is 0 ([`Code::InvalidContainer`]).
    ZeroContainerPort,
    /// An environment variable is set twice, as plain or secret ([`Code::InvalidContainer`]).
    DuplicateEnvironmentVariable {
        /// The variable.
        name: String,
    },
    /// An environment variable (plain or secret) has an empty name
    /// ([`Code::InvalidContainer`]).
    EmptyEnvironmentVariableName,
    /// A JSON key is given for an SSM parameter ([`Code::InvalidContainer`]).
    JsonKeyOnSsmParameter {
        /// The parameter's name.
        name: String,
    },
    /// An SSM parameter's name is empty (or only `/`) ([`Code::InvalidContainer`]).
    EmptySsmParameterName,
    /// A scratch volume's path is not absolute ([`Code::InvalidContainer`]).
    RelativeScratchVolume {
        /// The path.
        path: String,
    },
    /// The service has no app subnets ([`Code::InvalidContainer`]).
    NoSubnets,
    /// A database the service reaches has port 0 ([`Code::InvalidContainer`]).
    ZeroDatabasePort,
    /// The app subnets have no route out of the VPC and lack endpoints the tasks need to
    /// start: ECR's two and the S3 gateway endpoint (image layers) for an ECR image, Logs,
    /// Secrets Manager or SSM for the secrets, `ssmmessages` for ECS Exec
    /// ([`Code::MissingVpcEndpoints`]).
    MissingVpcEndpoints {
        /// What is missing, as the message names it (`EndpointService::EcrApi`, `the S3
        /// gateway endpoint`).
        missing: Vec<String>,
    },
    /// The app subnets have no route out of the VPC and the image is in a registry other than
    /// ECR, which no endpoint reaches ([`Code::MissingVpcEndpoints`]).
    ImageUnreachable {
        /// The image.
        image: String,
    },

    // The load balancer.
    /// The load balancer admits no CIDR ([`Code::InvalidLoadBalancer`]).
    NoIngressCidr,
    /// An ingress CIDR is not an IPv4 network address with a prefix
    /// ([`Code::InvalidLoadBalancer`]).
    InvalidIngressCidr {
        /// The CIDR.
        cidr: String,
    },
    /// The load balancer's subnets are in one AZ ([`Code::InvalidLoadBalancer`]).
    SingleAz,
    /// The access log prefix starts or ends with `/`, holds `//` or contains `AWSLogs`
    /// ([`Code::InvalidLoadBalancer`]).
    AccessLogPrefixShape {
        /// The prefix.
        prefix: String,
    },
    /// The access log prefix has characters other than letters, digits and `/-_.!`
    /// ([`Code::InvalidLoadBalancer`]).
    AccessLogPrefixCharacters {
        /// The prefix.
        prefix: String,
    },
    /// Access logs expire after 0 days ([`Code::InvalidLoadBalancer`]).
    ZeroAccessLogExpiry,
    /// The deregistration delay is above 3600 s ([`Code::InvalidLoadBalancer`]).
    DeregistrationDelayOutOfRange {
        /// The delay, in seconds.
        secs: u32,
    },
    /// The idle timeout is outside 1–4000 s ([`Code::InvalidLoadBalancer`]).
    IdleTimeoutOutOfRange {
        /// The timeout, in seconds.
        secs: u32,
    },
    /// The HTTPS listener's SSL policy is not an ELB security policy name
    /// ([`Code::InvalidLoadBalancer`]).
    InvalidSslPolicy {
        /// The policy.
        policy: String,
    },
}

impl DomainError for FargateError {
    /// The stable diagnostic code.
    ///
    /// ```
    /// use constructs::fargate::ContainerHealthCheck;
    /// use constructs::{Code, DomainError};
    ///
    /// let problems = ContainerHealthCheck::shell("true").retries(0).problems();
    /// assert_eq!(problems[0].code(), Code::InvalidHealthCheck);
    /// ```
    fn code(&self) -> Code {
        match self {
            FargateError::UntaggedImage { .. } | FargateError::LatestImageTag { .. } => {
                Code::MutableImageTag
            }
            FargateError::NoHealthCheckCommand
            | FargateError::HealthCheckOutOfRange { .. }
            | FargateError::InvalidHealthCheckPath { .. }
            | FargateError::InvalidHealthCheckMatcher { .. }
            | FargateError::HealthCheckTimeoutNotShorter { .. } => Code::InvalidHealthCheck,
            FargateError::ZeroMaxTasks
            | FargateError::MinTasksAboveMax { .. }
            | FargateError::DesiredCountOutsideScaling { .. }
            | FargateError::MetricTrackedTwice { .. }
            | FargateError::UtilizationTargetOutOfRange { .. }
            | FargateError::ZeroRequestsTarget => Code::InvalidAutoScaling,
            FargateError::ExecWithReadOnlyRoot
            | FargateError::InvalidContainerName { .. }
            | FargateError::ZeroContainerPort
            | FargateError::DuplicateEnvironmentVariable { .. }
            | FargateError::EmptyEnvironmentVariableName
            | FargateError::JsonKeyOnSsmParameter { .. }
            | FargateError::EmptySsmParameterName
            | FargateError::RelativeScratchVolume { .. }
            | FargateError::NoSubnets
            | FargateError::ZeroDatabasePort => Code::InvalidContainer,
            FargateError::MissingVpcEndpoints { .. } | FargateError::ImageUnreachable { .. } => {
                Code::MissingVpcEndpoints
            }
            FargateError::NoIngressCidr
            | FargateError::InvalidIngressCidr { .. }
            | FargateError::SingleAz
            | FargateError::AccessLogPrefixShape { .. }
            | FargateError::AccessLogPrefixCharacters { .. }
            | FargateError::ZeroAccessLogExpiry
            | FargateError::DeregistrationDelayOutOfRange { .. }
            | FargateError::IdleTimeoutOutOfRange { .. }
            | FargateError::InvalidSslPolicy { .. } => Code::InvalidLoadBalancer,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            FargateError::UntaggedImage { .. } | FargateError::LatestImageTag { .. } => {
                Some("pin a version tag or a digest (`@sha256:…`)".to_owned())
            }
            FargateError::ExecWithReadOnlyRoot => Some(
                "give the container writable_root_filesystem() to accept that, or leave ECS Exec off"
                    .to_owned(),
            ),
            FargateError::MissingVpcEndpoints { .. } => Some(
                "list them in VpcThreeTierProps::interface_endpoints (and keep its gateway \
                 endpoints), or give the app subnets NAT"
                    .to_owned(),
            ),
            FargateError::ImageUnreachable { .. } => Some(
                "push the image to ECR in the stack's region (a pull-through cache rule mirrors \
                 public registries), or give the app subnets NAT"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

impl fmt::Display for FargateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FargateError::UntaggedImage { image } => write!(f, "image `{image}` has no tag"),
            FargateError::LatestImageTag { image } => {
                write!(f, "image `{image}` is tagged `latest`")
            }
            FargateError::NoHealthCheckCommand => {
                f.write_str("the container health check has no command")
            }
            FargateError::HealthCheckOutOfRange {
                setting,
                value,
                min,
                max,
            } => write!(f, "{setting} is {value}; it must be {min}–{max}"),
            FargateError::InvalidHealthCheckPath { path } => write!(
                f,
                "health check path `{path}` must start with `/` and be at most 1024 characters"
            ),
            FargateError::InvalidHealthCheckMatcher { matcher } => write!(
                f,
                "health check matcher `{matcher}` is not a list of HTTP codes or ranges from \
                 200 to 499"
            ),
            FargateError::HealthCheckTimeoutNotShorter { timeout, interval } => write!(
                f,
                "health check timeout ({timeout} s) must be shorter than its interval \
                 ({interval} s)"
            ),
            FargateError::ZeroMaxTasks => f.write_str("auto scaling maximum is 0"),
            FargateError::ExecWithReadOnlyRoot => f.write_str(
                "ECS Exec is on, but the container's root filesystem is read-only and the exec \
                 agent must write to it",
            ),
            FargateError::DesiredCountOutsideScaling { count, min, max } => write!(
                f,
                "desired count {count} is outside the auto scaling bounds {min}–{max}"
            ),
            FargateError::MinTasksAboveMax { min, max } => {
                write!(
                    f,
                    "auto scaling minimum ({min}) is above the maximum ({max})"
                )
            }
            FargateError::MetricTrackedTwice { metric } => {
                write!(f, "auto scaling tracks {metric} twice")
            }
            FargateError::UtilizationTargetOutOfRange { metric, target } => {
                write!(f, "{metric} target is {target}%; it must be 1–100")
            }
            FargateError::ZeroRequestsTarget => {
                f.write_str("requests-per-target target is 0; it must be at least 1")
            }
            FargateError::InvalidContainerName { name } => write!(
                f,
                "container name `{name}` must be 1–255 letters, digits, hyphens and underscores"
            ),
            FargateError::ZeroContainerPort => f.write_str("the container port is 0"),
            FargateError::DuplicateEnvironmentVariable { name } => {
                write!(f, "environment variable `{name}` is set twice")
            }
            FargateError::EmptyEnvironmentVariableName => {
                f.write_str("an environment variable has an empty name")
            }
            FargateError::JsonKeyOnSsmParameter { name } => write!(
                f,
                "a JSON key is given for SSM parameter `{name}`; only Secrets Manager secrets \
                 have keys"
            ),
            FargateError::EmptySsmParameterName => f.write_str("an SSM parameter name is empty"),
            FargateError::RelativeScratchVolume { path } => {
                write!(f, "scratch volume path `{path}` is not absolute")
            }
            FargateError::NoSubnets => f.write_str("the service has no app subnets to run in"),
            FargateError::ZeroDatabasePort => f.write_str("a database port is 0"),
            FargateError::MissingVpcEndpoints { missing } => write!(
                f,
                "the app subnets have no route out of the VPC, and the tasks need endpoints \
                 they lack: {}",
                missing.join(", ")
            ),
            FargateError::ImageUnreachable { image } => write!(
                f,
                "the app subnets have no route out of the VPC, and image `{image}` is in a \
                 registry no VPC endpoint reaches"
            ),
            FargateError::NoIngressCidr => f.write_str("the load balancer admits no CIDR"),
            FargateError::InvalidIngressCidr { cidr } => {
                write!(f, "ingress CIDR `{cidr}` is not an IPv4 network")
            }
            FargateError::SingleAz => {
                f.write_str("an Application Load Balancer needs subnets in at least two AZs")
            }
            FargateError::AccessLogPrefixShape { prefix } => write!(
                f,
                "access log prefix `{prefix}` must not start or end with `/`, hold `//` or \
                 contain `AWSLogs`"
            ),
            FargateError::AccessLogPrefixCharacters { prefix } => write!(
                f,
                "access log prefix `{prefix}` may hold only letters, digits and `/-_.!`"
            ),
            FargateError::ZeroAccessLogExpiry => f.write_str("access logs expire after 0 days"),
            FargateError::DeregistrationDelayOutOfRange { secs } => {
                write!(f, "deregistration delay is {secs} s; it must be 0–3600")
            }
            FargateError::IdleTimeoutOutOfRange { secs } => {
                write!(f, "idle timeout is {secs} s; it must be 1–4000")
            }
            FargateError::InvalidSslPolicy { policy } => {
                write!(f, "`{policy}` is not an ELB security policy name")
            }
        }
    }
}

impl std::error::Error for FargateError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_carries_its_documented_code() {
        let s = String::new;
        for (error, code) in [
            (
                FargateError::UntaggedImage { image: s() },
                Code::MutableImageTag,
            ),
            (
                FargateError::LatestImageTag { image: s() },
                Code::MutableImageTag,
            ),
            (FargateError::NoHealthCheckCommand, Code::InvalidHealthCheck),
            (
                FargateError::HealthCheckOutOfRange {
                    setting: "healthy threshold",
                    value: 1,
                    min: 2,
                    max: 10,
                },
                Code::InvalidHealthCheck,
            ),
            (
                FargateError::InvalidHealthCheckPath { path: s() },
                Code::InvalidHealthCheck,
            ),
            (
                FargateError::InvalidHealthCheckMatcher { matcher: s() },
                Code::InvalidHealthCheck,
            ),
            (
                FargateError::HealthCheckTimeoutNotShorter {
                    timeout: 5,
                    interval: 5,
                },
                Code::InvalidHealthCheck,
            ),
            (FargateError::ZeroMaxTasks, Code::InvalidAutoScaling),
            (
                FargateError::MinTasksAboveMax { min: 2, max: 1 },
                Code::InvalidAutoScaling,
            ),
            (
                FargateError::MetricTrackedTwice { metric: "x" },
                Code::InvalidAutoScaling,
            ),
            (
                FargateError::UtilizationTargetOutOfRange {
                    metric: "cpu",
                    target: 0.0,
                },
                Code::InvalidAutoScaling,
            ),
            (FargateError::ZeroRequestsTarget, Code::InvalidAutoScaling),
            (
                FargateError::InvalidContainerName { name: s() },
                Code::InvalidContainer,
            ),
            (FargateError::ZeroContainerPort, Code::InvalidContainer),
            (
                FargateError::DuplicateEnvironmentVariable { name: s() },
                Code::InvalidContainer,
            ),
            (
                FargateError::EmptyEnvironmentVariableName,
                Code::InvalidContainer,
            ),
            (
                FargateError::JsonKeyOnSsmParameter { name: s() },
                Code::InvalidContainer,
            ),
            (FargateError::EmptySsmParameterName, Code::InvalidContainer),
            (
                FargateError::RelativeScratchVolume { path: s() },
                Code::InvalidContainer,
            ),
            (FargateError::NoSubnets, Code::InvalidContainer),
            (FargateError::ZeroDatabasePort, Code::InvalidContainer),
            (
                FargateError::MissingVpcEndpoints { missing: vec![] },
                Code::MissingVpcEndpoints,
            ),
            (
                FargateError::ImageUnreachable { image: s() },
                Code::MissingVpcEndpoints,
            ),
            (FargateError::NoIngressCidr, Code::InvalidLoadBalancer),
            (
                FargateError::InvalidIngressCidr { cidr: s() },
                Code::InvalidLoadBalancer,
            ),
            (FargateError::SingleAz, Code::InvalidLoadBalancer),
            (
                FargateError::AccessLogPrefixShape { prefix: s() },
                Code::InvalidLoadBalancer,
            ),
            (
                FargateError::AccessLogPrefixCharacters { prefix: s() },
                Code::InvalidLoadBalancer,
            ),
            (FargateError::ZeroAccessLogExpiry, Code::InvalidLoadBalancer),
            (
                FargateError::DeregistrationDelayOutOfRange { secs: 3601 },
                Code::InvalidLoadBalancer,
            ),
            (
                FargateError::IdleTimeoutOutOfRange { secs: 0 },
                Code::InvalidLoadBalancer,
            ),
            (
                FargateError::InvalidSslPolicy { policy: s() },
                Code::InvalidLoadBalancer,
            ),
        ] {
            assert_eq!(error.code(), code, "{error:?}");
            assert_eq!(
                error.hint().is_some(),
                matches!(code, Code::MutableImageTag | Code::MissingVpcEndpoints),
                "{error:?}"
            );
        }
    }

    #[test]
    fn problems_are_reported_together_as_variants() {
        use crate::fargate::{AutoScaling, ContainerHealthCheck, ScalingMetric};

        assert_eq!(
            AutoScaling::new(5, 2)
                .metric(ScalingMetric::RequestsPerTarget(0))
                .problems(),
            [
                FargateError::MinTasksAboveMax { min: 5, max: 2 },
                FargateError::ZeroRequestsTarget,
            ]
        );
        assert_eq!(
            ContainerHealthCheck::exec(Vec::<String>::new())
                .retries(0)
                .problems(),
            [
                FargateError::NoHealthCheckCommand,
                FargateError::HealthCheckOutOfRange {
                    setting: "container health check retries",
                    value: 0,
                    min: 1,
                    max: 10,
                },
            ]
        );
    }
}
