//! Hardening of `gongkai serve` and of the loader it shares with `build`: symbolic
//! links in content/ are skipped alike by both, the watcher survives its folders being
//! deleted and made again, and the HTTP server neither redirects off-site nor answers
//! to foreign host names.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::serve::Server;
use crate::util::*;

const POLICY: &str = "content/docs/policy.md";
const PAGE: &str = "/docs/policy/";
const SENTENCE: &str = "为规范排污许可管理,制定本规定。";

/// Waits until the server's terminal output contains `text`, for at most ten seconds.
fn wait_for_log(server: &Server, text: &str) {
    let started = Instant::now();
    while !server.log.lock().unwrap().contains(text) {
        assert!(started.elapsed() < Duration::from_secs(10), "the terminal never showed {text:?}; log:\n{}", server.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(25));
    }
}

// ---------------------------------------------------------------------------
// Symbolic links

#[cfg(unix)]
mod links {
    use std::os::unix::fs::symlink;

    use super::*;

    /// A folder outside the site holding a valid document, `ext.md`.
    fn outside_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic").join(POLICY)).unwrap();
        let doc = doc.replace("2023-0301001", "2023-0909009").replace("关于排污许可管理的规定", "外部文件OUTSIDE");
        fs::write(dir.path().join("ext.md"), doc).unwrap();
        dir
    }

    const LINK_WARNING: &str = "warning: is a symbolic link, which gongkai does not follow";

    #[test]
    fn symlink_out_of_content_is_skipped_with_warning_in_build_and_serve() {
        let outside = outside_folder();
        let site = TestSite::basic();
        symlink(outside.path(), site.root().join("content/docs/ext")).unwrap();
        symlink(outside.path().join("ext.md"), site.root().join("content/docs/alias.md")).unwrap();

        let report = site.build_ok();
        let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert_reported(&warnings, "content/docs/ext: ", LINK_WARNING);
        assert_reported(&warnings, "content/docs/alias.md: ", LINK_WARNING);
        assert!(!site.output_files().iter().any(|f| f.starts_with("docs/ext") || f.starts_with("docs/alias")), "build published a link");

        let server = Server::start(&site, &["--port", "0"]);
        wait_for_log(&server, &format!("content/docs/ext: {LINK_WARNING}"));
        assert_eq!(server.get("/docs/ext/ext/").status, 404, "serve publishes nothing through a link found at start");
        // A link made while serving: skipped, with the same warning, like a build.
        symlink(outside.path(), site.root().join("content/docs/ext2")).unwrap();
        wait_for_log(&server, &format!("content/docs/ext2: {LINK_WARNING}"));
        // Then a save inside the linked folder, which a build would not see either.
        fs::write(outside.path().join("more.md"), fs::read_to_string(outside.path().join("ext.md")).unwrap().replace("0909009", "0909010")).unwrap();
        site.edit(POLICY, SENTENCE, "为规范排污许可管理,特制定本规定。");
        server.wait_for(PAGE, "a later save is served", |r| r.body.contains("特制定本规定"));
        for target in ["/docs/ext2/ext/", "/docs/ext2/more/", "/docs/ext/more/", "/docs/alias/"] {
            assert_eq!(server.get(target).status, 404, "{target} was published from outside content/");
        }
        assert!(!server.get("/catalogue.json").body.contains("OUTSIDE"), "a linked document is listed");
    }

    #[test]
    fn symlinked_attachment_is_reported_as_a_link_not_as_missing() {
        let outside = tempfile::tempdir().unwrap();
        let site = TestSite::basic();
        let pdf = "content/files/2023/解读图示.pdf";
        fs::rename(site.root().join(pdf), outside.path().join("a.pdf")).unwrap();
        symlink(outside.path().join("a.pdf"), site.root().join(pdf)).unwrap();
        assert_line(
            &site.errors(),
            "content/docs/2023/reading.md:8: attachment \"files/2023/解读图示.pdf\" is reached through the symbolic link content/files/2023/解读图示.pdf, which gongkai does not follow: put the file itself at content/files/2023/解读图示.pdf",
        );
        // A linked folder of attachments names the folder.
        fs::remove_file(site.root().join(pdf)).unwrap();
        fs::rename(outside.path().join("a.pdf"), outside.path().join("解读图示.pdf")).unwrap();
        fs::remove_dir(site.root().join("content/files/2023")).unwrap();
        symlink(outside.path(), site.root().join("content/files/2023")).unwrap();
        assert_reported(&site.errors(), "content/docs/2023/reading.md:8: ", "reached through the symbolic link content/files/2023, which");
    }

    #[test]
    fn symlinked_site_toml_is_refused_with_the_fix() {
        let outside = tempfile::tempdir().unwrap();
        let site = TestSite::basic();
        fs::rename(site.root().join("content/site.toml"), outside.path().join("site.toml")).unwrap();
        symlink(outside.path().join("site.toml"), site.root().join("content/site.toml")).unwrap();
        assert_line(&site.errors(), "content/site.toml: is a symbolic link, which gongkai does not follow: put the file itself here");
    }
}

// ---------------------------------------------------------------------------
// The watcher

