//! The AWS services an interface VPC endpoint can reach, and what a group of subnets reaches
//! outside its VPC.

use std::fmt;

/// An AWS service reached through an interface VPC endpoint (AWS PrivateLink), so that
/// subnets without a route out of the VPC can call it.
///
/// Each is the endpoint service `com.amazonaws.<region>.<name>`, where the name is
/// [`name`](Self::name). S3 and DynamoDB are not here: they have free gateway endpoints,
/// which [`VpcThreeTier`](crate::network::VpcThreeTier) adds by default.
///
/// ```
/// use constructs::blocks::ec2::EndpointService;
///
/// assert_eq!(EndpointService::EcrDkr.name(), "ecr.dkr");
/// assert_eq!(EndpointService::EcrDkr.id(), "EcrDkr");
/// assert_eq!(EndpointService::EcrDkr.to_string(), "com.amazonaws.${AWS::Region}.ecr.dkr");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EndpointService {
    /// The ECR API (`ecr.api`): authorization tokens and image manifests.
    EcrApi,
    /// The ECR Docker registry (`ecr.dkr`): image pulls. The layers themselves come from S3,
    /// through the S3 gateway endpoint.
    EcrDkr,
    /// CloudWatch Logs (`logs`): the `awslogs` log driver, Lambda's logs.
    Logs,
    /// Secrets Manager (`secretsmanager`): secrets injected into containers or read by code.
    SecretsManager,
    /// Systems Manager (`ssm`): parameters injected into containers or read by code.
    Ssm,
    /// Session Manager's message channels (`ssmmessages`): ECS Exec.
    SsmMessages,
    /// STS (`sts`): assuming roles, web identity tokens.
    Sts,
    /// SQS (`sqs`).
    Sqs,
    /// SNS (`sns`).
    Sns,
    /// KMS (`kms`).
    Kms,
    /// EventBridge (`events`).
    Events,
    /// CloudWatch metrics (`monitoring`).
    Monitoring,
    /// X-Ray (`xray`).
    XRay,
    /// Lambda (`lambda`): invoking functions.
    Lambda,
}

impl EndpointService {
    /// Every service, in declaration order.
    pub const ALL: &'static [EndpointService] = &[
        EndpointService::EcrApi,
        EndpointService::EcrDkr,
        EndpointService::Logs,
        EndpointService::SecretsManager,
        EndpointService::Ssm,
        EndpointService::SsmMessages,
        EndpointService::Sts,
        EndpointService::Sqs,
        EndpointService::Sns,
        EndpointService::Kms,
        EndpointService::Events,
        EndpointService::Monitoring,
        EndpointService::XRay,
        EndpointService::Lambda,
    ];

    /// The service's name in its endpoint service name `com.amazonaws.<region>.<name>`.
    ///
    /// ```
    /// use constructs::blocks::ec2::EndpointService;
    ///
    /// assert_eq!(EndpointService::SecretsManager.name(), "secretsmanager");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            EndpointService::EcrApi => "ecr.api",
            EndpointService::EcrDkr => "ecr.dkr",
            EndpointService::Logs => "logs",
            EndpointService::SecretsManager => "secretsmanager",
            EndpointService::Ssm => "ssm",
            EndpointService::SsmMessages => "ssmmessages",
            EndpointService::Sts => "sts",
            EndpointService::Sqs => "sqs",
            EndpointService::Sns => "sns",
            EndpointService::Kms => "kms",
            EndpointService::Events => "events",
            EndpointService::Monitoring => "monitoring",
            EndpointService::XRay => "xray",
            EndpointService::Lambda => "lambda",
        }
    }

    /// The service's name in logical ids: the endpoint of `EcrApi` is `{Network}EcrApiEndpoint`.
    ///
    /// ```
    /// use constructs::blocks::ec2::EndpointService;
    ///
    /// assert_eq!(EndpointService::SsmMessages.id(), "SsmMessages");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            EndpointService::EcrApi => "EcrApi",
            EndpointService::EcrDkr => "EcrDkr",
            EndpointService::Logs => "Logs",
            EndpointService::SecretsManager => "SecretsManager",
            EndpointService::Ssm => "Ssm",
            EndpointService::SsmMessages => "SsmMessages",
            EndpointService::Sts => "Sts",
            EndpointService::Sqs => "Sqs",
            EndpointService::Sns => "Sns",
            EndpointService::Kms => "Kms",
            EndpointService::Events => "Events",
            EndpointService::Monitoring => "Monitoring",
            EndpointService::XRay => "XRay",
            EndpointService::Lambda => "Lambda",
        }
    }
}

impl fmt::Display for EndpointService {
    /// The endpoint service name as a template writes it: `com.amazonaws.${AWS::Region}.<name>`
    /// (an `Fn::Sub` string).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "com.amazonaws.${{AWS::Region}}.{}", self.name())
    }
}

/// What the subnets of a group reach outside their VPC, as far as the construct that built
/// them knows. Patterns that run in the subnets check what they need against it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Not known: existing subnets, whose routes the template cannot see.
    #[default]
    Unknown,
    /// A default route out (through NAT or an internet gateway): every AWS service.
    Internet,
    /// No route out of the VPC: only these interface endpoints, and S3 when the gateway
    /// endpoint is on the subnets' route table.
    EndpointsOnly {
        interface: Vec<EndpointService>,
        s3_gateway: bool,
    },
}

impl Reach {
    /// What of `needed` (and S3, when `needs_s3`) the subnets cannot reach, as names for an
    /// error message; empty when everything is reachable or reach is unknown.
    pub(crate) fn missing(&self, needed: &[EndpointService], needs_s3: bool) -> Vec<String> {
        let Reach::EndpointsOnly {
            interface,
            s3_gateway,
        } = self
        else {
            return Vec::new();
        };
        let mut missing: Vec<String> = needed
            .iter()
            .filter(|service| !interface.contains(service))
            .map(|service| format!("EndpointService::{service:?}"))
            .collect();
        if needs_s3 && !s3_gateway {
            missing.push("the S3 gateway endpoint".to_owned());
        }
        missing
    }

    /// Whether the subnets have a default route out of the VPC.
    pub(crate) fn has_route_out(&self) -> bool {
        !matches!(self, Reach::EndpointsOnly { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_distinct_and_listed_once() {
        let names: std::collections::BTreeSet<_> =
            EndpointService::ALL.iter().map(|s| s.name()).collect();
        let ids: std::collections::BTreeSet<_> =
            EndpointService::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(names.len(), EndpointService::ALL.len());
        assert_eq!(ids.len(), EndpointService::ALL.len());
    }

    #[test]
    fn only_endpoint_only_reach_misses_anything() {
        let needed = [EndpointService::EcrApi, EndpointService::Logs];
        assert!(Reach::Unknown.missing(&needed, true).is_empty());
        assert!(Reach::Internet.missing(&needed, true).is_empty());
        let reach = Reach::EndpointsOnly {
            interface: vec![EndpointService::Logs],
            s3_gateway: false,
        };
        assert_eq!(
            reach.missing(&needed, true),
            ["EndpointService::EcrApi", "the S3 gateway endpoint"]
        );
    }
}
