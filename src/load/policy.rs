/*!
A policy document's readings and life (issue 18): `interprets` on a 解读, and the
validity dates and link `effective_from` (施行日期), `repealed_on` (废止日期) and
`superseded_by`. What one file shows on its own is checked here, while loading, so
that the dev server re-checks it on every save; what needs other documents (the
named documents exist, are newer, are interpreted) is in [`crate::validate::relations`].
*/

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::fields::{date, split_spanned};
use super::source::Source;
use crate::error::{Code, Diagnostics};
use crate::site::{Policy, PolicyLines, Validity};

/// The policy fields of a document's front matter, as written.
#[derive(Deserialize, Default)]
pub struct RawPolicy {
    pub interprets: Option<Vec<Spanned<String>>>,
    pub effective_from: Option<Spanned<toml::Value>>,
    pub repealed_on: Option<Spanned<toml::Value>>,
    pub superseded_by: Option<Spanned<String>>,
}

/// What the rest of the front matter says, as far as it could be read.
pub struct Facts<'a> {
    pub index_no: Option<&'a str>,
    /// 发布日期
    pub date: Option<NaiveDate>,
    /// 成文日期
    pub written: Option<NaiveDate>,
    pub validity: Validity,
    pub validity_line: Option<usize>,
}

pub fn parse(src: &Source, raw: RawPolicy, facts: Facts, diags: &mut Diagnostics) -> (Policy, PolicyLines) {
    let rel = &src.rel;
    let (interprets, interprets_lines) = split_spanned(src, raw.interprets);
    for (target, line) in interprets.iter().zip(&interprets_lines) {
        if Some(target.as_str()) == facts.index_no {
            diags.error(
                Code::Related,
                rel,
                Some(*line),
                format!("interprets \"{target}\" is this document's own index_no: write the 索引号 of the policy this 解读 interprets"),
            );
        }
    }
    let dated = |value: Option<Spanned<toml::Value>>, key: &str, diags: &mut Diagnostics| {
        value.and_then(|v| {
            let line = src.span_line(v.span());
            date(src, key, v, diags).map(|d| (d, line))
        })
    };
    let effective_from = dated(raw.effective_from, "effective_from", diags);
    let repealed_on = dated(raw.repealed_on, "repealed_on", diags);
    let superseded_by = raw.superseded_by.map(|v| (src.span_line(v.span()), v.into_inner().trim().to_string()));
    let warn = |diags: &mut Diagnostics, line: usize, message: String| diags.warning(Code::ValidityDates, rel, Some(line), message);
    if let (Some((from, line)), Some(written)) = (effective_from, facts.written) {
        if from < written {
            warn(diags, line, format!(
                "effective_from {from} (施行日期) is before written {written} (成文日期): a document takes effect once it is made; check both dates"
            ));
        }
    }
    if let Some((repealed, line)) = repealed_on {
        if let Some(published) = facts.date.filter(|d| repealed < *d) {
            warn(diags, line, format!(
                "repealed_on {repealed} (废止日期) is before date {published} (发布日期): check both dates (a document published after its repeal \
                 keeps the day it was repealed, and validity = \"repealed\")"
            ));
        }
        if let Some((from, _)) = effective_from.filter(|(from, _)| repealed < *from) {
            warn(diags, line, format!("repealed_on {repealed} (废止日期) is before effective_from {from} (施行日期): check both dates"));
        }
        if facts.validity.in_force() {
            warn(diags, facts.validity_line.unwrap_or(line), format!(
                "repealed_on {repealed} says the document was repealed, but its validity is {} ({}): set validity = \"repealed\" (已废止), \
                 or remove repealed_on if it is still in force",
                facts.validity.key(),
                facts.validity.label()
            ));
        }
    }
    if let Some((line, target)) = &superseded_by {
        if Some(target.as_str()) == facts.index_no {
            diags.error(
                Code::ValidityDates,
                rel,
                Some(*line),
                format!("superseded_by \"{target}\" is this document's own index_no: write the 索引号 of the document that replaced it"),
            );
        } else if facts.validity == Validity::Effective {
            warn(diags, facts.validity_line.unwrap_or(*line), format!(
                "superseded_by \"{target}\" says the document was replaced, but its validity is effective (有效): set validity = \"repealed\" \
                 (已废止), or \"amended\" (已修改) if the newer document only amends it"
            ));
        }
    }
    let lines = PolicyLines { interprets: interprets_lines, superseded_by: superseded_by.as_ref().map_or(0, |(line, _)| *line) };
    let policy = Policy {
        interprets,
        effective_from: effective_from.map(|(d, _)| d),
        repealed_on: repealed_on.map(|(d, _)| d),
        superseded_by: superseded_by.map(|(_, s)| s).filter(|s| !s.is_empty()),
    };
    (policy, lines)
}
