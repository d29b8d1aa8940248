//! The output directory as a whole: which of its files synth owns, which an earlier synth wrote
//! that this one no longer does, and what interrupted synths left behind.
//!
//! Synth owns exactly the files the previous `manifest.json` lists (its templates and asset
//! zips) and the manifest itself: those are the only files it ever removes. Everything else in
//! the directory is the user's, and is kept (and reported). Leftovers of a synth that was
//! killed have names no user picks: `.<DIR>.synth-new.<pid>` and `.<DIR>.synth-old.<pid>`
//! beside the directory (the generation being built, or the one being replaced, see
//! `staging`), and `.<file>.tmp<pid>` inside it (what synths before the whole-directory switch
//! wrote).

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use crate::asset::ASSETS_DIR;

/// The manifest's file name.
pub(crate) const MANIFEST: &str = "manifest.json";

/// What a generation beside the output directory is: the one being built, or (only when the
/// directory could not be switched in one step) the one being replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Aside {
    /// `.<DIR>.synth-new.<pid>`: the generation a synth builds before it switches to it.
    New,
    /// `.<DIR>.synth-old.<pid>`: the generation moved aside while the new one is renamed in.
    Old,
}

impl Aside {
    fn word(self) -> &'static str {
        match self {
            Aside::New => "new",
            Aside::Old => "old",
        }
    }

    /// The name of this kind of directory beside the output directory `dir_name`, for the
    /// process `pid`.
    pub fn name(self, dir_name: &OsStr, pid: u32) -> OsString {
        let mut name = OsString::from(".");
        name.push(dir_name);
        name.push(format!(".synth-{}.{pid}", self.word()));
        name
    }

    /// Which kind `entry` (a name beside the output directory `dir_name`) is, if any.
    fn of(entry: &OsStr, dir_name: &OsStr) -> Option<Aside> {
        let entry = entry.as_encoded_bytes();
        let rest = entry
            .strip_prefix(b".")?
            .strip_prefix(dir_name.as_encoded_bytes())?
            .strip_prefix(b".synth-")?;
        [Aside::New, Aside::Old].into_iter().find(|kind| {
            rest.strip_prefix(kind.word().as_bytes())
                .and_then(|pid| pid.strip_prefix(b"."))
                .is_some_and(all_digits)
        })
    }
}

fn all_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// Whether `name` (relative to the output directory, `/`-separated) is a name synth writes: the
/// manifest, `<stack>.template.json|yaml`, or `assets/<sha256>.zip`. Only such names are ever
/// removed, whatever a manifest on disk lists.
pub(crate) fn is_synth_name(name: &str) -> bool {
    if name == MANIFEST {
        return true;
    }
    if let Some(zip) = name
        .strip_prefix(ASSETS_DIR)
        .and_then(|n| n.strip_prefix('/'))
    {
        return zip.strip_suffix(".zip").is_some_and(|hash| {
            hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        });
    }
    !name.contains('/')
        && !name.starts_with('.')
        && [".template.json", ".template.yaml"]
            .iter()
            .any(|ext| name.len() > ext.len() && name.ends_with(ext))
}

/// Whether `name` is a temporary file a synth before the whole-directory switch wrote next to
/// a file it was replacing, and left when it was killed: `.<synth name>.tmp<pid>`.
fn is_old_temp_name(name: &str) -> bool {
    let (dir, file) = match name.rsplit_once('/') {
        Some((dir, file)) => (Some(dir), file),
        None => (None, name),
    };
    let Some((base, pid)) = file.strip_prefix('.').and_then(|f| f.rsplit_once(".tmp")) else {
        return false;
    };
    let base = match dir {
        Some(dir) => format!("{dir}/{base}"),
        None => base.to_owned(),
    };
    all_digits(pid.as_bytes()) && is_synth_name(&base)
}

