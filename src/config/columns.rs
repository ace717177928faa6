/*!
The items of the 政府信息公开 column as the navigation and the home page present them
(国办公开办函〔2019〕61号): `[columns]` in site.toml renames an item or leaves it out,
and names the directory category that holds the body's rules (政府信息公开制度).

```toml
[columns]
guide = "信息公开指南"    # rename an item
plans = false             # leave it out (a required item left out gets a warning)
rules_category = "gkzd"   # the category shown as 政府信息公开制度
```
*/

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Code, Diagnostics};

/// An item of the column, besides 首页.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// 政府信息公开指南: `guide/`
    Guide,
    /// 政府信息公开制度: the listing of the category that holds the body's rules
    Rules,
    /// 法定主动公开内容: the catalogue by directory category, `catalogue/`
    Catalogue,
    /// 政府信息公开年报: `reports/`
    Reports,
    /// 政府信息公开目录: `directory/`
    Directory,
    /// 依申请公开: `ysqgk/`
    Apply,
    /// 工作要点: `plans/`
    Plans,
}

impl Column {
    /// In the order the navigation shows them (and the order of the variants): the
    /// six items every 政府信息公开 column carries, in the rules' order, then the yearly
    /// work plans, which are this site's own.
    pub const ALL: [Column; 7] =
        [Column::Guide, Column::Rules, Column::Catalogue, Column::Reports, Column::Directory, Column::Apply, Column::Plans];

    /// Its key under `[columns]`.
    pub fn key(self) -> &'static str {
        match self {
            Column::Guide => "guide",
            Column::Rules => "rules",
            Column::Catalogue => "catalogue",
            Column::Reports => "reports",
            Column::Directory => "directory",
            Column::Apply => "apply",
            Column::Plans => "plans",
        }
    }

    /// The label the rules give it.
    pub fn default_label(self) -> &'static str {
        match self {
            Column::Guide => "政府信息公开指南",
            Column::Rules => "政府信息公开制度",
            Column::Catalogue => "法定主动公开内容",
            Column::Reports => "政府信息公开年报",
            Column::Directory => "政府信息公开目录",
            Column::Apply => "依申请公开",
            Column::Plans => "工作要点",
        }
    }

    /// Whether every 政府信息公开 column must carry it.
    pub fn required(self) -> bool {
        self != Column::Plans
    }
}

/// `[columns]` as written; every item is a name, `true` (the default name) or `false`.
#[derive(Deserialize)]
pub(super) struct RawColumns {
    guide: Option<Spanned<toml::Value>>,
    rules: Option<Spanned<toml::Value>>,
    catalogue: Option<Spanned<toml::Value>>,
    reports: Option<Spanned<toml::Value>>,
    directory: Option<Spanned<toml::Value>>,
    apply: Option<Spanned<toml::Value>>,
    plans: Option<Spanned<toml::Value>>,
    rules_category: Option<Spanned<String>>,
}

/// The keys of `[columns]`, for "did you mean".
pub(super) const KEYS: [&str; 9] = [
    "columns.guide", "columns.rules", "columns.catalogue", "columns.reports", "columns.directory", "columns.apply",
    "columns.plans", "columns.rules_category", "columns",
];

/// How a site presents the column's items.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The label of each item of [`Column::ALL`], in that order; `None` for an item
    /// the site leaves out of the navigation and the home page.
    labels: [Option<String>; 7],
    /// Code of the category that holds the rules, when site.toml names one (checked
    /// against the current directory by [`crate::validate`]).
    pub rules_category: Option<String>,
    /// Line of `rules_category` in site.toml.
    pub rules_category_line: Option<usize>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns { labels: Column::ALL.map(|c| Some(c.default_label().to_string())), rules_category: None, rules_category_line: None }
    }
}

impl Columns {
    /// Types `[columns]`; `line_of` gives the line of a byte offset of site.toml.
    pub(super) fn parse(raw: Option<RawColumns>, rel: &Path, line_of: &dyn Fn(usize) -> usize, diags: &mut Diagnostics) -> Columns {
        let mut columns = Columns::default();
        let Some(raw) = raw else { return columns };
        let items = [raw.guide, raw.rules, raw.catalogue, raw.reports, raw.directory, raw.apply, raw.plans];
        for (column, value) in Column::ALL.into_iter().zip(items) {
            let Some(value) = value else { continue };
            let line = Some(line_of(value.span().start));
            let key = column.key();
            let label = &mut columns.labels[column as usize];
            match value.into_inner() {
                toml::Value::String(s) if !s.trim().is_empty() => *label = Some(s.trim().to_string()),
                toml::Value::Boolean(true) => {}
                toml::Value::Boolean(false) => {
                    *label = None;
                    if column.required() {
                        diags.warning(
                            Code::Settings,rel,
                            line,
                            format!(
                                "`columns.{key} = false` leaves {} out of the navigation and the home page, but every \
                                 政府信息公开 column must carry it (国办公开办函〔2019〕61号): delete the line, or rename the item \
                                 ({key} = \"…\")",
                                column.default_label()
                            ),
                        );
                    }
                }
                other => diags.error(
                    Code::Settings,rel,
                    line,
                    format!(
                        "`columns.{key}` should be the item's name in quotes (e.g. {key} = \"{}\") or false to leave it out, not {other}",
                        column.default_label()
                    ),
                ),
            }
        }
        if let Some(code) = raw.rules_category {
            let line = line_of(code.span().start);
            match code.into_inner().trim() {
                "" => diags.error(Code::Settings, rel, Some(line), "`columns.rules_category` is empty: write the code of the category that holds the rules (e.g. rules_category = \"gkzd\")"),
                code => {
                    columns.rules_category = Some(code.to_string());
                    columns.rules_category_line = Some(line);
                }
            }
        }
        columns
    }

    /// The item's label in the navigation, or `None` when the site leaves it out.
    pub fn shown(&self, column: Column) -> Option<&str> {
        self.labels[column as usize].as_deref()
    }

    /// The item's label, also when it is left out of the navigation (the site map
    /// still lists it).
    pub fn name(&self, column: Column) -> &str {
        self.shown(column).unwrap_or(column.default_label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_the_order_of_the_variants() {
        for (i, c) in Column::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i, "{c:?}");
        }
    }
}
