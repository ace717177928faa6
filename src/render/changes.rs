/*!
What changed between two versions of a versioned page.

A guide is compared as text: sections are aligned by heading, paragraphs within a
section by their text, and a changed paragraph is compared token by token (each
Chinese character, each run of Latin letters or digits, each punctuation mark), so
that a changed phone number or address shows as just that change. A directory is
compared as a tree, by category code.
*/

use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, TagEnd};
use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::site::{Category, VersionPage};

/// A run of text that is the same, inserted or deleted.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Segment {
    /// "equal", "insert" or "delete"
    pub kind: &'static str,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ParagraphChange {
    /// "added", "removed" or "changed"
    pub status: &'static str,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct SectionChange {
    /// "added", "removed" or "changed"
    pub status: &'static str,
    pub heading: Vec<Segment>,
    pub paragraphs: Vec<ParagraphChange>,
    /// Paragraphs of this section that did not change.
    pub unchanged: usize,
}

/// The guide's text changes, section by section; unchanged sections are only counted.
#[derive(Debug, Serialize)]
pub struct TextChanges {
    pub sections: Vec<SectionChange>,
    pub unchanged_sections: usize,
}

struct Section {
    heading: String,
    paragraphs: Vec<String>,
}

pub fn text_changes(old: &str, new: &str) -> TextChanges {
    let (old, new) = (sections(old), sections(new));
    let mut out = TextChanges { sections: Vec::new(), unchanged_sections: 0 };
    let ops = capture_diff_slices(Algorithm::Patience, &headings(&old), &headings(&new));
    for op in ops {
        let (_, o, n) = op.as_tag_tuple();
        match op {
            DiffOp::Equal { .. } => {
                for (a, b) in old[o].iter().zip(&new[n]) {
                    match section_change(a, b) {
                        Some(change) => out.sections.push(change),
                        None => out.unchanged_sections += 1,
                    }
                }
            }
            _ => {
                // Renamed or renumbered sections: pair them in order when their text is
                // mostly the same, otherwise show one as removed and the other as added.
                let (olds, news) = (&old[o], &new[n]);
                for i in 0..olds.len().max(news.len()) {
                    match (olds.get(i), news.get(i)) {
                        (Some(a), Some(b)) if similar_text(&a.paragraphs, &b.paragraphs) => out.sections.extend(section_change(a, b)),
                        (a, b) => {
                            out.sections.extend(a.map(|a| whole_section(a, "removed")));
                            out.sections.extend(b.map(|b| whole_section(b, "added")));
                        }
                    }
                }
            }
        }
    }
    out
}

fn headings(sections: &[Section]) -> Vec<&str> {
    sections.iter().map(|s| s.heading.as_str()).collect()
}

fn similar_text(a: &[String], b: &[String]) -> bool {
    let ops = capture_diff_slices(Algorithm::Myers, a, b);
    similar::diff_ratio(&ops, a.len(), b.len()) >= 0.5
}

fn whole_section(s: &Section, status: &'static str) -> SectionChange {
    let kind = if status == "added" { "insert" } else { "delete" };
    SectionChange {
        status,
        heading: vec![Segment { kind, text: s.heading.clone() }],
        paragraphs: s.paragraphs.iter().map(|p| ParagraphChange { status, segments: vec![Segment { kind, text: p.clone() }] }).collect(),
        unchanged: 0,
    }
}

