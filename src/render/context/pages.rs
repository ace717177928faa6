/*!
The context of each page of a body's section: documents, listings, versions and their
changes, the home page, 依申请公开, the site map and search.
*/

use serde::Serialize;

use super::*;
use crate::config::Column;
use crate::site::{DocKind, Document, Site, VersionPage, Versions};

/// A document's own page.
#[derive(Serialize)]
pub struct DocumentPage {
    pub page: PageInfo,
    pub doc: DocView,
    pub body: String,
    pub related: Vec<DocRow>,
    /// `interprets` and `superseded_by`, shown on both pages of each link.
    pub policy: PolicyView,
    pub attachments: Vec<Attachment>,
    /// For plans and reports: the other years of the series.
    pub series: Option<SeriesView>,
}

/// A policy document's typed links (issue 18), each way.
#[derive(Serialize)]
pub struct PolicyView {
    /// 政策原文: the policies this 解读 interprets.
    pub interprets: Vec<DocRow>,
    /// 政策解读: the 解读 that interpret this document.
    pub readings: Vec<DocRow>,
    /// The document that replaced this one (被《…》替代).
    pub superseded_by: Option<Quoted>,
    /// The documents this one replaced.
    pub replaces: Vec<Quoted>,
}

/// A document named in running text: its row, and its title in 书名号.
#[derive(Serialize)]
pub struct Quoted {
    #[serde(flatten)]
    pub row: DocRow,
    /// 《title》, with the title's own 《》 turned into 〈〉 as Chinese typesetting nests them.
    pub quoted: String,
}

impl Quoted {
    fn new(site: &Site, d: &Document) -> Quoted {
        let inner: String = d.title.chars().map(|c| match c { '《' => '〈', '》' => '〉', c => c }).collect();
        Quoted { row: DocRow::new(site, d), quoted: format!("《{inner}》") }
    }
}

impl PolicyView {
    fn new(site: &Site, i: usize) -> PolicyView {
        let rows = |list: &[usize]| list.iter().map(|&j| DocRow::new(site, &site.documents[j])).collect();
        PolicyView {
            interprets: rows(&site.interpreted(i)),
            readings: rows(site.readings(i)),
            superseded_by: site.superseded_by(i).map(|j| Quoted::new(site, &site.documents[j])),
            replaces: site.replaces(i).iter().map(|&j| Quoted::new(site, &site.documents[j])).collect(),
        }
    }
}

/// The years of the plans or the reports, newest first.
#[derive(Serialize)]
pub struct SeriesView {
    pub name: &'static str,
    pub url: String,
    pub years: Vec<YearLink>,
    /// The year before and after this one, where they exist.
    pub previous: Option<YearLink>,
    pub next: Option<YearLink>,
    /// The same year's report for a plan, the same year's plan for a report.
    pub counterpart: Option<Link>,
}

#[derive(Serialize)]
pub struct YearLink {
    pub year: i32,
    pub title: String,
    pub url: String,
    pub is_this: bool,
}

impl DocumentPage {
    pub fn new(site: &Site, i: usize, body: String, stable_url: Option<String>) -> DocumentPage {
        let d = &site.documents[i];
        let s = Section::of(site, d);
        let info = s.body.categories.get(&d.category);
        let own_url = url(site, &d.path);
        let series = series_view(s, d);
        let mut breadcrumbs = s.crumbs();
        match &series {
            Some(series) => breadcrumbs.push(Link::new(series.name, series.url.clone())),
            None => {
                breadcrumbs.push(Link::new("信息公开", s.url("catalogue/")));
                for code in info.map(|c| c.path.as_slice()).unwrap_or_default() {
                    breadcrumbs.push(Link::new(category_name(s.body, code), s.url(&format!("catalogue/{code}/"))));
                }
            }
        }
        let section = match d.kind {
            DocKind::Doc => s.url("catalogue/"),
            DocKind::Plan { .. } => s.url("plans/"),
            DocKind::Report { .. } => s.url("reports/"),
        };
        DocumentPage {
            page: PageInfo {
                title: d.title.clone(),
                url: stable_url.clone().unwrap_or_else(|| own_url.clone()),
                canonical: stable_url.map(|_| own_url),
                section,
                breadcrumbs,
            },
            doc: DocView {
                row: DocRow::new(site, d),
                category: d.category.clone(),
                category_url: filed_under(s, d).1,
                written: d.written.map(|w| w.to_string()),
                keywords: d.keywords.clone(),
                effective_from: d.policy.effective_from.map(|w| w.to_string()),
                repealed_on: d.policy.repealed_on.map(|w| w.to_string()),
                reg_no: d.reg_no.clone(),
            },
            body,
            related: site.related(i).into_iter().map(|r| DocRow::new(site, r)).collect(),
            policy: PolicyView::new(site, i),
            attachments: d.attachments.iter().map(|a| attachment(s, a)).collect(),
            series,
        }
    }
}

