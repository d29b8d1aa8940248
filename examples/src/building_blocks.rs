//! The `building_blocks` example: the blocks the patterns are made of, used directly beside a
//! pattern. A small event pipeline (a topic fanning out to an inbox queue, and a queue for
//! failures), and next to it a report function built from the Lambda block: it reads the
//! topic's ARN from a reference in its environment, may publish to that topic and nothing
//! else, and sends the events its asynchronous invocations gave up on to the pipeline's
//! failure queue. An audit log group with a year's retention comes from the log group block.

use constructs::blocks::lambda::{AsyncInvoke, Destination, Function, FunctionProps};
use constructs::blocks::logs::{LogGroup, LogGroupProps, RetentionDays};
use constructs::iam::presets;
use constructs::pipeline::{
    EventPipeline, EventPipelineProps, QueueProps, SubscriptionProps, TopicProps,
};
use constructs::{App, Stack};

/// The report function: publishes a summary to the topic named by `REPORTS_TOPIC_ARN`.
const REPORT: &str = r#"import json
import os

import boto3

sns = boto3.client("sns")


def handler(event, context):
    sns.publish(
        TopicArn=os.environ["REPORTS_TOPIC_ARN"],
        Message=json.dumps({"report": "nightly", "stage": os.environ["STAGE"]}),
    )
    return {"ok": True}
"#;

/// Builds the `building_blocks` app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("Blocks")
        .description("Building blocks beside a pattern: a Lambda function and a log group")
        .tag("project", "building-blocks");
    let mut props = EventPipelineProps::new().default_bus();
    let reports = props.topic("Reports", TopicProps::new().display_name("Reports"));
    let inbox = props.queue("Inbox", QueueProps::standard());
    let failed = props.queue("Failed", QueueProps::standard());
    props.subscribe(
        &reports,
        &inbox,
        SubscriptionProps::new().raw_message_delivery(),
    );
    let pipeline = EventPipeline::new(&mut stack, "Reports", props);
    let (Some(topic), Some(failed)) = (pipeline.topic(&reports), pipeline.queue(&failed)) else {
        unreachable!("the keys belong to these props");
    };
    let (topic, failed) = (topic.clone(), failed.clone());

    Function::new(
        &mut stack,
        "Report",
        FunctionProps::python(REPORT)
            .timeout_secs(60)
            .memory_mb(256)
            .description("Publishes the nightly order report")
            .env("REPORTS_TOPIC_ARN", topic.reference())
            .env("STAGE", "prod")
            .grant(presets::sns::publish(&topic))
            .tracing()
            .ephemeral_storage_mb(1024)
            .log_retention(RetentionDays::Days90)
            .async_invoke(
                AsyncInvoke::new()
                    .retry_attempts(1)
                    .max_event_age_secs(3_600)
                    .on_failure(Destination::Queue(failed)),
            ),
    );
    LogGroup::new(
        &mut stack,
        "AuditLogs",
        LogGroupProps::new().retention(RetentionDays::Days365),
    );
    app.add_stack(stack);
    app
}
