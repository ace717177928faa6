/*!
`content/site.toml`: the site's settings, parsed once into [`SiteConfig`].
*/

use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use crate::error::{Code, Diagnostics};
use crate::load::chars;
use crate::load::source::{did_you_mean, error_key, plain_type_error, toml_error_line, toml_message};
use crate::new::IndexPattern;

mod check;
mod columns;
mod deadlines;
mod identity;

pub use check::{Check, UpdateEvery};
pub use columns::{Column, Columns};
pub use deadlines::{MonthDay, ReportDeadlines};
pub use identity::{Identity, NamedFile};

/// The settings of one site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub organization: String,
    /// Prefix of the index numbers this site assigns (索引号).
    pub org_code: String,
    /// Path the site is served under, always starting and ending with `/`.
    pub base_url: String,
    /// Scheme and host (`https://example.gov.cn`), for absolute URLs in feeds and sitemap.
    pub site_url: Option<String>,
    pub language: String,
    /// Name of the theme folder under `themes/` whose files override the default theme
    /// (one folder name, checked to exist unless it is the built-in `default`).
    pub theme: String,
    /// Documents per catalogue page.
    pub page_size: usize,
    /// Keep raw HTML written in Markdown instead of sanitising it.
    pub allow_raw_html: bool,
    /// Category of the yearly work plans in `plans/`, when a plan names none.
    pub plan_category: Option<String>,
    /// Category of the annual reports in `reports/`, when a report names none.
    pub report_category: Option<String>,
    /// The form of the 索引号 `gongkai new` assigns.
    pub index_pattern: IndexPattern,
    /// Write the search index under `search/` (`[search] enabled`, on by default).
    pub search: bool,
    /// The folder of the output below which each department's section lies
    /// (`departments_path`, `bm` by default): `/bm/<code>/`.
    pub departments_path: String,
    /// The marks and contact lines every page's footer shows (`[identity]`).
    pub identity: Identity,
    /// The items of the 政府信息公开 column as the site names them (`[columns]`).
    pub columns: Columns,
    /// What `gongkai check` measures the site against (`[check]`).
    pub check: Check,
    /// When annual reports are due (`[check] report_deadline`, `department_report_deadline`).
    pub report_deadlines: ReportDeadlines,
}

#[derive(Deserialize)]
struct RawConfig {
    title: Option<String>,
    organization: Option<String>,
    org_code: Option<String>,
    base_url: Option<String>,
    site_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    page_size: Option<usize>,
    allow_raw_html: Option<bool>,
    plan_category: Option<String>,
    report_category: Option<String>,
    index_pattern: Option<String>,
    search: Option<RawSearch>,
    departments_path: Option<String>,
    identity: Option<identity::RawIdentity>,
    columns: Option<columns::RawColumns>,
    check: Option<check::RawCheck>,
}

#[derive(Deserialize)]
struct RawSearch {
    enabled: Option<bool>,
}

const KEYS: &[&str] = &[
    "title", "organization", "org_code", "base_url", "site_url", "language", "theme",
    "page_size", "allow_raw_html", "plan_category", "report_category", "index_pattern", "departments_path",
    "search", "search.enabled", "identity", "identity.site_id_code", "identity.icp",
    "identity.police_record", "identity.police_image", "identity.conac_image", "identity.conac_url",
    "identity.sponsor", "identity.undertaker", "identity.address", "identity.postcode", "identity.phone",
    "identity.email", "identity.error_report_url", "check",
];

