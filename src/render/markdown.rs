/*!
Markdown to HTML: CommonMark with tables, footnotes and strikethrough; heading anchors
that keep Chinese text and stay clear of the theme's own ids; root-relative links
prefixed with base_url; nesting bounded at [`MAX_NESTING`] levels; and the result
sanitised with ammonia unless the site allows raw HTML. No "smart" punctuation: it
would turn the quotation marks of Chinese text into the wrong ones.
*/

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::load::chars;

mod depth;

pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// The ids of the default theme's own elements. A heading whose anchor would be one
/// of them gets a numbered one instead (`main-2`), so that the skip link, the
/// accessibility toolbar and the page's sections keep working.
const THEME_IDS: [&str; 33] = [
    "a11y-size", "a11y-speech", "a11y-speech-status", "a11y-toggle", "a11y-toolbar", "apply-channels", "apply-forms",
    "attachments", "browse", "elderly", "elderly-toggle", "entries",
    "facets-heading", "header-q", "hits-heading", "latest", "main", "policy-readings", "policy-source", "related", "search-active", "search-app",
    "search-facet-groups", "search-facets", "search-form", "search-hint", "search-hits", "search-more", "search-q",
    "search-sort", "search-status", "versions", "years",
];

/// The classes Markdown gives elements (footnotes); others, written in raw HTML,
/// could take on the theme's styles and behaviour.
const OWN_CLASSES: [&str; 3] = ["footnote-definition", "footnote-definition-label", "footnote-reference"];

/// Footnotes are named by the editor (`[^1]`); their anchors get this prefix so
/// that they cannot take the name of a heading or of the theme's elements.
const FOOTNOTE_PREFIX: &str = "fn-";

/// Renders `markdown` as HTML for a page of a site served under `base_url`.
/// `link` gives the URL of a link written to a document (by file or 索引号, see
/// [`crate::links`]); other links are kept as written.
///
/// Sanitised HTML keeps only the ids and classes that Markdown itself makes (heading
/// anchors, footnotes): an `id` or `class` written in raw HTML would clash with the
/// page's own elements and is dropped.
pub fn to_html(markdown: &str, base_url: &str, allow_raw_html: bool, link: &dyn Fn(&str) -> Option<String>) -> String {
    let (events, _) = bounded_events(markdown, base_url, !allow_raw_html, link);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    let mut html = if allow_raw_html { html } else { sanitizer(own_ids(&events)).clean(&html).to_string() };
    // Characters a page may not hold are refused at load; one can still be written as
    // a character reference (`&#1;`), which is decoded on the way here.
    html.retain(|c| !chars::is_forbidden(c));
    html
}

/// The deepest nesting of elements a body may produce. Browsers stop nesting at 512
/// levels, and no real document comes near 100. The sanitiser's HTML parser looks
/// through the open elements at each new one, so its time grows with the square of
/// the nesting: 50,000 `>` (quotations in quotations) took seconds.
pub const MAX_NESTING: usize = 100;

/// How [`to_html`] kept a body within [`MAX_NESTING`]; each holds the byte offset in
/// the Markdown where the change starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooDeep {
    /// Markdown elements deeper than the limit were left out, their text kept.
    Markdown(usize),
    /// Raw HTML nested deeper than the limit: all of the body's HTML is shown as text.
    Html(usize),
}

/// What [`to_html`] changes in `markdown` to bound its nesting, if anything, for a
/// warning when the site is loaded.
pub fn too_deep(markdown: &str, allow_raw_html: bool) -> Option<TooDeep> {
    if surely_shallow(markdown, !allow_raw_html) {
        return None;
    }
    bounded_events(markdown, "/", !allow_raw_html, &|_| None).1
}