/// The changes inside a pair of aligned sections, or `None` when there are none.
fn section_change(a: &Section, b: &Section) -> Option<SectionChange> {
    let mut change = SectionChange { status: "changed", heading: inline_diff(&a.heading, &b.heading), paragraphs: Vec::new(), unchanged: 0 };
    for op in capture_diff_slices(Algorithm::Patience, &a.paragraphs, &b.paragraphs) {
        let (_, o, n) = op.as_tag_tuple();
        if let DiffOp::Equal { len, .. } = op {
            change.unchanged += len;
            continue;
        }
        let (olds, news) = (&a.paragraphs[o], &b.paragraphs[n]);
        for i in 0..olds.len().max(news.len()) {
            change.paragraphs.push(match (olds.get(i), news.get(i)) {
                (Some(x), Some(y)) => ParagraphChange { status: "changed", segments: inline_diff(x, y) },
                (Some(x), None) => ParagraphChange { status: "removed", segments: vec![Segment { kind: "delete", text: x.clone() }] },
                (None, Some(y)) => ParagraphChange { status: "added", segments: vec![Segment { kind: "insert", text: y.clone() }] },
                (None, None) => unreachable!("i is below one of the lengths"),
            });
        }
    }
    let heading_changed = a.heading != b.heading;
    (heading_changed || !change.paragraphs.is_empty()).then_some(change)
}

/// Token-level differences of two paragraphs: each change as one deleted run then
/// one inserted run. A one- or two-character match between two changes is folded
/// into them, so 十五 → 二十 reads as that, not as 十 kept between two edits.
pub fn inline_diff(old: &str, new: &str) -> Vec<Segment> {
    let (a, b) = (tokens(old), tokens(new));
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    let mut out = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    for (k, op) in ops.iter().enumerate() {
        let (_, o, n) = op.as_tag_tuple();
        if let DiffOp::Equal { .. } = op {
            let text = a[o].concat();
            let between_changes = !(del.is_empty() && ins.is_empty()) && k + 1 < ops.len();
            if between_changes && text.chars().count() <= 2 {
                del.push_str(&text);
                ins.push_str(&text);
                continue;
            }
            flush(&mut out, &mut del, &mut ins);
            out.push(Segment { kind: "equal", text });
        } else {
            del.push_str(&a[o].concat());
            ins.push_str(&b[n].concat());
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

fn flush(out: &mut Vec<Segment>, del: &mut String, ins: &mut String) {
    if !del.is_empty() {
        out.push(Segment { kind: "delete", text: std::mem::take(del) });
    }
    if !ins.is_empty() {
        out.push(Segment { kind: "insert", text: std::mem::take(ins) });
    }
}

/// Each CJK character and punctuation mark alone; runs of Latin letters and digits
/// (with '-' and '.' inside them, as in phone numbers) together.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let word = |c: char| c.is_ascii_alphanumeric() || c == '@' || c == '_';
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joins = (c == '-' || c == '.') && start.is_some() && chars.get(k + 1).is_some_and(|&(_, n)| word(n));
        if word(c) || joins {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        out.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// A Markdown text as sections of plain-text paragraphs. Text before the first
/// heading is a section with an empty heading.
fn sections(markdown: &str) -> Vec<Section> {
    let mut out = vec![Section { heading: String::new(), paragraphs: Vec::new() }];
    let mut text = String::new();
    let mut in_heading = false;
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(pulldown_cmark::Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                out.push(Section { heading: std::mem::take(&mut text).trim().to_string(), paragraphs: Vec::new() });
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if !in_heading => {}
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) if !in_heading => {
                let p = std::mem::take(&mut text).trim().to_string();
                if !p.is_empty() {
                    out.last_mut().expect("always one section").paragraphs.push(p);
                }
            }
            _ => {}
        }
    }
    out.retain(|s| !(s.heading.is_empty() && s.paragraphs.is_empty()));
    out
}

/// One row of a directory comparison.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CategoryChange {
    pub code: String,
    pub name: String,
    /// "added", "removed", "renamed", "moved" or "changed"
    pub kind: &'static str,
    /// Chinese label of what changed.
    pub what: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

struct Flat<'a> {
    category: &'a Category,
    parent: Option<&'a Category>,
}

fn flatten(tree: &[Category]) -> Vec<Flat<'_>> {
    fn walk<'a>(nodes: &'a [Category], parent: Option<&'a Category>, out: &mut Vec<Flat<'a>>) {
        for c in nodes {
            out.push(Flat { category: c, parent });
            walk(&c.children, Some(c), out);
        }
    }
    let mut out = Vec::new();
    walk(tree, None, &mut out);
    out
}

