//! `resource.grant_<access>(&mut role)`: grants read from the resource's side.
//!
//! Each method adds the matching [`presets`](super::presets) grant to a [`Grantee`] (a role
//! being built, a function's props). They
//! exist only on the handles of resources that have the access, so granting an access a
//! resource does not have — consuming messages from a topic, say — does not compile:
//!
//! ```
//! use constructs::cfn::sqs::Queue;
//! use constructs::blocks::iam::ServiceRole;
//! use constructs::Stack;
//!
//! let mut stack = Stack::new("App");
//! let queue = stack.add("Jobs", Queue::new());
//! let mut role = ServiceRole::new("lambda.amazonaws.com");
//! queue.grant_consume(&mut role);
//! assert_eq!(role.grants()[0].name(), "sqs:consume on Jobs");
//! ```
//!
//! Grants to a service principal (EventBridge sending to a queue, API Gateway invoking a
//! function) belong in the resource's own policy with an `aws:SourceArn` condition; the
//! constructs write those.

use crate::cfn::dynamodb::Table;
use crate::cfn::events::EventBus;
use crate::cfn::kms::Key;
use crate::cfn::lambda::Function;
use crate::cfn::logs::LogGroup;
use crate::cfn::s3::Bucket;
use crate::cfn::secretsmanager::Secret;
use crate::cfn::sns::Topic;
use crate::cfn::sqs::Queue;
use crate::resource::Handle;

use super::presets;
use super::Grantee;

impl Handle<Table> {
    /// `dynamodb:GetItem` on the table.
    pub fn grant_get_item(&self, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::get_item(self));
    }

    /// `dynamodb:Query` on the table itself (not its indexes).
    pub fn grant_query(&self, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::query(self));
    }

    /// `dynamodb:Query` on one index only.
    pub fn grant_query_index(&self, index: &str, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::query_index(self, index));
    }

    /// `dynamodb:Scan` on the table.
    pub fn grant_scan(&self, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::scan(self));
    }

    /// `dynamodb:PutItem` on the table.
    pub fn grant_put_item(&self, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::put_item(self));
    }

    /// `dynamodb:UpdateItem` on the table.
    pub fn grant_update_item(&self, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::update_item(self));
    }

    /// `dynamodb:DeleteItem` on the table.
    pub fn grant_delete_item(&self, to: &mut impl Grantee) {
        to.add_grant(presets::dynamodb::delete_item(self));
    }
}

impl Handle<Queue> {
    /// Receive, delete, read attributes of and extend the visibility of its messages.
    pub fn grant_consume(&self, to: &mut impl Grantee) {
        to.add_grant(presets::sqs::consume(self));
    }

    /// Send messages to it.
    pub fn grant_send(&self, to: &mut impl Grantee) {
        to.add_grant(presets::sqs::send(self));
    }
}

impl Handle<Topic> {
    /// Publish to it.
    pub fn grant_publish(&self, to: &mut impl Grantee) {
        to.add_grant(presets::sns::publish(self));
    }
}

impl Handle<EventBus> {
    /// Put events on it.
    pub fn grant_put_events(&self, to: &mut impl Grantee) {
        to.add_grant(presets::events::put_events(self));
    }
}

impl Handle<Function> {
    /// Invoke it.
    pub fn grant_invoke(&self, to: &mut impl Grantee) {
        to.add_grant(presets::lambda::invoke(self));
    }
}

impl Handle<LogGroup> {
    /// Write log events to its streams.
    pub fn grant_write(&self, to: &mut impl Grantee) {
        to.add_grant(presets::logs::write(self));
    }
}

impl Handle<Secret> {
    /// Read its value.
    pub fn grant_read(&self, to: &mut impl Grantee) {
        to.add_grant(presets::secretsmanager::read(self));
    }
}

impl Handle<Bucket> {
    /// Read its objects.
    pub fn grant_read_objects(&self, to: &mut impl Grantee) {
        to.add_grant(presets::s3::read_objects(self));
    }

    /// Write its objects.
    pub fn grant_write_objects(&self, to: &mut impl Grantee) {
        to.add_grant(presets::s3::write_objects(self));
    }

    /// List its keys.
    pub fn grant_list(&self, to: &mut impl Grantee) {
        to.add_grant(presets::s3::list(self));
    }
}

impl Handle<Key> {
    /// Decrypt with it (what readers of data encrypted with a customer key need).
    pub fn grant_decrypt(&self, to: &mut impl Grantee) {
        to.add_grant(presets::kms::decrypt(self));
    }

    /// Write data encrypted with it: `kms:GenerateDataKey` for new data keys and `kms:Decrypt`,
    /// which SQS and SNS call to reuse cached ones.
    pub fn grant_encrypt(&self, to: &mut impl Grantee) {
        to.add_grant(presets::kms::encrypt(self));
    }
}
