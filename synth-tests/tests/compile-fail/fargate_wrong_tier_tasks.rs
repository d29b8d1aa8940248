// Fargate tasks run in the app tier: handing the service the public subnets does not compile.
use constructs::fargate::{
    AlbListener, AlbPlacement, AlbProps, Container, ContainerImage, FargateServiceProps,
};
use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("Web");
    let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    let _props = FargateServiceProps::new(
        network.vpc(),
        network.public_subnets(),
        AlbProps::new(
            AlbPlacement::InternetFacing(network.public_subnets().clone()),
            AlbListener::plain_http(),
        ),
        Container::new("web", ContainerImage::registry("nginx:1.27"), 8080),
    );
}
