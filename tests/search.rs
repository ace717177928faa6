//! The search index under public/search/, read back the way docs/search.md says a
//! client reads it: every document's tokens lead to it, in the right shard, with its
//! number; numbers follow the date; attributes, years and look-up keys point at the
//! right documents.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use gongkai::BuildOptions;
use gongkai::rebuild::LiveSite;
use gongkai::search::lookup::normalize_key;
use gongkai::search::tokens::{each_index_token, tokens};
use serde_json::Value;

use crate::util::*;

/// A token's posting: its df, document numbers and impacts.
type Posting = (usize, Vec<u32>, Vec<u8>);

/// A built index, decoded.
struct Index {
    manifest: Value,
    docs: Vec<Value>,
    postings: BTreeMap<String, Posting>,
    keys: BTreeMap<String, Vec<u32>>,
    attrs: Vec<u8>,
}

impl Index {
    fn read(site: &TestSite) -> Index {
        let manifest: Value = serde_json::from_str(&site.output("search/index.json")).unwrap();
        let n = manifest["docs"].as_u64().unwrap() as usize;
        let chunk = manifest["chunk"].as_u64().unwrap() as usize;
        let mut docs = Vec::new();
        for c in 0..n.div_ceil(chunk) {
            let chunk_docs: Vec<Value> = serde_json::from_slice(&inflate(site, &format!("search/d/{c}.bin"))).unwrap();
            assert!(chunk_docs.len() == chunk || c == n / chunk, "d/{c}.bin holds {} documents", chunk_docs.len());
            docs.extend(chunk_docs);
        }
        assert_eq!(docs.len(), n);
        let shards = manifest["shards"].as_u64().unwrap() as u32;
        let mut postings = BTreeMap::new();
        for s in 0..shards {
            for (token, posting) in read_shard(site, &format!("search/t/{s}.bin")) {
                assert_eq!(fnv1a32(token.as_bytes()) % shards, s, "{token} is in the wrong shard");
                assert!(postings.insert(token.clone(), posting).is_none(), "{token} is in two shards");
            }
        }
        let mut keys = BTreeMap::new();
        let key_shards = manifest["keys"].as_u64().unwrap() as u32;
        for s in 0..key_shards {
            let shard: BTreeMap<String, Vec<u32>> = serde_json::from_slice(&inflate(site, &format!("search/k/{s}.bin"))).unwrap();
            for (key, numbers) in shard {
                assert_eq!(fnv1a32(key.as_bytes()) % key_shards, s, "look-up key {key} is in the wrong shard");
                keys.insert(key, numbers);
            }
        }
        let attrs = inflate(site, "search/attrs.bin");
        Index { manifest, docs, postings, keys, attrs }
    }

    fn numbers_of(&self, token: &str) -> &[u32] {
        self.postings.get(token).map(|p| p.1.as_slice()).unwrap_or_else(|| panic!("no posting for {token}"))
    }

    fn number_of(&self, index_no: &str) -> u32 {
        self.docs.iter().position(|d| d["index_no"] == index_no).unwrap_or_else(|| panic!("no document {index_no}")) as u32
    }
}

/// The documents of a built index, as its `d/` chunks hold them (for other modules'
/// tests of what the index says).
pub(crate) fn index_documents(site: &TestSite) -> Vec<Value> {
    Index::read(site).docs
}