impl SiteConfig {
    /// Parses site.toml's text; `rel` is its path for messages.
    pub fn parse(rel: &Path, text: &str, diags: &mut Diagnostics) -> Option<SiteConfig> {
        let table = match toml::de::DeTable::parse(text) {
            Ok(table) => table,
            Err(e) => {
                diags.error(Code::Settings, rel, toml_error_line(text, &e), format!("not valid TOML: {}", toml_message(&e)));
                return None;
            }
        };
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        chars::check_table(rel, table.get_ref(), &line_of, diags);
        let mut unknown = Vec::new();
        // The path through an optional table reads `search.?.key`; editors wrote `search.key`.
        let de = toml::de::Deserializer::from(table);
        let raw: RawConfig = match serde_ignored::deserialize(de, |p| unknown.push(p.to_string().replace(".?", ""))) {
            Ok(raw) => raw,
            Err(e) => {
                diags.error(Code::Settings, rel, e.span().map(|s| line_of(s.start)), plain_type_error(error_key(&e).as_deref(), e.message()));
                return None;
            }
        };
        let known: Vec<&str> = KEYS.iter().chain(&columns::KEYS).chain(&check::KEYS).chain(&deadlines::KEYS).copied().collect();
        for key in unknown {
            let hint = did_you_mean(&key, &known).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
            // A key of a table (`search.enabeld`) is written as its last part, or dotted.
            let line = line_of_key(text, &key).or_else(|| line_of_key(text, key.rsplit('.').next().unwrap_or(&key)));
            diags.warning(Code::Settings, rel, line, format!("unknown setting `{key}` is ignored{hint}"));
        }
        let mut missing = |value: Option<String>, key: &str, example: &str| match value {
            Some(v) if v.trim().is_empty() => {
                diags.error(Code::Settings, rel, line_of_key(text, key), format!("`{key}` is empty (e.g. {key} = \"{example}\")"));
                None
            }
            Some(v) => Some(v),
            None => {
                diags.error(Code::Settings, rel, None, format!("`{key}` is required (e.g. {key} = \"{example}\")"));
                None
            }
        };
        let title = missing(raw.title, "title", "某某市生态环境局政府信息公开");
        let organization = missing(raw.organization, "organization", "某某市生态环境局");
        let org_code = missing(raw.org_code, "org_code", "78169183-5");
        let page_size = raw.page_size.unwrap_or(20);
        if page_size == 0 {
            diags.error(Code::Settings, rel, line_of_key(text, "page_size"), "`page_size` must be at least 1");
        }
        if raw.site_url.as_deref().is_none_or(|s| s.trim().is_empty()) {
            diags.warning(
                Code::Settings,rel,
                None,
                "`site_url` is not set, so atom.xml and sitemap.xml hold relative addresses, which feed readers \
                 and search engines reject: set site_url = \"https://www.example.gov.cn\" (your site's scheme and host)",
            );
        }
        // A setting's value when given and valid; a refused one is reported at its line.
        let mut checked = |value: Option<String>, key: &str, check: fn(&str) -> Result<String, String>| {
            check(value.as_deref()?).map_err(|msg| diags.error(Code::Settings, rel, line_of_key(text, key), msg)).ok()
        };
        let base_url = checked(raw.base_url, "base_url", normalize_base_url).unwrap_or_else(|| "/".into());
        let site_url = checked(raw.site_url, "site_url", normalize_site_url).filter(|s| !s.is_empty());
        let theme = checked(raw.theme, "theme", check_theme_name).unwrap_or_else(|| "default".into());
        let departments_path = checked(raw.departments_path, "departments_path", check_departments_path).unwrap_or_else(|| "bm".into());
        let index_pattern = match raw.index_pattern.as_deref().map(IndexPattern::parse) {
            Some(Ok(p)) => p,
            Some(Err(msg)) => {
                diags.error(Code::Settings, rel, line_of_key(text, "index_pattern"), msg);
                IndexPattern::default()
            }
            None => IndexPattern::default(),
        };
        let organization = organization?;
        let identity = Identity::parse(raw.identity.unwrap_or_default(), &organization, rel, &line_of, diags);
        let columns = Columns::parse(raw.columns, rel, &line_of, diags);
        let deadline = |pick: fn(&check::RawCheck) -> &Option<String>| raw.check.as_ref().and_then(|c| pick(c).clone());
        let report_deadlines = ReportDeadlines::parse(
            deadline(|c| &c.report_deadline),
            deadline(|c| &c.department_report_deadline),
            rel,
            &|key| line_of_key(text, key).or_else(|| line_of_key(text, &format!("check.{key}"))),
            diags,
        );
        let check = Check::parse(raw.check, rel, &line_of, diags);
        Some(SiteConfig {
            title: title?,
            organization,
            org_code: org_code?,
            base_url,
            site_url,
            language: raw.language.unwrap_or_else(|| "zh-CN".into()),
            theme,
            page_size: page_size.max(1),
            allow_raw_html: raw.allow_raw_html.unwrap_or(false),
            plan_category: raw.plan_category,
            report_category: raw.report_category,
            index_pattern,
            search: raw.search.and_then(|s| s.enabled).unwrap_or(true),
            departments_path,
            identity,
            columns,
            check,
            report_deadlines,
        })
    }

