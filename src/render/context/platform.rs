/*!
The pages a platform with departments adds: the department index and the 年报
overview of each year.
*/

use serde::Serialize;

use super::*;
use crate::site::{BodyKind, Site};

/// `/bm/`: every department and town of the platform, grouped by kind.
#[derive(Serialize)]
pub struct DepartmentsPage {
    pub page: PageInfo,
    pub groups: Vec<BodyGroup>,
    /// The 年报 overview of each year, newest first.
    pub overviews: Vec<Link>,
}

impl DepartmentsPage {
    pub fn new(site: &Site) -> DepartmentsPage {
        let path = format!("{}/", site.config.departments_path);
        DepartmentsPage {
            page: simple_page(Section::owner(site), crate::render::meta::DEPARTMENTS, &path),
            groups: body_groups(site),
            overviews: overview_links(site),
        }
    }
}

fn overview_links(site: &Site) -> Vec<Link> {
    crate::site::report_years(site).into_iter().rev().map(|y| Link::new(format!("{y} 年度"), url(site, &format!("ndbg/{y}/")))).collect()
}

/// `/ndbg/<year>/`: every body of the platform with its annual report for the year,
/// or marked as having none.
#[derive(Serialize)]
pub struct ReportOverviewPage {
    pub page: PageInfo,
    pub year: i32,
    pub rows: Vec<OverviewRow>,
    /// How many bodies have published theirs.
    pub published: usize,
    /// How many bodies expected to publish theirs have not.
    pub missing: usize,
    /// The overviews of the other years, newest first.
    pub years: Vec<Link>,
}

#[derive(Serialize)]
pub struct OverviewRow {
    pub name: String,
    pub kind: &'static str,
    pub url: String,
    pub report: Option<Link>,
    /// Whether the body is expected to have a report for the year: from its first
    /// report on ([`crate::site::first_report_year`]), as `check` (`report-missing`) asks.
    /// A row without a report that is not expected shows —, not 未发布.
    pub expected: bool,
    /// The date it was published, and whether that was after its deadline.
    pub date: Option<String>,
    pub deadline: String,
}

impl ReportOverviewPage {
    pub fn new(site: &Site, year: i32) -> ReportOverviewPage {
        let rows: Vec<OverviewRow> = site
            .body_ids()
            .map(|(id, body)| {
                let s = Section::new(site, id);
                let report = s.years(true).into_iter().find(|(y, _)| *y == year).map(|(_, i)| &site.documents[i]);
                OverviewRow {
                    name: body.name.clone(),
                    kind: body.kind.label(),
                    url: s.url(""),
                    report: report.map(|d| Link::new(d.title.clone(), url(site, &d.path))),
                    expected: crate::site::first_report_year(site, id).is_some_and(|first| year >= first),
                    date: report.map(|d| d.date.to_string()),
                    deadline: body.report_deadline(year).to_string(),
                }
            })
            .collect();
        let path = format!("ndbg/{year}/");
        let mut page = simple_page(Section::owner(site), &format!("{year}年度政府信息公开工作年度报告发布情况"), &path);
        page.breadcrumbs.push(Link::new(crate::render::meta::DEPARTMENTS, url(site, &format!("{}/", site.config.departments_path))));
        let published = rows.iter().filter(|r| r.report.is_some()).count();
        let missing = rows.iter().filter(|r| r.report.is_none() && r.expected).count();
        ReportOverviewPage { published, missing, page, year, rows, years: overview_links(site) }
    }
}

/// The bodies of one kind, in their `order`.
#[derive(Serialize)]
pub struct BodyGroup {
    pub kind: &'static str,
    pub bodies: Vec<BodyRow>,
}

/// A department or town as the index lists it.
#[derive(Serialize)]
pub struct BodyRow {
    pub name: String,
    pub url: String,
    /// Its documents, plans and reports.
    pub documents: usize,
    /// The date of its newest document.
    pub latest: Option<String>,
    pub guide_url: Option<String>,
    /// Its directory, or the owner's when it files by that.
    pub directory_url: Option<String>,
    /// Its newest annual report.
    pub report: Option<YearLink>,
}

/// The departments, then the towns, each in their `order` (the bodies' order).
pub fn body_groups(site: &Site) -> Vec<BodyGroup> {
    [BodyKind::Department, BodyKind::Town]
        .into_iter()
        .map(|kind| BodyGroup {
            kind: kind.label(),
            bodies: site.body_ids().filter(|(_, b)| b.kind == kind).map(|(id, _)| BodyRow::new(Section::new(site, id))).collect(),
        })
        .filter(|g| !g.bodies.is_empty())
        .collect()
}

impl BodyRow {
    fn new(s: Section) -> BodyRow {
        let documents = s.body.documents();
        let directory_url = match s.body.directory.pages.is_empty() {
            false => Some(s.url("directory/")),
            true => s.directory().current().map(|_| url(s.site, "directory/")),
        };
        BodyRow {
            name: s.body.name.clone(),
            url: s.url(""),
            documents: documents.len(),
            latest: documents.first().map(|&i| s.site.documents[i].date.to_string()),
            guide_url: s.body.guide.current().map(|_| s.url("guide/")),
            directory_url,
            report: year_links(s.site, s.years(true), None).into_iter().next(),
        }
    }
}
