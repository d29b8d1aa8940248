//! Rendering with a size limit: a template too large to deploy is refused as soon as its
//! text passes the limit, never rendered whole first.
//!
//! CloudFormation takes a template body of at most 1 MB, and only through S3
//! ([`MAX_BODY_BYTES`]); a template that nests and repeats can render to far more text than
//! the app holds (a value 127 levels deep is indented by up to 254 spaces on every line), so
//! rendering it whole just to measure it could take gigabytes.

use std::io;

/// The largest template body CloudFormation accepts, in bytes: 1 MB, passed through S3
/// (`TemplateURL`); inline bodies stop at [`INLINE_BODY_LIMIT`](super::INLINE_BODY_LIMIT).
pub(crate) const MAX_BODY_BYTES: usize = 1_048_576;

/// The rendering passed its limit and was stopped there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OverLimit;

/// Appends to a buffer, refusing any write that would take it past `limit` bytes.
pub(crate) struct Limited<'a> {
    out: &'a mut Vec<u8>,
    limit: usize,
}

impl<'a> Limited<'a> {
    pub fn new(out: &'a mut Vec<u8>, limit: usize) -> Self {
        Self { out, limit }
    }
}

impl io::Write for Limited<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.out.len().saturating_add(buf.len()) > self.limit {
            return Err(io::Error::other("over the size limit"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Counts the bytes written, keeping none, refusing to count past `limit`.
pub(crate) struct Counter {
    count: usize,
    limit: usize,
}

impl Counter {
    pub fn new(limit: usize) -> Self {
        Self { count: 0, limit }
    }
}

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.count = self.count.saturating_add(buf.len());
        if self.count > self.limit {
            return Err(io::Error::other("over the size limit"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_limited_buffer_never_passes_its_limit() {
        let mut out = Vec::new();
        let mut w = Limited::new(&mut out, 5);
        w.write_all(b"abc").unwrap();
        assert!(w.write_all(b"def").is_err());
        w.write_all(b"de").unwrap();
        assert_eq!(out, b"abcde");
        let mut c = Counter::new(4);
        c.write_all(b"abcd").unwrap();
        assert!(c.write_all(b"e").is_err());
    }
}