#[test]
fn serve_picks_up_saves_after_content_folder_is_recreated() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    let backup = tempfile::tempdir().unwrap();
    copy_dir(&site.root().join("content"), backup.path());
    // A change made in the copy: the re-created folder must be read in full.
    let copied = backup.path().join("docs/policy.md");
    fs::write(&copied, fs::read_to_string(&copied).unwrap().replace(SENTENCE, "为规范排污许可管理,备份中制定本规定。")).unwrap();
    fs::remove_dir_all(site.root().join("content")).unwrap();
    copy_dir(backup.path(), &site.root().join("content"));
    server.wait_for(PAGE, "the re-created content is read", |r| r.body.contains("备份中制定本规定"));
    site.edit(POLICY, "备份中制定本规定", "再次保存后制定本规定");
    server.wait_for(PAGE, "a save into the re-created folder is served", |r| r.body.contains("再次保存后制定本规定"));
    server.wait_for("/__gongkai/status", "no error is left", |r| r.body.contains("\"errors\":[]"));
}

#[test]
fn serve_follows_the_new_content_folder_not_the_moved_one() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    fs::rename(site.root().join("content"), site.root().join("content.old")).unwrap();
    copy_dir(&site.root().join("content.old"), &site.root().join("content"));
    site.edit(POLICY, SENTENCE, "新文件夹中的第一次修改。");
    server.wait_for(PAGE, "the new folder is read", |r| r.body.contains("第一次修改"));
    let old = site.root().join("content.old/docs/policy.md");
    fs::write(&old, fs::read_to_string(&old).unwrap().replace(SENTENCE, "旧文件夹中的修改。")).unwrap();
    site.edit(POLICY, "第一次修改", "第二次修改");
    let page = server.wait_for(PAGE, "a later save into the new folder is served", |r| r.body.contains("第二次修改"));
    assert!(!page.body.contains("旧文件夹中的修改"), "a save to the moved-away folder was served");
}

#[test]
fn serve_follows_a_recreated_themes_folder() {
    let site = TestSite::basic();
    let template = "themes/default/templates/partials/pagination.html";
    let default = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/pagination.html")).unwrap();
    site.write(template, format!("<!-- 第一版分页 -->\n{default}"));
    let server = Server::start(&site, &["--port", "0"]);
    assert!(server.get("/catalogue/").body.contains("第一版分页"));
    fs::remove_dir_all(site.root().join("themes")).unwrap();
    site.write(template, format!("<!-- 第二版分页 -->\n{default}"));
    server.wait_for("/catalogue/", "the re-created theme is read", |r| r.body.contains("第二版分页"));
    site.write(template, format!("<!-- 第三版分页 -->\n{default}"));
    server.wait_for("/catalogue/", "a save into the re-created theme is served", |r| r.body.contains("第三版分页"));
}

// ---------------------------------------------------------------------------
// HTTP

#[test]
fn double_slash_path_never_redirects_off_site() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    for (target, location) in [
        ("//catalogue", "/catalogue/"),
        ("///catalogue", "/catalogue/"),
        ("//catalogue?page=2", "/catalogue/?page=2"),
        ("//docs/2023/reading", "/docs/2023/reading/"),
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, 301, "{target}");
        assert!(reply.headers.contains(&format!("\r\nlocation: {location}\r\n")), "{target} led elsewhere:\n{}", reply.headers);
    }
}

#[test]
fn serve_refuses_foreign_host_header() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    let port = server.host.rsplit(':').next().unwrap();
    for host in ["evil.example".to_string(), format!("evil.example:{port}"), "localhost.evil.example".into(), "127.0.0.1.nip.io".into()] {
        for target in ["/", "/docs/policy/", "/__gongkai/events", "/__gongkai/status"] {
            let reply = server.get_for_host(target, &host);
            assert_eq!(reply.status, 403, "{target} answered for Host: {host}");
            assert!(!reply.body.contains("排污许可"), "content was sent to {host}");
        }
    }
    let refused = server.get_for_host("/", "evil.example");
    assert!(refused.body.contains("localhost and IP addresses") && refused.body.contains(&server.url), "{}", refused.body);
    for host in [format!("localhost:{port}"), "LOCALHOST.".into(), format!("preview.localhost:{port}"), server.host.clone(), format!("[::1]:{port}")] {
        assert_eq!(server.get_for_host(PAGE, &host).status, 200, "refused Host: {host}");
    }
}

#[test]
fn absolute_request_target_for_a_foreign_host_is_refused() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0"]);
    assert_eq!(server.get("http://evil.example/docs/policy/").status, 403);
    assert_eq!(server.get(&format!("http://{}/docs/policy/", server.host)).status, 200);
}

#[test]
fn bound_to_all_addresses_the_machines_own_addresses_are_answered() {
    let site = TestSite::basic();
    let server = Server::start(&site, &["--port", "0", "--bind", "0.0.0.0"]);
    let port = server.host.rsplit(':').next().unwrap();
    // Any address of this machine on the LAN, as a colleague's browser names it.
    assert_eq!(server.get_for_host(PAGE, &format!("192.168.1.20:{port}")).status, 200);
    assert_eq!(server.get_for_host(PAGE, &format!("intranet.example:{port}")).status, 403);
}
