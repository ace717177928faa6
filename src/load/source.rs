/*!
Reading one content file: bytes to text (UTF-8, or legacy GBK with a warning), the
`+++` front matter split from the body, and TOML parsing that reports problems at the
line of the file they are on.
*/

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use super::chars;
use crate::error::{Code, Diagnostic, Diagnostics};

/// A content file's text with its front matter located.
pub struct Source {
    /// Path relative to the site root, as shown in messages.
    pub rel: PathBuf,
    text: String,
    front: Range<usize>,
    /// 1-based line where the front matter's TOML starts (the line after `+++`).
    front_line: usize,
    body_start: usize,
    /// Top-level keys written with a value of the wrong kind: already reported at their
    /// line, so not reported again as missing.
    unreadable: RefCell<Vec<String>>,
}

impl Source {
    /// Decodes `bytes` and splits the front matter; problems go into `diags`.
    pub fn parse(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<Source> {
        let text = decode(rel, bytes, diags)?;
        let src = split(rel.to_path_buf(), text, diags)?;
        chars::check_lines(rel, src.body(), src.body_line(), diags);
        Some(src)
    }

    /// A file that is all TOML (`department.toml`): the whole text is read as front
    /// matter would be, with its errors at the file's own lines.
    pub fn toml_file(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<Source> {
        let text = decode(rel, bytes, diags)?;
        let end = text.len();
        Some(Source { rel: rel.to_path_buf(), text, front: 0..end, front_line: 1, body_start: end, unreadable: RefCell::new(Vec::new()) })
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Line number in the file of the body's first line.
    pub fn body_line(&self) -> usize {
        1 + self.text[..self.body_start].matches('\n').count()
    }

    /// Line number in the file of a byte offset inside the front matter.
    pub fn line_of(&self, offset_in_front: usize) -> usize {
        let front = &self.text[self.front.clone()];
        let upto = offset_in_front.min(front.len());
        self.front_line + front[..upto].matches('\n').count()
    }

    /// Line of the front matter's closing `+++`, for problems that belong to no key.
    pub fn end_line(&self) -> usize {
        self.line_of(usize::MAX)
    }

    /// Line of a top-level key (`key = …` or `[key]`) in the front matter, if written.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        let front = &self.text[self.front.clone()];
        let mut offset = 0;
        for line in front.split_inclusive('\n') {
            let t = line.trim_start();
            let t = t.strip_prefix("[[").or_else(|| t.strip_prefix('[')).unwrap_or(t);
            let t = t.trim_start_matches('"');
            if let Some(rest) = t.strip_prefix(key) {
                let rest = rest.trim_start_matches('"').trim_start();
                if rest.starts_with('=') || rest.starts_with(']') || rest.starts_with('.') {
                    return Some(self.line_of(offset));
                }
            }
            offset += line.len();
        }
        None
    }

    /// Parses the front matter into `T`. Keys `T` does not know become warnings with a
    /// "did you mean" among `known`; a TOML error becomes an error. A key whose value
    /// has the wrong kind is reported and left out, and the rest read again, so that
    /// every such key is reported at once: `T`'s fields must all be optional.
    pub fn front_matter<T: DeserializeOwned>(&self, known: &[&str], diags: &mut Diagnostics) -> Option<T> {
        let front = &self.text[self.front.clone()];
        let mut table = match DeTable::parse(front) {
            Ok(table) => table,
            Err(e) => {
                let line = toml_error_line(front, &e).map(|l| self.front_line + l - 1);
                diags.error(Code::FrontMatter, &self.rel, line, format!("front matter is not valid TOML: {}", toml_message(&e)));
                return None;
            }
        };
        chars::check_table(&self.rel, table.get_ref(), &|offset| self.line_of(offset), diags);
        loop {
            let mut unknown = Vec::new();
            let de = toml::de::Deserializer::from(table.clone());
            match serde_ignored::deserialize(de, |path| unknown.push(path.to_string())) {
                Ok(value) => {
                    for key in unknown {
                        diags.push(self.unknown_key(&key, known));
                    }
                    return Some(value);
                }
                Err(e) => {
                    let path = error_key(&e);
                    let line = e.span().map(|s| self.line_of(s.start));
                    diags.error(Code::FrontMatter, &self.rel, line, plain_type_error(path.as_deref(), e.message()));
                    let top = path.as_deref().and_then(|p| p.split('.').next())?;
                    table.get_mut().remove(top)?;
                    self.unreadable.borrow_mut().push(top.to_string());
                }
            }
        }
    }

    /// Reports the required `key` as missing, at the end of the front matter; not when
    /// it was written with a value of the wrong kind, which was reported at its line.
    pub fn missing(&self, key: &str, message: impl Into<String>, diags: &mut Diagnostics) {
        if !self.unreadable.borrow().iter().any(|k| k == key) {
            diags.error(Code::FrontMatter, &self.rel, Some(self.end_line()), message);
        }
    }

    /// A top-level string value read without checking the rest of the front matter.
    pub fn lenient_str(&self, key: &str) -> Option<String> {
        let table: toml::Table = toml::from_str(&self.text[self.front.clone()]).ok()?;
        table.get(key)?.as_str().map(|s| s.trim().to_string())
    }

    fn unknown_key(&self, path: &str, known: &[&str]) -> Diagnostic {
        let top = path.split('.').next().unwrap_or(path);
        let line = self.key_line(top);
        let mut msg = format!("unknown key `{path}` is ignored");
        if !path.contains('.') {
            if let Some(best) = did_you_mean(top, known) {
                msg.push_str(&format!(" (did you mean `{best}`?)"));
            }
        }
        Diagnostic::warning(Code::FrontMatter, &self.rel, line, msg)
    }

    /// Line of a spanned value.
    pub fn span_line(&self, span: Range<usize>) -> usize {
        self.line_of(span.start)
    }
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The 1-based line of a TOML syntax error in `text`. The parser gives no position
/// for some errors (keys nested past its limit); those are found at the first line
/// where parsing the text up to it fails the same way.
pub(crate) fn toml_error_line(text: &str, e: &toml::de::Error) -> Option<usize> {
    if let Some(span) = e.span() {
        return Some(1 + text[..span.start.min(text.len())].matches('\n').count());
    }
    let ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).chain([text.len()]).collect();
    let first = ends.partition_point(|&end| !DeTable::parse(&text[..end]).is_err_and(|p| p.message() == e.message()));
    (first < ends.len()).then_some(first + 1)
}

/// A TOML syntax error's message, in words where the parser's are too terse.
pub(crate) fn toml_message(e: &toml::de::Error) -> String {
    match e.message().trim() {
        "recursion limit" => "keys or values are nested too deeply (more than 80 levels); write them flatter".into(),
        m => m.replace('\n', " "),
    }
}

/// The key path a deserialization error is about (`report.appeals.review`), which
/// the TOML crate only gives in its display.
pub(crate) fn error_key(e: &toml::de::Error) -> Option<String> {
    let shown = e.to_string();
    let path = shown.lines().last()?.strip_prefix("in `")?.strip_suffix('`')?;
    Some(path.to_string())
}

/// A wrong-kind error in the editor's words: `keywords = "kw"` gives "`keywords`
/// should be a list in brackets, such as ["a", "b"], not the text "kw"".
pub(crate) fn plain_type_error(key: Option<&str>, message: &str) -> String {
    let subject = key.map(|k| format!("`{k}`")).unwrap_or_else(|| "a value".into());
    let message = message.trim();
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("{subject}: {field} is required");
    }
    let parts = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|m| m.rsplit_once(", expected "));
    let Some((found, expected)) = parts else {
        return format!("{subject}: {message}");
    };
    let number = found.strip_prefix("integer `").and_then(|n| n.split('`').next());
    let expected = match expected {
        "a string" => "text in quotes",
        "a sequence" => "a list in brackets, such as [\"a\", \"b\"]",
        "a boolean" => "true or false",
        "i64" | "u64" | "usize" | "i32" | "u32" => {
            if let Some(n) = number {
                let size = if n.starts_with('-') { "too small" } else { "too large" };
                return format!("{subject}: the number {n} is {size}");
            }
            "a whole number"
        }
        "f64" => "a number",
        other => other,
    };
    let found = match found.split_once(' ') {
        _ if number.is_some() => format!("the number {}", number.unwrap_or_default()),
        Some(("floating", rest)) => format!("the number {}", rest.trim_start_matches("point ").trim_matches('`')),
        Some(("string", text)) => format!("the text {text}"),
        Some(("boolean", value)) => value.trim_matches('`').to_string(),
        _ if found == "sequence" => "a list".into(),
        _ if found == "map" => "a table".into(),
        _ => found.to_string(),
    };
    format!("{subject} should be {expected}, not {found}")
}

