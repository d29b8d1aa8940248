//! Writing an assembly to disk atomically, or checking it against what is there.

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, SynthError};

use super::assemble::Assembly;

/// Which template formats to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `<Stack>.template.json` only.
    #[default]
    Json,
    /// `<Stack>.template.yaml` only.
    Yaml,
    /// Both files.
    Both,
}

impl Format {
    /// The file extensions this format writes.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Json => &["json"],
            Format::Yaml => &["yaml"],
            Format::Both => &["json", "yaml"],
        }
    }
}

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
    /// In check mode: the stacks (and `manifest.json`) whose files differ or are missing.
    pub stale: Vec<String>,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
}

/// One file of an assembly: its name relative to the output directory, its contents, and the
/// stack it belongs to (`None` for `manifest.json`).
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
        let mut manifest = serde_json::to_string_pretty(&self.manifest(format))
            .expect("the manifest is plain data");
        manifest.push('\n');
        files.push(("manifest.json".to_owned(), Cow::Owned(manifest), None));
        files
    }

    /// Writes the files (or checks them, per `options.check`).
    pub fn emit(&self, options: &SynthOptions) -> Result<SynthReport, SynthError> {
        let files = self.files(options.format);
        let mut report = SynthReport {
            warnings: self.warnings.clone(),
            ..SynthReport::default()
        };
        if options.check {
            for (name, body, stack) in &files {
                let on_disk = fs::read(options.out_dir.join(name)).ok();
                if on_disk.as_deref() != Some(body.as_bytes()) {
                    let label = stack.unwrap_or(name).to_owned();
                    if !report.stale.contains(&label) {
                        report.stale.push(label);
                    }
                }
            }
            return Ok(report);
        }
        write_atomically(&options.out_dir, &files).map_err(|d| SynthError {
            diagnostics: vec![d],
        })?;
        report.written = files
            .iter()
            .map(|(name, _, _)| options.out_dir.join(name))
            .collect();
        Ok(report)
    }
}

/// Writes every file to a temporary name in `dir`, then renames them all into place. If any
/// write fails, the temporary files are removed and no target file has changed.
///
/// Files are not fsynced: the rename already makes a failed synth leave the old files, and
/// templates can be regenerated at will, so surviving a power cut is not worth the cost (a
/// per-file fsync was most of the time of a 400-stack synth; see BENCHMARKS.md).
fn write_atomically(dir: &Path, files: &[OutputFile<'_>]) -> Result<(), Diagnostic> {
    let io_error = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(Code::Io, path.display().to_string(), format!("{what}: {e}"))
    };
    fs::create_dir_all(dir).map_err(|e| io_error("cannot create the output directory", dir, e))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, body, _) in files {
        let target = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let result = fs::File::create(&tmp).and_then(|mut f| f.write_all(body.as_bytes()));
        staged.push((tmp.clone(), target));
        if let Err(e) = result {
            cleanup(&staged);
            return Err(io_error("cannot write", &tmp, e));
        }
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, target) {
            cleanup(&staged[i..]);
            return Err(io_error("cannot move into place", target, e));
        }
    }
    Ok(())
}
