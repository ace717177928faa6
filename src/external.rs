/*!
Links to other sites (`gongkai check --external`).

An inspector clicks the links of a government site, and one that leads nowhere is a
deduction (broken links, compliance §1). This module finds every `http://` and
`https://` address the content writes — links and images in the Markdown of documents,
versioned pages and the 依申请公开 page, `online_url` of apply.md, `conac_url` and
`error_report_url` in `[identity]` — and asks each address once, however many pages
use it: `HEAD` first, then `GET` when the server refuses `HEAD` (many answer 405, 501,
or even 403 or 404 to `HEAD` alone), following a few redirects, a few at a time, each
within a timeout. An address that does not answer is an `external-link` warning at
every file and line that writes it.

It is opt-in: a check must not depend on the network unless asked to.
*/

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::error::{Code, Diagnostics};
use crate::render::markdown;
use crate::site::Site;

/// How to ask the other sites.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// How long one address may take to answer, redirects included.
    pub timeout: Duration,
    /// How many addresses are asked at once.
    pub concurrency: usize,
    /// How many redirects are followed before giving up.
    pub max_redirects: u32,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions { timeout: Duration::from_secs(10), concurrency: 4, max_redirects: 5 }
    }
}

/// Where an address is written: a file relative to the site root, and the line.
pub type Uses = Vec<(PathBuf, Option<usize>)>;

/// Every external address of the site (without its `#fragment`), with the places that
/// write it, in address order.
pub fn collect(site: &Site) -> BTreeMap<String, Uses> {
    let mut found: BTreeMap<String, Uses> = BTreeMap::new();
    let mut add = |dest: &str, file: &Path, line: Option<usize>| {
        if let Some(url) = external_address(dest) {
            let uses = found.entry(url).or_default();
            if !uses.iter().any(|(f, l)| f == file && *l == line) {
                uses.push((file.to_path_buf(), line));
            }
        }
    };
    let mut bodies: Vec<(&Path, &str, usize)> = site.documents.iter().map(|d| (d.source.as_path(), d.body.as_str(), d.lines.body)).collect();
    for (_, body) in site.body_ids() {
        for versions in [&body.guide, &body.directory] {
            bodies.extend(versions.pages.iter().map(|v| (v.source.as_path(), v.body.as_str(), v.body_line)));
        }
        bodies.extend(body.apply.iter().map(|a| (a.source.as_path(), a.body.as_str(), a.body_line)));
    }
    for (source, body, first_line) in bodies {
        for (dest, offset) in markdown::link_targets(body) {
            add(&dest, source, Some(first_line + body[..offset].matches('\n').count()));
        }
    }
    for (_, body) in site.body_ids() {
        if let Some((apply, url)) = body.apply.as_ref().and_then(|a| Some((a, a.online_url.as_ref()?))) {
            add(url, &apply.source, line_of_key(&site.root, &apply.source, "online_url"));
        }
    }
    let config = Path::new("content/site.toml");
    let identity = &site.config.identity;
    for (key, url) in [("conac_url", &identity.conac_url), ("error_report_url", &identity.error_report_url)] {
        if let Some(url) = url {
            add(url, config, line_of_key(&site.root, config, key));
        }
    }
    found
}

/// `dest` as it is requested, when it is an address on another site.
fn external_address(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let scheme = dest.split_once("://")?.0;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    Some(dest.split('#').next().unwrap_or(dest).to_string())
}

/// The line of `file` where `key = …` is written (front matter or site.toml), also as a
/// dotted key (`identity.conac_url = …`).
fn line_of_key(root: &Path, file: &Path, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let dotted = format!(".{key}");
    text.lines()
        .position(|l| l.split_once('=').is_some_and(|(name, _)| name.trim() == key || name.trim().ends_with(&dotted)))
        .map(|i| i + 1)
}

/// Asks every external address of the site and warns, at each place that writes it,
/// about those that do not answer.
pub fn check(site: &Site, options: &ExternalOptions, diags: &mut Diagnostics) {
    let found = collect(site);
    let urls: Vec<&String> = found.keys().collect();
    let problems = probe_all(&urls, options);
    for (url, problem) in urls.iter().zip(problems) {
        let Some(problem) = problem else { continue };
        for (file, line) in &found[url.as_str()] {
            diags.warning(Code::ExternalLink, file, *line, format!("external link \"{url}\" {problem}"));
        }
    }
}

/// What is wrong with each address (`None`: it answers), asking `concurrency` at a time.
pub fn probe_all(urls: &[&String], options: &ExternalOptions) -> Vec<Option<String>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(options.max_redirects)
        .user_agent(concat!("gongkai-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let results: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; urls.len()]);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let problem = probe(&agent, url, options.timeout);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = problem;
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// `HEAD`, then `GET` when `HEAD` gets an error status: some servers refuse `HEAD`
/// alone. Only the status is read, never the body.
fn probe(agent: &ureq::Agent, url: &str, timeout: Duration) -> Option<String> {
    let status = match agent.head(url).call() {
        Ok(response) if response.status().as_u16() < 400 => return None,
        Ok(_) => match agent.get(url).call() {
            Ok(response) => response.status(),
            Err(e) => return Some(failure(&e, timeout)),
        },
        Err(e) => return Some(failure(&e, timeout)),
    };
    if status.as_u16() < 400 {
        return None;
    }
    let reason = status.canonical_reason().map(|r| format!(" {r}")).unwrap_or_default();
    let fix = if status.as_u16() >= 500 {
        "the other site has an error; try again later, and if it lasts, link another page or remove the link"
    } else {
        "the page has moved or is gone: write its new address, or remove the link"
    };
    Some(format!("answers {}{reason}: {fix}", status.as_u16()))
}

fn failure(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "did not answer within {} s: check the address in a browser; if the site is only slow, run again with a longer --external-timeout",
            timeout.as_secs_f64()
        ),
        ureq::Error::HostNotFound => "cannot be reached: its host name is not found; check the address".to_string(),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "redirects too often or to nowhere: open it in a browser and write the address it ends at".to_string()
        }
        ureq::Error::BadUri(_) => "is not a valid address: correct it".to_string(),
        other => format!("cannot be reached ({other}): check the address in a browser, correct it or remove the link"),
    }
}

#[cfg(test)]
mod tests {
    use super::{external_address, line_of_key};
    use std::path::Path;

    #[test]
    fn a_front_matter_or_settings_key_is_found_plain_or_dotted() {
        let dir = tempfile::tempdir().unwrap();
        let toml = "title = \"a=b\"\nidentity.conac_url = \"https://a.cn/\"\n[identity]\nerror_report_url=\"https://b.cn/\"\n";
        std::fs::write(dir.path().join("site.toml"), toml).unwrap();
        let file = Path::new("site.toml");
        assert_eq!(line_of_key(dir.path(), file, "conac_url"), Some(2));
        assert_eq!(line_of_key(dir.path(), file, "error_report_url"), Some(4));
        assert_eq!(line_of_key(dir.path(), file, "online_url"), None);
    }

    #[test]
    fn only_http_and_https_addresses_are_external_and_their_fragment_is_not_requested() {
        assert_eq!(external_address("https://www.gov.cn/a#b").as_deref(), Some("https://www.gov.cn/a"));
        assert_eq!(external_address("HTTP://www.gov.cn/").as_deref(), Some("HTTP://www.gov.cn/"));
        for other in ["/docs/a/", "mailto:a@b.cn", "tel:123", "index:1-/2023", "ftp://a.cn/", "#top", "files/a.pdf"] {
            assert_eq!(external_address(other), None, "{other}");
        }
    }
}