/// An attachment named as `files/…` in a body's file: it lies in that body's section.
fn attachment(s: Section, path: &str) -> Attachment {
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let kind = name.rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default();
    Attachment { name, url: s.url(path), kind }
}

fn series_view(s: Section, d: &Document) -> Option<SeriesView> {
    let site = s.site;
    let (name, folder, reports, year) = match d.kind {
        DocKind::Doc => return None,
        DocKind::Plan { year } => ("政务公开工作要点", "plans/", false, year),
        DocKind::Report { year } => ("政府信息公开工作年度报告", "reports/", true, year),
    };
    let years = year_links(site, s.years(reports), Some(d));
    let pos = years.iter().position(|y| y.is_this);
    let neighbour = |p: Option<usize>| p.and_then(|p| years.get(p)).map(|y| YearLink { year: y.year, title: y.title.clone(), url: y.url.clone(), is_this: false });
    let (counterpart_name, other) = if reports { ("工作要点", s.years(false)) } else { ("年度报告", s.years(true)) };
    let counterpart = other.into_iter().find(|(y, _)| *y == year).map(|(_, i)| {
        Link::new(format!("{year}年{counterpart_name}:{}", site.documents[i].title), url(site, &site.documents[i].path))
    });
    Some(SeriesView {
        name,
        url: s.url(folder),
        // Newest first: the next year is one place up, the previous one place down.
        previous: neighbour(pos.map(|p| p + 1)),
        next: neighbour(pos.and_then(|p| p.checked_sub(1))),
        counterpart,
        years,
    })
}

/// Links to the years of a series, newest first.
pub fn year_links(site: &Site, mut years: Vec<(i32, usize)>, this: Option<&Document>) -> Vec<YearLink> {
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    years
        .into_iter()
        .map(|(year, i)| {
            let y = &site.documents[i];
            YearLink { year, title: y.title.clone(), url: url(site, &y.path), is_this: this.is_some_and(|t| t.index_no == y.index_no) }
        })
        .collect()
}

/// One page of a catalogue listing.
#[derive(Serialize)]
pub struct ListingPage {
    pub page: PageInfo,
    /// The section's whole catalogue.
    pub catalogue_url: String,
    pub category: Option<CategoryView>,
    pub total: usize,
    pub rows: Vec<DocRow>,
    pub pagination: Pagination,
    /// The whole current directory with counts, for browsing.
    pub tree: Vec<TreeRow>,
}
/// A version of the guide or the directory, and its neighbours.
#[derive(Serialize)]
pub struct VersionView {
    pub title: String,
    pub version: String,
    pub effective: String,
    pub summary: Option<String>,
    pub url: String,
    /// The page of what changed against the previous version, for all but the first.
    pub changes_url: Option<String>,
    /// The effective date as 2019年5月15日.
    pub effective_cn: String,
    pub is_current: bool,
    pub is_this: bool,
}

