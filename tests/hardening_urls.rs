//! Addresses, settings and output paths that must not be taken as given: base_url and
//! site_url that could point elsewhere, file names every output must encode alike,
//! names that cannot become an address or that share one, version labels and years
//! that become path segments, and theme names.

use crate::util::*;

/// A document of the basic fixture's leaf category `gfxwj`, numbered `n`.
fn document(n: u32) -> String {
    format!(
        "+++\ntitle = \"测试文件{n}\"\nindex_no = \"11111111-1-/2024-0101{n:03}\"\npublisher = \"测试市生态环境局\"\n\
         category = \"gfxwj\"\ndate = 2024-01-{n:02}\n+++\n\n正文。\n"
    )
}

fn with_setting(site: &TestSite, from: &str, to: &str) {
    site.edit("content/site.toml", from, to);
}

// base_url: a backslash or a tab makes browsers read `/\evil.example/` as `//evil.example/`.

#[test]
fn base_url_with_backslash_is_refused() {
    let site = TestSite::basic();
    with_setting(&site, "base_url = \"/\"", "base_url = '/\\evil.example/'");
    let errors = site.errors();
    assert_line(
        &errors,
        "content/site.toml:4: base_url \"/\\\\evil.example/\" must be a path on the web server, such as \"/\" or \"/xxgk/\", \
         made of letters, digits, '-', '_', '.' and '~' between slashes; it contains \"\\\"",
    );
}

#[test]
fn base_url_with_tab_is_refused() {
    let site = TestSite::basic();
    with_setting(&site, "base_url = \"/\"", "base_url = \"/\\t/evil.example/\"");
    assert_reported(&site.errors(), "content/site.toml:4: base_url \"/\\t/evil.example/\"", "the control character U+0009");
}

