/*!
How deep the elements of an HTML fragment nest, measured in one pass with the HTML
tokenizer of the sanitiser's own parser (html5ever), so that tags are read exactly as
that parser reads them.

The tokenizer alone does not build the tree, so the tree builder's few rules that
change what counts as a tag are repeated here: the text of `script`, `style`,
`textarea`, `title` and the like is not markup (outside SVG and MathML). Void
elements and elements whose end tag is optional (`p`, `li`, `td`…, which the parser
closes by itself) never count. An end tag closes the innermost open element of its
name and every element inside it, as the parser does with misnested tags. Where the
rules differ the measure errs on the deep side: a tag is counted once read, so
content only ever gets flattened when it really nests deep.
*/

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

/// Whether the elements of `html` nest more than `limit` deep.
pub fn deeper_than(html: &str, limit: usize) -> bool {
    deepest(html, limit) > limit
}

/// The deepest nesting of elements in `html`, counted up to `limit + 1`: past that
/// the answer is known, and the open elements stay few, so that each tag costs at
/// most `limit` steps.
fn deepest(html: &str, limit: usize) -> usize {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Depth { limit, open: RefCell::default(), deepest: Cell::default() }, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.deepest.get()
}

struct Depth {
    limit: usize,
    open: RefCell<Vec<String>>,
    deepest: Cell<usize>,
}

/// Elements that never have content.
const VOID: [&str; 14] = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"];

/// Elements the parser closes without an end tag when a sibling starts.
const OPTIONAL_END: [&str; 17] = [
    "p", "li", "dt", "dd", "rt", "rp", "rb", "rtc", "optgroup", "option", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup",
];

impl Depth {
    fn in_foreign_content(&self) -> bool {
        self.open.borrow().iter().any(|n| n == "svg" || n == "math")
    }

    /// How the tokenizer must read the content of an element the tree builder would
    /// read as text.
    fn raw_kind(&self, name: &str) -> Option<TokenSinkResult<()>> {
        let kind = match name {
            "textarea" | "title" => RawKind::Rcdata,
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => RawKind::Rawtext,
            "script" => RawKind::ScriptData,
            "plaintext" => return Some(TokenSinkResult::Plaintext),
            _ => return None,
        };
        Some(TokenSinkResult::RawData(kind))
    }
}

impl TokenSink for Depth {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
        if self.deepest.get() > self.limit {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        match tag.kind {
            TagKind::StartTag => {
                let foreign = self.in_foreign_content();
                // `<div/>` opens a div in HTML; only SVG and MathML elements close themselves.
                if VOID.contains(&name) || OPTIONAL_END.contains(&name) || (tag.self_closing && foreign) {
                    return TokenSinkResult::Continue;
                }
                let mut open = self.open.borrow_mut();
                open.push(name.to_string());
                self.deepest.set(self.deepest.get().max(open.len()));
                drop(open);
                if foreign { None } else { self.raw_kind(name) }.unwrap_or(TokenSinkResult::Continue)
            }
            TagKind::EndTag => {
                let mut open = self.open.borrow_mut();
                if let Some(at) = open.iter().rposition(|n| n == name) {
                    open.truncate(at);
                }
                TokenSinkResult::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(html: &str) -> usize {
        deepest(html, 1000)
    }

    #[test]
    fn counts_nesting_not_siblings() {
        assert_eq!(of("<div><div><span>a</span></div></div><div></div>"), 3);
        assert_eq!(of(&"<p>a".repeat(500)), 0);
        assert_eq!(of(&"<div><br><img src=x></div>".repeat(500)), 1);
    }

    #[test]
    fn unclosed_and_self_closed_html_elements_nest() {
        assert_eq!(of(&"<div/>".repeat(300)), 300);
        assert_eq!(of(&"<svg><g/><g/></svg>".repeat(300)), 1);
    }

    #[test]
    fn counting_stops_past_the_limit() {
        assert_eq!(deepest(&"<div>".repeat(5000), 100), 101);
        assert!(deeper_than(&"<div>".repeat(101), 100) && !deeper_than(&"<div>".repeat(100), 100));
    }

    #[test]
    fn end_tags_inside_text_elements_close_nothing() {
        // The parser reads `</div>` inside a textarea as text, so each div stays open.
        assert_eq!(of(&"<div><textarea></div></textarea>".repeat(200)), 201);
        assert_eq!(of("<div><span><b>x</div>"), 3);
    }
}
