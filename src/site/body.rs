//! A body (the platform's owner, a department, a town) and what it publishes its
//! documents under: its directory's categories, its guide and directory versions.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::SiteConfig;


/// 栏目类型: the `ColumnType` values of the national web-page design rules
/// (政府网站网页设计规范) that a 政府信息公开 section uses. Each page's value is
/// decided in [`crate::render::meta`]; docs/column-types.md lists the mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ColumnType {
    /// 信息公开指南
    Guide,
    /// 信息公开制度
    Rules,
    /// 信息公开目录
    Directory,
    /// 法定主动公开内容
    Mandatory,
    /// 信息公开年报
    AnnualReport,
    /// 依法申请公开
    OnApplication,
    /// 政策文件
    PolicyDocument,
    /// 政策解读
    PolicyReading,
    /// 规划计划
    Plan,
    /// 人事信息
    Personnel,
    /// 财政信息
    Finance,
    /// 统计信息
    Statistics,
}

impl ColumnType {
    pub const ALL: [ColumnType; 12] = [
        ColumnType::Guide,
        ColumnType::Rules,
        ColumnType::Directory,
        ColumnType::Mandatory,
        ColumnType::AnnualReport,
        ColumnType::OnApplication,
        ColumnType::PolicyDocument,
        ColumnType::PolicyReading,
        ColumnType::Plan,
        ColumnType::Personnel,
        ColumnType::Finance,
        ColumnType::Statistics,
    ];

    /// The value written in `<meta name="ColumnType">`, as the rules spell it.
    pub fn label(self) -> &'static str {
        match self {
            ColumnType::Guide => "信息公开指南",
            ColumnType::Rules => "信息公开制度",
            ColumnType::Directory => "信息公开目录",
            ColumnType::Mandatory => "法定主动公开内容",
            ColumnType::AnnualReport => "信息公开年报",
            ColumnType::OnApplication => "依法申请公开",
            ColumnType::PolicyDocument => "政策文件",
            ColumnType::PolicyReading => "政策解读",
            ColumnType::Plan => "规划计划",
            ColumnType::Personnel => "人事信息",
            ColumnType::Finance => "财政信息",
            ColumnType::Statistics => "统计信息",
        }
    }

    /// A category's `column_type` as written in a directory: one of the labels.
    pub fn parse(s: &str) -> Option<ColumnType> {
        ColumnType::ALL.into_iter().find(|c| c.label() == s.trim())
    }
}

/// A node of the disclosure directory (政府信息公开目录).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// 公开时限
    pub deadline: Option<String>,
    /// 责任部门
    pub department: Option<String>,
    /// 公开依据
    pub basis: Option<String>,
    /// 公开渠道
    pub channel: Option<String>,
    /// 栏目类型 of the category's pages when the directory names one; otherwise it
    /// is derived from the name (see [`crate::render::meta`]).
    pub column_type: Option<ColumnType>,
    /// The line of its `code` in the directory version that defines it.
    pub line: usize,
    /// How many days may pass without a new document (`stale-category`); the site's
    /// `[check] update_every` gives defaults.
    pub update_every: Option<u32>,
    /// Why the category has no documents (e.g. 本机关无行政处罚事项): shown on its page
    /// instead of 本栏目暂无信息, and `check` does not report it as empty.
    pub empty_reason: Option<String>,
    /// Its documents are 行政规范性文件: they need a `reg_no` and a 解读.
    pub normative: bool,
    /// The class number `{category}` stands for in an `index_pattern`.
    pub class_code: Option<String>,
    pub children: Vec<Category>,
}

impl Category {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
}

/// One version of a versioned page: a guide (指南) or a directory (目录).
#[derive(Debug, Clone)]
pub struct VersionPage {
    pub source: PathBuf,
    pub title: String,
    /// Version label, used in its URL (`guide/<version>/`).
    pub version: String,
    /// Line of `version` in the file.
    pub version_line: usize,
    pub effective: NaiveDate,
    pub summary: Option<String>,
    /// The category tree; empty for a guide.
    pub categories: Vec<Category>,
    pub body: String,
    /// Line of the body's first line in the file.
    pub body_line: usize,
}

/// All versions of one versioned page, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Versions {
    pub pages: Vec<VersionPage>,
    /// Index of the current version: the latest one already in effect.
    pub current: usize,
}

impl Versions {
    pub fn new(pages: Vec<VersionPage>, today: NaiveDate) -> Versions {
        let mut versions = Versions { pages, current: 0 };
        versions.refresh(today);
        versions
    }

