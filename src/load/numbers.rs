/*!
The form of a 文号 (`doc-no-format`), checked per document while loading. GB/T
9704-2012 §7.2.5 writes it 机关代字〔年份〕序号号: the year in 六角括号 〔〕, the
number without leading zeros (虚位) and without 第, as in 某环发〔2024〕3号.

Only 文号 of that shape are looked at: some bracket around a four-digit year, then the
number and 号. Others are left alone, since not every number is a 发文字号: a 令
(国务院令第732号), a 公告 (2024年第5号) or a number a place writes its own way.
*/

/// Brackets written in place of 〔〕 around the year: ASCII and full-width square,
/// round and curly brackets, 【】, 〖〗, 〈〉, 《》 and the small ﹝﹞ that look alike.
const OPENING: &[char] = &['〔', '[', '(', '{', '（', '［', '｛', '【', '〖', '〈', '《', '﹝', '〘', '⦅', '<', '＜'];
const CLOSING: &[char] = &['〕', ']', ')', '}', '）', '］', '｝', '】', '〗', '〉', '》', '﹞', '〙', '⦆', '>', '＞'];

/// What is wrong with `doc_no` and how to write it, if it has the shape of a 发文字号
/// (a bracketed year, then a number and 号) and breaks the standard's form.
pub fn doc_no_problem(doc_no: &str) -> Option<String> {
    let chars: Vec<char> = doc_no.chars().collect();
    for (at, &open) in chars.iter().enumerate().filter(|(_, c)| OPENING.contains(c)) {
        let Some(found) = shape_at(&chars, at) else { continue };
        let mut faults = Vec::new();
        if open != '〔' || found.close != '〕' {
            faults.push(format!("the year in {open}{} instead of 六角括号 〔〕", found.close));
        }
        if found.di {
            faults.push("第 before the number".to_string());
        }
        let year: String = chars[at + 1..at + 5].iter().map(|&c| ascii_digit(c)).collect();
        let number: String = chars[found.number.clone()].iter().map(|&c| ascii_digit(c)).collect();
        if chars[at + 1..found.number.end].iter().any(|&c| c != ascii_digit(c)) {
            faults.push("full-width digits".to_string());
        }
        let trimmed = number.trim_start_matches('0');
        let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
        if trimmed != number {
            faults.push(format!("leading zeros in {number}"));
        }
        if faults.is_empty() {
            return None;
        }
        let before: String = chars[..at].iter().collect();
        let after: String = chars[found.number.end..].iter().collect();
        return Some(format!(
            "文号 \"{doc_no}\" has {} (GB/T 9704-2012 §7.2.5): write {before}〔{year}〕{trimmed}{after}",
            faults.join(", ")
        ));
    }
    None
}

/// `c` as an ASCII digit when it is a full-width one (`３` → `3`).
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        c => c,
    }
}

fn is_digit(c: &char) -> bool {
    ascii_digit(*c).is_ascii_digit()
}

struct Shape {
    close: char,
    di: bool,
    /// Where the number's digits are.
    number: std::ops::Range<usize>,
}

/// The bracket opening at `at` holds a four-digit year, and a number with 号 follows.
fn shape_at(chars: &[char], at: usize) -> Option<Shape> {
    let year = chars.get(at + 1..at + 5)?;
    if !year.iter().all(is_digit) {
        return None;
    }
    let close = *chars.get(at + 5).filter(|c| CLOSING.contains(c))?;
    let mut i = at + 6;
    let di = chars.get(i) == Some(&'第');
    if di {
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(is_digit) {
        i += 1;
    }
    (i > start && chars.get(i) == Some(&'号')).then_some(Shape { close, di, number: start..i })
}

#[cfg(test)]
mod tests {
    use super::doc_no_problem;

    fn fix(doc_no: &str) -> Option<String> {
        doc_no_problem(doc_no).map(|m| m.rsplit("write ").next().unwrap_or_default().to_string())
    }

    #[test]
    fn the_standard_form_passes() {
        assert_eq!(doc_no_problem("某环发〔2024〕3号"), None);
        assert_eq!(doc_no_problem("黔东南府办发〔2016〕42号"), None);
        assert_eq!(doc_no_problem("某环发〔2024〕10号"), None);
    }

    #[test]
    fn other_brackets_leading_zeros_and_di_are_corrected() {
        for wrong in ["某环发[2024]3号", "某环发(2024)3号", "某环发（2024）3号", "某环发【2024】3号", "某环发［2024］3号", "某环发〈2024〉3号", "某环发﹝2024﹞3号"] {
            assert_eq!(fix(wrong).as_deref(), Some("某环发〔2024〕3号"), "{wrong}");
        }
        assert_eq!(fix("某环发〔2024〕03号").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(fix("某环发〔2024〕第3号").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(fix("某环发[2024]第003号").as_deref(), Some("某环发〔2024〕3号"));
        assert_eq!(fix("某环发〔２０２４〕３号").as_deref(), Some("某环发〔2024〕3号"));
        assert!(doc_no_problem("某环发（２０２４）０３号").unwrap().contains("full-width digits, leading zeros in 03"));
        let message = doc_no_problem("某环发(2024)第03号").unwrap();
        assert!(message.contains("the year in () instead of 六角括号 〔〕, 第 before the number, leading zeros in 03"), "{message}");
    }

    #[test]
    fn numbers_of_other_shapes_are_left_alone() {
        for other in ["国务院令第732号", "2024年第5号", "某环函", "某环发2024年3号", "[2024]", "某环发〔24〕3号", "某环发〔2024〕3"] {
            assert_eq!(doc_no_problem(other), None, "{other}");
        }
    }
}
