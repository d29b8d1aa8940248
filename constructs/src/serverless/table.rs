//! The DynamoDB table of a [`ServerlessApi`](super::ServerlessApi): its choices and how they
//! become an `AWS::DynamoDB::Table`.

use crate::blocks::limits::NameRule;
use crate::cfn::dynamodb::table::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchema, PointInTimeRecoverySpecification,
    Projection, ProvisionedThroughput, SseSpecification, StreamSpecification,
    TimeToLiveSpecification,
};
use crate::cfn::dynamodb::Table;
use crate::diagnostics::{all_problems, DomainError};
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

/// What a global secondary index copies from the table besides the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
enum IndexProjection {
    All,
    KeysOnly,
    Include(Vec<String>),
}

/// A global secondary index: a name and key attributes declared on the table, projecting all
/// attributes unless told otherwise.
///
/// ```
/// use constructs::serverless::GlobalIndex;
///
/// let by_user = GlobalIndex::new("byUser", "userId").sort_key("createdAt");
/// assert_eq!(by_user.name(), "byUser");
/// let slim = GlobalIndex::new("byStatus", "status").include(["title"]);
/// # let _ = slim;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct GlobalIndex {
    pub(crate) name: String,
    pub(crate) partition_key: String,
    pub(crate) sort_key: Option<String>,
    projection: IndexProjection,
}

impl GlobalIndex {
    /// An index `name` (3–255 letters, digits, `_`, `-` and `.`) partitioned by the declared
    /// attribute `partition_key`, projecting all attributes.
    pub fn new(name: impl Into<String>, partition_key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            partition_key: partition_key.into(),
            sort_key: None,
            projection: IndexProjection::All,
        }
    }

    /// Sorts the index by the declared attribute `attribute` (another than the partition key).
    pub fn sort_key(mut self, attribute: impl Into<String>) -> Self {
        self.sort_key = Some(attribute.into());
        self
    }

    /// Projects only the table's and the index's keys.
    ///
    /// ```
    /// use constructs::serverless::GlobalIndex;
    ///
    /// let keys = GlobalIndex::new("byUser", "userId").keys_only();
    /// # let _ = keys;
    /// ```
    pub fn keys_only(mut self) -> Self {
        self.projection = IndexProjection::KeysOnly;
        self
    }

    /// Projects the keys and the non-key attributes `attributes` (at least one; at most 100
    /// across all indexes of the table).
    ///
    /// ```
    /// use constructs::serverless::GlobalIndex;
    ///
    /// let slim = GlobalIndex::new("byUser", "userId").include(["title", "status"]);
    /// # let _ = slim;
    /// ```
    pub fn include<S: Into<String>>(mut self, attributes: impl IntoIterator<Item = S>) -> Self {
        self.projection =
            IndexProjection::Include(attributes.into_iter().map(Into::into).collect());
        self
    }

    /// The index name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn projection(&self) -> Projection {
        match &self.projection {
            IndexProjection::All => Projection::new().projection_type("ALL"),
            IndexProjection::KeysOnly => Projection::new().projection_type("KEYS_ONLY"),
            IndexProjection::Include(names) => Projection::new()
                .projection_type("INCLUDE")
                .non_key_attributes(names.clone()),
        }
    }
}

