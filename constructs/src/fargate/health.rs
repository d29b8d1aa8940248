//! Health checks: the container's own, and the load balancer's of each task.

use crate::cfn::ecs::task_definition::HealthCheck;

use super::error::FargateError;
use crate::blocks::limits::Bounds;

/// The container's health check, run by ECS inside the container.
///
/// Defaults: every 30 s, 5 s timeout, 3 retries, no start period. Values outside what ECS
/// accepts are reported with the code `invalid-health-check`.
///
/// ```
/// use constructs::fargate::ContainerHealthCheck;
///
/// let check = ContainerHealthCheck::shell("wget -q -O /dev/null http://localhost:8080/health || exit 1")
///     .interval(15)
///     .start_period(30);
/// assert!(check.problems().is_empty());
/// assert_eq!(ContainerHealthCheck::shell("true").timeout(90).problems().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerHealthCheck {
    command: Vec<String>,
    interval: u32,
    timeout: u32,
    retries: u32,
    start_period: u32,
}

impl ContainerHealthCheck {
    /// Runs `command` with the container's shell (`CMD-SHELL`); exit 0 means healthy.
    pub fn shell(command: impl Into<String>) -> Self {
        Self::with_command(vec!["CMD-SHELL".to_owned(), command.into()])
    }

    /// Runs a program with arguments directly (`CMD`), for images without a shell.
    pub fn exec<S: Into<String>>(args: impl IntoIterator<Item = S>) -> Self {
        let mut command = vec!["CMD".to_owned()];
        command.extend(args.into_iter().map(Into::into));
        Self::with_command(command)
    }

    fn with_command(command: Vec<String>) -> Self {
        Self {
            command,
            interval: 30,
            timeout: 5,
            retries: 3,
            start_period: 0,
        }
    }

    /// Seconds between checks (5–300).
    pub fn interval(mut self, seconds: u32) -> Self {
        self.interval = seconds;
        self
    }

    /// Seconds a check may take (2–60).
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = seconds;
        self
    }

    /// Failed checks in a row before the container is unhealthy (1–10).
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Seconds after start during which failures do not count (0–300).
    pub fn start_period(mut self, seconds: u32) -> Self {
        self.start_period = seconds;
        self
    }

    /// Everything ECS would reject (nothing when the check is valid).
    ///
    /// ```
    /// use constructs::fargate::ContainerHealthCheck;
    ///
    /// let check = ContainerHealthCheck::shell("true").timeout(90).retries(0);
    /// let problems: Vec<String> = check.problems().iter().map(ToString::to_string).collect();
    /// assert_eq!(
    ///     problems,
    ///     [
    ///         "container health check timeout is 90; it must be 2–60",
    ///         "container health check retries is 0; it must be 1–10",
    ///     ]
    /// );
    /// ```
    pub fn problems(&self) -> Vec<FargateError> {
        let mut out = Vec::new();
        if self.command.len() < 2 || self.command[1..].iter().all(|c| c.trim().is_empty()) {
            out.push(FargateError::NoHealthCheckCommand);
        }
        out.extend(
            [
                out_of_range("container health check interval", self.interval, 5, 300),
                out_of_range("container health check timeout", self.timeout, 2, 60),
                out_of_range("container health check retries", self.retries, 1, 10),
                out_of_range(
                    "container health check start period",
                    self.start_period,
                    0,
                    300,
                ),
            ]
            .into_iter()
            .flatten(),
        );
        out
    }

    pub(crate) fn to_cfn(&self) -> HealthCheck {
        HealthCheck::new()
            .command(self.command.clone())
            .interval(self.interval)
            .timeout(self.timeout)
            .retries(self.retries)
            .start_period(self.start_period)
    }
}

/// The load balancer's health check of each task.
///
/// Defaults: `GET /` every 15 s with a 5 s timeout, healthy after 2 successes, unhealthy after
/// 3 failures, success on 200–399. Values outside what ELB accepts are reported with the code
/// `invalid-health-check`.
///
/// ```
/// use constructs::fargate::TargetHealthCheck;
///
/// let check = TargetHealthCheck::new("/health").matcher("200").interval(10);
/// assert!(check.problems().is_empty());
/// assert_eq!(TargetHealthCheck::new("health").problems().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetHealthCheck {
    pub(crate) path: String,
    pub(crate) matcher: String,
    pub(crate) interval: u32,
    pub(crate) timeout: u32,
    pub(crate) healthy_threshold: u32,
    pub(crate) unhealthy_threshold: u32,
}

impl Default for TargetHealthCheck {
    fn default() -> Self {
        Self::new("/")
    }
}

