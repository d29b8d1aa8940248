//! The `event_pipeline` example: the classic order flow in one stack.
//!
//! Orders are put on a custom event bus; a rule (`source: myapp.orders`, `detail-type: Order
//! Placed`) sends them to a queue with a dead-letter queue; a Lambda consumer processes each
//! order and publishes it to an SNS topic, which fans out to fulfillment, email and analytics
//! queues, each with its own dead-letter queue. Everything is encrypted, every queue and topic
//! requires TLS, and each service may send only on behalf of its rule or topic.

use constructs::blocks::lambda::FunctionProps;
use constructs::pipeline::{
    ConsumeProps, EventPattern, EventPipeline, EventPipelineProps, FilterPolicy, Matcher,
    QueueProps, RetryPolicy, RuleProps, SubscriptionProps, Target, TopicProps,
};
use constructs::{App, AsScope, Stack};

/// The consumer: publishes each order to the topic named by `ORDER_EVENTS_TOPIC_ARN`, and
/// reports only the failed messages so the rest of the batch is not retried.
const PROCESS_ORDER: &str = r#"import json
import os

import boto3

sns = boto3.client("sns")
TOPIC_ARN = os.environ["ORDER_EVENTS_TOPIC_ARN"]


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])["detail"]
            sns.publish(
                TopicArn=TOPIC_ARN,
                Message=json.dumps(order),
                MessageAttributes={
                    "priority": {
                        "DataType": "String",
                        "StringValue": order.get("priority", "standard"),
                    }
                },
            )
        except Exception as error:  # report the message as failed; the others are done
            print(f"order {record['messageId']} failed: {error}")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"#;

/// Builds the `event_pipeline` app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("Orders")
        .description("Order flow: EventBridge -> SQS -> Lambda -> SNS fan-out to SQS")
        .tag("project", "event-pipeline");
    order_flow(&mut stack);
    app.add_stack(stack);
    app
}

/// Adds the order flow under the id `Orders`: the bus, the rule, the orders queue and its
/// consumer, and the topic fanning out to fulfillment, email and analytics queues.
pub fn order_flow(scope: &mut impl AsScope) -> EventPipeline {
    let mut props = EventPipelineProps::new();
    let orders = props.queue("Orders", QueueProps::standard());
    let order_events = props.topic(
        "OrderEvents",
        TopicProps::new().display_name("Order events"),
    );
    let process = props.function(
        "ProcessOrder",
        FunctionProps::python(PROCESS_ORDER)
            .timeout_secs(30)
            .description("Publishes each placed order to the order events topic"),
    );
    props.publish(&process, &order_events, "ORDER_EVENTS_TOPIC_ARN");
    props.consume(
        &process,
        &orders,
        ConsumeProps::new().batch_size(10).max_concurrency(10),
    );
    props.rule(
        "OrderPlaced",
        RuleProps::on(
            EventPattern::new()
                .source(["myapp.orders"])
                .detail_type(["Order Placed"]),
        )
        .description("Placed orders go to the orders queue")
        .target(Target::queue(&orders).retry(RetryPolicy::new(3600, 24))),
    );
    for (id, subscription) in [
        (
            "Fulfillment",
            SubscriptionProps::new().raw_message_delivery(),
        ),
        (
            "Email",
            SubscriptionProps::new()
                .raw_message_delivery()
                .filter_policy(
                    FilterPolicy::new().field("priority", [Matcher::anything_but(["bulk"])]),
                ),
        ),
        ("Analytics", SubscriptionProps::new().raw_message_delivery()),
    ] {
        let queue = props.queue(id, QueueProps::standard());
        props.subscribe(&order_events, &queue, subscription);
    }

    EventPipeline::new(scope, "Orders", props)
}
