//! What deploying a stack takes: capabilities, parameters without defaults, an S3 bucket for
//! large bodies, and the `aws cloudformation deploy` command that does it.

use serde::Serialize;

use super::view::TemplateView;

/// The inline template body limit of the CloudFormation API, in bytes.
pub const INLINE_BODY_LIMIT: usize = 51_200;

/// IAM resource types whose name property, when set, makes a stack need
/// `CAPABILITY_NAMED_IAM` instead of `CAPABILITY_IAM`.
const NAMED_IAM: &[(&str, &str)] = &[
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
];

/// How to deploy one stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployInfo {
    /// `CAPABILITY_IAM` when the stack creates IAM resources, `CAPABILITY_NAMED_IAM` when any of
    /// them has an explicit name; empty otherwise.
    pub capabilities: Vec<&'static str>,
    /// Parameters without a default: deploy must be given a value for each.
    pub required_parameters: Vec<String>,
    /// The body is over 51,200 bytes: deploy must upload it through `--s3-bucket`.
    pub needs_s3_bucket: bool,
    /// The command, with the template path relative to the output directory. Values only the
    /// user knows are shell variables: `$CFN_ARTIFACT_BUCKET` for the bucket and the parameter
    /// name in upper snake case for each required parameter.
    pub command: String,
    /// The template file the command deploys, relative to the output directory (the command
    /// names it too).
    #[serde(skip)]
    pub(crate) template_file: String,
}

/// Which of a stack's files is deployed, and its size, given the sizes of the files written:
/// with one format, its file; with both, the JSON, unless it is over the 51,200 bytes
/// CloudFormation takes inline and the YAML is not, so that the deploy needs no bucket.
pub(crate) fn deployed_file(
    json_len: Option<usize>,
    yaml_len: Option<usize>,
) -> (&'static str, usize) {
    match (json_len, yaml_len) {
        (Some(json), Some(yaml)) if json > INLINE_BODY_LIMIT && yaml <= INLINE_BODY_LIMIT => {
            ("yaml", yaml)
        }
        (Some(json), _) => ("json", json),
        (None, Some(yaml)) => ("yaml", yaml),
        (None, None) => ("json", 0),
    }
}

impl DeployInfo {
    pub(crate) fn new(
        stack: &str,
        template: &TemplateView<'_>,
        template_file: &str,
        body_len: usize,
    ) -> Self {
        let mut iam = false;
        let mut named = false;
        for resource in &template.resources {
            if resource.type_name.starts_with("AWS::IAM::") {
                iam = true;
                named |= NAMED_IAM.iter().any(|(type_name, name_prop)| {
                    resource.type_name == *type_name && resource.properties.contains_key(*name_prop)
                });
            }
        }
        let capabilities = match (iam, named) {
            (_, true) => vec!["CAPABILITY_NAMED_IAM"],
            (true, false) => vec!["CAPABILITY_IAM"],
            (false, false) => Vec::new(),
        };
        let required_parameters: Vec<String> = template
            .parameters
            .iter()
            .filter(|(_, p)| p.default.is_none())
            .map(|(id, _)| (*id).to_owned())
            .collect();
        let needs_s3_bucket = body_len > INLINE_BODY_LIMIT;

        let mut command = format!(
            "aws cloudformation deploy --template-file {template_file} --stack-name {stack} --no-fail-on-empty-changeset"
        );
        if !capabilities.is_empty() {
            command.push_str(&format!(" --capabilities {}", capabilities.join(" ")));
        }
        if needs_s3_bucket {
            command.push_str(" --s3-bucket \"$CFN_ARTIFACT_BUCKET\"");
        }
        if !required_parameters.is_empty() {
            command.push_str(" --parameter-overrides");
            for name in &required_parameters {
                command.push_str(&format!(" \"{name}=${}\"", shell_variable(name)));
            }
        }
        Self {
            capabilities,
            required_parameters,
            needs_s3_bucket,
            command,
            template_file: template_file.to_owned(),
        }
    }
}

impl DeployInfo {
    /// The command of a stack pinned to `region` deploys there (`--region`), whatever Region
    /// the shell's AWS configuration points at. The Region was checked when the stack was added
    /// to the app (one of [`KNOWN_REGIONS`](crate::region::KNOWN_REGIONS)), so it is safe to
    /// print unquoted.
    pub(crate) fn in_region(mut self, region: Option<&str>) -> Self {
        if let Some(region) = region {
            self.command.push_str(" --region ");
            self.command.push_str(region);
        }
        self
    }
}

