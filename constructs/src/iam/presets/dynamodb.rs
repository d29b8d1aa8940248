//! DynamoDB presets: one per kind of data access, so a role gets exactly the item operations
//! its callers make.
//!
//! Table operations are granted on the table's ARN; `Query` and `Scan` on an index are granted
//! on that index's ARN (`table/NAME/index/INDEX`) only, in a statement of their own, because the
//! index ARN is a different resource type from the table's.

use crate::cfn::dynamodb::Table;
use crate::iam::grant::{Grant, Preset};
use crate::model::fns;
use crate::model::value::Value;
use crate::resource::Handle;

/// Read one item by its key.
pub const GET_ITEM: Preset = Preset {
    name: "dynamodb:get-item",
    actions: &["dynamodb:GetItem"],
};

/// Query items by key condition, on the table or one of its indexes.
pub const QUERY: Preset = Preset {
    name: "dynamodb:query",
    actions: &["dynamodb:Query"],
};

/// Read every item (a full table or index scan).
pub const SCAN: Preset = Preset {
    name: "dynamodb:scan",
    actions: &["dynamodb:Scan"],
};

/// Create or replace one item.
pub const PUT_ITEM: Preset = Preset {
    name: "dynamodb:put-item",
    actions: &["dynamodb:PutItem"],
};

/// Change attributes of one item.
pub const UPDATE_ITEM: Preset = Preset {
    name: "dynamodb:update-item",
    actions: &["dynamodb:UpdateItem"],
};

/// Delete one item.
pub const DELETE_ITEM: Preset = Preset {
    name: "dynamodb:delete-item",
    actions: &["dynamodb:DeleteItem"],
};

/// Read a table's stream, as a Lambda event source mapping does: describe it, get shard
/// iterators and records (granted on the stream's ARN).
pub const READ_STREAM: Preset = Preset {
    name: "dynamodb:read-stream",
    actions: &[
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
    ],
};

/// List the account's streams, which Lambda's execution role needs beside [`READ_STREAM`]
/// (<https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html>). The action takes no
/// resource, so it is granted on `*` (listed with the reason in
/// [`RESOURCE_STAR_ACTIONS`](crate::iam::RESOURCE_STAR_ACTIONS)).
pub const LIST_STREAMS: Preset = Preset {
    name: "dynamodb:list-streams",
    actions: &["dynamodb:ListStreams"],
};

/// Every preset of this module.
pub const ALL: &[Preset] = &[
    GET_ITEM,
    QUERY,
    SCAN,
    PUT_ITEM,
    UPDATE_ITEM,
    DELETE_ITEM,
    READ_STREAM,
    LIST_STREAMS,
];

/// The ARN of the index `index` of `table`: `${Table.Arn}/index/INDEX`.
pub fn index_arn(table: &Handle<Table>, index: &str) -> Value<String> {
    fns::sub_with(
        format!("${{TableArn}}/index/{index}"),
        [("TableArn", table.att_arn())],
    )
}

/// [`GET_ITEM`] on `table`.
pub fn get_item(table: &Handle<Table>) -> Grant {
    GET_ITEM.grant(table.logical_id(), [table.att_arn()])
}

/// [`QUERY`] on `table` itself (by its primary key).
pub fn query(table: &Handle<Table>) -> Grant {
    QUERY.grant(table.logical_id(), [table.att_arn()])
}

/// [`QUERY`] on the index `index` of `table` only (not on the table).
///
/// ```
/// use constructs::cfn::dynamodb::{table::KeySchema, Table};
/// use constructs::iam::presets;
/// use constructs::{kinds::List, Stack, Value};
///
/// let mut stack = Stack::new("App");
/// let keys: Value<List<KeySchema>> = vec![KeySchema::new("id", "HASH")].into();
/// let table = stack.add("Table", Table::new(keys.into_json()));
/// let grant = presets::dynamodb::query_index(&table, "byUser");
/// assert_eq!(grant.name(), "dynamodb:query on Table/index/byUser");
/// ```
pub fn query_index(table: &Handle<Table>, index: &str) -> Grant {
    QUERY.grant(
        &format!("{}/index/{index}", table.logical_id()),
        [index_arn(table, index)],
    )
}

/// [`SCAN`] on `table`.
pub fn scan(table: &Handle<Table>) -> Grant {
    SCAN.grant(table.logical_id(), [table.att_arn()])
}

/// [`SCAN`] on the index `index` of `table` only.
pub fn scan_index(table: &Handle<Table>, index: &str) -> Grant {
    SCAN.grant(
        &format!("{}/index/{index}", table.logical_id()),
        [index_arn(table, index)],
    )
}

/// [`PUT_ITEM`] on `table`.
pub fn put_item(table: &Handle<Table>) -> Grant {
    PUT_ITEM.grant(table.logical_id(), [table.att_arn()])
}

/// [`UPDATE_ITEM`] on `table`.
pub fn update_item(table: &Handle<Table>) -> Grant {
    UPDATE_ITEM.grant(table.logical_id(), [table.att_arn()])
}

/// [`DELETE_ITEM`] on `table`.
pub fn delete_item(table: &Handle<Table>) -> Grant {
    DELETE_ITEM.grant(table.logical_id(), [table.att_arn()])
}

/// What a function reading `table`'s stream needs: [`READ_STREAM`] on the stream's ARN only,
/// and [`LIST_STREAMS`] on `*`, the one value IAM grants it on.
///
/// ```
/// use constructs::cfn::dynamodb::{table::KeySchema, table::StreamSpecification, Table};
/// use constructs::iam::presets;
/// use constructs::{kinds::List, Stack, Value};
///
/// let mut stack = Stack::new("App");
/// let keys: Value<List<KeySchema>> = vec![KeySchema::new("id", "HASH")].into();
/// let table = stack.add(
///     "Table",
///     Table::new(keys.into_json()).stream_specification(StreamSpecification::new("KEYS_ONLY")),
/// );
/// let grant = presets::dynamodb::read_stream(&table);
/// assert_eq!(grant.name(), "dynamodb:read-stream on Table/stream");
/// assert_eq!(grant.statements().len(), 2);
/// ```
pub fn read_stream(table: &Handle<Table>) -> Grant {
    Grant::new(format!(
        "{} on {}/stream",
        READ_STREAM.name,
        table.logical_id()
    ))
    .statement(READ_STREAM.statement([table.att_stream_arn()]))
    .statement(LIST_STREAMS.statement(["*"]))
}