/// Whether `markdown` surely nests less than [`MAX_NESTING`] deep, told from its
/// characters without parsing it: a load checks every text of the site, and nearly
/// all are shallow. Every level needs characters of its own: a container block a
/// marker on its line (`>`, a list marker, `[^…]:`, a table's `|`) or two columns of
/// indentation; an inline element a delimiter in its paragraph; a raw HTML element a
/// `<`. So the deepest line's markers and indentation, the most delimiters in one run
/// of lines and a few levels of leaves bound the depth; the HTML of a level is at
/// most a few elements.
fn surely_shallow(markdown: &str, sanitise: bool) -> bool {
    let (mut blocks, mut inlines, mut run, mut tags) = (0, 0, 0, 0);
    // Byte by byte: every character Markdown nests with is ASCII.
    for line in markdown.as_bytes().split(|&b| b == b'\n' || b == b'\r') {
        if line.iter().all(|&b| b == b' ' || b == b'\t') {
            run = 0;
            continue;
        }
        // The indentation of the containers, among their markers at the line's start.
        let mut indent = 0;
        for &b in line {
            match b {
                b' ' => indent += 1,
                b'\t' => indent += 4,
                _ if NESTING[usize::from(b)] & PREFIX != 0 => {}
                _ => break,
            }
        }
        let (mut markers, mut delimiters) = (0, 0);
        for &b in line {
            let class = NESTING[usize::from(b)];
            markers += usize::from(class & MARKER);
            delimiters += usize::from(class & INLINE != 0);
            tags += usize::from(b == b'<');
        }
        blocks = blocks.max(indent + 2 * markers);
        run += delimiters;
        inlines = inlines.max(run);
    }
    let depth = blocks + inlines + 5;
    depth < MAX_NESTING && (!sanitise || tags == 0 || 3 * depth + 5 + tags < MAX_NESTING)
}

/// What each byte is to [`surely_shallow`]: a container's marker, a character of a
/// line's marker start, an inline delimiter.
const NESTING: [u8; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let marker = matches!(b, b'>' | b'-' | b'*' | b'+' | b'[' | b'|' | b'.' | b')');
        let prefix = marker || b.is_ascii_digit() || matches!(b, b']' | b'^' | b':');
        let inline = matches!(b, b'*' | b'_' | b'~' | b'[' | b'<' | b'`' | b'!');
        table[i] = if marker { MARKER } else { 0 } | if prefix { PREFIX } else { 0 } | if inline { INLINE } else { 0 };
        i += 1;
    }
    table
};
const MARKER: u8 = 1;
const PREFIX: u8 = 2;
const INLINE: u8 = 4;

/// The body's events, rewritten (see [`rewrite`]) and bounded in depth: Markdown
/// elements beyond [`MAX_NESTING`] are left out, and when the HTML to be sanitised
/// would still nest deeper, raw HTML becomes text.
fn bounded_events<'a>(markdown: &'a str, base_url: &str, sanitise: bool, link: &dyn Fn(&str) -> Option<String>) -> (Vec<Event<'a>>, Option<TooDeep>) {
    let (mut events, offsets): (Vec<Event>, Vec<usize>) = Parser::new_ext(markdown, OPTIONS).into_offset_iter().map(|(e, r)| (e, r.start)).unzip();
    rewrite(&mut events, base_url, link);
    let first_html = events.iter().zip(&offsets).find(|(e, _)| is_raw_html(e)).map(|(_, &o)| o);
    let (events, flattened) = flatten(events, &offsets);
    match first_html {
        Some(at) if sanitise && html_too_deep(&events) => (raw_html_as_text(events), Some(TooDeep::Html(at))),
        _ => (events, flattened.map(TooDeep::Markdown)),
    }
}

fn is_raw_html(e: &Event) -> bool {
    matches!(e, Event::Html(_) | Event::InlineHtml(_))
}

/// Leaves out the start and end of every element nested deeper than [`MAX_NESTING`]
/// (their content stays); returns the offset of the first one left out.
fn flatten<'a>(events: Vec<Event<'a>>, offsets: &[usize]) -> (Vec<Event<'a>>, Option<usize>) {
    let mut kept_open: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut first = None;
    let mut out = Vec::with_capacity(events.len());
    for (event, &offset) in events.into_iter().zip(offsets) {
        let keep = match &event {
            Event::Start(_) => {
                let keep = depth < MAX_NESTING;
                depth += usize::from(keep);
                first = first.or((!keep).then_some(offset));
                kept_open.push(keep);
                keep
            }
            Event::End(_) => {
                let keep = kept_open.pop().unwrap_or(true);
                depth -= usize::from(keep);
                keep
            }
            _ => true,
        };
        if keep {
            out.push(event);
        }
    }
    (out, first)
}