fn inflate(site: &TestSite, rel: &str) -> Vec<u8> {
    let bytes = std::fs::read(site.root().join("public").join(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"));
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap_or_else(|e| panic!("{rel} is not deflate-raw: {e}"));
    out
}

fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(2_166_136_261u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(16_777_619))
}

fn varint(bytes: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0;
    for shift in (0..64).step_by(7) {
        let b = bytes[*pos];
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
    }
    v
}

/// The entries of a token shard, following external postings.
fn read_shard(site: &TestSite, rel: &str) -> Vec<(String, Posting)> {
    let bytes = inflate(site, rel);
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < bytes.len() {
        let len = varint(&bytes, &mut pos) as usize;
        let token = String::from_utf8(bytes[pos..pos + len].to_vec()).unwrap();
        pos += len;
        let df = varint(&bytes, &mut pos) as usize;
        let (docs, impacts) = if bytes[pos] == 2 {
            pos += 1;
            let file = varint(&bytes, &mut pos);
            let external = inflate(site, &format!("search/t/x{file}.bin"));
            let mut at = 0;
            let posting = read_posting(&external, &mut at, df);
            assert_eq!(at, external.len(), "t/x{file}.bin has bytes after its posting");
            posting
        } else {
            read_posting(&bytes, &mut pos, df)
        };
        out.push((token, (df, docs, impacts)));
    }
    out
}

fn read_posting(bytes: &[u8], pos: &mut usize, df: usize) -> (Vec<u32>, Vec<u8>) {
    let kind = bytes[*pos];
    *pos += 1;
    let mut docs = Vec::new();
    match kind {
        0 => {
            let mut doc = 0;
            for i in 0..df {
                let v = varint(bytes, pos);
                doc = if i == 0 { v } else { doc + v };
                docs.push(doc as u32);
            }
        }
        1 => {
            let first = varint(bytes, pos);
            let len = varint(bytes, pos) as usize;
            for i in 0..len * 8 {
                if bytes[*pos + i / 8] & (1 << (i % 8)) != 0 {
                    docs.push((first + i as u64) as u32);
                }
            }
            *pos += len;
        }
        k => panic!("posting kind {k}"),
    }
    assert_eq!(docs.len(), df, "df and the posting disagree");
    let impacts = (0..df).map(|i| (bytes[*pos + i / 2] >> (4 * (i % 2))) & 0x0f).collect();
    *pos += df.div_ceil(2);
    (docs, impacts)
}

/// The fields of a document as the index counts them.
fn index_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_index_token(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

fn fields(doc: &Value) -> Vec<String> {
    let mut out = vec![doc["title"].as_str().unwrap().to_string(), doc["index_no"].as_str().unwrap().to_string()];
    out.extend(doc["doc_no"].as_str().map(str::to_string));
    out.extend(doc["keywords"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_string()));
    out.push(doc["publisher"].as_str().unwrap().to_string());
    out.push(doc["text"].as_str().unwrap().to_string());
    out
}

/// The basic fixture and two more documents published on the same day as the
/// policy, so that the 索引号 decides their order.
fn site_with_same_day_documents() -> TestSite {
    let site = TestSite::basic();
    for (name, index_no, title, doc_no) in [
        ("same-b", "11111111-1-/2023-0301003", "关于水污染防治的通知", "测环发〔2023〕5号"),
        ("same-a", "11111111-1-/2023-0301002", "关于ＸＸＧＫ平台２０２３年运行的报告", "测环办（2023）3号"),
    ] {
        site.write(
            &format!("content/docs/2023/{name}.md"),
            format!("+++\ntitle = \"{title}\"\nindex_no = \"{index_no}\"\npublisher = \"测试市生态环境局办公室\"\ncategory = \"gzjh\"\ndate = 2023-03-01\ndoc_no = \"{doc_no}\"\nvalidity = \"expired\"\n+++\n\n排污许可证的申请\n与核发。\n\n- 第一项\n- 第二项{}\n", if name == "same-b" { "\n\n根据测环发〔2023〕3号文件要求。" } else { "" }),
        );
    }
    site
}

#[test]
fn the_manifest_describes_the_index() {
    let site = site_with_same_day_documents();
    site.build_ok();
    let index = Index::read(&site);
    let m = &index.manifest;
    assert_eq!(m["format"], 1);
    assert_eq!(m["docs"], 7);
    assert_eq!((m["k1"].as_f64(), m["b"].as_f64()), (Some(1.2), Some(0.75)));
    assert!(m["build"].as_str().is_some_and(|b| b.len() == 16 && b.chars().all(|c| c.is_ascii_hexdigit())), "{}", m["build"]);
    let categories: Vec<(String, Value)> =
        m["categories"].as_array().unwrap().iter().map(|c| (c["code"].as_str().unwrap().to_string(), c["parent"].clone())).collect();
    assert!(categories.contains(&("ghjh".into(), Value::Null)), "{categories:?}");
    assert!(categories.contains(&("gzjh".into(), "ghjh".into())), "{categories:?}");
    let position = |code: &str| categories.iter().position(|c| c.0 == code).unwrap();
    assert!(position("ghjh") < position("gzjh"), "parents come before their children");
    let validity: Vec<&str> = m["validity"].as_array().unwrap().iter().map(|v| v["code"].as_str().unwrap()).collect();
    assert_eq!(validity, ["effective", "repealed", "expired", "amended"], "amended last: older indices keep their numbers");
    let publishers: Vec<&str> = m["publishers"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(publishers, ["测试市生态环境局", "测试市生态环境局办公室"], "the main publisher first");
}

#[test]
fn documents_are_numbered_newest_first_and_years_are_ranges() {
    let site = site_with_same_day_documents();
    site.build_ok();
    let index = Index::read(&site);
    let order: Vec<(&str, &str)> = index.docs.iter().map(|d| (d["date"].as_str().unwrap(), d["index_no"].as_str().unwrap())).collect();
    let mut expected = order.clone();
    expected.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(b.1)));
    assert_eq!(order, expected);
    let same_day: Vec<&str> = order.iter().filter(|o| o.0 == "2023-03-01").map(|o| o.1).collect();
    assert_eq!(same_day, ["11111111-1-/2023-0301001", "11111111-1-/2023-0301002", "11111111-1-/2023-0301003"]);
    let mut next = 0;
    for y in index.manifest["years"].as_array().unwrap() {
        let (start, end) = (y["start"].as_u64().unwrap() as usize, y["end"].as_u64().unwrap() as usize);
        assert_eq!(start, next, "years follow each other: {}", index.manifest["years"]);
        assert!(index.docs[start..end].iter().all(|d| d["date"].as_str().unwrap().starts_with(&y["year"].to_string())));
        next = end;
    }
    assert_eq!(next, index.docs.len());
}

#[test]
fn every_token_of_every_document_leads_to_it() {
    let site = site_with_same_day_documents();
    site.build_ok();
    let index = Index::read(&site);
    for (number, doc) in index.docs.iter().enumerate() {
        for field in fields(doc) {
            for token in tokens(&field) {
                assert!(index.numbers_of(&token).contains(&(number as u32)), "{token} (in {field:?}) does not lead to document {number}");
            }
        }
    }
    for (token, (df, numbers, impacts)) in &index.postings {
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{token}: numbers in order");
        assert!(*df > 0 && impacts.iter().all(|i| (1..=15).contains(i)), "{token}: impacts 1..15, got {impacts:?}");
        let holders = index.docs.iter().filter(|d| fields(d).iter().any(|f| index_tokens(f).contains(token))).count();
        assert_eq!(*df, holders, "{token}: df is the number of documents holding it");
    }
    // Full-width letters and digits are indexed as ASCII, lower-cased.
    let same_a = index.number_of("11111111-1-/2023-0301002");
    assert!(index.numbers_of("xxgk").contains(&same_a) && index.numbers_of("2023").contains(&same_a));
    // A lone CJK character of a query (〔2023〕3号, 根据) finds the first or last
    // character of a longer run: here 根据测环发 and 号文件要求.
    let same_b = index.number_of("11111111-1-/2023-0301003");
    assert!(index.numbers_of("根").contains(&same_b) && index.numbers_of("求").contains(&same_b));
    // A line break inside a Chinese paragraph is no break in the text.
    assert!(index.numbers_of("请与").contains(&same_a), "申请\\n与核发 reads on");
}

#[test]
fn a_title_hit_weighs_more_than_a_body_hit() {
    let site = site_with_same_day_documents();
    site.build_ok();
    let index = Index::read(&site);
    // 排污 is in the policy's title, keywords and body, and only in the others' bodies.
    let (_, numbers, impacts) = &index.postings["排污"];
    let impact_of = |n: u32| impacts[numbers.iter().position(|&d| d == n).unwrap()];
    let policy = index.number_of("11111111-1-/2023-0301001");
    let other = index.number_of("11111111-1-/2023-0301003");
    assert!(impact_of(policy) > impact_of(other), "{} vs {}", impact_of(policy), impact_of(other));
}

#[test]
fn attributes_give_each_document_its_category_publisher_and_validity() {
    let site = site_with_same_day_documents();
    site.build_ok();
    let index = Index::read(&site);
    let n = index.docs.len();
    let m = &index.manifest;
    assert_eq!(index.attrs.len(), 3 * n, "one byte per document and list while the lists are short");
    for (i, doc) in index.docs.iter().enumerate() {
        let category = &m["categories"][index.attrs[i] as usize];
        assert_eq!(category["code"], doc["category"]);
        assert_eq!(m["publishers"][index.attrs[n + i] as usize], doc["publisher"]);
        assert_eq!(m["validity"][index.attrs[2 * n + i] as usize]["code"], doc["validity"]);
    }
    assert_eq!(index.docs[index.number_of("11111111-1-/2023-0301002") as usize]["validity"], "expired");
}

#[test]
fn index_and_document_numbers_are_looked_up_whole_and_by_their_distinctive_part() {
    let site = site_with_same_day_documents();
    site.build_ok();
    let index = Index::read(&site);
    let policy = index.number_of("11111111-1-/2023-0301001");
    let same_a = index.number_of("11111111-1-/2023-0301002");
    let find = |query: &str| index.keys.get(&normalize_key(query)).cloned().unwrap_or_default();
    assert_eq!(find("11111111-1-/2023-0301001"), [policy]);
    assert_eq!(find("2023-0301001"), [policy]);
    assert_eq!(find("测环发〔2023〕3号"), [policy]);
    assert_eq!(find("测环发[2023]3号"), [policy], "half-width brackets");
    assert_eq!(find("测环办(２０２３)３号"), [same_a], "full-width digits, round brackets");
    let mut both = vec![policy, same_a];
    both.sort();
    assert_eq!(find("〔2023〕3号"), both, "the distinctive part of a 文号 lists every document that has it");
    assert!(index.keys.keys().all(|k| *k == normalize_key(k)), "keys are stored normalized");
}

#[test]
fn chunks_hold_what_a_result_shows_with_urls_under_base_url() {
    let site = TestSite::basic();
    site.build_under("/xxgk/");
    let index = Index::read(&site);
    let policy = &index.docs[index.number_of("11111111-1-/2023-0301001") as usize];
    assert_eq!(policy["url"], "/xxgk/docs/policy/");
    assert_eq!(policy["title"], "测试市生态环境局关于排污许可管理的规定");
    assert_eq!(policy["doc_no"], "测环发〔2023〕3号");
    assert_eq!(policy["publisher"], "测试市生态环境局");
    assert_eq!(policy["date"], "2023-03-01");
    assert_eq!(policy["category"], "gfxwj");
    assert_eq!(policy["validity"], "effective");
    assert_eq!(policy["keywords"], serde_json::json!(["排污许可", "规范性文件"]));
    let text = policy["text"].as_str().unwrap();
    assert!(text.starts_with("总则\n为规范排污许可管理,制定本规定。"), "{text}");
    assert!(!text.contains('#') && !text.contains('|') && !text.contains("~~"), "no Markdown left: {text}");
    assert!(index.docs.iter().any(|d| d["doc_no"].is_null()), "no 文号 is null");
}

#[test]
fn the_same_site_gives_the_same_index() {
    let site = TestSite::basic();
    site.build_ok();
    let first = search_files(&site);
    site.build_ok();
    assert!(first == search_files(&site), "a second build wrote other bytes");
    site.edit("content/docs/policy.md", "制定本规定", "特制定本规定");
    site.build_ok();
    let edited = search_files(&site);
    let build = |files: &[(String, Vec<u8>)]| {
        let manifest = &files.iter().find(|f| f.0 == "search/index.json").unwrap().1;
        serde_json::from_slice::<Value>(manifest).unwrap()["build"].clone()
    };
    assert_ne!(build(&first), build(&edited), "the build id follows the content");
}

/// The files of the index (not the search page or the theme's engine.js beside them).
fn search_files(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    site.output_snapshot().into_iter().filter(|(f, _)| is_index_file(f)).collect()
}

fn is_index_file(path: &str) -> bool {
    let Some(rel) = path.strip_prefix("search/") else { return false };
    rel == "index.json" || rel == "attrs.bin" || ["t/", "d/", "k/"].iter().any(|dir| rel.starts_with(dir))
}

#[test]
fn search_can_be_switched_off() {
    let site = TestSite::basic();
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}\n[search]\nenabled = false\n"));
    assert!(site.warnings().is_empty(), "{:?}", site.warnings());
    site.build_ok();
    assert!(!site.output_files().iter().any(|f| is_index_file(f)), "{:?}", site.output_files());
    assert!(!site.has_output("search/index.html"), "no search page either");
    site.edit("content/site.toml", "enabled = false", "enabled = false\nenabeld = true");
    let line = settings.lines().count() + 4;
    assert_reported(&site.warnings(), &format!("content/site.toml:{line}: warning: unknown setting `search.enabeld`"), "search.enabled");
}

