//! The command line every example shares: `--out DIR`, `--format json|yaml|both`, `--check`,
//! the reports, and `--plan`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::app::App;

use super::emit::SynthOptions;
use super::manifest::Format;

/// The usage text after its first line (see [`usage`]).
const OPTIONS: &str =
    "  --out DIR        where to write templates and manifest.json (default: synth.out)
  --format FMT     json (default), yaml (CloudFormation short-form tags) or both
  --check          write nothing; exit 1 listing the stacks whose files on disk differ,
                   the files an earlier synth wrote that this one would remove, and
                   what interrupted synths left
  --print-deploy   after writing, print the `aws s3 cp` of each asset, then the
                   `aws cloudformation deploy` command of each stack, in deploy order
                   (values only you know are shell variables)
  --explain-iam    after writing, print what every role and resource policy grants, grant by
                   grant: actions, resources, and the grant that asked for them
  --plan           write nothing; print each VPC's plan: subnets by tier and zone with CIDR and
                   usable addresses, tier blocks, free space and the room left to grow
  -h, --help       this text";

/// The usage text. It names the program as it was started (the file name of its first
/// argument): an example (`basics`) or a user's own binary alike, which never has an
/// `--example` of its own.
fn usage() -> String {
    let started_as = std::env::args_os().next().map(PathBuf::from);
    let file_name = started_as.as_deref().and_then(std::path::Path::file_name);
    let name = file_name.map_or_else(|| "APP".into(), |name| name.to_string_lossy());
    let program = name
        .strip_suffix(std::env::consts::EXE_SUFFIX)
        .filter(|stem| !stem.is_empty())
        .unwrap_or(&name);
    format!(
        "usage: {program} [--out DIR] [--format json|yaml|both] [--check] [--print-deploy] \
         [--explain-iam] [--plan]\n(through cargo, the options come after `--`: \
         cargo run [--bin NAME | --example NAME] -- --out DIR)\n\n{OPTIONS}"
    )
}

/// How a command-line run ended, with what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliOutcome {
    /// The process exit code: 0 success, 1 synth errors or stale files, 2 bad arguments.
    pub code: u8,
    /// What goes to standard output.
    pub stdout: String,
    /// What goes to standard error.
    pub stderr: String,
}

/// Synthesizes `app` as the process arguments ask, prints the outcome, and returns the exit
/// code. Call it at the end of an example's `main`:
///
/// ```no_run
/// use constructs::App;
///
/// fn main() -> std::process::ExitCode {
///     let app = App::new();
///     // … add stacks …
///     constructs::synth::run(app)
/// }
/// ```
pub fn run(app: App) -> ExitCode {
    let outcome = run_inner(std::env::args_os().skip(1), &app);
    // The process ends next, and the OS reclaims the memory at once: faster than freeing every
    // tree of a large app one by one.
    std::mem::forget(app);
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}

/// Like [`run`], with explicit arguments and nothing printed: for tests and wrappers.
pub fn run_with_args(app: &App, args: impl IntoIterator<Item = impl Into<OsString>>) -> CliOutcome {
    run_inner(args, app)
}

/// Parses `args`, then (only when they are valid) synthesizes `app` and writes, checks and
/// reports as they ask.
fn run_inner(args: impl IntoIterator<Item = impl Into<OsString>>, app: &App) -> CliOutcome {
    let (options, flags) = match parse(args) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => return outcome(0, format!("{}\n", usage()), String::new()),
        Err(message) => {
            return outcome(2, String::new(), format!("error: {message}\n{}\n", usage()))
        }
    };
    if flags.plan {
        let (code, stdout, stderr) = super::vpc_plans::report(app);
        return outcome(code, stdout, stderr);
    }
    let (report, manifest) = match super::emit::write(app, &options) {
        Ok(written) => written,
        Err(err) => return outcome(1, String::new(), err.to_string()),
    };
    let mut stderr = String::new();
    for warning in &report.warnings {
        stderr.push_str(&format!("{warning}\n"));
    }
    if options.check {
        if report.is_up_to_date() {
            return outcome(
                0,
                format!("up to date: {}\n", options.out_dir.display()),
                stderr,
            );
        }
        let dir = options.out_dir.display();
        if !report.stale.is_empty() {
            stderr.push_str(&format!(
                "out of date in {dir}: {}\n",
                report.stale.join(", ")
            ));
        }
        if !report.obsolete.is_empty() {
            stderr.push_str(&format!(
                "written by an earlier synth, no longer by this one: {}\n",
                paths(&report.obsolete)
            ));
        }
        if !report.leftovers.is_empty() {
            stderr.push_str(&format!(
                "left by an interrupted synth: {}\n",
                paths(&report.leftovers)
            ));
        }
        stderr.push_str("(run without --check to bring the directory up to date)\n");
        return outcome(1, String::new(), stderr);
    }
    let mut stdout = String::new();
    for (verb, list) in [
        ("wrote", &report.written),
        ("unchanged", &report.unchanged),
        ("removed", &report.obsolete),
        ("cleaned up", &report.leftovers),
    ] {
        for path in list {
            stdout.push_str(&format!("{verb} {}\n", path.display()));
        }
    }
    if flags.explain_iam {
        for stack in app.stacks() {
            stdout.push_str(&format!("\n# IAM: stack {}\n", stack.name()));
            let iam_report = super::iam_audit::explain(stack);
            if iam_report.is_empty() {
                stdout.push_str("(no roles or resource policies)\n");
            }
            for explanation in &iam_report {
                stdout.push_str(&explanation.to_string());
            }
        }
    }
    if flags.print_deploy {
        let uploads = manifest.upload_commands(&options.out_dir);
        if !uploads.is_empty() {
            stdout.push_str("\n# upload the assets first:\n");
            for command in uploads {
                stdout.push_str(&command);
                stdout.push('\n');
            }
        }
        stdout.push_str("\n# deploy, in this order:\n");
        for command in manifest.deploy_commands(&options.out_dir) {
            stdout.push_str(&command);
            stdout.push('\n');
        }
    }
    outcome(0, stdout, stderr)
}

