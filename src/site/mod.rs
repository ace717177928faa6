/*!
The in-memory site: every parsed, validated file of `content/`, held between builds.

Later stages (render, index, the dev server) read these typed values and never
re-check strings: a [`Document`]'s date is a date, its validity an enum, its category
a code that exists in the current directory. [`Site`] is here; each [`Body`] and
what it files under in `body.rs`, each [`Document`] in `document.rs`.
*/

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::SiteConfig;

mod body;
mod document;

pub use body::*;
pub use document::*;

/// The whole site in memory.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Every document of every body (docs, plans, reports), newest first.
    pub documents: Vec<Document>,
    /// The bodies that publish here; the first is the owner.
    pub bodies: Vec<Body>,
    /// Attachment files, relative to `content/` (`files/2022/plan.pdf`).
    pub files: Vec<String>,
    by_index_no: HashMap<String, usize>,
    by_source: HashMap<PathBuf, usize>,
    /// For each document, the documents that name it in their `related`.
    referenced_by: Vec<Vec<usize>>,
    /// For each document, those that name it in `interprets` and `superseded_by`.
    named_by: Vec<NamedBy>,
}

/// The documents whose typed relations name one document.
#[derive(Debug, Clone, Default)]
struct NamedBy {
    /// The 解读 that interpret it.
    readings: Vec<usize>,
    /// The documents it replaced (their `superseded_by` names it).
    replaces: Vec<usize>,
}

impl Site {
    pub fn new(root: PathBuf, config: SiteConfig, documents: Vec<Document>, bodies: Vec<Body>, files: Vec<String>) -> Site {
        let mut site = Site {
            root,
            config,
            documents,
            bodies,
            files,
            by_index_no: HashMap::new(),
            by_source: HashMap::new(),
            referenced_by: Vec::new(),
            named_by: Vec::new(),
        };
        site.reindex();
        site
    }

