//! The alarms of a [`ServerlessApi`](super::ServerlessApi): Lambda errors and throttles per
//! function, and the API's 5xx responses.

use crate::cfn::cloudwatch::alarm::Dimension;
use crate::cfn::cloudwatch::Alarm;
use crate::{Scope, Value};

/// One alarm: any datapoint of `metric` at or above 1 in a 5-minute period.
pub(crate) struct AlarmSpec<'a> {
    pub id: String,
    pub description: String,
    pub namespace: &'a str,
    pub metric: &'a str,
    pub dimension: (&'a str, Value<String>),
}

/// Adds the alarm, notifying `topic` (when given) on alarm and on recovery.
pub(crate) fn add(scope: &mut Scope<'_>, spec: AlarmSpec<'_>, topic: Option<&Value<String>>) {
    let (name, value) = spec.dimension;
    let mut alarm = Alarm::new()
        .alarm_description(spec.description)
        .namespace(spec.namespace)
        .metric_name(spec.metric)
        .dimensions(vec![Dimension::new(name, value)])
        .statistic("Sum")
        .period(300)
        .evaluation_periods(1)
        .threshold(1)
        .comparison_operator("GreaterThanOrEqualToThreshold")
        .treat_missing_data("notBreaching");
    if let Some(topic) = topic {
        alarm = alarm
            .alarm_actions(vec![topic.clone()])
            .ok_actions(vec![topic.clone()]);
    }
    scope.add(&spec.id, alarm);
}
