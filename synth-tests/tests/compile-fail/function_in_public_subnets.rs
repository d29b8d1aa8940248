// A function placed in a VPC runs in app-tier subnets: the public ones do not fit.
use constructs::blocks::lambda::FunctionProps;
use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("Network");
    let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    let _ = FunctionProps::python("...")
        .in_vpc(network.vpc().reference(), network.public_subnets());
}