    /// The site-relative URL of the output path `path` (`docs/2022/通知/`, no leading
    /// slash), each segment percent-encoded. Every output (pages, feed, sitemap,
    /// catalogue.json, search index) makes its URLs here, so all write the same form.
    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.base_url.len() + path.len() * 3);
        url.push_str(&self.base_url);
        for (i, segment) in path.split('/').enumerate() {
            if i > 0 {
                url.push('/');
            }
            url.extend(utf8_percent_encode(segment, SEGMENT));
        }
        url
    }

    /// The absolute URL of `path` when `site_url` is set, the site-relative one otherwise.
    pub fn absolute_url(&self, path: &str) -> String {
        match &self.site_url {
            Some(host) => format!("{host}{}", self.url(path)),
            None => self.url(path),
        }
    }
}

/// What a URL path segment keeps as it is: RFC 3986's unreserved characters. All
/// else, Chinese text included, is percent-encoded as UTF-8; `#`, `?`, `%`, spaces and
/// quotes in file names then stay part of the path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Whether `c` may appear in a base_url or theme name: the unreserved characters,
/// which no browser reads as anything but part of a path. A backslash or a tab would
/// be read as a slash and make `/\evil.example/` an address on another host.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// The first character of `s` that `allowed` refuses, described for a message.
fn first_refused(s: &str, allowed: impl Fn(char) -> bool) -> Option<String> {
    s.chars().find(|c| !allowed(*c)).map(|c| match c {
        ' ' => "a space".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("\"{c}\""),
    })
}

/// Checks a base URL such as `/xxgk/` and gives it both slashes. Only plain path
/// segments are accepted: anything a browser could read as another host is refused.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    // escape_debug writes a tab as \t and a backslash as \\, as a TOML string would.
    let fix = format!("base_url \"{}\" must be a path on the web server, such as \"/\" or \"/xxgk/\"", raw.escape_debug());
    if raw.contains("://") {
        return Err(format!("{fix}; put the scheme and host in site_url instead"));
    }
    if !raw.starts_with('/') {
        return Err(fix);
    }
    let trimmed = raw.trim_matches('/');
    if let Some(c) = first_refused(trimmed, |c| is_plain(c) || c == '/') {
        return Err(format!("{fix}, made of letters, digits, '-', '_', '.' and '~' between slashes; it contains {c}"));
    }
    if !trimmed.is_empty() && trimmed.split('/').any(|s| matches!(s, "" | "." | "..")) {
        return Err(format!("{fix}, without empty, \".\" or \"..\" parts between slashes"));
    }
    Ok(if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") })
}

/// Checks `site_url`: an http or https scheme and a host (with an optional port),
/// written without a trailing slash. Anything else would put a `javascript:` or other
/// address into the feed and sitemap.
fn normalize_site_url(raw: &str) -> Result<String, String> {
    const FIX: &str = "site_url must be the site's scheme and host, such as \"https://www.example.gov.cn\"";
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(String::new());
    }
    let Some((scheme, rest)) = ["https://", "http://"].iter().find_map(|s| Some((*s, raw.strip_prefix(s)?))) else {
        return Err(format!("{FIX} (it must start with https:// or http://)"));
    };
    let host = rest.trim_end_matches('/');
    if host.contains('/') {
        return Err(format!("{FIX}; put the path the site is served under in base_url"));
    }
    let host_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':');
    if let Some(c) = first_refused(host, host_char) {
        return Err(format!("{FIX}; the host contains {c}"));
    }
    if host.is_empty() || host.starts_with(['.', ':', '-']) {
        return Err(format!("{FIX}; the host is missing"));
    }
    Ok(format!("{scheme}{host}"))
}