fn raw_html_as_text(events: Vec<Event>) -> Vec<Event> {
    events
        .into_iter()
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            other => other,
        })
        .collect()
}

/// Whether the elements of the HTML made from `events` nest deeper than
/// [`MAX_NESTING`] as the sanitiser's parser will see them.
fn html_too_deep(events: &[Event]) -> bool {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    depth::deeper_than(&html, MAX_NESTING)
}

/// Gives headings ids and the page's outline its place (the page title is the only
/// `h1`, so the body's top heading level becomes `h2`), names footnotes apart, and
/// prefixes root-relative link and image targets with base_url.
fn rewrite(events: &mut [Event], base_url: &str, link: &dyn Fn(&str) -> Option<String>) {
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let shift = 2usize.saturating_sub(top);
    let mut used: HashSet<String> = THEME_IDS.iter().map(|id| id.to_string()).collect();
    for i in 0..events.len() {
        match &mut events[i] {
            Event::Start(Tag::Heading { level, id, .. }) => {
                *level = shifted(*level, shift);
                let wanted = match id {
                    Some(given) => given.to_string(),
                    None => slugify(&heading_text(&events[i + 1..])),
                };
                let Event::Start(Tag::Heading { id, .. }) = &mut events[i] else { unreachable!() };
                *id = Some(CowStr::from(unique_id(&wanted, &mut used)));
            }
            Event::End(TagEnd::Heading(level)) => *level = shifted(*level, shift),
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(url) = link(dest_url) {
                    *dest_url = CowStr::from(url);
                } else if dest_url.starts_with('/') && !dest_url.starts_with("//") && base_url != "/" {
                    *dest_url = CowStr::from(format!("{base_url}{}", &dest_url[1..]));
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) | Event::FootnoteReference(label) => {
                *label = CowStr::from(format!("{FOOTNOTE_PREFIX}{label}"));
            }
            _ => {}
        }
    }
}

/// The ids Markdown gave the elements of `events`: headings and footnotes.
fn own_ids(events: &[Event]) -> HashSet<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) | Event::Start(Tag::FootnoteDefinition(id)) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// The anchors a page rendered from `markdown` has: its headings' ids.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let mut events: Vec<Event> = Parser::new_ext(markdown, OPTIONS).collect();
    rewrite(&mut events, "/", &|_| None);
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

/// The section of `markdown` under the first heading whose text contains `needle`:
/// the heading and what follows it, up to the next heading of the same or a higher
/// level.
pub fn section<'a>(markdown: &'a str, needle: &str) -> Option<&'a str> {
    let (events, ranges): (Vec<Event>, Vec<std::ops::Range<usize>>) = Parser::new_ext(markdown, OPTIONS).into_offset_iter().unzip();
    let heading = |e: &Event| match e {
        Event::Start(Tag::Heading { level, .. }) => Some(*level),
        _ => None,
    };
    let (at, level) = (0..events.len())
        .find_map(|i| heading(&events[i]).filter(|_| heading_text(&events[i + 1..]).contains(needle)).map(|l| (i, l)))?;
    let end = (at + 1..events.len()).find(|&i| heading(&events[i]).is_some_and(|l| l <= level)).map_or(markdown.len(), |i| ranges[i].start);
    Some(&markdown[ranges[at].start..end])
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

