//! Container images: where they come from, and whether the reference pins what runs.

use crate::{fns, Value};

use super::error::FargateError;

/// A container image: from an ECR repository of the stack's account and region, or by its
/// full reference in any registry.
///
/// An image must be pinned: by a tag other than `latest`, or by a digest. An untagged or
/// `latest` reference is reported with the code `mutable-image-tag`, because a redeploy or a
/// replaced task could then run different code than the one reviewed.
///
/// ```
/// use constructs::fargate::ContainerImage;
///
/// let own = ContainerImage::ecr("web", "1.4.2");
/// assert!(own.is_ecr());
/// let public = ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27");
/// assert!(!public.is_ecr());
/// assert!(ContainerImage::registry("nginx").pin_problem().is_some());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerImage {
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// A repository of the stack's own account and region.
    OwnEcr {
        repository: String,
        reference: String,
    },
    /// A full reference; `ecr` is set when it names a private ECR repository
    /// (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>`).
    Registry {
        image: String,
        ecr: Option<EcrLocation>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct EcrLocation {
    account: String,
    region: String,
    repository: String,
}

impl ContainerImage {
    /// The image `tag_or_digest` (`1.4.2`, or `sha256:…`) of the ECR repository `repository`
    /// in the stack's account and region. The execution role may pull from that repository.
    pub fn ecr(repository: impl Into<String>, tag_or_digest: impl Into<String>) -> Self {
        Self {
            kind: Kind::OwnEcr {
                repository: repository.into(),
                reference: tag_or_digest.into(),
            },
        }
    }

    /// An image by its full reference, such as `public.ecr.aws/nginx/nginx:1.27` or
    /// `docker.io/library/redis:7.4`. A private ECR reference
    /// (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2`) gets pull permissions on its
    /// repository; any other registry gets none.
    pub fn registry(image: impl Into<String>) -> Self {
        let image = image.into();
        let ecr = parse_ecr(&image);
        Self {
            kind: Kind::Registry { image, ecr },
        }
    }

    /// Whether the image is in a private ECR repository (and so needs ECR permissions).
    pub fn is_ecr(&self) -> bool {
        match &self.kind {
            Kind::OwnEcr { .. } => true,
            Kind::Registry { ecr, .. } => ecr.is_some(),
        }
    }

    /// The image as given (the repository for an image of the stack's own ECR), for messages.
    pub(crate) fn shown(&self) -> &str {
        match &self.kind {
            Kind::OwnEcr { repository, .. } => repository,
            Kind::Registry { image, .. } => image,
        }
    }

    /// Why the reference does not pin an image (untagged, or tagged `latest`), if it does not.
    pub fn pin_problem(&self) -> Option<FargateError> {
        let (shown, reference) = match &self.kind {
            Kind::OwnEcr {
                repository,
                reference,
            } => (repository.clone(), Some(reference.clone())),
            Kind::Registry { image, .. } => (image.clone(), registry_reference(image)),
        };
        match reference.as_deref() {
            None | Some("") => Some(FargateError::UntaggedImage { image: shown }),
            Some("latest") => Some(FargateError::LatestImageTag { image: shown }),
            Some(_) => None,
        }
    }

    /// The `Image` value of the container definition.
    pub(crate) fn uri(&self) -> Value<String> {
        match &self.kind {
            Kind::OwnEcr {
                repository,
                reference,
            } => {
                let separator = if reference.starts_with("sha256:") {
                    '@'
                } else {
                    ':'
                };
                fns::sub(format!(
                    "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/{repository}{separator}{reference}"
                ))
            }
            Kind::Registry { image, .. } => image.as_str().into(),
        }
    }

    /// The ECR repository's name and ARN, when the image is in ECR.
    pub(crate) fn repository(&self) -> Option<(String, Value<String>)> {
        match &self.kind {
            Kind::OwnEcr { repository, .. } => Some((
                repository.clone(),
                fns::sub(format!(
                    "arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{repository}"
                )),
            )),
            Kind::Registry { ecr: Some(at), .. } => Some((
                at.repository.clone(),
                fns::sub(format!(
                    "arn:${{AWS::Partition}}:ecr:{}:{}:repository/{}",
                    at.region, at.account, at.repository
                )),
            )),
            Kind::Registry { ecr: None, .. } => None,
        }
    }
}

/// The tag or digest of a full image reference: after `@`, or after the last `:` of the last
/// path segment (a `:` before it is a registry port).
fn registry_reference(image: &str) -> Option<String> {
    if let Some((_, digest)) = image.split_once('@') {
        return Some(digest.to_owned());
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag.to_owned())
}

/// `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]`.
fn parse_ecr(image: &str) -> Option<EcrLocation> {
    let (host, rest) = image.split_once('/')?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if parts.next()? != "dkr" || parts.next()? != "ecr" {
        return None;
    }
    let region = parts.next()?;
    if parts.next()? != "amazonaws" {
        return None;
    }
    let repository = rest
        .split('@')
        .next()
        .map(|r| match r.rsplit_once(':') {
            Some((name, tag)) if !tag.contains('/') => name,
            _ => r,
        })?
        .to_owned();
    Some(EcrLocation {
        account: account.to_owned(),
        region: region.to_owned(),
        repository,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinning_is_checked() {
        for pinned in [
            "nginx:1.27",
            "registry.example.com:5000/team/app:2.0",
            "public.ecr.aws/nginx/nginx@sha256:0123",
        ] {
            assert_eq!(
                ContainerImage::registry(pinned).pin_problem(),
                None,
                "{pinned}"
            );
        }
        for loose in [
            "nginx",
            "nginx:latest",
            "registry.example.com:5000/team/app",
        ] {
            assert!(
                ContainerImage::registry(loose).pin_problem().is_some(),
                "{loose}"
            );
        }
        assert!(ContainerImage::ecr("web", "latest").pin_problem().is_some());
        assert!(ContainerImage::ecr("web", "").pin_problem().is_some());
        assert_eq!(ContainerImage::ecr("web", "sha256:ab").pin_problem(), None);
    }

    #[test]
    fn private_ecr_references_are_recognised() {
        let image =
            ContainerImage::registry("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.0");
        let (name, arn) = image.repository().unwrap();
        assert_eq!(name, "team/web");
        assert_eq!(
            serde_json::to_value(&arn).unwrap(),
            serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/team/web"})
        );
        assert!(ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27")
            .repository()
            .is_none());
    }
}
