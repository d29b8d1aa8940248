//! Fargate task sizes: only the CPU and memory pairs Fargate offers.
//!
//! The typed constructors take the memory as a type, so a pair that is not in Fargate's table
//! does not compile: `FargateSize::one_vcpu(GiB::<4>)` is fine, `FargateSize::one_vcpu(GiB::<9>)`
//! is a type error naming the sizes 1 vCPU takes. Sizes that arrive at run time (a config file,
//! a CLI flag) go through [`FargateSize::try_new`], whose error has the stable code
//! `invalid-fargate-size`.

use std::fmt;

use crate::diagnostics::{Code, DomainError};

/// A CPU and memory pair from Fargate's table.
///
/// ```
/// use constructs::fargate::{FargateSize, GiB, HalfGiB};
/// use constructs::DomainError;
///
/// let small = FargateSize::quarter_vcpu(HalfGiB);
/// assert_eq!((small.cpu_units(), small.memory_mib()), (256, 512));
/// let web = FargateSize::one_vcpu(GiB::<4>);
/// assert_eq!((web.cpu_units(), web.memory_mib()), (1024, 4096));
///
/// // From run-time input: checked against the same table.
/// assert_eq!(FargateSize::try_new(1024, 4096).unwrap(), web);
/// let err = FargateSize::try_new(1024, 9216).unwrap_err();
/// assert_eq!(err.code().as_str(), "invalid-fargate-size");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FargateSize {
    cpu_units: u32,
    memory_mib: u32,
}

mod sealed {
    pub trait Sealed {}
}

/// Memory of `N` GiB, for the typed [`FargateSize`] constructors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GiB<const N: u32>;

/// Half a GiB (512 MiB), the smallest Fargate memory; only 0.25 vCPU takes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HalfGiB;

impl<const N: u32> sealed::Sealed for GiB<N> {}
impl sealed::Sealed for HalfGiB {}

/// An amount of memory. Implemented only by [`GiB`] and [`HalfGiB`].
pub trait Memory: sealed::Sealed {
    /// The amount in MiB.
    const MIB: u32;
}

impl<const N: u32> Memory for GiB<N> {
    const MIB: u32 = N * 1024;
}
impl Memory for HalfGiB {
    const MIB: u32 = 512;
}

macro_rules! cpu_memory_trait {
    ($(#[$doc:meta])* $name:ident, $message:literal, $note:literal) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(
            message = $message,
            label = "not in Fargate's table for this CPU",
            note = $note
        )]
        pub trait $name: Memory {}
    };
}

cpu_memory_trait!(
    /// Memory Fargate offers with 0.25 vCPU: 0.5, 1 or 2 GiB.
    QuarterVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 0.25 vCPU",
    "0.25 vCPU takes HalfGiB, GiB<1> or GiB<2>"
);
cpu_memory_trait!(
    /// Memory Fargate offers with 0.5 vCPU: 1–4 GiB.
    HalfVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 0.5 vCPU",
    "0.5 vCPU takes GiB<1> to GiB<4>"
);
cpu_memory_trait!(
    /// Memory Fargate offers with 1 vCPU: 2–8 GiB.
    OneVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 1 vCPU",
    "1 vCPU takes GiB<2> to GiB<8>"
);
cpu_memory_trait!(
    /// Memory Fargate offers with 2 vCPU: 4–16 GiB.
    TwoVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 2 vCPU",
    "2 vCPU takes GiB<4> to GiB<16>"
);
cpu_memory_trait!(
    /// Memory Fargate offers with 4 vCPU: 8–30 GiB in 1 GiB steps.
    FourVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 4 vCPU",
    "4 vCPU takes GiB<8> to GiB<30>"
);
cpu_memory_trait!(
    /// Memory Fargate offers with 8 vCPU: 16–60 GiB in 4 GiB steps.
    EightVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 8 vCPU",
    "8 vCPU takes GiB<16> to GiB<60> in steps of 4"
);
cpu_memory_trait!(
    /// Memory Fargate offers with 16 vCPU: 32–120 GiB in 8 GiB steps.
    SixteenVcpuMemory,
    "`{Self}` is not a memory size Fargate offers with 16 vCPU",
    "16 vCPU takes GiB<32> to GiB<120> in steps of 8"
);