impl TargetHealthCheck {
    /// Checks `GET path` (which starts with `/`).
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            matcher: "200-399".to_owned(),
            interval: 15,
            timeout: 5,
            healthy_threshold: 2,
            unhealthy_threshold: 3,
        }
    }

    /// The HTTP codes that mean healthy: `200`, `200,204`, `200-299` (codes 200–499).
    pub fn matcher(mut self, codes: impl Into<String>) -> Self {
        self.matcher = codes.into();
        self
    }

    /// Seconds between checks (5–300).
    pub fn interval(mut self, seconds: u32) -> Self {
        self.interval = seconds;
        self
    }

    /// Seconds a check may take (2–120, less than the interval).
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = seconds;
        self
    }

    /// Successes in a row before a task takes traffic, and failures before it stops (2–10).
    pub fn thresholds(mut self, healthy: u32, unhealthy: u32) -> Self {
        self.healthy_threshold = healthy;
        self.unhealthy_threshold = unhealthy;
        self
    }

    /// Everything ELB would reject (nothing when the check is valid).
    pub fn problems(&self) -> Vec<FargateError> {
        let mut out = Vec::new();
        if !self.path.starts_with('/') || self.path.len() > 1024 {
            out.push(FargateError::InvalidHealthCheckPath {
                path: self.path.clone(),
            });
        }
        if !valid_matcher(&self.matcher) {
            out.push(FargateError::InvalidHealthCheckMatcher {
                matcher: self.matcher.clone(),
            });
        }
        out.extend(
            [
                out_of_range("health check interval", self.interval, 5, 300),
                out_of_range("health check timeout", self.timeout, 2, 120),
                out_of_range("healthy threshold", self.healthy_threshold, 2, 10),
                out_of_range("unhealthy threshold", self.unhealthy_threshold, 2, 10),
            ]
            .into_iter()
            .flatten(),
        );
        if self.timeout >= self.interval {
            out.push(FargateError::HealthCheckTimeoutNotShorter {
                timeout: self.timeout,
                interval: self.interval,
            });
        }
        out
    }
}

fn out_of_range(setting: &'static str, value: u32, min: u32, max: u32) -> Option<FargateError> {
    (!Bounds::new(min, max).contains(value)).then_some(FargateError::HealthCheckOutOfRange {
        setting,
        value,
        min,
        max,
    })
}

/// `200`, `200,302`, `200-299`: codes from 200 to 499.
fn valid_matcher(matcher: &str) -> bool {
    let code = |s: &str| s.len() == 3 && s.parse::<u16>().is_ok_and(|c| (200..=499).contains(&c));
    !matcher.is_empty()
        && matcher.split(',').all(|part| match part.split_once('-') {
            Some((a, b)) => code(a) && code(b) && a <= b,
            None => code(part),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers() {
        for ok in ["200", "200,204", "200-399", "200-299,404"] {
            assert!(valid_matcher(ok), "{ok}");
        }
        for bad in ["", "abc", "100", "500", "300-200", "200,"] {
            assert!(!valid_matcher(bad), "{bad}");
        }
    }

    #[test]
    fn ranges() {
        let one = |problems: Vec<FargateError>| assert_eq!(problems.len(), 1, "{problems:?}");
        one(TargetHealthCheck::new("/").timeout(20).problems());
        one(TargetHealthCheck::new("/").thresholds(1, 3).problems());
        one(ContainerHealthCheck::exec(Vec::<String>::new()).problems());
        one(ContainerHealthCheck::shell("x").retries(0).problems());
    }

    #[test]
    fn every_problem_of_a_health_check_is_reported() {
        let target = TargetHealthCheck::new("health")
            .matcher("500")
            .interval(3)
            .thresholds(1, 11);
        let messages = |problems: Vec<FargateError>| -> Vec<String> {
            problems.iter().map(ToString::to_string).collect()
        };
        assert_eq!(
            messages(target.problems()),
            [
                "health check path `health` must start with `/` and be at most 1024 characters",
                "health check matcher `500` is not a list of HTTP codes or ranges from 200 to 499",
                "health check interval is 3; it must be 5–300",
                "healthy threshold is 1; it must be 2–10",
                "unhealthy threshold is 11; it must be 2–10",
                "health check timeout (5 s) must be shorter than its interval (3 s)",
            ]
        );
        let container = ContainerHealthCheck::exec(Vec::<String>::new()).start_period(301);
        assert_eq!(
            messages(container.problems()),
            [
                "the container health check has no command",
                "container health check start period is 301; it must be 0–300",
            ]
        );
    }
}
