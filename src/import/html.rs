/*!
`gongkai import html`: reads pages saved from an existing disclosure site (a folder
that `wget --mirror` made, or single files) into [`Draft`]s.

Each page goes through: bytes → text (the page's declared charset or BOM, else
UTF-8, else GB18030, which many of these sites still serve) → DOM (html5ever through
`scraper`, which gongkai already uses for its own HTML) → metadata (label/value pairs
in table cells, `<li><span>label</span>value`, `<p>label：value</p>`, then `<meta>`
tags) → title → the main text, cleaned of navigation, share buttons and counters →
Markdown.

Markdown comes from the `htmd` crate: it is maintained (0.5.x, 2025), is built on
html5ever like the rest of gongkai, writes GFM tables, lists, images and links, and
lets us skip tags. Its output is not trusted: gongkai's own Markdown rendering
sanitises every document body on build, imported or not.
*/

use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GB18030, UTF_8};
use htmd::element_handler::Handlers;
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use scraper::{ElementRef, Html, Selector};

use super::{date_in, import_drafts, Attachment, Related, Draft, ImportOptions, Summary, ATTACHMENT_EXTENSIONS};
use crate::error::{Error, Result};

/// Imports the pages in `inputs` (files, or folders searched for `.html`/`.htm`/`.shtml`).
pub fn import_html(root: &Path, inputs: &[PathBuf], options: &ImportOptions) -> Result<Summary> {
    let files = page_files(inputs)?;
    // Parsing is the costly part and pages are independent; placing them is not.
    let mut drafts = files.par_iter().map(|file| read_page(file)).collect::<Result<Vec<_>>>()?;
    // A related page outside this import (another department's, imported before) is
    // read for its 索引号 alone.
    let read: std::collections::HashSet<&PathBuf> = files.iter().collect();
    drafts.par_iter_mut().flat_map(|d| d.related.par_iter_mut()).filter(|r| !read.contains(&r.page)).for_each(|r| {
        let text = std::fs::read(&r.page).map(|bytes| decode(&bytes)).unwrap_or_default();
        r.index_no = page_metadata(&Html::parse_document(&text)).get(Field::IndexNo).map(str::to_string);
    });
    import_drafts(root, drafts, options)
}

/// The pages to read, in a stable order so that assigned 索引号 do not depend on the
/// file system's listing order.
fn page_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_file() {
            files.push(input.clone());
        } else if input.is_dir() {
            let pages = walkdir::WalkDir::new(input).into_iter().filter_map(|e| e.ok()).map(|e| e.into_path());
            files.extend(pages.filter(|p| p.is_file() && is_page(p)));
        } else {
            return Err(Error::Request(format!("{}: no such file or folder; give the folder of the saved pages", input.display())));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn is_page(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "html" | "htm" | "shtml" | "xhtml")
}

/// Reads one saved page.
pub fn read_page(path: &Path) -> Result<Draft> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    Ok(page_draft(path, &decode(&bytes)))
}

/// The page's text: its BOM, else the charset it declares, else UTF-8 when the bytes
/// are valid UTF-8, else GB18030 (a superset of GBK and GB2312).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let encoding = declared_charset(&bytes[..bytes.len().min(4096)])
        .or_else(|| std::str::from_utf8(bytes).is_ok().then_some(UTF_8))
        .unwrap_or(GB18030);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The charset of `<meta charset>` or `<meta http-equiv … content="…; charset=…">`.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let label: Vec<u8> = lower[at..]
        .iter()
        .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        .copied()
        .collect();
    // A UTF-16 label on a page read as bytes is wrong by definition (it would have a BOM).
    Encoding::for_label(&label).filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE)
}

/// The metadata fields a label can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    IndexNo,
    Publisher,
    Category,
    Date,
    Written,
    DocNo,
    Keywords,
    Validity,
}

