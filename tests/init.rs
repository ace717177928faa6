//! `gongkai init`: a new site that checks and builds at once, and a refusal to touch a
//! folder that is in use.

use std::path::PathBuf;

use chrono::Datelike;
use gongkai::init::create_site;
use gongkai::new::{new_document, NewDocument};
use gongkai::{Error, LoadOptions};

use crate::util::*;

#[test]
fn init_into_an_empty_folder_gives_a_site_that_checks_and_builds() {
    let site = TestSite::empty();
    let today = LoadOptions::default().today;
    let written = create_site(site.root(), today).unwrap_or_else(|e| panic!("{}", describe(&e)));
    let year = today.year();
    let files: Vec<String> = dir_snapshot(site.root()).into_iter().map(|(f, _)| f).collect();
    let mut expected: Vec<String> = written.iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    expected.sort();
    assert_eq!(files, expected, "it reports every file it wrote");
    for file in ["content/site.toml", &format!("content/directory/{year}.md"), &format!("content/guide/{year}.md"), ".gitignore"] {
        assert!(files.iter().any(|f| f == file), "{file} is missing from {files:?}");
    }
    assert!(files.iter().any(|f| f.starts_with(&format!("content/docs/{year}/"))), "{files:?}");
    assert_eq!(site.read_source(".gitignore"), "public/\n");
    assert!(site.read_source("content/site.toml").contains("请修改"), "the settings to edit are marked");
    assert_only_identity_placeholders(&site);
    let report = site.build_ok();
    assert_eq!(report.documents, 1);
    assert!(site.has_output("index.html"));
    assert!(site.has_output("guide/index.html") && site.has_output("directory/index.html"));
}

#[test]
fn new_after_init_continues_the_numbering() {
    let site = TestSite::empty();
    let today = LoadOptions::default().today;
    create_site(site.root(), today).unwrap();
    let request = NewDocument { category: "行政规范性文件".into(), title: "某某县某某局关于某事项的通知".into(), ..NewDocument::default() };
    let created = new_document(site.root(), &request).unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_eq!(created.index_no, format!("00000000-0-/{}-{}002", today.year(), today.format("%m%d")));
    assert_only_identity_placeholders(&site);
    site.build_ok();
}

/// A fresh site checks and builds, and warns only that its [identity] marks still
/// hold the 请修改 placeholder, one warning per key, each at its line of site.toml.
fn assert_only_identity_placeholders(site: &TestSite) {
    let warnings = site.warnings();
    for w in &warnings {
        assert!(w.starts_with("content/site.toml:") && w.contains("still holds the placeholder 请修改: write "), "{w}");
    }
    for key in ["site_id_code", "icp", "police_record", "undertaker", "address", "postcode", "phone", "email"] {
        assert!(warnings.iter().any(|w| w.contains(&format!("`{key}` still holds"))), "no warning for {key}: {warnings:?}");
    }
    assert_eq!(warnings.len(), 8, "{warnings:?}");
}

#[test]
fn init_refuses_a_folder_in_use_and_writes_nothing() {
    let site = TestSite::empty();
    site.write("notes.txt", "mine\n");
    let before = dir_snapshot(site.root());
    match create_site(site.root(), LoadOptions::default().today) {
        Err(Error::Request(message)) => assert!(message.contains("is not an empty folder; nothing was written"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(dir_snapshot(site.root()), before);
    let file = site.root().join("notes.txt");
    assert!(create_site(&file, LoadOptions::default().today).is_err(), "a file is no folder to create a site in");
    assert_eq!(dir_snapshot(site.root()), before);
}

#[test]
fn the_binary_creates_a_site_prints_next_steps_and_refuses_to_repeat() {
    let dir = TestSite::empty();
    let out = gongkai_in(dir.root(), &["init", "xxgk"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("cd xxgk && gongkai serve"), "{stdout}");
    let built = gongkai_in(dir.root(), &["build", "--root", "xxgk"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(PathBuf::from(dir.root()).join("xxgk/public/index.html").is_file());
    let before = dir_snapshot(dir.root());
    let again = gongkai_in(dir.root(), &["init", "xxgk"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("xxgk is not an empty folder"));
    assert_eq!(dir_snapshot(dir.root()), before);
}
