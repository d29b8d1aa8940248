//! Access presets, one module per service: the actions each kind of access takes, as data,
//! and functions that grant them on a typed resource handle.
//!
//! Each function takes the handle of the one resource type its access applies to, so
//! `presets::sqs::consume(&topic)` does not compile. Every action of every preset is checked
//! against AWS's action data by `presets_are_valid` in this module's tests.

pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod events;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod s3;
pub mod secretsmanager;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod ssmmessages;
pub mod xray;

#[cfg(test)]
mod tests {
    use crate::iam::grant::Preset;
    use crate::iam::ActionData;

    /// Every preset of every service, for the dataset test.
    pub(crate) fn all() -> Vec<Preset> {
        [
            super::dynamodb::ALL,
            super::ec2::ALL,
            super::ecr::ALL,
            super::events::ALL,
            super::kms::ALL,
            super::lambda::ALL,
            super::logs::ALL,
            super::s3::ALL,
            super::secretsmanager::ALL,
            super::sns::ALL,
            super::sqs::ALL,
            super::ssm::ALL,
            super::ssmmessages::ALL,
            super::xray::ALL,
        ]
        .concat()
    }

    #[test]
    fn presets_are_valid() {
        let data = ActionData::vendored();
        for preset in all() {
            assert!(!preset.actions.is_empty(), "{} has no actions", preset.name);
            for action in preset.actions {
                assert!(
                    data.action(action).is_some(),
                    "{}: unknown action {action}",
                    preset.name
                );
            }
        }
    }
}
