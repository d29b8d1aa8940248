// A subnet's id passed where a VPC id belongs does not compile: references are typed by the
// resource they name.
use constructs::cfn::ec2::{Subnet, Vpc};
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("Network");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let subnet = stack.add("Subnet", Subnet::new(vpc.reference()).cidr_block("10.0.0.0/24"));
    let _ = Subnet::new(subnet.reference());
}
