//! Synth benchmark (issue 9): wall time and peak memory of
//!
//! - (a) the `full_stack` app: build the app, assemble (validation on) and write the files;
//! - (b) a generated app of N copies of the four patterns (VpcThreeTier, FargateService,
//!   ServerlessApi, EventPipeline), laid out as `full_stack` lays them out: one network stack
//!   and service, API and pipeline stacks, the service importing the network across stacks;
//! - (c) the floor: `serde_json::to_string_pretty` of the same, already built, templates.
//!
//! `cargo bench -p examples --bench synth` runs every case (add `-- quick` for fewer repeats).
//! Times are the median and minimum of repeats after a warm-up. Peak memory is measured per case
//! in a child process (this binary re-run with `--child CASE`), which reads its own `VmHWM`
//! from `/proc/self/status` (Linux). The output is Markdown, ready for BENCHMARKS.md.
//!
//! No assertions: targets are reported, never enforced.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use constructs::network::{VpcThreeTier, VpcThreeTierProps};
use constructs::synth::{Format, SynthOptions};
use constructs::{App, Stack, Template};

const MIB: f64 = 1024.0 * 1024.0;
/// The N of case (b).
const SIZES: [usize; 4] = [1, 10, 100, 500];

// ---------------------------------------------------------------------------------------------
// The apps
// ---------------------------------------------------------------------------------------------

/// The app of case (a).
fn full_stack_app() -> App {
    examples::full_stack::app()
}

/// The generated app of case (b): `n` copies of the four patterns, `4 * n` stacks.
fn generated_app(n: usize) -> App {
    generated_app_tagged(n, "bench")
}

/// [`generated_app`] with every stack tagged `project: {project}`: another value changes every
/// template.
fn generated_app_tagged(n: usize, project: &str) -> App {
    let mut app = App::new();
    for i in 1..=n {
        add_copy(&mut app, &format!("{i:04}"), project);
    }
    app
}

/// Case (b) read literally as "N stacks, each holding one of each pattern": the same four
/// patterns per copy, all in one stack `Shop{i}`, so no cross-stack references.
fn one_stack_app(n: usize) -> App {
    let mut app = App::new();
    for i in 1..=n {
        let mut stack = Stack::new(format!("Shop{i:04}"))
            .description("bench: the four patterns in one stack")
            .tag("project", "bench");
        let network = VpcThreeTier::new(
            &mut stack,
            "Network",
            VpcThreeTierProps::new("10.0.0.0/16")
                .web_http()
                .app_port(8080)
                .database_port(5432),
        );
        examples::fargate_service::web_service(&mut stack, &network);
        examples::serverless_api::items_api(&mut stack);
        examples::event_pipeline::order_flow(&mut stack);
        app.add_stack(stack);
    }
    app
}

/// One copy of the four patterns, as the examples build them: `Network{s}` (a VpcThreeTier in 3
/// AZs), `Service{s}` (the fargate_service example's web service, in that VPC: its references
/// become exports and imports), `Api{s}` (the serverless_api example's items API) and
/// `Orders{s}` (the event_pipeline example's order flow).
fn add_copy(app: &mut App, s: &str, project: &str) {
    let mut network_stack = Stack::new(format!("Network{s}"))
        .description("bench: three-tier VPC")
        .tag("project", project);
    let network = VpcThreeTier::new(
        &mut network_stack,
        "Network",
        VpcThreeTierProps::new("10.0.0.0/16")
            .web_http()
            .app_port(8080)
            .database_port(5432),
    );
    let mut service = Stack::new(format!("Service{s}"))
        .description("bench: nginx on Fargate behind an ALB")
        .tag("project", project);
    examples::fargate_service::web_service(&mut service, &network);
    let mut api = Stack::new(format!("Api{s}"))
        .description("bench: HTTP API, Lambda and DynamoDB")
        .tag("project", project);
    examples::serverless_api::items_api(&mut api);
    let mut orders = Stack::new(format!("Orders{s}"))
        .description("bench: EventBridge -> SQS -> Lambda -> SNS fan-out")
        .tag("project", project);
    examples::event_pipeline::order_flow(&mut orders);
    app.add_stack(network_stack);
    app.add_stack(service);
    app.add_stack(api);
    app.add_stack(orders);
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    /// (a): build the full_stack app, assemble, write.
    FullStack,
    /// (b): assemble and write an already built app of N copies.
    Synth(usize),
    /// (c): serialize the already built templates of the N-copy app.
    Floor(usize),
    /// Assemble only, nothing written (for profiling: `--child assemble-100 DIR`).
    Assemble(usize),
    /// (b) with all four patterns of a copy in one stack: N stacks.
    SynthOneStack(usize),
}