/// The most global secondary indexes a table may have (as the resource schema of
/// `AWS::DynamoDB::Table` says of `GlobalSecondaryIndexes`).
pub const MAX_GLOBAL_INDEXES: usize = 20;
/// The most non-key attributes the `INCLUDE` projections of one table's indexes may name,
/// counted once per index (the resource schema's `Projection.NonKeyAttributes`).
pub const MAX_PROJECTED_ATTRIBUTES: usize = 100;
/// Index names: 3–255 characters of letters, digits, `_`, `-` and `.`.
const INDEX_NAME: NameRule = NameRule::new(3, 255, "letters, digits, `_`, `-` and `.`", |c| {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
});
/// Attribute names: 1–255 characters of any kind.
const ATTRIBUTE_NAME: NameRule = NameRule::new(1, 255, "any characters", |_| true);

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
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct TableProps {
    pub(crate) partition_key: String,
    pub(crate) sort_key: Option<String>,
    pub(crate) attributes: Vec<(String, AttributeType)>,
    pub(crate) indexes: Vec<GlobalIndex>,
    billing: Billing,
    kms_key_arn: Option<Value<String>>,
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

    /// Encrypts with a customer managed KMS key instead of the AWS managed key: its ARN, id or
    /// alias, as any [`Value<String>`] (a literal, a [`Key`](crate::cfn::kms::Key) handle's
    /// ARN, a parameter, an import).
    ///
    /// ```
    /// use constructs::serverless::{AttributeType, TableProps};
    /// use constructs::{cfn::kms::Key, Stack};
    ///
    /// let mut stack = Stack::new("Data");
    /// let key = stack.add("TableKey", Key::new().enable_key_rotation(true));
    /// let table = TableProps::new("id", AttributeType::String).kms_key(key.att_arn());
    /// # let _ = table;
    /// ```
    pub fn kms_key(mut self, key_arn: impl Into<Value<String>>) -> Self {
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

    /// Every rule of the table DynamoDB would reject, all at once: a sort key that is the
    /// partition key (of the table or an index), an attribute declared with two types, a
    /// malformed attribute or index name, two indexes of one name, more than
    /// [`MAX_GLOBAL_INDEXES`] indexes, a bad projection, or provisioned capacity of 0. Keys on
    /// undeclared attributes are reported when the table is built.
    ///
    /// ```
    /// use constructs::serverless::{AttributeType, GlobalIndex, TableProps};
    /// use constructs::{Code, DomainError};
    ///
    /// let table = TableProps::new("id", AttributeType::String)
    ///     .sort_key("id", AttributeType::String)
    ///     .attribute("user", AttributeType::String)
    ///     .index(GlobalIndex::new("byUser", "user"))
    ///     .index(GlobalIndex::new("byUser", "user"));
    /// let codes: Vec<Code> = table.check().unwrap_err().iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::InvalidKeySchema, Code::DuplicateIndexName]);
    /// ```
    pub fn check(&self) -> Result<(), Vec<ServerlessError>> {
        all_problems(self.problems())
    }

    fn problems(&self) -> Vec<ServerlessError> {
        let mut errors = Vec::new();
        let mut same_key = |owner: String, partition: &str, sort: Option<&str>| {
            if sort == Some(partition) {
                errors.push(ServerlessError::SameKeyTwice {
                    owner,
                    attribute: partition.to_owned(),
                });
            }
        };
        same_key(
            "the table".to_owned(),
            &self.partition_key,
            self.sort_key.as_deref(),
        );
        for index in &self.indexes {
            same_key(
                format!("index `{}`", index.name),
                &index.partition_key,
                index.sort_key.as_deref(),
            );
        }
        for (i, (name, key_type)) in self.attributes.iter().enumerate() {
            let earlier = self.attributes[..i].iter().find(|(n, _)| n == name);
            match earlier {
                Some((_, first)) if first != key_type => {
                    errors.push(ServerlessError::AttributeTypeConflict {
                        attribute: name.clone(),
                        first: first.code(),
                        second: key_type.code(),
                    });
                }
                Some(_) => {}
                None => {
                    for problem in ATTRIBUTE_NAME.problems(name) {
                        errors.push(ServerlessError::InvalidAttributeName {
                            attribute: name.clone(),
                            problem,
                        });
                    }
                }
            }
        }
        if let Some(ttl) = &self.ttl_attribute {
            for problem in ATTRIBUTE_NAME.problems(ttl) {
                errors.push(ServerlessError::InvalidAttributeName {
                    attribute: ttl.clone(),
                    problem,
                });
            }
        }
        let mut projected = 0;
        for (i, index) in self.indexes.iter().enumerate() {
            for problem in INDEX_NAME.problems(&index.name) {
                errors.push(ServerlessError::InvalidIndexName {
                    name: index.name.clone(),
                    problem,
                });
            }
            // Reported once, at the second index of a name.
            let earlier = self.indexes[..i].iter().filter(|o| o.name == index.name);
            if earlier.count() == 1 {
                errors.push(ServerlessError::DuplicateIndex {
                    name: index.name.clone(),
                });
            }
            if let IndexProjection::Include(names) = &index.projection {
                projected += names.len();
                if names.is_empty() {
                    errors.push(ServerlessError::InvalidProjection {
                        index: index.name.clone(),
                        reason: "includes no attributes".to_owned(),
                    });
                }
                for name in names {
                    for problem in ATTRIBUTE_NAME.problems(name) {
                        errors.push(ServerlessError::InvalidProjection {
                            index: index.name.clone(),
                            reason: format!("names the attribute `{name}`, which {problem}"),
                        });
                    }
                }
            }
        }
        if projected > MAX_PROJECTED_ATTRIBUTES {
            let last = self
                .indexes
                .iter()
                .rev()
                .find(|i| matches!(i.projection, IndexProjection::Include(_)));
            errors.push(ServerlessError::InvalidProjection {
                index: last.map(|i| i.name.clone()).unwrap_or_default(),
                reason: format!(
                    "brings the table's included attributes to {projected}; DynamoDB allows \
                     {MAX_PROJECTED_ATTRIBUTES} across all indexes"
                ),
            });
        }
        if self.indexes.len() > MAX_GLOBAL_INDEXES {
            errors.push(ServerlessError::TooManyIndexes {
                count: self.indexes.len(),
                max: MAX_GLOBAL_INDEXES,
            });
        }
        if let Billing::Provisioned { read, write } = self.billing {
            for (what, units) in [("read", read), ("write", write)] {
                if units == 0 {
                    errors.push(ServerlessError::CapacityOutOfRange { what, units });
                }
            }
        }
        errors
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
        for error in self.problems() {
            scope.report(error.to_diagnostic(&path));
        }
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
                index.projection(),
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
                    .kms_master_key_id(arn.clone()),
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
