//! Writing a synth's files atomically, or checking them against what is on disk: streamed from
//! the app one stack at a time ([`write`]), or from an [`Assembly`] held in memory.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::app::App;
use crate::diagnostics::{Code, Diagnostic, SynthError};

use super::assemble::{check, dependency_names, render_json, Assembly};
use super::deploy::deployed_file;
use super::limit::{OverLimit, MAX_BODY_BYTES};
use super::manifest::{Format, Manifest, ManifestStack};
use super::outdir;
use super::parallel::map_in_order;
use super::plan::{plan, Plan};
use super::staging::{Body, Staging};
use super::validate::{check_body_size, too_large};
use super::view::TemplateView;
use super::yaml::to_yaml_within;

/// Where and how to write an assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthOptions {
    /// The output directory (created if missing).
    pub out_dir: PathBuf,
    /// The template formats.
    pub format: Format,
    /// Write nothing; report the stacks whose files differ from what would be written.
    pub check: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        Self {
            out_dir: PathBuf::from("synth.out"),
            format: Format::Json,
            check: false,
        }
    }
}

/// What a synth did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SynthReport {
    /// Files written (empty in check mode).
    pub written: Vec<PathBuf>,
    /// Files left alone because they already held what synth would write (empty in check
    /// mode).
    pub unchanged: Vec<PathBuf>,
    /// In check mode: the stacks (and `manifest.json`, and asset zips by file name) whose files
    /// differ or are missing.
    pub stale: Vec<String>,
    /// Files an earlier synth wrote (the `manifest.json` on disk lists them) that this one does
    /// not: a removed stack's template, the YAML after a switch to `--format json`, an asset
    /// zip no stack uses any more. A synth removes them; a check lists them, and fails.
    pub obsolete: Vec<PathBuf>,
    /// What interrupted synths left: a half-built or half-removed generation beside the
    /// output directory (`.<DIR>.synth-new.<pid>`, `.<DIR>.synth-old.<pid>`), temporary files
    /// inside it. A synth removes them; a check lists them, and fails.
    pub leftovers: Vec<PathBuf>,
    /// Warnings found, among them one listing the entries of the output directory that synth
    /// did not write ([`Code::ForeignOutputFile`](crate::Code::ForeignOutputFile)), which it
    /// keeps.
    pub warnings: Vec<Diagnostic>,
}

impl SynthReport {
    /// Whether a check found the output directory as synth would leave it: no file missing or
    /// different, none obsolete, no leftovers.
    ///
    /// ```
    /// use constructs::cfn::logs::LogGroup;
    /// use constructs::synth::SynthOptions;
    /// use constructs::{App, Stack};
    ///
    /// let mut app = App::new();
    /// let mut stack = Stack::new("Logs");
    /// stack.add("Group", LogGroup::new());
    /// app.add_stack(stack);
    /// let dir = tempfile::tempdir().unwrap();
    /// let out_dir = dir.path().join("out");
    /// let check = SynthOptions { out_dir: out_dir.clone(), check: true, ..SynthOptions::default() };
    /// assert!(!app.synth(&check).unwrap().is_up_to_date());
    /// app.synth(&SynthOptions { out_dir, ..SynthOptions::default() }).unwrap();
    /// assert!(app.synth(&check).unwrap().is_up_to_date());
    /// ```
    pub fn is_up_to_date(&self) -> bool {
        self.stale.is_empty() && self.obsolete.is_empty() && self.leftovers.is_empty()
    }
}

/// One text file of an assembly: its name relative to the output directory, its contents, and
/// the stack it belongs to (`None` for `manifest.json`). Asset zips are
/// [`Assembly::asset_files`].
pub type OutputFile<'a> = (String, Cow<'a, str>, Option<&'a str>);

impl Assembly {
    /// Every file synth writes for `format`: relative name, contents and owning stack. JSON
    /// bodies are borrowed from the assembly, not copied.
    pub fn files(&self, format: Format) -> Vec<OutputFile<'_>> {
        let mut files = Vec::with_capacity(self.stacks.len() * 2 + 1);
        for stack in &self.stacks {
            for ext in format.extensions() {
                let body = match *ext {
                    "json" => Cow::Borrowed(stack.json.as_str()),
                    _ => Cow::Owned(stack.yaml()),
                };
                files.push((
                    format!("{}.template.{ext}", stack.name),
                    body,
                    Some(stack.name.as_str()),
                ));
            }
        }
        let manifest = String::from_utf8(manifest_json(&self.manifest(format)))
            .expect("serde_json writes UTF-8");
        files.push(("manifest.json".to_owned(), Cow::Owned(manifest), None));
        files
    }
}

