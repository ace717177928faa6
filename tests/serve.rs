//! `gongkai serve`: the in-memory rebuild gives exactly what a full build gives, and
//! the real server, over HTTP on 127.0.0.1, follows edits, survives mistakes and
//! serves nothing outside its output.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gongkai::BuildOptions;
use gongkai::rebuild::LiveSite;

use crate::util::*;

// ---------------------------------------------------------------------------
// Incremental rebuilds, through the library

/// A live site over a fixture, and the fixture, for edits followed by a check that
/// the output is byte for byte what a full build of the same files gives.
struct Live {
    site: TestSite,
    live: LiveSite,
}

impl Live {
    fn open() -> Live {
        Live::over(TestSite::basic())
    }

    fn over(site: TestSite) -> Live {
        let mut live = LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
        live.rebuild().expect("first build");
        Live { site, live }
    }

    /// Tells the live site which files changed and rebuilds; returns how many pages
    /// were rendered.
    fn rebuild(&mut self, changed: &[&str]) -> usize {
        let paths: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        self.live.changed(&paths);
        let rebuilt = self.live.rebuild().unwrap_or_else(|e| panic!("rebuild failed: {}", describe(&e)));
        rebuilt.rendered
    }

    fn assert_same_as_full_build(&self, after: &str) {
        let full = tempfile::tempdir().unwrap();
        let out = full.path().join("out");
        gongkai::build(self.site.root(), &BuildOptions { output: Some(out.clone()), ..BuildOptions::default() })
            .unwrap_or_else(|e| panic!("full build failed: {}", describe(&e)));
        let incremental = tree(&self.site.root().join("public"));
        let expected = tree(&out);
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&incremental), names(&expected), "after {after}: the incremental output has other files");
        for ((name, a), (_, b)) in incremental.iter().zip(&expected) {
            assert!(a == b, "after {after}: {name} differs from a full build:\n--- incremental\n{}\n--- full\n{}", String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        }
    }
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

const POLICY: &str = "content/docs/policy.md";
const OLD: &str = "content/docs/2023/old.md";
const READING: &str = "content/docs/2023/reading.md";

#[test]
fn body_edit_renders_only_the_document() {
    let mut l = Live::open();
    l.site.edit(POLICY, "为规范排污许可管理,制定本规定。", "为规范排污许可管理,特制定本规定。");
    let rendered = l.rebuild(&[POLICY]);
    assert_eq!(rendered, 1, "a body edit re-renders the document's page alone");
    assert!(l.site.output("docs/policy/index.html").contains("特制定本规定"));
    l.assert_same_as_full_build("a body edit");
}

#[test]
fn edits_to_what_listings_show_match_a_full_build() {
    let mut l = Live::open();
    l.site.edit(OLD, "关于旧办法的通知", "关于旧办法的通知(修订)");
    l.rebuild(&[OLD]);
    l.assert_same_as_full_build("a title edit");
    l.site.edit(OLD, "date = 2023-01-01", "date = 2023-06-01");
    l.rebuild(&[OLD]);
    l.assert_same_as_full_build("a date edit that moves the document to the top");
    l.site.edit(OLD, "category = \"gfxwj\"", "category = \"gzjh\"");
    l.rebuild(&[OLD]);
    l.assert_same_as_full_build("a category change");
    l.site.edit(READING, "related = [\"11111111-1-/2023-0301001\"]", "related = []");
    l.rebuild(&[READING]);
    assert!(!l.site.output("docs/policy/index.html").contains("政策解读"), "the policy no longer links its 解读");
    l.assert_same_as_full_build("a related change");
}