/// Labels as CMSs write them (without whitespace or colon), longest first so that
/// 主题分类 wins over 分类 where both match.
const LABELS: &[(&str, Field)] = &[
    ("主题分类", Field::Category),
    ("公开目录", Field::Category),
    ("所属栏目", Field::Category),
    ("信息分类", Field::Category),
    ("分类", Field::Category),
    ("索引号", Field::IndexNo),
    ("发布机构", Field::Publisher),
    ("发文机关", Field::Publisher),
    ("发布单位", Field::Publisher),
    ("信息来源", Field::Publisher),
    ("来源", Field::Publisher),
    ("发布日期", Field::Date),
    ("公开日期", Field::Date),
    ("发文日期", Field::Date),
    ("发布时间", Field::Date),
    ("成文日期", Field::Written),
    ("成文时间", Field::Written),
    ("发文字号", Field::DocNo),
    ("文号", Field::DocNo),
    ("主题词", Field::Keywords),
    ("关键词", Field::Keywords),
    ("有效性", Field::Validity),
    ("时效性", Field::Validity),
    ("时效", Field::Validity),
];

/// The field `label` names, read without whitespace (索 引 号) or a colon of either width.
fn field_of(label: &str) -> Option<Field> {
    let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    let label = label.trim_end_matches([':', '：']);
    LABELS.iter().find(|(l, _)| *l == label).map(|(_, f)| *f)
}

/// Text of an element with its text nodes joined by spaces, so that `<span>a</span>
/// <span>b</span>` does not read as one word, and whitespace runs made one space.
fn text_of(element: ElementRef) -> String {
    let joined = element.text().collect::<Vec<_>>().join(" ");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The label/value pairs in a line of text: `索引号：X 发布机构：Y`. A label counts only
/// where it starts the text or follows a space or punctuation (so 资金来源： is not
/// 来源), and is followed by a colon; whitespace inside it is allowed.
fn inline_pairs(text: &str) -> Vec<(Field, String)> {
    // The text without whitespace, and for each of its chars the byte offset in `text`.
    let (squeezed, offsets): (Vec<char>, Vec<usize>) = text.char_indices().filter(|(_, c)| !c.is_whitespace()).map(|(i, c)| (c, i)).unzip();
    let mut found: Vec<(usize, usize, Field)> = Vec::new(); // (label start, value start) in bytes of `text`
    let mut i = 0;
    while i < squeezed.len() {
        let matched = LABELS.iter().find_map(|(label, field)| {
            let n = label.chars().count();
            let after = squeezed.get(i + n)?;
            let starts = squeezed[i..i + n].iter().copied().eq(label.chars());
            (starts && matches!(after, ':' | '：')).then_some((n, *field))
        });
        let boundary = i == 0 || {
            let before = text[..offsets[i]].chars().next_back().unwrap_or(' ');
            before.is_whitespace() || before.is_ascii_punctuation() || "，。；、】）".contains(before)
        };
        match matched {
            Some((n, field)) if boundary => {
                let value_start = offsets[i + n] + squeezed[i + n].len_utf8();
                found.push((offsets[i], value_start, field));
                i += n + 1;
            }
            _ => i += 1,
        }
    }
    found
        .iter()
        .enumerate()
        .map(|(k, (_, value_start, field))| {
            let end = found.get(k + 1).map_or(text.len(), |next| next.0);
            (*field, text[*value_start..end].trim().to_string())
        })
        .collect()
}

/// Metadata read from the page, first occurrence of each field winning.
#[derive(Default)]
struct Fields(Vec<(Field, String)>);

impl Fields {
    fn add(&mut self, field: Field, value: &str) {
        let value = value.trim().trim_matches(['：', ':']).trim();
        if !value.is_empty() && self.get(field).is_none() {
            self.0.push((field, value.to_string()));
        }
    }

    fn get(&self, field: Field) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str())
    }

    /// Pairs from a row of cells: a cell that is only a label takes the next cell as its
    /// value; other cells may hold whole `label：value` pairs.
    fn read_cells(&mut self, cells: &[String]) -> usize {
        let mut count = 0;
        let mut k = 0;
        while k < cells.len() {
            if let Some(field) = field_of(&cells[k]) {
                let value = cells.get(k + 1).filter(|v| field_of(v).is_none());
                if let Some(value) = value {
                    self.add(field, value);
                    k += 1;
                }
                count += 1;
            } else {
                for (field, value) in inline_pairs(&cells[k]) {
                    self.add(field, &value);
                    count += 1;
                }
            }
            k += 1;
        }
        count
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("the importer's selectors are valid CSS")
}