/// `paths` for a message, comma-separated.
fn paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

fn outcome(code: u8, stdout: String, stderr: String) -> CliOutcome {
    CliOutcome {
        code,
        stdout,
        stderr,
    }
}

/// What to print after writing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Reports {
    print_deploy: bool,
    explain_iam: bool,
    /// Print the VPC plans instead of writing.
    plan: bool,
}

/// Parses the arguments into options and reports; `Ok(None)` means help was asked for.
fn parse(
    args: impl IntoIterator<Item = impl Into<OsString>>,
) -> Result<Option<(SynthOptions, Reports)>, String> {
    let mut options = SynthOptions::default();
    let mut reports = Reports::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|a| format!("argument {a:?} is not valid UTF-8"))?;
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        // A flag's value as given: a path may be any bytes the system allows.
        let mut raw_value = |name: &str| -> Result<OsString, String> {
            match inline.clone() {
                Some(v) => Ok(v.into()),
                None => args.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        let mut value = |name: &str| -> Result<String, String> {
            raw_value(name)?
                .into_string()
                .map_err(|v| format!("{name} {v:?} is not valid UTF-8"))
        };
        match flag.as_str() {
            "--out" => {
                let dir = raw_value("--out")?;
                // An empty directory name would write every file into the working directory.
                if dir.is_empty() {
                    return Err("--out needs a directory, not an empty name".to_owned());
                }
                options.out_dir = PathBuf::from(dir);
            }
            "--format" => {
                options.format = match value("--format")?.as_str() {
                    "json" => Format::Json,
                    "yaml" => Format::Yaml,
                    "both" => Format::Both,
                    other => {
                        return Err(format!("unknown format `{other}`; use json, yaml or both"))
                    }
                }
            }
            "--check" => options.check = true,
            "--print-deploy" => reports.print_deploy = true,
            "--explain-iam" => reports.explain_iam = true,
            "--plan" => reports.plan = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    // --plan writes nothing, so there is nothing to check or deploy after it.
    if reports.plan && (options.check || reports.print_deploy || reports.explain_iam) {
        return Err(
            "--plan writes nothing; run --check, --print-deploy or --explain-iam on their own"
                .to_owned(),
        );
    }
    Ok(Some((options, reports)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags_in_both_spellings() {
        let (o, reports) = parse(["--out", "x", "--format=both", "--check", "--print-deploy"])
            .unwrap()
            .unwrap();
        assert_eq!(o.out_dir, PathBuf::from("x"));
        assert_eq!(o.format, Format::Both);
        assert!(o.check);
        assert!(reports.print_deploy);
        assert!(!reports.explain_iam);
        assert_eq!(parse(["--help"]).unwrap(), None);
    }

    #[test]
    fn rejects_unknown_flags_and_formats() {
        assert!(parse(["--fromat", "json"])
            .unwrap_err()
            .contains("unknown argument"));
        assert!(parse(["--format", "xml"])
            .unwrap_err()
            .contains("unknown format"));
        assert!(parse(["--out"]).unwrap_err().contains("needs a value"));
        assert!(parse(["--out", ""]).unwrap_err().contains("empty"));
        assert!(parse(["--out="]).unwrap_err().contains("empty"));
    }

    #[test]
    fn plan_stands_alone() {
        let (_, reports) = parse(["--plan", "--out", "x"]).unwrap().unwrap();
        assert!(reports.plan);
        for other in ["--check", "--print-deploy", "--explain-iam"] {
            assert!(parse(["--plan", other])
                .unwrap_err()
                .starts_with("--plan writes nothing"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_output_directory_may_be_any_bytes_the_system_allows() {
        use std::os::unix::ffi::OsStringExt;
        let dir = OsString::from_vec(b"out-\xff".to_vec());
        let (options, _) = parse([OsString::from("--out"), dir.clone()])
            .unwrap()
            .unwrap();
        assert_eq!(options.out_dir, PathBuf::from(dir));
    }
}
