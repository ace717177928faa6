/*!
The shape of the 索引号 a site assigns (site.toml `index_pattern`), such as
`{org_code}-/{year}-{mmdd}{seq:03}` for `78169183-5-/2022-0412001`: parsed once, used
to write the next number, to read the running number back out of the numbers already
in use, and to tell whether a 索引号 fits the shape at all (`index-pattern`).
`{category}` is the class number (`class_code`) of the document's category, for
places that number per column.
*/

use chrono::{Datelike, NaiveDate};

use crate::load::source::did_you_mean;

/// A parsed `index_pattern`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    OrgCode,
    /// The `class_code` of the document's category.
    Category,
    Year,
    /// Month and day of the publication date, `0412`.
    Mmdd,
    /// The running number, zero-padded to `width` digits.
    Seq { width: usize },
}

const PLACEHOLDERS: &[&str] = &["org_code", "category", "year", "mmdd", "seq"];

impl IndexPattern {
    /// The form of the reference documents' numbers, `78169183-5-/2022-0412001`.
    pub const DEFAULT: &str = "{org_code}-/{year}-{mmdd}{seq:03}";

    /// Parses a pattern; the error says what is wrong and how to write it.
    pub fn parse(text: &str) -> Result<IndexPattern, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            push_text(&mut parts, &rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("index_pattern \"{text}\" has a `{{` that is never closed: write placeholders as {{year}}"));
            };
            parts.push(placeholder(text, &rest[open + 1..open + close])?);
            rest = &rest[open + close + 1..];
        }
        push_text(&mut parts, rest);
        match parts.iter().filter(|p| matches!(p, Part::Seq { .. })).count() {
            0 => Err(format!("index_pattern \"{text}\" has no {{seq}}: add one, e.g. index_pattern = \"{}\"", Self::DEFAULT)),
            1 => Ok(IndexPattern { text: text.to_string(), parts }),
            _ => Err(format!("index_pattern \"{text}\" has more than one {{seq}}: keep one")),
        }
    }

    /// The pattern as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether it numbers per category (has `{category}`).
    pub fn uses_category(&self) -> bool {
        self.parts.contains(&Part::Category)
    }

    /// The 索引号 with running number `seq` for a document published on `date` in the
    /// category with class number `category` (empty if the pattern has no `{category}`).
    pub fn format(&self, org_code: &str, category: &str, date: NaiveDate, seq: u32) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(t) => t.clone(),
                Part::OrgCode => org_code.to_string(),
                Part::Category => category.to_string(),
                Part::Year => date.year().to_string(),
                Part::Mmdd => date.format("%m%d").to_string(),
                Part::Seq { width } => format!("{seq:0width$}"),
            })
            .collect()
    }

    /// The running number of `index_no` if this pattern gave it, for `org_code` in
    /// `year` (and the category `category`); `None` for numbers of other years, other
    /// bodies, other categories or other forms.
    pub fn seq_of(&self, index_no: &str, org_code: &str, category: &str, year: i32) -> Option<u32> {
        let year = year.to_string();
        let want = Want { org_code, category: Some(category), year: Some(&year), padded: false };
        seq_in(&self.parts, index_no, &want, None)
    }

    /// Whether `index_no` has this pattern's shape for `org_code`: its text and org
    /// code as written, the class number of its category (any text when `category` is
    /// `None`, a category without class_code), a year from 1949 to 2100, a real
    /// month and day, and a running number of at least the padded width (`{seq:03}`
    /// accepts 007 and 1234, not 7). The year need not be the publication's: numbers
    /// are often given when a document is written.
    pub fn fits(&self, index_no: &str, org_code: &str, category: Option<&str>) -> bool {
        let want = Want { org_code, category, year: None, padded: true };
        seq_in(&self.parts, index_no, &want, None).is_some()
    }

    /// Digits the running number is padded to.
    pub fn seq_width(&self) -> usize {
        self.parts.iter().find_map(|p| match p {
            Part::Seq { width } => Some(*width),
            _ => None,
        }).unwrap_or(1)
    }
}