#[test]
fn added_deleted_and_renamed_documents_match_a_full_build() {
    let mut l = Live::open();
    l.site.write(
        "content/docs/2024/new.md",
        "+++\ntitle = \"新增的通知\"\nindex_no = \"11111111-1-/2024-0101001\"\npublisher = \"测试市生态环境局\"\ncategory = \"gfxwj\"\ndate = 2024-01-01\nrelated = [\"11111111-1-/2023-0301001\"]\n+++\n\n正文。\n",
    );
    l.rebuild(&["content/docs/2024/new.md"]);
    assert!(l.site.has_output("docs/2024/new/index.html"));
    assert!(l.site.output("docs/policy/index.html").contains("新增的通知"), "the related document links back");
    l.assert_same_as_full_build("an added document");
    l.site.remove(READING);
    l.rebuild(&[READING]);
    assert!(!l.site.has_output("docs/2023/reading/index.html"));
    l.assert_same_as_full_build("a deleted document");
    fs::rename(l.site.root().join(OLD), l.site.root().join("content/docs/2023/renamed.md")).unwrap();
    l.rebuild(&[OLD, "content/docs/2023/renamed.md"]);
    assert!(l.site.has_output("docs/2023/renamed/index.html") && !l.site.has_output("docs/2023/old/index.html"));
    l.assert_same_as_full_build("a renamed document");
    fs::rename(l.site.root().join("content/docs/2024"), l.site.root().join("content/docs/2025")).unwrap();
    l.rebuild(&["content/docs/2024", "content/docs/2025"]);
    assert!(l.site.has_output("docs/2025/new/index.html") && !l.site.has_output("docs/2024/new/index.html"));
    l.assert_same_as_full_build("a renamed folder");
}

#[test]
fn versions_plans_attachments_settings_and_templates_match_a_full_build() {
    let mut l = Live::open();
    l.site.edit("content/guide/2023.md", "通过政府网站公开", "通过政府网站和政务新媒体公开");
    l.rebuild(&["content/guide/2023.md"]);
    l.assert_same_as_full_build("a guide edit");
    l.site.edit("content/directory/2023.md", "name = \"工作计划\"", "name = \"年度工作计划\"");
    l.rebuild(&["content/directory/2023.md"]);
    l.assert_same_as_full_build("a directory edit");
    l.site.edit("content/plans/2022.md", "date = ", "doc_no = \"测环发〔2022〕1号\"\ndate = ");
    l.rebuild(&["content/plans/2022.md"]);
    l.assert_same_as_full_build("a plan edit");
    l.site.write("content/files/2023/new.pdf", b"%PDF-1.4 new");
    l.rebuild(&["content/files/2023/new.pdf"]);
    assert!(l.site.has_output("files/2023/new.pdf"));
    l.site.remove("content/files/2023/new.pdf");
    l.rebuild(&["content/files/2023/new.pdf"]);
    l.assert_same_as_full_build("an attachment added and removed");
    l.site.edit("content/site.toml", "title = \"测试市生态环境局政府信息公开\"", "title = \"测试市生态环境局信息公开\"");
    l.rebuild(&["content/site.toml"]);
    l.assert_same_as_full_build("a settings edit");
    let default = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/pagination.html")).unwrap();
    l.site.write("themes/default/templates/partials/pagination.html", format!("<!-- 自定义分页 -->\n{default}"));
    let rendered = l.rebuild(&["themes/default/templates/partials/pagination.html"]);
    assert!(l.site.output("catalogue/index.html").contains("自定义分页"));
    assert!(!l.site.output("docs/policy/index.html").contains("自定义分页"));
    let listings = l.site.output_files().iter().filter(|f| f.starts_with("catalogue/")).count();
    assert_eq!(rendered, listings, "a partial used by listings re-renders the listings alone");
    l.assert_same_as_full_build("a template override");
    l.site.write("themes/default/static/css/extra.css", "body { color: #111; }");
    l.rebuild(&["themes/default/static/css/extra.css"]);
    l.assert_same_as_full_build("a static file added to the theme");
}

