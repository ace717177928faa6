//! `gongkai check` as the inspector: the HTML 体检报告 (`--format html --output`) and
//! the external links (`--external`), asked of a local server only.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::util::*;

const TODAY: &str = "2025-06-01";

/// The platform of the department tests, with findings under several headings: a
/// dead internal link (链接, an error) at the owner, a department without a guide
/// (其他), and the annual reports missing since 2021 (年度报告).
fn platform_with_findings() -> TestSite {
    let site = crate::departments::platform();
    site.edit("content/docs/policy.md", "# 总则\n", "# 总则\n\n见[旧页面](/no-such-page/)。\n");
    site.write("content/departments/wsj/department.toml", "name = \"测试县卫生健康局\"\norg_code = \"44444444-4\"\norder = 3\n");
    site
}

fn report_of(site: &TestSite, args: &[&str]) -> (std::process::Output, String) {
    let mut all = vec!["check", "--format", "html", "--output", "report.html", "--today", TODAY];
    all.extend_from_slice(args);
    let out = site.cli(&all);
    let report = std::fs::read_to_string(site.root().join("report.html")).unwrap_or_else(|e| panic!("no report: {e}\n{}", stderr(&out)));
    (out, report)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The texts of `selector` inside the section headed by the h2 with id `section`.
fn in_section(doc: &scraper::Html, section: &str, selector: &str) -> Vec<String> {
    select_texts(doc, &format!("section[aria-labelledby=\"{section}\"] {selector}"))
}

#[test]
fn the_report_puts_veto_items_first_then_reports_documents_links_and_other_each_by_body_owner_first() {
    let site = platform_with_findings();
    let (out, report) = report_of(&site, &[]);
    // Errors in the content: the report is written, and the exit code says so.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("体检报告 written to report.html"), "{}", stderr(&out));
    let doc = html(&report);
    assert_eq!(select_texts(&doc, "h1"), ["测试市生态环境局政府信息公开体检报告"]);
    assert_eq!(select_texts(&doc, "h2"), ["概况", "单项否决", "年度报告", "文件", "链接", "其他"]);
    assert!(select_texts(&doc, "p.meta").iter().any(|p| p.contains("2025年6月1日")), "{report}");
    assert!(select_texts(&doc, "p.conclusion").iter().any(|p| p.contains("1 处错误")), "{report}");

    // The veto items, each against its threshold: nothing new on the home page for months
    // reaches its own; four empty columns stay under the five of 空白栏目.
    let vetoes = in_section(&doc, "veto", "tbody th");
    assert_eq!(vetoes, ["首页不更新", "栏目不更新", "长期未更新", "空白栏目"]);
    let rows = in_section(&doc, "veto", "tbody tr");
    assert!(rows[0].contains("已达到"), "{rows:?}");
    assert!(rows[1].contains("0 个栏目（标准 5）") && rows[2].contains("（标准 10）") && rows[3].contains("4 个栏目（标准 5）"), "{rows:?}");
    assert!(rows[1..4].iter().all(|r| r.contains("未达到")), "{rows:?}");

    // 年度报告: the owner first, then the departments in the platform's order, by name.
    assert_eq!(in_section(&doc, "reports", "h3"), ["本级（测试市生态环境局）", "测试镇人民政府", "测试县教育局", "测试县卫生健康局"]);
    let reports = in_section(&doc, "reports", "td").join("\n");
    assert!(reports.contains("content/departments/town-a/department.toml") && reports.contains("has no 2024 annual report"), "{reports}");

    // 文件: nothing found is said so.
    assert_eq!(in_section(&doc, "documents", "p"), ["未发现问题。"]);

    // 链接: the owner's dead link; 其他: the department without a guide.
    assert_eq!(in_section(&doc, "links", "h3"), ["本级（测试市生态环境局）"]);
    assert!(in_section(&doc, "links", "p")[0].contains("本次未访问（运行 gongkai check --external 可一并检查）"), "{report}");
    let line = line_of(&site, "content/docs/policy.md", "/no-such-page/");
    assert!(in_section(&doc, "links", "td").iter().any(|t| t == &format!("content/docs/policy.md 第 {line} 行")), "{report}");
    let other = in_section(&doc, "other", "tbody tr").join("\n");
    assert!(other.contains("测试县卫生健康局 has no 政府信息公开指南") && other.contains("警告"), "{other}");

    // The summary counts each heading and each body.
    let summary = in_section(&doc, "summary", "tfoot tr");
    assert!(summary[0].contains("合计"), "{summary:?}");
    let bodies = in_section(&doc, "summary", "caption");
    assert_eq!(bodies, ["各类问题数量", "各单位问题数量"]);
}

#[test]
fn the_report_is_valid_html5() {
    let site = platform_with_findings();
    let (_, report) = report_of(&site, &[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.html"), report).unwrap();
    crate::html5::validate(dir.path());
}

#[test]
fn a_site_whose_content_does_not_load_still_gets_its_report_listing_the_errors_by_department_name() {
    // A `related` naming no document stops the load: the site cannot be built.
    let site = crate::departments::platform();
    site.edit("content/departments/jyj/docs/2023/notice.md", "date = 2023-04-01\n", "date = 2023-04-01\nrelated = [\"22222222-2-/2023-9999999\"]\n");
    let (out, report) = report_of(&site, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = html(&report);
    assert!(select_texts(&doc, "p.conclusion")[0].contains("有 1 处错误，目前无法生成网站"), "{report}");
    // 文件: the wrong `related` at the education bureau, named as on the site, with its file, line and fix.
    assert_eq!(in_section(&doc, "links", "p")[0], "内容有错误，链接尚未检查：改正上述错误后再运行检查。");
    assert_eq!(in_section(&doc, "documents", "h3"), ["测试县教育局"]);
    let line = line_of(&site, "content/departments/jyj/docs/2023/notice.md", "related =");
    let documents = in_section(&doc, "documents", "tbody tr");
    assert!(documents[0].contains(&format!("content/departments/jyj/docs/2023/notice.md 第 {line} 行")), "{documents:?}");
    assert!(documents[0].contains("is not the index_no of any document") && documents[0].contains("错误"), "{documents:?}");
}

#[test]
fn a_report_with_warnings_only_exits_0_and_html_without_output_is_a_usage_error() {
    let site = crate::departments::platform();
    let (out, report) = report_of(&site, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(html(&report).root_element().text().collect::<String>().contains("没有错误"), "{report}");
    let out = site.cli(&["check", "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
    let out = site.cli(&["check", "--output", "x.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only for --format html"), "{}", stderr(&out));
    assert!(!site.root().join("x.html").exists());
}

fn line_of(site: &TestSite, rel: &str, needle: &str) -> usize {
    site.read_source(rel).lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {rel}")) + 1
}

/// A local web server answering by path: `/ok` 200, `/gone` 404, `/no-head` 405 to
/// HEAD and 200 to GET, `/moved` a redirect to `/target` (200), `/slow` after 3 s.
/// It counts the requests by method and path.
struct Server {
    base: String,
    requests: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counts = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let counts = Arc::clone(&counts);
                std::thread::spawn(move || {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head);
                    let mut first = head.lines().next().unwrap_or("").split(' ');
                    let (method, path) = (first.next().unwrap_or("").to_string(), first.next().unwrap_or("").to_string());
                    *counts.lock().unwrap().entry(format!("{method} {path}")).or_default() += 1;
                    let status = match (method.as_str(), path.as_str()) {
                        (_, "/ok" | "/target") => "200 OK",
                        ("HEAD", "/no-head") => "405 Method Not Allowed",
                        (_, "/no-head") => "200 OK",
                        (_, "/moved") => "301 Moved Permanently\r\nLocation: /target",
                        (_, "/slow") => {
                            std::thread::sleep(Duration::from_secs(3));
                            "200 OK"
                        }
                        _ => "404 Not Found",
                    };
                    let body = if method == "HEAD" { "" } else { "ok" };
                    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{body}");
                });
            }
        });
        Server { base, requests }
    }

    fn count(&self, request: &str) -> usize {
        self.requests.lock().unwrap().get(request).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.requests.lock().unwrap().values().sum()
    }
}

/// The basic fixture linking the server's paths: `/ok` from four places (two documents,
/// apply.md's online_url and the identity's conac_url), `/gone` from three (two documents
/// and error_report_url).
fn site_linking(server: &Server) -> TestSite {
    let site = TestSite::basic();
    let b = &server.base;
    site.edit(
        "content/docs/policy.md",
        "# 总则\n",
        &format!("# 总则\n\n参见[部网站]({b}/ok#part)和<{b}/gone>。\n\n[旧系统]({b}/no-head) [迁移]({b}/moved) [慢]({b}/slow)\n"),
    );
    site.edit("content/docs/2023/reading.md", "详见", &format!("另见[部网站]({b}/ok)、[旧文]({b}/gone)。详见"));
    site.edit("content/site.toml", "identity.phone", &format!("identity.conac_url = \"{b}/ok\"\nidentity.error_report_url = \"{b}/gone\"\nidentity.phone"));
    site.edit("content/apply.md", "online_url = \"https://www.example.gov.cn/ysqgk/\"", &format!("online_url = \"{b}/ok\""));
    site
}

/// `gongkai check` with `args` in the site, with no proxy from the environment (the
/// server is on this machine).
fn check_without_proxy(site: &TestSite, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.arg("check").args(args).current_dir(site.root());
    for var in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
        cmd.env_remove(var);
    }
    cmd.output().expect("run gongkai")
}

#[test]
fn external_links_that_do_not_answer_are_warned_at_every_place_and_each_address_is_asked_once() {
    let server = Server::start();
    let site = site_linking(&server);
    let out = check_without_proxy(&site, &["--external", "--external-timeout", "1"]);
    // Warnings do not fail the check (under --strict they would).
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stderr(&out).lines().map(String::from).collect();
    let warnings: Vec<String> = lines.iter().filter(|l| l.contains("external link")).cloned().collect();
    let b = &server.base;
    let policy = line_of(&site, "content/docs/policy.md", "/gone>");
    let reading = line_of(&site, "content/docs/2023/reading.md", "/gone)");
    assert_line(
        &warnings,
        &format!(
            "content/docs/policy.md:{policy}: warning: external link \"{b}/gone\" answers 404 Not Found: \
             the page has moved or is gone: write its new address, or remove the link"
        ),
    );
    assert_reported(&warnings, &format!("content/docs/2023/reading.md:{reading}: warning: "), &format!("\"{b}/gone\" answers 404"));
    let slow = line_of(&site, "content/docs/policy.md", "/slow)");
    assert_reported(&warnings, &format!("content/docs/policy.md:{slow}: warning: "), "did not answer within 1 s");
    let config = line_of(&site, "content/site.toml", "error_report_url");
    assert_reported(&warnings, &format!("content/site.toml:{config}: warning: "), &format!("\"{b}/gone\" answers 404"));
    // The address that answers, the one that refuses HEAD but answers GET, and the redirect are fine.
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    // Each address once, however many places write it; GET only after HEAD was refused.
    assert_eq!((server.count("HEAD /ok"), server.count("GET /ok")), (1, 0));
    assert_eq!((server.count("HEAD /no-head"), server.count("GET /no-head")), (1, 1));
    assert_eq!((server.count("HEAD /gone"), server.count("GET /gone")), (1, 1));
    assert_eq!((server.count("HEAD /moved"), server.count("HEAD /target")), (1, 1));
    assert_eq!((server.count("HEAD /slow"), server.count("GET /slow")), (1, 0));
}

#[test]
fn check_requests_no_external_link_without_external() {
    let server = Server::start();
    let site = site_linking(&server);
    for args in [&[][..], &["--format", "json"], &["--format", "html", "--output", "report.html"]] {
        let out = check_without_proxy(&site, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("external-link") && !stderr(&out).contains("external link"), "{args:?}");
    }
    assert_eq!(server.total(), 0, "check without --external made requests");
}

#[test]
fn the_report_lists_external_links_under_links() {
    let server = Server::start();
    let site = site_linking(&server);
    let out = check_without_proxy(&site, &["--external", "--external-timeout", "1", "--format", "html", "--output", "report.html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = html(&site.read_source("report.html"));
    let links = in_section(&doc, "links", "tbody tr").join("\n");
    assert!(links.contains(&format!("external link \"{}/gone\" answers 404", server.base)) && links.contains("[external-link]"), "{links}");
    assert_eq!(in_section(&doc, "links", "p"), ["站内链接和指向其他网站的链接都已逐一检查。"]);
}
