// A rule target that is a queue takes a queue of the pipeline: a topic's key does not compile.
use constructs::pipeline::{EventPipelineProps, Target, TopicProps};

fn main() {
    let mut props = EventPipelineProps::new();
    let topic = props.topic("Events", TopicProps::new());
    let _ = Target::queue(&topic);
}
