/*!
The two metadata lines of an official document read as text: the 文号
(某环发〔2024〕3号) and the 成文日期 (二〇二二年五月十六日, 2022年5月16日).
*/

use chrono::NaiveDate;

/// The brackets a 文号's year is written in: the standard 六角括号 〔〕 and what
/// editors type instead (half- and full-width square and round brackets, 【】).
const OPEN: [char; 6] = ['〔', '[', '(', '（', '［', '【'];
const CLOSE: [char; 6] = ['〕', ']', ')', '）', '］', '】'];

/// A 文号 written in the standard form, 〔〕 around the year: `某环发[2024]3号`
/// gives `某环发〔2024〕3号`. `None` when `s` is not one, whole.
pub fn normalise_doc_no(s: &str) -> Option<String> {
    let s = s.trim();
    let open = s.find(OPEN)?;
    let (prefix, rest) = s.split_at(open);
    let rest = &rest[rest.chars().next()?.len_utf8()..];
    let close = rest.find(CLOSE)?;
    let (year, rest) = rest.split_at(close);
    let number = rest[rest.chars().next()?.len_utf8()..].strip_suffix('号')?;
    let (year, number) = (ascii_digits(year)?, ascii_digits(number)?);
    let prefix_ok = !prefix.is_empty() && prefix.chars().all(|c| c.is_alphanumeric() && !c.is_ascii_digit());
    (prefix_ok && year.len() == 4).then(|| format!("{prefix}〔{year}〕{number}号"))
}

/// The 文号 on a line, which may also hold a 签发人 or 份号 beside it, or be in
/// brackets under a title (（某政办发〔2024〕3号）).
pub fn find_doc_no(line: &str) -> Option<String> {
    line.split(char::is_whitespace)
        .map(|token| token.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']))
        .find_map(normalise_doc_no)
}

/// `s` in ASCII digits when it is digits only, half- or full-width.
fn ascii_digits(s: &str) -> Option<String> {
    let digits: Option<String> = s
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect();
    digits.filter(|d| !d.is_empty())
}

/// The date a whole line gives: `二〇二二年五月十六日` or `2022年5月16日`, spaces
/// anywhere. `None` when the line is anything else.
pub fn parse_date(line: &str) -> Option<NaiveDate> {
    let s: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let (year, rest) = s.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    let year = year_number(year)?;
    NaiveDate::from_ymd_opt(year, small_number(month)?, small_number(day)?)
}

/// A year in digits, each written as 0–9 or 〇一二… (Word users also type ○ or O for 〇).
fn year_number(s: &str) -> Option<i32> {
    if s.chars().count() != 4 {
        return None;
    }
    s.chars().try_fold(0, |n, c| Some(n * 10 + digit(c)? as i32))
}

/// One digit in any of the ways a date writes it.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '○' | 'O' | 'o' | '零' => Some(0),
        _ => "一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u32 + 1),
    }
}

/// A month or day: `5`, `16`, `五`, `十六`, `二十`, `三十一`.
fn small_number(s: &str) -> Option<u32> {
    if let Some(n) = ascii_digits(s) {
        return n.parse().ok();
    }
    match s.split_once('十') {
        // 十 alone is ten; a digit before it counts the tens, one after it the units.
        Some((tens, units)) => {
            let tens = if tens.is_empty() { 1 } else { single(tens)? };
            let units = if units.is_empty() { 0 } else { single(units)? };
            Some(tens * 10 + units)
        }
        None => single(s),
    }
}

fn single(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    let (c, None) = (chars.next()?, chars.next()) else { return None };
    digit(c).filter(|&d| d > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_in_chinese_numerals_and_in_digits() {
        assert_eq!(parse_date("二〇二二年五月十六日"), ymd(2022, 5, 16));
        assert_eq!(parse_date("2022年5月16日"), ymd(2022, 5, 16));
        assert_eq!(parse_date("二〇二二年十二月三十一日"), ymd(2022, 12, 31));
        assert_eq!(parse_date("二〇二四年十月二十日"), ymd(2024, 10, 20));
        assert_eq!(parse_date("二○二三年一月十日"), ymd(2023, 1, 10), "○ typed for 〇");
        assert_eq!(parse_date(" 2024 年 03 月 05 日 "), ymd(2024, 3, 5));
        assert_eq!(parse_date("２０２４年３月５日"), ymd(2024, 3, 5));
    }

    #[test]
    fn other_lines_are_not_dates() {
        assert_eq!(parse_date("二〇二二年二月三十日"), None, "no such day");
        assert_eq!(parse_date("2022年5月16日印发"), None, "the 版记's line is not the 成文日期");
        assert_eq!(parse_date("自2022年5月16日起施行"), None);
        assert_eq!(parse_date("二〇二二年五月"), None);
        assert_eq!(parse_date("二〇二二年十十月一日"), None);
    }

    #[test]
    fn doc_numbers_take_the_standard_brackets() {
        assert_eq!(normalise_doc_no("某环发〔2024〕3号").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(normalise_doc_no("某环发[2024]3号").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(normalise_doc_no("某环发(2024)12号").as_deref(), Some("某环发〔2024〕12号"));
        assert_eq!(normalise_doc_no("某府办函（2023）105号").as_deref(), Some("某府办函〔2023〕105号"));
        assert_eq!(normalise_doc_no("某环发【２０２４】３号").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(normalise_doc_no("某环发〔24〕3号"), None, "a year has four digits");
        assert_eq!(normalise_doc_no("〔2024〕3号"), None, "the issuer's code comes first");
        assert_eq!(normalise_doc_no("关于（2024）年度工作的通知"), None);
    }

    #[test]
    fn a_doc_number_is_found_beside_the_signer() {
        assert_eq!(find_doc_no("某环发[2024]3号　　　　签发人：王某").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(find_doc_no("签发人：王某"), None);
        assert_eq!(find_doc_no("（某政办发[2024]3号）").as_deref(), Some("某政办发〔2024〕3号"));
    }
}
