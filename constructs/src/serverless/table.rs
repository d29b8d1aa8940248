//! The DynamoDB table of a [`ServerlessApi`](super::ServerlessApi): its choices and how they
//! become an `AWS::DynamoDB::Table`.

use crate::cfn::dynamodb::table::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchema, PointInTimeRecoverySpecification,
    Projection, ProvisionedThroughput, SseSpecification, StreamSpecification,
    TimeToLiveSpecification,
};
use crate::cfn::dynamodb::Table;
use crate::diagnostics::DomainError;
use crate::kinds::List;
use crate::{Handle, ResourceOptions, Scope, Value};

use super::error::ServerlessError;

/// The type of a key attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeType {
    /// A string (`S`).
    String,
    /// A number (`N`).
    Number,
    /// Binary data (`B`).
    Binary,
}

impl AttributeType {
    fn code(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
            AttributeType::Binary => "B",
        }
    }
}

/// What a table's stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamView {
    /// The key attributes of the changed item.
    KeysOnly,
    /// The item as it is after the change.
    NewImage,
    /// The item as it was before the change.
    OldImage,
    /// Both images.
    NewAndOldImages,
}

impl StreamView {
    fn name(self) -> &'static str {
        match self {
            StreamView::KeysOnly => "KEYS_ONLY",
            StreamView::NewImage => "NEW_IMAGE",
            StreamView::OldImage => "OLD_IMAGE",
            StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
}

/// A global secondary index: a name and key attributes declared on the table.
///
/// ```
/// use constructs::serverless::GlobalIndex;
///
/// let by_user = GlobalIndex::new("byUser", "userId").sort_key("createdAt");
/// assert_eq!(by_user.name(), "byUser");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct GlobalIndex {
    pub(crate) name: String,
    pub(crate) partition_key: String,
    pub(crate) sort_key: Option<String>,
}

impl GlobalIndex {
    /// An index `name` partitioned by the declared attribute `partition_key`, projecting all
    /// attributes.
    pub fn new(name: impl Into<String>, partition_key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            partition_key: partition_key.into(),
            sort_key: None,
        }
    }

    /// Sorts the index by the declared attribute `attribute`.
    pub fn sort_key(mut self, attribute: impl Into<String>) -> Self {
        self.sort_key = Some(attribute.into());
        self
    }

    /// The index name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// How the table pays for throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Billing {
    OnDemand,
    Provisioned { read: u32, write: u32 },
}

/// The choices of the table. Start from [`TableProps::new`] with the partition key; every other
/// choice has a production default.
///
/// Key attributes are declared once with their type ([`TableProps::new`],
/// [`TableProps::sort_key`], [`TableProps::attribute`]) and referred to by name from indexes;
/// only attributes some key uses become `AttributeDefinitions`.
///
/// ```
/// use constructs::serverless::{AttributeType, GlobalIndex, StreamView, TableProps};
///
/// let table = TableProps::new("itemId", AttributeType::String)
///     .attribute("userId", AttributeType::String)
///     .attribute("createdAt", AttributeType::String)
///     .index(GlobalIndex::new("byUser", "userId").sort_key("createdAt"))
///     .stream(StreamView::NewAndOldImages)
///     .ttl_attribute("expiresAt");
/// # let _ = table;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct TableProps {
    pub(crate) partition_key: String,
    pub(crate) sort_key: Option<String>,
    pub(crate) attributes: Vec<(String, AttributeType)>,
    pub(crate) indexes: Vec<GlobalIndex>,
    billing: Billing,
    kms_key_arn: Option<String>,
    stream: Option<StreamView>,
    ttl_attribute: Option<String>,
}

impl TableProps {
    /// A table partitioned by `partition_key`, with the defaults: on-demand billing,
    /// point-in-time recovery, encryption at rest with the AWS managed key
    /// (`alias/aws/dynamodb`: `SSEEnabled` true; KMS charges apply), deletion protection,
    /// and `Retain` on deletion and replacement.
    pub fn new(partition_key: impl Into<String>, key_type: AttributeType) -> Self {
        let partition_key = partition_key.into();
        Self {
            attributes: vec![(partition_key.clone(), key_type)],
            partition_key,
            sort_key: None,
            indexes: Vec::new(),
            billing: Billing::OnDemand,
            kms_key_arn: None,
            stream: None,
            ttl_attribute: None,
        }
    }

    /// A sort key for the table.
    pub fn sort_key(mut self, name: impl Into<String>, key_type: AttributeType) -> Self {
        let name = name.into();
        self.sort_key = Some(name.clone());
        self.attribute(name, key_type)
    }

    /// Declares an attribute that an index uses as a key.
    pub fn attribute(mut self, name: impl Into<String>, key_type: AttributeType) -> Self {
        self.attributes.push((name.into(), key_type));
        self
    }

