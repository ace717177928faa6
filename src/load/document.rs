/*!
Front matter of a disclosed document (`docs/`, `plans/`, `reports/`): parsed into
[`RawDocument`] exactly as written, then checked field by field into a typed
[`Document`]. Checks that need other files (unique 索引号, categories, related
documents, attachments) are in [`crate::validate`].
*/

use serde::Deserialize;
use toml::Spanned;

use super::fields::{date, required_str, split_spanned};
use super::source::Source;
use crate::config::SiteConfig;
use crate::error::{Code, Diagnostics};
use crate::site::{DocKind, Document, FieldLines, Validity};

#[derive(Deserialize)]
struct RawDocument {
    title: Option<Spanned<String>>,
    index_no: Option<Spanned<String>>,
    publisher: Option<Spanned<String>>,
    category: Option<Spanned<String>>,
    date: Option<Spanned<toml::Value>>,
    doc_no: Option<Spanned<String>>,
    keywords: Option<Vec<String>>,
    written: Option<Spanned<toml::Value>>,
    validity: Option<Spanned<String>>,
    related: Option<Vec<Spanned<String>>>,
    attachments: Option<Vec<Spanned<String>>>,
    year: Option<Spanned<i64>>,
    report: Option<Spanned<super::report::RawReport>>,
    // Policy documents (super::policy).
    interprets: Option<Vec<Spanned<String>>>,
    effective_from: Option<Spanned<toml::Value>>,
    repealed_on: Option<Spanned<toml::Value>>,
    superseded_by: Option<Spanned<String>>,
    reg_no: Option<Spanned<String>>,
}

const KEYS: &[&str] = &[
    "title", "index_no", "publisher", "category", "date", "doc_no", "keywords", "written",
    "validity", "related", "attachments", "year", "report", "reg_no",
    "interprets", "effective_from", "repealed_on", "superseded_by",
];

