/*!
`[identity]` in site.toml: the marks every page of a government site must show
(网站标识码, ICP备案编号, 公安机关备案号, the 党政机关网站标识), who runs the site and
how to reach it. A site that lacks one can still be previewed, so a missing mark is a
warning (an error under `--strict`, for CI before the site goes live); a value that
would make a wrong page (an address that is not a web address) is an error.
*/

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Code, Diagnostics};

/// What `gongkai init` writes for the values an office must fill in; a site still
/// holding it is not ready to go online.
pub const PLACEHOLDER: &str = "请修改";

/// The marks and contact lines of the site. A value is `None` when not written (or
/// written empty).
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// 网站标识码, the 10-character code the site was given.
    pub site_id_code: Option<String>,
    /// ICP备案编号, e.g. 滇ICP备05000001号.
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 滇公网安备53010202000001号.
    pub police_record: Option<String>,
    /// The small 公安备案 emblem shown before the number.
    pub police_image: Option<NamedFile>,
    /// 党政机关网站标识 (the red mark), and the address the office was given for it.
    pub conac_image: Option<NamedFile>,
    pub conac_url: Option<String>,
    /// 主办单位; `organization` when not written.
    pub sponsor: String,
    /// 承办单位
    pub undertaker: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The "我为政府网站找错" entry.
    pub error_report_url: Option<String>,
}

/// A file under `content/files/` that site.toml names (`files/conac.svg`), with the
/// line naming it, so that validation can report a missing file there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedFile {
    /// The key naming it (`conac_image`), for messages.
    pub key: &'static str,
    /// Path relative to `content/`.
    pub path: String,
    pub line: Option<usize>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawIdentity {
    site_id_code: Option<Spanned<String>>,
    icp: Option<Spanned<String>>,
    police_record: Option<Spanned<String>>,
    police_image: Option<Spanned<String>>,
    conac_image: Option<Spanned<String>>,
    conac_url: Option<Spanned<String>>,
    sponsor: Option<Spanned<String>>,
    undertaker: Option<Spanned<String>>,
    address: Option<Spanned<String>>,
    postcode: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    email: Option<Spanned<String>>,
    error_report_url: Option<Spanned<String>>,
}

/// The marks a site must carry before it goes online: key, what it is, an example.
const REQUIRED: &[(&str, &str, &str)] = &[
    ("site_id_code", "网站标识码", "site_id_code = \"5301000001\" (the 10-character code the site was given)"),
    ("icp", "ICP备案编号", "icp = \"滇ICP备05000001号\""),
    ("police_record", "公安机关备案号", "police_record = \"滇公网安备53010202000001号\""),
    ("address", "联系地址", "address = \"某某省某某市某某路1号\""),
    ("phone", "联系电话", "phone = \"0871-12345678\""),
    ("email", "联系邮箱", "email = \"xxgk@example.gov.cn\""),
];

/// Examples for the keys that are not required, for the placeholder warning.
const OPTIONAL: &[(&str, &str)] = &[
    ("sponsor", "sponsor = \"某某市生态环境局\" (主办单位; leave it out to use organization)"),
    ("undertaker", "undertaker = \"某某市生态环境局办公室\" (承办单位)"),
    ("postcode", "postcode = \"650000\""),
];

/// One value as read: trimmed, with its line.
struct Value {
    text: String,
    line: usize,
}

