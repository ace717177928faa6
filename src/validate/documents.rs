/*!
Rules on documents that need their body's directory or settings (issue 18):
`normative-reg-no`, a document in a category marked `normative = true` without its
统一登记号, and `index-pattern`, a 索引号 that does not fit its body's `index_pattern`
(with `{category}`, the class number of its category). Both look at the 索引号, the
category and whether `reg_no` is given, which a document must keep to be replaced in
place by the dev server ([`crate::site::Document::stands_alike`]); the directory and
settings files re-check everything when they change.
*/

use std::collections::HashMap;

use crate::error::{Code, Diagnostics};
use crate::site::{BodyId, Category, Site};

pub fn check(site: &Site, diags: &mut Diagnostics) {
    let categories: Vec<HashMap<&str, &Category>> = (0..site.bodies.len())
        .map(|b| site.directory_of(BodyId(b)).current().map(|d| flatten(&d.categories)).unwrap_or_default())
        .collect();
    for doc in &site.documents {
        let category = categories[doc.body_id.0].get(doc.category.as_str()).copied();
        if category.is_some_and(|c| c.normative) && doc.reg_no.is_none() {
            let name = category.map(|c| c.name.as_str()).unwrap_or_default();
            diags.warning(
                Code::NormativeRegNo,
                &doc.source,
                Some(doc.lines.category),
                format!(
                    "a 行政规范性文件 ({name} is marked normative) without its 统一登记号: add reg_no = \"…\", the number it was \
                     registered under (统一登记、统一编号、统一公布)"
                ),
            );
        }
        let numbering = &site.body(doc.body_id).numbering;
        let class_code = category.and_then(|c| c.class_code.as_deref());
        if !numbering.pattern.fits(&doc.index_no, &numbering.org_code, class_code) {
            let example = numbering.pattern.format(&numbering.org_code, class_code.unwrap_or("{category}"), doc.date, 1);
            diags.warning(
                Code::IndexPattern,
                &doc.source,
                Some(doc.lines.index_no),
                format!(
                    "索引号 \"{}\" does not fit index_pattern \"{}\" ({}), e.g. \"{example}\"",
                    doc.index_no,
                    numbering.pattern.text(),
                    crate::load::slash_path(&numbering.setting)
                ),
            );
        }
    }
}

/// Every category of a directory tree by code.
fn flatten(tree: &[Category]) -> HashMap<&str, &Category> {
    fn walk<'a>(nodes: &'a [Category], out: &mut HashMap<&'a str, &'a Category>) {
        for c in nodes {
            out.insert(c.code.as_str(), c);
            walk(&c.children, out);
        }
    }
    let mut out = HashMap::new();
    walk(tree, &mut out);
    out
}
