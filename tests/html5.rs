//! Every page is valid HTML5 by the W3C Nu validator (npm `vnu-jar`, run with Java).
//! `scripts/test` installs both; without them this test fails and says so.

use std::path::Path;
use std::process::Command;

use crate::util::*;

pub(crate) fn validate(dir: &Path) {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.exists(), "{} is missing: run `npm ci` (scripts/test does)", jar.display());
    let out = Command::new("java")
        .args(["-Xss8m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(dir)
        .output()
        .expect("java is needed for the HTML validator (scripts/test installs it)");
    let report = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && report.trim().is_empty(), "the Nu validator found errors:\n{report}");
}

#[test]
fn every_page_of_the_fixture_site_is_valid_html5() {
    let site = TestSite::basic();
    site.write("content/guide/2019.md", "+++\ntitle = \"旧版指南\"\nversion = \"2019\"\neffective = 2019-05-15\n+++\n\n旧版正文。\n");
    site.build_ok();
    validate(&site.root().join("public"));
}

#[test]
fn every_page_of_the_example_site_is_valid_html5() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = gongkai::BuildOptions { output: Some(out.path().join("public")), ..Default::default() };
    let report = gongkai::build(root, &options).unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert!(report.documents >= 90, "the example platform has {} documents", report.documents);
    validate(&out.path().join("public"));
}

#[test]
fn every_page_of_a_platform_with_departments_is_valid_html5() {
    let site = crate::departments::platform();
    site.build_ok();
    validate(&site.root().join("public"));
}
