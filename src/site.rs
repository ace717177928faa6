/*!
The in-memory site: every parsed, validated file of `content/`, held between builds.

Later stages (render, index, the dev server) read these typed values and never
re-check strings: a [`Document`]'s date is a date, its validity an enum, its category
a code that exists in the current directory.
*/

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::SiteConfig;

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
    documents: Vec<usize>,
    /// For each category of its current directory, its documents and those of the
    /// categories below it (indices into `documents`, newest first).
    by_category: HashMap<String, Vec<usize>>,
    /// Number of its documents filed under each code exactly.
    per_code: HashMap<String, usize>,
    /// The day of the next year by which its annual report is due, as (month, day).
    report_due: crate::config::MonthDay,
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