#[derive(Serialize)]
pub struct VersionPageContext {
    pub page: PageInfo,
    pub this: VersionView,
    pub current: VersionView,
    /// The series' stable URL, where the current version always is.
    pub stable_url: String,
    pub previous: Option<VersionView>,
    pub next: Option<VersionView>,
    /// Every version, newest first.
    pub versions: Vec<VersionView>,
    pub body: String,
    /// For a directory: its categories with document counts.
    pub tree: Vec<TreeRow>,
}

impl VersionPageContext {
    /// The page of version `i` of `versions` (in `folder`, "guide" or "directory");
    /// `stable` when rendered at the series' stable URL.
    pub fn new(s: Section, versions: &Versions, folder: &str, i: usize, stable: bool, body: String) -> Self {
        let view = |j: usize| version_view(s, versions, folder, j, i);
        let v = &versions.pages[i];
        let own = s.url(&format!("{folder}/{}/", v.version));
        let stable_url = s.url(&format!("{folder}/"));
        let name = if folder == "guide" { "政府信息公开指南" } else { "政府信息公开目录" };
        VersionPageContext {
            page: PageInfo {
                title: v.title.clone(),
                url: if stable { stable_url.clone() } else { own.clone() },
                canonical: stable.then_some(own),
                section: stable_url.clone(),
                breadcrumbs: [s.crumbs(), vec![Link::new(name, stable_url)]].concat(),
            },
            this: view(i),
            current: view(versions.current),
            stable_url: s.url(&format!("{folder}/")),
            previous: i.checked_sub(1).map(view),
            next: (i + 1 < versions.pages.len()).then(|| view(i + 1)),
            versions: (0..versions.pages.len()).rev().map(view).collect(),
            body,
            tree: tree_rows(s, &v.categories, None),
        }
    }
}

pub fn version_view(s: Section, versions: &Versions, folder: &str, j: usize, this: usize) -> VersionView {
    let v: &VersionPage = &versions.pages[j];
    VersionView {
        title: v.title.clone(),
        version: v.version.clone(),
        effective: v.effective.to_string(),
        summary: v.summary.clone(),
        url: s.url(&format!("{folder}/{}/", v.version)),
        changes_url: (j > 0).then(|| s.url(&format!("{folder}/{}/changes/", v.version))),
        effective_cn: chinese_date(v.effective),
        is_current: j == versions.current,
        is_this: j == this,
    }
}

/// What changed in a version against the one before it.
#[derive(Serialize)]
pub struct ChangesPage {
    pub page: PageInfo,
    pub old: VersionView,
    pub new: VersionView,
    /// For a guide: the text changes by section.
    pub text: Option<crate::render::changes::TextChanges>,
    /// For a directory: one row per changed category and column.
    pub directory: Vec<crate::render::changes::CategoryChange>,
}

/// The home page.
#[derive(Serialize)]
pub struct HomePage {
    pub page: PageInfo,
    /// The section's whole catalogue.
    pub catalogue_url: String,
    /// 公开导航: the column's items the site shows, in the navigation's order.
    pub entries: Vec<ColumnEntry>,
    pub latest: Vec<DocRow>,
    pub total: usize,
    pub tree: Vec<TreeRow>,
    pub guide: Option<VersionView>,
    pub directory: Option<VersionView>,
    pub plans: Vec<YearLink>,
    pub reports: Vec<YearLink>,
    /// On a platform's home page: its departments and towns, by kind.
    pub departments: Vec<BodyGroup>,
}


/// `/ysqgk/`, the 依申请公开 page.
#[derive(Serialize)]
pub struct ApplyPageContext {
    pub page: PageInfo,
    /// What `content/apply.md` gives; `None` without it.
    pub apply: Option<ApplyView>,
    /// The text of apply.md, or without it the guide's 依申请公开 section (empty when
    /// the guide has none).
    pub body: String,
    /// The current guide, where the rest of the rules on applying are.
    pub guide: Option<Link>,
}

#[derive(Serialize)]
pub struct ApplyView {
    /// 申请表
    pub forms: Vec<Attachment>,
    pub address: Option<String>,
    pub office_hours: Option<String>,
    pub postal_address: Option<String>,
    pub postal_recipient: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
    /// The external online application system; its link says that it leaves the site.
    pub online_url: Option<String>,
}

