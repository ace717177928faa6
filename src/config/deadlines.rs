/*!
The deadlines of the annual reports (条例 第四十九条), which `[check]` in site.toml may
move: the government that owns the platform publishes its report for a year by 3月31日
of the next year, its departments and towns by 1月31日. A province or city that sets
other days for its bodies writes them as month and day:

```toml
[check]
report_deadline = "03-31"             # the owner's, of the year after the report's
department_report_deadline = "01-31"  # the departments' and towns'
```
*/

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Code, Diagnostics};

/// A day of the year after a report's year, as (month, day).
pub type MonthDay = (u32, u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDeadlines {
    /// The platform's owner (本级政府): 3月31日 unless `report_deadline` says otherwise.
    pub owner: MonthDay,
    /// Departments and towns: 1月31日 unless `department_report_deadline` says otherwise.
    pub department: MonthDay,
}

impl Default for ReportDeadlines {
    fn default() -> Self {
        ReportDeadlines { owner: (3, 31), department: (1, 31) }
    }
}

pub const KEYS: [&str; 2] = ["check.report_deadline", "check.department_report_deadline"];

impl ReportDeadlines {
    /// The deadlines from `[check]`; a value that is not a day is reported at its line
    /// (`line_of_key` finds it) and the rules' day is kept.
    pub fn parse(
        owner: Option<String>,
        department: Option<String>,
        rel: &Path,
        line_of_key: &dyn Fn(&str) -> Option<usize>,
        diags: &mut Diagnostics,
    ) -> ReportDeadlines {
        let mut out = ReportDeadlines::default();
        for (value, key, slot) in [(owner, "report_deadline", &mut out.owner), (department, "department_report_deadline", &mut out.department)] {
            let Some(value) = value else { continue };
            match parse_month_day(&value) {
                Some(day) => *slot = day,
                None => diags.error(
                    Code::Settings,
                    rel,
                    line_of_key(key),
                    format!(
                        "check.{key} \"{value}\" is not a day of the year: write month and day as \"MM-DD\", such as \"{}\" \
                         (the report for a year is due by that day of the next year)",
                        if key == "report_deadline" { "03-31" } else { "01-31" }
                    ),
                ),
            }
        }
        out
    }
}

/// `"03-31"` as (3, 31): a day that every year has (so not 02-29).
pub fn parse_month_day(s: &str) -> Option<MonthDay> {
    let (m, d) = s.trim().split_once('-')?;
    let digits = |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(m) || !digits(d) {
        return None;
    }
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    // 2001 is not a leap year: 02-29 is refused, as it would not exist most years.
    NaiveDate::from_ymd_opt(2001, m, d).map(|_| (m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_is_month_and_day_that_every_year_has() {
        assert_eq!(parse_month_day("03-31"), Some((3, 31)));
        assert_eq!(parse_month_day("1-5"), Some((1, 5)));
        for bad in ["02-29", "13-01", "04-31", "0331", "03/31", "2024-03-31", "", "-03-31", "03-3a"] {
            assert_eq!(parse_month_day(bad), None, "{bad:?}");
        }
    }
}
