/*!
Word documents (.docx) to a draft of a gongkai document: the title, 文号 and
成文日期 read from where an official document (GB/T 9704) puts them, and the body
as Markdown, its pictures as files. [`read`] only converts; [`import_docx`] (the
`gongkai import docx` command) makes each converted file a [`super::Draft`] with the
category, publisher and date given on the command line, and hands the drafts to the
shared importer, which assigns the 索引号 and writes the document and its pictures.

# Reading the package

The DOCX is read with `zip` and `quick-xml` rather than a DOCX crate. docx-rs
(0.4, maintained) has a reader, but it keeps a table cell's `gridSpan` and `vMerge`
in private fields (reachable only by serialising the whole document to JSON), and
it re-encodes every picture to PNG through the `image` crate, which is large and
changes the files. The few parts needed here are small to read directly (see
`xml.rs`); docx-rs is used only in the tests, to write the fixtures.

# Where the metadata is

- **文号**: the first line among the document's first [`HEAD_LINES`] that holds
  one (某环发〔2024〕3号, possibly beside 签发人); `[2024]`, `(2024)`, `（2024）` are
  written as `〔2024〕`.
- **Title**: the first line after the red head (the 文号 line, or the red lines of
  the 发文机关标志 when there is no 文号) when it is styled Title or Heading 1 or is
  prominent (centred, and bold or 16pt and larger). A title set on consecutive
  prominent lines is joined. When none follows the 文号, the title is looked for
  above it, as gazettes print (title, then （某政办发〔2024〕3号）).
- **成文日期**: the last line that is a date alone (二〇二二年五月十六日,
  2022年5月16日) among the document's last [`CLOSING_LINES`].
- **Signer**: the short lines just above that date (发文机关署名), with no
  sentence punctuation, or right-aligned.

Everything from the start to the title (or the 文号 line), the signer and the
date are metadata and are left out of the body; lines after the date (附注,
版记) stay in it.

# The body

- Headings of official documents become Markdown headings when they stand alone
  (at most 40 characters, no sentence punctuation inside): `一、` → `##`, `（一）` →
  `###`, `1.` → `####`, `（1）` → `#####`. gongkai renders the body's top level as
  `h2` below the page's title, so a document whose top level is `（一）` still
  starts at `h2`. A numbered line that runs on into its text (`（一）加强领导。各地要…`)
  stays a paragraph with its number as written (`1.` escaped so Markdown does not
  renumber it as a list). Word's Heading 2–6 styles map to the same level.
- Word's own numbered and bulleted paragraphs become Markdown lists, nested by
  their level (`1.` whatever Word's number looks like, `-` for bullets). A Word
  list whose first level counts in Chinese (一、) is an official outline numbered
  by Word: its numbers are written out (一、 （二） 3.) and the paragraphs read as
  typed ones are, headings included.
- Bold runs become `**…**`. Punctuation and spaces at the edges of a bold run are
  written outside it: CommonMark does not close `**` between a Chinese full stop
  and the next character (`**加强领导。**各地` is not bold).
- Tables become Markdown tables, the first row as the header. Markdown cannot merge
  cells: a merged cell's text is written in its first (top-left) cell and the cells
  it covered are left empty, and [`DocxDraft::warnings`] says so. A cell's
  paragraphs are joined with `<br>`, which gongkai's sanitiser keeps; a table
  inside a cell is flattened into the cell's lines.
- Pictures are exported as [`DocxImage`]s and shown as `![描述](name)`, `name` being
  the picture's file name in the package made safe (`image1.png`; see
  [`DocxImage::name`]); the importer writes the files and rewrites the links with
  [`DocxDraft::relink`]. Charts, shapes and pictures linked from outside the file
  are not exported.
- Text boxes, headers, footers, footnotes, comments and tracked deletions are not
  read.
*/

mod text;
mod xml;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

pub use text::{find_doc_no, normalise_doc_no, parse_date};
use xml::{Block, Cell, Para};

/// How many lines from the top are searched for the red head, 文号 and title.
pub const HEAD_LINES: usize = 12;
/// How many lines from the end are searched for the 成文日期.
pub const CLOSING_LINES: usize = 10;
/// The most characters an official heading (一、…) may have to be taken as one.
const HEADING_CHARS: usize = 40;

