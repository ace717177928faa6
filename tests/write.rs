//! The write stage: the output is brought up to date in place, only what changed is
//! written, and nothing gongkai did not build is ever changed or deleted.

use std::fs;
use std::path::Path;

use gongkai::BuildOptions;

use crate::util::*;

/// Inode and mtime of every file and folder under `dir`.
fn stamps(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let meta = e.metadata().unwrap();
            (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), meta.ino(), meta.modified().unwrap())
        })
        .collect();
    out.sort();
    out
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The files a full build of the site gives, built into a folder of its own.
fn reference_build(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    gongkai::build(site.root(), &BuildOptions { output: Some(out.clone()), ..BuildOptions::default() })
        .unwrap_or_else(|e| panic!("reference build failed: {}", describe(&e)));
    without_bookkeeping(dir_snapshot(&out))
}

/// The output without gongkai's own bookkeeping: the record, and the search cache, whose
/// header names the program that wrote it (the test binary here, the CLI in the build).
#[test]
fn output_through_a_missing_folder_into_content_is_refused_and_content_is_untouched() {
    let site = TestSite::basic();
    let before = dir_snapshot(&site.root().join("content"));
    let out = site.cli(&["build", "--output", "x/../content"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("x/../content") && err.contains("gongkai reads"), "names both paths: {err}");
    assert_eq!(dir_snapshot(&site.root().join("content")), before);
    assert!(!site.root().join("x").exists(), "not even the missing folder is made");
}

#[test]
fn output_that_is_the_site_folder_itself_is_refused() {
    let site = TestSite::basic();
    let name = site.root().file_name().unwrap().to_string_lossy().into_owned();
    let before = dir_snapshot(site.root());
    let out = site.cli(&["build", "--output", &format!("x/../../{name}")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("holds the site itself"), "{}", stderr(&out));
    assert_eq!(dir_snapshot(site.root()), before);
}

#[test]
fn serve_refuses_an_output_inside_content_too() {
    let site = TestSite::basic();
    let before = dir_snapshot(&site.root().join("content"));
    let out = site.cli(&["serve", "--port", "0", "--output", "x/../content"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("gongkai reads"), "{}", stderr(&out));
    assert_eq!(dir_snapshot(&site.root().join("content")), before);
}

#[cfg(unix)]
#[test]
fn output_that_is_a_symlink_into_content_is_refused() {
    let site = TestSite::basic();
    std::os::unix::fs::symlink(site.root().join("content/docs"), site.root().join("public")).unwrap();
    let before = dir_snapshot(&site.root().join("content"));
    let err = site.build().unwrap_err();
    assert!(err.to_string().contains("gongkai reads"), "{err}");
    assert_eq!(dir_snapshot(&site.root().join("content")), before);
}

#[test]
fn robots_txt_and_uploads_survive_two_builds_and_are_mentioned_once() {
    let site = TestSite::basic();
    assert!(site.cli(&["build"]).status.success());
    site.write("public/robots.txt", "User-agent: *\n");
    site.write("public/uploads/2024/a.pdf", "%PDF");
    fs::create_dir_all(site.root().join("public/uploads/empty")).unwrap();
    let first = site.cli(&["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("note: ") && stderr(&first).contains("robots.txt"), "{}", stderr(&first));
    site.edit("content/docs/policy.md", "为规范排污许可管理", "为进一步规范排污许可管理");
    let second = site.cli(&["build"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!stderr(&second).contains("robots.txt"), "mentioned once, not on every build: {}", stderr(&second));
    assert_eq!(site.output("robots.txt"), "User-agent: *\n");
    assert_eq!(site.output("uploads/2024/a.pdf"), "%PDF");
    assert!(site.root().join("public/uploads/empty").is_dir());
    assert!(site.output("docs/policy/index.html").contains("为进一步规范"));
}

#[test]
fn a_rebuild_with_nothing_changed_keeps_every_inode_and_mtime() {
    let site = TestSite::basic();
    site.build_ok();
    let before = stamps(&site.root().join("public"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = site.build_ok();
    assert_eq!((report.written, report.removed), (0, 0));
    assert_eq!(stamps(&site.root().join("public")), before);
}

#[test]
fn an_edit_rewrites_only_the_pages_that_show_it() {
    let site = TestSite::basic();
    let total = site.build_ok().written;
    site.edit("content/docs/policy.md", "为规范排污许可管理", "为进一步规范排污许可管理");
    let report = site.build_ok();
    assert!(report.written > 0 && report.written < total / 2, "{} of {total} files written", report.written);
    assert_eq!(without_bookkeeping(site.output_snapshot()), reference_build(&site));
}

#[test]
fn a_deleted_documents_page_is_removed_and_a_foreign_file_beside_it_is_kept() {
    let site = TestSite::basic();
    site.build_ok();
    assert!(site.has_output("docs/2023/old/index.html"));
    site.write("public/docs/2023/old/notes.txt", "the admin's notes");
    site.remove("content/docs/2023/old.md");
    let report = site.build_ok();
    assert!(report.removed >= 1);
    assert!(!site.has_output("docs/2023/old/index.html"));
    assert_eq!(site.output("docs/2023/old/notes.txt"), "the admin's notes");
    // Everything else is what a build from scratch gives.
    let ours: Vec<_> = without_bookkeeping(site.output_snapshot()).into_iter().filter(|(n, _)| !n.ends_with("notes.txt")).collect();
    assert_eq!(ours, reference_build(&site));
}

#[test]
fn a_removed_documents_folder_goes_when_it_is_left_empty() {
    let site = TestSite::basic();
    site.build_ok();
    site.remove("content/docs/2023/old.md");
    site.build_ok();
    assert!(!site.root().join("public/docs/2023/old").exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_public_is_written_through_and_stays_a_symlink() {
    let site = TestSite::basic();
    let webroot = tempfile::tempdir().unwrap();
    let target = webroot.path().join("www");
    std::os::unix::fs::symlink(&target, site.root().join("public")).unwrap();
    site.build_ok();
    assert!(fs::symlink_metadata(site.root().join("public")).unwrap().file_type().is_symlink());
    assert!(target.join("index.html").is_file(), "the first build went into the link's target");
    site.edit("content/docs/policy.md", "为规范排污许可管理", "为进一步规范排污许可管理");
    site.build_ok();
    assert!(fs::symlink_metadata(site.root().join("public")).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(target.join("docs/policy/index.html")).unwrap().contains("为进一步规范"));
}

/// A new document at `docs/2023/added/`: a copy of `old.md` with its own 索引号.
fn add_second_document(site: &TestSite) {
    site.write("content/docs/2023/added.md", site.read_source("content/docs/2023/old.md").replace("2023-0101001", "2023-0101009"));
}

#[test]
fn a_folder_where_a_page_must_go_stops_the_build_before_anything_is_written() {
    let site = TestSite::basic();
    site.build_ok();
    add_second_document(&site);
    fs::create_dir_all(site.root().join("public/docs/2023/added/index.html")).unwrap();
    let before = site.output_snapshot();
    let out = site.cli(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("public/docs/2023/added/index.html") && err.contains("did not build"), "{err}");
    assert_eq!(site.output_snapshot(), before, "nothing was written");
    fs::remove_dir_all(site.root().join("public/docs/2023/added")).unwrap();
    site.build_ok();
    assert_eq!(without_bookkeeping(site.output_snapshot()), reference_build(&site));
}

/// A write that fails half-way (here a file of someone else's where a folder of
/// pages must go) leaves complete files only, says so once, and the next build repairs.
#[test]
fn an_io_failure_half_way_gives_one_message_complete_files_and_the_next_build_repairs() {
    let site = TestSite::basic();
    site.build_ok();
    let old = site.output_snapshot();
    // Many pages change (a title shows in listings), and one new page cannot be written.
    site.edit("content/docs/policy.md", "测试市生态环境局关于排污许可管理的规定", "测试市生态环境局关于排污许可管理的新规定");
    add_second_document(&site);
    site.write("public/docs/2023/added", "a file where a folder must go");
    let expected = reference_build(&site);

    let out = site.cli(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "one message: {err}");
    assert!(errors[0].contains("public/docs/2023/added/index.html"), "names the file: {err}");
    assert_eq!(err.matches("os error").count(), 1, "the cause is said once: {err}");

    // Every file is either as it was or as it should be; no temporary file is left.
    for (name, bytes) in without_bookkeeping(site.output_snapshot()) {
        if name == "docs/2023/added" {
            continue;
        }
        assert!(!name.contains(".gongkai-"), "left behind: {name}");
        let was = old.iter().find(|(n, _)| *n == name).map(|(_, b)| b);
        let should = expected.iter().find(|(n, _)| *n == name).map(|(_, b)| b);
        assert!(was == Some(&bytes) || should == Some(&bytes), "{name} is neither the old nor the new file");
    }

    fs::remove_file(site.root().join("public/docs/2023/added")).unwrap();
    site.build_ok();
    assert_eq!(without_bookkeeping(site.output_snapshot()), expected);
}

#[test]
fn an_output_from_before_the_record_is_taken_over() {
    let site = TestSite::basic();
    site.build_ok();
    fs::remove_file(site.root().join("public/.gongkai-manifest")).unwrap();
    site.edit("content/docs/policy.md", "为规范排污许可管理", "为进一步规范排污许可管理");
    site.build_ok();
    assert!(site.output("docs/policy/index.html").contains("为进一步规范"));
    assert!(site.has_output(".gongkai-manifest"));
}

#[test]
fn a_folder_with_files_of_others_gets_the_site_beside_them() {
    let site = TestSite::basic();
    site.write("public/important.txt", "not ours");
    site.build_ok();
    assert_eq!(site.output("important.txt"), "not ours");
    assert!(site.has_output("index.html"));
    site.remove("content/docs/2023/old.md");
    site.build_ok();
    assert_eq!(site.output("important.txt"), "not ours");
}

#[test]
fn a_file_of_ours_changed_by_someone_is_kept_when_the_build_no_longer_makes_it() {
    let site = TestSite::basic();
    site.build_ok();
    site.write("public/docs/2023/old/index.html", "edited by hand");
    site.remove("content/docs/2023/old.md");
    let report = site.build_ok();
    assert_eq!(site.output("docs/2023/old/index.html"), "edited by hand");
    assert!(report.notes.iter().any(|n| n.contains("docs/2023/old/index.html")), "{:?}", report.notes);
}
