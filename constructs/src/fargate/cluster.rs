//! ECS clusters for Fargate services.

use crate::cfn::ecs::cluster::ClusterSettings;
use crate::cfn::ecs::Cluster;
use crate::{AsScope, Handle, Scope};

/// An ECS cluster with Container Insights on, to share between several
/// [`FargateService`](super::FargateService)s (each service makes its own otherwise).
///
/// ```
/// use constructs::fargate::FargateCluster;
/// use constructs::Stack;
///
/// let mut stack = Stack::new("Services");
/// let cluster = FargateCluster::new(&mut stack, "Shared");
/// assert_eq!(cluster.handle().logical_id(), "SharedCluster");
/// ```
#[derive(Clone, Debug)]
pub struct FargateCluster {
    cluster: Handle<Cluster>,
}

impl FargateCluster {
    /// Adds the cluster to `scope` under `id` (logical id `<id>Cluster`).
    pub fn new(scope: &mut impl AsScope, id: &str) -> Self {
        let mut parent = scope.as_scope();
        let mut scope = parent.child(id);
        Self {
            cluster: add(&mut scope),
        }
    }

    /// The cluster resource.
    pub fn handle(&self) -> &Handle<Cluster> {
        &self.cluster
    }
}

/// A cluster with Container Insights, as `Cluster` in `scope`.
pub(crate) fn add(scope: &mut Scope<'_>) -> Handle<Cluster> {
    scope.add(
        "Cluster",
        Cluster::new().cluster_settings(vec![ClusterSettings::new()
            .name("containerInsights")
            .value("enabled")]),
    )
}
