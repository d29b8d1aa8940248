//! Rust names for CloudFormation names.

/// Splits a CloudFormation name into words.
///
/// Words break at non-alphanumeric characters, before an uppercase letter that follows a
/// lowercase letter or a digit, and before the last letter of an uppercase run that is followed
/// by a lowercase letter (`VPCId` is `VPC` `Id`, `SSESpecification` is `SSE` `Specification`).
/// Digits stay with the word before them (`Ipv6CidrBlock` is `Ipv6` `Cidr` `Block`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower);
            if boundary {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`, with a trailing underscore for Rust keywords (`Type` is `type_`).
pub fn snake(name: &str) -> String {
    let s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if is_keyword(&s) {
        format!("{s}_")
    } else {
        s
    }
}

/// `UpperCamelCase` with acronyms normalised (`VPCGatewayAttachment` is `VpcGatewayAttachment`).
pub fn camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect()
}

fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
        "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
        "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
        "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms_and_digits() {
        assert_eq!(snake("EnableDnsHostnames"), "enable_dns_hostnames");
        assert_eq!(snake("SSESpecification"), "sse_specification");
        assert_eq!(snake("Ipv6CidrBlock"), "ipv6_cidr_block");
        assert_eq!(snake("VPCId"), "vpc_id");
        assert_eq!(snake("Type"), "type_");
        assert_eq!(snake("CanonicalHostedZoneID"), "canonical_hosted_zone_id");
        assert_eq!(snake("S3TablesDestination"), "s3_tables_destination");
        assert_eq!(snake("deadLetterTargetArn"), "dead_letter_target_arn");
        assert_eq!(snake("VPCGatewayAttachment"), "vpc_gateway_attachment");
    }

    #[test]
    fn camel_case_normalises_acronyms() {
        assert_eq!(camel("VPC"), "Vpc");
        assert_eq!(camel("VPCGatewayAttachment"), "VpcGatewayAttachment");
        assert_eq!(camel("EIP"), "Eip");
        assert_eq!(camel("VPCEndpoint"), "VpcEndpoint");
        assert_eq!(camel("SecurityGroup"), "SecurityGroup");
        assert_eq!(camel("ApiGatewayV2"), "ApiGatewayV2");
    }
}
