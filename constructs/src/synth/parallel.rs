//! Splitting per-stack work between two threads, keeping the results in stack order.
//!
//! Synth's work is per stack and reads only the app, so it splits cleanly. Two threads, because
//! that is what the machines synth is measured on have; the results come back in order, so the
//! output never depends on the split.

use std::ops::Range;

/// `f` of every index in `range`, in order, computed on this thread and one other for ranges
/// of at least `min_split` indexes (on this thread alone when no thread can be started).
pub(crate) fn map_in_order<T: Send>(
    range: Range<usize>,
    min_split: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    if range.len() < min_split.max(2) {
        return range.map(&f).collect();
    }
    let mid = range.start + range.len() / 2;
    let (first, second) = (range.start..mid, mid..range.end);
    std::thread::scope(|scope| {
        let f = &f;
        let theirs = second.clone();
        let other = std::thread::Builder::new()
            .spawn_scoped(scope, move || theirs.map(f).collect::<Vec<T>>());
        let mut results: Vec<T> = first.map(f).collect();
        match other {
            Ok(other) => match other.join() {
                Ok(rest) => results.extend(rest),
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => results.extend(second.map(f)),
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_keep_the_order_of_the_range_whether_split_or_not() {
        let expected: Vec<usize> = (3..40).map(|i| i * i).collect();
        assert_eq!(map_in_order(3..40, 1000, |i| i * i), expected);
        assert_eq!(map_in_order(3..40, 2, |i| i * i), expected);
        assert!(map_in_order(0..0, 2, |i| i).is_empty());
        assert_eq!(map_in_order(5..6, 0, |i| i), vec![5]);
    }
}
