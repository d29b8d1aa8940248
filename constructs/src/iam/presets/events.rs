//! EventBridge presets.

use crate::cfn::events::EventBus;
use crate::iam::grant::{Grant, Preset};
use crate::resource::Handle;

/// Put events on a bus.
pub const PUT_EVENTS: Preset = Preset {
    name: "events:put-events",
    actions: &["events:PutEvents"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[PUT_EVENTS];

/// [`PUT_EVENTS`] on `bus`, by its ARN.
pub fn put_events(bus: &Handle<EventBus>) -> Grant {
    PUT_EVENTS.grant(bus.logical_id(), [bus.att_arn()])
}