/// How many metadata labels an element holds; the metadata header is dropped from the
/// text by this count.
fn metadata_in(element: ElementRef, fields: &mut Fields) -> usize {
    match element.value().name() {
        "tr" => {
            let cells: Vec<String> = element.child_elements().filter(|c| matches!(c.value().name(), "td" | "th")).map(text_of).collect();
            fields.read_cells(&cells)
        }
        _ => {
            // `<li><span>索引号</span>X</li>`: the first text is the label, the rest the value.
            let texts: Vec<&str> = element.text().map(str::trim).filter(|t| !t.is_empty()).collect();
            match texts.split_first() {
                Some((first, rest)) if field_of(first).is_some() && !rest.is_empty() => {
                    fields.read_cells(&[first.to_string(), rest.join(" ")])
                }
                _ => fields.read_cells(&[text_of(element)]),
            }
        }
    }
}

/// Elements that may hold one metadata pair or a line of them; longer ones are text.
const PAIR_HOLDERS: &str = "tr, li, p, dt, dd, span, div, td";
const MAX_PAIR_TEXT: usize = 300;

fn page_metadata(page: &Html) -> Fields {
    let mut fields = Fields::default();
    // Each table's label count, once: a large data table would otherwise be read again
    // for each of its cells.
    let mut tables = std::collections::HashMap::new();
    for element in page.select(&selector(PAIR_HOLDERS)) {
        // A holder with holders inside is read through them (a table through its rows).
        let has_inner = element.select(&selector("tr, li, p, div, dd")).next().is_some();
        if (has_inner && element.value().name() != "tr") || text_of(element).chars().count() > MAX_PAIR_TEXT {
            continue;
        }
        // A cell of a data table (序号 | 文件名称 | 文号) is not metadata.
        let table = element.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "table");
        if table.is_some_and(|t| !*tables.entry(t.id()).or_insert_with(|| is_metadata_table(t))) {
            continue;
        }
        metadata_in(element, &mut fields);
    }
    for meta in page.select(&selector("meta[name][content]")) {
        let content = meta.value().attr("content").unwrap_or("");
        match meta.value().attr("name").unwrap_or("").to_ascii_lowercase().as_str() {
            "pubdate" | "firstpublishedtime" => fields.add(Field::Date, content),
            "contentsource" => fields.add(Field::Publisher, content),
            _ => {}
        }
    }
    fields
}

/// The document's title: the ArticleTitle meta tag, else the heading that the page's
/// `<title>` also names (a site name in an `<h1>` banner is not it), else the first
/// part of `<title>`.
fn page_title(page: &Html) -> Option<String> {
    let meta = page.select(&selector("meta[name]")).find(|m| m.value().attr("name").is_some_and(|n| n.eq_ignore_ascii_case("ArticleTitle")));
    if let Some(title) = meta.and_then(|m| m.value().attr("content")).map(str::trim).filter(|t| !t.is_empty()) {
        return Some(title.to_string());
    }
    let head_title = page.select(&selector("title")).next().map(text_of).unwrap_or_default();
    let headings: Vec<String> = page.select(&selector("h1, h2, h3, .title, .article-title, #title")).map(text_of).filter(|t| !t.is_empty()).collect();
    let named = headings.iter().filter(|h| head_title.contains(h.as_str())).max_by_key(|h| h.chars().count());
    let first_h1 = page.select(&selector("h1")).map(text_of).find(|t| !t.is_empty());
    named
        .cloned()
        .or(first_h1)
        .or_else(|| head_title.split([' ', '_', '|', '-']).find(|t| !t.is_empty()).map(str::to_string))
}

/// Containers of the main text in the CMSs met so far (gongkai's own first), tried in
/// order; when none is there, the element with the most paragraph text.
const BODY_CONTAINERS: &[&str] =
    &[".doc-body", "#zoom", ".TRS_Editor", "#UCAP-CONTENT", ".article-content", ".article_content", "#content", ".content", "article", "main"];

