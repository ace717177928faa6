/*!
`[check]` in site.toml: what `gongkai check` measures the site against. `update_every`
gives, per directory category, how many days may pass without a new document before the
category is reported as not kept up to date (`stale-category`), in the spirit of the
periods the inspectors' robots use (365 days for 规划计划 and 政策文件, 90 for most). A
category's own `update_every` in the directory wins over these.

```toml
[check]
update_every = { gzjh = 365, gfxwj = 365, xzcf = 90 }
```
*/

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Code, Diagnostics};

/// `[check]` as written.
#[derive(Deserialize)]
pub(super) struct RawCheck {
    update_every: Option<BTreeMap<String, Spanned<i64>>>,
}

/// The keys of `[check]`, for "did you mean".
pub(super) const KEYS: [&str; 2] = ["check", "check.update_every"];

/// One default of `[check] update_every`: a category code, its days and the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateEvery {
    pub code: String,
    pub days: u32,
    /// Line of the entry in site.toml (checked against the directories by [`crate::validate`]).
    pub line: usize,
}

/// The site's `[check]` settings.
#[derive(Debug, Clone, Default)]
pub struct Check {
    /// `update_every` defaults by category code, in the order of the codes.
    pub update_every: Vec<UpdateEvery>,
}

impl Check {
    /// Types `[check]`; `line_of` gives the line of a byte offset of site.toml.
    pub(super) fn parse(raw: Option<RawCheck>, rel: &Path, line_of: &dyn Fn(usize) -> usize, diags: &mut Diagnostics) -> Check {
        let mut check = Check::default();
        for (code, days) in raw.and_then(|r| r.update_every).unwrap_or_default() {
            let line = line_of(days.span().start);
            match u32::try_from(*days.get_ref()) {
                Ok(d) if d > 0 => check.update_every.push(UpdateEvery { code: code.trim().to_string(), days: d, line }),
                _ => diags.error(
                    Code::Settings,
                    rel,
                    Some(line),
                    format!("`check.update_every` of \"{code}\" = {} must be a number of days of at least 1 (e.g. {code} = 90)", days.get_ref()),
                ),
            }
        }
        check
    }

    /// The site's default for the category `code`.
    pub fn update_every(&self, code: &str) -> Option<u32> {
        self.update_every.iter().find(|u| u.code == code).map(|u| u.days)
    }
}