impl ApplyPageContext {
    pub fn new(s: Section, body: String) -> ApplyPageContext {
        let title = match &s.body.apply {
            Some(a) => a.title.clone(),
            None => s.site.config.columns.name(Column::Apply).to_string(),
        };
        let apply = s.body.apply.as_ref().map(|a| {
            let postal = a.postal.as_ref();
            ApplyView {
                forms: a.forms.iter().map(|f| attachment(s, f)).collect(),
                address: a.address.clone(),
                office_hours: a.office_hours.clone(),
                postal_address: postal.map(|p| p.address.clone()),
                postal_recipient: postal.and_then(|p| p.recipient.clone()),
                postal_code: postal.and_then(|p| p.postcode.clone()),
                phone: a.phone.clone(),
                online_url: a.online_url.clone(),
            }
        });
        ApplyPageContext {
            page: simple_page(s, &title, "ysqgk/"),
            apply,
            body,
            guide: s.body.guide.current().map(|g| Link::new(g.title.clone(), s.url("guide/"))),
        }
    }
}

/// `/sitemap/`, the 网站地图: every column with what it holds.
#[derive(Serialize)]
pub struct SiteMapPage {
    pub page: PageInfo,
    /// 首页, the column's items (also those left out of the navigation), and search.
    pub columns: Vec<MapColumn>,
    /// The current directory with document counts, under 法定主动公开内容.
    pub tree: Vec<TreeRow>,
}

#[derive(Serialize)]
pub struct MapColumn {
    #[serde(flatten)]
    pub entry: ColumnEntry,
    /// The versions of the guide and the directory, the years of plans and reports.
    pub items: Vec<MapItem>,
}

#[derive(Serialize)]
pub struct MapItem {
    pub title: String,
    pub url: String,
    pub note: Option<String>,
    /// A version's page of changes against the one before.
    pub changes_url: Option<String>,
}

impl SiteMapPage {
    pub fn new(site: &Site) -> SiteMapPage {
        let s = Section::owner(site);
        let page = |key, title: &str, path: &str| MapColumn {
            entry: ColumnEntry { key, title: title.into(), url: url(site, path), note: None },
            items: Vec::new(),
        };
        let mut columns = vec![page("home", "首页", "")];
        columns.extend(column_entries(s).into_iter().map(|(column, entry)| {
            let items = match column {
                Column::Guide => version_items(s, &s.body.guide, "guide"),
                Column::Directory => version_items(s, &s.body.directory, "directory"),
                Column::Reports => year_items(s, true),
                Column::Plans => year_items(s, false),
                Column::Rules | Column::Catalogue | Column::Apply => Vec::new(),
            };
            MapColumn { entry, items }
        }));
        if site.config.search {
            columns.push(page("search", "站内搜索", "search/"));
        }
        SiteMapPage {
            page: simple_page(s, "网站地图", "sitemap/"),
            columns,
            tree: s.tree(None),
        }
    }
}

/// Every version of a series, newest first.
fn version_items(s: Section, versions: &Versions, folder: &str) -> Vec<MapItem> {
    (0..versions.pages.len())
        .rev()
        .map(|j| {
            let v = version_view(s, versions, folder, j, usize::MAX);
            MapItem {
                title: format!("{} 版", v.version),
                url: v.url,
                note: Some(format!("{} 起施行{}", v.effective, if v.is_current { "(现行)" } else { "" })),
                changes_url: v.changes_url,
            }
        })
        .collect()
}

/// The plans or (`reports`) the annual reports, newest first.
fn year_items(s: Section, reports: bool) -> Vec<MapItem> {
    year_links(s.site, s.years(reports), None)
        .into_iter()
        .map(|y| MapItem { title: y.title, url: y.url, note: None, changes_url: None })
        .collect()
}
/// The search page.
#[derive(Serialize)]
pub struct SearchPage {
    pub page: PageInfo,
    pub tree: Vec<TreeRow>,
}
