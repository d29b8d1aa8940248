//! The optional S3 source: a bucket that sends its events to EventBridge.

/// The choices of a source bucket of an [`EventPipeline`](super::EventPipeline).
///
/// The bucket always has EventBridge notifications on, every kind of public access blocked,
/// default encryption (SSE-S3), ACLs disabled, versioning on, a policy denying requests
/// without TLS, and is retained when it leaves the stack.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct BucketProps {
    pub(crate) versioned: bool,
}

impl BucketProps {
    /// The secure defaults, versioning on.
    pub fn new() -> Self {
        Self { versioned: true }
    }

    /// Turns versioning off.
    pub fn unversioned(mut self) -> Self {
        self.versioned = false;
        self
    }
}
