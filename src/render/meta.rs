/*!
The `<meta>` tags of the national web-page design rules (政府网站网页设计规范) for
every HTML page: SiteName, SiteDomain, SiteIDCode, ColumnName, ColumnType,
ArticleTitle and PubDate (pages that show one dated text), ContentSource, Keywords
and Description. Monitoring crawlers read them to tell which site, column and
article a page is. Which column type each page kind has is decided here, in
[`PageMeta::new`], and listed in docs/column-types.md.
*/

use serde::Serialize;

use super::Page;
use crate::load::version::Series;
use crate::site::{Body, ColumnType, DocKind, Document, Site};

/// The name of the whole section (国办公开办函〔2019〕61号 gives it one name everywhere).
const SECTION: &str = "政府信息公开";
/// Description is the opening of the text, up to this many characters (a 内容概述
/// is 100 characters at most).
const DESCRIPTION_CHARS: usize = 100;

/// The values of one page's meta tags; `None` leaves a tag out.
#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub site_name: &'a str,
    /// The host of `site_url` (`sthjj.example.gov.cn`).
    pub site_domain: Option<&'a str>,
    pub site_id_code: Option<&'a str>,
    pub column_name: String,
    /// One of the rules' 栏目类型; none for the search page, the site map and the 404
    /// page, which are no column.
    pub column_type: Option<&'static str>,
    pub article_title: Option<&'a str>,
    /// "YYYY-MM-DD HH:MM", the rules' form; see [`pub_date`].
    pub pub_date: Option<String>,
    pub content_source: &'a str,
    pub keywords: String,
    /// Taken from the article by [`PageMeta::describe`], only for a page that is made.
    pub description: String,
    /// The article the description is taken from, until it is.
    #[serde(skip)]
    described: Option<(&'a str, &'a str)>,
}

/// A page's column and, for a page showing one dated text, that text.
struct Column<'a> {
    name: String,
    kind: Option<ColumnType>,
    article: Option<Article<'a>>,
}

struct Article<'a> {
    title: &'a str,
    date: chrono::NaiveDate,
    source: &'a str,
    keywords: &'a [String],
    /// Markdown the description is taken from.
    body: &'a str,
}

impl<'a> PageMeta<'a> {
    /// The meta tags of `page`; `None` for the files that are not HTML.
    pub fn new(site: &'a Site, page: &Page) -> Option<PageMeta<'a>> {
        let column = match page {
            Page::Home(_) => Column { name: SECTION.into(), kind: Some(ColumnType::Directory), article: None },
            Page::Document(i) => document_column(site, &site.documents[*i]),
            Page::Listing { category: None, .. } => {
                Column { name: "法定主动公开内容".into(), kind: Some(ColumnType::Mandatory), article: None }
            }
            Page::Listing { body, category: Some(code), .. } => category_column(site.body(*body), code),
            Page::Version { body, series, index, .. } => {
                let b = site.body(*body);
                let versions = if *series == Series::Guide { &b.guide } else { &b.directory };
                let v = &versions.pages[*index];
                let article = Article { title: &v.title, date: v.effective, source: &b.name, keywords: &[], body: &v.body };
                Column { article: Some(article), ..series_column(*series) }
            }
            Page::Changes { series, .. } => series_column(*series),
            Page::YearIndex { body, reports } => match site.years(*body, *reports).into_iter().max() {
                Some((_, i)) => document_column(site, &site.documents[i]),
                None if *reports => Column { name: REPORTS.into(), kind: Some(ColumnType::AnnualReport), article: None },
                None => Column { name: PLANS.into(), kind: Some(ColumnType::Plan), article: None },
            },
            Page::Search => Column { name: "站内搜索".into(), kind: None, article: None },
            Page::Apply(_) => Column { name: site.config.columns.name(crate::config::Column::Apply).to_string(), kind: Some(ColumnType::OnApplication), article: None },
            Page::HtmlSitemap => Column { name: "网站地图".into(), kind: None, article: None },
            Page::Departments => Column { name: DEPARTMENTS.into(), kind: None, article: None },
            Page::ReportOverview(_) => Column { name: REPORTS.into(), kind: Some(ColumnType::AnnualReport), article: None },
            Page::NotFound => Column { name: "页面不存在".into(), kind: None, article: None },
            Page::CatalogueJson | Page::Atom | Page::Feed(_) | Page::Sitemap => return None,
        };
        Some(PageMeta::of(site, column))
    }

    fn of(site: &'a Site, column: Column<'a>) -> PageMeta<'a> {
        let c = &site.config;
        let (keywords, description) = match &column.article {
            Some(a) if !a.keywords.is_empty() => (a.keywords.join(","), String::new()),
            Some(_) => (format!("{SECTION},{}", column.name), String::new()),
            None => (format!("{SECTION},{},{}", column.name, c.identity.sponsor), format!("{}{}", c.identity.sponsor, column.name)),
        };
        PageMeta {
            site_name: &c.title,
            site_domain: c.site_url.as_deref().map(|u| u.split_once("://").map_or(u, |(_, host)| host)),
            site_id_code: c.identity.site_id_code.as_deref(),
            column_type: column.kind.map(ColumnType::label),
            article_title: column.article.as_ref().map(|a| a.title),
            pub_date: column.article.as_ref().map(|a| pub_date(a.date)),
            content_source: column.article.as_ref().map_or(c.identity.sponsor.as_str(), |a| a.source),
            column_name: column.name,
            keywords,
            description,
            described: column.article.as_ref().map(|a| (a.title, a.body)),
        }
    }

