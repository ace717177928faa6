//! The `gongkai` binary: exit codes and what it prints.

use crate::util::*;

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let site = TestSite::basic();
    let out = site.cli(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("gongkai: 5 documents,"), "{stderr}");
    assert!(site.has_output("index.html"));
}

#[test]
fn build_with_root_output_and_base_url_flags() {
    let site = TestSite::basic();
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("site");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&target)
        .args(["--base-url", "/xxgk/"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let home = std::fs::read_to_string(target.join("index.html")).unwrap();
    assert!(home.contains("href=\"/xxgk/css/gongkai.css\""));
    assert!(!site.has_output("index.html"), "nothing goes to public/ when --output is given");
}

#[test]
fn check_and_build_fail_with_every_error_and_write_nothing() {
    let site = TestSite::basic();
    site.edit("content/docs/policy.md", "date = 2023-03-01", "date = \"2024年3月5日\"");
    site.edit("content/docs/2023/reading.md", "category = \"gfxwj\"", "category = \"nosuch\"");
    for cmd in ["check", "build"] {
        let out = site.cli(&[cmd]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {stderr}");
        assert!(stderr.contains("content/docs/policy.md:6: date \"2024年3月5日\" is not a date (write 2024-03-05)"), "{stderr}");
        assert!(stderr.contains("content/docs/2023/reading.md:5: category \"nosuch\""), "{stderr}");
        assert!(stderr.contains("2 error(s)"), "{stderr}");
    }
    assert!(!site.has_output("index.html"));
}

#[test]
fn check_passes_a_valid_site_without_writing() {
    let site = TestSite::basic();
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!site.root().join("public").exists());
}

#[test]
fn refuses_an_output_folder_that_holds_the_site() {
    let site = TestSite::basic();
    let out = site.cli(&["build", "--output", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds the site itself"));
    assert!(site.root().join("content/site.toml").exists());
}

#[test]
fn a_folder_without_content_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai")).args(["check"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no content folder"));
}