/// The command that uploads the asset file `file` (a path to the zip) to `key` in the bucket
/// named by the stack parameter `bucket_parameter`, whose value is the shell variable the deploy
/// command passes for that parameter: `aws s3 cp FILE "s3://$ASSETS_BUCKET/KEY"`.
pub(crate) fn upload_command(file: &str, key: &str, bucket_parameter: &str) -> String {
    format!(
        "aws s3 cp {file} \"s3://${}/{key}\"",
        shell_variable(bucket_parameter)
    )
}

/// `DbPassword` -> `DB_PASSWORD`.
fn shell_variable(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::expr::Expr;
    use crate::model::logical_id::LogicalId;
    use crate::model::template::{Parameter, ResourceEntry, Template};

    fn resource(type_name: &str, props: &[(&str, &str)]) -> ResourceEntry {
        ResourceEntry {
            properties: props
                .iter()
                .map(|(k, v)| (k.to_string(), Expr::string(*v)))
                .collect(),
            ..ResourceEntry::new(type_name)
        }
    }

    fn info(stack: &str, t: &Template, file: &str, body_len: usize) -> DeployInfo {
        let view = TemplateView::of_template(t);
        DeployInfo::new(stack, &view, file, body_len)
    }

    fn template(resources: Vec<(&str, ResourceEntry)>) -> Template {
        Template {
            resources: resources
                .into_iter()
                .map(|(id, r)| (LogicalId::new(id).unwrap(), r))
                .collect(),
            ..Template::default()
        }
    }

    #[test]
    fn capabilities_follow_the_iam_resources() {
        let none = template(vec![("T", resource("AWS::SNS::Topic", &[]))]);
        assert!(info("S", &none, "S.template.json", 10)
            .capabilities
            .is_empty());
        let iam = template(vec![("R", resource("AWS::IAM::Role", &[]))]);
        assert_eq!(
            info("S", &iam, "f", 10).capabilities,
            vec!["CAPABILITY_IAM"]
        );
        let named = template(vec![(
            "R",
            resource("AWS::IAM::Role", &[("RoleName", "x")]),
        )]);
        assert_eq!(
            info("S", &named, "f", 10).capabilities,
            vec!["CAPABILITY_NAMED_IAM"]
        );
    }

    #[test]
    fn command_names_bucket_and_required_parameters() {
        let mut t = template(vec![("R", resource("AWS::IAM::Role", &[]))]);
        let param = |default: Option<Expr>| Parameter {
            default,
            ..Parameter::new("String")
        };
        t.parameters
            .insert(LogicalId::new("DbPassword").unwrap(), param(None));
        t.parameters.insert(
            LogicalId::new("Env").unwrap(),
            param(Some(Expr::string("dev"))),
        );
        let info = info("App", &t, "App.template.json", 60_000);
        assert!(info.needs_s3_bucket);
        assert_eq!(info.required_parameters, vec!["DbPassword"]);
        assert_eq!(
            info.command,
            "aws cloudformation deploy --template-file App.template.json --stack-name App \
             --no-fail-on-empty-changeset --capabilities CAPABILITY_IAM \
             --s3-bucket \"$CFN_ARTIFACT_BUCKET\" --parameter-overrides \"DbPassword=$DB_PASSWORD\""
        );
    }

    #[test]
    fn with_both_formats_the_yaml_is_deployed_only_when_it_alone_fits_inline() {
        let small = INLINE_BODY_LIMIT;
        let big = INLINE_BODY_LIMIT + 1;
        assert_eq!(deployed_file(Some(small), Some(big)), ("json", small));
        assert_eq!(deployed_file(Some(big), Some(small)), ("yaml", small));
        assert_eq!(deployed_file(Some(big + 9), Some(big)), ("json", big + 9));
        assert_eq!(deployed_file(Some(10), Some(5)), ("json", 10));
        assert_eq!(deployed_file(None, Some(big)), ("yaml", big));
        assert_eq!(deployed_file(Some(big), None), ("json", big));
    }

    #[test]
    fn uploads_use_the_variable_the_deploy_command_passes() {
        assert_eq!(
            upload_command("assets/ab.zip", "assets/ab.zip", "AssetsBucket"),
            "aws s3 cp assets/ab.zip \"s3://$ASSETS_BUCKET/assets/ab.zip\""
        );
    }

    #[test]
    fn shell_variables_are_upper_snake_case() {
        assert_eq!(shell_variable("DbPassword"), "DB_PASSWORD");
        assert_eq!(shell_variable("Env"), "ENV");
        assert_eq!(shell_variable("VpcCidr2"), "VPC_CIDR2");
    }
}