impl App {
    /// Renders, validates, and writes the templates and `manifest.json` (or, with
    /// [`SynthOptions::check`], compares them with the files on disk).
    ///
    /// Stacks are validated and written one at a time, straight from the app's expression
    /// trees, so a synth needs little memory beyond the app itself. Files go into a new copy
    /// of the output directory, which replaces it in one step only when every stack is valid:
    /// the directory always holds one synth's output, whole, and a failed synth changes no
    /// file. The files an earlier synth wrote that this one does not are removed
    /// ([`SynthReport::obsolete`]), the leftovers of interrupted synths too
    /// ([`SynthReport::leftovers`]); files synth did not write are kept.
    pub fn synth(&self, options: &SynthOptions) -> Result<SynthReport, SynthError> {
        write(self, options).map(|(report, _)| report)
    }
}

/// Synthesizes `app` into `options.out_dir` (or checks that directory), a batch of stacks at
/// a time.
///
/// Each stack's template is validated and serialized straight from the app's expression trees
/// ([`TemplateView`]), two threads sharing a batch; the files are handed to the writer thread
/// of [`Staging`], which writes them into a new copy of the output directory while the next
/// batch is rendered, so at most a batch of output and the writer's queue are held in memory.
/// Only when every stack is valid does the new copy replace the directory; otherwise it is
/// removed and no file changes. Returns the report and the manifest that was written.
pub(crate) fn write(
    app: &App,
    options: &SynthOptions,
) -> Result<(SynthReport, Manifest), SynthError> {
    let mut plan = plan(app);
    let mut diagnostics = std::mem::take(&mut plan.diagnostics);
    let mut failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut sink = Sink::new(options);
    let mut stacks = Vec::with_capacity(app.stacks().len());
    // Asset zips already handed to the sink: stacks may share one.
    let mut assets_put: Vec<&str> = Vec::new();
    let mut start = 0;
    while start < app.stacks().len() {
        // A batch of stacks at a time, shared by two threads: in order, and never more than
        // a batch of outputs held at once.
        let end = (start + BATCH).min(app.stacks().len());
        // A stack planning found too deep is not rendered; planning reported it as an error.
        let batch = map_in_order(start..end, MIN_BATCH_TO_SPLIT, |i| {
            (!plan.unwritable[i]).then(|| render_stack(app, &plan, i, options.format))
        });
        start = end;
        for (stack, out) in app.stacks()[end - batch.len()..end].iter().zip(batch) {
            let Some(out) = out else {
                failed = true;
                continue;
            };
            failed |= out.diagnostics.iter().any(Diagnostic::is_error);
            diagnostics.extend(out.diagnostics);
            stacks.push(out.manifest);
            if failed {
                // Keep validating, to report every problem at once; write nothing more.
                continue;
            }
            let mut bodies = [out.json, out.yaml.map(String::into_bytes)];
            for ext in options.format.extensions() {
                let body = match *ext {
                    "json" => bodies[0].take(),
                    _ => bodies[1].take(),
                };
                let name = format!("{}.template.{ext}", stack.name());
                sink.put(name, body.unwrap_or_default(), Some(stack.name()));
            }
            for asset in stack.assets() {
                if !assets_put.contains(&asset.hash()) {
                    assets_put.push(asset.hash());
                    sink.put(asset.key(), asset.packed().shared_bytes(), None);
                }
            }
        }
    }
    if failed {
        // Dropping the sink removes what it staged.
        return Err(SynthError::new(diagnostics));
    }
    let manifest = Manifest {
        version: 1,
        stacks,
        deploy_order: dependency_names(app, &plan.deploy_order),
    };
    sink.put("manifest.json".to_owned(), manifest_json(&manifest), None);
    let report = sink.finish(diagnostics)?;
    Ok((report, manifest))
}

/// How many stacks [`write`] renders before it hands their files over.
const BATCH: usize = 32;
/// Below this many stacks in a batch, a second thread costs more than it saves.
const MIN_BATCH_TO_SPLIT: usize = 8;

/// What synth produces for one stack.
struct StackOutput {
    diagnostics: Vec<Diagnostic>,
    /// Only when the format includes JSON and it is within the size limit.
    json: Option<Vec<u8>>,
    /// Only when the format includes YAML and it is within the size limit.
    yaml: Option<String>,
    manifest: ManifestStack,
}

