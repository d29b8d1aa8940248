//! A template too large to deploy is refused (`template-too-large`) without being rendered
//! whole: memory stays bounded by the 1 MB limit, whatever the template's size. This test
//! binary counts every allocation to prove it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use constructs::cfn::RawResource;
use constructs::synth::{Format, SynthOptions};
use constructs::{App, Code, Stack};

/// The system allocator, keeping the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// How many bytes `f` allocates at its peak beyond what was in use when it started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = IN_USE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let result = f();
    (result, PEAK.load(Ordering::SeqCst) - before)
}

const MIB: usize = 1 << 20;

#[test]
fn a_template_of_40_mb_is_refused_having_rendered_at_most_about_2_mb() {
    // 40 MiB of strings: rendered whole, the template would take that much again, at least.
    let mut stack = Stack::new("Huge");
    let mut raw = RawResource::new("AWS::SSM::Parameter");
    for i in 0..40 {
        raw = raw.property(
            format!("Value{i}"),
            serde_json::Value::from("x".repeat(MIB)),
        );
    }
    stack.add("Big", raw);
    let mut app = App::new();
    app.add_stack(stack);

    let dir = tempfile::tempdir().unwrap();
    for format in [Format::Json, Format::Yaml, Format::Both] {
        let options = SynthOptions {
            out_dir: dir.path().join("out"),
            format,
            check: false,
        };
        let (result, peak) = peak_of(|| app.synth(&options));
        let err = result.unwrap_err();
        assert!(err.has(Code::TemplateTooLarge), "{err}");
        assert!(err.to_string().contains("over 1,048,576 bytes"), "{err}");
        // The JSON stops at 1 MiB (its buffer at 2 MiB of capacity); the YAML's measure of
        // the JSON keeps nothing.
        assert!(peak < 4 * MIB, "{format:?}: {peak} bytes at the peak");
    }
    let (result, peak) = peak_of(|| app.assemble());
    assert!(result.unwrap_err().has(Code::TemplateTooLarge));
    assert!(peak < 4 * MIB, "assemble: {peak} bytes at the peak");
}
