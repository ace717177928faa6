/*!
The tokens of docs/search.md §1, the one definition both the index and the browser
client (`engine.js`) follow: NFKC and lower-casing, CJK runs as overlapping
bigrams (a lone CJK character as a unigram), runs of letters and digits as words.

The index calls this for every field of every document, so the hot path allocates
nothing per token: [`normalize`] fills a reused buffer and [`scan`] hands out
borrowed [`Token`]s.
*/

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

/// Words longer than this are cut (a long URL or hash is not something people type).
pub const MAX_WORD_CHARS: usize = 32;

/// One token of normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A CJK run of one character.
    Unigram(char),
    /// Two neighbouring characters of a CJK run.
    Bigram(char, char),
    /// A run of letters and digits, at most [`MAX_WORD_CHARS`] characters.
    Word(&'a str),
    /// The first or the last character of a CJK run of two or more: no token of
    /// §1, but the index adds it as that character's unigram ([`each_index_token`]).
    Edge(char),
}

impl Token<'_> {
    /// Appends the token's text (what the index stores as its key).
    pub fn push_to(&self, out: &mut String) {
        match *self {
            Token::Unigram(a) | Token::Edge(a) => out.push(a),
            Token::Bigram(a, b) => {
                out.push(a);
                out.push(b);
            }
            Token::Word(w) => out.push_str(w),
        }
    }
}

impl std::fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Token::Unigram(a) | Token::Edge(a) => f.write_char(a),
            Token::Bigram(a, b) => {
                f.write_char(a)?;
                f.write_char(b)
            }
            Token::Word(w) => f.write_str(w),
        }
    }
}

/// The tokens of `text`, as strings: the reference form the shared test vectors
/// (tests/search/tokens.json) are checked against.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

/// Calls `emit` with each token of `text`, in order. `word` is a buffer the caller
/// keeps, so that a document's words cost no allocation.
pub fn each_token(text: &str, word: &mut String, emit: impl FnMut(Token<'_>)) {
    word.clear();
    let mut runs = Runs { edges: false, cjk: None, alone: false, word, word_chars: 0, emit };
    normalized_chars(text, |c| runs.push(c));
    runs.end_cjk();
    runs.end_word();
}

/// The tokens of [`each_token`] and, for each CJK run of two or more characters,
/// its first and last character as [`Token::Edge`]: what the index counts. A query
/// whose CJK run is one character (`3号`, `2024年`) asks for its unigram; where
/// its text occurs in a document, that character sits at the edge of a run
/// (`3号文件`, `2024年度`), since the character beside it in the query is not CJK.
pub fn each_index_token(text: &str, word: &mut String, emit: impl FnMut(Token<'_>)) {
    word.clear();
    let mut runs = Runs { edges: true, cjk: None, alone: false, word, word_chars: 0, emit };
    normalized_chars(text, |c| runs.push(c));
    runs.end_cjk();
    runs.end_word();
}

/// Calls `emit` with each token of text that is already normalized.
pub fn scan(normalized: &str, emit: impl FnMut(Token<'_>)) {
    let mut word = String::new();
    let mut runs = Runs { edges: false, cjk: None, alone: false, word: &mut word, word_chars: 0, emit };
    normalized.chars().for_each(|c| runs.push(c));
    runs.end_cjk();
    runs.end_word();
}

/// Whether `c` belongs to a CJK run (ideographs, kana, Hangul syllables, 々, 〇).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
        | 0x3040..=0x30FF | 0xAC00..=0xD7A3 | 0x3005 | 0x3007)
}

/// Whether `c` belongs to a word run.
pub fn is_word(c: char) -> bool {
    match c as u32 {
        0..0x80 => c.is_ascii_alphanumeric(),
        // The punctuation of Chinese text, which the Unicode tables would answer slowly.
        0x2010..=0x2027 | 0x2030..=0x205E | 0x3000..=0x3004 | 0x3008..=0x3011 | 0x3014..=0x301F => false,
        _ => !is_cjk(c) && c.is_alphanumeric(),
    }
}

/// The runs of §1 as a state machine over normalized characters.
struct Runs<'w, F> {
    /// Also emit the edges of CJK runs.
    edges: bool,
    /// The last character of the CJK run being read.
    cjk: Option<char>,
    /// Whether that run has only one character so far.
    alone: bool,
    /// The word being read, cut at [`MAX_WORD_CHARS`].
    word: &'w mut String,
    word_chars: usize,
    emit: F,
}

