// A bare string is not a VPC id: external ids must be wrapped on purpose with
// `Value::unchecked`, so a typo'd or misplaced literal does not slip through.
use constructs::cfn::ec2::Subnet;

fn main() {
    let _ = Subnet::new("vpc-0123456789abcdef0");
}