#[test]
fn apply_md_edited_removed_and_added_again_matches_a_full_build() {
    let mut l = Live::open();
    let apply = l.site.read_source("content/apply.md");
    l.site.edit("content/apply.md", "phone = \"0000-1234567\"", "phone = \"0000-7654321\"");
    let rendered = l.rebuild(&["content/apply.md"]);
    assert_eq!(rendered, 1, "an edit of apply.md re-renders /ysqgk/ alone");
    assert!(l.site.output("ysqgk/index.html").contains("0000-7654321"));
    l.assert_same_as_full_build("an apply.md edit");
    l.site.remove("content/apply.md");
    l.rebuild(&["content/apply.md"]);
    assert!(l.site.output("ysqgk/index.html").contains("二、依申请公开"), "the guide's section takes its place");
    l.assert_same_as_full_build("apply.md removed");
    l.site.edit("content/guide/2023.md", "受理机构:", "受理机构(新):");
    l.rebuild(&["content/guide/2023.md"]);
    assert!(l.site.output("ysqgk/index.html").contains("受理机构(新)"), "a guide edit reaches /ysqgk/");
    l.assert_same_as_full_build("a guide edit without apply.md");
    l.site.write("content/apply.md", apply);
    l.rebuild(&["content/apply.md"]);
    l.assert_same_as_full_build("apply.md added again");
    l.site.edit("content/directory/2023.md", "name = \"政策法规\"", "name = \"政策法规和制度\"");
    l.site.edit("content/site.toml", "columns.rules_category = \"zcfg\"\n", "");
    l.rebuild(&["content/directory/2023.md", "content/site.toml"]);
    l.assert_same_as_full_build("the rules category found by its name");
    l.site.edit("content/directory/2023.md", "name = \"政策法规和制度\"", "name = \"政策法规\"");
    l.rebuild(&["content/directory/2023.md"]);
    assert!(!l.site.output("index.html").contains("政府信息公开制度"), "the navigation follows the directory");
    l.assert_same_as_full_build("the rules category gone from the directory");
}

#[test]
fn edits_in_a_department_and_departments_added_or_removed_match_a_full_build() {
    let mut l = Live::over(crate::departments::platform());
    l.site.edit("content/departments/jyj/docs/2023/notice.md", "招生。", "今年招生。");
    l.rebuild(&["content/departments/jyj/docs/2023/notice.md"]);
    assert!(l.site.output("bm/jyj/docs/2023/notice/index.html").contains("今年招生。"));
    l.assert_same_as_full_build("a department's document edited");
    l.site.edit("content/departments/town-a/directory/2023.md", "name = \"财政信息\"", "name = \"财政预决算\"");
    l.rebuild(&["content/departments/town-a/directory/2023.md"]);
    l.assert_same_as_full_build("a department's directory edited");
    l.site.write("content/departments/wsj/department.toml", "name = \"测试县卫生健康局\"\norg_code = \"44444444-4\"\n");
    l.site.write("content/departments/wsj/guide/2023.md", l.site.read_source("content/departments/jyj/guide/2023.md"));
    l.rebuild(&["content/departments/wsj"]);
    assert!(l.site.has_output("bm/wsj/guide/index.html"), "a department added while serving is built");
    l.assert_same_as_full_build("a department added");
    std::fs::remove_dir_all(l.site.root().join("content/departments/jyj")).unwrap();
    l.rebuild(&["content/departments/jyj"]);
    assert!(!l.site.has_output("bm/jyj/index.html"), "a removed department's pages go");
    l.assert_same_as_full_build("a department removed");
}

#[test]
fn an_edit_in_a_department_renders_its_own_pages_and_the_platforms_not_the_others() {
    const NOTICE: &str = "content/departments/jyj/docs/2023/notice.md";
    let mut l = Live::over(crate::departments::platform());
    let section = walkdir::WalkDir::new(l.site.root().join("public/bm/jyj")).into_iter().filter_map(Result::ok).filter(|e| e.file_name() == "index.html").count();
    l.site.edit(NOTICE, "招生。", "今年招生。");
    assert_eq!(l.rebuild(&[NOTICE]), 1, "a change to the text alone renders the document's page alone");
    l.site.edit(NOTICE, "教育局关于招生的通知", "教育局关于秋季招生的通知");
    let rendered = l.rebuild(&[NOTICE]);
    assert!(l.site.output("bm/jyj/catalogue/index.html").contains("秋季招生"), "the department's catalogue shows the new title");
    assert!(l.site.output("index.html").contains("秋季招生"), "the platform's home page shows it among the latest");
    assert!(l.site.output("bm/jyj/atom.xml").contains("秋季招生"), "the department's feed shows it");
    // Its section, and no more than the platform's home, index, feed, data and maps besides.
    assert!(rendered <= section + 8, "a title change rendered {rendered} pages; the department's section has {section}");
    l.assert_same_as_full_build("a department's document retitled");
}

