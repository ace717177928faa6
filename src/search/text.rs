/*!
A document body as plain text: what a reader sees of the Markdown (its text and
code), one block per line. The index tokenizes it, and the client shows excerpts
from it and checks phrases against it.
*/

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::render::markdown::OPTIONS;

use super::tokens::is_cjk;

/// The plain text of `markdown`: text and code, blocks separated by `\n`.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut soft_break = false;
    // Inside an image the text is its alt text, which a reader does not see as text
    // of the page but may well search for; raw HTML is markup, not text.
    for event in Parser::new_ext(markdown, OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if std::mem::take(&mut soft_break) {
                    join_lines(&mut out, &t);
                }
                out.push_str(&t);
            }
            Event::SoftBreak => soft_break = true,
            Event::HardBreak | Event::Rule => end_block(&mut out),
            Event::Start(tag) if starts_block(&tag) => end_block(&mut out),
            Event::End(tag) if ends_block(tag) => end_block(&mut out),
            _ => {}
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// A line break inside a paragraph: browsers show a space between words, and
/// Chinese text wrapped in the source reads on without one (so that a phrase
/// split by the wrap is still a phrase).
fn join_lines(out: &mut String, next: &str) {
    let before = out.chars().next_back();
    let after = next.chars().next();
    let cjk = before.is_some_and(is_cjk_or_punct) && after.is_some_and(is_cjk_or_punct);
    if !cjk && before.is_some_and(|c| c != '\n') {
        out.push(' ');
    }
}

/// CJK characters and the full-width punctuation between them.
fn is_cjk_or_punct(c: char) -> bool {
    is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201F)
}

fn end_block(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn starts_block(tag: &Tag) -> bool {
    matches!(tag, Tag::Item | Tag::TableCell | Tag::FootnoteDefinition(_))
}

fn ends_block(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::TableRow
            | TagEnd::TableHead
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines() {
        let md = "# 标题\n\n第一段,`代码`。\n\n- 一项\n- 二项\n\n| 事项 | 数量 |\n|---|---:|\n| 许可 | 3 |\n\n```\nlet x = 1;\n```\n";
        assert_eq!(plain_text(md), "标题\n第一段,代码。\n一项\n二项\n事项\n数量\n许可\n3\nlet x = 1;");
    }

    #[test]
    fn wrapped_chinese_reads_on_and_wrapped_words_keep_a_space() {
        assert_eq!(plain_text("为规范排污\n许可管理。\nSee the\nnotice."), "为规范排污许可管理。 See the notice.");
        assert_eq!(plain_text("排污\n许可"), "排污许可");
        assert_eq!(plain_text("hello\nworld"), "hello world");
        assert_eq!(plain_text("第一行  \n第二行"), "第一行\n第二行");
    }

    #[test]
    fn links_emphasis_and_images_keep_their_text_and_html_is_dropped() {
        let md = "见[《条例》](/docs/a/)和**重点**~~删~~。\n\n<div class=\"x\">标记</div>\n\n![示意图](a.png)\n";
        assert_eq!(plain_text(md), "见《条例》和重点删。\n示意图");
    }
}
