//! Queues: standard or FIFO, always encrypted, each with its dead-letter queue.

use super::error::{all, in_range, PipelineError};
use crate::cfn::kms::Key;
use crate::diagnostics::Code;
use crate::Handle;

/// Seconds a dead-letter queue keeps messages: 14 days, the most SQS allows.
pub const DEAD_LETTER_RETENTION_SECONDS: u32 = 1_209_600;

/// How a queue's messages are encrypted at rest.
#[derive(Clone, Debug, Default)]
pub enum QueueEncryption {
    /// SQS-managed keys (SSE-SQS): no key to manage, and EventBridge and SNS can send to it.
    #[default]
    SqsManaged,
    /// A customer managed KMS key (SSE-KMS). Consumers are granted `kms:Decrypt` on it; its key
    /// policy must let the senders (`events.amazonaws.com`, `sns.amazonaws.com`) use it.
    Kms(Handle<Key>),
}

/// The choices of one queue of an [`EventPipeline`](super::EventPipeline).
///
/// ```
/// use constructs::pipeline::QueueProps;
///
/// let orders = QueueProps::standard().retention_seconds(4 * 24 * 3600).max_receive_count(5);
/// let ledger = QueueProps::fifo().name("ledger.fifo").content_based_deduplication();
/// # let _ = (orders, ledger);
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct QueueProps {
    pub(crate) fifo: bool,
    pub(crate) content_based_deduplication: bool,
    pub(crate) name: Option<String>,
    pub(crate) visibility_timeout: Option<u32>,
    pub(crate) retention: u32,
    pub(crate) max_receive_count: u32,
    pub(crate) encryption: QueueEncryption,
}

impl QueueProps {
    /// A standard queue: SQS-managed encryption, messages kept 4 days, moved to the
    /// dead-letter queue after 3 receives, visibility timeout six times the longest timeout of
    /// the functions that consume it (at least 30 s).
    pub fn standard() -> Self {
        Self {
            fifo: false,
            content_based_deduplication: false,
            name: None,
            visibility_timeout: None,
            retention: 345_600,
            max_receive_count: 3,
            encryption: QueueEncryption::SqsManaged,
        }
    }

    /// A FIFO queue (its dead-letter queue is FIFO too); otherwise as [`standard`](Self::standard).
    pub fn fifo() -> Self {
        Self {
            fifo: true,
            ..Self::standard()
        }
    }

    /// A physical name (1–80 letters, digits, `-` and `_`, ending `.fifo` for a FIFO queue).
    /// By default the name is `<stack name>-<logical id>`, so the dead-letter queue's
    /// redrive-allow policy can name it without a circular reference.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Deduplicate by a hash of the body (FIFO queues only).
    pub fn content_based_deduplication(mut self) -> Self {
        self.content_based_deduplication = true;
        self
    }

    /// The visibility timeout (0–43,200 s); it must be at least six times the timeout of
    /// every function consuming the queue.
    pub fn visibility_timeout_seconds(mut self, seconds: u32) -> Self {
        self.visibility_timeout = Some(seconds);
        self
    }

    /// How long messages are kept (60–1,209,600 s).
    pub fn retention_seconds(mut self, seconds: u32) -> Self {
        self.retention = seconds;
        self
    }

    /// Receives before a message moves to the dead-letter queue (1–1,000; default 3).
    pub fn max_receive_count(mut self, count: u32) -> Self {
        self.max_receive_count = count;
        self
    }

    /// Encrypts with a customer managed KMS key instead of SQS-managed keys.
    pub fn kms_key(mut self, key: &Handle<Key>) -> Self {
        self.encryption = QueueEncryption::Kms(key.clone());
        self
    }

    /// Checks every setting that does not depend on the rest of the pipeline, reporting each
    /// problem.
    ///
    /// ```
    /// use constructs::pipeline::QueueProps;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = QueueProps::standard().retention_seconds(30).name("orders.fifo").validate().unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::QueueSettingOutOfRange, Code::FifoMismatch]);
    /// ```
    pub fn validate(&self) -> Result<(), Vec<PipelineError>> {
        let code = Code::QueueSettingOutOfRange;
        let mut problems = Vec::new();
        if let Some(v) = self.visibility_timeout {
            problems.extend(in_range(code, "the visibility timeout", v.into(), 0, 43_200).err());
        }
        problems.extend(
            in_range(
                code,
                "the retention period",
                self.retention.into(),
                60,
                1_209_600,
            )
            .err(),
        );
        problems.extend(
            in_range(
                code,
                "maxReceiveCount",
                self.max_receive_count.into(),
                1,
                1_000,
            )
            .err(),
        );
        if self.content_based_deduplication && !self.fifo {
            problems.push(PipelineError::new(
                Code::FifoMismatch,
                "content-based deduplication is for FIFO queues only",
            ));
        }
        if let Some(name) = &self.name {
            problems.extend(check_name(name, self.fifo));
        }
        all(problems)
    }
}

