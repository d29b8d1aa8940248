// `Fn::GetAtt` of an attribute the type does not have does not compile: a VPC has no `Arn`.
use constructs::cfn::ec2::Vpc;
use constructs::Stack;

fn main() {
    let mut stack = Stack::new("Network");
    let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
    let _ = vpc.att_arn();
}