/// `base`, or `base-2`, `base-3`… when it is taken.
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// The sanitiser of one body: `ids` are the ids its Markdown made, the only ones kept.
fn sanitizer(ids: HashSet<String>) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["section"]).add_generic_attributes(["lang", "title"]);
    for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "div"] {
        b.add_tag_attributes(tag, ["id"]);
    }
    b.add_tag_attributes("div", ["class"]).add_tag_attributes("sup", ["class"]);
    for tag in ["th", "td"] {
        b.add_tag_attributes(tag, ["style"]);
    }
    // Table cell alignment is the only inline style Markdown produces; nothing
    // else written in a style attribute survives.
    b.attribute_filter(move |element, attr, value| match attr {
        "id" => ids.contains(value).then(|| value.into()),
        "class" => OWN_CLASSES.contains(&value).then(|| value.into()),
        "style" => {
            let v = value.trim().trim_end_matches(';').replace(' ', "");
            matches!(v.as_str(), "text-align:left" | "text-align:center" | "text-align:right").then(|| value.into())
        }
        // A page never has the visitor's browser fetch from another host (closed
        // government networks, no tracking pixels): such an image shows its alt text.
        "src" if element == "img" && is_off_site(value) => None,
        _ => Some(value.into()),
    });
    b
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
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let md = "# 指南\n\n## 一、主动公开\n\n甲\n\n## 二、依申请公开\n\n乙\n\n### （一）受理机构\n\n丙\n\n## 三、监督\n\n丁\n";
        assert_eq!(section(md, "依申请公开"), Some("## 二、依申请公开\n\n乙\n\n### （一）受理机构\n\n丙\n\n"));
        assert_eq!(section("前言\n\n## 依申请公开\n\n乙\n", "依申请公开"), Some("## 依申请公开\n\n乙\n"));
        assert_eq!(section(md, "不存在"), None);
    }

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

    /// The deepest nesting of `tag` in `html`.
    fn nesting_of(html: &str, tag: &str) -> usize {
        let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
        let (mut depth, mut deepest) = (0usize, 0);
        for (i, _) in html.char_indices() {
            if html[i..].starts_with(&open) {
                depth += 1;
                deepest = deepest.max(depth);
            } else if html[i..].starts_with(&close) {
                depth -= 1;
            }
        }
        deepest
    }

    /// Markdown nested `levels` deep in the ways Markdown nests, chosen by `seed`:
    /// inline elements in block containers, perhaps in a footnote or HTML.
    fn nested(levels: usize, seed: &mut u64) -> String {
        let mut next = |n: u64| {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (*seed >> 33) % n
        };
        let inline_levels = next(levels as u64 / 2 + 1) as usize;
        let mut text = "文字".to_string();
        for _ in 0..inline_levels {
            text = match next(4) {
                0 => format!("*{text}*"),
                1 => format!("**{text}**"),
                2 => format!("~~{text}~~"),
                _ => format!("<span>{text}</span>"),
            };
        }
        if next(3) == 0 {
            text = format!("[{text}](a.md)");
        }
        let indent = |text: &str, first: &str, rest: &str| {
            let lines = text.split('\n').enumerate();
            lines.map(|(i, l)| if i == 0 { format!("{first}{l}") } else if l.is_empty() { rest.trim_end().to_string() } else { format!("{rest}{l}") }).collect::<Vec<_>>().join("\n")
        };
        for _ in inline_levels..levels {
            text = match next(5) {
                0 => indent(&text, "> ", "> "),
                1 => indent(&text, "- ", "  "),
                2 => indent(&text, "1. ", "   "),
                3 => format!("前言\n\n{}", indent(&text, "* ", "  ")),
                _ => indent(&text, "+ ", "  "),
            };
        }
        match next(4) {
            0 => indent(&text, "[^n]: ", "    "),
            1 => format!("<div>\n\n{text}\n\n</div>"),
            2 => format!("<div><div><div>\n\n{text}"),
            _ => text,
        }
    }

    #[test]
    fn a_text_told_shallow_without_parsing_is_shallow() {
        let mut seed = 7;
        let (mut told, mut deep) = (0, 0);
        for case in 0..1500 {
            let md = nested(case % 140, &mut seed);
            for sanitise in [true, false] {
                let parsed = bounded_events(&md, "/", sanitise, &|_| None).1;
                deep += usize::from(parsed.is_some());
                if surely_shallow(&md, sanitise) {
                    told += 1;
                    assert_eq!(parsed, None, "told shallow, but it is not (sanitise {sanitise}):\n{md}");
                }
            }
        }
        assert!(told > 300 && deep > 500, "the cases cover both sides: {told} told shallow, {deep} too deep");
        let document = "## 一、主动公开\n\n（一）公开范围。1. 年度预算；2. 决算。\n\n| 事项 | 数量 |\n|:--|--:|\n| 许可 | 3 |\n\n- 甲\n- 乙\n  - 丙\n";
        assert!(surely_shallow(document, true), "an ordinary document is not parsed at load");
        // Tabs indent to the next multiple of four columns.
        for tabbed in ["-\t".repeat(60), format!("- a\n{}", (1..60).map(|n| format!("{}- a\n", "\t".repeat(n))).collect::<String>())] {
            assert!(!surely_shallow(&tabbed, false) || bounded_events(&tabbed, "/", false, &|_| None).1.is_none(), "{tabbed}");
        }
    }

    #[test]
    fn quotations_nested_past_the_limit_are_flattened() {
        let md = format!("{} x\n", ">".repeat(50_000));
        assert_eq!(too_deep(&md, false), Some(TooDeep::Markdown(MAX_NESTING)));
        let html = to_html(&md, "/", false, &|_| None);
        assert_eq!(nesting_of(&html, "blockquote"), MAX_NESTING, "{}", &html[..200]);
        let text = html.replace("<blockquote>\n", "").replace("</blockquote>\n", "");
        assert_eq!(text.trim(), "x", "the text is kept");
        assert_eq!(too_deep(&format!("{} x", ">".repeat(MAX_NESTING - 1)), false), None, "the paragraph inside is the 100th level");
    }

    #[test]
    fn html_nested_past_the_limit_is_shown_as_text() {
        let md = format!("前言\n\n{}\n", "<div>".repeat(100_000));
        assert_eq!(too_deep(&md, false), Some(TooDeep::Html(8)));
        let html = to_html(&md, "/", false, &|_| None);
        assert_eq!(nesting_of(&html, "div"), 0);
        assert!(html.contains("&lt;div&gt;&lt;div&gt;"));
        // Unsanitised HTML is the site's own choice, and costs nothing to pass on.
        assert_eq!(too_deep(&md, true), None);
        let shallow = "<div><div>深</div></div>\n".repeat(1000);
        assert_eq!(too_deep(&shallow, false), None);
        assert_eq!(nesting_of(&to_html(&shallow, "/", false, &|_| None), "div"), 2);
    }

    #[test]
    fn raw_html_loses_ids_and_classes_that_markdown_did_not_make() {
        let md = "## 附件\n\n<div id=\"a11y-toggle\" class=\"a11y-toolbar\">x</div>\n\n<span id=\"附件\" class=\"footnote-reference\">y</span> 注[^1]\n\n[^1]: 说明\n";
        let html = to_html(md, "/", false, &|_| None);
        assert!(!html.contains("a11y"), "{html}");
        assert!(html.contains("<h2 id=\"附件\">"), "{html}");
        assert!(!html.contains("<span id") && !html.contains("<span class"), "{html}");
        assert!(html.contains("<div class=\"footnote-definition\" id=\"fn-1\">"), "{html}");
        assert!(html.contains("<sup class=\"footnote-reference\"><a href=\"#fn-1\""), "{html}");
    }

    #[test]
    fn headings_do_not_take_the_ids_of_the_page() {
        let html = to_html("## Main\n\n## Related {#related}\n", "/", false, &|_| None);
        assert!(html.contains("<h2 id=\"main-2\">") && html.contains("<h2 id=\"related-2\">"), "{html}");
        assert_eq!(heading_ids("## Main\n"), ["main-2"]);
    }

    #[test]
    fn the_theme_ids_are_all_known() {
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for entry in walkdir::WalkDir::new(templates).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for part in text.split(" id=\"").skip(1) {
                let id = part.split('"').next().unwrap();
                assert!(id.contains('{') || THEME_IDS.contains(&id), "{}: id \"{id}\" is missing from THEME_IDS", entry.path().display());
            }
        }
    }

    #[test]
    fn character_references_to_control_characters_are_dropped() {
        for allow_raw_html in [false, true] {
            let html = to_html("a&#1;b&#x1b;c&#xFFFE;d <span>&#8;</span>\n", "/", allow_raw_html, &|_| None);
            assert!(!html.chars().any(chars::is_forbidden), "{html:?}");
        }
    }
}
