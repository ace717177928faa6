//! The search index built in place reuses what the last build left (its cache in
//! public/): whatever changed, it writes the bytes a cold build of the same site
//! writes, and a cache that is missing or damaged means a full index, never a wrong one.

use std::fs;
use std::path::{Path, PathBuf};

use gongkai::BuildOptions;
use gongkai::rebuild::LiveSite;

use crate::util::*;

const CACHE: &str = ".gongkai.search-cache.bin";

/// The basic fixture with 40 more documents, over several chunks of the index.
fn site_with_many_documents() -> TestSite {
    let site = TestSite::basic();
    for n in 0..40 {
        let words = ["排污许可", "大气污染防治", "政务公开", "土壤环境", "噪声管理"];
        let body = format!("第{n}号文件。{}和{}的有关事项。\n\n本文件自发布之日起施行。", words[n % 5], words[(n * 3 + 1) % 5]);
        site.write(&format!("content/docs/2022/gen-{n:02}.md"), document(n, &format!("关于{}的通知（{n}）", words[n % 5]), &body));
    }
    site
}

fn document(n: usize, title: &str, body: &str) -> String {
    let month = n / 28 + 1;
    let day = n % 28 + 1;
    format!(
        "+++\ntitle = \"{title}\"\nindex_no = \"11111111-1-/2022-{month:02}{day:02}{n:03}\"\npublisher = \"测试市生态环境局\"\ncategory = \"gfxwj\"\ndate = 2022-{month:02}-{day:02}\nkeywords = [\"环境\"]\n+++\n\n{body}\n"
    )
}

/// The index's files and its cache, as a cold build into a folder of its own writes them.
fn cold_index(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    index_files(site.cold_snapshot())
}

fn index_files(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    files.into_iter().filter(|(name, _)| name == CACHE || name.starts_with("search/")).collect()
}

fn built_index(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    index_files(site.output_snapshot())
}

/// Builds in place and checks the index against a cold build's, file by file.
fn assert_same_as_cold(site: &TestSite, after: &str) {
    site.build_ok();
    let built = built_index(site);
    let cold = cold_index(site);
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&built), names(&cold), "after {after}: other files");
    for ((name, bytes), (_, expected)) in built.iter().zip(&cold) {
        assert!(bytes == expected, "after {after}: {name} differs from a cold build's");
    }
}

fn mtime(site: &TestSite, rel: &str) -> std::time::SystemTime {
    fs::metadata(site.root().join("public").join(rel)).unwrap().modified().unwrap()
}

#[test]
fn an_edit_rebuild_writes_the_same_search_index_as_a_cold_build() {
    let site = site_with_many_documents();
    site.build_ok();
    assert!(site.has_output(CACHE), "the index leaves its cache beside the record");
    site.edit("content/docs/2022/gen-07.md", "本文件自发布之日起施行。", "本文件自发布之日起施行。新增危险废物经营许可一段。");
    assert_same_as_cold(&site, "a text edit");
    site.edit("content/docs/2022/gen-12.md", "title = \"关于", "title = \"修订后关于");
    assert_same_as_cold(&site, "a title edit");
    // Fields the index shows or looks up besides the text: the 统一登记号 and the validity.
    site.edit("content/docs/2022/gen-12.md", "title = \"修订后关于", "reg_no = \"ZJSP01-2022-0007\"\ntitle = \"修订后关于");
    assert_same_as_cold(&site, "a reg_no added");
    site.edit("content/docs/2022/gen-12.md", "title = \"修订后关于", "validity = \"amended\"\ntitle = \"修订后关于");
    assert_same_as_cold(&site, "a validity changed to amended");
    site.write("content/docs/2022/gen-new.md", document(90, "新增的机动车排放检验通知", "机动车排放检验机构名单。"));
    assert_same_as_cold(&site, "a document added");
    site.remove("content/docs/2022/gen-03.md");
    assert_same_as_cold(&site, "a document removed");
    site.edit("content/docs/2022/gen-20.md", "date = 2022-01-21", "date = 2021-12-30");
    assert_same_as_cold(&site, "a document moved in the numbering by its date");
    site.edit("content/docs/2022/gen-21.md", "本文件", "本通知");
    site.edit("content/docs/2022/gen-22.md", "本文件", "本规定");
    site.remove("content/docs/2022/gen-30.md");
    assert_same_as_cold(&site, "several changes at once");
}

