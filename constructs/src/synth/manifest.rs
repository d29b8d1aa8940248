//! `manifest.json`: the stacks of an assembly, their files, dependencies and deploy order.

use serde::Serialize;

use crate::app::Env;
use crate::asset::{Asset, BUCKET_PARAMETER};

#[cfg(doc)]
use super::deploy::deployed_file;
use super::deploy::{upload_command, DeployInfo};
use super::view::TemplateView;

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
    /// How to deploy it.
    pub deploy: DeployInfo,
    /// The assets to upload before deploying it (left out when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<ManifestAsset>,
}

/// One asset of a stack: a zip under the output directory, uploaded to the assets bucket before
/// the stack is deployed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestAsset {
    /// The path it was packed from, as the app gave it.
    pub source: String,
    /// The SHA-256 of the zip, 64 lowercase hex digits.
    pub hash: String,
    /// The zip, relative to the output directory: `assets/<sha256>.zip`.
    pub file: String,
    /// The object key it must be uploaded to: `assets/<sha256>.zip`.
    pub s3_key: String,
    /// The stack parameter that names the bucket: `AssetsBucket`.
    pub bucket_parameter: String,
    /// The upload command, with the file relative to the output directory and the bucket the
    /// shell variable the deploy command passes for the parameter (`$ASSETS_BUCKET`).
    pub upload: String,
}

impl ManifestAsset {
    fn new(asset: &Asset) -> Self {
        let file = asset.key();
        let s3_key = asset.key();
        let upload = upload_command(&file, &s3_key, BUCKET_PARAMETER);
        Self {
            source: asset.source().to_owned(),
            hash: asset.hash().to_owned(),
            file,
            s3_key,
            bucket_parameter: BUCKET_PARAMETER.to_owned(),
            upload,
        }
    }
}

impl Manifest {
    /// The deploy command of every stack, in deploy order, with template paths under `out_dir`.
    pub fn deploy_commands(&self, out_dir: &std::path::Path) -> Vec<String> {
        self.deploy_order
            .iter()
            .filter_map(|name| self.stacks.iter().find(|s| &s.name == name))
            .map(|s| {
                let file = &s.deploy.template_file;
                let path = out_dir.join(file);
                s.deploy.command.replacen(
                    &format!("--template-file {file}"),
                    &format!("--template-file {}", path.display()),
                    1,
                )
            })
            .collect()
    }

    /// The upload command of every asset, with file paths under `out_dir`: in deploy order,
    /// each asset once, even when several stacks use it.
    pub fn upload_commands(&self, out_dir: &std::path::Path) -> Vec<String> {
        let mut commands: Vec<String> = Vec::new();
        let stacks = self
            .deploy_order
            .iter()
            .filter_map(|name| self.stacks.iter().find(|s| &s.name == name));
        for asset in stacks.flat_map(|s| &s.assets) {
            let path = out_dir.join(&asset.file);
            let command = upload_command(
                &path.display().to_string(),
                &asset.s3_key,
                &asset.bucket_parameter,
            );
            if !commands.contains(&command) {
                commands.push(command);
            }
        }
        commands
    }
}

impl ManifestStack {
    /// The manifest entry of stack `name`, whose template is `template`. `deployed` is the
    /// extension and size of the file that is deployed ([`deployed_file`]).
    pub(crate) fn new(
        name: &str,
        formats: Format,
        template: &TemplateView<'_>,
        deployed: (&str, usize),
        dependencies: Vec<String>,
        env: &Env,
        assets: &[Asset],
    ) -> Self {
        let templates: Vec<String> = formats
            .extensions()
            .iter()
            .map(|ext| format!("{name}.template.{ext}"))
            .collect();
        let (ext, len) = deployed;
        let deploy = DeployInfo::new(name, template, &format!("{name}.template.{ext}"), len)
            .in_region(env.region.as_deref());
        Self {
            name: name.to_owned(),
            templates,
            dependencies,
            account: env.account.clone(),
            region: env.region.clone(),
            deploy,
            assets: assets.iter().map(ManifestAsset::new).collect(),
        }
    }
}