/// What is wrong with a queue name: it must be 1–80 characters of letters, digits, `-` and
/// `_`, with the `.fifo` suffix exactly when the queue is FIFO.
pub(crate) fn check_name(name: &str, fifo: bool) -> Vec<PipelineError> {
    let mut problems = Vec::new();
    let base = name.strip_suffix(".fifo");
    if fifo != base.is_some() {
        let message = if fifo {
            format!("FIFO queue name `{name}` must end in `.fifo`")
        } else {
            format!("`{name}` ends in `.fifo` but the queue is standard")
        };
        problems.push(PipelineError::new(Code::FifoMismatch, message));
    }
    let base = base.unwrap_or(name);
    let valid = !base.is_empty()
        && name.len() <= 80
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        problems.push(PipelineError::new(
            Code::QueueSettingOutOfRange,
            format!("`{name}` is not a queue name (1–80 letters, digits, `-`, `_`)"),
        ));
    } else if fifo && base.len() + DLQ_FIFO_SUFFIX.len() > 80 {
        // A named FIFO queue's dead-letter queue is `<base>-dlq.fifo`, which must fit too. Not
        // said of a name that is already too long: that would be the same problem twice.
        problems.push(PipelineError::new(
            Code::QueueSettingOutOfRange,
            format!(
                "`{name}` leaves no room for its dead-letter queue `{base}{DLQ_FIFO_SUFFIX}` \
                 (queue names are at most 80 characters)"
            ),
        ));
    }
    problems
}

/// What a named FIFO queue's dead-letter queue adds to the queue's base name.
pub(crate) const DLQ_FIFO_SUFFIX: &str = "-dlq.fifo";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    /// The code of the one problem of `props`.
    fn code(props: QueueProps) -> Code {
        let errors = props.validate().unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors[0].code()
    }

    #[test]
    fn ranges_and_names_are_checked() {
        assert!(QueueProps::standard().validate().is_ok());
        assert!(QueueProps::fifo()
            .name("a-b_c.fifo")
            .content_based_deduplication()
            .validate()
            .is_ok());
        let out = Code::QueueSettingOutOfRange;
        assert_eq!(
            code(QueueProps::standard().visibility_timeout_seconds(43_201)),
            out
        );
        assert_eq!(code(QueueProps::standard().retention_seconds(59)), out);
        assert_eq!(
            code(QueueProps::standard().retention_seconds(1_209_601)),
            out
        );
        assert_eq!(code(QueueProps::standard().max_receive_count(0)), out);
        assert_eq!(code(QueueProps::standard().max_receive_count(1_001)), out);
        assert_eq!(code(QueueProps::standard().name("a b")), out);
        assert_eq!(code(QueueProps::standard().name("x".repeat(81))), out);
        assert_eq!(code(QueueProps::fifo().name(".fifo")), out);
        // 71 + `-dlq.fifo` is 80; 72 would make the dead-letter queue's name 81.
        let fifo_name = |base: usize| {
            QueueProps::fifo()
                .name(format!("{}.fifo", "q".repeat(base)))
                .content_based_deduplication()
        };
        assert!(fifo_name(71).validate().is_ok());
        assert_eq!(code(fifo_name(72)), out);
        let fifo = Code::FifoMismatch;
        assert_eq!(code(QueueProps::fifo().name("orders")), fifo);
        assert_eq!(code(QueueProps::standard().name("orders.fifo")), fifo);
        assert_eq!(
            code(QueueProps::standard().content_based_deduplication()),
            fifo
        );
    }

    #[test]
    fn every_problem_of_a_queue_is_reported() {
        let bad = QueueProps::standard()
            .visibility_timeout_seconds(50_000)
            .retention_seconds(30)
            .max_receive_count(0)
            .content_based_deduplication()
            .name("orders queue.fifo");
        let errors = bad.validate().unwrap_err();
        let codes: Vec<Code> = errors.iter().map(DomainError::code).collect();
        let out = Code::QueueSettingOutOfRange;
        let fifo = Code::FifoMismatch;
        assert_eq!(codes, [out, out, out, fifo, fifo, out]);
    }
}
