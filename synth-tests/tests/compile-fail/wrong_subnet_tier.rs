// Subnet groups carry their tier in the type: code that must place tasks in private app subnets
// cannot be handed the public ones.
use constructs::network::{App, SubnetGroup, VpcThreeTier, VpcThreeTierProps};
use constructs::Stack;

fn place_tasks(_subnets: &SubnetGroup<App>) {}

fn main() {
    let mut stack = Stack::new("Network");
    let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    place_tasks(network.public_subnets());
}
