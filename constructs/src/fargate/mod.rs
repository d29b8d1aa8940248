//! Containers: ECS services on Fargate behind an Application Load Balancer, secure by default.
//!
//! [`FargateService`] builds the whole pattern from [`FargateServiceProps`]: the VPC and the
//! app subnets its tasks run in, an [`AlbProps`] for the load balancer, and the [`Container`].
//! What can be checked by the compiler is:
//!
//! - **placement**: tasks take `&SubnetGroup<App>`, the load balancer an [`AlbPlacement`] of
//!   public subnets (internet-facing) or app subnets (internal); another tier does not compile;
//! - **size**: [`FargateSize`]'s typed constructors accept only the memory Fargate offers with
//!   each CPU (`FargateSize::one_vcpu(GiB::<9>)` does not compile); sizes from run-time input
//!   go through [`FargateSize::try_new`] or [`FargateServiceProps::size_from`].
//!
//! The rest is reported at synth with a stable code and the construct path:
//! `invalid-fargate-size`, `mutable-image-tag` (an untagged or `latest` image),
//! `invalid-health-check`, `invalid-auto-scaling`, `invalid-container`,
//! `invalid-load-balancer`.
//!
//! IAM follows the least-privilege rules of [`iam`](crate::iam): the execution role may pull
//! only from the image's ECR repository (and nothing from ECR for other registries), write
//! only its log group, and read only the secrets the container uses; the task role exists only
//! when the application is granted something ([`FargateServiceProps::grant`]) or ECS Exec is on
//! (it then holds the Session Manager channel actions Exec needs). Both trust only
//! `ecs-tasks.amazonaws.com` acting for this account.

mod access_logs;
mod alb;
mod cluster;
mod container;
mod error;
mod health;
mod image;
mod props;
mod roles;
mod scaling;
mod service;
mod size;

pub use access_logs::{ELB_ACCOUNTS, LOG_DELIVERY_PRINCIPAL};
pub use alb::{AccessLogs, AlbListener, AlbPlacement, AlbProps, MODERN_TLS_POLICY};
pub use cluster::FargateCluster;
pub use container::{Container, SecretSource};
pub use error::FargateError;
pub use health::{ContainerHealthCheck, TargetHealthCheck};
pub use image::ContainerImage;
pub use props::{CpuArchitecture, DatabaseAccess, FargateServiceProps};
pub use scaling::{AutoScaling, ScalingMetric};
pub use service::FargateService;
pub use size::{
    EightVcpuMemory, FargateSize, FargateSizeError, FourVcpuMemory, GiB, HalfGiB, HalfVcpuMemory,
    Memory, OneVcpuMemory, QuarterVcpuMemory, SixteenVcpuMemory, TwoVcpuMemory,
};