impl<F: FnMut(Token<'_>)> Runs<'_, F> {
    fn push(&mut self, c: char) {
        if is_cjk(c) {
            self.end_word();
            match self.cjk {
                Some(prev) => {
                    if self.alone && self.edges {
                        (self.emit)(Token::Edge(prev));
                    }
                    (self.emit)(Token::Bigram(prev, c));
                    self.alone = false;
                }
                None => self.alone = true,
            }
            self.cjk = Some(c);
        } else if is_word(c) {
            self.end_cjk();
            if self.word_chars < MAX_WORD_CHARS {
                self.word.push(c);
            }
            self.word_chars += 1;
        } else {
            self.end_cjk();
            self.end_word();
        }
    }

    fn end_cjk(&mut self) {
        match (self.cjk.take(), self.alone) {
            (Some(c), true) => (self.emit)(Token::Unigram(c)),
            (Some(c), false) if self.edges => (self.emit)(Token::Edge(c)),
            _ => {}
        }
    }

    fn end_word(&mut self) {
        if self.word_chars > 0 {
            (self.emit)(Token::Word(self.word));
            self.word.clear();
            self.word_chars = 0;
        }
    }
}

/// Writes NFKC(`text`), lower-cased, into `out` (cleared first).
pub fn normalize(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    normalized_chars(text, |c| out.push(c));
}

/// Calls `f` with each character of NFKC(`text`), lower-cased.
///
/// Running the NFKC iterator over whole documents costs more than the rest of the
/// tokenizer, and nearly every character of Chinese text is already normalized, so
/// characters that are their own normal form whatever surrounds them (ASCII, CJK
/// ideographs, the common CJK punctuation, and full-width ASCII, which maps one to
/// one) are passed on as they are, and only the stretches between them go through
/// NFKC. Each such character starts a normalization boundary (combining class 0,
/// NFKC_QC=Yes, and nothing composes with a character before it), so normalizing
/// the stretches one by one gives the same text; a stretch that holds a combining
/// mark takes the character before it along, since that one may compose with it.
fn normalized_chars(text: &str, mut f: impl FnMut(char)) {
    // The last simple character, held back until the next one shows whether it
    // may compose with what follows.
    let mut held: Option<(usize, char)> = None;
    // Characters passed on; all simple until the first stretch, each one for one.
    let mut passed = 0;
    let mut first_stretch = true;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        if let Some(s) = simple(c) {
            if let Some((_, h)) = held.replace((at, s)) {
                f(h);
                passed += 1;
            }
            continue;
        }
        if std::mem::take(&mut first_stretch) && may_hold_capital_sigma(text) {
            // Capital sigma lower-cases by its context (final ς), which only
            // whole-string lower-casing gets right; what was passed on so far is
            // the same in both (no Σ, one character each).
            let nfkc: String = text.nfkc().collect();
            return nfkc.to_lowercase().chars().skip(passed).for_each(f);
        }
        let start = held.take().map_or(at, |(from, _)| from);
        let mut end = at + c.len_utf8();
        for (i, n) in chars.by_ref() {
            if let Some(s) = simple(n) {
                held = Some((i, s));
                break;
            }
            end = i + n.len_utf8();
        }
        for n in text[start..end].nfkc() {
            n.to_lowercase().for_each(&mut f);
        }
    }
    if let Some((_, h)) = held {
        f(h);
    }
}

/// Whether the text may hold a character whose NFKC form is Σ (itself, or a
/// mathematical capital sigma): a byte test first, since nearly no text has any.
fn may_hold_capital_sigma(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Σ is CE A3; the mathematical alphanumerics are F0 9D ….
    // `<[u8]>::contains` is a memchr, several bytes a step.
    (bytes.contains(&0xCE) || bytes.contains(&0xF0))
        && text.chars().any(|c| c == 'Σ' || ('\u{1D400}'..='\u{1D7FF}').contains(&c))
}