#[test]
fn base_url_flag_with_backslash_is_refused_naming_the_flag() {
    let site = TestSite::basic();
    let out = site.cli(&["build", "--base-url", "/\\evil.example/"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("--base-url: base_url \"/\\\\evil.example/\" must be a path"), "{stderr}");
    assert!(!site.has_output("index.html"), "nothing is written");
}

#[test]
fn plain_base_url_still_works() {
    let site = TestSite::basic();
    site.build_under("/xxgk/a-b_c.d~e/");
    let scripts = select_attrs(&html(&site.output("index.html")), "script[src]", "src");
    assert!(scripts.contains(&"/xxgk/a-b_c.d~e/js/a11y.js".to_string()), "{scripts:?}");
    assert!(site.output("sitemap.xml").contains("<loc>https://test.example.gov.cn/xxgk/a-b_c.d~e/guide/</loc>"));
}

// Odd file names: every output writes the one percent-encoded form.

const ODD_NAMES: [(&str, &str); 5] = [
    ("a#b", "a%23b"),
    ("a?b", "a%3Fb"),
    ("100%", "100%25"),
    ("a b", "a%20b"),
    (
        "朝阳市环保局 2011年…",
        "%E6%9C%9D%E9%98%B3%E5%B8%82%E7%8E%AF%E4%BF%9D%E5%B1%80%202011%E5%B9%B4%E2%80%A6",
    ),
];

#[test]
fn odd_file_names_are_encoded_alike_in_every_output() {
    let site = TestSite::basic();
    for (n, (name, _)) in ODD_NAMES.iter().enumerate() {
        site.write(&format!("content/docs/2024/{name}.md"), document(n as u32 + 1));
    }
    site.build_ok();
    let atom = site.output("atom.xml");
    let sitemap = site.output("sitemap.xml");
    let catalogue: serde_json::Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let catalogue_urls: Vec<&str> = catalogue.as_array().unwrap().iter().map(|e| e["url"].as_str().unwrap()).collect();
    // The home page lists the ten newest documents, these five among them.
    let home_links = select_attrs(&html(&site.output("index.html")), "a", "href");
    let search_urls: Vec<String> =
        crate::search::index_documents(&site).iter().map(|d| d["url"].as_str().unwrap().to_string()).collect();
    for (name, encoded) in ODD_NAMES {
        let url = format!("/docs/2024/{encoded}/");
        let absolute = format!("https://test.example.gov.cn{url}");
        assert!(atom.contains(&format!("<link href=\"{absolute}\"/>")), "atom.xml lacks {absolute}:\n{atom}");
        assert!(atom.contains(&format!("<id>{absolute}</id>")), "atom.xml lacks the id {absolute}");
        assert!(sitemap.contains(&format!("<loc>{absolute}</loc>")), "sitemap.xml lacks {absolute}");
        assert!(catalogue_urls.contains(&url.as_str()), "catalogue.json lacks {url}: {catalogue_urls:?}");
        assert!(home_links.contains(&url), "the home page does not link {url}: {home_links:?}");
        assert!(search_urls.contains(&url), "the search index lacks {url}: {search_urls:?}");
        let raw = format!("/docs/2024/{name}/");
        for (output, text) in [("atom.xml", &atom), ("sitemap.xml", &sitemap)] {
            assert!(!text.contains(&raw), "{output} has the raw {raw}");
        }
        assert!(site.has_output(&format!("docs/2024/{name}/index.html")), "the page of {name}.md is written under its name");
    }
}

// Names that cannot become an address, or that share one.

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_refused_each_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::basic();
    for (n, byte) in [(1, b'\xff'), (2, b'\xfe')] {
        let name = [byte, b'.', b'm', b'd'];
        let path = site.root().join("content/docs/2024").join(std::ffi::OsStr::from_bytes(&name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, document(n)).unwrap();
    }
    let errors = site.errors();
    for shown in ["\\xFF", "\\xFE"] {
        assert_reported(&errors, "content/docs/2024/", &format!("the path \"content/docs/2024/{shown}.md\" is not UTF-8 text"));
    }
    assert!(site.build().is_err());
    assert!(!site.has_output("index.html"), "nothing is written");
}

#[test]
fn backslash_in_a_file_name_is_refused() {
    if cfg!(windows) {
        return; // There a backslash cannot be part of a name.
    }
    let site = TestSite::basic();
    site.write("content/docs/2024/back\\slash.md", document(1));
    assert_line(
        &site.errors(),
        "content/docs/2024/back\\slash.md: the name contains \"\\\", which browsers and Windows read as a folder separator: \
         rename it (e.g. with \"-\" instead)",
    );
}

#[test]
fn names_differing_only_in_case_are_warned_about() {
    let site = TestSite::basic();
    site.write("content/docs/2024/A.md", document(1)).write("content/docs/2024/a.md", document(2));
    assert_reported(
        &site.warnings(),
        "content/docs/2024/a.md: warning: its address /docs/2024/a/ differs from /docs/2024/A/ (content/docs/2024/A.md) only in upper and lower case",
        "rename one of the files",
    );
}

#[test]
fn two_versions_with_one_label_are_an_error() {
    let site = TestSite::basic();
    site.write("content/guide/2023b.md", "+++\ntitle = \"指南\"\nversion = \"2023\"\neffective = 2023-02-01\n+++\n\n正文。\n");
    assert_line(
        &site.errors(),
        "content/guide/2023b.md:3: its address /guide/2023/ is also that of content/guide/2023.md, and one would replace the other: \
         give each version its own label",
    );
}

// Version labels and years become path segments.

#[test]
fn version_dot_is_refused_at_its_line() {
    for label in [".", "..", "2019."] {
        let site = TestSite::basic();
        site.write("content/guide/2019.md", format!("+++\ntitle = \"旧版指南\"\nversion = \"{label}\"\neffective = 2019-05-15\n+++\n\n旧版。\n"));
        assert_reported(&site.errors(), "content/guide/2019.md:3: ", &format!("version \"{label}\" is used in the page's address"));
        assert!(site.build().is_err(), "version {label:?} is refused by the build too");
        assert!(!site.has_output("guide/index.html"));
    }
}

#[test]
fn year_zero_date_is_refused_at_its_line() {
    let site = TestSite::basic();
    site.edit("content/docs/2023/old.md", "date = 2023-01-01", "date = 0000-01-01");
    site.write("content/guide/2019.md", "+++\ntitle = \"旧版指南\"\nversion = \"2019\"\neffective = 2101-05-15\n+++\n\n旧版。\n");
    let errors = site.errors();
    assert_line(&errors, "content/docs/2023/old.md:6: date 0000-01-01: its year is outside 1949–2100 (check the year)");
    assert_line(&errors, "content/guide/2019.md:4: effective 2101-05-15: its year is outside 1949–2100 (check the year)");
}

#[test]
fn new_with_year_zero_date_is_refused() {
    let site = TestSite::basic();
    let before = dir_snapshot(site.root());
    let out = site.cli(&["new", "gfxwj", "标题", "--date", "0000-01-01"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("--date 0000-01-01: its year is outside 1949–2100 (check the year)"), "{stderr}");
    assert_eq!(dir_snapshot(site.root()), before, "nothing is written");
}

// site_url and theme.

#[test]
fn site_url_other_than_http_is_refused() {
    for (value, part) in [
        ("javascript:alert(1)", "it must start with https:// or http://"),
        ("https://a.gov.cn\"><x", "the host contains \"\"\""),
        ("https://a.gov.cn/xxgk", "put the path the site is served under in base_url"),
        ("https://", "the host is missing"),
    ] {
        let site = TestSite::basic();
        with_setting(&site, "site_url = \"https://test.example.gov.cn\"", &format!("site_url = '{value}'"));
        assert_reported(&site.errors(), "content/site.toml:6: site_url must be the site's scheme and host", part);
    }
}

#[test]
fn missing_site_url_is_warned_about() {
    let site = TestSite::basic();
    with_setting(&site, "site_url = \"https://test.example.gov.cn\"\n", "");
    assert_reported(&site.warnings(), "content/site.toml: warning: `site_url` is not set", "set site_url = \"https://www.example.gov.cn\"");
}

#[test]
fn theme_path_is_refused() {
    let site = TestSite::basic();
    site.write("elsewhere/static/js/a11y.js", "alert(1)");
    let outside = site.root().join("elsewhere");
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}theme = '{}'\n", outside.display()));
    let line = settings.lines().count() + 1;
    assert_reported(&site.errors(), &format!("content/site.toml:{line}: theme must be the name of a folder in themes/"), "not a path; it contains \"/\"");
}

#[test]
fn unknown_theme_is_an_error_naming_the_themes() {
    let site = TestSite::basic();
    site.write("themes/gov/static/css/extra.css", "a {}");
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}theme = \"gvo\"\n"));
    let line = settings.lines().count() + 1;
    assert_line(
        &site.errors(),
        &format!("content/site.toml:{line}: theme must be the name of a folder in themes/, such as \"default\"; there is no themes/gvo/ (themes there are: default, gov)"),
    );
    site.edit("content/site.toml", "\"gvo\"", "\"gov\"");
    site.build_ok();
    assert_eq!(site.output("css/extra.css"), "a {}");
}

#[test]
fn built_in_default_theme_needs_no_folder() {
    let site = TestSite::basic();
    assert!(!site.root().join("themes").exists());
    site.write("content/site.toml", format!("{}theme = \"default\"\n", site.read_source("content/site.toml")));
    site.build_ok();
    assert!(site.has_output("js/a11y.js"));
}
