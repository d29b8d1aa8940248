//! `manifest.json`: the stacks of an assembly, their files, dependencies and deploy order.

use serde::Serialize;

use super::assemble::StackArtifact;
use super::emit::Format;

/// The manifest synth writes beside the templates, for deploy scripts and CI.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The manifest format version.
    pub version: u32,
    /// The stacks, in the order they were added to the app.
    pub stacks: Vec<ManifestStack>,
    /// Stack names in the order they must be deployed.
    pub deploy_order: Vec<String>,
}

/// One stack in the manifest.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestStack {
    /// The stack name.
    pub name: String,
    /// The template files written for it, relative to the output directory.
    pub templates: Vec<String>,
    /// The stacks it imports from.
    pub dependencies: Vec<String>,
    /// The pinned account, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The pinned region, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl ManifestStack {
    pub(crate) fn new(artifact: &StackArtifact, formats: Format) -> Self {
        Self {
            name: artifact.name.clone(),
            templates: formats
                .extensions()
                .iter()
                .map(|ext| format!("{}.template.{ext}", artifact.name))
                .collect(),
            dependencies: artifact.dependencies.clone(),
            account: artifact.env.account.clone(),
            region: artifact.env.region.clone(),
        }
    }
}