fn body_container(page: &Html) -> ElementRef<'_> {
    for css in BODY_CONTAINERS {
        if let Some(found) = page.select(&selector(css)).find(|e| !text_of(*e).is_empty()) {
            return found;
        }
    }
    let paragraph_text = |e: &ElementRef| -> usize {
        e.child_elements().filter(|c| c.value().name() == "p").map(|p| text_of(p).chars().count()).sum()
    };
    page.select(&selector("div, td, section")).max_by_key(paragraph_text).filter(|e| paragraph_text(e) > 0).unwrap_or_else(|| page.root_element())
}

/// Tags that are never text.
const NOT_TEXT: &[&str] = &["script", "style", "noscript", "nav", "footer", "header", "form", "button", "iframe", "input", "select", "object"];
/// Words in a class or id that mark page furniture.
const FURNITURE: &[&str] = &["nav", "breadcrumb", "crumb", "footer", "share", "print", "position", "location", "bdshare", "fontsize"];
/// Phrases of page furniture inside the text area.
const FURNITURE_TEXT: &[&str] = &["打印本页", "关闭窗口", "浏览量", "浏览次数", "访问量", "阅读次数", "分享到", "【字体", "字号：", "【打印】", "【关闭】"];

/// Whether `element`, inside the text area, is something other than the text.
fn is_furniture(element: ElementRef, title: Option<&str>) -> bool {
    let value = element.value();
    if NOT_TEXT.contains(&value.name()) {
        return true;
    }
    let marks = format!("{} {}", value.attr("class").unwrap_or(""), value.attr("id").unwrap_or("")).to_ascii_lowercase();
    if FURNITURE.iter().any(|w| marks.split([' ', '-', '_']).any(|m| m == *w || m.starts_with(w))) {
        return true;
    }
    let text = text_of(element);
    let short = text.chars().count() <= 60;
    if short && FURNITURE_TEXT.iter().any(|f| text.contains(f)) {
        return true;
    }
    // The title repeated as the text's first heading, and the metadata header.
    if matches!(value.name(), "h1" | "h2" | "h3") && title == Some(text.as_str()) {
        return true;
    }
    match value.name() {
        "table" => is_metadata_table(element),
        // A row goes with its table: a data table with a 文号 column is text.
        "li" | "p" | "dt" | "dd" => short && metadata_in(element, &mut Fields::default()) > 0,
        _ => false,
    }
}

/// Whether a table is a metadata header: two fields or more with values, and labels
/// in at least half of its rows. A data table with a 文号 or 发布日期 column has its
/// labels in the header row only, or one field over and over.
fn is_metadata_table(table: ElementRef) -> bool {
    let mut fields = Fields::default();
    let rows: Vec<usize> = table.select(&selector("tr")).map(|tr| metadata_in(tr, &mut fields)).collect();
    let labelled = rows.iter().filter(|n| **n > 0).count();
    fields.0.len() >= 2 && labelled * 2 >= rows.len()
}

/// The main text as Markdown, and the attachments it links.
fn page_body(page: &Html, source: &Path, title: Option<&str>) -> (String, Vec<Attachment>) {
    let container = body_container(page);
    let furniture: Vec<_> = container.descendants().filter_map(ElementRef::wrap).filter(|e| is_furniture(*e, title)).map(|e| e.id()).collect();
    let mut cleaned = page.clone();
    for id in furniture {
        if let Some(mut node) = cleaned.tree.get_mut(id) {
            node.detach();
        }
    }
    let container = cleaned.tree.get(container.id()).and_then(ElementRef::wrap).expect("the container is kept");
    let files = linked_files(container, source);
    (markdown(&container.inner_html()), files)
}

fn markdown(html: &str) -> String {
    // Footnotes as pulldown-cmark writes them (gongkai's own pages) become Markdown
    // footnotes again; left to the defaults, their links would point at nothing.
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(NOT_TEXT.to_vec())
        .add_handler(vec!["sup"], |h: &dyn Handlers, e: htmd::Element| match attr_of(&e, "class") {
            "footnote-reference" => {
                // Its child is the link `[1](#fn-1)`; the label is that link's text.
                let link = h.walk_children(e.node).content;
                let label = link.trim().trim_start_matches('[').split(']').next().unwrap_or("").to_string();
                Some(format!("[^{label}]").into())
            }
            "footnote-definition-label" => Some(String::new().into()),
            _ => h.fallback(e),
        })
        .add_handler(vec!["div"], |h: &dyn Handlers, e: htmd::Element| {
            match (attr_of(&e, "class"), attr_of(&e, "id").strip_prefix("fn-")) {
                ("footnote-definition", Some(label)) => {
                    Some(format!("\n\n[^{label}]: {}\n\n", h.walk_children(e.node).content.trim()).into())
                }
                _ => h.fallback(e),
            }
        })
        .build();
    let text = converter.convert(html).unwrap_or_default();
    // Blank-line runs left by removed furniture become one blank line.
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        blank = if line.is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.trim().to_string()
}

