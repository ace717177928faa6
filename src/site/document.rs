//! A document: its front matter as typed values and its text.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::BodyId;

/// 有效性 of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Validity {
    #[default]
    Effective,
    /// 已废止
    Repealed,
    /// 已失效
    Expired,
    /// 已修改: in force as amended by a later document.
    Amended,
}

impl Validity {
    pub const NAMES: &[&str] = &["effective", "amended", "repealed", "expired"];

    /// Accepts the contract's English values and the Chinese words editors use.
    pub fn parse(s: &str) -> Option<Validity> {
        match s.trim() {
            "effective" | "有效" => Some(Validity::Effective),
            "repealed" | "废止" | "已废止" => Some(Validity::Repealed),
            "expired" | "失效" | "已失效" => Some(Validity::Expired),
            "amended" | "修改" | "已修改" => Some(Validity::Amended),
            _ => None,
        }
    }

    /// The contract's name, as in front matter and catalogue.json.
    pub fn key(self) -> &'static str {
        match self {
            Validity::Effective => "effective",
            Validity::Repealed => "repealed",
            Validity::Expired => "expired",
            Validity::Amended => "amended",
        }
    }

    /// The label shown to visitors.
    pub fn label(self) -> &'static str {
        match self {
            Validity::Effective => "有效",
            Validity::Repealed => "已废止",
            Validity::Expired => "已失效",
            Validity::Amended => "已修改",
        }
    }

    /// Whether the document still applies (有效, or 已修改 as amended).
    pub fn in_force(self) -> bool {
        matches!(self, Validity::Effective | Validity::Amended)
    }
}
/// Where a document came from, which decides its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// `content/docs/**.md`
    Doc,
    /// `content/plans/<year>.md`, a yearly work plan (工作要点)
    Plan { year: i32 },
    /// `content/reports/<year>.md`, an annual report (年度报告)
    Report { year: i32 },
}

/// Lines of the front-matter fields that cross-file checks may complain about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldLines {
    pub index_no: usize,
    pub category: usize,
    /// 发布日期 (`date`)
    pub date: usize,
    /// One line per entry of `related`.
    pub related: Vec<usize>,
    /// One line per entry of `attachments`.
    pub attachments: Vec<usize>,
    /// The body's first line.
    pub body: usize,
    /// Lines of the policy fields (`interprets`, validity dates).
    pub policy: PolicyLines,
}

/// A policy document's readings and life (issue 18): which documents a 解读
/// interprets, when a document took effect, was repealed, and which one replaced it.
/// [`crate::validate::relations`] checks them across files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `interprets`: 索引号 of the policies this 解读 interprets, as written.
    pub interprets: Vec<String>,
    /// `effective_from`: 施行日期.
    pub effective_from: Option<NaiveDate>,
    /// `repealed_on`: 废止日期.
    pub repealed_on: Option<NaiveDate>,
    /// `superseded_by`: 索引号 of the document that replaced this one.
    pub superseded_by: Option<String>,
}

/// Lines of the [`Policy`] fields, for the diagnostics about them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyLines {
    /// One line per entry of `interprets`.
    pub interprets: Vec<usize>,
    pub superseded_by: usize,
}

/// A disclosed document (政府信息): its metadata and Markdown body.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site root (`content/docs/2022/a.md`).
    pub source: PathBuf,
    /// The body that publishes it (not to be confused with `body`, its text).
    pub body_id: BodyId,
    pub kind: DocKind,
    /// Output path of its page, relative to the output root, without base_url
    /// (`docs/2022/a/`, `plans/2022/`).
    pub path: String,
    pub title: String,
    /// 索引号
    pub index_no: String,
    /// 发布机构
    pub publisher: String,
    /// 公开目录: code of a leaf category of its body's current directory; empty for a
    /// plan or report that names none (and whose series the settings file in none).
    pub category: String,
    /// 发布日期
    pub date: NaiveDate,
    /// 成文日期
    pub written: Option<NaiveDate>,
    /// 文号
    pub doc_no: Option<String>,
    /// 主题词
    pub keywords: Vec<String>,
    pub validity: Validity,
    /// Index numbers of related documents, as written.
    pub related: Vec<String>,
    /// Paths under `content/`, e.g. `files/2022/plan.pdf`.
    pub attachments: Vec<String>,
    pub body: String,
    /// An annual report's statistics tables, when its front matter gives them.
    pub report: Option<Box<crate::report::Report>>,
    /// `interprets`, `effective_from`, `repealed_on`, `superseded_by`.
    pub policy: Policy,
    pub lines: FieldLines,
    // Numbering (issue 18: doc-no-format, normative-reg-no, index-pattern).
    /// 统一登记号 of a 行政规范性文件 (`reg_no`).
    pub reg_no: Option<String>,
}

impl Document {
    /// Whether `other` stands in the site where this one does: the same file, body,
    /// kind, address, place in the order, category, relations (`related`, `interprets`,
    /// `superseded_by`), validity and attachments, on the same lines, the same 成文日期
    /// (which `report-count` counts by), and for an annual report the same text and tables
    /// (which the rules across a body's reports compare). Replacing a document by one that
    /// stands alike changes none of the site's indexes and none of the rules across files;
    /// only what its pages show.
    pub fn stands_alike(&self, other: &Document) -> bool {
        self.source == other.source
            && self.body_id == other.body_id
            && self.kind == other.kind
            && self.path == other.path
            && self.index_no == other.index_no
            && self.date == other.date
            && self.category == other.category
            && self.related == other.related
            && self.policy.interprets == other.policy.interprets
            && self.policy.superseded_by == other.policy.superseded_by
            // `normative-no-reading` asks only of documents in force.
            && self.validity == other.validity
            && self.attachments == other.attachments
            && self.lines == other.lines
            && self.written == other.written
            && (!matches!(self.kind, DocKind::Report { .. }) || (self.body == other.body && self.report == other.report))
            // `normative-reg-no` looks at whether it has one.
            && self.reg_no.is_some() == other.reg_no.is_some()
    }
}

