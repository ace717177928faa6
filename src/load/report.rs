/*!
The `[report]` front matter of an annual report, in the layout of the national format
(see [`crate::report`]): parsed, checked for whole numbers from 0 to
[`MAX_COUNT`], and balanced. A
missing table or row means zeros; totals are computed, and when an editor writes
them anyway (a seventh number in a row of table 三, a fifth in table 四, or a
`total` row) they must match.
*/

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};
use toml::Spanned;

use super::source::Source;
use crate::error::{Code, Diagnostics};
use crate::report::*;

#[derive(Deserialize)]
pub struct RawReport {
    active: Option<RawActive>,
    applications: Option<RawApplications>,
    appeals: Option<RawAppeals>,
}

#[derive(Deserialize)]
struct RawActive {
    rules: Option<RawIssued>,
    normative: Option<RawIssued>,
    licensing: Option<Spanned<Cell>>,
    punishment: Option<Spanned<Cell>>,
    coercion: Option<Spanned<Cell>>,
    fees: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
struct RawIssued {
    made: Option<Spanned<Cell>>,
    repealed: Option<Spanned<Cell>>,
    in_force: Option<Spanned<Cell>>,
}

type RawRow = Option<Spanned<Vec<Cell>>>;

/// A number of the tables as written. Any TOML integer is taken, however large, and
/// other values are kept as text, so that the checker can say in plain words what is
/// wrong with it rather than fail on the type.
enum Cell {
    Integer(i128),
    Other(String),
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl Visitor<'_> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Integer(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Cell, E> {
        Ok(Cell::Integer(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Cell, E> {
        Ok(Cell::Integer(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Cell, E> {
        Ok(Cell::Integer(i128::try_from(v).unwrap_or(i128::MAX)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Cell, E> {
        Ok(Cell::Other(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell::Other(format!("\"{v}\"")))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Cell, E> {
        Ok(Cell::Other(v.to_string()))
    }
}

impl Cell {
    /// The count, or what is wrong with it.
    fn count(&self) -> Result<u64, String> {
        match self {
            Cell::Integer(v) if *v < 0 => Err(format!("{v} is not a whole number ≥ 0")),
            Cell::Integer(v) => u64::try_from(*v)
                .ok()
                .filter(|v| *v <= MAX_COUNT)
                .ok_or_else(|| format!("{v} is too large: a count is at most {MAX_COUNT} (check the number)")),
            Cell::Other(text) => Err(format!("{text} is not a whole number ≥ 0 (write it as 12, without quotes)")),
        }
    }
}

#[derive(Deserialize)]
struct RawApplications {
    new: RawRow,
    carried_in: RawRow,
    disclosed: RawRow,
    partly: RawRow,
    carried_out: RawRow,
    total: RawRow,
    withheld: Option<RawWithheld>,
    unavailable: Option<RawUnavailable>,
    not_handled: Option<RawNotHandled>,
    other: Option<RawOther>,
}

#[derive(Deserialize)]
struct RawWithheld {
    state_secret: RawRow,
    law_forbids: RawRow,
    three_safety: RawRow,
    third_party: RawRow,
    internal_affairs: RawRow,
    process_info: RawRow,
    enforcement_file: RawRow,
    query_matter: RawRow,
}

#[derive(Deserialize)]
struct RawUnavailable {
    not_held: RawRow,
    needs_creation: RawRow,
    unclear: RawRow,
}

#[derive(Deserialize)]
struct RawNotHandled {
    complaint: RawRow,
    repeated: RawRow,
    publication: RawRow,
    mass_repeated: RawRow,
    reconfirm: RawRow,
}

#[derive(Deserialize)]
struct RawOther {
    no_correction: RawRow,
    unpaid_fee: RawRow,
    other: RawRow,
}

#[derive(Deserialize)]
struct RawAppeals {
    review: RawRow,
    litigation: RawRow,
    after_review: RawRow,
}

/// Turns raw report data into checked numbers; every problem goes to `diags`.
pub fn parse(src: &Source, raw: RawReport, diags: &mut Diagnostics) -> Report {
    let given = Given { active: raw.active.is_some(), applications: raw.applications.is_some(), appeals: raw.appeals.is_some() };
    let line = |row: &RawRow| row.as_ref().map(|r| src.span_line(r.span()));
    let normative = raw.active.as_ref().and_then(|a| a.normative.as_ref()).and_then(|n| n.made.as_ref()).map(|m| src.span_line(m.span()));
    let apps = raw.applications.as_ref();
    let appeals = raw.appeals.as_ref();
    let lines = ReportLines {
        normative,
        new: apps.and_then(|a| line(&a.new)),
        carried_in: apps.and_then(|a| line(&a.carried_in)),
        carried_out: apps.and_then(|a| line(&a.carried_out)),
        review: appeals.and_then(|a| line(&a.review)),
        litigation: appeals.and_then(|a| line(&a.litigation).or_else(|| line(&a.after_review))),
    };
    let mut cx = Checker { src, diags, first_line: None, unreadable: 0 };
    let active = raw.active.map(|a| cx.active(a)).unwrap_or_default();
    let appeals = raw.appeals.map(|a| cx.appeals(a)).unwrap_or_default();
    let applications = raw.applications.map(|a| cx.applications(a)).unwrap_or_default();
    Report { active, applications, appeals, given, lines }
}

struct Checker<'a> {
    src: &'a Source,
    diags: &'a mut Diagnostics,
    /// Line of the first row of table 三, where an imbalance is reported.
    first_line: Option<usize>,
    /// How many cells so far were not whole numbers in range.
    unreadable: usize,
}

impl Checker<'_> {
    fn error(&mut self, line: usize, message: String) {
        self.diags.error(Code::ReportTable, &self.src.rel, Some(line), message);
    }

    fn count(&mut self, v: Option<Spanned<Cell>>, what: &str) -> u64 {
        let Some(v) = v else { return 0 };
        let line = self.src.span_line(v.span());
        v.get_ref().count().unwrap_or_else(|problem| {
            self.error(line, format!("{what}: {problem}"));
            0
        })
    }

    fn issued(&mut self, raw: Option<RawIssued>, what: &str) -> Issued {
        let Some(r) = raw else { return Issued::default() };
        Issued {
            made: self.count(r.made, &format!("表二 {what} 本年制发件数")),
            repealed: self.count(r.repealed, &format!("表二 {what} 本年废止件数")),
            in_force: self.count(r.in_force, &format!("表二 {what} 现行有效件数")),
        }
    }

    fn active(&mut self, a: RawActive) -> Active {
        let fees = match a.fees {
            Some(f) if !(0.0..=MAX_COUNT as f64).contains(f.get_ref()) => {
                let line = self.src.span_line(f.span());
                let problem = if *f.get_ref() > MAX_COUNT as f64 {
                    format!("is too large: an amount in 万元 is at most {MAX_COUNT} (check the number)")
                } else {
                    format!("is {}: an amount in 万元 ≥ 0", f.get_ref())
                };
                self.error(line, format!("表二 行政事业性收费 {problem}"));
                0.0
            }
            Some(f) => f.into_inner(),
            None => 0.0,
        };
        Active {
            rules: self.issued(a.rules, "规章"),
            normative: self.issued(a.normative, "行政规范性文件"),
            licensing: self.count(a.licensing, "表二 行政许可"),
            punishment: self.count(a.punishment, "表二 行政处罚"),
            coercion: self.count(a.coercion, "表二 行政强制"),
            fees,
        }
    }

    /// A row of `N` counts, optionally followed by its total, which must match.
    fn counts<const N: usize>(&mut self, raw: RawRow, table: &str, row: &str, columns: &[&str]) -> [u64; N] {
        let mut out = [0; N];
        let Some(raw) = raw else { return out };
        let line = self.src.span_line(raw.span());
        let values = raw.into_inner();
        if values.len() != N && values.len() != N + 1 {
            self.error(line, format!("{table}, row {row}: expected {N} numbers ({}), found {}", columns.join(", "), values.len()));
            return out;
        }
        let names = columns.iter().copied().chain(["总计"]);
        let cells: Vec<Option<u64>> = values
            .iter()
            .zip(names)
            .map(|(v, column)| {
                v.count()
                    .map_err(|problem| {
                        self.unreadable += 1;
                        self.error(line, format!("{table}, row {row}, column {column}: {problem}"));
                    })
                    .ok()
            })
            .collect();
        for (o, cell) in out.iter_mut().zip(&cells) {
            *o = cell.unwrap_or(0);
        }
        if let Some(Some(given)) = cells.get(N) {
            // Each cell is at most MAX_COUNT, so the sum of a row cannot overflow.
            let sum: u64 = out.iter().sum();
            if *given != sum {
                self.error(line, format!("{table}, row {row}, column 总计: expected {sum} (the sum of the row), found {given}"));
            }
        }
        out
    }

    fn row(&mut self, raw: RawRow, label: &str) -> Row {
        if let Some(r) = &raw {
            let line = self.src.span_line(r.span());
            self.first_line = Some(self.first_line.map_or(line, |l| l.min(line)));
        }
        self.counts::<6>(raw, TABLE_APPLICATIONS, label, &APPLICANTS)
    }

    fn rows<const N: usize>(&mut self, raws: [RawRow; N], group: &str, labels: &[&str; N]) -> [Row; N] {
        let mut out = [[0; 6]; N];
        for (i, raw) in raws.into_iter().enumerate() {
            out[i] = self.row(raw, &format!("{group} {}", labels[i]));
        }
        out
    }

    fn applications(&mut self, a: RawApplications) -> Applications {
        let unreadable_before = self.unreadable;
        let w = a.withheld.map(|w| [w.state_secret, w.law_forbids, w.three_safety, w.third_party, w.internal_affairs, w.process_info, w.enforcement_file, w.query_matter]);
        let u = a.unavailable.map(|u| [u.not_held, u.needs_creation, u.unclear]);
        let n = a.not_handled.map(|n| [n.complaint, n.repeated, n.publication, n.mass_repeated, n.reconfirm]);
        let o = a.other.map(|o| [o.no_correction, o.unpaid_fee, o.other]);
        let apps = Applications {
            new: self.row(a.new, NEW),
            carried_in: self.row(a.carried_in, CARRIED_IN),
            disclosed: self.row(a.disclosed, "（一）予以公开"),
            partly: self.row(a.partly, "（二）部分公开"),
            withheld: w.map(|w| self.rows(w, "（三）不予公开", &WITHHELD)).unwrap_or_default(),
            unavailable: u.map(|u| self.rows(u, "（四）无法提供", &UNAVAILABLE)).unwrap_or_default(),
            not_handled: n.map(|n| self.rows(n, "（五）不予处理", &NOT_HANDLED)).unwrap_or_default(),
            other: o.map(|o| self.rows(o, "（六）其他处理", &OTHER)).unwrap_or_default(),
            carried_out: self.row(a.carried_out, CARRIED_OUT),
        };
        let given = a.total.map(|g| (self.src.span_line(g.span()), self.counts::<6>(Some(g), TABLE_APPLICATIONS, TOTAL, &APPLICANTS)));
        // Totals computed with 0 for a number that could not be read would only add
        // confusing errors to the one already reported.
        if self.unreadable > unreadable_before {
            return apps;
        }
        let computed = apps.total();
        if let Some((line, given_row)) = given {
            for (c, name) in APPLICANTS.iter().enumerate() {
                if given_row[c] != computed[c] {
                    self.error(line, format!(
                        "{TABLE_APPLICATIONS}, row {TOTAL}, column {name}: expected {} (（一）+（二）+（三）+（四）+（五）+（六）), found {}",
                        computed[c], given_row[c]
                    ));
                }
            }
        }
        let line = self.first_line.unwrap_or_else(|| self.src.end_line());
        for imbalance in check_balance(&apps) {
            self.error(line, imbalance.message);
        }
        apps
    }

    fn appeals(&mut self, a: RawAppeals) -> Appeals {
        const RESULTS: [&str; 4] = ["结果维持", "结果纠正", "其他结果", "尚未审结"];
        Appeals {
            review: self.counts::<4>(a.review, TABLE_APPEALS, "行政复议", &RESULTS),
            litigation: self.counts::<4>(a.litigation, TABLE_APPEALS, "行政诉讼 未经复议直接起诉", &RESULTS),
            after_review: self.counts::<4>(a.after_review, TABLE_APPEALS, "行政诉讼 复议后起诉", &RESULTS),
        }
    }
}
