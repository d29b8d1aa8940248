//! Doc comments from schema descriptions.
//!
//! Descriptions are Markdown converted from the AWS documentation: paragraphs are separated by
//! single newlines and code is in double backticks. Only the first paragraph is kept, and it is
//! made safe for rustdoc: no HTML tags, no bare URLs, no brackets that look like intra-doc links.

/// The first paragraph of a description, sanitized for rustdoc; `None` when it is empty.
pub fn first_paragraph(description: Option<&str>) -> Option<String> {
    let para = description?
        .split('\n')
        .map(str::trim)
        .find(|line| !line.is_empty())?;
    let collapsed = para.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = markdown_safe(&collapsed.replace("``", "`"));
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

const DOCS_BASE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/";

/// Escapes what rustdoc would read as HTML, intra-doc links or bare URLs.
fn markdown_safe(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => match chars[i + 1..].iter().position(|&x| x == '`') {
                Some(len) if len > 0 => {
                    out.extend(&chars[i..=i + 1 + len]);
                    i += len + 2;
                }
                _ => {
                    out.push_str("\\`");
                    i += 1;
                }
            },
            '[' => match parse_link(&chars, i) {
                Some((text, url, end)) => {
                    let url = absolute_url(&url);
                    if text.trim().is_empty() {
                        out.push_str(&format!("<{url}>"));
                    } else {
                        out.push_str(&format!("[{}]({url})", markdown_safe(&text)));
                    }
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' | '<' | '>' | '\\' | '|' => {
                out.push('\\');
                out.push(c);
                i += 1;
            }
            '#' if out.trim().is_empty() => {
                out.push_str("\\#");
                i += 1;
            }
            'h' if starts_url(&chars[i..]) && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) => {
                let mut end = i;
                while end < chars.len() && !chars[end].is_whitespace() {
                    end += 1;
                }
                while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | ')' | '"' | '\'')
                {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let s: String = chars.iter().take(8).collect();
    s.starts_with("http://") || s.starts_with("https://")
}

/// `[text](url)` starting at `start`: the text, the url and the index after the link.
fn parse_link(chars: &[char], start: usize) -> Option<(String, String, usize)> {
    let mut depth = 0;
    let mut close = None;
    for (j, &c) in chars.iter().enumerate().skip(start) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let mut depth = 0;
    for (j, &c) in chars.iter().enumerate().skip(close + 1) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let text: String = chars[start + 1..close].iter().collect();
                    let url: String = chars[close + 2..j].iter().collect();
                    if url.is_empty() || url.contains(char::is_whitespace) {
                        return None;
                    }
                    return Some((text, url, j + 1));
                }
            }
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

/// Relative links in the schemas point into the CloudFormation user guide.
fn absolute_url(url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_owned()
    } else {
        format!("{DOCS_BASE}{}", url.trim_start_matches("./"))
    }
}

/// The user-guide page of a resource type.
pub fn resource_url(type_name: &str) -> String {
    let parts: Vec<&str> = type_name.split("::").collect();
    format!(
        "{DOCS_BASE}aws-resource-{}-{}.html",
        parts[1].to_ascii_lowercase(),
        parts[2].to_ascii_lowercase()
    )
}

/// Lines of `///` doc comment.
pub fn doc_lines(indent: &str, text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                format!("{indent}///\n")
            } else {
                format!("{indent}/// {line}\n")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_paragraph_and_single_backticks() {
        let d = "The ``Foo`` of the   thing.\n More text.";
        assert_eq!(first_paragraph(Some(d)).unwrap(), "The `Foo` of the thing.");
        assert_eq!(first_paragraph(Some("  \n ")), None);
        assert_eq!(first_paragraph(None), None);
    }

    #[test]
    fn escapes_html_brackets_and_bare_urls() {
        let d = "Use <name> or [Key] in a [link](https://x.y/z), see https://a.b/c.";
        assert_eq!(
            first_paragraph(Some(d)).unwrap(),
            "Use \\<name\\> or \\[Key\\] in a [link](https://x.y/z), see <https://a.b/c>."
        );
        let d = "Code `a<b>[c]` stays, an [](https://k.m/) link becomes autolink.";
        assert_eq!(
            first_paragraph(Some(d)).unwrap(),
            "Code `a<b>[c]` stays, an <https://k.m/> link becomes autolink."
        );
        assert_eq!(
            first_paragraph(Some("See [tags](aws-properties-resource-tags.html).")).unwrap(),
            format!("See [tags]({DOCS_BASE}aws-properties-resource-tags.html).")
        );
    }
}
