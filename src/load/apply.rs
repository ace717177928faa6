/*!
Front matter of the 依申请公开 page, `content/apply.md`, rendered at `/ysqgk/`:

```toml
+++
title = "依申请公开"                              # optional, this by default
forms = ["files/ysqgk/政府信息公开申请表.docx"]  # 申请表, under content/files/
address = "某某大道168号5号楼205室"              # 当面申请地点
office_hours = "周一至周五 9:00—12:00"
postal_address = "某某大道168号"                 # 邮寄地址
postal_recipient = "某某局办公室"                # optional, with postal_address
postal_code = "650228"                           # optional, six digits
phone = "0871-66012345"
online_url = "https://www.example.gov.cn/ysqgk"  # an external application system
+++
How to apply, fees, …
```
*/

use serde::Deserialize;
use toml::Spanned;

use super::fields::split_spanned;
use super::source::Source;
use crate::error::{Code, Diagnostics};
use crate::site::{ApplyPage, PostalAddress};

#[derive(Deserialize)]
struct RawApply {
    title: Option<Spanned<String>>,
    forms: Option<Vec<Spanned<String>>>,
    address: Option<String>,
    office_hours: Option<String>,
    postal_address: Option<String>,
    postal_recipient: Option<Spanned<String>>,
    postal_code: Option<Spanned<String>>,
    phone: Option<String>,
    online_url: Option<Spanned<String>>,
}

const KEYS: &[&str] = &[
    "title", "forms", "address", "office_hours", "postal_address", "postal_recipient", "postal_code", "phone", "online_url",
];

/// The page's title when apply.md gives none.
pub const TITLE: &str = "依申请公开";

/// Reads apply.md; `None` only when its front matter cannot be read at all.
pub fn parse(src: &Source, diags: &mut Diagnostics) -> Option<ApplyPage> {
    let raw: RawApply = src.front_matter(KEYS, diags)?;
    let rel = &src.rel;
    let mut refuse = |line: usize, message: String| diags.error(Code::Apply, rel, Some(line), message);
    let title = match raw.title {
        None => TITLE.to_string(),
        Some(t) if t.get_ref().trim().is_empty() => {
            refuse(src.span_line(t.span()), format!("`title` is empty: leave it out for \"{TITLE}\", or write the page's title"));
            String::new()
        }
        Some(t) => t.into_inner().trim().to_string(),
    };
    let postcode = raw.postal_code.and_then(|code| {
        let text = code.get_ref().trim();
        if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
            return Some(text.to_string());
        }
        refuse(src.span_line(code.span()), format!("postal_code \"{text}\" is not a postcode: write its six digits (e.g. postal_code = \"650228\")"));
        None
    });
    let online_url = raw.online_url.and_then(|u| {
        external_url(u.get_ref()).map_err(|msg| refuse(src.span_line(u.span()), msg)).ok()
    });
    let recipient_line = raw.postal_recipient.as_ref().map(|r| src.span_line(r.span()));
    let recipient = clean(raw.postal_recipient.map(Spanned::into_inner));
    let postal = match clean(raw.postal_address) {
        Some(address) => Some(PostalAddress { address, recipient, postcode }),
        None => {
            if let Some(line) = recipient_line.or(postcode.is_some().then(|| src.key_line("postal_code")).flatten()) {
                diags.warning(Code::Apply, rel, Some(line), "postal_recipient and postal_code are shown with the postal address: add postal_address = \"…\" (邮寄地址)");
            }
            None
        }
    };
    let address = clean(raw.address);
    if postal.is_none() && address.is_none() && online_url.is_none() {
        diags.warning(
            Code::Apply,rel,
            Some(src.end_line()),
            "the page gives no way to apply: add address (当面申请地点), postal_address (邮寄地址) or online_url (在线申请系统)",
        );
    }
    let (forms, form_lines) = split_spanned(src, raw.forms);
    // What is wrong was reported and left out; the rest is checked as usual.
    Some(ApplyPage {
        source: rel.clone(),
        title,
        forms,
        form_lines,
        postal,
        address,
        office_hours: clean(raw.office_hours),
        phone: clean(raw.phone),
        online_url,
        body: src.body().to_string(),
        body_line: src.body_line(),
    })
}

fn clean(value: Option<String>) -> Option<String> {
    value.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks the address of an online application system: http or https and a host,
/// so that no `javascript:` or relative address becomes a link that leaves the site.
fn external_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    match rest {
        Some(rest) if plain && !rest.is_empty() && !rest.starts_with(['/', '?', '#']) => Ok(url.to_string()),
        _ => Err(format!(
            "online_url \"{}\" must be the address of the online application system, starting with https:// or http:// (e.g. \"https://www.example.gov.cn/ysqgk\")",
            url.escape_debug()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_url_is_an_http_address_with_a_host() {
        assert_eq!(external_url(" https://www.example.gov.cn/ysqgk ").unwrap(), "https://www.example.gov.cn/ysqgk");
        assert!(external_url("http://10.0.0.1:8080/apply?org=1").is_ok());
        for bad in ["javascript:alert(1)", "/ysqgk/", "www.example.gov.cn", "https://", "https:///x", "https://a b.cn", "ftp://a.cn"] {
            assert!(external_url(bad).is_err(), "{bad:?} is accepted");
        }
    }
}
