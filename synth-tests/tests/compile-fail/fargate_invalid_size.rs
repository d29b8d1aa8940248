// Fargate offers 1 vCPU with 2–8 GiB of memory only: asking for 9 GiB does not compile.
use constructs::fargate::{FargateSize, GiB};

fn main() {
    let _size = FargateSize::one_vcpu(GiB::<9>);
}