/// A Word document converted, for the importer to complete and write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocxDraft {
    pub title: Option<String>,
    /// 文号, in the standard form 某环发〔2024〕3号.
    pub doc_no: Option<String>,
    /// 成文日期, from the closing date line.
    pub written: Option<NaiveDate>,
    /// The 发文机关署名 above the date, lines joined with a space.
    pub signer: Option<String>,
    /// The body, without the red head, title, 文号 line, signer and date.
    pub markdown: String,
    /// The pictures the body shows, in the order it shows them.
    pub images: Vec<DocxImage>,
    /// What the conversion could not keep, for the importer's summary.
    pub warnings: Vec<String>,
}

/// A picture from the document; the Markdown links to it by [`DocxImage::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct DocxImage {
    /// The file name in the package (`image1.png`), unique within the document and
    /// safe as a file name and a Markdown link: ASCII letters, digits, `.`, `-`, `_`.
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("{name}: {kind} files cannot be imported; open it in Word or WPS and save it as .docx (文件 → 另存为 → Word 文档), then import the .docx")]
    SaveAsDocx { name: String, kind: &'static str },
    #[error("{name}: not a Word document; only .docx files can be imported")]
    NotDocx { name: String },
    #[error("this is {kind} file under a .docx name; open it in Word or WPS and save it as .docx (文件 → 另存为 → Word 文档)")]
    Misnamed { kind: &'static str },
    #[error("not a .docx file (it is not a ZIP package); open it in Word or WPS and save it again as .docx")]
    NotZip(#[source] zip::result::ZipError),
    #[error("the .docx is damaged ({part}: {reason}); open it in Word or WPS, which can repair it, and save it again as .docx")]
    Damaged { part: String, reason: String },
    #[error("{part} in the .docx unpacks to more than {limit_mib} MiB; make its pictures smaller or split the document")]
    TooLarge { part: String, limit_mib: u64 },
    #[error("the .docx has no word/document.xml, so it is not a Word document; save the text from Word or WPS as .docx")]
    NoDocument,
}

/// Refuses a file the importer cannot read by its extension: `.doc`, `.wps` and
/// `.pdf` with how to make a .docx of it, anything else but `.docx` as not a Word
/// document.
pub fn check_extension(path: &Path) -> Result<(), DocxError> {
    let name = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let kind = match ext.as_str() {
        "docx" => return Ok(()),
        "doc" => "old Word .doc",
        "wps" => "WPS .wps",
        "pdf" => "PDF",
        _ => return Err(DocxError::NotDocx { name }),
    };
    Err(DocxError::SaveAsDocx { name, kind })
}

/// Converts the bytes of a .docx file.
pub fn read(bytes: &[u8]) -> Result<DocxDraft, DocxError> {
    refuse_misnamed(bytes)?;
    let mut package = xml::Package::open(bytes)?;
    let styles = package.text_part("word/styles.xml")?.map(|x| xml::style_names(&x)).transpose()?.unwrap_or_default();
    let lists = package.text_part("word/numbering.xml")?.map(|x| xml::list_levels(&x)).transpose()?.unwrap_or_default();
    let targets = package.text_part("word/_rels/document.xml.rels")?.map(|x| xml::image_targets(&x)).transpose()?.unwrap_or_default();
    let document = package.text_part("word/document.xml")?.ok_or(DocxError::NoDocument)?;
    let blocks = xml::body(&document, &styles)?;

    let head = head(&blocks);
    let closing = closing(&blocks, head.body_start);
    let mut body = Body { lists, counters: HashMap::new(), targets, used: Vec::new(), warnings: Vec::new() };
    let markdown = body.markdown(blocks.iter().enumerate().skip(head.body_start).filter(|(i, _)| !closing.lines.contains(i)).map(|(_, b)| b));
    let mut images = Vec::new();
    for (name, path) in &body.used {
        match package.part(path)? {
            Some(bytes) => images.push(DocxImage { name: name.clone(), bytes }),
            None => body.warnings.push(format!("picture {name} is missing from the .docx; its link is left in the text")),
        }
    }
    Ok(DocxDraft {
        title: head.title,
        doc_no: head.doc_no,
        written: closing.date,
        signer: closing.signer,
        markdown,
        images,
        warnings: body.warnings,
    })
}

impl DocxDraft {
    /// Rewrites the Markdown's links to the pictures: `to` gives the link for an
    /// image's name (e.g. `/files/2024/image1.png`).
    pub fn relink(&mut self, to: impl Fn(&str) -> String) {
        for image in &self.images {
            let from = format!("]({})", image.name);
            self.markdown = self.markdown.replace(&from, &format!("]({})", to(&image.name)));
        }
    }
}

/// A .doc or PDF renamed to .docx: the ZIP reader's error would not say what it is.
fn refuse_misnamed(bytes: &[u8]) -> Result<(), DocxError> {
    let kind = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "an old Word .doc (or WPS)"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF"
    } else {
        return Ok(());
    };
    Err(DocxError::Misnamed { kind })
}

/// The top's metadata and where the body starts.
struct Head {
    title: Option<String>,
    doc_no: Option<String>,
    body_start: usize,
}

/// The paragraphs among the first [`HEAD_LINES`] blocks, with their places. Tables
/// there are passed over: joint documents set their issuers' names in one.
fn leading(blocks: &[Block]) -> impl Iterator<Item = (usize, &Para)> {
    blocks.iter().take(HEAD_LINES).enumerate().filter_map(|(i, b)| match b {
        Block::Para(p) => Some((i, p)),
        Block::Table(_) => None,
    })
}

fn head(blocks: &[Block]) -> Head {
    let doc_no = leading(blocks).find_map(|(i, p)| find_doc_no(&p.text()).map(|n| (i, n)));
    let red_end = leading(blocks).filter(|(_, p)| p.is_red()).map(|(i, _)| i + 1).last().unwrap_or(0);
    let after_head = doc_no.as_ref().map_or(red_end, |(i, _)| i + 1);
    // Notices printed in a gazette put the 文号 under the title instead.
    let title = title(blocks, after_head).or_else(|| doc_no.as_ref().and_then(|_| title(blocks, red_end)));
    let body_start = title.as_ref().map_or(after_head, |(end, _)| (*end).max(after_head));
    Head { title: title.map(|(_, t)| t), doc_no: doc_no.map(|(_, n)| n), body_start }
}

/// The title starting at the first line from `from` on that is not blank, when that
/// line is styled Title or Heading 1 or is prominent (then the prominent lines after
/// it are the title's too); with the place after it.
fn title(blocks: &[Block], from: usize) -> Option<(usize, String)> {
    let (start, first) = leading(blocks).find(|(i, p)| *i >= from && !p.is_blank())?;
    if matches!(first.style.as_deref(), Some("title" | "heading1")) {
        return Some((start + 1, one_line(&first.text())));
    }
    let prominent = |p: &Para| p.centred && (p.is_bold() || p.largest_size() >= 32) && !p.is_red() && !p.is_blank();
    let lines: Vec<&Para> = leading(blocks).filter(|(i, _)| *i >= start).map(|(_, p)| p).take_while(|p| prominent(p)).collect();
    let title: String = lines.iter().map(|p| one_line(&p.text())).collect();
    (!lines.is_empty()).then_some((start + lines.len(), title))
}

/// A title's lines run together: Chinese needs no space where Word broke the line.
fn one_line(text: &str) -> String {
    text.split('\n').map(str::trim).collect()
}

/// The closing date and signer, and the places of their lines.
struct Closing {
    date: Option<NaiveDate>,
    signer: Option<String>,
    lines: HashSet<usize>,
}

fn closing(blocks: &[Block], body_start: usize) -> Closing {
    let paras = || {
        blocks.iter().enumerate().skip(body_start).rev().filter_map(|(i, b)| match b {
            Block::Para(p) if !p.is_blank() => Some((i, p)),
            _ => None,
        })
    };
    let Some((date_at, date)) = paras().take(CLOSING_LINES).find_map(|(i, p)| parse_date(&p.text()).map(|d| (i, d))) else {
        return Closing { date: None, signer: None, lines: HashSet::new() };
    };
    let signers: Vec<(usize, String)> =
        paras().skip_while(|(i, _)| *i >= date_at).take(3).take_while(|(_, p)| is_signature(p)).map(|(i, p)| (i, one_line(&p.text()))).collect();
    let signer = (!signers.is_empty()).then(|| signers.iter().rev().map(|(_, s)| s.as_str()).collect::<Vec<_>>().join(" "));
    let lines = signers.iter().map(|(i, _)| *i).chain([date_at]).collect();
    Closing { date: Some(date), signer, lines }
}

/// A 发文机关署名 line: words only, right-aligned, or short and not a sentence.
fn is_signature(p: &Para) -> bool {
    let text = p.text();
    let text = text.trim();
    let words_only = !text.is_empty() && p.runs.iter().all(|r| r.image.is_none());
    words_only && (p.right || (text.chars().count() <= 30 && !text.contains(['。', '；', '：', '，', '！', '？', ':', ';']) && official_level(text).is_none()))
}

/// The level of an official heading's number at the start of `text`: 一、 is 1,
/// （一） 2, 1. 3, （1） 4.
fn official_level(text: &str) -> Option<usize> {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let is_chinese = |c: char| "一二三四五六七八九十".contains(c);
    let number_kind = |n: &str| match () {
        _ if n.is_empty() => None,
        _ if n.chars().all(is_chinese) => Some(true),
        _ if n.chars().all(is_digit) => Some(false),
        _ => None,
    };
    if let Some(rest) = text.strip_prefix(['（', '(']) {
        let (number, _) = rest.split_once(['）', ')'])?;
        return number_kind(number).map(|chinese| if chinese { 2 } else { 4 });
    }
    let end = text.find(|c: char| !is_digit(c) && !is_chinese(c))?;
    let (number, rest) = text.split_at(end);
    let mut rest = rest.chars();
    let (mark, next) = (rest.next()?, rest.next());
    match (number_kind(number)?, mark) {
        (true, '、') => Some(1),
        // "1.5亿元" is a number, not a heading's.
        (false, '.' | '．' | '、') if !next.is_some_and(is_digit) => Some(3),
        _ => None,
    }
}

/// `n` in Chinese numerals as headings count: 一 … 十, 十一, 二十, 九十九; larger
/// numbers in digits.
fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        20..=99 => format!("{}十{}", DIGITS[(n / 10) as usize], DIGITS[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

/// Whether a numbered line stands alone as a heading rather than running on into text.
fn is_heading_like(text: &str) -> bool {
    let core = text.trim().trim_end_matches(['。', '.']);
    core.chars().count() <= HEADING_CHARS && !core.contains(['。', '；', ';', '！', '？', '!', '?'])
}

/// The Markdown of the body's blocks, and what it had to leave behind.
struct Body {
    /// How Word numbers each level of its lists, by (numId, level).
    lists: HashMap<(String, usize), xml::ListLevel>,
    /// The count so far of each list's levels, by numId.
    counters: HashMap<String, Vec<u32>>,
    /// Relationship ids to the pictures' paths in the package.
    targets: HashMap<String, String>,
    /// The pictures shown so far: (name, path in the package).
    used: Vec<(String, String)>,
    warnings: Vec<String>,
}

/// A piece of the body's Markdown.
enum Piece {
    Item(String),
    Other(String),
}

impl Body {
    fn markdown<'a>(&mut self, blocks: impl Iterator<Item = &'a Block>) -> String {
        let mut out = String::new();
        let mut last_item = false;
        for block in blocks {
            let piece = match block {
                Block::Para(p) => self.para(p),
                Block::Table(rows) => self.table(rows).map(Piece::Other),
            };
            let Some(piece) = piece else { continue };
            let (text, item) = match piece {
                Piece::Item(t) => (t, true),
                Piece::Other(t) => (t, false),
            };
            // The items of one list stay together (a tight list); blocks are paragraphs apart.
            if !out.is_empty() {
                out.push_str(if item && last_item { "\n" } else { "\n\n" });
            }
            out.push_str(&text);
            last_item = item;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    fn para(&mut self, p: &Para) -> Option<Piece> {
        if p.is_blank() {
            return None;
        }
        // Word's own numbers in the Chinese style of official headings are written
        // out, as if typed: the paragraph is then read as a typed one is.
        let number = p.list.as_ref().and_then(|(id, level)| self.count(id, *level));
        let list = p.list.as_ref().filter(|_| number.is_none());
        let number = number.unwrap_or_default();
        let plain = format!("{number}{}", one_line(&p.text()));
        if let Some(level) = self.heading_level(p, &plain, list.is_some()) {
            return Some(Piece::Other(format!("{} {}", "#".repeat(level), escape(&plain))));
        }
        let text = lines_markdown(&format!("{}{}", escape(&number), self.inline(p)), "\\\n");
        if text.is_empty() {
            return None; // only a chart or shape, which is not exported
        }
        Some(match list {
            Some((id, level)) => {
                let bulleted = self.lists.get(&(id.clone(), *level)).is_some_and(|l| l.format == "bullet");
                let marker = if bulleted { "-" } else { "1." };
                let indent = "   ".repeat(*level);
                Piece::Item(format!("{indent}{marker} {}", text.replace('\n', &format!("\n{indent}   "))))
            }
            None => Piece::Other(text),
        })
    }

    /// Counts a paragraph of a Word list, and gives its number as Word shows it
    /// (`一、`, `（二）`, `1.`) when the list's first level counts in Chinese, as the
    /// headings of official documents do; `None` for other lists, which stay
    /// Markdown lists.
    fn count(&mut self, id: &str, level: usize) -> Option<String> {
        let counts = self.counters.entry(id.to_string()).or_default();
        // Counting a level starts its sublevels again.
        counts.resize(level + 1, 0);
        counts[level] += 1;
        let list_level = |l: usize| self.lists.get(&(id.to_string(), l));
        if !list_level(0).is_some_and(|l| l.format.starts_with("chineseCounting")) {
            return None;
        }
        let mut number = list_level(level)?.text.clone();
        for (l, count) in counts.iter().enumerate() {
            let (format, start) = list_level(l).map_or(("decimal", 1), |d| (d.format.as_str(), d.start));
            let n = start + count.saturating_sub(1);
            let shown = if format.starts_with("chineseCounting") { chinese_numeral(n) } else { n.to_string() };
            number = number.replace(&format!("%{}", l + 1), &shown);
        }
        Some(number)
    }

    /// The Markdown heading level of a paragraph that is a heading: by Word's Heading
    /// style, or by its official number when it stands alone (not in a Markdown list).
    fn heading_level(&self, p: &Para, plain: &str, in_list: bool) -> Option<usize> {
        if let Some(n) = p.style.as_deref().and_then(|s| s.strip_prefix("heading")).and_then(|n| n.parse::<usize>().ok()) {
            return Some(n.clamp(2, 6));
        }
        official_level(plain).filter(|_| is_heading_like(plain) && !in_list).map(|l| l + 1)
    }

    /// A paragraph's runs as inline Markdown: escaped text, bold, pictures.
    fn inline(&mut self, p: &Para) -> String {
        let mut out = String::new();
        let mut bold = String::new();
        for run in &p.runs {
            if !run.bold || run.image.is_some() {
                let bolded = emphasised(&std::mem::take(&mut bold), out.chars().last());
                out.push_str(&bolded);
            }
            if let Some(id) = &run.image {
                out.push_str(&self.image(id, &run.alt));
            } else if run.bold {
                bold.push_str(&run.text);
            } else {
                out.push_str(&escape(&run.text));
            }
        }
        let bolded = emphasised(&bold, out.chars().last());
        out.push_str(&bolded);
        out
    }

    /// The Markdown of a picture, which is exported under a file name of its own.
    fn image(&mut self, id: &str, alt: &str) -> String {
        let Some(path) = self.targets.get(id) else { return String::new() };
        let name = match self.used.iter().find(|(_, p)| p == path) {
            Some((name, _)) => name.clone(),
            None => {
                let name = self.unused_name(&file_name(path));
                self.used.push((name.clone(), path.clone()));
                name
            }
        };
        format!("![{}]({name})", escape(alt))
    }

    /// `name`, or `name-2`… when another picture has it.
    fn unused_name(&self, name: &str) -> String {
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let taken = |n: &str| self.used.iter().any(|(u, _)| u == n);
        (1..).map(|i| if i == 1 { name.to_string() } else { format!("{stem}-{i}.{ext}") }).find(|n| !taken(n)).unwrap_or_default()
    }

    fn table(&mut self, rows: &[Vec<Cell>]) -> Option<String> {
        let mut grid: Vec<Vec<String>> = rows.iter().map(|row| row.iter().flat_map(|c| self.cell(c)).collect()).collect();
        let width = grid.iter().map(Vec::len).max().filter(|&w| w > 0)?;
        if rows.iter().flatten().any(|c| c.span > 1 || c.continues) {
            self.warnings.push("a table has merged cells, which Markdown cannot merge: each merged cell's text is in its first cell and the cells it covered are empty".into());
        }
        for row in &mut grid {
            row.resize(width, String::new());
        }
        let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
        let mut lines = vec![line(&grid[0]), line(&vec!["---".to_string(); width])];
        lines.extend(grid[1..].iter().map(|r| line(r)));
        Some(lines.join("\n"))
    }

    /// A cell's text, then an empty cell for each further column it spans.
    fn cell(&mut self, c: &Cell) -> Vec<String> {
        let paras: Vec<String> = c.paras.iter().filter(|p| !p.is_blank()).map(|p| lines_markdown(&self.inline(p), "<br>")).collect();
        let mut cells = vec![paras.join("<br>")];
        cells.resize(c.span, String::new());
        cells
    }
}

/// A picture's file name from its path in the package, safe to write to disk and to
/// link from Markdown as it is: ASCII letters, digits, `.`, `-` and `_`, starting with
/// a letter or digit (a crafted package could name a part `..` or `a b).png`).
fn file_name(path: &str) -> String {
    let name: String = path.rsplit('/').next().unwrap_or(path).chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') { c } else { '-' }).collect();
    if name.starts_with(|c: char| c.is_ascii_alphanumeric()) { name } else { format!("image{name}") }
}

/// Inline Markdown's lines, each kept from starting a block (`1.`, `#`, `-`) and
/// without the full-width spaces that indent Chinese paragraphs, joined by `joint`.
fn lines_markdown(inline: &str, joint: &str) -> String {
    inline.split('\n').map(|l| escape_line_start(l.trim())).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(joint)
}

/// Bold text as `**…**`, the spaces and punctuation at its edges outside the markers
/// (see the module's docs); `before` is the character the text follows. Leading
/// punctuation stays inside where the line starts or a space or punctuation stands
/// before it: CommonMark opens `**（二）…**` there, but not after a letter.
fn emphasised(text: &str, before: Option<char>) -> String {
    let edge = |c: char| !c.is_alphanumeric();
    let opens_freely = before.is_none_or(edge);
    let trimmed = text.trim_end_matches(edge);
    let core = if opens_freely { trimmed.trim_start_matches(char::is_whitespace) } else { trimmed.trim_start_matches(edge) };
    if core.trim_matches(edge).is_empty() {
        return escape(text);
    }
    let start = text.find(core).unwrap_or(0);
    let (before, after) = (&text[..start], &text[start + core.len()..]);
    format!("{}**{}**{}", escape(before), escape(core), escape(after))
}

/// Text with Markdown's inline syntax escaped, so that it shows as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line that would start a Markdown block (a list, heading, quotation) escaped.
fn escape_line_start(line: &str) -> String {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    if line.starts_with(['#', '-', '+', '=']) {
        return format!("\\{line}");
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_numbers_give_levels() {
        assert_eq!(official_level("一、总体要求"), Some(1));
        assert_eq!(official_level("十二、附则"), Some(1));
        assert_eq!(official_level("（一）加强领导"), Some(2));
        assert_eq!(official_level("(三)落实责任"), Some(2));
        assert_eq!(official_level("1.明确分工"), Some(3));
        assert_eq!(official_level("2．明确分工"), Some(3));
        assert_eq!(official_level("（1）按时报送"), Some(4));
        assert_eq!(official_level("1.5亿元用于"), None);
        assert_eq!(official_level("一是加强"), None);
        assert_eq!(official_level("各区县人民政府："), None);
    }

    #[test]
    fn chinese_numerals_count_as_headings_do() {
        let shown: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100].into_iter().map(chinese_numeral).collect();
        assert_eq!(shown, ["一", "九", "十", "十一", "二十", "二十一", "九十九", "100"]);
    }

    #[test]
    fn bold_keeps_punctuation_outside_its_markers() {
        assert_eq!(emphasised("加强领导。", None), "**加强领导**。");
        assert_eq!(emphasised("（一）总体要求", None), "**（一）总体要求**", "at the line's start");
        assert_eq!(emphasised("（一）总体要求", Some('。')), "**（一）总体要求**", "after punctuation");
        assert_eq!(emphasised("（一）总体要求", Some('字')), "（**一）总体要求**", "after a letter");
        assert_eq!(emphasised("　", None), "　");
    }

    #[test]
    fn picture_names_are_safe_files_and_links() {
        assert_eq!(file_name("word/media/image1.png"), "image1.png");
        assert_eq!(file_name("word/media/.."), "image..");
        assert_eq!(file_name("media/a b).png"), "a-b-.png");
        let mut body = Body { lists: HashMap::new(), counters: HashMap::new(), targets: HashMap::new(), used: Vec::new(), warnings: Vec::new() };
        body.targets.insert("rId1".into(), "word/media/a.png".into());
        body.targets.insert("rId2".into(), "media/a.png".into());
        assert_eq!(body.image("rId1", ""), "![](a.png)");
        assert_eq!(body.image("rId2", "图"), "![图](a-2.png)");
        assert_eq!(body.image("rId1", ""), "![](a.png)", "a picture shown twice is one file");
        assert_eq!(body.used.len(), 2);
    }

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(escape("a*b_c[d]"), "a\\*b\\_c\\[d\\]");
        assert_eq!(escape_line_start("1.明确分工"), "1\\.明确分工");
        assert_eq!(escape_line_start("# 不是标题"), "\\# 不是标题");
        assert_eq!(escape_line_start("2024年"), "2024年");
    }

    #[test]
    fn other_files_are_refused_with_the_fix() {
        assert!(check_extension(Path::new("通知.docx")).is_ok());
        assert!(check_extension(Path::new("通知.DOCX")).is_ok());
        for name in ["通知.doc", "通知.wps", "通知.pdf"] {
            let message = check_extension(Path::new(name)).unwrap_err().to_string();
            assert!(message.contains("save it as .docx"), "{message}");
        }
        assert!(matches!(check_extension(Path::new("表.xlsx")), Err(DocxError::NotDocx { .. })));
        assert!(matches!(read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), Err(DocxError::Misnamed { .. })));
        assert!(matches!(read(b"%PDF-1.7"), Err(DocxError::Misnamed { .. })));
        assert!(matches!(read(b"plain text"), Err(DocxError::NotZip(_))));
    }
}

/// What `gongkai import docx` is asked besides the files: Word documents carry no
/// 公开目录, 发布机构 or 发布日期, so these are given once for all of them.
#[derive(Debug, Clone, Default)]
pub struct DocxRequest {
    /// A leaf category of the body's current directory: its code or its name.
    pub category: String,
    /// 发布机构 [default: the body's name].
    pub publisher: Option<String>,
    /// 发布日期 [default: today, which the summary says].
    pub date: Option<NaiveDate>,
}

/// Imports the Word documents in `files` into the site in `root`, through the same
/// placing and writing as `import html`. An unknown `--category` is an error before
/// anything is read; a file that is not a readable .docx (.doc, .wps, .pdf, a damaged
/// package) is skipped with the reason.
pub fn import_docx(root: &Path, files: &[std::path::PathBuf], request: &DocxRequest, options: &super::ImportOptions) -> crate::error::Result<super::Summary> {
    use crate::error::Error;
    let today = options.today.unwrap_or_else(|| crate::LoadOptions::default().today);
    let site = super::Site::read(root, today, options)?;
    let category = site.existing.leaf(&request.category).map_err(|e| Error::Request(format!("--category: {e}")))?.code.clone();
    let mut drafts = Vec::new();
    let mut skipped = Vec::new();
    for file in files {
        if !file.is_file() {
            return Err(Error::Request(format!("{}: no such file; give the .docx files to import", file.display())));
        }
        let converted = check_extension(file).and_then(|()| {
            let bytes = std::fs::read(file).map_err(|e| DocxError::Damaged { part: file.display().to_string(), reason: e.to_string() })?;
            read(&bytes)
        });
        let converted = match converted {
            Ok(converted) => converted,
            Err(e) => {
                skipped.push(super::Skipped { source: file.clone(), reason: e.to_string() });
                continue;
            }
        };
        let embedded = converted.images.into_iter().map(|i| super::Embedded { href: i.name.clone(), name: i.name, bytes: i.bytes }).collect();
        drafts.push(super::Draft {
            source: file.clone(),
            title: converted.title,
            publisher: request.publisher.clone(),
            category: Some(category.clone()),
            date: Some(request.date.unwrap_or(today)),
            written: converted.written,
            doc_no: converted.doc_no,
            body: converted.markdown,
            embedded,
            warnings: converted.warnings,
            ..super::Draft::default()
        });
    }
    let dated = drafts.len();
    let mut summary = super::import_into(site, drafts, options)?;
    summary.skipped.splice(0..0, skipped);
    if request.date.is_none() && dated > 0 {
        summary.warnings.push(format!("no --date given: 发布日期 is today, {today}; correct it in each document if it was published earlier"));
    }
    Ok(summary)
}
