/*!
The parts of a DOCX package that the converter needs, read into a small model:
the body's paragraphs and tables (`word/document.xml`), style names
(`word/styles.xml`), list formats (`word/numbering.xml`) and the images the body
shows (`word/_rels/document.xml.rels`, `word/media/…`).

Only what the Markdown can carry is kept: a run's text, bold, colour and size; a
paragraph's style, alignment and list level; a cell's horizontal span and vertical
merge. Hidden text, text boxes, headers, footers, footnotes and comments are left
out.
*/

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::DocxError;

/// The most a part of the package may unpack to. A real document's XML is a few
/// megabytes and its pictures a few more; this keeps a crafted ZIP from filling memory.
const MAX_PART: u64 = 64 << 20;

/// How deep tables in cells are read. A table in a table is already rare; a crafted
/// file nesting thousands would otherwise overflow the stack of this recursive reader.
const MAX_TABLE_DEPTH: usize = 8;

/// A block of the body.
#[derive(Debug, Clone)]
pub(super) enum Block {
    Para(Para),
    Table(Vec<Vec<Cell>>),
}

#[derive(Debug, Clone, Default)]
pub(super) struct Para {
    /// The style's name, lower case without spaces ("title", "heading2"); its id when
    /// styles.xml does not name it.
    pub style: Option<String>,
    pub centred: bool,
    pub right: bool,
    /// The list (numId) and level of a paragraph Word numbers itself.
    pub list: Option<(String, usize)>,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Run {
    pub text: String,
    pub bold: bool,
    pub red: bool,
    /// Font size in half-points, as Word writes it (二号 = 44).
    pub size: Option<u32>,
    /// The relationship id of the picture this run shows.
    pub image: Option<String>,
    /// The picture's description (alt text), when Word has one.
    pub alt: String,
    /// Hidden text (`w:vanish`), which Word neither shows nor prints.
    pub hidden: bool,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Cell {
    pub span: usize,
    /// `w:vMerge` without `restart`: the cell continues the one above it.
    pub continues: bool,
    pub paras: Vec<Para>,
}

impl Para {
    /// The paragraph's text; line breaks are '\n'.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    pub fn is_blank(&self) -> bool {
        self.runs.iter().all(|r| r.text.trim().is_empty() && r.image.is_none())
    }

    /// Whether any text in it is red, as the red head's is.
    pub fn is_red(&self) -> bool {
        self.runs.iter().any(|r| r.red && !r.text.trim().is_empty())
    }

    /// Whether all of its text is bold.
    pub fn is_bold(&self) -> bool {
        let mut texts = self.runs.iter().filter(|r| !r.text.trim().is_empty()).peekable();
        texts.peek().is_some() && texts.all(|r| r.bold)
    }

    pub fn largest_size(&self) -> u32 {
        self.runs.iter().filter_map(|r| r.size).max().unwrap_or(0)
    }
}

/// An opened DOCX package.
pub(super) struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
}

impl Package {
    pub fn open(bytes: &[u8]) -> Result<Self, DocxError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).map_err(DocxError::NotZip)?;
        Ok(Self { zip })
    }

    /// The bytes of the part at `path`, `None` when the package has none.
    pub fn part(&mut self, path: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let file = match self.zip.by_name(path) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(DocxError::Damaged { part: path.to_string(), reason: e.to_string() }),
        };
        let mut bytes = Vec::new();
        file.take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DocxError::Damaged { part: path.to_string(), reason: e.to_string() })?;
        if bytes.len() as u64 > MAX_PART {
            return Err(DocxError::TooLarge { part: path.to_string(), limit_mib: MAX_PART >> 20 });
        }
        Ok(Some(bytes))
    }

    pub fn text_part(&mut self, path: &str) -> Result<Option<String>, DocxError> {
        self.part(path)?
            .map(|b| String::from_utf8(b).map_err(|_| DocxError::Damaged { part: path.to_string(), reason: "not UTF-8 text".into() }))
            .transpose()
    }
}

/// The local name of an element or attribute as text (`w:pStyle` → `pStyle`).
fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

/// The value of the attribute whose local name is `name` (`w:val`, `r:embed`).
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == name).map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Whether an on/off property (`<w:b/>`, `<w:b w:val="0"/>`) is on.
fn on(e: &BytesStart) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off" | "none"))
}

