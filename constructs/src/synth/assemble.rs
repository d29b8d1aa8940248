//! Assembling an app in memory: every stack planned, validated, serialized and rendered into an
//! owned [`Template`], for inspection and tests. Writing files streams instead (see `emit`).

use crate::app::{App, Env, Stack};
use crate::diagnostics::{Code, Diagnostic, SynthError};
use crate::model::template::Template;

use super::deploy::deployed_file;
use super::iam_audit::{check_iam, explain_view, is_iam_finding};
use super::limit::{OverLimit, MAX_BODY_BYTES};
use super::manifest::{Format, Manifest, ManifestStack};
use super::plan::plan;
use super::validate::{check_body_size, too_large, validate};
use super::view::{to_template, TemplateView};

/// Every stack of an app, rendered and validated, ready to be written.
#[derive(Clone, Debug)]
pub struct Assembly {
    /// The stacks, in the order they were added to the app.
    pub stacks: Vec<StackArtifact>,
    /// Stack names in the order they must be deployed.
    pub deploy_order: Vec<String>,
    /// Warnings found (an assembly has no errors).
    pub warnings: Vec<Diagnostic>,
}

/// One rendered stack.
#[derive(Clone, Debug)]
pub struct StackArtifact {
    /// The stack name.
    pub name: String,
    /// The template model.
    pub template: Template,
    /// The template as 2-space pretty JSON with a final newline: the bytes synth writes.
    pub json: String,
    /// The stacks this one imports from, which must be deployed first.
    pub dependencies: Vec<String>,
    /// The pinned account and region, if any.
    pub env: Env,
    /// What each policy of the template grants — roles, identity policies, queue, topic,
    /// bucket and key policies, Lambda permissions, L1 ones included — in template order,
    /// each statement with the grant that asked for it.
    pub iam_report: Vec<crate::iam::PolicyExplanation>,
    /// The stack's assets, each written to `<out>/assets/<sha256>.zip`.
    pub assets: Vec<crate::asset::Asset>,
}

impl StackArtifact {
    /// The template as YAML with CloudFormation's short-form tags.
    pub fn yaml(&self) -> String {
        super::yaml::to_yaml(&self.template)
    }

    /// The manifest entry of this stack, listing the files of the given formats.
    fn manifest(&self, formats: Format) -> ManifestStack {
        let json_len = (formats != Format::Yaml).then_some(self.json.len());
        let yaml_len = (formats != Format::Json).then(|| self.yaml().len());
        let view = TemplateView::of_template(&self.template);
        ManifestStack::new(
            &self.name,
            formats,
            &view,
            deployed_file(json_len, yaml_len),
            self.dependencies.clone(),
            &self.env,
            &self.assets,
        )
    }
}

impl Assembly {
    /// The artifact of the stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The asset zips synth writes, each once: the file name relative to the output directory
    /// (`assets/<sha256>.zip`) and the bytes, in the order of the stacks.
    pub fn asset_files(&self) -> Vec<(String, &[u8])> {
        let mut files: Vec<(String, &[u8])> = Vec::new();
        for asset in self.stacks.iter().flat_map(|s| &s.assets) {
            let name = asset.key();
            if !files.iter().any(|(seen, _)| *seen == name) {
                files.push((name, asset.packed().bytes()));
            }
        }
        files
    }

    /// The manifest describing this assembly, listing the files of the given formats.
    pub fn manifest(&self, formats: Format) -> Manifest {
        Manifest {
            version: 1,
            stacks: self.stacks.iter().map(|s| s.manifest(formats)).collect(),
            deploy_order: self.deploy_order.clone(),
        }
    }
}

impl App {
    /// Renders and validates every stack in memory, writing nothing.
    ///
    /// Every stack is planned, validated and serialized as [`App::synth`] would write it, and
    /// also rendered into an owned [`Template`].
    pub fn assemble(&self) -> Result<Assembly, SynthError> {
        let plan = plan(self);
        let mut diagnostics = plan.diagnostics;
        let mut stacks = Vec::with_capacity(self.stacks().len());
        for (i, stack) in self.stacks().iter().enumerate() {
            if plan.unwritable[i] {
                // Reported by planning, which is an error: no assembly comes of this app.
                continue;
            }
            let view = TemplateView::of_stack(stack, &plan.exports[i]);
            diagnostics.extend(check(stack, &view));
            let file = format!("{}.template.json", stack.name());
            let json = match render_json(&view) {
                Ok(json) => json,
                Err(OverLimit) => {
                    diagnostics.push(too_large(stack.name(), &file));
                    continue;
                }
            };
            diagnostics.extend(check_body_size(stack.name(), &file, json.len()));
            stacks.push(StackArtifact {
                name: stack.name().to_owned(),
                template: to_template(&view),
                json: String::from_utf8(json).expect("serde_json writes UTF-8"),
                dependencies: dependency_names(self, &plan.dependencies[i]),
                env: stack.environment().clone(),
                iam_report: explain_view(stack, &view),
                assets: stack.assets().to_vec(),
            });
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(SynthError::new(diagnostics));
        }
        Ok(Assembly {
            deploy_order: dependency_names(self, &plan.deploy_order),
            stacks,
            warnings: diagnostics,
        })
    }
}

/// Validates the template `view` of `stack`; returns what validation found. The rendered
/// files' sizes are checked by the caller ([`check_body_size`], [`too_large`]).
pub(crate) fn check(stack: &Stack, view: &TemplateView<'_>) -> Vec<Diagnostic> {
    let mut found = validate(stack.name(), view);
    found.extend(check_iam(stack, view));
    let contents = stack.contents();
    // A stack whose only resources have invalid ids is not empty: those ids are reported.
    if !contents.resources.is_empty() {
        found.retain(|d| d.code != Code::EmptyTemplate);
    }
    // A construct that refused its own props still writes its resources; the schema check
    // would repeat, in schema terms, what the construct said in its own. Its resources are
    // those whose path starts with the construct's (`Store/Logs` wrote `Store/LogsBucket`).
    let refused: Vec<&str> = contents
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.path.as_str())
        .collect();
    if !refused.is_empty() {
        // Likewise the IAM check: a role whose service was refused is written trusting no
        // one valid, which the checker would report again.
        found.retain(|d| {
            !(d.code.is_schema() || is_iam_finding(d.code))
                || !refused.iter().any(|p| d.path.starts_with(p))
        });
    }
    found
}

/// The template `view` as the JSON bytes synth writes, or [`OverLimit`] as soon as they pass
/// the most CloudFormation accepts ([`MAX_BODY_BYTES`]): a template too large to deploy is
/// never rendered whole.
pub(crate) fn render_json(view: &TemplateView<'_>) -> Result<Vec<u8>, OverLimit> {
    let mut json = Vec::new();
    view.write_json(&mut json, MAX_BODY_BYTES)?;
    Ok(json)
}

/// The names of the stacks at `indexes`.
pub(crate) fn dependency_names(app: &App, indexes: &[usize]) -> Vec<String> {
    indexes
        .iter()
        .map(|&i| app.stacks()[i].name().to_owned())
        .collect()
}
