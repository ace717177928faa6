//! What each page is made from: the stamp an in-place build compares with the one
//! the output's record holds, to keep a page without making it again.

use std::sync::OnceLock;

use serde::Serialize;

use super::context::{Section, SectionView, SiteView};
use super::{Renderer, meta};
use crate::site::{BodyId, Site};
use crate::stamp::Stamper;

/// What every page is made from besides its own data: the renderer's templates and
/// global context, the settings and the program, and where links lead. Taken anew for
/// each pass over the pages, as the site changes between the passes of `gongkai serve`.
///
/// A page's input stamp adds the data its template is given (the same values, fed as
/// JSON) and, in place of the HTML of its text and of its description, the Markdown
/// they are made from. A page whose stamp the last build recorded for the file, still
/// on disk as written, is not made again.
pub struct Inputs<'s> {
    pub(super) site: &'s Site,
    base: Option<u64>,
    /// [`crate::links::rewrite_stamp`], worked out once a text needs it.
    links: OnceLock<u64>,
    /// Each body's header, the same on all its pages, with its stamp; by body.
    sections: Vec<OnceLock<(SectionView, u64)>>,
}

impl Inputs<'_> {
    fn links(&self) -> u64 {
        *self.links.get_or_init(|| crate::links::rewrite_stamp(self.site))
    }

    pub(super) fn section(&self, body: BodyId) -> &(SectionView, u64) {
        self.sections[body.0].get_or_init(|| {
            let view = SectionView::new(Section::new(self.site, body));
            let mut s = Stamper::new();
            s.value(&view);
            (view, s.finish())
        })
    }
}

/// A Markdown text of a page, and where its HTML goes in the page's data.
pub(super) struct Text<'a, T> {
    pub(super) source: &'a std::path::Path,
    pub(super) markdown: std::borrow::Cow<'a, str>,
    /// An annual report's tables, rendered into its text.
    pub(super) report: Option<&'a crate::report::Report>,
    pub(super) slot: fn(&mut T) -> &mut String,
}

/// One page on its way: where it goes and what the page kinds share.
pub(super) struct Job<'a, 'k> {
    pub(super) path: String,
    pub(super) inputs: &'a Inputs<'a>,
    pub(super) meta: Option<meta::PageMeta<'a>>,
    /// The header of the page's section, and its stamp.
    pub(super) section: &'a (SectionView, u64),
    /// Whether the file at `path` already holds what these inputs make (see [`Inputs`]).
    pub(super) kept: &'k dyn Fn(&str, u64) -> bool,
}

impl Job<'_, '_> {
    /// The stamp of what the page is made from with `template` and `data` (see
    /// [`Inputs`]); `None` when pages are not stamped.
    pub(super) fn input<T: Serialize>(&self, template: &str, data: &T, text: Option<&Text<T>>) -> Option<u64> {
        let base = self.inputs.base?;
        let mut s = Stamper::new();
        s.number(base);
        s.text(template);
        s.value(data);
        if let Some(meta) = &self.meta {
            meta.stamp_into(&mut s);
        }
        s.number(self.section.1);
        if let Some(text) = text {
            text_stamp(&mut s, text, self.inputs);
        }
        Some(s.finish())
    }

    /// Whether the file already holds what `input` makes.
    pub(super) fn is_kept(&self, input: Option<u64>) -> bool {
        input.is_some_and(|input| (self.kept)(&self.path, input))
    }
}

impl Renderer {
    pub(super) fn stamp_of(&self, view: &SiteView) -> Option<u64> {
        const UNSTAMPED: [&str; 3] = ["now(", "get_random(", "get_env("];
        let templates = &self.theme.templates;
        if templates.values().any(|t| UNSTAMPED.iter().any(|f| t.contains(f))) {
            return None;
        }
        let mut s = Stamper::new();
        s.text(&format!("{:?}", crate::stamp::program()));
        for (name, text) in templates {
            s.text(name);
            s.text(text);
        }
        s.value(view);
        Some(s.finish())
    }

    /// What the pages of `site` are made from this pass (see [`Inputs`]).
    pub fn inputs<'s>(&self, site: &'s Site) -> Inputs<'s> {
        let base = self.stamp.map(|stamp| {
            let mut s = Stamper::new();
            s.number(stamp);
            s.text(&format!("{:?}", site.config));
            s.finish()
        });
        Inputs { site, base, links: OnceLock::new(), sections: site.bodies.iter().map(|_| OnceLock::new()).collect() }
    }
}

/// Feeds into `s` what the HTML of `text` is made from: the Markdown, the report's
/// tables, and where links lead when the text may link by file or 索引号 (base_url
/// and the other settings are in [`Inputs`] already).
fn text_stamp<T>(s: &mut Stamper, text: &Text<T>, inputs: &Inputs) {
    s.text(&text.source.to_string_lossy());
    s.text(&text.markdown);
    if let Some(report) = text.report {
        s.value(&crate::report::TablesView::new(report));
    }
    if crate::links::may_rewrite(&text.markdown) {
        s.number(inputs.links());
    }
}
