//! The Application Load Balancer in front of the service: where it sits, what it listens on,
//! who may reach it, and where it logs.

use crate::blocks::ec2::{App, Public, SubnetGroup};
use crate::Value;

use super::error::FargateError;
use super::health::TargetHealthCheck;

/// A TLS policy that allows only TLS 1.3 and 1.2 with forward-secret ciphers.
pub const MODERN_TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// Where the load balancer sits. The tier is in the type: an internet-facing load balancer
/// takes public subnets, an internal one app subnets, so the wrong tier does not compile.
///
/// ```
/// use constructs::fargate::AlbPlacement;
/// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
/// use constructs::Stack;
///
/// let mut stack = Stack::new("Network");
/// let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
/// let public = AlbPlacement::InternetFacing(network.public_subnets().clone());
/// let private = AlbPlacement::Internal(network.app_subnets().clone());
/// # let _ = (public, private);
/// ```
#[derive(Clone, Debug)]
pub enum AlbPlacement {
    /// In the public subnets, reachable from the internet (scheme `internet-facing`).
    InternetFacing(SubnetGroup<Public>),
    /// In the app subnets, reachable only from inside the VPC and its peers (scheme `internal`).
    Internal(SubnetGroup<App>),
}

impl AlbPlacement {
    pub(crate) fn scheme(&self) -> &'static str {
        match self {
            AlbPlacement::InternetFacing(_) => "internet-facing",
            AlbPlacement::Internal(_) => "internal",
        }
    }

    pub(crate) fn subnet_ids(
        &self,
    ) -> Value<crate::kinds::List<crate::kinds::Id<crate::cfn::ec2::Subnet>>> {
        match self {
            AlbPlacement::InternetFacing(group) => group.subnet_ids(),
            AlbPlacement::Internal(group) => group.subnet_ids(),
        }
    }

    pub(crate) fn subnet_count(&self) -> usize {
        match self {
            AlbPlacement::InternetFacing(group) => group.len(),
            AlbPlacement::Internal(group) => group.len(),
        }
    }
}

/// What the load balancer listens on.
#[derive(Clone, Debug)]
pub enum AlbListener {
    /// HTTPS on 443 with the certificate `certificate_arn` (an ACM certificate) and the TLS
    /// policy `ssl_policy`, plus HTTP on 80 that only redirects to HTTPS.
    Https {
        /// The ACM certificate's ARN (a literal, a parameter, an import).
        certificate_arn: Value<String>,
        /// The TLS policy name.
        ssl_policy: String,
    },
    /// Plain HTTP on 80 and nothing else: traffic is not encrypted. Only for what must not
    /// have TLS at the load balancer (a test, TLS ended in front of it); say why where you
    /// choose it.
    PlainHttp,
}

impl AlbListener {
    /// HTTPS with `certificate_arn` and the [`MODERN_TLS_POLICY`], HTTP redirecting to it.
    pub fn https(certificate_arn: impl Into<Value<String>>) -> Self {
        AlbListener::Https {
            certificate_arn: certificate_arn.into(),
            ssl_policy: MODERN_TLS_POLICY.to_owned(),
        }
    }

    /// Plain, unencrypted HTTP on port 80; see [`AlbListener::PlainHttp`].
    pub fn plain_http() -> Self {
        AlbListener::PlainHttp
    }
}

/// Access logs to a bucket the construct creates: SSE-S3 (the only encryption ELB can write
/// to), public access blocked, objects owned by the bucket owner, expired after
/// `expiration_days`, and a bucket policy that lets only ELB log delivery for this account
/// write under the prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLogs {
    pub(crate) prefix: String,
    pub(crate) expiration_days: u32,
}

impl Default for AccessLogs {
    fn default() -> Self {
        Self::new()
    }
}

impl AccessLogs {
    /// Logs under the prefix `alb`, kept 90 days.
    pub fn new() -> Self {
        Self {
            prefix: "alb".to_owned(),
            expiration_days: 90,
        }
    }

    /// The key prefix (no leading or trailing `/`, not containing `AWSLogs`); empty for none.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Days before log objects expire (at least 1).
    pub fn expiration_days(mut self, days: u32) -> Self {
        self.expiration_days = days;
        self
    }

    /// Everything wrong with the prefix and the expiry.
    fn problems(&self) -> Vec<FargateError> {
        let mut out = Vec::new();
        let p = &self.prefix;
        if p.starts_with('/') || p.ends_with('/') || p.contains("AWSLogs") || p.contains("//") {
            out.push(FargateError::AccessLogPrefixShape { prefix: p.clone() });
        }
        if !p
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.!".contains(&b))
        {
            out.push(FargateError::AccessLogPrefixCharacters { prefix: p.clone() });
        }
        if self.expiration_days == 0 {
            out.push(FargateError::ZeroAccessLogExpiry);
        }
        out
    }
}

