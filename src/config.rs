/*!
`content/site.toml`: the site's settings, parsed once into [`SiteConfig`].
*/

use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostics;
use crate::load::chars;
use crate::load::source::{did_you_mean, error_key, plain_type_error, toml_error_line, toml_message};
use crate::new::IndexPattern;

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
    /// Name of the theme folder under `themes/` whose files override the default theme.
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
}

#[derive(Deserialize)]
struct RawSearch {
    enabled: Option<bool>,
}

const KEYS: &[&str] = &[
    "title", "organization", "org_code", "base_url", "site_url", "language", "theme",
    "page_size", "allow_raw_html", "plan_category", "report_category", "index_pattern",
    "search", "search.enabled",
];

impl SiteConfig {
    /// Parses site.toml's text; `rel` is its path for messages.
    pub fn parse(rel: &Path, text: &str, diags: &mut Diagnostics) -> Option<SiteConfig> {
        let table = match toml::de::DeTable::parse(text) {
            Ok(table) => table,
            Err(e) => {
                diags.error(rel, toml_error_line(text, &e), format!("not valid TOML: {}", toml_message(&e)));
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
                diags.error(rel, e.span().map(|s| line_of(s.start)), plain_type_error(error_key(&e).as_deref(), e.message()));
                return None;
            }
        };
        for key in unknown {
            let hint = did_you_mean(&key, KEYS).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
            // A key of a table (`search.enabeld`) is written as its last part.
            let line = line_of_key(text, key.rsplit('.').next().unwrap_or(&key));
            diags.warning(rel, line, format!("unknown setting `{key}` is ignored{hint}"));
        }
        let mut missing = |value: Option<String>, key: &str, example: &str| match value {
            Some(v) if v.trim().is_empty() => {
                diags.error(rel, line_of_key(text, key), format!("`{key}` is empty (e.g. {key} = \"{example}\")"));
                None
            }
            Some(v) => Some(v),
            None => {
                diags.error(rel, None, format!("`{key}` is required (e.g. {key} = \"{example}\")"));
                None
            }
        };
        let title = missing(raw.title, "title", "某某市生态环境局政府信息公开");
        let organization = missing(raw.organization, "organization", "某某市生态环境局");
        let org_code = missing(raw.org_code, "org_code", "78169183-5");
        let page_size = raw.page_size.unwrap_or(20);
        if page_size == 0 {
            diags.error(rel, line_of_key(text, "page_size"), "`page_size` must be at least 1");
        }
        let base_url = match raw.base_url {
            Some(b) => match normalize_base_url(&b) {
                Ok(b) => b,
                Err(msg) => {
                    diags.error(rel, line_of_key(text, "base_url"), msg);
                    "/".into()
                }
            },
            None => "/".into(),
        };
        let index_pattern = match raw.index_pattern.as_deref().map(IndexPattern::parse) {
            Some(Ok(p)) => p,
            Some(Err(msg)) => {
                diags.error(rel, line_of_key(text, "index_pattern"), msg);
                IndexPattern::default()
            }
            None => IndexPattern::default(),
        };
        Some(SiteConfig {
            title: title?,
            organization: organization?,
            org_code: org_code?,
            base_url,
            site_url: raw.site_url.map(|s| s.trim_end_matches('/').to_string()).filter(|s| !s.is_empty()),
            language: raw.language.unwrap_or_else(|| "zh-CN".into()),
            theme: raw.theme.unwrap_or_else(|| "default".into()),
            page_size: page_size.max(1),
            allow_raw_html: raw.allow_raw_html.unwrap_or(false),
            plan_category: raw.plan_category,
            report_category: raw.report_category,
            index_pattern,
            search: raw.search.and_then(|s| s.enabled).unwrap_or(true),
        })
    }

    /// The site-relative URL of `path` (which has no leading slash).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The absolute URL of `path` when `site_url` is set, the site-relative one otherwise.
    pub fn absolute_url(&self, path: &str) -> String {
        match &self.site_url {
            Some(host) => format!("{host}{}", self.url(path)),
            None => self.url(path),
        }
    }
}

/// Checks a base URL such as `/xxgk/` and gives it both slashes.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if !raw.starts_with('/') || raw.contains("://") || raw.contains(['?', '#', ' ']) {
        return Err(format!(
            "base_url \"{raw}\" must be a path on the web server, such as \"/\" or \"/xxgk/\""
        ));
    }
    let trimmed = raw.trim_matches('/');
    Ok(if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") })
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