/// Validates stack `i` of `app` and renders its files and manifest entry. Each file is
/// rendered only up to the most CloudFormation accepts; one that passes it is an error.
fn render_stack(app: &App, plan: &Plan, i: usize, format: Format) -> StackOutput {
    let stack = &app.stacks()[i];
    let name = stack.name();
    let view = TemplateView::of_stack(stack, &plan.exports[i]);
    let mut diagnostics = check(stack, &view);
    let file = |ext: &str| format!("{name}.template.{ext}");
    let json = match format {
        Format::Yaml => None,
        Format::Json | Format::Both => render_json(&view)
            .map_err(|OverLimit| diagnostics.push(too_large(name, &file("json"))))
            .ok(),
    };
    let yaml = match format {
        Format::Json => None,
        Format::Yaml | Format::Both => to_yaml_within(&view, MAX_BODY_BYTES)
            .map_err(|OverLimit| diagnostics.push(too_large(name, &file("yaml"))))
            .ok(),
    };
    // The inline limit applies to the file deployed.
    let (ext, len) = deployed_file(json.as_ref().map(Vec::len), yaml.as_ref().map(String::len));
    diagnostics.extend(check_body_size(name, &file(ext), len));
    let manifest = ManifestStack::new(
        name,
        format,
        &view,
        (ext, len),
        dependency_names(app, &plan.dependencies[i]),
        stack.environment(),
        stack.assets(),
    );
    StackOutput {
        diagnostics,
        json,
        yaml,
        manifest,
    }
}

/// `manifest.json`'s bytes.
fn manifest_json(manifest: &Manifest) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(manifest).expect("the manifest is plain data");
    json.push(b'\n');
    json
}

/// Where the files of a synth go: written into a new generation of the output directory, or
/// compared with those on disk.
enum Sink<'o> {
    Write(Staging),
    Check {
        dir: &'o Path,
        stale: Vec<String>,
        /// Every file put, to tell the directory's other files apart.
        names: HashSet<String>,
    },
}

impl<'o> Sink<'o> {
    fn new(options: &'o SynthOptions) -> Self {
        if options.check {
            Sink::Check {
                dir: &options.out_dir,
                stale: Vec::new(),
                names: HashSet::new(),
            }
        } else {
            Sink::Write(Staging::new(&options.out_dir))
        }
    }

    /// Stages (or checks) file `name` of stack `stack` (`None`: the manifest or an asset, which
    /// are reported stale by file name). A write error shows at [`Sink::finish`].
    fn put(&mut self, name: String, body: impl Into<Body>, stack: Option<&str>) {
        let body = body.into();
        match self {
            Sink::Write(staging) => staging.write(name, body),
            Sink::Check { dir, stale, names } => {
                let on_disk = fs::read(dir.join(&name)).ok();
                if on_disk.as_deref() != Some(body.as_ref()) {
                    let label = stack.map_or_else(|| name.clone(), str::to_owned);
                    if !stale.contains(&label) {
                        stale.push(label);
                    }
                }
                names.insert(name);
            }
        }
    }

    /// Switches the output directory to the new generation; reports what was written (or
    /// found stale).
    fn finish(self, warnings: Vec<Diagnostic>) -> Result<SynthReport, SynthError> {
        let mut report = SynthReport {
            warnings,
            ..SynthReport::default()
        };
        let (out, foreign) = match self {
            Sink::Write(staging) => {
                let out = staging.out_dir().to_path_buf();
                let committed = staging.commit()?;
                report.written = committed.written;
                report.unchanged = committed.unchanged;
                report.obsolete = committed.removed;
                report.leftovers = committed.cleaned;
                (out, committed.foreign)
            }
            Sink::Check { dir, stale, names } => {
                report.stale = stale;
                let survey = outdir::survey(dir, |name| names.contains(name)).map_err(|e| {
                    Diagnostic::error(
                        Code::Io,
                        dir.display().to_string(),
                        format!("cannot read: {e}"),
                    )
                })?;
                report.obsolete = survey.obsolete.iter().map(|n| dir.join(n)).collect();
                report.leftovers = outdir::asides_of(dir).into_iter().map(|(p, _)| p).collect();
                report
                    .leftovers
                    .extend(survey.leftovers.iter().map(|n| dir.join(n)));
                let foreign = survey.foreign.iter().map(|n| dir.join(n)).collect();
                (dir.to_path_buf(), foreign)
            }
        };
        if !foreign.is_empty() {
            report.warnings.push(foreign_files(&out, &foreign));
        }
        Ok(report)
    }
}

/// The warning that the output directory `out` holds `entries` synth did not write.
fn foreign_files(out: &Path, entries: &[PathBuf]) -> Diagnostic {
    let list: Vec<String> = entries.iter().map(|e| e.display().to_string()).collect();
    Diagnostic::warning(
        Code::ForeignOutputFile,
        out.display().to_string(),
        format!(
            "the output directory holds what synth did not write (no manifest.json of an \
             earlier synth lists it), and keeps it: {}",
            list.join(", ")
        ),
    )
    .with_hint(
        "synth removes only the files it wrote; move these elsewhere if the directory is \
         meant for synth's output alone",
    )
}
