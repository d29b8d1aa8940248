//! The `building_blocks` example: the blocks the patterns are made of, used directly beside a
//! pattern. A small event pipeline (a topic fanning out to an inbox queue, and a queue for
//! failures), and next to it a report function built from the Lambda block: it reads the
//! topic's ARN from a reference in its environment, may publish to that topic and nothing
//! else, and sends the events its asynchronous invocations gave up on to the pipeline's
//! failure queue, and may write objects to a bucket from the S3 block. An audit log group with
//! a year's retention comes from the log group block, and two security groups of a small VPC
//! are joined by the EC2 block's `Allow` pair.

use constructs::blocks::ec2::{https_egress, no_egress, Allow};
use constructs::blocks::lambda::{AsyncInvoke, Destination, Function, FunctionProps};
use constructs::blocks::logs::{LogGroup, LogGroupProps, RetentionDays};
use constructs::blocks::s3::{Bucket, BucketProps};
use constructs::cfn::ec2::{SecurityGroup, Vpc};
use constructs::iam::presets;
use constructs::pipeline::{
    EventPipeline, EventPipelineProps, QueueProps, SubscriptionProps, TopicProps,
};
use constructs::{App, Stack};

/// The report function: archives a summary in `ARCHIVE_BUCKET` and publishes it to the topic
/// named by `REPORTS_TOPIC_ARN`.
const REPORT: &str = r#"import json
import os

import boto3

s3 = boto3.client("s3")
sns = boto3.client("sns")


def handler(event, context):
    report = json.dumps({"report": "nightly", "stage": os.environ["STAGE"]})
    s3.put_object(Bucket=os.environ["ARCHIVE_BUCKET"], Key="nightly.json", Body=report)
    sns.publish(TopicArn=os.environ["REPORTS_TOPIC_ARN"], Message=report)
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

    let archive = Bucket::new(
        &mut stack,
        "Archive",
        BucketProps::new().expire_objects("ExpireReports", 365),
    );
    let archive = archive.bucket().clone();

    Function::new(
        &mut stack,
        "Report",
        FunctionProps::python(REPORT)
            .timeout_secs(60)
            .memory_mb(256)
            .description("Publishes the nightly order report")
            .env("REPORTS_TOPIC_ARN", topic.reference())
            .env("STAGE", "prod")
            .env("ARCHIVE_BUCKET", archive.reference())
            .grant(presets::sns::publish(&topic))
            .grant(presets::s3::write_objects(&archive))
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

    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.42.0.0/16"));
    let proxy = stack.add(
        "ProxySecurityGroup",
        SecurityGroup::new("Proxy: sends only to the workers")
            .vpc_id(vpc.reference())
            .security_group_egress(vec![no_egress()]),
    );
    let workers = stack.add(
        "WorkersSecurityGroup",
        SecurityGroup::new("Workers: port 8080 from the proxy only")
            .vpc_id(vpc.reference())
            .security_group_egress(vec![https_egress()]),
    );
    Allow::tcp(("Proxy", &proxy), ("Workers", &workers), 8080).add_to(&mut stack);

    app.add_stack(stack);
    app
}