/// The load balancer's settings.
///
/// ```
/// use constructs::fargate::{AccessLogs, AlbListener, AlbPlacement, AlbProps, TargetHealthCheck};
/// use constructs::network::{VpcThreeTier, VpcThreeTierProps};
/// use constructs::Stack;
///
/// let mut stack = Stack::new("Network");
/// let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
/// let alb = AlbProps::new(
///     AlbPlacement::InternetFacing(network.public_subnets().clone()),
///     AlbListener::https("arn:aws:acm:eu-west-1:123456789012:certificate/abc"),
/// )
/// .ingress_cidrs(["203.0.113.0/24"])
/// .access_logs(AccessLogs::new().prefix("web"))
/// .deletion_protection()
/// .health_check(TargetHealthCheck::new("/health"));
/// # let _ = alb;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct AlbProps {
    pub(crate) placement: AlbPlacement,
    pub(crate) listener: AlbListener,
    pub(crate) ingress_cidrs: Vec<String>,
    pub(crate) access_logs: Option<AccessLogs>,
    pub(crate) deletion_protection: bool,
    pub(crate) health_check: TargetHealthCheck,
    pub(crate) deregistration_delay: u32,
    pub(crate) idle_timeout: u32,
}

impl AlbProps {
    /// A load balancer at `placement` listening as `listener`, open to `0.0.0.0/0`, no access
    /// logs, no deletion protection, the default [`TargetHealthCheck`], 30 s deregistration
    /// delay, 60 s idle timeout.
    pub fn new(placement: AlbPlacement, listener: AlbListener) -> Self {
        Self {
            placement,
            listener,
            ingress_cidrs: vec!["0.0.0.0/0".to_owned()],
            access_logs: None,
            deletion_protection: false,
            health_check: TargetHealthCheck::default(),
            deregistration_delay: 30,
            idle_timeout: 60,
        }
    }

    /// The IPv4 CIDRs the load balancer admits (default `0.0.0.0/0`).
    pub fn ingress_cidrs<S: Into<String>>(mut self, cidrs: impl IntoIterator<Item = S>) -> Self {
        self.ingress_cidrs = cidrs.into_iter().map(Into::into).collect();
        self
    }

    /// Turns access logs on.
    pub fn access_logs(mut self, logs: AccessLogs) -> Self {
        self.access_logs = Some(logs);
        self
    }

    /// Protects the load balancer from deletion (a stack delete then fails until it is off).
    pub fn deletion_protection(mut self) -> Self {
        self.deletion_protection = true;
        self
    }

    /// The health check of each task.
    pub fn health_check(mut self, check: TargetHealthCheck) -> Self {
        self.health_check = check;
        self
    }

    /// Seconds a deregistering task keeps serving in-flight requests (0–3600, default 30).
    pub fn deregistration_delay(mut self, seconds: u32) -> Self {
        self.deregistration_delay = seconds;
        self
    }

    /// Seconds an idle connection stays open (1–4000, default 60).
    pub fn idle_timeout(mut self, seconds: u32) -> Self {
        self.idle_timeout = seconds;
        self
    }

    /// Everything wrong with the settings other than the health check.
    pub(crate) fn problems(&self) -> Vec<FargateError> {
        let mut out = Vec::new();
        if self.ingress_cidrs.is_empty() {
            out.push(FargateError::NoIngressCidr);
        }
        for cidr in &self.ingress_cidrs {
            if !valid_ipv4_cidr(cidr) {
                out.push(FargateError::InvalidIngressCidr { cidr: cidr.clone() });
            }
        }
        if self.placement.subnet_count() == 1 {
            out.push(FargateError::SingleAz);
        }
        out.extend(self.access_logs.iter().flat_map(AccessLogs::problems));
        if self.deregistration_delay > 3600 {
            out.push(FargateError::DeregistrationDelayOutOfRange {
                secs: self.deregistration_delay,
            });
        }
        if !(1..=4000).contains(&self.idle_timeout) {
            out.push(FargateError::IdleTimeoutOutOfRange {
                secs: self.idle_timeout,
            });
        }
        if let AlbListener::Https { ssl_policy, .. } = &self.listener {
            if !ssl_policy.starts_with("ELBSecurityPolicy-") {
                out.push(FargateError::InvalidSslPolicy {
                    policy: ssl_policy.clone(),
                });
            }
        }
        out
    }
}

fn valid_ipv4_cidr(cidr: &str) -> bool {
    cidr.parse::<ipnetwork::Ipv4Network>()
        .is_ok_and(|n| n.network() == n.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_access_logs_is_reported() {
        let logs = AccessLogs::new().prefix("/logs?").expiration_days(0);
        let messages: Vec<String> = logs.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "access log prefix `/logs?` must not start or end with `/`, hold `//` or contain \
                 `AWSLogs`",
                "access log prefix `/logs?` may hold only letters, digits and `/-_.!`",
                "access logs expire after 0 days",
            ]
        );
    }
}