impl Case {
    fn name(self) -> String {
        match self {
            Case::FullStack => "full_stack".to_owned(),
            Case::Synth(n) => format!("synth-{n}"),
            Case::Floor(n) => format!("floor-{n}"),
            Case::Assemble(n) => format!("assemble-{n}"),
            Case::SynthOneStack(n) => format!("onestack-{n}"),
        }
    }

    fn parse(s: &str) -> Option<Case> {
        if s == "full_stack" {
            return Some(Case::FullStack);
        }
        let (kind, n) = s.split_once('-')?;
        let n = n.parse().ok()?;
        match kind {
            "synth" => Some(Case::Synth(n)),
            "floor" => Some(Case::Floor(n)),
            "assemble" => Some(Case::Assemble(n)),
            "onestack" => Some(Case::SynthOneStack(n)),
            _ => None,
        }
    }
}

/// Synthesizes `app` (validation on) into `out`: JSON templates and manifest, as
/// `constructs::synth::run` (and so `cargo run --example`) does. Returns the app so that the
/// caller decides when it is freed: `run` never frees it, the process exits instead.
fn synth(app: App, out: &Path) -> App {
    let options = SynthOptions {
        out_dir: out.to_path_buf(),
        format: Format::Json,
        check: false,
    };
    match app.synth(&options) {
        Ok(report) => {
            black_box(report);
        }
        Err(err) => panic!("synth failed:\n{err}"),
    }
    app
}

/// The rendered templates of `app` (the input of the floor).
fn templates(app: &App) -> Vec<Template> {
    let assembly = app
        .assemble()
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"));
    assembly.stacks.into_iter().map(|s| s.template).collect()
}

/// The floor: every template serialized as synth serializes it, nothing else.
fn serialize(templates: &[Template]) -> usize {
    let mut bytes = 0;
    for t in templates {
        bytes += black_box(serde_json::to_string_pretty(t).expect("plain data")).len();
    }
    bytes
}

/// Runs `f` `warmup` times, then `repeats` times; returns the sorted durations.
/// Like [`time`], timing `f` on a fresh input from `setup` each run. Neither `setup` nor
/// freeing what `f` returns is timed: a synth run by the CLI exits right after writing, and
/// `constructs::synth::run` does not free the assembly before it does.
fn time_with<T, R>(
    warmup: usize,
    repeats: usize,
    mut setup: impl FnMut() -> T,
    mut f: impl FnMut(T) -> R,
) -> Vec<Duration> {
    for _ in 0..warmup {
        drop(f(setup()));
    }
    let mut samples: Vec<Duration> = (0..repeats)
        .map(|_| {
            let input = setup();
            let start = Instant::now();
            let output = f(input);
            let elapsed = start.elapsed();
            drop(output);
            elapsed
        })
        .collect();
    samples.sort();
    samples
}

fn time(warmup: usize, repeats: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..warmup {
        f();
    }
    let mut samples: Vec<Duration> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples
}

fn repeats(n: usize, quick: bool) -> (usize, usize) {
    let (warmup, repeats) = match n {
        0..=1 => (5, 51),
        2..=10 => (3, 21),
        11..=100 => (2, 11),
        _ => (1, 5),
    };
    if quick {
        (1, repeats.min(5))
    } else {
        (warmup, repeats)
    }
}