    /// Takes the description from the article, when the page shows one.
    pub fn describe(&mut self) {
        if let Some((title, body)) = self.described.take() {
            self.description = description(title, body);
        }
    }

    /// Feeds the tags into `stamp`: those set, and what [`PageMeta::describe`] reads.
    pub fn stamp_into(&self, stamp: &mut crate::stamp::Stamper) {
        stamp.value(self);
        if let Some((title, body)) = self.described {
            stamp.text(title);
            stamp.text(opening(body));
        }
    }
}

const PLANS: &str = "政务公开工作要点";
/// The department index's column.
pub const DEPARTMENTS: &str = "部门和乡镇信息公开";
const REPORTS: &str = "政府信息公开年报";

fn series_column(series: Series) -> Column<'static> {
    match series {
        Series::Guide => Column { name: "政府信息公开指南".into(), kind: Some(ColumnType::Guide), article: None },
        Series::Directory => Column { name: "政府信息公开目录".into(), kind: Some(ColumnType::Directory), article: None },
    }
}

/// A document's column: plans and reports have their own; other documents are in
/// their category's.
fn document_column<'a>(site: &'a Site, d: &'a Document) -> Column<'a> {
    let article = Article { title: &d.title, date: d.date, source: &d.publisher, keywords: &d.keywords, body: &d.body };
    let column = match d.kind {
        DocKind::Plan { .. } => Column { name: PLANS.into(), kind: Some(ColumnType::Plan), article: None },
        DocKind::Report { .. } => Column { name: REPORTS.into(), kind: Some(ColumnType::AnnualReport), article: None },
        DocKind::Doc => category_column(site.body_of(d), &d.category),
    };
    Column { article: Some(article), ..column }
}

/// A category's column: its name, and the column type that the category or the
/// nearest category above it names or whose name shows it; 法定主动公开内容 when none does.
fn category_column<'a>(body: &Body, code: &str) -> Column<'a> {
    let info = body.categories.get(code);
    let path = info.map(|c| c.path.as_slice()).unwrap_or_default();
    let kind = path
        .iter()
        .rev()
        .filter_map(|code| body.categories.get(code))
        .find_map(|c| c.column_type.or_else(|| from_name(&c.name)))
        .unwrap_or(ColumnType::Mandatory);
    Column { name: info.map_or_else(|| code.to_string(), |c| c.name.clone()), kind: Some(kind), article: None }
}

/// The column type a category's name shows, by the words the rules' column types
/// and the usual 公开目录 names use. Earlier words win: a 政策解读 is no 政策文件.
pub fn from_name(name: &str) -> Option<ColumnType> {
    const WORDS: &[(&[&str], ColumnType)] = &[
        (&["解读"], ColumnType::PolicyReading),
        (&["年报", "年度报告"], ColumnType::AnnualReport),
        (&["指南"], ColumnType::Guide),
        (&["制度"], ColumnType::Rules),
        (&["依申请", "申请公开"], ColumnType::OnApplication),
        (&["规划", "计划", "工作要点"], ColumnType::Plan),
        (&["人事", "任免", "招录", "招聘"], ColumnType::Personnel),
        (&["财政", "预算", "决算", "预决算"], ColumnType::Finance),
        (&["统计"], ColumnType::Statistics),
        (&["文件", "规章", "法规", "政策"], ColumnType::PolicyDocument),
    ];
    WORDS.iter().find(|(words, _)| words.iter().any(|w| name.contains(w))).map(|(_, kind)| *kind)
}

/// Documents carry a date but no time: the rules' "YYYY-MM-DD HH:MM" is written
/// with 00:00, the start of the day in China Standard Time, as the Atom feed does.
fn pub_date(date: chrono::NaiveDate) -> String {
    format!("{date} 00:00")
}

/// The part of a Markdown text its description is taken from.
fn opening(body: &str) -> &str {
    let mut end = body.len().min(DESCRIPTION_CHARS * 16);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[..end]
}

/// The opening of the text, whitespace collapsed and invisible control characters
/// dropped, up to [`DESCRIPTION_CHARS`]
/// characters; the title when the text is empty. Only the start of the Markdown is
/// read, so a long document costs no more than a short one.
fn description(title: &str, body: &str) -> String {
    let mut text = crate::search::text::plain_text(opening(body));
    // A character reference such as `&#1;` decodes to a character no page may hold.
    text.retain(|c| !crate::load::chars::is_forbidden(c));
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = text.chars();
    let opening: String = chars.by_ref().take(DESCRIPTION_CHARS).collect();
    match (opening.is_empty(), chars.next().is_some()) {
        (true, _) => title.to_string(),
        (false, true) => format!("{opening}…"),
        (false, false) => opening,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_name_shows_its_column_type() {
        assert_eq!(from_name("政策解读"), Some(ColumnType::PolicyReading));
        assert_eq!(from_name("行政规范性文件"), Some(ColumnType::PolicyDocument));
        assert_eq!(from_name("政府信息公开年度报告"), Some(ColumnType::AnnualReport));
        assert_eq!(from_name("信息公开制度"), Some(ColumnType::Rules));
        assert_eq!(from_name("部门预决算"), Some(ColumnType::Finance));
        assert_eq!(from_name("工作计划"), Some(ColumnType::Plan));
        assert_eq!(from_name("排污许可"), None);
    }

    #[test]
    fn pub_date_has_the_rules_form() {
        assert_eq!(pub_date(chrono::NaiveDate::from_ymd_opt(2022, 4, 12).unwrap()), "2022-04-12 00:00");
    }
}