macro_rules! allow {
    ($name:ident: $($n:literal),*) => { $(impl $name for GiB<$n> {})* };
}

impl QuarterVcpuMemory for HalfGiB {}
allow!(QuarterVcpuMemory: 1, 2);
allow!(HalfVcpuMemory: 1, 2, 3, 4);
allow!(OneVcpuMemory: 2, 3, 4, 5, 6, 7, 8);
allow!(TwoVcpuMemory: 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
allow!(FourVcpuMemory: 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30);
allow!(EightVcpuMemory: 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60);
allow!(SixteenVcpuMemory: 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120);

/// Fargate's table: CPU units, then the smallest and largest memory and the step, in MiB.
const TABLE: &[(u32, u32, u32, u32)] = &[
    (256, 512, 2048, 0), // 0.5, 1, 2 GiB: listed by `memory_options`
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

impl FargateSize {
    /// 0.25 vCPU with 0.5, 1 or 2 GiB.
    pub fn quarter_vcpu<M: QuarterVcpuMemory>(_memory: M) -> Self {
        Self::of(256, M::MIB)
    }
    /// 0.5 vCPU with 1–4 GiB.
    pub fn half_vcpu<M: HalfVcpuMemory>(_memory: M) -> Self {
        Self::of(512, M::MIB)
    }
    /// 1 vCPU with 2–8 GiB.
    pub fn one_vcpu<M: OneVcpuMemory>(_memory: M) -> Self {
        Self::of(1024, M::MIB)
    }
    /// 2 vCPU with 4–16 GiB.
    pub fn two_vcpu<M: TwoVcpuMemory>(_memory: M) -> Self {
        Self::of(2048, M::MIB)
    }
    /// 4 vCPU with 8–30 GiB.
    pub fn four_vcpu<M: FourVcpuMemory>(_memory: M) -> Self {
        Self::of(4096, M::MIB)
    }
    /// 8 vCPU with 16–60 GiB in 4 GiB steps.
    pub fn eight_vcpu<M: EightVcpuMemory>(_memory: M) -> Self {
        Self::of(8192, M::MIB)
    }
    /// 16 vCPU with 32–120 GiB in 8 GiB steps.
    pub fn sixteen_vcpu<M: SixteenVcpuMemory>(_memory: M) -> Self {
        Self::of(16384, M::MIB)
    }

    const fn of(cpu_units: u32, memory_mib: u32) -> Self {
        Self {
            cpu_units,
            memory_mib,
        }
    }

    /// A size from CPU units (1024 per vCPU) and memory in MiB given at run time, checked
    /// against Fargate's table.
    pub fn try_new(cpu_units: u32, memory_mib: u32) -> Result<Self, FargateSizeError> {
        match Self::memory_options(cpu_units) {
            Some(options) if options.contains(&memory_mib) => Ok(Self::of(cpu_units, memory_mib)),
            _ => Err(FargateSizeError {
                cpu_units,
                memory_mib,
            }),
        }
    }

    /// The memory sizes (MiB) Fargate offers with `cpu_units`, or `None` for a CPU value it
    /// does not offer.
    pub fn memory_options(cpu_units: u32) -> Option<Vec<u32>> {
        let &(_, min, max, step) = TABLE.iter().find(|row| row.0 == cpu_units)?;
        if step == 0 {
            return Some(vec![512, 1024, 2048]);
        }
        Some((min..=max).step_by(step as usize).collect())
    }

    /// CPU units (1024 per vCPU), as the task definition's `Cpu` takes them.
    pub const fn cpu_units(&self) -> u32 {
        self.cpu_units
    }

    /// Memory in MiB, as the task definition's `Memory` takes it.
    pub const fn memory_mib(&self) -> u32 {
        self.memory_mib
    }
}

impl Default for FargateSize {
    /// 0.25 vCPU with 0.5 GiB, the smallest size.
    fn default() -> Self {
        Self::quarter_vcpu(HalfGiB)
    }
}

/// A CPU and memory pair that is not in Fargate's table: a [`DomainError`] with the code
/// [`Code::InvalidFargateSize`] and a hint listing what Fargate offers instead.
///
/// ```
/// use constructs::fargate::FargateSize;
/// use constructs::{Code, DomainError};
///
/// let err = FargateSize::try_new(1024, 512).unwrap_err();
/// assert_eq!(err.code(), Code::InvalidFargateSize);
/// assert!(err.hint().unwrap().contains("2048"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FargateSizeError {
    /// The CPU units asked for.
    pub cpu_units: u32,
    /// The memory asked for, in MiB.
    pub memory_mib: u32,
}

impl DomainError for FargateSizeError {
    /// The stable code, `invalid-fargate-size`.
    fn code(&self) -> Code {
        Code::InvalidFargateSize
    }

    /// What Fargate offers instead.
    fn hint(&self) -> Option<String> {
        Some(match FargateSize::memory_options(self.cpu_units) {
            Some(options) => {
                let list: Vec<String> = options.iter().map(u32::to_string).collect();
                format!(
                    "with {} CPU units Fargate offers these memory sizes (MiB): {}",
                    self.cpu_units,
                    list.join(", ")
                )
            }
            None => {
                let list: Vec<String> = TABLE.iter().map(|row| row.0.to_string()).collect();
                format!("Fargate offers these CPU units: {}", list.join(", "))
            }
        })
    }
}

impl fmt::Display for FargateSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Fargate has no task size of {} CPU units with {} MiB of memory",
            self.cpu_units, self.memory_mib
        )
    }
}

