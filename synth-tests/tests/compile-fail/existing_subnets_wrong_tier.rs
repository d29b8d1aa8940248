// Existing subnets keep their tier in the type: subnets declared as the database tier cannot
// run Fargate tasks (app tier) or an internet-facing load balancer (public tier), even though
// they are only ids.
use constructs::blocks::ec2::{Database, SubnetGroup, VpcRef};
use constructs::fargate::{
    AlbListener, AlbPlacement, AlbProps, Container, ContainerImage, FargateServiceProps,
};

fn main() {
    let database = SubnetGroup::<Database>::from_ids(["subnet-0a1b2c3d", "subnet-4e5f6a7b"]);
    let _props = FargateServiceProps::new(
        VpcRef::from_id("vpc-0123456789abcdef0"),
        &database,
        AlbProps::new(
            AlbPlacement::InternetFacing(database.clone()),
            AlbListener::plain_http(),
        ),
        Container::new("web", ContainerImage::ecr("web", "1.4.2"), 8080),
    );
}