    /// Puts the versions in order again after one was added, changed or removed.
    pub fn refresh(&mut self, today: NaiveDate) {
        self.pages.sort_by(|a, b| (a.effective, &a.version).cmp(&(b.effective, &b.version)));
        self.current = self.pages.iter().rposition(|p| p.effective <= today).unwrap_or(0);
    }

    pub fn current(&self) -> Option<&VersionPage> {
        self.pages.get(self.current)
    }
}

/// The 依申请公开 page (`content/apply.md`): how, where and when to apply for
/// information the body has not published (条例 第二十七至二十九条).
#[derive(Debug, Clone)]
pub struct ApplyPage {
    pub source: PathBuf,
    pub title: String,
    /// 申请表: paths under `content/` (`files/ysqgk/申请表.docx`).
    pub forms: Vec<String>,
    /// One line per entry of `forms`.
    pub form_lines: Vec<usize>,
    /// Where to send a written application (信函申请).
    pub postal: Option<PostalAddress>,
    /// Where to apply in person (当面申请).
    pub address: Option<String>,
    pub office_hours: Option<String>,
    pub phone: Option<String>,
    /// An external online application system: an http(s) address.
    pub online_url: Option<String>,
    /// How to apply, fees, …
    pub body: String,
    /// Line of the body's first line in the file.
    pub body_line: usize,
}

/// 邮寄地址 of applications.
#[derive(Debug, Clone)]
pub struct PostalAddress {
    pub address: String,
    pub recipient: Option<String>,
    /// 邮政编码: six digits.
    pub postcode: Option<String>,
}

/// Where a category sits in the current directory.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    pub name: String,
    /// Codes from the root down to this category, itself included.
    pub path: Vec<String>,
    pub is_leaf: bool,
    /// The category's own `column_type`, when the directory names one.
    pub column_type: Option<ColumnType>,
}

/// Which body a document or page belongs to: its index in [`Site::bodies`]. The
/// platform's owner is always [`BodyId::OWNER`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct BodyId(pub usize);

impl BodyId {
    /// The body the site itself is (本级): on a single body's site, the only one.
    pub const OWNER: BodyId = BodyId(0);
}

/// What kind of body publishes a section: the platform's owner, or one of the
/// departments (部门) and towns (乡镇) it hosts. Listings order them so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyKind {
    Owner,
    Department,
    Town,
}

impl BodyKind {
    /// How the department index heads a group of this kind.
    pub fn label(self) -> &'static str {
        match self {
            BodyKind::Owner => "本级",
            BodyKind::Department => "部门",
            BodyKind::Town => "乡镇",
        }
    }

    /// The name the search index gives the kind (docs/search.md).
    pub fn key(self) -> &'static str {
        match self {
            BodyKind::Owner => "owner",
            BodyKind::Department => "department",
            BodyKind::Town => "town",
        }
    }

    /// A department.toml's `kind`.
    pub fn parse(s: &str) -> Option<BodyKind> {
        match s.trim() {
            "部门" => Some(BodyKind::Department),
            "乡镇" | "街道" => Some(BodyKind::Town),
            _ => None,
        }
    }
}

/// A body under the 条例 that publishes its own section: its 指南, 目录, 依申请公开
/// page, documents, plans and reports. A single body's site is a platform with the
/// owner alone.
#[derive(Debug, Clone)]
pub struct Body {
    pub kind: BodyKind,
    /// Its URL name under `departments_path`; none for the owner.
    pub code: Option<String>,
    pub name: String,
    /// Where its files are, relative to the site root: `content` for the owner.
    pub folder: PathBuf,
    /// Where its section lies in the output, without base_url: empty for the owner.
    pub prefix: String,
    pub guide: Versions,
    /// Its own directory versions; see [`Site::directory_of`].
    pub directory: Versions,
    /// The 依申请公开 page, when its `apply.md` exists.
    pub apply: Option<ApplyPage>,
    /// Categories of its current directory by code.
    pub categories: HashMap<String, CategoryInfo>,
    /// Its documents (indices into [`Site::documents`]), newest first.
    pub(super) documents: Vec<usize>,
    /// For each category of its current directory, its documents and those of the
    /// categories below it (indices into `documents`, newest first).
    pub(super) by_category: HashMap<String, Vec<usize>>,
    /// Number of its documents filed under each code exactly.
    pub(super) per_code: HashMap<String, usize>,
    /// The day of the next year by which its annual report is due, as (month, day).
    pub(super) report_due: crate::config::MonthDay,
    /// Its department.toml's `[empty_reason]`: why it has nothing in a category.
    pub empty_reasons: Vec<crate::load::department::EmptyReason>,
    /// How it numbers its documents, for `index-pattern`.
    pub numbering: Numbering,
}

