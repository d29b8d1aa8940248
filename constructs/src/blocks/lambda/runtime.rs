//! Lambda runtimes and architectures.

/// A Lambda runtime that is current: none of these is deprecated, so choosing a variant can
/// never give a function a runtime Lambda has stopped patching.
///
/// The list follows Lambda's runtime lifecycle as cfn-lint ships it
/// (`cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json`). A runtime newer than this list is
/// written with [`Runtime::Other`], which is checked against the known deprecated names at
/// synth (code `deprecated-runtime`).
///
/// An [`Runtime::Other`] identifier must be one the resource schema knows
/// ([`KNOWN_RUNTIMES`]), so a typo such as `pyhton3.13` is caught at synth (code
/// `unknown-runtime`) rather than by CloudFormation.
///
/// ```
/// use constructs::blocks::lambda::Runtime;
///
/// assert_eq!(Runtime::Python313.name(), "python3.13");
/// assert_eq!(Runtime::Other("nodejs26.x".into()).name(), "nodejs26.x");
/// assert!(Runtime::Other("nodejs16.x".into()).is_deprecated());
/// assert!(!Runtime::Other("pyhton3.13".into()).is_known());
/// assert!(Runtime::Nodejs22.supports_inline_code());
/// assert!(!Runtime::Java21.supports_inline_code());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Runtime {
    /// `nodejs24.x`
    Nodejs24,
    /// `nodejs22.x`
    Nodejs22,
    /// `python3.14`
    Python314,
    /// `python3.13`
    Python313,
    /// `python3.12`
    Python312,
    /// `python3.11`
    Python311,
    /// `java25`
    Java25,
    /// `java21`
    Java21,
    /// `java17`
    Java17,
    /// `java11`
    Java11,
    /// `dotnet10`
    Dotnet10,
    /// `ruby4.0`
    Ruby40,
    /// `ruby3.4`
    Ruby34,
    /// `ruby3.3`
    Ruby33,
    /// `provided.al2023` (OS-only: Rust, Go, or any custom runtime).
    ProvidedAl2023,
    /// Any other runtime by its Lambda identifier: the escape hatch for runtimes newer than this
    /// list. A deprecated identifier is an error at synth.
    Other(String),
}

/// Runtime identifiers Lambda has deprecated, as of the lifecycle data this list follows.
pub const DEPRECATED_RUNTIMES: &[&str] = &[
    "dotnet6",
    "dotnet8",
    "dotnet9",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "go1.x",
    "java8",
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "provided",
    "provided.al2",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "python3.10",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
];

/// Every runtime identifier `AWS::Lambda::Function.Runtime` accepts, as the vendored resource
/// schema lists them (deprecated ones included: [`DEPRECATED_RUNTIMES`] says which).
pub const KNOWN_RUNTIMES: &[&str] = &[
    "dotnet10",
    "dotnet6",
    "dotnet8",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "go1.x",
    "java11",
    "java11.al2023",
    "java17",
    "java17.al2023",
    "java21",
    "java25",
    "java8",
    "java8.al2",
    "java8.al2023",
    "nodejs",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "nodejs20.x",
    "nodejs22.x",
    "nodejs24.x",
    "nodejs26.x",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "provided",
    "provided.al2",
    "provided.al2023",
    "python2.7",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "python3.15",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "ruby3.3",
    "ruby3.4",
    "ruby4.0",
];

impl Runtime {
    /// The identifier Lambda knows the runtime by, such as `python3.13`.
    pub fn name(&self) -> &str {
        match self {
            Runtime::Nodejs24 => "nodejs24.x",
            Runtime::Nodejs22 => "nodejs22.x",
            Runtime::Python314 => "python3.14",
            Runtime::Python313 => "python3.13",
            Runtime::Python312 => "python3.12",
            Runtime::Python311 => "python3.11",
            Runtime::Java25 => "java25",
            Runtime::Java21 => "java21",
            Runtime::Java17 => "java17",
            Runtime::Java11 => "java11",
            Runtime::Dotnet10 => "dotnet10",
            Runtime::Ruby40 => "ruby4.0",
            Runtime::Ruby34 => "ruby3.4",
            Runtime::Ruby33 => "ruby3.3",
            Runtime::ProvidedAl2023 => "provided.al2023",
            Runtime::Other(name) => name,
        }
    }

    /// Whether Lambda has deprecated this runtime (only possible for [`Runtime::Other`]).
    pub fn is_deprecated(&self) -> bool {
        DEPRECATED_RUNTIMES.contains(&self.name())
    }

    /// Whether the resource schema knows this identifier (always true but for a
    /// [`Runtime::Other`] that is misspelt or newer than the vendored schema).
    pub fn is_known(&self) -> bool {
        KNOWN_RUNTIMES.contains(&self.name())
    }

    /// Whether CloudFormation can take this runtime's code inline (`Code.ZipFile`): only
    /// Node.js and Python, per the schema's `ZipFile` documentation.
    pub fn supports_inline_code(&self) -> bool {
        let name = self.name();
        name.starts_with("nodejs") || name.starts_with("python")
    }
}

/// The instruction set a function runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Architecture {
    /// Graviton (`arm64`): the default, cheaper per GB-second.
    #[default]
    Arm64,
    /// `x86_64`.
    X86_64,
}

impl Architecture {
    /// The identifier Lambda knows the architecture by.
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Arm64 => "arm64",
            Architecture::X86_64 => "x86_64",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_named_runtime_is_deprecated() {
        for runtime in [
            Runtime::Nodejs24,
            Runtime::Nodejs22,
            Runtime::Python314,
            Runtime::Python313,
            Runtime::Python312,
            Runtime::Python311,
            Runtime::Java25,
            Runtime::Java21,
            Runtime::Java17,
            Runtime::Java11,
            Runtime::Dotnet10,
            Runtime::Ruby40,
            Runtime::Ruby34,
            Runtime::Ruby33,
            Runtime::ProvidedAl2023,
        ] {
            assert!(!runtime.is_deprecated(), "{}", runtime.name());
        }
    }

    #[test]
    fn known_runtimes_are_the_schemas() {
        let schema: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../codegen/schemas/aws-lambda-function.json"
        ))
        .unwrap();
        let names: Vec<&str> = schema["properties"]["Runtime"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(names, KNOWN_RUNTIMES);
    }

    #[test]
    fn deprecated_names_are_caught_through_the_escape_hatch() {
        assert!(Runtime::Other("nodejs20.x".into()).is_deprecated());
        assert!(Runtime::Other("python3.9".into()).is_deprecated());
        assert!(!Runtime::Other("python3.15".into()).is_deprecated());
    }
}