/// The files an earlier synth wrote into `dir`: the manifest, and the templates and asset zips
/// it lists (names synth writes only; an unreadable manifest lists nothing).
pub(crate) fn previously_written(dir: &Path) -> HashSet<String> {
    let mut names = HashSet::new();
    let Ok(bytes) = fs::read(dir.join(MANIFEST)) else {
        return names;
    };
    names.insert(MANIFEST.to_owned());
    // serde_json's recursion limit bounds how deep a hand-edited manifest can make this go.
    let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return names;
    };
    let stacks = manifest["stacks"].as_array().into_iter().flatten();
    for stack in stacks {
        let templates = stack["templates"].as_array().into_iter().flatten();
        let assets = stack["assets"].as_array().into_iter().flatten();
        for name in templates.chain(assets.map(|asset| &asset["file"])) {
            if let Some(name) = name.as_str().filter(|n| is_synth_name(n)) {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

/// What is in an output directory besides the files a synth is about to write.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Survey {
    /// Files the previous manifest lists that this synth does not write, relative to the
    /// directory: a removed stack's template, the YAML after a switch to JSON, an asset zip no
    /// stack uses any more.
    pub obsolete: Vec<String>,
    /// Temporary files of interrupted synths inside the directory.
    pub leftovers: Vec<String>,
    /// Entries synth never wrote (files, or directories as a whole), relative to the
    /// directory: kept.
    pub foreign: Vec<PathBuf>,
    /// Whether the directory holds `assets/`.
    pub has_assets_dir: bool,
}

/// Surveys `dir` (which may not exist) for a synth writing the files `writes` says it writes.
pub(crate) fn survey(dir: &Path, writes: impl Fn(&str) -> bool) -> std::io::Result<Survey> {
    let mut survey = Survey::default();
    if !dir.is_dir() {
        return Ok(survey);
    }
    let owned = previously_written(dir);
    survey_level(dir, None, &owned, &writes, &mut survey)?;
    survey.obsolete.sort();
    survey.leftovers.sort();
    survey.foreign.sort();
    Ok(survey)
}

fn survey_level(
    dir: &Path,
    prefix: Option<&str>,
    owned: &HashSet<String>,
    writes: &impl Fn(&str) -> bool,
    survey: &mut Survey,
) -> std::io::Result<()> {
    let here = prefix.map_or_else(|| dir.to_path_buf(), |p| dir.join(p));
    for entry in fs::read_dir(&here)? {
        let entry = entry?;
        let file_name = entry.file_name();
        // A name that is not UTF-8 is none synth writes.
        let name = match (prefix, file_name.to_str()) {
            (_, None) => {
                survey
                    .foreign
                    .push(Path::new(prefix.unwrap_or("")).join(&file_name));
                continue;
            }
            (Some(p), Some(n)) => format!("{p}/{n}"),
            (None, Some(n)) => n.to_owned(),
        };
        let is_dir = entry.file_type()?.is_dir();
        if prefix.is_none() && is_dir && name == ASSETS_DIR {
            survey.has_assets_dir = true;
            survey_level(dir, Some(ASSETS_DIR), owned, writes, survey)?;
        } else if writes(&name) {
            // Replaced or kept by the synth itself.
        } else if !is_dir && owned.contains(&name) {
            survey.obsolete.push(name);
        } else if !is_dir && is_old_temp_name(&name) {
            survey.leftovers.push(name);
        } else {
            survey.foreign.push(PathBuf::from(name));
        }
    }
    Ok(())
}

/// The generations interrupted synths left beside the output directory `out` (as given; it
/// need not exist).
pub(crate) fn asides_of(out: &Path) -> Vec<(PathBuf, Aside)> {
    let target = fs::canonicalize(out).or_else(|_| {
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = out.file_name().unwrap_or_default();
        fs::canonicalize(parent).map(|parent| parent.join(name))
    });
    target.map_or_else(|_| Vec::new(), |target| asides(&target))
}

/// The generations interrupted synths left beside the output directory `target` (an absolute
/// path without `..`), sorted.
pub(crate) fn asides(target: &Path) -> Vec<(PathBuf, Aside)> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, Aside)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| Aside::of(&e.file_name(), name).map(|kind| (e.path(), kind)))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synth_names_are_templates_assets_and_the_manifest_only() {
        let hash = "ab".repeat(32);
        for name in [
            "manifest.json",
            "Net.template.json",
            "Net.template.yaml",
            &format!("assets/{hash}.zip"),
        ] {
            assert!(is_synth_name(name), "{name}");
        }
        for name in [
            "notes.txt",
            ".template.json",
            ".hidden.template.json",
            "sub/Net.template.json",
            "../Net.template.json",
            "assets/abc.zip",
            &format!("assets/{}.zip", "AB".repeat(32)),
            &format!("assets/x/{hash}.zip"),
        ] {
            assert!(!is_synth_name(name), "{name}");
        }
        assert!(is_old_temp_name(".Net.template.json.tmp123"));
        assert!(is_old_temp_name(&format!("assets/.{hash}.zip.tmp9")));
        assert!(!is_old_temp_name(".notes.txt.tmp123"));
        assert!(!is_old_temp_name(".Net.template.json.tmp"));
    }

    #[test]
    fn asides_are_recognised_by_the_directory_name_and_a_pid() {
        let name = OsStr::new("synth.out");
        assert_eq!(Aside::New.name(name, 42), ".synth.out.synth-new.42");
        assert_eq!(
            Aside::of(OsStr::new(".synth.out.synth-new.42"), name),
            Some(Aside::New)
        );
        assert_eq!(
            Aside::of(OsStr::new(".synth.out.synth-old.7"), name),
            Some(Aside::Old)
        );
        for other in [
            ".synth.out.synth-new.",
            ".synth.out.synth-new.4x",
            ".other.synth-new.42",
            "synth.out.synth-new.42",
            ".synth.out.synth-mid.42",
        ] {
            assert_eq!(Aside::of(OsStr::new(other), name), None, "{other}");
        }
    }

    #[test]
    fn a_manifest_cannot_make_synth_own_a_file_it_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(MANIFEST),
            r#"{"stacks": [{"templates": ["A.template.json", "../x.template.json", "notes.txt"],
                "assets": [{"file": "assets/bad.zip"}]}]}"#,
        )
        .unwrap();
        let owned = previously_written(dir.path());
        let mut owned: Vec<&str> = owned.iter().map(String::as_str).collect();
        owned.sort_unstable();
        assert_eq!(owned, ["A.template.json", "manifest.json"]);
    }
}