#[test]
fn serve_keeps_the_index_current() {
    let site = TestSite::basic();
    let mut live = LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
    live.rebuild().expect("first build");
    let before = Index::read(&site);
    assert!(!before.postings.contains_key("噪声"));
    site.edit("content/docs/policy.md", "制定本规定。", "制定本规定。噪声污染防治另行规定。");
    live.changed(&[PathBuf::from("content/docs/policy.md")]);
    let rebuilt = live.rebuild().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    let after = Index::read(&site);
    assert_eq!(after.numbers_of("噪声"), [after.number_of("11111111-1-/2023-0301001")]);
    assert!(rebuilt.changed >= 3, "the page, the manifest, a chunk and a shard at least: {rebuilt:?}");
    assert_ne!(before.manifest["build"], after.manifest["build"]);
    // The server writes the pages first and the index after them.
    site.edit("content/docs/policy.md", "噪声污染防治", "光污染防治");
    live.changed(&[PathBuf::from("content/docs/policy.md")]);
    live.rebuild_pages().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    assert!(site.output("docs/policy/index.html").contains("光污染防治"));
    assert!(!Index::read(&site).postings.contains_key("光污"), "the index waits for update_search");
    // Another save arriving meanwhile: the index is given up, written later.
    assert!(matches!(live.update_search(&|| true), Err(gongkai::Error::Superseded)));
    assert!(!Index::read(&site).postings.contains_key("光污"), "a superseded index writes nothing");
    assert!(live.update_search(&|| false).unwrap() >= 3);
    assert!(Index::read(&site).postings.contains_key("光污"));
    assert_eq!(live.update_search(&|| false).unwrap(), 0, "nothing more to do");
    let settings = site.read_source("content/site.toml");
    site.write("content/site.toml", format!("{settings}\n[search]\nenabled = false\n"));
    live.changed(&[PathBuf::from("content/site.toml")]);
    live.rebuild().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    assert!(!site.output_files().iter().any(|f| is_index_file(f)), "{:?}", site.output_files());
}

