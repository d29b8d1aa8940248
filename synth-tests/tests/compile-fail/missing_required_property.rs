// A security group without its required `GroupDescription` does not compile: required
// properties are constructor arguments.
use constructs::cfn::ec2::SecurityGroup;

fn main() {
    let _ = SecurityGroup::new();
}
