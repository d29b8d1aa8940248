//! Lambda's limits, as the block checks them (through the one range checker,
//! [`Bounds`]).

use crate::blocks::limits::Bounds;

/// The smallest memory size Lambda accepts, in MB.
pub const MIN_MEMORY_MB: u32 = 128;
/// The largest memory size Lambda accepts, in MB.
pub const MAX_MEMORY_MB: u32 = 10_240;
/// The longest a function may run, in seconds.
pub const MAX_TIMEOUT_SECS: u32 = 900;
/// The longest an HTTP API waits for a Lambda integration, in seconds: a longer function
/// timeout would only let the function run on after the client got a 503.
pub const MAX_HTTP_TIMEOUT_SECS: u32 = 30;
/// The smallest `/tmp` Lambda gives a function, in MB (also its default).
pub const MIN_EPHEMERAL_STORAGE_MB: u32 = 512;
/// The largest `/tmp` Lambda gives a function, in MB.
pub const MAX_EPHEMERAL_STORAGE_MB: u32 = 10_240;
/// The most retries Lambda makes of a failed asynchronous invocation.
pub const MAX_RETRY_ATTEMPTS: u32 = 2;
/// The shortest event age asynchronous invocation accepts, in seconds.
pub const MIN_EVENT_AGE_SECS: u32 = 60;
/// The longest Lambda keeps an asynchronous event, in seconds (6 hours).
pub const MAX_EVENT_AGE_SECS: u32 = 21_600;
/// Memory sizes Lambda accepts, in MB.
pub(crate) const MEMORY_MB: Bounds<u32> = Bounds::new(MIN_MEMORY_MB, MAX_MEMORY_MB);
/// `/tmp` sizes Lambda accepts, in MB.
pub(crate) const EPHEMERAL_STORAGE_MB: Bounds<u32> =
    Bounds::new(MIN_EPHEMERAL_STORAGE_MB, MAX_EPHEMERAL_STORAGE_MB);
/// Event ages asynchronous invocation accepts, in seconds.
pub(crate) const EVENT_AGE_SECS: Bounds<u32> = Bounds::new(MIN_EVENT_AGE_SECS, MAX_EVENT_AGE_SECS);

/// The timeout of a function whose props do not set one, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u32 = 10;