/// The 索引号 form a body follows: its org code and the `index_pattern` of its
/// department.toml, or else of site.toml, named in `setting`.
#[derive(Debug, Clone)]
pub struct Numbering {
    pub org_code: String,
    pub pattern: crate::new::IndexPattern,
    /// The file that sets the pattern (`content/site.toml`).
    pub setting: PathBuf,
}

impl Body {
    /// The owner's section, at the root of the output.
    pub fn owner(config: &SiteConfig) -> Body {
        let numbering = Numbering { org_code: config.org_code.clone(), pattern: config.index_pattern.clone(), setting: "content/site.toml".into() };
        let mut body = Body::new(BodyKind::Owner, None, config.organization.clone(), "content".into(), String::new(), numbering);
        body.report_due = config.report_deadlines.owner;
        body
    }

    /// A department's section, below `<departments_path>/<code>/`.
    pub fn department(info: &crate::load::department::DepartmentInfo, config: &SiteConfig) -> Body {
        let folder = PathBuf::from("content/departments").join(&info.code);
        let prefix = format!("{}/{}/", config.departments_path, info.code);
        let numbering = match &info.index_pattern {
            Some(own) => Numbering { org_code: info.org_code.clone(), pattern: own.clone(), setting: folder.join("department.toml") },
            None => Numbering { org_code: info.org_code.clone(), pattern: config.index_pattern.clone(), setting: "content/site.toml".into() },
        };
        let mut body = Body::new(info.kind, Some(info.code.clone()), info.name.clone(), folder, prefix, numbering);
        body.report_due = config.report_deadlines.department;
        body.empty_reasons = info.empty_reasons.clone();
        body
    }

    fn new(kind: BodyKind, code: Option<String>, name: String, folder: PathBuf, prefix: String, numbering: Numbering) -> Body {
        Body {
            kind,
            code,
            name,
            folder,
            prefix,
            guide: Versions::default(),
            directory: Versions::default(),
            apply: None,
            categories: HashMap::new(),
            documents: Vec::new(),
            by_category: HashMap::new(),
            per_code: HashMap::new(),
            report_due: crate::config::ReportDeadlines::default().owner,
            numbering,
            empty_reasons: Vec::new(),
        }
    }

    /// Why it has no information in `category`, shown on that category's page: its own
    /// department.toml's `[empty_reason]` for the code, or else the directory's.
    pub fn empty_reason<'a>(&'a self, category: &'a Category) -> Option<&'a str> {
        self.empty_reasons
            .iter()
            .find(|r| r.code == category.code)
            .map(|r| r.reason.as_str())
            .or(category.empty_reason.as_deref())
    }

    /// The last day of the year after `year` by which its annual report for `year` is
    /// due (条例 第四十九条): 1月31日 for departments and towns, 3月31日 for the
    /// government that owns the platform, unless site.toml's `[check]` sets other days.
    pub fn report_deadline(&self, year: i32) -> NaiveDate {
        let (month, day) = self.report_due;
        NaiveDate::from_ymd_opt(year + 1, month, day).unwrap_or(NaiveDate::MAX)
    }

    /// The path relative to `content/` of a file its front matter names as
    /// `files/…`: each body's attachments are in its own folder.
    pub fn content_path(&self, path: &str) -> String {
        match &self.code {
            Some(code) => format!("departments/{code}/{path}"),
            None => path.to_string(),
        }
    }

    /// Indices of its documents, newest first.
    pub fn documents(&self) -> &[usize] {
        &self.documents
    }

    /// Indices of its documents in `code` or any category below it, newest first.
    pub fn documents_in(&self, code: &str) -> &[usize] {
        self.by_category.get(code).map(Vec::as_slice).unwrap_or_default()
    }

    /// Number of its documents filed under `category` or any code in its subtree (a
    /// tree of any directory version, not only the current one).
    pub fn count_in(&self, category: &Category) -> usize {
        self.per_code.get(&category.code).copied().unwrap_or(0)
            + category.children.iter().map(|c| self.count_in(c)).sum::<usize>()
    }

    /// The output path `path` (`guide/`) within its section (`bm/jyj/guide/`).
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }
}