/// The directory's changes by category code: added, removed, renamed, moved, and
/// changed columns, in the order of the newer tree (removed ones last).
pub fn directory_changes(old: &VersionPage, new: &VersionPage) -> Vec<CategoryChange> {
    let old_flat = flatten(&old.categories);
    let new_flat = flatten(&new.categories);
    let old_by_code: HashMap<&str, &Flat> = old_flat.iter().map(|f| (f.category.code.as_str(), f)).collect();
    let new_codes: HashMap<&str, ()> = new_flat.iter().map(|f| (f.category.code.as_str(), ())).collect();
    let mut out = Vec::new();
    let row = |c: &Category, kind, what, old: Option<String>, new: Option<String>| CategoryChange { code: c.code.clone(), name: c.name.clone(), kind, what, old, new };
    let parent_name = |p: Option<&Category>| Some(p.map_or_else(|| "(顶级)".to_string(), |p| p.name.clone()));
    for f in &new_flat {
        let c = f.category;
        let Some(before) = old_by_code.get(c.code.as_str()) else {
            out.push(row(c, "added", "新增类目", None, parent_name(f.parent)));
            continue;
        };
        let b = before.category;
        if b.name != c.name {
            out.push(row(c, "renamed", "类目名称", Some(b.name.clone()), Some(c.name.clone())));
        }
        if before.parent.map(|p| &p.code) != f.parent.map(|p| &p.code) {
            out.push(row(c, "moved", "所属类目", parent_name(before.parent), parent_name(f.parent)));
        }
        let columns: [(&'static str, &Option<String>, &Option<String>); 5] = [
            ("说明", &b.description, &c.description),
            ("公开时限", &b.deadline, &c.deadline),
            ("责任部门", &b.department, &c.department),
            ("公开依据", &b.basis, &c.basis),
            ("公开渠道", &b.channel, &c.channel),
        ];
        for (what, o, n) in columns {
            if o != n {
                out.push(row(c, "changed", what, o.clone(), n.clone()));
            }
        }
    }
    for f in old_flat.iter().filter(|f| !new_codes.contains_key(f.category.code.as_str())) {
        out.push(row(f.category, "removed", "删除类目", parent_name(f.parent), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(segments: &[Segment]) -> Vec<(&str, &str)> {
        segments.iter().filter(|s| s.kind != "equal").map(|s| (s.kind, s.text.as_str())).collect()
    }

    #[test]
    fn a_changed_phone_number_is_just_that_change() {
        let d = inline_diff("联系电话:0871-12345678,邮编650000。", "联系电话:0871-12345699,邮编650000。");
        assert_eq!(changed(&d), [("delete", "0871-12345678"), ("insert", "0871-12345699")]);
    }

    #[test]
    fn chinese_words_change_character_by_character() {
        let d = inline_diff("在十五个工作日内答复。", "在二十个工作日内答复。");
        assert_eq!(changed(&d), [("delete", "十五"), ("insert", "二十")]);
    }

    #[test]
    fn sections_align_by_heading_and_paragraphs_by_text() {
        let old = "## 一、主动公开\n\n甲段。\n\n乙段。\n\n## 二、依申请公开\n\n电话 1111。\n\n## 三、旧章\n\n将被删除。\n";
        let new = "## 一、主动公开\n\n甲段。\n\n乙段。\n\n新增一段。\n\n## 二、依申请公开\n\n电话 2222。\n";
        let c = text_changes(old, new);
        assert_eq!(c.unchanged_sections, 0);
        let statuses: Vec<_> = c.sections.iter().map(|s| s.status).collect();
        assert_eq!(statuses, ["changed", "changed", "removed"]);
        assert_eq!(c.sections[0].unchanged, 2);
        assert_eq!(c.sections[0].paragraphs[0].status, "added");
        assert_eq!(changed(&c.sections[1].paragraphs[0].segments), [("delete", "1111"), ("insert", "2222")]);
    }
}