// ---------------------------------------------------------------------------------------------
// Peak memory, in a child process
// ---------------------------------------------------------------------------------------------

/// This process's peak resident set (`VmHWM`), in bytes.
fn peak_rss() -> Option<u64> {
    status_kb("VmHWM:")
}

/// This process's resident set now (`VmRSS`), in bytes.
fn rss() -> Option<u64> {
    status_kb("VmRSS:")
}

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs one case once and prints the peak RSS of this process. For the floor, it prints what
/// serializing adds to the RSS on top of the templates it reads (peak reset with `clear_refs`
/// after the templates are built): the process peak would mostly measure building them.
fn child(case: Case, out: &Path) {
    match case {
        Case::FullStack => drop(synth(full_stack_app(), out)),
        Case::Synth(n) => {
            let app = generated_app(n);
            let built = rss();
            let app = synth(app, out);
            eprintln!(
                "RSS after building the app {} MiB, peak {} MiB",
                fmt_mib(built),
                fmt_mib(peak_rss())
            );
            drop(app);
        }
        Case::Assemble(n) => {
            black_box(generated_app(n).assemble().expect("assembles"));
        }
        Case::SynthOneStack(n) => drop(synth(one_stack_app(n), out)),
        Case::Floor(n) => {
            let templates = templates(&generated_app(n));
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            let before = rss().unwrap_or(0);
            black_box(serialize(&templates));
            // What serializing adds on top of the templates it reads.
            println!("{}", peak_rss().unwrap_or(0).saturating_sub(before));
            return;
        }
    }
    println!("{}", peak_rss().unwrap_or(0));
}

fn measure_peak(case: Case, out: &Path) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .arg("--child")
        .arg(case.name())
        .arg(out.join(case.name()))
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "child {} failed: {}",
            case.name(),
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    let notes = String::from_utf8_lossy(&output.stderr);
    if !notes.trim().is_empty() {
        eprintln!("{}: {}", case.name(), notes.trim());
    }
    String::from_utf8_lossy(&output.stdout).trim().parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn fmt_ms(d: Duration) -> String {
    let v = ms(d);
    if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

fn fmt_mib(bytes: Option<u64>) -> String {
    bytes.map_or("n/a".to_owned(), |b| format!("{:.1}", b as f64 / MIB))
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "pass"
    } else {
        "**miss**"
    }
}

struct Row {
    case: String,
    shape: String,
    repeats: usize,
    median: Duration,
    min: Duration,
    peak: Option<u64>,
    /// The peak is what the case adds over its input (the floor), shown as `+x`.
    peak_is_delta: bool,
    target: String,
}

fn print_rows(rows: &[Row]) {
    println!("| case | app | repeats | median ms | min ms | peak MiB | target |");
    println!("|---|---|---:|---:|---:|---:|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.case,
            r.shape,
            r.repeats,
            fmt_ms(r.median),
            fmt_ms(r.min),
            if r.peak_is_delta {
                format!("+{}", fmt_mib(r.peak))
            } else {
                fmt_mib(r.peak)
            },
            r.target
        );
    }
}