#[test]
fn a_broken_save_writes_nothing_and_the_fix_catches_up() {
    let mut l = Live::open();
    let before = tree(&l.site.root().join("public"));
    l.site.edit(POLICY, "date = 2023-03-01", "date = 2023-13-45");
    l.site.edit(OLD, "关于旧办法的通知", "关于旧办法的通知(已改)");
    l.live.changed(&[PathBuf::from(POLICY), PathBuf::from(OLD)]);
    let err = l.live.rebuild().expect_err("the date is invalid");
    assert_reported(&describe(&err).lines().map(String::from).collect::<Vec<_>>(), "content/docs/policy.md:6: ", "invalid date");
    assert!(tree(&l.site.root().join("public")) == before, "a failed rebuild leaves the output as it was");
    l.site.edit(POLICY, "date = 2023-13-45", "date = 2023-03-02");
    l.rebuild(&[POLICY]);
    assert!(l.site.output("docs/2023/old/index.html").contains("(已改)"), "the edit made while broken is rendered too");
    l.assert_same_as_full_build("a broken save and its fix");
}

// ---------------------------------------------------------------------------
// The real server

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>/`
    pub url: String,
    /// `127.0.0.1:<port>`
    pub host: String,
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Server {
    pub fn start(site: &TestSite, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("serve")
            .args(args)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongkai serve");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let url = first.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "serve printed {url:?}; log:\n{}", log.lock().unwrap());
        let host = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
        Server { child, url, host, log }
    }

    /// Sends `target` exactly as given (no normalisation, unlike HTTP clients).
    pub fn get(&self, target: &str) -> Reply {
        self.get_for_host(target, &self.host)
    }

    /// [`Server::get`] with `host` in the Host header.
    pub fn get_for_host(&self, target: &str, host: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        Reply { status, headers: head.to_ascii_lowercase(), body: body.to_string() }
    }

    /// Polls `target` until `ok` holds, for at most ten seconds.
    pub fn wait_for(&self, target: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(target);
            if ok(&reply) {
                return reply;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{what}: still not so after 10 s; log:\n{}", self.log.lock().unwrap());
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The status the reload channel sends first, read off the event stream.
    fn first_event(&self) -> String {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET /__gongkai/events HTTP/1.1\r\nHost: {}\r\n\r\n", self.host).unwrap();
        let mut seen = String::new();
        let mut buf = [0u8; 4096];
        while !seen.contains("\n\n") || !seen.contains("data:") {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "the event stream closed");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        seen
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_the_site_with_content_types_and_the_404_page() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    assert!(server.url.ends_with('/'));
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.headers.contains("content-type: text/html; charset=utf-8"), "{}", home.headers);
    assert!(home.body.contains("/__gongkai/reload.js"), "served HTML carries the reload script");
    let doc = server.get("/docs/2023/reading/");
    assert_eq!(doc.status, 200);
    assert!(doc.body.contains("政策解读"));
    assert!(server.get("/css/gongkai.css").headers.contains("content-type: text/css"));
    assert!(server.get("/catalogue.json").headers.contains("content-type: application/json"));
    let pdf = server.get("/files/2023/%E8%A7%A3%E8%AF%BB%E5%9B%BE%E7%A4%BA.pdf");
    assert_eq!(pdf.status, 200, "a Chinese file name, percent-encoded");
    assert!(pdf.headers.contains("content-type: application/pdf"));
    let folder = server.get("/docs/2023/reading");
    assert_eq!(folder.status, 301);
    assert!(folder.headers.contains("location: /docs/2023/reading/"));
    let missing = server.get("/docs/nothing-here/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("页面不存在"), "the site's 404 page");
    assert!(server.get("/__gongkai/reload.js").body.contains("EventSource"));
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        assert!(!site.output(file).contains("__gongkai"), "{file} on disk has the reload script");
    }
}

#[test]
fn under_a_sub_path_the_site_is_served_there() {
    let site = TestSite::basic();
    site.edit("content/site.toml", "base_url = \"/\"", "base_url = \"/xxgk/\"");
    let server = Server::start(&site, &["--port", "0"]);
    assert!(server.url.ends_with("/xxgk/"), "{}", server.url);
    assert_eq!(server.get("/xxgk/docs/policy/").status, 200);
    assert_eq!(server.get("/").status, 301);
    assert_eq!(server.get("/docs/policy/").status, 404);
}

#[test]
fn an_edit_is_served_and_a_broken_save_keeps_the_last_good_page() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    let page = "/docs/policy/";
    let served_build = server.get("/__gongkai/status").body;
    site.edit(POLICY, "为规范排污许可管理,制定本规定。", "为规范排污许可管理,现制定本规定。");
    server.wait_for(page, "the edited text is served", |r| r.body.contains("现制定本规定"));
    // The status follows once the rebuild has written every file.
    server.wait_for("/__gongkai/status", "the build number moved on, so open pages reload", |r| r.body != served_build);

    site.edit(POLICY, "date = 2023-03-01", "date = 2023-13-45");
    let status = server.wait_for("/__gongkai/status", "the error is reported", |r| r.body.contains("invalid date"));
    assert!(status.body.contains("\"file\":\"content/docs/policy.md\"") && status.body.contains("\"line\":6"), "{}", status.body);
    let event = server.first_event();
    assert!(event.contains("event: status") && event.contains("invalid date"), "the reload channel carries the error: {event}");
    let still = server.get(page);
    assert_eq!(still.status, 200);
    assert!(still.body.contains("现制定本规定"), "the last good page is still served");
    let started = Instant::now();
    while !server.log.lock().unwrap().contains("content/docs/policy.md:6: ") {
        assert!(started.elapsed() < Duration::from_secs(10), "the terminal shows file:line; log:\n{}", server.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(25));
    }

    site.edit(POLICY, "date = 2023-13-45", "date = 2023-03-01");
    server.wait_for("/__gongkai/status", "the error is cleared", |r| r.body.contains("\"errors\":[]"));
    assert!(server.first_event().contains("\"errors\":[]"));
}

#[test]
fn a_save_prints_only_the_warnings_it_brings_not_the_sites_again() {
    let site = TestSite::basic();
    site.remove("content/apply.md");
    let server = Server::start(&site, &["--port", "0"]);
    let log = || server.log.lock().unwrap().clone();
    let wait_for_log = |what: &str, times: usize| {
        let started = Instant::now();
        while log().matches(what).count() < times {
            assert!(started.elapsed() < Duration::from_secs(10), "waiting for {what:?} ×{times}; log:\n{}", log());
            std::thread::sleep(Duration::from_millis(25));
        }
    };
    wait_for_log("rebuilt in", 1);
    let missing_apply = "content/apply.md: warning: missing";
    assert_eq!(log().matches(missing_apply).count(), 1, "{}", log());
    site.edit(POLICY, "为规范排污许可管理,制定本规定。", "为规范排污许可管理,现制定本规定。");
    wait_for_log("rebuilt in", 2);
    assert_eq!(log().matches(missing_apply).count(), 1, "the site's warning is not printed again: {}", log());
    assert!(log().contains("warning(s) printed before still apply"), "{}", log());
    site.edit(POLICY, "index_no = ", "keywordz = [\"噪声\"]\nindex_no = ");
    wait_for_log("rebuilt in", 3);
    assert!(log().contains("content/docs/policy.md:3: warning: unknown key `keywordz`"), "a new warning is printed: {}", log());
}

#[test]
fn deleted_and_renamed_documents_follow() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    site.remove(OLD);
    server.wait_for("/docs/2023/old/", "the deleted document is gone", |r| r.status == 404);
    assert!(!server.get("/catalogue/").body.contains("关于旧办法的通知"));
    fs::rename(site.root().join(READING), site.root().join("content/docs/2023/jiedu.md")).unwrap();
    server.wait_for("/docs/2023/jiedu/", "the renamed document is served", |r| r.status == 200);
    assert_eq!(server.get("/docs/2023/reading/").status, 404);
    // An editor's save through a temporary file renamed over the original.
    let tmp = site.root().join("content/docs/.policy.md.tmp");
    fs::write(&tmp, site.read_source(POLICY).replace("制定本规定", "制定本规定(改)")).unwrap();
    fs::rename(&tmp, site.root().join(POLICY)).unwrap();
    server.wait_for("/docs/policy/", "a save by rename is followed", |r| r.body.contains("制定本规定(改)"));
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = TestSite::basic();
    site.write("secret.txt", "TOP-SECRET");
    site.write("content/secret.md", "TOP-SECRET");
    let server = Server::start(&site, &["--port", "0"]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root().join("secret.txt"), site.root().join("public/link.txt")).unwrap();
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/docs/..%2f..%2fsecret.txt",
        "/docs/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5c%2e%2e%5csecret.txt",
        "/../content/secret.md",
        "/link.txt",
        "/.gitignore",
        "/%00",
    ] {
        let r = server.get(target);
        assert!(matches!(r.status, 400 | 404), "{target} answered {}", r.status);
        assert!(!r.body.contains("TOP-SECRET"), "{target} leaked a file outside the output");
    }
}

#[test]
fn the_default_port_falls_back_to_a_free_one() {
    // Hold the default port (or find it already taken): either way it is busy.
    let _held = std::net::TcpListener::bind(("127.0.0.1", gongkai::serve::DEFAULT_PORT));
    let site = TestSite::basic();
    let server = Server::start(&site, &[]);
    assert!(!server.url.contains(&format!(":{}/", gongkai::serve::DEFAULT_PORT)), "{}", server.url);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn links_by_file_or_index_number_follow_a_renamed_document() {
    let mut l = Live::open();
    l.site.edit(POLICY, "为规范排污许可管理,制定本规定。", "见[解读](index:11111111-1-/2023-0305001)。");
    l.rebuild(&[POLICY]);
    assert!(l.site.output("docs/policy/index.html").contains("href=\"/docs/2023/reading/\""));
    fs::rename(l.site.root().join(READING), l.site.root().join("content/docs/2023/jiedu.md")).unwrap();
    l.rebuild(&[READING, "content/docs/2023/jiedu.md"]);
    assert!(l.site.output("docs/policy/index.html").contains("href=\"/docs/2023/jiedu/\""));
    l.assert_same_as_full_build("a linked document renamed");
}

#[test]
fn serve_writes_a_deleted_public_again_after_the_next_save() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    assert_eq!(server.get("/css/gongkai.css").status, 200);
    fs::remove_dir_all(site.root().join("public")).unwrap();
    assert_eq!(server.get("/").status, 404);
    site.edit(POLICY, "为规范排污许可管理,制定本规定。", "为规范排污许可管理,现制定本规定。");
    server.wait_for("/", "the home page is served again", |r| r.status == 200);
    server.wait_for("/css/gongkai.css", "the style sheet is served again", |r| r.status == 200);
    server.wait_for("/docs/policy/", "the edited page is served", |r| r.body.contains("现制定本规定"));
    // A single deleted file comes back too.
    fs::remove_file(site.root().join("public/catalogue/index.html")).unwrap();
    site.edit(POLICY, "现制定本规定", "特制定本规定");
    server.wait_for("/catalogue/", "the deleted listing is served again", |r| r.status == 200);
}