impl std::error::Error for FargateSizeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_documented_pair_and_no_other() {
        let total: usize = TABLE
            .iter()
            .map(|row| FargateSize::memory_options(row.0).unwrap().len())
            .sum();
        assert_eq!(total, 3 + 4 + 7 + 13 + 23 + 12 + 12);
        assert!(FargateSize::try_new(256, 512).is_ok());
        assert!(FargateSize::try_new(256, 3072).is_err());
        assert!(FargateSize::try_new(4096, 30720).is_ok());
        assert!(FargateSize::try_new(8192, 18432).is_err());
        assert!(FargateSize::try_new(16384, 122880).is_ok());
        assert!(FargateSize::try_new(300, 512).is_err());
    }

    #[test]
    fn typed_sizes_agree_with_the_table() {
        for size in [
            FargateSize::quarter_vcpu(HalfGiB),
            FargateSize::quarter_vcpu(GiB::<2>),
            FargateSize::half_vcpu(GiB::<4>),
            FargateSize::one_vcpu(GiB::<2>),
            FargateSize::two_vcpu(GiB::<16>),
            FargateSize::four_vcpu(GiB::<30>),
            FargateSize::eight_vcpu(GiB::<60>),
            FargateSize::sixteen_vcpu(GiB::<32>),
        ] {
            assert_eq!(
                FargateSize::try_new(size.cpu_units(), size.memory_mib()),
                Ok(size)
            );
        }
    }

    #[test]
    fn errors_say_what_fits() {
        let hint = |err: FargateSizeError| err.hint().unwrap();
        let err = FargateSize::try_new(1024, 512).unwrap_err();
        assert!(hint(err).contains("2048, 3072"), "{}", hint(err));
        let err = FargateSize::try_new(3000, 4096).unwrap_err();
        assert!(hint(err).contains("256, 512, 1024"), "{}", hint(err));
        assert_eq!(err.to_diagnostic("S/F").code, Code::InvalidFargateSize);
    }
}