/// Each document's body as attrs.bin gives it (docs/search.md §3): 0 for its
/// publisher's, else 1 + its index in `bodies`.
fn bodies_of(index: &Index) -> Vec<usize> {
    let n = index.docs.len();
    let m = &index.manifest;
    let wide = |list: &str| if m[list].as_array().unwrap().len() > 255 { 2 } else { 1 };
    let start = n * (wide("categories") + wide("publishers") + 1);
    assert_eq!(index.attrs.len(), start + n, "a fourth array, one byte per document while the list is short");
    (0..n)
        .map(|i| {
            let publisher = index.attrs[n * wide("categories") + i] as usize;
            match index.attrs[start + i] as usize {
                0 => m["publisher_bodies"][publisher].as_u64().unwrap() as usize,
                stored => stored - 1,
            }
        })
        .collect()
}

#[test]
fn a_platforms_index_gives_each_document_its_body_and_a_single_bodys_has_none() {
    let site = crate::departments::platform();
    // The department's document in the owner's name: its body is not its publisher's.
    site.write(
        "content/departments/jyj/docs/2023/joint.md",
        "+++\ntitle = \"联合通知\"\nindex_no = \"22222222-2-/2023-0402001\"\npublisher = \"测试市生态环境局\"\ncategory = \"gfxwj\"\ndate = 2023-04-02\n+++\n\n联合。\n",
    );
    site.build_ok();
    let index = Index::read(&site);
    let m = &index.manifest;
    // The owner, then departments, then towns, though the town's `order` comes first.
    assert_eq!(
        m["bodies"],
        serde_json::json!([
            { "code": null, "name": "测试市生态环境局", "kind": "owner" },
            { "code": "jyj", "name": "测试县教育局", "kind": "department" },
            { "code": "town-a", "name": "测试镇人民政府", "kind": "town" },
        ])
    );
    let publishers: Vec<&str> = m["publishers"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let main_body = |publisher: &str| m["publisher_bodies"][publishers.iter().position(|p| *p == publisher).unwrap()].clone();
    assert_eq!((main_body("测试市生态环境局"), main_body("测试县教育局"), main_body("测试镇财政所")), (0.into(), 1.into(), 2.into()));
    let code_at = |url: &str| ["jyj", "town-a"].iter().position(|c| url.starts_with(&format!("/bm/{c}/"))).map_or(0, |i| i + 1);
    let bodies = bodies_of(&index);
    for (doc, body) in index.docs.iter().zip(&bodies) {
        assert_eq!(*body, code_at(doc["url"].as_str().unwrap()), "{}", doc["url"]);
    }
    let joint = index.number_of("22222222-2-/2023-0402001") as usize;
    let stored: Vec<usize> = (0..index.docs.len()).filter(|&i| index.attrs[3 * index.docs.len() + i] != 0).collect();
    assert_eq!(stored, [joint], "only a document outside its publisher's body is stored");
    // The town's own category is named as its directory names it.
    let czxx = m["categories"].as_array().unwrap().iter().find(|c| c["code"] == "czxx").cloned();
    assert_eq!(czxx, Some(serde_json::json!({ "code": "czxx", "name": "财政信息", "parent": null })));

    let single = TestSite::basic();
    single.build_ok();
    let manifest = Index::read(&single).manifest;
    assert!(manifest.get("bodies").is_none() && manifest.get("publisher_bodies").is_none(), "{manifest}");
}

#[test]
fn renaming_a_department_renames_it_in_the_index_on_the_next_build_and_while_serving() {
    let site = crate::departments::platform();
    // Publishers of their own, so that the department's name is in the index only as its name.
    for doc in ["content/departments/jyj/docs/2023/notice.md", "content/departments/jyj/reports/2023.md"] {
        site.edit(doc, "date = ", "publisher = \"测试县教育局办公室\"\ndate = ");
    }
    site.build_ok();
    // The next build keeps the index only when nothing it is made of changed.
    site.edit("content/departments/jyj/department.toml", "测试县教育局", "测试县教育体育局");
    site.build_ok();
    assert_eq!(Index::read(&site).manifest["bodies"][1]["name"], "测试县教育体育局");
    let mut live = LiveSite::open(site.root(), &BuildOptions::default()).expect("open");
    live.rebuild().expect("first build");
    site.edit("content/departments/jyj/department.toml", "测试县教育体育局", "测试县教育局");
    live.changed(&[PathBuf::from("content/departments/jyj/department.toml")]);
    live.rebuild().unwrap_or_else(|e| panic!("rebuild: {}", describe(&e)));
    assert_eq!(Index::read(&site).manifest["bodies"][1]["name"], "测试县教育局");
}