/// Parses a document's front matter. `kind` comes from the folder; for plans and reports
/// it carries the year of the file name, which the `year` key must repeat. A
/// department's documents may leave out `publisher`, which is then `default_publisher`.
pub fn parse(
    src: &Source,
    kind: DocKind,
    path: String,
    config: &SiteConfig,
    default_publisher: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let raw: RawDocument = src.front_matter(KEYS, diags)?;
    let rel = &src.rel;
    let title = required_str(src, "title", raw.title, "\"关于……的通知\"", diags);
    let index_no = required_str(src, "index_no", raw.index_no, "\"78169183-5-/2022-0412001\"", diags);
    let publisher = match (raw.publisher, default_publisher) {
        (None, Some(name)) => Some((name.to_string(), 0)),
        (written, _) => required_str(src, "publisher", written, "\"某某市生态环境局\"", diags),
    };
    let category = category(src, kind, raw.category, config, diags);
    let date_line = raw.date.as_ref().map_or(0, |v| src.span_line(v.span()));
    let doc_date = match raw.date {
        Some(v) => date(src, "date", v, diags),
        None => {
            src.missing("date", "`date` is required (e.g. date = 2022-04-12)", diags);
            None
        }
    };
    let written = raw.written.and_then(|v| date(src, "written", v, diags));
    let validity_line = raw.validity.as_ref().map(|v| src.span_line(v.span()));
    let validity = match raw.validity {
        None => Validity::Effective,
        Some(v) => Validity::parse(v.get_ref()).unwrap_or_else(|| {
            diags.error(
                Code::FrontMatter,rel,
                Some(src.span_line(v.span())),
                format!("validity \"{}\" is not one of \"effective\", \"amended\" (已修改), \"repealed\" (废止), \"expired\" (失效)", v.get_ref()),
            );
            Validity::Effective
        }),
    };
    check_year(src, kind, raw.year, diags);
    let report = raw.report.and_then(|r| {
        if matches!(kind, DocKind::Report { .. }) {
            Some(Box::new(super::report::parse(src, r.into_inner(), diags)))
        } else {
            diags.warning(Code::FrontMatter, &src.rel, Some(src.span_line(r.span())), "`report` statistics are only used in reports/; they are ignored here");
            None
        }
    });
    let doc_no = raw.doc_no.and_then(|v| {
        let line = src.span_line(v.span());
        let text = v.into_inner().trim().to_string();
        if let Some(problem) = super::numbers::doc_no_problem(&text) {
            diags.warning(Code::DocNoFormat, rel, Some(line), problem);
        }
        (!text.is_empty()).then_some(text)
    });
    let reg_no = raw.reg_no.and_then(|v| {
        let text = v.get_ref().trim().to_string();
        if text.is_empty() {
            let msg = "`reg_no` is empty: write the 统一登记号 the document was registered under, or remove the line";
            diags.error(Code::FrontMatter, rel, Some(src.span_line(v.span())), msg);
        }
        (!text.is_empty()).then_some(text)
    });
    let (related, related_lines) = split_spanned(src, raw.related);
    let (attachments, attachment_lines) = split_spanned(src, raw.attachments);
    let raw_policy = super::policy::RawPolicy {
        interprets: raw.interprets,
        effective_from: raw.effective_from,
        repealed_on: raw.repealed_on,
        superseded_by: raw.superseded_by,
    };
    let facts = super::policy::Facts {
        index_no: index_no.as_ref().map(|(n, _)| n.as_str()),
        date: doc_date,
        written,
        validity,
        validity_line,
    };
    let (policy, policy_lines) = super::policy::parse(src, raw_policy, facts, diags);
    let (title, _) = title?;
    let (index_no, index_line) = index_no?;
    let (category, category_line) = category?;
    Some(Document {
        source: rel.clone(),
        body_id: crate::site::BodyId::OWNER,
        kind,
        path,
        title,
        index_no,
        publisher: publisher?.0,
        category,
        date: doc_date?,
        written,
        doc_no,
        keywords: raw.keywords.unwrap_or_default().into_iter().filter(|k| !k.trim().is_empty()).collect(),
        validity,
        related,
        attachments,
        body: src.body().to_string(),
        report,
        policy,
        lines: FieldLines {
            index_no: index_line,
            category: category_line,
            date: date_line,
            related: related_lines,
            attachments: attachment_lines,
            body: src.body_line(),
            policy: policy_lines,
        },
        reg_no,
    })
}

/// The category, falling back for plans and reports to the series' category in site.toml.
fn category(
    src: &Source,
    kind: DocKind,
    value: Option<Spanned<String>>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<(String, usize)> {
    let (fallback, setting) = match kind {
        DocKind::Doc => (None, ""),
        DocKind::Plan { .. } => (config.plan_category.clone(), "plan_category"),
        DocKind::Report { .. } => (config.report_category.clone(), "report_category"),
    };
    match (value, fallback) {
        (None, Some(code)) => Some((code, src.end_line())),
        // A plan or report may be filed in no category: it is listed in its series.
        (None, None) if !setting.is_empty() => Some((String::new(), src.end_line())),
        (value, _) => required_str(src, "category", value, "\"gzjh\"", diags),
    }
}

fn check_year(src: &Source, kind: DocKind, year: Option<Spanned<i64>>, diags: &mut Diagnostics) {
    let expected = match kind {
        DocKind::Plan { year } | DocKind::Report { year } => year,
        DocKind::Doc => {
            if let Some(y) = year {
                diags.warning(Code::FrontMatter, &src.rel, Some(src.span_line(y.span())), "`year` is only used in plans/ and reports/; it is ignored here");
            }
            return;
        }
    };
    match year {
        None => src.missing("year", format!("`year` is required (year = {expected}, as in the file name)"), diags),
        Some(y) if *y.get_ref() != i64::from(expected) => diags.error(
            Code::FrontMatter,&src.rel,
            Some(src.span_line(y.span())),
            format!("year = {} does not match the file name {expected}.md (rename the file or write year = {expected})", y.get_ref()),
        ),
        Some(_) => {}
    }
}