/// An attribute of an element as htmd hands it over (its html5ever is another version).
fn attr_of<'a>(e: &htmd::Element<'a>, name: &str) -> &'a str {
    e.attrs.iter().find(|a| &*a.name.local == name).map_or("", |a| &*a.value)
}

/// Links and images to attachment files under `element`.
fn linked_files(element: ElementRef, source: &Path) -> Vec<Attachment> {
    let mut files: Vec<Attachment> = Vec::new();
    for link in element.select(&selector("a[href], img[src]")) {
        let href = link.value().attr("href").or_else(|| link.value().attr("src")).unwrap_or("").trim();
        if is_attachment(href) && !files.iter().any(|f| f.href == href) {
            files.push(Attachment { href: href.to_string(), local: local_file(source, href) });
        }
    }
    files
}

/// Attachments listed outside the text (gongkai's 附件 section, a CMS's 附件 list),
/// leaving out those in the page's header, navigation and footer.
fn listed_files(page: &Html, source: &Path, body: &[Attachment]) -> Vec<Attachment> {
    let container = body_container(page).id();
    let mut files: Vec<Attachment> = Vec::new();
    for link in page.select(&selector("a[href]")) {
        let href = link.value().attr("href").unwrap_or("").trim();
        let outside = !link.ancestors().any(|a| a.id() == container);
        let furniture = link.ancestors().filter_map(ElementRef::wrap).any(|a| {
            let marks = format!("{} {}", a.value().attr("class").unwrap_or(""), a.value().attr("id").unwrap_or(""));
            matches!(a.value().name(), "header" | "nav" | "footer") || marks.contains("footer") || marks.contains("nav")
        });
        let known = body.iter().chain(&files).any(|f| f.href == href);
        if outside && !furniture && !known && is_attachment(href) {
            files.push(Attachment { href: href.to_string(), local: local_file(source, href) });
        }
    }
    files
}

/// The local files of the pages linked from the page's related-documents list
/// (gongkai's `section.related`, a CMS's `相关文件` box marked `related`).
fn related_pages(page: &Html, source: &Path) -> Vec<Related> {
    let (lists, links) = (selector("[class*=related], [id*=related]"), selector("a[href]"));
    let links = page.select(&lists).flat_map(|list| list.select(&links).collect::<Vec<_>>());
    let mut pages: Vec<Related> = Vec::new();
    for link in links {
        let href = link.value().attr("href").unwrap_or("").trim();
        // A page's address is a folder with its index.html (`/docs/2024/a/`), or a file.
        let file = if href.split(['?', '#']).next().unwrap_or("").ends_with('/') { format!("{href}index.html") } else { href.to_string() };
        if let Some(page) = local_file(source, &file).filter(|p| !pages.iter().any(|r| &r.page == p)) {
            pages.push(Related { page, index_no: None });
        }
    }
    pages
}

fn is_attachment(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    !href.starts_with("data:") && ATTACHMENT_EXTENSIONS.contains(&ext.as_str())
}

/// Where the file linked as `href` from `source` lies in the local mirror. A link from
/// the site's root (`/files/a.pdf`) or to a full URL (as `wget --mirror` keeps them,
/// under a folder named after the host) is looked for under each folder above the page.
fn local_file(source: &Path, href: &str) -> Option<PathBuf> {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let page_dir = source.parent().unwrap_or(Path::new("."));
    let from_root = match path.split_once("://") {
        Some((_, rest)) => Some(rest.to_string()),
        None => path.strip_prefix('/').map(str::to_string),
    };
    let candidates: Vec<PathBuf> = match from_root {
        Some(rel) => {
            let without_host = rel.split_once('/').map(|(_, p)| p.to_string()).unwrap_or_default();
            page_dir.ancestors().flat_map(|dir| [dir.join(&rel), dir.join(&without_host)]).collect()
        }
        None => vec![page_dir.join(&path)],
    };
    candidates.into_iter().find(|c| c.is_file() && !path.is_empty())
}

