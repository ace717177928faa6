/*!
Typed front-matter values shared by documents and versioned pages: required strings
and dates, each turned into its type once, with a message that says how to write it.
*/

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use toml::Spanned;

use super::source::Source;
use crate::error::{Code, Diagnostics};

/// The years a date may have. The documents disclosed are those of the People's
/// Republic (founded 1949); a year past 2100 is a typo. The year is also part of
/// addresses (`plans/<year>/`, the `docs/<year>/` folders `gongkai new` makes), where a
/// year 0 or 99999 would be nonsense.
pub const YEARS: RangeInclusive<i32> = 1949..=2100;

/// Why `d` is refused, if its year is outside [`YEARS`].
pub fn year_problem(d: NaiveDate) -> Option<String> {
    (!YEARS.contains(&d.year())).then(|| {
        format!("its year is outside {}–{} (check the year)", YEARS.start(), YEARS.end())
    })
}

/// A required text value; reports it missing or empty.
pub fn required_str(
    src: &Source,
    key: &str,
    value: Option<Spanned<String>>,
    example: &str,
    diags: &mut Diagnostics,
) -> Option<(String, usize)> {
    match value {
        Some(v) if !v.get_ref().trim().is_empty() => {
            let line = src.span_line(v.span());
            Some((v.into_inner().trim().to_string(), line))
        }
        Some(v) => {
            diags.error(Code::FrontMatter, &src.rel, Some(src.span_line(v.span())), format!("`{key}` is empty (e.g. {key} = {example})"));
            None
        }
        None => {
            src.missing(key, format!("`{key}` is required (e.g. {key} = {example})"), diags);
            None
        }
    }
}

/// A list of text values, trimmed, and the line of each.
pub fn split_spanned(src: &Source, values: Option<Vec<Spanned<String>>>) -> (Vec<String>, Vec<usize>) {
    values
        .unwrap_or_default()
        .into_iter()
        .map(|v| (src.span_line(v.span()), v.into_inner().trim().to_string()))
        .map(|(line, v)| (v, line))
        .unzip()
}

/// A date written as a TOML date (`2022-04-12`).
pub fn date(src: &Source, key: &str, value: Spanned<toml::Value>, diags: &mut Diagnostics) -> Option<NaiveDate> {
    let line = Some(src.span_line(value.span()));
    match value.into_inner() {
        toml::Value::Datetime(dt) => {
            let Some(d) = dt.date else {
                diags.error(Code::FrontMatter, &src.rel, line, format!("{key} {dt} has no day (write it as 2024-03-05)"));
                return None;
            };
            let Some(parsed) = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)) else {
                diags.error(Code::FrontMatter, &src.rel, line, format!("{key} {d} is not a real date (check the month and day)"));
                return None;
            };
            if let Some(problem) = year_problem(parsed) {
                diags.error(Code::FrontMatter, &src.rel, line, format!("{key} {d}: {problem}"));
                return None;
            }
            Some(parsed)
        }
        toml::Value::String(s) => {
            let hint = match guess_date(&s) {
                Some(g) if g.to_string() == s.trim() => format!("write it without quotes: {key} = {g}"),
                Some(g) => format!("write {g}"),
                None => "write it as 2024-03-05, without quotes".into(),
            };
            diags.error(Code::FrontMatter, &src.rel, line, format!("{key} \"{s}\" is not a date ({hint})"));
            None
        }
        other => {
            diags.error(Code::FrontMatter, &src.rel, line, format!("{key} {other} is not a date (write it as 2024-03-05)"));
            None
        }
    }
}

/// Reads the year, month and day out of text such as `2024年3月5日` or `2024/3/5`.
pub(crate) fn guess_date(s: &str) -> Option<NaiveDate> {
    let numbers: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match numbers[..] {
        [y, m, d] => NaiveDate::from_ymd_opt(y as i32, m, d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_chinese_and_slashed_dates() {
        assert_eq!(guess_date("2024年3月5日"), NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(guess_date("2024/03/05"), NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(guess_date("去年"), None);
    }
}
