//! Auto scaling of the service's task count: a scalable target and target-tracking policies.
//!
//! Application Auto Scaling acts through its service-linked role for ECS
//! (`AWSServiceRoleForApplicationAutoScaling_ECSService`), which it creates when first used, so
//! the scalable target needs no `RoleARN` and the stack no role for it.

use super::error::FargateError;
use crate::blocks::limits::Bounds;

/// Utilization targets Application Auto Scaling accepts for CPU and memory, in percent.
const UTILIZATION_PERCENT: Bounds<f64> = Bounds::new(1.0, 100.0);

/// A metric to keep near a target value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalingMetric {
    /// Average CPU utilisation of the service, in percent (1–100).
    Cpu(f64),
    /// Average memory utilisation of the service, in percent (1–100).
    Memory(f64),
    /// Requests per task per minute, counted by the load balancer (at least 1).
    RequestsPerTarget(u32),
}

impl ScalingMetric {
    pub(crate) fn id(&self) -> &'static str {
        match self {
            ScalingMetric::Cpu(_) => "Cpu",
            ScalingMetric::Memory(_) => "Memory",
            ScalingMetric::RequestsPerTarget(_) => "Requests",
        }
    }

    pub(crate) fn predefined_type(&self) -> &'static str {
        match self {
            ScalingMetric::Cpu(_) => "ECSServiceAverageCPUUtilization",
            ScalingMetric::Memory(_) => "ECSServiceAverageMemoryUtilization",
            ScalingMetric::RequestsPerTarget(_) => "ALBRequestCountPerTarget",
        }
    }

    pub(crate) fn target(&self) -> f64 {
        match *self {
            ScalingMetric::Cpu(t) | ScalingMetric::Memory(t) => t,
            ScalingMetric::RequestsPerTarget(n) => f64::from(n),
        }
    }

    fn problem(&self) -> Option<FargateError> {
        match *self {
            ScalingMetric::Cpu(target) if !UTILIZATION_PERCENT.contains(target) => {
                Some(FargateError::UtilizationTargetOutOfRange {
                    metric: "cpu",
                    target,
                })
            }
            ScalingMetric::Memory(target) if !UTILIZATION_PERCENT.contains(target) => {
                Some(FargateError::UtilizationTargetOutOfRange {
                    metric: "memory",
                    target,
                })
            }
            ScalingMetric::RequestsPerTarget(0) => Some(FargateError::ZeroRequestsTarget),
            _ => None,
        }
    }
}

/// How many tasks the service may run and what it scales on.
///
/// Defaults: scale on CPU at 70%, scale out after 60 s, scale in after 300 s. Bounds or
/// targets that make no sense are reported with the code `invalid-auto-scaling`.
///
/// ```
/// use constructs::fargate::{AutoScaling, ScalingMetric};
///
/// let scaling = AutoScaling::new(2, 10)
///     .metric(ScalingMetric::Cpu(60.0))
///     .metric(ScalingMetric::RequestsPerTarget(500));
/// assert!(scaling.problems().is_empty());
/// assert_eq!(AutoScaling::new(5, 2).problems().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct AutoScaling {
    pub(crate) min: u32,
    pub(crate) max: u32,
    pub(crate) metrics: Vec<ScalingMetric>,
    pub(crate) scale_in_cooldown: u32,
    pub(crate) scale_out_cooldown: u32,
}

impl AutoScaling {
    /// Between `min` and `max` tasks, on CPU at 70% until [`metric`](Self::metric) is called.
    pub fn new(min: u32, max: u32) -> Self {
        Self {
            min,
            max,
            metrics: Vec::new(),
            scale_in_cooldown: 300,
            scale_out_cooldown: 60,
        }
    }

    /// Adds a metric to track (the first call replaces the CPU 70% default; each metric is a
    /// policy, and the service scales out when any asks and in when all agree).
    pub fn metric(mut self, metric: ScalingMetric) -> Self {
        self.metrics.push(metric);
        self
    }

    /// Seconds after a scale-in before the next, and after a scale-out before the next.
    pub fn cooldowns(mut self, scale_in: u32, scale_out: u32) -> Self {
        self.scale_in_cooldown = scale_in;
        self.scale_out_cooldown = scale_out;
        self
    }

    /// The metrics, with the default when none was given.
    pub(crate) fn effective_metrics(&self) -> Vec<ScalingMetric> {
        if self.metrics.is_empty() {
            vec![ScalingMetric::Cpu(70.0)]
        } else {
            self.metrics.clone()
        }
    }

    /// Everything that is wrong (nothing when the settings are valid).
    ///
    /// ```
    /// use constructs::fargate::{AutoScaling, ScalingMetric};
    ///
    /// let scaling = AutoScaling::new(5, 2).metric(ScalingMetric::Cpu(0.0));
    /// let problems: Vec<String> = scaling.problems().iter().map(ToString::to_string).collect();
    /// assert_eq!(
    ///     problems,
    ///     [
    ///         "auto scaling minimum (5) is above the maximum (2)",
    ///         "cpu target is 0%; it must be 1–100",
    ///     ]
    /// );
    /// ```
    pub fn problems(&self) -> Vec<FargateError> {
        let mut out = Vec::new();
        // A maximum of 0 is below any minimum too; saying so twice would not help.
        if self.max == 0 {
            out.push(FargateError::ZeroMaxTasks);
        } else if self.min > self.max {
            out.push(FargateError::MinTasksAboveMax {
                min: self.min,
                max: self.max,
            });
        }
        let metrics = self.effective_metrics();
        for (i, m) in metrics.iter().enumerate() {
            if metrics[..i].iter().any(|earlier| earlier.id() == m.id()) {
                out.push(FargateError::MetricTrackedTwice {
                    metric: m.predefined_type(),
                });
            }
        }
        out.extend(metrics.iter().filter_map(ScalingMetric::problem));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_auto_scaling_is_reported() {
        let scaling = AutoScaling::new(3, 0)
            .metric(ScalingMetric::Memory(150.0))
            .metric(ScalingMetric::Memory(50.0))
            .metric(ScalingMetric::RequestsPerTarget(0));
        let problems: Vec<String> = scaling.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "auto scaling maximum is 0",
                "auto scaling tracks ECSServiceAverageMemoryUtilization twice",
                "memory target is 150%; it must be 1–100",
                "requests-per-target target is 0; it must be at least 1",
            ]
        );
    }
}