/// The normalized, lower-cased form of `c` when it is a single character that
/// starts a normalization boundary and maps without looking at its neighbours.
fn simple(c: char) -> Option<char> {
    match c {
        '\0'..='\x7f' => Some(c.to_ascii_lowercase()),
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => Some(c),
        // 、。〈〉《》「」『』【】〔〕〖〗〘〙〚〛 “” ‘’ — ·
        '\u{3001}' | '\u{3002}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301B}' => Some(c),
        '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{00B7}' => Some(c),
        // Full-width ASCII (！ to ～) is ASCII under NFKC; the ideographic space is a space.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).map(|a| a.to_ascii_lowercase()),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vector {
        text: String,
        tokens: Vec<String>,
    }

    /// The vectors the JS client is tested against too.
    #[test]
    fn shared_vectors() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/tokens.json");
        let vectors: Vec<Vector> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert!(vectors.len() >= 30, "at least 30 shared vectors");
        let failures: Vec<String> = vectors
            .iter()
            .filter(|v| tokens(&v.text) != v.tokens)
            .map(|v| format!("{:?}: expected {:?}, got {:?}", v.text, v.tokens, tokens(&v.text)))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_index_adds_the_edges_of_runs() {
        let mut out = Vec::new();
        each_index_token("2024年度报告，号。人人", &mut String::new(), |t| out.push(format!("{t:?}")));
        assert_eq!(
            out,
            [
                "Word(\"2024\")", "Edge('年')", "Bigram('年', '度')", "Bigram('度', '报')", "Bigram('报', '告')", "Edge('告')",
                "Unigram('号')", "Edge('人')", "Bigram('人', '人')", "Edge('人')",
            ]
        );
    }

    #[test]
    fn bigrams_unigrams_and_words() {
        assert_eq!(tokens("排污许可"), ["排污", "污许", "许可"]);
        assert_eq!(tokens("号"), ["号"]);
        assert_eq!(tokens("某环发〔2024〕3号"), ["某环", "环发", "2024", "3", "号"]);
        assert_eq!(tokens("々々"), ["々々"]);
        assert_eq!(tokens("ＡＢ２０２４"), ["ab2024"]);
        assert_eq!(tokens("排污 ΑΣ Σ"), ["排污", "ας", "σ"], "final sigma after simple text");
        assert_eq!(tokens(&"a".repeat(40)), ["a".repeat(32)]);
        assert!(tokens("").is_empty() && tokens("，。 !").is_empty());
    }

    /// The fast path must give exactly NFKC + lower-casing, also where a combining
    /// mark follows a character it copies, or a stretch sits between two of them.
    #[test]
    fn normalize_is_nfkc_then_lower_case() {
        let pieces = [
            "排", "污", "A", "z", "1", ",", "，", "Ａ", "ｚ", "１", "　", "〔", "】", "“", "—", "·", "\u{301}", "\u{3099}", "か", "ｶ",
            "ﾞ", "가", "\u{1100}", "\u{1161}", "㈱", "①", "ﬁ", "Σ", "ΑΣ", "İ", "\u{FA10}", "…", "™", "é", "e", "\u{300}", "々", "\u{2F00}",
        ];
        let mut seed = 12345u64;
        let mut out = String::new();
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            normalize(&text, &mut out);
            let expected = text.nfkc().collect::<String>().to_lowercase();
            assert_eq!(out, expected, "{text:?}");
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        }
    }

    #[test]
    fn punctuation_shortcut_agrees_with_unicode() {
        for c in (0u32..0x10000).filter_map(char::from_u32) {
            assert_eq!(is_word(c), !is_cjk(c) && c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn scanning_normalized_text_gives_the_same_tokens() {
        let text = "某环发〔２０２４〕3号 ΣΑΣ ｶﾀｶﾅ e\u{301}";
        let mut normalized = String::new();
        normalize(text, &mut normalized);
        let mut scanned = Vec::new();
        scan(&normalized, |t| scanned.push(t.to_string()));
        assert_eq!(scanned, tokens(text));
    }

    #[test]
    fn simple_characters_are_their_own_normal_form() {
        for c in (0u32..0x10000).filter_map(char::from_u32) {
            if let Some(s) = simple(c) {
                let expected = c.to_string().nfkc().collect::<String>().to_lowercase();
                assert_eq!(s.to_string(), expected, "U+{:04X}", c as u32);
            }
        }
    }
}
