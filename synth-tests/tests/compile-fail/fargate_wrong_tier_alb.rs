// An internet-facing load balancer sits in public subnets: placing it in the app tier does not
// compile (an internal one would be `AlbPlacement::Internal`).
use constructs::fargate::AlbPlacement;
use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("Web");
    let network = VpcThreeTier::new(&mut stack, "Network", VpcThreeTierProps::new("10.0.0.0/16"));
    let _placement = AlbPlacement::InternetFacing(network.app_subnets().clone());
}
