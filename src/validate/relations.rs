/*!
The typed relations between policy documents (issue 18), across files: what a 解读
`interprets` and a document's `superseded_by` must name an existing document; a
document is replaced by a newer one; and every 规范性文件 in force (in a category
marked `normative = true`) has a 解读 that interprets it (`normative-no-reading`).
What one file says on its own is checked while loading ([`crate::load`]'s policy).
*/

use std::collections::HashSet;

use crate::error::{Code, Diagnostics};
use crate::load::source::did_you_mean;
use crate::site::{BodyId, Category, Site};

/// `broken` holds the 索引号 of the documents that failed to load, or is `None` when
/// some could not even be read: then names are not checked, as for `related`.
pub fn check(site: &Site, broken: Option<&HashSet<String>>, diags: &mut Diagnostics) {
    if let Some(broken) = broken {
        check_names(site, broken, diags);
    }
    check_readings(site, diags);
}

fn check_names(site: &Site, broken: &HashSet<String>, diags: &mut Diagnostics) {
    let all: Vec<&str> = site.documents.iter().map(|d| d.index_no.as_str()).collect();
    let unknown = |target: &str| site.by_index_no(target).is_none() && !broken.contains(target);
    let hint = |target: &str| did_you_mean(target, &all).map(|k| format!(" (did you mean \"{k}\"?)")).unwrap_or_default();
    for (i, doc) in site.documents.iter().enumerate() {
        for (target, line) in doc.policy.interprets.iter().zip(&doc.lines.policy.interprets) {
            if unknown(target) {
                diags.error(
                    Code::Related,
                    &doc.source,
                    Some(*line),
                    format!("interprets \"{target}\" is not the index_no of any document{}", hint(target)),
                );
            }
        }
        let Some(target) = &doc.policy.superseded_by else { continue };
        let line = Some(doc.lines.policy.superseded_by);
        if unknown(target) {
            diags.warning(
                Code::ValidityDates,
                &doc.source,
                line,
                format!("superseded_by \"{target}\" is not the index_no of any document{}: write the 索引号 of the document that replaced it", hint(target)),
            );
        } else if let Some(newer) = site.superseded_by(i).map(|j| &site.documents[j]).filter(|n| n.date < doc.date) {
            diags.warning(
                Code::ValidityDates,
                &doc.source,
                line,
                format!(
                    "superseded_by \"{target}\" names 《{}》, published {} before this document ({}): a document is replaced by a later one; \
                     check the 索引号",
                    newer.title, newer.date, doc.date
                ),
            );
        }
    }
}

/// A 规范性文件 still in force is published with its 解读 (compliance §5); one that
/// was repealed or expired is not asked for one any more, nor is a 解读.
fn check_readings(site: &Site, diags: &mut Diagnostics) {
    let normative: Vec<HashSet<&str>> = (0..site.bodies.len()).map(|b| normative_codes(site, BodyId(b))).collect();
    for (i, doc) in site.documents.iter().enumerate() {
        // A 解读 filed with the policies (it interprets some) is not asked for one.
        let is_reading = !doc.policy.interprets.is_empty();
        if is_reading || !doc.validity.in_force() || !normative[doc.body_id.0].contains(doc.category.as_str()) || !site.readings(i).is_empty() {
            continue;
        }
        let name = site.body_of(doc).categories.get(&doc.category).map(|c| c.name.as_str()).unwrap_or_default();
        // A 解读 linked the old way, by `related`, is the likely one to fix.
        let related_reading = site.related(i).into_iter().find(|r| {
            r.title.contains("解读") || site.body_of(r).categories.get(&r.category).is_some_and(|c| c.name.contains("解读"))
        });
        let fix = match related_reading {
            Some(r) => format!(
                "{} is related to it: in {}, write interprets = [\"{}\"] (it may replace related)",
                r.title,
                crate::load::slash_path(&r.source),
                doc.index_no
            ),
            None => format!("publish its 解读 with it and add interprets = [\"{}\"] to the 解读's front matter", doc.index_no),
        };
        diags.warning(
            Code::NormativeNoReading,
            &doc.source,
            Some(doc.lines.category),
            format!("a 规范性文件 (category \"{}\", {name}, normative) that no 解读 interprets: {fix}", doc.category),
        );
    }
}

/// Codes of the categories of a body's current directory marked `normative = true`,
/// and of those below them.
fn normative_codes(site: &Site, body: BodyId) -> HashSet<&str> {
    fn walk<'a>(nodes: &'a [Category], above: bool, out: &mut HashSet<&'a str>) {
        for c in nodes {
            if above || c.normative {
                out.insert(&c.code);
            }
            walk(&c.children, above || c.normative, out);
        }
    }
    let mut out = HashSet::new();
    if let Some(current) = site.directory_of(body).current() {
        walk(&current.categories, false, &mut out);
    }
    out
}