fn xml_error(part: &str, reader: &Reader<&[u8]>, e: quick_xml::Error) -> DocxError {
    DocxError::Damaged { part: part.to_string(), reason: format!("bad XML at byte {}: {e}", reader.buffer_position()) }
}

/// One event of a part, its text decoded; `None` at the end.
enum Ev {
    Open(BytesStart<'static>),
    /// An element with no content (`<w:b/>`).
    Empty(BytesStart<'static>),
    Close(Vec<u8>),
    Text(String),
}

struct Events<'a> {
    reader: Reader<&'a [u8]>,
    part: &'static str,
}

impl<'a> Events<'a> {
    fn new(xml: &'a str, part: &'static str) -> Self {
        Self { reader: Reader::from_str(xml), part }
    }

    fn next(&mut self) -> Result<Option<Ev>, DocxError> {
        loop {
            let event = self.reader.read_event().map_err(|e| xml_error(self.part, &self.reader, e))?;
            return Ok(Some(match event {
                Event::Start(e) => Ev::Open(e.into_owned()),
                Event::Empty(e) => Ev::Empty(e.into_owned()),
                Event::End(e) => Ev::Close(local(e.name().as_ref()).to_vec()),
                Event::Text(t) => Ev::Text(t.decode().map(|s| s.into_owned()).unwrap_or_default()),
                Event::CData(t) => Ev::Text(String::from_utf8_lossy(&t.into_inner()).into_owned()),
                Event::GeneralRef(r) => Ev::Text(entity(&r)),
                Event::Eof => return Ok(None),
                _ => continue,
            }));
        }
    }