impl Default for IndexPattern {
    fn default() -> Self {
        IndexPattern::parse(Self::DEFAULT).expect("the default pattern is valid")
    }
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if !text.is_empty() {
        parts.push(Part::Text(text.to_string()));
    }
}

fn placeholder(pattern: &str, name: &str) -> Result<Part, String> {
    match name {
        "org_code" => return Ok(Part::OrgCode),
        "category" => return Ok(Part::Category),
        "year" => return Ok(Part::Year),
        "mmdd" => return Ok(Part::Mmdd),
        "seq" => return Ok(Part::Seq { width: 1 }),
        _ => {}
    }
    if let Some(width) = name.strip_prefix("seq:") {
        return match width.parse::<usize>() {
            Ok(w) if (1..=9).contains(&w) => Ok(Part::Seq { width: w }),
            _ => Err(format!("index_pattern \"{pattern}\": {{{name}}} needs a width from 1 to 9, e.g. {{seq:03}} for 001")),
        };
    }
    let hint = did_you_mean(name, PLACEHOLDERS).map(|p| format!(" (did you mean {{{p}}}?)")).unwrap_or_default();
    Err(format!(
        "index_pattern \"{pattern}\" has an unknown placeholder {{{name}}}{hint}: use {{org_code}}, {{category}}, {{year}}, {{mmdd}}, {{seq}} or {{seq:03}}"
    ))
}

/// What a 索引号 is matched against: `None` accepts any value of the placeholder
/// (any text for `{category}`, any year in range for `{year}`).
struct Want<'a> {
    org_code: &'a str,
    category: Option<&'a str>,
    year: Option<&'a str>,
    /// The running number must have at least the pattern's width of digits.
    padded: bool,
}

