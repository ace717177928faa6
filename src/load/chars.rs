/*!
Characters no page or feed may hold: the control characters other than tab, line
feed and carriage return (C0, DEL and C1) and the Unicode noncharacters (U+FDD0 to
U+FDEF, and U+FFFE and U+FFFF in every plane). XML 1.0 forbids most of them, so one
in a title makes `atom.xml` unreadable, and HTML counts each as a parse error. They
are invisible in an editor and usually come with text pasted from another program,
so content holding one is refused at its line rather than silently changed.
*/

use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::error::{Code, Diagnostics};

/// Whether `c` may not appear in a page or feed.
pub fn is_forbidden(c: char) -> bool {
    let n = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// The first forbidden character of `text`, named as `U+001B`.
pub fn first_forbidden(text: &str) -> Option<String> {
    text.chars().find(|&c| is_forbidden(c)).map(|c| format!("U+{:04X}", u32::from(c)))
}

/// The message for a forbidden character found in `what`.
pub fn message(what: &str, code: &str) -> String {
    format!(
        "{what} contains the invisible character {code}, which cannot appear in a web page or feed: \
         delete it (such characters come with text pasted from other programs)"
    )
}

/// Reports each line of `text` that holds a forbidden character; `first_line` is the
/// file line of the text's first line.
pub fn check_lines(rel: &Path, text: &str, first_line: usize, diags: &mut Diagnostics) {
    for (i, line) in text.lines().enumerate() {
        if let Some(code) = first_forbidden(line) {
            diags.error(Code::Characters, rel, Some(first_line + i), message("this line", &code));
        }
    }
}

/// Reports every key and string value of a TOML table that holds a forbidden
/// character, at its line; `line_of` turns a byte offset of the TOML text into a line.
pub fn check_table(rel: &Path, table: &DeTable, line_of: &dyn Fn(usize) -> usize, diags: &mut Diagnostics) {
    for (key, value) in table {
        let name = key.get_ref();
        if let Some(code) = first_forbidden(name) {
            diags.error(Code::Characters, rel, Some(line_of(key.span().start)), message("a key", &code));
        }
        check_value(rel, name, value, line_of, diags);
    }
}

fn check_value(rel: &Path, key: &str, value: &toml::Spanned<DeValue>, line_of: &dyn Fn(usize) -> usize, diags: &mut Diagnostics) {
    match value.get_ref() {
        DeValue::String(s) => {
            if let Some(code) = first_forbidden(s) {
                diags.error(Code::Characters, rel, Some(line_of(value.span().start)), message(&format!("`{key}`"), &code));
            }
        }
        DeValue::Array(items) => items.iter().for_each(|item| check_value(rel, key, item, line_of, diags)),
        DeValue::Table(table) => check_table(rel, table, line_of, diags),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_are_forbidden_but_not_whitespace_or_text() {
        for c in ['\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{fdd0}', '\u{fffe}', '\u{ffff}', '\u{1fffe}', '\u{10ffff}'] {
            assert!(is_forbidden(c), "{:04X}", u32::from(c));
        }
        for c in ['\t', '\n', '\r', ' ', 'a', '公', '\u{3000}', '\u{fffd}', '\u{200b}', '\u{1f600}'] {
            assert!(!is_forbidden(c), "{:04X}", u32::from(c));
        }
    }
}