#[test]
fn an_edit_rewrites_only_the_chunk_of_the_edited_document() {
    let site = site_with_many_documents();
    site.build_ok();
    let chunks = || site.output_files().into_iter().filter(|f| f.starts_with("search/d/")).collect::<Vec<_>>();
    let before: Vec<_> = chunks().into_iter().map(|f| (mtime(&site, &f), f)).collect();
    assert!(before.len() > 3, "{before:?}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.edit("content/docs/2022/gen-07.md", "本文件自发布之日起施行。", "本文件自发布之日起施行，另行通知。");
    site.build_ok();
    let rewritten: Vec<_> = before.iter().filter(|(t, f)| mtime(&site, f) != *t).map(|(_, f)| f.clone()).collect();
    assert_eq!(rewritten.len(), 1, "{rewritten:?}");
}

/// Something done to the cache file at the path given.
type Damage = fn(&Path);

#[test]
fn a_damaged_or_missing_cache_means_a_full_index_not_a_wrong_one() {
    let site = site_with_many_documents();
    site.build_ok();
    let cache = site.root().join("public").join(CACHE);
    let damages: [(&str, Damage); 4] = [
        ("truncated", |p| fs::write(p, &fs::read(p).unwrap()[..100]).unwrap()),
        ("deleted", |p| fs::remove_file(p).unwrap()),
        ("emptied", |p| fs::write(p, b"").unwrap()),
        ("changed in place, size and mtime kept", |p| {
            let mut bytes = fs::read(p).unwrap();
            let at = bytes.len() / 2;
            bytes[at] ^= 0x55;
            let modified = fs::metadata(p).unwrap().modified().unwrap();
            let file = fs::OpenOptions::new().write(true).open(p).unwrap();
            std::io::Write::write_all(&mut &file, &bytes).unwrap();
            file.set_modified(modified).unwrap();
        }),
    ];
    for (n, (damage, apply)) in damages.iter().enumerate() {
        site.edit("content/docs/2022/gen-05.md", "本文件", &format!("本文件（第{n}次修改）"));
        apply(&cache);
        assert_same_as_cold(&site, &format!("an edit with the cache {damage}"));
    }
}

#[test]
fn search_turned_off_removes_the_cache_and_on_again_indexes_from_scratch() {
    let site = site_with_many_documents();
    site.build_ok();
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}\n[search]\nenabled = false\n"));
    site.build_ok();
    assert!(!site.has_output(CACHE), "the cache goes with the index");
    site.edit("content/docs/2022/gen-09.md", "本文件", "该文件");
    site.write("content/site.toml", settings);
    assert_same_as_cold(&site, "search turned off and on again");
}

#[test]
fn a_file_of_the_users_named_like_the_cache_is_never_read_or_overwritten() {
    let site = site_with_many_documents();
    fs::create_dir_all(site.root().join("public")).unwrap();
    fs::write(site.root().join("public").join(CACHE), b"mine").unwrap();
    assert!(site.build().is_err(), "the build refuses to write over a file it did not build");
    assert_eq!(fs::read(site.root().join("public").join(CACHE)).unwrap(), b"mine");
}

#[test]
fn serve_updates_the_index_from_its_cache_as_a_cold_build_would() {
    let site = site_with_many_documents();
    let mut live = LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
    live.rebuild().expect("first build");
    site.edit("content/docs/2022/gen-11.md", "本文件", "本文件（修改）");
    live.changed(&[PathBuf::from("content/docs/2022/gen-11.md")]);
    live.rebuild().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    assert_eq!(built_index(&site), cold_index(&site));
    site.remove("content/docs/2022/gen-12.md");
    live.changed(&[PathBuf::from("content/docs/2022/gen-12.md")]);
    live.rebuild().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    assert_eq!(built_index(&site), cold_index(&site));
}