/// Checks `departments_path`: one folder name of plain characters, which every
/// department's addresses start with.
fn check_departments_path(raw: &str) -> Result<String, String> {
    const FIX: &str = "departments_path must be one folder name, such as \"bm\"";
    let name = raw.trim().trim_matches('/');
    if let Some(c) = first_refused(name, is_plain) {
        return Err(format!("{FIX}, made of letters, digits, '-', '_', '.' and '~'; it contains {c}"));
    }
    if name.is_empty() || name.starts_with('.') {
        return Err(FIX.into());
    }
    Ok(name.to_string())
}

const THEME_FIX: &str = "theme must be the name of a folder in themes/, such as \"default\"";

/// Checks that `theme` names a folder, not a path: it is looked up under `themes/`.
fn check_theme_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if let Some(c) = first_refused(name, is_plain) {
        return Err(format!("{THEME_FIX}, not a path; it contains {c}"));
    }
    if name.is_empty() || name.starts_with('.') {
        return Err(THEME_FIX.into());
    }
    Ok(name.to_string())
}

/// Reports a theme that is not a folder of `root/themes/`, naming those that are. The
/// built-in `default` theme needs no folder.
pub fn check_theme_exists(root: &Path, theme: &str, rel: &Path, text: &str, diags: &mut Diagnostics) {
    let themes = root.join("themes");
    if theme == "default" || themes.join(theme).is_dir() {
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(&themes)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.push("default".into());
    names.sort();
    names.dedup();
    diags.error(
        Code::Settings,rel,
        line_of_key(text, "theme"),
        format!("{THEME_FIX}; there is no themes/{theme}/ (themes there are: {})", names.join(", ")),
    );
}

fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_both_slashes() {
        assert_eq!(normalize_base_url("/xxgk").unwrap(), "/xxgk/");
        assert_eq!(normalize_base_url("/").unwrap(), "/");
        assert!(normalize_base_url("xxgk").is_err());
        assert!(normalize_base_url("https://a.gov.cn/xxgk/").is_err());
    }

    #[test]
    fn base_url_is_refused_unless_plain_segments() {
        // Leading slashes are trimmed, so this stays a path on this host.
        assert_eq!(normalize_base_url("//evil.example/").unwrap(), "/evil.example/");
        for bad in ["/\\evil.example/", "/\t/evil.example/", "/a//b/", "/a/../b/", "/./", "/公开/", "/a%2F/", "/a b/"] {
            assert!(normalize_base_url(bad).is_err(), "{bad:?} is accepted");
        }
    }

    #[test]
    fn site_url_is_http_scheme_and_host() {
        assert_eq!(normalize_site_url("https://a.gov.cn/").unwrap(), "https://a.gov.cn");
        assert_eq!(normalize_site_url("http://127.0.0.1:8000").unwrap(), "http://127.0.0.1:8000");
        for bad in ["javascript:alert(1)", "ftp://a.gov.cn", "https://", "https://a.gov.cn/x", "https://a gov.cn", "//a.gov.cn"] {
            assert!(normalize_site_url(bad).is_err(), "{bad:?} is accepted");
        }
    }

    #[test]
    fn search_is_on_unless_switched_off() {
        let base = "title = \"t\"\norganization = \"o\"\norg_code = \"1\"\n";
        let parse = |text: &str| SiteConfig::parse(Path::new("content/site.toml"), text, &mut Diagnostics::default()).unwrap();
        assert!(parse(base).search);
        assert!(!parse(&format!("{base}[search]\nenabled = false\n")).search);
        assert!(parse(&format!("{base}[search]\n")).search);
    }

    #[test]
    fn missing_required_settings_are_all_reported() {
        let mut d = Diagnostics::default();
        assert!(SiteConfig::parse(Path::new("content/site.toml"), "titel = \"x\"\n", &mut d).is_none());
        let d = d.into_sorted();
        let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("`title` is required")));
        assert!(text.iter().any(|t| t.contains("`org_code` is required")));
        assert!(text.iter().any(|t| t.contains("site.toml:1: warning: unknown setting `titel`")));
    }
}