/// The text with Windows line ends made Unix ones (copied as it is when it has none,
/// which is cheaper than a replace that finds nothing).
fn crlf_to_lf(text: &str) -> String {
    if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_owned() }
}

fn decode(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(crlf_to_lf(text));
    }
    // Files exported from older office systems are often GBK. Read them rather than
    // fail, but tell the editor: the file itself is never rewritten by the tool.
    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => {
            diags.warning(
                Code::FrontMatter,rel,
                None,
                format!(
                    "file is not UTF-8; it was read as GBK. Save it as UTF-8 \
                     (e.g. `iconv -f GBK -t UTF-8 {name} -o {name}.utf8 && mv {name}.utf8 {name}`)"
                ),
            );
            Some(crlf_to_lf(&text))
        }
        None => {
            diags.error(
                Code::FrontMatter,rel,
                None,
                "file is neither UTF-8 nor GBK text; save it as UTF-8 in your editor",
            );
            None
        }
    }
}

fn split(rel: PathBuf, text: String, diags: &mut Diagnostics) -> Option<Source> {
    let Some(first_end) = text.find('\n') else {
        diags.push(no_front_matter(&rel));
        return None;
    };
    if text[..first_end].trim_end() != "+++" {
        diags.push(no_front_matter(&rel));
        return None;
    }
    let front_start = first_end + 1;
    let mut offset = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some(Source {
                rel,
                front: front_start..offset,
                front_line: 2,
                body_start: offset + line.len(),
                text,
                unreadable: RefCell::default(),
            });
        }
        offset += line.len();
    }
    diags.error(
        Code::FrontMatter,&rel,
        Some(1),
        "front matter opened with `+++` is never closed: add a line `+++` after the last key",
    );
    None
}

