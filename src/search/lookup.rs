/*!
Exact look-up (docs/search.md §3, `k/`): a query that is a 索引号 or a 文号, whole
or its distinctive part, or a whole 统一登记号, leads straight to the document. Keys and queries go
through the same normalization, so that 〔2024〕 and (2024), full-width and
half-width digits, and stray spaces all meet.
*/

use super::tokens::normalize;

/// NFKC, lower-case, no whitespace, every opening bracket `[` and every closing one `]`.
pub fn normalize_key(text: &str) -> String {
    let mut normalized = String::new();
    normalize(text, &mut normalized);
    normalized
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '(' | '（' | '[' | '［' | '〔' | '【' | '〖' => '[',
            ')' | '）' | ']' | '］' | '〕' | '】' | '〗' => ']',
            c => c,
        })
        .collect()
}

/// Whitespace as both Rust (`White_Space`) and JavaScript (`\s`, which adds U+FEFF)
/// see it.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// The look-up keys of a document, normalized, without repeats: its 索引号 and the
/// part after its last `/`, its 文号 and the part from its first bracket on
/// (`某环发〔2024〕3号` → `[2024]3号`), and its 统一登记号 (`reg_no`) whole.
pub fn keys(index_no: &str, doc_no: Option<&str>, reg_no: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(5);
    let mut add = |key: &str| {
        if !key.is_empty() && !out.iter().any(|k| k == key) {
            out.push(key.to_string());
        }
    };
    let index_no = normalize_key(index_no);
    add(&index_no);
    if let Some((_, tail)) = index_no.rsplit_once('/') {
        add(tail);
    }
    if let Some(doc_no) = doc_no.map(normalize_key) {
        add(&doc_no);
        if let Some(at) = doc_no.find('[') {
            add(&doc_no[at..]);
        }
    }
    if let Some(reg_no) = reg_no.map(normalize_key) {
        add(&reg_no);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_widths_case_and_spaces_meet() {
        assert_eq!(normalize_key("某环发〔2024〕3号"), "某环发[2024]3号");
        assert_eq!(normalize_key("某环发[２０２４]３号"), "某环发[2024]3号");
        assert_eq!(normalize_key("某环发（2024） 3 号"), "某环发[2024]3号");
        assert_eq!(normalize_key("某环发【2024】3号"), "某环发[2024]3号");
        assert_eq!(normalize_key("〖2024〗"), "[2024]");
        assert_eq!(normalize_key(" XXGK-2024\u{3000}"), "xxgk-2024");
    }

    #[test]
    fn a_document_has_its_whole_numbers_and_their_distinctive_parts() {
        assert_eq!(
            keys("78169183-5-/2024-0301001", Some("某环发〔2024〕3号"), None),
            ["78169183-5-/2024-0301001", "2024-0301001", "某环发[2024]3号", "[2024]3号"]
        );
        assert_eq!(keys("A-001", None, None), ["a-001"], "no slash, no 文号");
        assert_eq!(keys("x/", Some("〔2024〕1号"), None), ["x/", "[2024]1号"], "no empty key, no repeat");
        assert_eq!(keys("A-001", None, Some("ZJSP01-2024-0001")), ["a-001", "zjsp01-2024-0001"], "the 统一登记号 whole");
    }
}