    /// Reads past the end of the element `name` just opened, nested ones included.
    fn skip(&mut self, name: &[u8]) -> Result<(), DocxError> {
        let mut depth = 1;
        while let Some(ev) = self.next()? {
            match ev {
                Ev::Open(e) if local(e.name().as_ref()) == name => depth += 1,
                Ev::Close(n) if n == name => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The text of `&amp;` or `&#x4E00;`.
fn entity(r: &quick_xml::events::BytesRef) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.decode().unwrap_or_default();
    quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default().to_string()
}

/// The body of `word/document.xml`. `styles` maps style ids to names.
pub(super) fn body(xml: &str, styles: &HashMap<String, String>) -> Result<Vec<Block>, DocxError> {
    let mut ev = Events::new(xml, "word/document.xml");
    let mut blocks = Vec::new();
    while let Some(e) = ev.next()? {
        match e {
            Ev::Open(e) if local(e.name().as_ref()) == b"p" => blocks.push(Block::Para(para(&mut ev, styles)?)),
            Ev::Empty(e) if local(e.name().as_ref()) == b"p" => blocks.push(Block::Para(Para::default())),
            Ev::Open(e) if local(e.name().as_ref()) == b"tbl" => blocks.push(Block::Table(table(&mut ev, styles, 0)?)),
            _ => {}
        }
    }
    Ok(blocks)
}

fn para(ev: &mut Events, styles: &HashMap<String, String>) -> Result<Para, DocxError> {
    let mut p = Para::default();
    let mut list = (None, 0);
    while let Some(e) = ev.next()? {
        match e {
            Ev::Close(n) if n == b"p" => break,
            Ev::Open(e) => match local(e.name().as_ref()) {
                b"r" => p.runs.extend(Some(run(ev)?).filter(|r| !r.hidden)),
                b"rPr" => ev.skip(b"rPr")?, // the paragraph mark's look, not its text's
                b"txbxContent" => ev.skip(b"txbxContent")?,
                _ => {}
            },
            Ev::Empty(e) => match local(e.name().as_ref()) {
                b"pStyle" => p.style = attr(&e, b"val").map(|id| style_key(styles.get(&id).unwrap_or(&id))),
                b"jc" => {
                    let jc = attr(&e, b"val").unwrap_or_default();
                    p.centred = jc == "center";
                    p.right = matches!(jc.as_str(), "right" | "end");
                }
                b"numId" => list.0 = attr(&e, b"val").filter(|id| id != "0"),
                b"ilvl" => list.1 = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            _ => {}
        }
    }
    p.list = list.0.map(|id| (id, list.1));
    Ok(p)
}

/// "Heading 1" → "heading1", so that ids and names compare alike. WPS names the
/// built-in styles in Chinese: 标题 is Title, 标题 1 Heading 1.
fn style_key(name: &str) -> String {
    let key: String = name.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    match key.strip_prefix("标题") {
        Some("") => "title".into(),
        Some(n) if n.chars().all(|c| c.is_ascii_digit()) => format!("heading{n}"),
        _ => key,
    }
}

fn run(ev: &mut Events) -> Result<Run, DocxError> {
    let mut r = Run::default();
    let mut in_text = false;
    while let Some(e) = ev.next()? {
        match e {
            Ev::Close(n) if n == b"r" => break,
            Ev::Close(n) if n == b"t" => in_text = false,
            Ev::Text(t) if in_text => r.text.push_str(&t),
            Ev::Open(e) if local(e.name().as_ref()) == b"t" => in_text = true,
            Ev::Open(e) if local(e.name().as_ref()) == b"txbxContent" => ev.skip(b"txbxContent")?,
            Ev::Open(e) | Ev::Empty(e) => run_property(&mut r, &e),
            _ => {}
        }
    }
    Ok(r)
}

/// What one element inside a run says about it.
fn run_property(r: &mut Run, e: &BytesStart) {
    match local(e.name().as_ref()) {
        b"b" => r.bold = on(e),
        b"vanish" => r.hidden = on(e),
        b"color" => r.red = attr(e, b"val").is_some_and(|c| is_red(&c)),
        b"sz" => r.size = attr(e, b"val").and_then(|v| v.parse().ok()),
        b"tab" => r.text.push(' '),
        b"br" | b"cr" => r.text.push('\n'),
        b"docPr" => r.alt = attr(e, b"descr").unwrap_or_default(),
        // DrawingML pictures (`a:blip r:embed`) and VML ones (`v:imagedata r:id`).
        b"blip" | b"imagedata" => r.image = attr(e, b"embed").or_else(|| attr(e, b"id")).or(r.image.take()),
        _ => {}
    }
}

/// Red as the red head prints it: a strong red, not a dark one.
fn is_red(hex: &str) -> bool {
    let Ok(rgb) = u32::from_str_radix(hex, 16) else { return false };
    let (r, g, b) = (rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
    hex.len() == 6 && r >= 0xc0 && g <= 0x60 && b <= 0x60
}

fn table(ev: &mut Events, styles: &HashMap<String, String>, depth: usize) -> Result<Vec<Vec<Cell>>, DocxError> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    while let Some(e) = ev.next()? {
        match e {
            Ev::Close(n) if n == b"tbl" => break,
            Ev::Open(e) if local(e.name().as_ref()) == b"tr" => rows.push(Vec::new()),
            Ev::Open(e) if local(e.name().as_ref()) == b"tc" => {
                let c = cell(ev, styles, depth)?;
                match rows.last_mut() {
                    Some(row) => row.push(c),
                    None => rows.push(vec![c]),
                }
            }
            _ => {}
        }
    }
    Ok(rows)
}

fn cell(ev: &mut Events, styles: &HashMap<String, String>, depth: usize) -> Result<Cell, DocxError> {
    let mut c = Cell { span: 1, ..Cell::default() };
    while let Some(e) = ev.next()? {
        match e {
            Ev::Close(n) if n == b"tc" => break,
            Ev::Open(e) if local(e.name().as_ref()) == b"p" => c.paras.push(para(ev, styles)?),
            // A table in a cell has no Markdown form: its cells' paragraphs join the cell's.
            Ev::Open(e) if local(e.name().as_ref()) == b"tbl" && depth >= MAX_TABLE_DEPTH => ev.skip(b"tbl")?,
            Ev::Open(e) if local(e.name().as_ref()) == b"tbl" => {
                c.paras.extend(table(ev, styles, depth + 1)?.into_iter().flatten().flat_map(|inner| inner.paras));
            }
            Ev::Empty(e) | Ev::Open(e) => match local(e.name().as_ref()) {
                b"gridSpan" => c.span = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64),
                b"vMerge" => c.continues = attr(&e, b"val").as_deref() != Some("restart"),
                _ => {}
            },
            _ => {}
        }
    }
    Ok(c)
}

/// Style ids to names from `word/styles.xml`.
pub(super) fn style_names(xml: &str) -> Result<HashMap<String, String>, DocxError> {
    let mut ev = Events::new(xml, "word/styles.xml");
    let mut names = HashMap::new();
    let mut id = None;
    while let Some(e) = ev.next()? {
        match e {
            Ev::Open(e) if local(e.name().as_ref()) == b"style" => id = attr(&e, b"styleId"),
            Ev::Empty(e) if local(e.name().as_ref()) == b"name" => {
                if let (Some(id), Some(name)) = (id.take(), attr(&e, b"val")) {
                    names.insert(id, name);
                }
            }
            _ => {}
        }
    }
    Ok(names)
}

/// How Word numbers one level of a list: `numFmt` (`decimal`, `bullet`,
/// `chineseCounting`…), `lvlText` (`%1、`, `（%2）`) and `start`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ListLevel {
    pub format: String,
    pub text: String,
    pub start: u32,
}

/// The levels of the lists of `word/numbering.xml`, by (numId, level).
pub(super) fn list_levels(xml: &str) -> Result<HashMap<(String, usize), ListLevel>, DocxError> {
    let mut ev = Events::new(xml, "word/numbering.xml");
    // Lists (numId) point to their definitions (abstractNumId), which hold the levels.
    let mut definitions: HashMap<String, Vec<(usize, ListLevel)>> = HashMap::new();
    let mut lists: Vec<(String, String)> = Vec::new();
    let (mut abstract_id, mut list_id) = (String::new(), String::new());
    while let Some(e) = ev.next()? {
        let (Ev::Open(e) | Ev::Empty(e)) = e else { continue };
        let val = attr(&e, b"val").unwrap_or_default();
        match local(e.name().as_ref()) {
            b"abstractNum" => abstract_id = attr(&e, b"abstractNumId").unwrap_or_default(),
            b"lvl" => {
                let ilvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                definitions.entry(abstract_id.clone()).or_default().push((ilvl, ListLevel { start: 1, ..ListLevel::default() }));
            }
            name @ (b"numFmt" | b"lvlText" | b"start") => {
                let Some((_, level)) = definitions.get_mut(&abstract_id).and_then(|l| l.last_mut()) else { continue };
                match name {
                    b"numFmt" => level.format = val,
                    b"lvlText" => level.text = val,
                    _ => level.start = val.parse().unwrap_or(1),
                }
            }
            // A list's own overrides of levels are not definitions.
            b"num" => (list_id, abstract_id) = (attr(&e, b"numId").unwrap_or_default(), String::new()),
            b"abstractNumId" => lists.push((list_id.clone(), val)),
            _ => {}
        }
    }
    Ok(lists
        .into_iter()
        .flat_map(|(list, def)| definitions.get(&def).into_iter().flatten().map(move |(ilvl, l)| ((list.clone(), *ilvl), l.clone())))
        .collect())
}

/// Relationship ids to the package paths of the images the body shows, from
/// `word/_rels/document.xml.rels`. Images linked from outside the file are left out.
pub(super) fn image_targets(xml: &str) -> Result<HashMap<String, String>, DocxError> {
    let mut ev = Events::new(xml, "word/_rels/document.xml.rels");
    let mut targets = HashMap::new();
    while let Some(e) = ev.next()? {
        let (Ev::Open(e) | Ev::Empty(e)) = e else { continue };
        if local(e.name().as_ref()) != b"Relationship" || attr(&e, b"TargetMode").as_deref() == Some("External") {
            continue;
        }
        if let (Some(id), Some(target), Some(kind)) = (attr(&e, b"Id"), attr(&e, b"Target"), attr(&e, b"Type")) {
            if kind.ends_with("/image") {
                targets.insert(id, package_path(&target));
            }
        }
    }
    Ok(targets)
}

/// A relationship target as a path in the package: relative ones are relative to `word/`.
fn package_path(target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = vec!["word"];
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_word() {
        assert_eq!(package_path("media/image1.png"), "word/media/image1.png");
        assert_eq!(package_path("../media/a.jpeg"), "media/a.jpeg");
        assert_eq!(package_path("/word/media/b.png"), "word/media/b.png");
    }

    #[test]
    fn wps_chinese_style_names_are_the_built_in_ones() {
        assert_eq!(style_key("标题"), "title");
        assert_eq!(style_key("标题 1"), "heading1");
        assert_eq!(style_key("Heading 2"), "heading2");
        assert_eq!(style_key("正文"), "正文");
    }

    #[test]
    fn red_is_a_strong_red() {
        assert!(is_red("FF0000") && is_red("E60012"));
        assert!(!is_red("000000") && !is_red("800000") && !is_red("auto"));
    }
}
