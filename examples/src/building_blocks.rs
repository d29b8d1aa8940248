//! The `building_blocks` example: the blocks the patterns are made of, used directly beside a
//! pattern. A small event pipeline (a topic fanning out to an inbox queue, and a queue for
//! failures), and next to it a report function built from the Lambda block: it reads the
//! topic's ARN from a reference in its environment, may publish to that topic and nothing
//! else, and sends the events its asynchronous invocations gave up on to the pipeline's
//! failure queue, and may write objects to a bucket from the S3 block. An audit log group with
//! a year's retention comes from the log group block, and a second function runs in the app
//! tier of a small three-tier VPC, let through to the database tier by the EC2 block's `Allow`
//! pair. Last, a topic and a queue straight from the SNS and SQS blocks, subscribed by hand,
//! the queue's one policy naming the topic.

use constructs::blocks::ec2::Allow;
use constructs::blocks::lambda::{AsyncInvoke, Destination, Function, FunctionProps};
use constructs::blocks::logs::{LogGroup, LogGroupProps, RetentionDays};
use constructs::blocks::s3::{Bucket, BucketProps};
use constructs::blocks::sns::Topic;
use constructs::blocks::sqs::Queue;
use constructs::cfn::sns::Subscription;
use constructs::iam::presets;
use constructs::network::{Azs, NatStrategy, VpcThreeTier, VpcThreeTierProps};
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

/// The VPC function: would query the database; here it only says where it runs.
const READER: &str = r#"import os


def handler(event, context):
    return {"region": os.environ["AWS_REGION"]}
"#;

/// Builds the `building_blocks` app.
pub fn app() -> App {
    let mut app = App::new();
    let mut stack = Stack::new("Blocks")
        .description(
            "Building blocks beside a pattern: functions, logs, a bucket, a topic, a queue",
        )
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

    // A topic and a queue from the blocks, wired by hand: the queue's one policy lets SNS
    // deliver for that topic only.
    let notices = Topic::new(&mut stack, "Notices", TopicProps::new());
    let work = Queue::new(
        &mut stack,
        "Work",
        QueueProps::standard().allow_from_topic(notices.topic()),
    );
    stack.add(
        "NoticesToWork",
        Subscription::new("sqs", notices.topic().reference())
            .endpoint(work.queue().att_arn())
            .raw_message_delivery(true),
    );

    // A function in the app tier of a small VPC, allowed to reach the database tier's port.
    let network = VpcThreeTier::new(
        &mut stack,
        "Net",
        VpcThreeTierProps::new("10.42.0.0/16")
            .azs(Azs::Count(2))
            .nat(NatStrategy::None)
            .flow_logs(None),
    );
    let reader = Function::new(
        &mut stack,
        "Reader",
        FunctionProps::python(READER)
            .description("Reads from the database tier")
            .in_vpc(network.vpc().reference(), network.app_subnets()),
    );
    if let Some(group) = reader.security_group() {
        Allow::tcp(
            ("Reader", group),
            ("Database", &network.security_groups().database),
            5432,
        )
        .descriptions("To the database tier", "From the reader function")
        .add_to(&mut stack);
    }

    app.add_stack(stack);
    app
}