fn no_front_matter(rel: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::FrontMatter,rel,
        Some(1),
        "no front matter: the file must start with a line `+++`, then the TOML keys \
         (title, index_no, …), then a line `+++`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> (Option<Source>, Vec<Diagnostic>) {
        let mut d = Diagnostics::default();
        let s = Source::parse(Path::new("content/docs/a.md"), text.as_bytes(), &mut d);
        (s, d.into_sorted())
    }

    #[test]
    fn splits_front_matter_and_counts_lines_from_the_file_start() {
        let (s, d) = src("+++\ntitle = \"a\"\n\nkey = 1\n+++\nbody\n");
        let s = s.unwrap();
        assert!(d.is_empty());
        assert_eq!(s.body(), "body\n");
        assert_eq!(s.key_line("title"), Some(2));
        assert_eq!(s.key_line("key"), Some(4));
        assert_eq!(s.end_line(), 5);
    }

    #[test]
    fn unterminated_and_missing_front_matter_are_errors_at_line_one() {
        let (s, d) = src("+++\ntitle = \"a\"\n");
        assert!(s.is_none());
        assert_eq!(d[0].line, Some(1));
        assert!(d[0].message.contains("never closed"));
        let (s, d) = src("# 标题\n正文\n");
        assert!(s.is_none());
        assert!(d[0].message.contains("no front matter"));
    }

    #[test]
    fn gbk_text_is_decoded_with_a_warning() {
        let (gbk, _, _) = encoding_rs::GBK.encode("+++\ntitle = \"政务公开\"\n+++\n正文\n");
        let mut d = Diagnostics::default();
        let s = Source::parse(Path::new("content/docs/a.md"), &gbk, &mut d).unwrap();
        assert_eq!(s.body(), "正文\n");
        let d = d.into_sorted();
        assert!(d[0].message.contains("not UTF-8") && !d[0].is_error());
    }

    #[test]
    fn suggests_close_key_names() {
        assert_eq!(did_you_mean("publsher", &["title", "publisher"]), Some("publisher"));
        assert_eq!(did_you_mean("zzz", &["title", "publisher"]), None);
    }
}