    /// Adds a global secondary index.
    pub fn index(mut self, index: GlobalIndex) -> Self {
        self.indexes.push(index);
        self
    }

    /// Provisioned capacity for the table and each index, instead of on-demand.
    pub fn provisioned(mut self, read_units: u32, write_units: u32) -> Self {
        self.billing = Billing::Provisioned {
            read: read_units,
            write: write_units,
        };
        self
    }

    /// Encrypts with a customer managed KMS key (its ARN) instead of the AWS managed key.
    pub fn kms_key(mut self, key_arn: impl Into<String>) -> Self {
        self.kms_key_arn = Some(key_arn.into());
        self
    }

    /// A stream of item changes.
    pub fn stream(mut self, view: StreamView) -> Self {
        self.stream = Some(view);
        self
    }

    /// Expires items by the epoch-seconds attribute `name`.
    pub fn ttl_attribute(mut self, name: impl Into<String>) -> Self {
        self.ttl_attribute = Some(name.into());
        self
    }

    /// Whether the table has an index `name`.
    pub(crate) fn has_index(&self, name: &str) -> bool {
        self.indexes.iter().any(|i| i.name == name)
    }

    fn attribute_type(&self, name: &str) -> Option<AttributeType> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
    }

    /// Adds the table to `scope` as `Table`, reporting keys on undeclared attributes.
    pub(crate) fn add_to(&self, scope: &mut Scope<'_>) -> Handle<Table> {
        let path = format!("{}/Table", scope.path());
        let mut used: Vec<String> = Vec::new();
        let mut check = |scope: &mut Scope<'_>, owner: &str, name: &str| {
            if self.attribute_type(name).is_none() {
                let error = ServerlessError::UndeclaredAttribute {
                    owner: owner.to_owned(),
                    attribute: name.to_owned(),
                };
                scope.report(error.to_diagnostic(&path));
                false
            } else {
                if !used.iter().any(|u| u == name) {
                    used.push(name.to_owned());
                }
                true
            }
        };
        check(scope, "the table key", &self.partition_key);
        if let Some(sort) = &self.sort_key {
            check(scope, "the table key", sort);
        }
        let mut indexes: Vec<GlobalSecondaryIndex> = Vec::new();
        for index in &self.indexes {
            let owner = format!("index `{}`", index.name);
            let mut ok = check(scope, &owner, &index.partition_key);
            if let Some(sort) = &index.sort_key {
                ok &= check(scope, &owner, sort);
            }
            if !ok {
                continue;
            }
            let mut gsi = GlobalSecondaryIndex::new(
                index.name.as_str(),
                key_schema(&index.partition_key, index.sort_key.as_deref()),
                Projection::new().projection_type("ALL"),
            );
            if let Billing::Provisioned { read, write } = self.billing {
                gsi = gsi.provisioned_throughput(ProvisionedThroughput::new(
                    i64::from(read),
                    i64::from(write),
                ));
            }
            indexes.push(gsi);
        }
        let definitions: Vec<AttributeDefinition> = used
            .iter()
            .filter_map(|name| {
                self.attribute_type(name)
                    .map(|t| AttributeDefinition::new(name.as_str(), t.code()))
            })
            .collect();

        let mut table =
            Table::new(key_schema(&self.partition_key, self.sort_key.as_deref()).into_json())
                .attribute_definitions(definitions)
                .point_in_time_recovery_specification(
                    PointInTimeRecoverySpecification::new().point_in_time_recovery_enabled(true),
                )
                .deletion_protection_enabled(true);
        table = match self.billing {
            Billing::OnDemand => table.billing_mode("PAY_PER_REQUEST"),
            Billing::Provisioned { read, write } => {
                table.billing_mode("PROVISIONED").provisioned_throughput(
                    ProvisionedThroughput::new(i64::from(read), i64::from(write)),
                )
            }
        };
        table = match &self.kms_key_arn {
            None => table.sse_specification(SseSpecification::new(true)),
            Some(arn) => table.sse_specification(
                SseSpecification::new(true)
                    .sse_type("KMS")
                    .kms_master_key_id(arn.as_str()),
            ),
        };
        if !indexes.is_empty() {
            table = table.global_secondary_indexes(indexes);
        }
        if let Some(view) = self.stream {
            table = table.stream_specification(StreamSpecification::new(view.name()));
        }
        if let Some(ttl) = &self.ttl_attribute {
            table = table.time_to_live_specification(
                TimeToLiveSpecification::new(true).attribute_name(ttl.as_str()),
            );
        }
        scope.add_with("Table", table, ResourceOptions::new().retain())
    }
}

fn key_schema(partition: &str, sort: Option<&str>) -> Value<List<KeySchema>> {
    let mut keys = vec![KeySchema::new(partition, "HASH")];
    if let Some(sort) = sort {
        keys.push(KeySchema::new(sort, "RANGE"));
    }
    keys.into()
}