fn shape(templates: &[Template], bytes: usize) -> String {
    let resources: usize = templates.iter().map(|t| t.resources.len()).sum();
    format!(
        "{} stacks, {} resources, {:.1} MB JSON",
        templates.len(),
        resources,
        bytes as f64 / 1e6
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        let case = args.get(pos + 1).and_then(|c| Case::parse(c));
        let out = args.get(pos + 2).map(PathBuf::from);
        match (case, out) {
            (Some(case), Some(out)) => child(case, &out),
            _ => {
                eprintln!("usage: synth --child CASE OUT_DIR");
                std::process::exit(2);
            }
        }
        return;
    }
    // `cargo bench` passes `--bench`; a bare word filters the sizes (`quick`: fewer repeats).
    let quick = args.iter().any(|a| a == "quick");
    let sizes: Vec<usize> = {
        let chosen: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
        if chosen.is_empty() {
            SIZES.to_vec()
        } else {
            chosen
        }
    };

    let root = std::env::temp_dir().join(format!("constructs-synth-bench-{}", std::process::id()));
    let out = root.join("out");
    let child_out = root.join("child");

    println!("# constructs synth benchmark\n");
    println!(
        "release build, {} repeats after warm-up, median and min wall time; peak RSS of a child \
         process running the case once.\n",
        if quick { "quick:" } else { "full:" }
    );

    let mut rows = Vec::new();

    // (a) full_stack: build + assemble + write.
    let (warmup, n_rep) = repeats(1, quick);
    // Building the app is part of (a); freeing it is not (see `time_with`).
    // Into a new, empty directory each time, so that every file is written.
    let mut run = 0;
    let samples = time_with(
        warmup,
        n_rep,
        || {
            run += 1;
            out.join(format!("full-stack-{run}"))
        },
        |dir| synth(full_stack_app(), &dir),
    );
    let fs_templates = templates(&full_stack_app());
    let fs_bytes = serialize(&fs_templates);
    let peak = measure_peak(Case::FullStack, &child_out);
    rows.push(Row {
        case: "(a) full_stack: build + synth + write".to_owned(),
        shape: shape(&fs_templates, fs_bytes),
        repeats: n_rep,
        median: samples[samples.len() / 2],
        min: samples[0],
        peak,
        peak_is_delta: false,
        target: format!(
            "<= 10 ms: {}",
            verdict(ms(samples[samples.len() / 2]) <= 10.0)
        ),
    });

    // (b) and (c) per N.
    let mut per_n: Vec<(usize, Duration, Duration, Duration)> = Vec::new(); // n, build, synth, floor
    for &n in &sizes {
        let (warmup, n_rep) = repeats(n, quick);
        let build = time(0, n_rep.min(5), || {
            black_box(generated_app(n));
        });
        let assemble = time_with(
            warmup,
            n_rep,
            || generated_app(n),
            |app| {
                black_box(app.assemble().expect("assembles"));
                app
            },
        );
        // Into a new, empty directory each time (removed at the end, untimed).
        let mut run = 0;
        let synth_samples = time_with(
            warmup,
            n_rep,
            || {
                run += 1;
                (generated_app(n), out.join(format!("n{n}-{run}")))
            },
            |(app, dir)| synth(app, &dir),
        );
        // Over the output of the same app: every file is already there.
        let fresh = out.join(format!("n{n}-{run}"));
        let unchanged = time_with(warmup, n_rep, || generated_app(n), |app| synth(app, &fresh));
        // Over the output of an app whose every template differs.
        let changed = time_with(
            warmup,
            n_rep,
            || {
                run += 1;
                generated_app_tagged(n, &format!("bench-{run}"))
            },
            |app| synth(app, &fresh),
        );
        let app = generated_app(n);
        let tpls = templates(&app);
        let bytes = serialize(&tpls);
        let floor = time(warmup, n_rep, || {
            black_box(serialize(&tpls));
        });
        drop(app);
        let synth_peak = measure_peak(Case::Synth(n), &child_out);
        let floor_peak = measure_peak(Case::Floor(n), &child_out);
        let med = |s: &[Duration]| s[s.len() / 2];
        let synth_med = med(&synth_samples);
        let (time_target, mem_target) = if n == 100 {
            (
                format!("<= 150 ms: {}", verdict(ms(synth_med) <= 150.0)),
                format!(
                    "; <= 64 MiB: {}",
                    verdict(synth_peak.is_some_and(|p| (p as f64) <= 64.0 * MIB))
                ),
            )
        } else {
            ("linear in N (below)".to_owned(), String::new())
        };
        rows.push(Row {
            case: format!("(b) N={n}: synth into a new directory"),
            shape: shape(&tpls, bytes),
            repeats: n_rep,
            median: synth_med,
            min: synth_samples[0],
            peak: synth_peak,
            peak_is_delta: false,
            target: format!("{time_target}{mem_target}"),
        });
        for (case, samples) in [
            ("synth over its own output (nothing changed)", &unchanged),
            ("synth over changed output (every file replaced)", &changed),
            (
                "`App::assemble` (in memory, also builds owned templates)",
                &assemble,
            ),
        ] {
            rows.push(Row {
                case: format!("(b) N={n}: {case}"),
                shape: String::new(),
                repeats: n_rep,
                median: med(samples),
                min: samples[0],
                peak: None,
                peak_is_delta: false,
                target: String::new(),
            });
        }
        rows.push(Row {
            case: format!("(b) N={n}: building the app"),
            shape: String::new(),
            repeats: build.len(),
            median: med(&build),
            min: build[0],
            peak: None,
            peak_is_delta: false,
            target: String::new(),
        });
        rows.push(Row {
            case: format!("(c) N={n}: serde_json floor"),
            shape: String::new(),
            repeats: n_rep,
            median: med(&floor),
            min: floor[0],
            peak: floor_peak,
            peak_is_delta: true,
            target: String::new(),
        });
        if n == 100 {
            // The literal reading of the issue: N stacks, each holding all four patterns.
            let app = one_stack_app(n);
            let samples = time_with(
                warmup,
                n_rep,
                || {
                    run += 1;
                    (one_stack_app(100), out.join(format!("one{n}-{run}")))
                },
                |(app, dir)| synth(app, &dir),
            );
            let tpls = templates(&app);
            let bytes = serialize(&tpls);
            drop(app);
            rows.push(Row {
                case: format!("(b') N={n}, one stack per copy: synth into a new directory"),
                shape: shape(&tpls, bytes),
                repeats: n_rep,
                median: med(&samples),
                min: samples[0],
                peak: measure_peak(Case::SynthOneStack(n), &child_out),
                peak_is_delta: false,
                target: String::new(),
            });
        }
        // The same synth with the disk taken out: into a new directory on tmpfs, when there is
        // one (Linux's /dev/shm), so that the figure shows what synth itself costs.
        let shm = Path::new("/dev/shm");
        if n == 100 && shm.is_dir() {
            let tmpfs_root = shm.join(format!("constructs-synth-bench-{}", std::process::id()));
            let samples = time_with(
                warmup,
                n_rep,
                || {
                    run += 1;
                    (generated_app(n), tmpfs_root.join(format!("n{n}-{run}")))
                },
                |(app, dir)| synth(app, &dir),
            );
            let _ = std::fs::remove_dir_all(&tmpfs_root);
            rows.push(Row {
                case: format!("(b) N={n}: synth into a new directory on tmpfs (/dev/shm)"),
                shape: String::new(),
                repeats: n_rep,
                median: med(&samples),
                min: samples[0],
                peak: None,
                peak_is_delta: false,
                target: format!(
                    "<= 2x floor: {} ({:.2}x)",
                    verdict(med(&samples) <= med(&floor) * 2),
                    med(&samples).as_secs_f64() / med(&floor).as_secs_f64()
                ),
            });
        }
        per_n.push((n, med(&build), synth_med, med(&floor)));
        eprintln!("done: N={n}");
    }
    print_rows(&rows);

    println!("\n## Per copy (linearity) and synth/floor\n");
    println!("| N | build µs/copy | synth µs/copy | floor µs/copy | synth / floor |");
    println!("|---:|---:|---:|---:|---:|");
    for &(n, build, synth, floor) in &per_n {
        let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
        println!(
            "| {n} | {:.0} | {:.0} | {:.0} | {:.2}x{} |",
            per(build),
            per(synth),
            per(floor),
            synth.as_secs_f64() / floor.as_secs_f64(),
            if n == 100 {
                format!(
                    " (target <= 2x: {})",
                    verdict(synth.as_secs_f64() <= 2.0 * floor.as_secs_f64())
                )
            } else {
                String::new()
            }
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