/// Matches `text` against `parts`, returning the running number read on the way.
/// The number's digits run until what follows matches, so `{mmdd}{seq}` and
/// `{seq}-{year}` both work.
fn seq_in(parts: &[Part], text: &str, want: &Want, seq: Option<u32>) -> Option<u32> {
    let Some((first, rest)) = parts.split_first() else {
        return if text.is_empty() { seq } else { None };
    };
    let fixed = |prefix: &str| text.strip_prefix(prefix).and_then(|after| seq_in(rest, after, want, seq));
    let digits = |n: usize| text.get(..n).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    match first {
        Part::Text(t) => fixed(t),
        Part::OrgCode => fixed(want.org_code),
        Part::Category => match want.category {
            Some(code) => fixed(code),
            // Any non-empty text up to what follows.
            None => text.char_indices().skip(1).map(|(i, _)| i).chain([text.len()]).filter(|&i| i > 0).find_map(|i| {
                seq_in(rest, &text[i..], want, seq)
            }),
        },
        Part::Year => match want.year {
            Some(year) => fixed(year),
            None => {
                let year = digits(4).filter(|y| y.parse().is_ok_and(|y: i32| crate::load::fields::YEARS.contains(&y)))?;
                fixed(year)
            }
        },
        Part::Mmdd => {
            let mmdd = digits(4)?;
            let (m, d) = (mmdd[..2].parse().ok()?, mmdd[2..].parse().ok()?);
            NaiveDate::from_ymd_opt(2024, m, d)?;
            fixed(mmdd)
        }
        Part::Seq { width } => {
            let least = if want.padded { *width } else { 1 };
            let run = text.bytes().take_while(u8::is_ascii_digit).count();
            (least..=run).rev().find_map(|n| {
                let value = text[..n].parse().ok()?;
                seq_in(rest, &text[n..], want, Some(value))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_writes_and_reads_the_reference_form() {
        let p = IndexPattern::default();
        assert_eq!(p.format("78169183-5", "", day(2022, 4, 12), 1), "78169183-5-/2022-0412001");
        assert_eq!(p.format("78169183-5", "", day(2022, 4, 12), 1234), "78169183-5-/2022-04121234");
        assert_eq!(p.seq_of("78169183-5-/2022-1110010", "78169183-5", "", 2022), Some(10));
        assert_eq!(p.seq_of("78169183-5-/2022-04121234", "78169183-5", "", 2022), Some(1234));
        assert_eq!(p.seq_of("78169183-5-/2021-1110010", "78169183-5", "", 2022), None);
        assert_eq!(p.seq_of("11111111-1-/2022-1110010", "78169183-5", "", 2022), None);
        assert_eq!(p.seq_of("78169183-5-/2022-111", "78169183-5", "", 2022), None);
        assert_eq!(p.seq_width(), 3);
    }

    #[test]
    fn a_number_before_other_digits_is_read_back() {
        let p = IndexPattern::parse("XZ{seq:04}-{year}{mmdd}").unwrap();
        assert_eq!(p.format("", "", day(2024, 3, 5), 7), "XZ0007-20240305");
        assert_eq!(p.seq_of("XZ0007-20240305", "", "", 2024), Some(7));
        assert_eq!(p.seq_of("XZ0007-20230305", "", "", 2024), None);
    }

    #[test]
    fn category_numbers_each_column_apart() {
        let p = IndexPattern::parse("{org_code}-{category}-{year}-{seq:04}").unwrap();
        assert!(p.uses_category() && !IndexPattern::default().uses_category());
        assert_eq!(p.format("01530100-8", "A01", day(2024, 3, 5), 12), "01530100-8-A01-2024-0012");
        assert_eq!(p.seq_of("01530100-8-A01-2024-0012", "01530100-8", "A01", 2024), Some(12));
        assert_eq!(p.seq_of("01530100-8-B02-2024-0012", "01530100-8", "A01", 2024), None);
    }

    #[test]
    fn fits_checks_the_shape_not_the_running_number() {
        let p = IndexPattern::default();
        assert!(p.fits("78169183-5-/2019-0305001", "78169183-5", None));
        assert!(p.fits("78169183-5-/2019-03051234", "78169183-5", None));
        // Any year in range: numbers are given when a document is written.
        assert!(p.fits("78169183-5-/2025-0122001", "78169183-5", None));
        assert!(!p.fits("78169183-5-/2019-030501", "78169183-5", None), "not padded to 3 digits");
        assert!(!p.fits("78169183-5-/2019-1399001", "78169183-5", None), "no month 13");
        assert!(!p.fits("78169183-5-/1900-0305001", "78169183-5", None), "year out of range");
        assert!(!p.fits("11111111-1-/2019-0305001", "78169183-5", None), "another body's org code");
        assert!(!p.fits("78169183-5/2019-0305001", "78169183-5", None));
        let per_column = IndexPattern::parse("{org_code}-{category}-{year}-{seq:04}").unwrap();
        assert!(per_column.fits("01530100-8-A01-2024-0012", "01530100-8", Some("A01")));
        assert!(!per_column.fits("01530100-8-B02-2024-0012", "01530100-8", Some("A01")));
        assert!(per_column.fits("01530100-8-B-02-2024-0012", "01530100-8", None), "a category without class_code: any text");
        assert!(!per_column.fits("01530100-8--2024-0012", "01530100-8", None));
    }

    #[test]
    fn bad_patterns_say_how_to_fix_them() {
        let no_seq = IndexPattern::parse("{org_code}-{year}").unwrap_err();
        assert!(no_seq.contains("has no {seq}: add one, e.g. index_pattern = \"{org_code}-/{year}-{mmdd}{seq:03}\""), "{no_seq}");
        let typo = IndexPattern::parse("{org_code}-{yeer}{seq}").unwrap_err();
        assert!(typo.contains("unknown placeholder {yeer} (did you mean {year}?)"), "{typo}");
        assert!(IndexPattern::parse("{seq}{seq}").unwrap_err().contains("more than one {seq}"));
        assert!(IndexPattern::parse("{seq:0}").unwrap_err().contains("width from 1 to 9"));
        assert!(IndexPattern::parse("{seq").unwrap_err().contains("never closed"));
    }
}
