/*!
Reading one content file: bytes to text (UTF-8, or legacy GBK with a warning), the
`+++` front matter split from the body, and TOML parsing that reports problems at the
line of the file they are on.
*/

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Diagnostics};

/// A content file's text with its front matter located.
pub struct Source {
    /// Path relative to the site root, as shown in messages.
    pub rel: PathBuf,
    text: String,
    front: Range<usize>,
    /// 1-based line where the front matter's TOML starts (the line after `+++`).
    front_line: usize,
    body_start: usize,
}

impl Source {
    /// Decodes `bytes` and splits the front matter; problems go into `diags`.
    pub fn parse(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<Source> {
        let text = decode(rel, bytes, diags)?;
        split(rel.to_path_buf(), text, diags)
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
    /// "did you mean" among `known`; a TOML or type error becomes an error.
    pub fn front_matter<T: DeserializeOwned>(&self, known: &[&str], diags: &mut Diagnostics) -> Option<T> {
        let front = &self.text[self.front.clone()];
        let de = match toml::de::Deserializer::parse(front) {
            Ok(de) => de,
            Err(e) => {
                diags.push(self.toml_error(&e));
                return None;
            }
        };
        let mut unknown = Vec::new();
        let parsed = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()));
        match parsed {
            Ok(value) => {
                for key in unknown {
                    diags.push(self.unknown_key(&key, known));
                }
                Some(value)
            }
            Err(e) => {
                diags.push(self.toml_error(&e));
                None
            }
        }
    }

    /// A top-level string value read without checking the rest of the front matter.
    pub fn lenient_str(&self, key: &str) -> Option<String> {
        let table: toml::Table = toml::from_str(&self.text[self.front.clone()]).ok()?;
        table.get(key)?.as_str().map(|s| s.trim().to_string())
    }

    fn toml_error(&self, e: &toml::de::Error) -> Diagnostic {
        let line = e.span().map(|s| self.line_of(s.start));
        let msg = e.message().trim().replace('\n', " ");
        Diagnostic::error(&self.rel, line, format!("front matter is not valid TOML: {msg}"))
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
        Diagnostic::warning(&self.rel, line, msg)
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

fn decode(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.replace("\r\n", "\n"));
    }
    // Files exported from older office systems are often GBK. Read them rather than
    // fail, but tell the editor: the file itself is never rewritten by the tool.
    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => {
            diags.warning(
                rel,
                None,
                format!(
                    "file is not UTF-8; it was read as GBK. Save it as UTF-8 \
                     (e.g. `iconv -f GBK -t UTF-8 {name} -o {name}.utf8 && mv {name}.utf8 {name}`)"
                ),
            );
            Some(text.replace("\r\n", "\n"))
        }
        None => {
            diags.error(
                rel,
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
            });
        }
        offset += line.len();
    }
    diags.error(
        &rel,
        Some(1),
        "front matter opened with `+++` is never closed: add a line `+++` after the last key",
    );
    None
}

fn no_front_matter(rel: &Path) -> Diagnostic {
    Diagnostic::error(
        rel,
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