/// A page as a [`Draft`].
fn page_draft(source: &Path, text: &str) -> Draft {
    let page = Html::parse_document(text);
    let fields = page_metadata(&page);
    let title = page_title(&page);
    let (body, body_files) = page_body(&page, source, title.as_deref());
    let listed_files = listed_files(&page, source, &body_files);
    let related = related_pages(&page, source);
    let mut warnings = Vec::new();
    let date_field = |field: Field, warnings: &mut Vec<String>| {
        let text = fields.get(field)?;
        let date = date_in(text);
        if date.is_none() {
            warnings.push(format!("\"{text}\" is not a date; it was left out"));
        }
        date
    };
    let date = date_field(Field::Date, &mut warnings);
    let written = date_field(Field::Written, &mut warnings);
    let validity = fields.get(Field::Validity).and_then(|v| {
        let known = validity_of(v);
        if known.is_none() {
            warnings.push(format!("有效性 \"{v}\" is not 有效, 废止 or 失效; it was left out"));
        }
        known
    });
    let keywords = fields
        .get(Field::Keywords)
        .map(|k| k.split(['、', ',', '，', ';', '；', ' ', '　']).filter(|w| !w.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    if body.is_empty() {
        warnings.push("no main text found".into());
    }
    Draft {
        source: source.to_path_buf(),
        title,
        index_no: fields.get(Field::IndexNo).map(str::to_string),
        publisher: fields.get(Field::Publisher).map(str::to_string),
        category: fields.get(Field::Category).map(str::to_string),
        date,
        written,
        doc_no: fields.get(Field::DocNo).map(|d| d.replace(['[', '［'], "〔").replace([']', '］'], "〕")),
        keywords,
        validity,
        body,
        body_files,
        listed_files,
        embedded: Vec::new(),
        related,
        warnings,
    }
}

fn validity_of(text: &str) -> Option<String> {
    let v = if text.contains("废止") {
        "repealed"
    } else if text.contains("失效") {
        "expired"
    } else if text.contains("修改") {
        "amended"
    } else if text.contains("有效") {
        "effective"
    } else {
        return None;
    };
    Some(v.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_words_include_amended() {
        assert_eq!(validity_of("已修改").as_deref(), Some("amended"));
        assert_eq!(validity_of("已废止").as_deref(), Some("repealed"));
        assert_eq!(validity_of("现行有效").as_deref(), Some("effective"));
    }

    #[test]
    fn labels_with_spaces_and_both_colons() {
        let pairs = inline_pairs("索 引 号：78169183-5-/2022-0412001 发布机构: 市生态环境局 资金来源：财政");
        assert_eq!(pairs[0], (Field::IndexNo, "78169183-5-/2022-0412001".into()));
        assert_eq!(pairs[1], (Field::Publisher, "市生态环境局 资金来源：财政".into()));
        assert_eq!(pairs.len(), 2);
    }

    #[test]
    fn charset_from_meta_then_utf8_then_gb18030() {
        let (gbk, _, _) = GB18030.encode("<p>索引号</p>");
        assert_eq!(decode(&gbk), "<p>索引号</p>");
        let declared = [b"<meta charset=\"gbk\">".as_slice(), &gbk].concat();
        assert!(decode(&declared).ends_with("<p>索引号</p>"));
        assert_eq!(decode("<p>索引号</p>".as_bytes()), "<p>索引号</p>");
    }

    #[test]
    fn dates_in_the_usual_forms() {
        let d = chrono::NaiveDate::from_ymd_opt(2022, 4, 12);
        for text in ["2022-04-12", "2022年4月12日", "2022/4/12", "2022.04.12", "2022-04-12 09:30:00", "２０２２年４月１２日"] {
            assert_eq!(date_in(text), d, "{text}");
        }
    }
}
