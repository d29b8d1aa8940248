//! The `serverless_api` example: the classic items API. An HTTP API with six routes, two
//! functions (one for the items, one for the health check) and a table keyed by `itemId` with a
//! global secondary index on `userId`/`createdAt`. The items function may get, put, update and
//! delete items and query the `byUser` index, and nothing else; the health function may only
//! write its own logs.

use constructs::blocks::lambda::{FunctionCode, FunctionProps, Runtime};
use constructs::serverless::{
    AttributeType, CorsConfig, GlobalIndex, Route, ServerlessApi, ServerlessApiProps, TableProps,
};
use constructs::{App, AsScope, Stack};

/// The items handler: one Python function for the five item routes, using the table named by
/// `TABLE_NAME` through boto3.
pub const ITEMS_HANDLER: &str = r##"import base64
import json
import os
import time
import uuid
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
KEYS = ("itemId", "userId", "createdAt")


def respond(status, body=None):
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": "" if body is None else json.dumps(body, default=str),
    }


def read_body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode()
    return json.loads(raw, parse_float=Decimal)


def handler(event, context):
    route = event["routeKey"]
    item_id = (event.get("pathParameters") or {}).get("id")
    query = event.get("queryStringParameters") or {}
    try:
        if route == "GET /items":
            user = query.get("userId")
            if not user:
                return respond(400, {"message": "the userId query parameter is required"})
            found = table.query(IndexName="byUser", KeyConditionExpression=Key("userId").eq(user))
            return respond(200, found["Items"])
        if route == "POST /items":
            item = read_body(event)
            if not item.get("userId"):
                return respond(400, {"message": "userId is required"})
            item["itemId"] = str(uuid.uuid4())
            item["createdAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            table.put_item(Item=item)
            return respond(201, item)
        if route == "GET /items/{id}":
            item = table.get_item(Key={"itemId": item_id}).get("Item")
            return respond(200, item) if item else respond(404, {"message": "no such item"})
        if route == "PUT /items/{id}":
            changes = {k: v for k, v in read_body(event).items() if k not in KEYS}
            if not changes:
                return respond(400, {"message": "nothing to update"})
            names = {f"#f{i}": k for i, k in enumerate(changes)}
            values = {f":v{i}": v for i, v in enumerate(changes.values())}
            updated = table.update_item(
                Key={"itemId": item_id},
                UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(changes))),
                ConditionExpression="attribute_exists(itemId)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
            return respond(200, updated["Attributes"])
        if route == "DELETE /items/{id}":
            table.delete_item(Key={"itemId": item_id})
            return respond(204)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return respond(404, {"message": "no such item"})
        raise
    return respond(404, {"message": "no such route"})
"##;

/// The health handler: answers without touching the table.
pub const HEALTH_HANDLER: &str = r#"import json


def handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"status": "ok"}),
    }
"#;

/// Builds the `serverless_api` app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("ItemsApi")
        .description("Items API: HTTP API, Lambda and DynamoDB, least privilege per route")
        .tag("project", "serverless-api");
    items_api(&mut stack);
    app.add_stack(stack);
    app
}

/// Adds the items API under the id `Items`: the table, the two functions and the six routes.
pub fn items_api(scope: &mut impl AsScope) -> ServerlessApi {
    let table = TableProps::new("itemId", AttributeType::String)
        .attribute("userId", AttributeType::String)
        .attribute("createdAt", AttributeType::String)
        .index(GlobalIndex::new("byUser", "userId").sort_key("createdAt"));
    let items = FunctionProps::new(
        Runtime::Python313,
        "index.handler",
        FunctionCode::inline(ITEMS_HANDLER),
    )
    .memory_mb(256)
    .timeout_secs(10)
    .tracing()
    .description("Items CRUD");
    let health = FunctionProps::new(
        Runtime::Python313,
        "index.handler",
        FunctionCode::inline(HEALTH_HANDLER),
    )
    .memory_mb(128)
    .timeout_secs(3)
    .description("Health check");
    ServerlessApi::new(
        scope,
        "Items",
        ServerlessApiProps::new(table)
            .description("The items API")
            .function("Items", items)
            .function("Health", health)
            .route(Route::new("GET /items", "Items").queries_index("byUser"))
            .route(Route::new("POST /items", "Items").creates_item())
            .route(Route::new("GET /items/{id}", "Items").reads_item())
            .route(Route::new("PUT /items/{id}", "Items").updates_item())
            .route(Route::new("DELETE /items/{id}", "Items").deletes_item())
            .route(Route::new("GET /health", "Health"))
            .cors(CorsConfig::new(["https://app.example.com"]))
            .throttling(100.0, 200),
    )
}