    /// Sorts and indexes everything again after documents, versions or files were
    /// changed in place (as the dev server does on each save).
    pub fn reindex(&mut self) {
        self.documents.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.index_no.cmp(&a.index_no)));
        self.files.sort();
        self.by_index_no = self.documents.iter().enumerate().map(|(i, d)| (d.index_no.clone(), i)).collect();
        self.by_source = self.documents.iter().enumerate().map(|(i, d)| (d.source.clone(), i)).collect();
        self.referenced_by = vec![Vec::new(); self.documents.len()];
        for (i, doc) in self.documents.iter().enumerate() {
            for target in doc.related.iter().filter_map(|r| self.by_index_no.get(r)) {
                if *target != i && !self.referenced_by[*target].contains(&i) {
                    self.referenced_by[*target].push(i);
                }
            }
        }
        self.named_by = vec![NamedBy::default(); self.documents.len()];
        for (i, doc) in self.documents.iter().enumerate() {
            for &target in doc.policy.interprets.iter().filter_map(|r| self.by_index_no.get(r)) {
                if target != i && !self.named_by[target].readings.contains(&i) {
                    self.named_by[target].readings.push(i);
                }
            }
            if let Some(&target) = doc.policy.superseded_by.as_ref().and_then(|r| self.by_index_no.get(r)) {
                if target != i {
                    self.named_by[target].replaces.push(i);
                }
            }
        }
        let trees: Vec<HashMap<String, CategoryInfo>> = (0..self.bodies.len())
            .map(|b| self.directory_of(BodyId(b)).current().map(|d| category_index(&d.categories)).unwrap_or_default())
            .collect();
        for (body, categories) in self.bodies.iter_mut().zip(trees) {
            body.categories = categories;
            body.documents.clear();
            body.by_category.clear();
            body.per_code.clear();
        }
        for (i, doc) in self.documents.iter().enumerate() {
            let body = &mut self.bodies[doc.body_id.0];
            body.documents.push(i);
            *body.per_code.entry(doc.category.clone()).or_default() += 1;
            for code in body.categories.get(&doc.category).map(|c| c.path.as_slice()).unwrap_or_default() {
                body.by_category.entry(code.clone()).or_default().push(i);
            }
        }
    }

    pub fn body(&self, id: BodyId) -> &Body {
        &self.bodies[id.0]
    }

    pub fn owner(&self) -> &Body {
        &self.bodies[BodyId::OWNER.0]
    }

    /// The body a document belongs to.
    pub fn body_of(&self, doc: &Document) -> &Body {
        self.body(doc.body_id)
    }

    /// The directory a body's documents are filed by: its own, or the owner's when it
    /// has none.
    pub fn directory_of(&self, id: BodyId) -> &Versions {
        let own = &self.body(id).directory;
        if own.pages.is_empty() { &self.owner().directory } else { own }
    }

    /// The body whose folder holds `source` (a path relative to the site root).
    pub fn body_at(&self, source: &std::path::Path) -> BodyId {
        let code = crate::load::department_of(source);
        let found = self.bodies.iter().position(|b| b.code.is_some() && b.code.as_deref() == code);
        BodyId(found.unwrap_or(BodyId::OWNER.0))
    }

    /// Where an attachment (a path relative to `content/`) is written: a department's
    /// files lie in its section.
    pub fn file_output(&self, file: &str) -> String {
        let id = self.body_at(&std::path::Path::new("content").join(file));
        match &self.body(id).code {
            Some(code) => {
                let own = file.strip_prefix(&format!("departments/{code}/")).unwrap_or(file);
                self.body(id).path(own)
            }
            None => file.to_string(),
        }
    }

    /// The bodies with their ids, the owner first.
    pub fn body_ids(&self) -> impl Iterator<Item = (BodyId, &Body)> {
        self.bodies.iter().enumerate().map(|(i, b)| (BodyId(i), b))
    }

    pub fn by_index_no(&self, index_no: &str) -> Option<&Document> {
        self.by_index_no.get(index_no).map(|&i| &self.documents[i])
    }

    /// Index in `documents` of the document read from `source` (`content/docs/a.md`).
    pub fn position_of(&self, source: &std::path::Path) -> Option<usize> {
        self.by_source.get(source).copied()
    }

    /// Index in `documents` of the document with this 索引号.
    pub fn position_of_index_no(&self, index_no: &str) -> Option<usize> {
        self.by_index_no.get(index_no).copied()
    }

    /// Documents related to `documents[i]` in either direction, without repeats.
    pub fn related(&self, i: usize) -> Vec<&Document> {
        self.related_positions(i).into_iter().map(|j| &self.documents[j]).collect()
    }

    /// Indices of the documents related to `documents[i]` in either direction.
    pub fn related_positions(&self, i: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.documents[i]
            .related
            .iter()
            .filter_map(|r| self.by_index_no.get(r).copied())
            .filter(|&j| j != i)
            .collect();
        for &j in &self.referenced_by[i] {
            if !out.contains(&j) {
                out.push(j);
            }
        }
        out
    }

    /// The policies `documents[i]` interprets (政策原文), as far as they exist.
    pub fn interpreted(&self, i: usize) -> Vec<usize> {
        let named = self.documents[i].policy.interprets.iter().filter_map(|r| self.by_index_no.get(r).copied());
        let mut out: Vec<usize> = Vec::new();
        for j in named.filter(|&j| j != i) {
            if !out.contains(&j) {
                out.push(j);
            }
        }
        out
    }

    /// The 解读 that interpret `documents[i]` (政策解读), newest first.
    pub fn readings(&self, i: usize) -> &[usize] {
        &self.named_by[i].readings
    }

    /// The document that replaced `documents[i]`, if its `superseded_by` names one.
    pub fn superseded_by(&self, i: usize) -> Option<usize> {
        self.documents[i].policy.superseded_by.as_ref().and_then(|r| self.by_index_no.get(r).copied()).filter(|&j| j != i)
    }

    /// The documents `documents[i]` replaced: those whose `superseded_by` names it.
    pub fn replaces(&self, i: usize) -> &[usize] {
        &self.named_by[i].replaces
    }

    /// Every document linked to `documents[i]` by `interprets` or `superseded_by`, in
    /// either direction: their pages show it.
    pub fn policy_links(&self, i: usize) -> Vec<usize> {
        let mut out = self.interpreted(i);
        out.extend(self.readings(i));
        out.extend(self.superseded_by(i));
        out.extend(self.replaces(i));
        out
    }

    /// The category that holds a body's rules (政府信息公开制度): the one site.toml
    /// names, if the body's current directory has it, or else the directory's only
    /// category with 制度 in its name.
    pub fn rules_category(&self, id: BodyId) -> Option<&str> {
        let body = self.body(id);
        match &self.config.columns.rules_category {
            Some(code) => body.categories.contains_key(code).then_some(code.as_str()),
            None => match rules_candidates(body)[..] {
                [only] => Some(only),
                _ => None,
            },
        }
    }

    /// A body's yearly work plans, or (`reports`) its annual reports: (year, document
    /// index).
    pub fn years(&self, id: BodyId, reports: bool) -> Vec<(i32, usize)> {
        self.body(id)
            .documents
            .iter()
            .filter_map(|&i| match self.documents[i].kind {
                DocKind::Plan { year } if !reports => Some((year, i)),
                DocKind::Report { year } if reports => Some((year, i)),
                _ => None,
            })
            .collect()
    }
}

/// The first year for which body `id` is expected to have an annual report: that of
/// its own first report, or, for a body that has published none, the platform's first
/// (the 年报 overview then lists it as 未发布 every year). Earlier years are not asked
/// for: a body may have joined the platform, or been set up, after them.
pub fn first_report_year(site: &Site, id: BodyId) -> Option<i32> {
    let own = site.years(id, true).into_iter().map(|(y, _)| y).min();
    own.or_else(|| report_years(site).first().copied())
}

/// Every year for which some body published an annual report, from the first to the
/// last, in order; the years between with none are included.
pub fn report_years(site: &Site) -> Vec<i32> {
    let years = site.documents.iter().filter_map(|d| match d.kind {
        DocKind::Report { year } => Some(year),
        _ => None,
    });
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if first > last { Vec::new() } else { (first..=last).collect() }
}

/// Codes of a body's current categories with 制度 in their name, sorted.
pub fn rules_candidates(body: &Body) -> Vec<&str> {
    let mut codes: Vec<&str> = body.categories.iter().filter(|(_, c)| c.name.contains("制度")).map(|(k, _)| k.as_str()).collect();
    codes.sort();
    codes
}

fn category_index(tree: &[Category]) -> HashMap<String, CategoryInfo> {
    fn walk(nodes: &[Category], parents: &mut Vec<String>, out: &mut HashMap<String, CategoryInfo>) {
        for c in nodes {
            parents.push(c.code.clone());
            out.insert(
                c.code.clone(),
                CategoryInfo { name: c.name.clone(), path: parents.clone(), is_leaf: c.is_leaf(), column_type: c.column_type },
            );
            walk(&c.children, parents, out);
            parents.pop();
        }
    }
    let mut out = HashMap::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}
