/*!
Markdown to HTML: CommonMark with tables, footnotes and strikethrough; heading anchors
that keep Chinese text; root-relative links prefixed with base_url; and the result
sanitised with ammonia unless the site allows raw HTML. No "smart" punctuation: it
would turn the quotation marks of Chinese text into the wrong ones.
*/

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders `markdown` as HTML for a page of a site served under `base_url`.
/// `link` gives the URL of a link written to a document (by file or 索引号, see
/// [`crate::links`]); other links are kept as written.
pub fn to_html(markdown: &str, base_url: &str, allow_raw_html: bool, link: &dyn Fn(&str) -> Option<String>) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, OPTIONS).collect();
    let events = rewrite(events, base_url, link);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if allow_raw_html { html } else { sanitizer().clean(&html).to_string() }
}

/// Gives headings ids and the page's outline its place (the page title is the only
/// `h1`, so the body's top heading level becomes `h2`), and prefixes root-relative
/// link and image targets with base_url.
fn rewrite<'a>(mut events: Vec<Event<'a>>, base_url: &str, link: &dyn Fn(&str) -> Option<String>) -> Vec<Event<'a>> {
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let shift = 2usize.saturating_sub(top);
    let mut used = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        match &mut events[i] {
            Event::Start(Tag::Heading { level, id, .. }) => {
                *level = shifted(*level, shift);
                if id.is_none() {
                    let text = heading_text(&events[i + 1..]);
                    let Event::Start(Tag::Heading { id, .. }) = &mut events[i] else { unreachable!() };
                    *id = Some(CowStr::from(unique_id(&text, &mut used)));
                } else if let Some(given) = id {
                    used.insert(given.to_string());
                }
            }
            Event::End(TagEnd::Heading(level)) => *level = shifted(*level, shift),
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(url) = link(dest_url) {
                    *dest_url = CowStr::from(url);
                } else if dest_url.starts_with('/') && !dest_url.starts_with("//") && base_url != "/" {
                    *dest_url = CowStr::from(format!("{base_url}{}", &dest_url[1..]));
                }
            }
            _ => {}
        }
        i += 1;
    }
    events
}

/// The anchors a page rendered from `markdown` has: its headings' ids.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let events = rewrite(Parser::new_ext(markdown, OPTIONS).collect(), "/", &|_| None);
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// Every link and image target in `markdown`, with the byte offset where it is written.
pub fn link_targets(markdown: &str) -> Vec<(String, usize)> {
    Parser::new_ext(markdown, OPTIONS)
        .into_offset_iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url.to_string(), range.start)),
            _ => None,
        })
        .collect()
}

fn shifted(level: HeadingLevel, by: usize) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + by).min(6)).unwrap_or(HeadingLevel::H6)
}

fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// An anchor id from heading text: letters and digits of any script are kept (so
/// "一、主动公开" gives "一主动公开"), spaces become '-', the rest is dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "section".into() } else { out }
}

fn unique_id(text: &str, used: &mut HashSet<String>) -> String {
    let base = slugify(text);
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section"]).add_generic_attributes(["lang", "title"]);
        for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "sup", "section"] {
            b.add_tag_attributes(tag, ["id"]);
        }
        for tag in ["sup", "div", "section", "ol", "li", "span"] {
            b.add_tag_attributes(tag, ["class"]);
        }
        for tag in ["th", "td"] {
            b.add_tag_attributes(tag, ["style"]);
        }
        b.attribute_filter(|element, attr, value| match (element, attr) {
            // Table cell alignment is the only inline style Markdown produces; nothing
            // else written in a style attribute survives.
            (_, "style") => {
                let v = value.trim().trim_end_matches(';').replace(' ', "");
                matches!(v.as_str(), "text-align:left" | "text-align:center" | "text-align:right").then(|| value.into())
            }
            // A page never has the visitor's browser fetch from another host (closed
            // government networks, no tracking pixels): such an image shows its alt text.
            ("img", "src") if is_off_site(value) => None,
            _ => Some(value.into()),
        });
        b
    })
}

/// Whether a URL leads off the site: it names a scheme (`https:`, `data:`) or a host
/// (`//host/…`, which browsers also read in `\\host/…` and `/\host/…`).
fn is_off_site(url: &str) -> bool {
    // Browsers ignore leading spaces and control characters in a URL.
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let names_host = url.chars().take(2).filter(|c| matches!(c, '/' | '\\')).count() == 2;
    let names_scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    names_host || names_scheme
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headings_get_readable_unique_anchors() {
        let html = to_html("## 一、主动公开\n\n## 一、主动公开\n\n### (一) 公开范围\n", "/", false, &|_| None);
        assert!(html.contains(r#"<h2 id="一主动公开">"#), "{html}");
        assert!(html.contains(r#"<h2 id="一主动公开-2">"#), "{html}");
        assert!(html.contains(r#"<h3 id="一-公开范围">"#), "{html}");
    }

    #[test]
    fn body_headings_start_below_the_page_title() {
        let html = to_html("# 标题\n\n## 小节\n", "/", false, &|_| None);
        assert!(html.contains("<h2 id=\"标题\">") && html.contains("<h3 id=\"小节\">"), "{html}");
    }

    #[test]
    fn tables_footnotes_strikethrough_and_no_smart_quotes() {
        let html = to_html("| 事项 | 数量 |\n|:--|--:|\n| 许可 | 3 |\n\n~~旧~~ \"引号\"[^1]\n\n[^1]: 注释\n", "/", false, &|_| None);
        assert!(html.contains("<table>") && html.contains("<th style=\"text-align: left\">事项</th>"), "{html}");
        assert!(html.contains("<del>旧</del>"), "{html}");
        assert!(html.contains("&quot;引号&quot;") || html.contains("\"引号\""), "{html}");
        assert!(html.contains("class=\"footnote-definition\""), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let md = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n<p style=\"position:fixed\">x</p>";
        let html = to_html(md, "/", false, &|_| None);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("position:fixed"), "{html}");
        let raw = to_html(md, "/", true, &|_| None);
        assert!(raw.contains("<script>"), "raw HTML is kept when the site allows it");
    }

    #[test]
    fn images_from_other_sites_are_not_loaded() {
        let md = "![外](https://evil.example/a.png) ![协议相对](//evil.example/b.png) <img src=\"/\\evil.example/c.png\"> <img src=\" HTTP://evil.example/d.png\">\n\n![本站](/files/a.png) ![相对](a.png)";
        let html = to_html(md, "/", false, &|_| None);
        assert!(!html.contains("evil.example"), "{html}");
        assert!(html.contains(r#"<img alt="外">"#), "the alt text stays: {html}");
        assert!(html.contains(r#"src="/files/a.png""#) && html.contains(r#"src="a.png""#), "{html}");
        assert!(!is_off_site("docs/a:b.png"));
    }

    #[test]
    fn root_relative_links_follow_base_url() {
        let html = to_html("[附件](/files/a.pdf) [外部](https://www.gov.cn/) ![图](/files/a.png)", "/xxgk/", false, &|_| None);
        assert!(html.contains("href=\"/xxgk/files/a.pdf\""), "{html}");
        assert!(html.contains("src=\"/xxgk/files/a.png\""), "{html}");
        assert!(html.contains("href=\"https://www.gov.cn/\""), "{html}");
    }
}