impl Identity {
    /// Reads `[identity]`; `organization` is the default 主办单位 and `line_of` turns
    /// an offset in site.toml into its line. Reports bad and missing values.
    pub(super) fn parse(
        raw: RawIdentity,
        organization: &str,
        rel: &Path,
        line_of: &dyn Fn(usize) -> usize,
        diags: &mut Diagnostics,
    ) -> Identity {
        let value = |v: Option<Spanned<String>>| {
            let v = v?;
            let text = v.get_ref().trim().to_string();
            (!text.is_empty()).then(|| Value { text, line: line_of(v.span().start) })
        };
        let values = [
            ("site_id_code", value(raw.site_id_code)),
            ("icp", value(raw.icp)),
            ("police_record", value(raw.police_record)),
            ("address", value(raw.address)),
            ("phone", value(raw.phone)),
            ("email", value(raw.email)),
            ("sponsor", value(raw.sponsor)),
            ("undertaker", value(raw.undertaker)),
            ("postcode", value(raw.postcode)),
        ];
        for (key, v) in &values {
            check_value(key, v.as_ref(), rel, diags);
        }
        let [site_id_code, icp, police_record, address, phone, email, sponsor, undertaker, postcode] = values.map(|(_, v)| v);
        let mut link = |key: &str, v: Option<Value>| {
            let v = v?;
            check_web_address(&v.text).map_err(|fix| diags.error(Code::Identity, rel, Some(v.line), format!("`{key}` {fix}"))).ok()
        };
        let conac_url = link("conac_url", value(raw.conac_url));
        let error_report_url = link("error_report_url", value(raw.error_report_url));
        let file = |key: &'static str, v: Option<Value>| v.map(|v| NamedFile { key, path: v.text, line: Some(v.line) });
        Identity {
            site_id_code: site_id_code.map(|v| v.text),
            icp: icp.map(|v| v.text),
            police_record: police_record.map(|v| v.text),
            police_image: file("police_image", value(raw.police_image)),
            conac_image: file("conac_image", value(raw.conac_image)),
            conac_url,
            sponsor: sponsor.map(|v| v.text).unwrap_or_else(|| organization.to_string()),
            undertaker: undertaker.map(|v| v.text),
            address: address.map(|v| v.text),
            postcode: postcode.map(|v| v.text),
            phone: phone.map(|v| v.text),
            email: email.map(|v| v.text),
            error_report_url,
        }
    }

    /// The digits of the 公安机关备案号, which its record page is looked up by.
    pub fn police_code(&self) -> Option<String> {
        let digits: String = self.police_record.as_deref()?.chars().filter(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    }
}

/// Warns about a required mark that is missing, a value still holding the
/// placeholder, and a 网站标识码 or 公安机关备案号 of the wrong form.
fn check_value(key: &str, v: Option<&Value>, rel: &Path, diags: &mut Diagnostics) {
    let required = REQUIRED.iter().find(|(k, _, _)| *k == key);
    let example = required.map(|(_, _, e)| *e).or_else(|| OPTIONAL.iter().find(|(k, _)| *k == key).map(|(_, e)| *e)).unwrap_or("");
    let Some(v) = v else {
        if let Some((_, what, example)) = required {
            diags.warning(
                Code::Identity,rel,
                None,
                format!("[identity] has no `{key}` ({what}), which every page of a government site must show: write {example} under [identity]"),
            );
        }
        return;
    };
    if v.text.contains(PLACEHOLDER) {
        diags.warning(Code::Identity, rel, Some(v.line), format!("`{key}` still holds the placeholder {PLACEHOLDER}: write {example}"));
        return;
    }
    let problem = match key {
        "site_id_code" if !(v.text.len() == 10 && v.text.chars().all(|c| c.is_ascii_alphanumeric())) => {
            Some(format!("site_id_code \"{}\" is not a 网站标识码, which is 10 letters and digits", v.text))
        }
        "police_record" if !v.text.chars().any(|c| c.is_ascii_digit()) => {
            Some(format!("police_record \"{}\" has no number, which its record page is found by", v.text))
        }
        "email" if !v.text.contains('@') || v.text.chars().any(char::is_whitespace) => {
            Some(format!("email \"{}\" is not an e-mail address", v.text))
        }
        _ => None,
    };
    if let Some(problem) = problem {
        diags.warning(Code::Identity, rel, Some(v.line), format!("{problem}: write {example}"));
    }
}

/// A link the footer shows (the red mark's, 找错): only a web address, so that no
/// `javascript:` or other scheme gets onto every page.
fn check_web_address(raw: &str) -> Result<String, String> {
    const FIX: &str = "must be a web address starting with https:// or http:// (e.g. \"https://www.example.gov.cn/zhaocuo/\")";
    let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !raw.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Ok(raw.to_string())
        }
        _ => Err(FIX.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_only_http_and_https_with_a_host() {
        assert!(check_web_address("https://bszs.conac.cn/sitename?method=show&id=1").is_ok());
        for bad in ["javascript:alert(1)", "//evil.example/", "https://", "https:///x", "https://a b", "ftp://a.gov.cn"] {
            assert!(check_web_address(bad).is_err(), "{bad:?} is accepted");
        }
    }

    #[test]
    fn police_code_is_the_digits_of_the_number() {
        let identity = Identity { police_record: Some("滇公网安备53010202000001号".into()), ..Identity::default() };
        assert_eq!(identity.police_code().as_deref(), Some("53010202000001"));
        assert_eq!(Identity::default().police_code(), None);
    }
}
