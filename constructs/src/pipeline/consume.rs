//! How pipeline functions read queues: [`ConsumeProps`].

use super::error::{PipelineError, MAX_BATCHING_WINDOW, MAX_CONCURRENCY};
use crate::blocks::limits::Bounds;
use crate::diagnostics::all_problems;

/// How a function reads a queue: the event source mapping's settings.
///
/// ```
/// use constructs::pipeline::ConsumeProps;
/// use constructs::{Code, DomainError};
///
/// assert!(ConsumeProps::new().batch_size(100).batching_window_secs(5).validate(false).is_ok());
/// // More than 10 messages per batch needs a batching window.
/// assert_eq!(ConsumeProps::new().batch_size(100).validate(false).unwrap_err()[0].code(), Code::BatchingOutOfRange);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct ConsumeProps {
    pub(crate) batch_size: u32,
    pub(crate) batching_window: Option<u32>,
    pub(crate) max_concurrency: Option<u32>,
}

impl ConsumeProps {
    /// Batches of 10, no batching window, no concurrency cap; failed messages are reported one
    /// by one (`ReportBatchItemFailures`).
    pub fn new() -> Self {
        Self {
            batch_size: 10,
            batching_window: None,
            max_concurrency: None,
        }
    }

    /// Messages per batch: 1–10, or up to 10,000 with a batching window (standard queues).
    pub fn batch_size(mut self, size: u32) -> Self {
        self.batch_size = size;
        self
    }

    /// Seconds to gather a batch (0–300; standard queues only).
    pub fn batching_window_secs(mut self, secs: u32) -> Self {
        self.batching_window = Some(secs);
        self
    }

    /// The most concurrent invocations this queue may cause (2–1,000).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// Checks the ranges, for a FIFO queue when `fifo`, reporting every one that is off.
    ///
    /// ```
    /// use constructs::pipeline::ConsumeProps;
    /// use constructs::{Code, DomainError};
    ///
    /// let errors = ConsumeProps::new().batch_size(0).max_concurrency(1).validate(false).unwrap_err();
    /// let codes: Vec<Code> = errors.iter().map(|e| e.code()).collect();
    /// assert_eq!(codes, [Code::BatchingOutOfRange, Code::MaxConcurrencyOutOfRange]);
    /// ```
    pub fn validate(&self, fifo: bool) -> Result<(), Vec<PipelineError>> {
        let mut problems = Vec::new();
        if let Some(secs) = self.batching_window {
            if fifo {
                problems.push(PipelineError::BatchingWindowOnFifo);
            }
            if secs > MAX_BATCHING_WINDOW {
                problems.push(PipelineError::BatchingWindowOutOfRange { secs });
            }
        }
        let windowed = self.batching_window.is_some_and(|w| w > 0);
        let max = if windowed { 10_000 } else { 10 };
        if !Bounds::new(1, max).contains(self.batch_size) {
            problems.push(PipelineError::BatchSizeOutOfRange {
                size: self.batch_size,
                max,
            });
        }
        if let Some(concurrency) = self.max_concurrency {
            if !MAX_CONCURRENCY.contains(concurrency) {
                problems.push(PipelineError::MaxConcurrencyOutOfRange { concurrency });
            }
        }
        all_problems(problems)
    }
}

impl Default for ConsumeProps {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, DomainError};

    #[test]
    fn batching_ranges() {
        let c = ConsumeProps::new;
        for ok in [
            c().batch_size(1),
            c().batch_size(10),
            c().batch_size(10_000).batching_window_secs(300),
            c().batching_window_secs(0),
            c().max_concurrency(2),
            c().max_concurrency(1_000),
        ] {
            assert!(ok.validate(false).is_ok(), "{ok:?}");
        }
        let batching = Code::BatchingOutOfRange;
        let codes = |props: ConsumeProps, fifo: bool| -> Vec<Code> {
            let errors = props.validate(fifo).unwrap_err();
            errors.iter().map(DomainError::code).collect()
        };
        for bad in [
            c().batch_size(0),
            c().batch_size(11),
            c().batch_size(11).batching_window_secs(0),
            c().batch_size(10_001).batching_window_secs(1),
            c().batching_window_secs(301),
        ] {
            assert_eq!(codes(bad, false), [batching], "{bad:?}");
        }
        assert_eq!(codes(c().batching_window_secs(1), true), [batching]);
        for bad in [c().max_concurrency(1), c().max_concurrency(1_001)] {
            assert_eq!(codes(bad, false), [Code::MaxConcurrencyOutOfRange]);
        }
    }

    #[test]
    fn every_setting_out_of_range_is_reported() {
        let bad = ConsumeProps::new()
            .batch_size(20_000)
            .batching_window_secs(301)
            .max_concurrency(1);
        let errors = bad.validate(true).unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        assert_eq!(
            messages,
            [
                "FIFO queues take no batching window",
                "the batching window is 301; it must be from 0 to 300",
                "the batch size is 20000; it must be from 1 to 10000",
                "the maximum concurrency is 1; it must be from 2 to 1000",
            ]
        );
    }
}
