//! Whole-template tests for the `constructs` crate live in `tests/`; this library is empty.
