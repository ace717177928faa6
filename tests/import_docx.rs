//! `gongkai::import::docx`: Word documents to drafts. The fixtures are written here with
//! docx-rs, laid out as official documents are (GB/T 9704): red head, 文号, title,
//! body, signer and date.

use std::io::Cursor;

use chrono::NaiveDate;
use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Pic, Run, Start,
    Style, StyleType, Table, TableCell, TableRow, VMergeType,
};
use gongkai::import::docx::{read, DocxDraft, DocxError};

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

fn right(s: &str) -> Paragraph {
    text(s).align(AlignmentType::Right)
}

fn cell(s: &str) -> TableCell {
    TableCell::new().add_paragraph(text(s))
}

fn pack(docx: Docx) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out).expect("docx-rs writes the fixture");
    out.into_inner()
}

fn convert(docx: Docx) -> DocxDraft {
    read(&pack(docx)).unwrap_or_else(|e| panic!("read failed: {e}"))
}

/// The bytes of the fixture's picture: only its signature matters here.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfixture";

/// A 通知 with every part: red head, half-width 文号, a two-line title, the four
/// heading levels, bold, a Word list, a table with merged cells, a picture, the
/// signer, the date and a 附注 after it.
fn notice() -> Docx {
    let list = AbstractNumbering::new(1).add_level(Level::new(0, Start::new(1), NumberFormat::new("decimal"), LevelText::new("%1."), LevelJc::new("left")));
    let item = |s: &str| text(s).numbering(NumberingId::new(2), IndentLevel::new(0));
    let table = Table::new(vec![
        TableRow::new(vec![cell("项目").grid_span(2), cell("数量")]),
        TableRow::new(vec![cell("大气").vertical_merge(VMergeType::Restart), cell("PM2.5"), cell("3")]),
        TableRow::new(vec![TableCell::new().add_paragraph(Paragraph::new()).vertical_merge(VMergeType::Continue), cell("PM10"), cell("4")]),
    ]);
    Docx::new()
        .add_abstract_numbering(list)
        .add_numbering(Numbering::new(2, 1))
        .add_paragraph(centred(Run::new().add_text("某某市生态环境局文件").color("FF0000").size(72).bold()))
        .add_paragraph(Paragraph::new())
        .add_paragraph(centred(Run::new().add_text("某环发[2024]3号").size(32)))
        .add_paragraph(Paragraph::new())
        .add_paragraph(centred(Run::new().add_text("关于加强大气污染").size(44).bold()))
        .add_paragraph(centred(Run::new().add_text("防治工作的通知").size(44).bold()))
        .add_paragraph(Paragraph::new())
        .add_paragraph(text("各区县生态环境分局："))
        .add_paragraph(text("　　为做好2024年大气污染防治工作，现通知如下。"))
        .add_paragraph(text("一、总体要求"))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("（一）加强领导").bold()))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("（二）落实责任。").bold()).add_run(Run::new().add_text("各地要明确分工，按时报送。")))
        .add_paragraph(text("1.明确分工"))
        .add_paragraph(text("（1）按时报送"))
        .add_paragraph(item("报送月报；"))
        .add_paragraph(item("报送年报。"))
        .add_table(table)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_image(Pic::new_with_dimensions(PNG.to_vec(), 1, 1))))
        .add_paragraph(Paragraph::new())
        .add_paragraph(right("某某市生态环境局"))
        .add_paragraph(right("二〇二四年三月五日"))
        .add_paragraph(text("（此件公开发布）"))
}

#[test]
fn an_official_notice_gives_its_metadata_and_body() {
    let draft = convert(notice());
    assert_eq!(draft.doc_no.as_deref(), Some("某环发〔2024〕3号"), "half-width brackets are written as 〔〕");
    assert_eq!(draft.title.as_deref(), Some("关于加强大气污染防治工作的通知"), "the title's two lines are one");
    assert_eq!(draft.written, NaiveDate::from_ymd_opt(2024, 3, 5));
    assert_eq!(draft.signer.as_deref(), Some("某某市生态环境局"));
    assert_eq!(draft.images.len(), 1);
    let image = &draft.images[0];
    assert_eq!(image.bytes, PNG);
    let expected = format!(
        "各区县生态环境分局：

为做好2024年大气污染防治工作，现通知如下。

## 一、总体要求

### （一）加强领导

**（二）落实责任**。各地要明确分工，按时报送。

#### 1.明确分工

##### （1）按时报送

1. 报送月报；
1. 报送年报。

| 项目 |  | 数量 |
| --- | --- | --- |
| 大气 | PM2.5 | 3 |
|  | PM10 | 4 |

![]({})

（此件公开发布）
",
        image.name
    );
    assert_eq!(draft.markdown, expected);
    assert_eq!(draft.warnings.len(), 1, "the merged cells are reported: {:?}", draft.warnings);
}

#[test]
fn the_body_renders_as_gongkai_shows_it() {
    let mut draft = convert(notice());
    draft.relink(|name| format!("/files/2024/{name}"));
    let name = draft.images[0].name.clone();
    assert!(draft.markdown.contains(&format!("](/files/2024/{name})")), "{}", draft.markdown);
    let html = gongkai::render::markdown::to_html(&draft.markdown, "/", false, &|_| None);
    assert!(html.contains("<h2 id=\"一总体要求\">一、总体要求</h2>"), "{html}");
    assert!(html.contains("<h5 id=\"1按时报送\">（1）按时报送</h5>"), "{html}");
    assert!(html.contains("<strong>（二）落实责任</strong>。各地要"), "bold survives beside Chinese punctuation: {html}");
    assert!(html.contains("<ol>") && html.contains("<li>报送年报。</li>"), "{html}");
    assert!(html.contains("<td>PM2.5</td>"), "{html}");
    assert!(html.contains(&format!("src=\"/files/2024/{name}\"")), "{html}");
}

#[test]
fn a_styled_title_and_a_date_in_digits() {
    let docx = Docx::new()
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title"))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2"))
        .add_paragraph(text("政府信息公开工作年度报告").style("Title"))
        .add_paragraph(text("总体情况").style("Heading2"))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("本年度")).add_run(Run::new().add_text("主动公开").bold()).add_run(Run::new().add_text("（内部备注）").vanish()).add_run(Run::new().add_text("信息*120*条。")))
        .add_paragraph(text("某某县人民政府办公室"))
        .add_paragraph(text("2022年5月16日"));
    let draft = convert(docx);
    assert_eq!(draft.title.as_deref(), Some("政府信息公开工作年度报告"));
    assert_eq!(draft.doc_no, None);
    assert_eq!(draft.written, NaiveDate::from_ymd_opt(2022, 5, 16));
    assert_eq!(draft.signer.as_deref(), Some("某某县人民政府办公室"));
    assert_eq!(draft.markdown, "## 总体情况\n\n本年度**主动公开**信息\\*120\\*条。\n");
    assert!(draft.images.is_empty() && draft.warnings.is_empty());
}

#[test]
fn a_document_without_a_head_keeps_all_of_its_text() {
    let draft = convert(Docx::new().add_paragraph(text("会议纪要")).add_paragraph(text("会议讨论了三项议题。")));
    assert_eq!((draft.title, draft.doc_no, draft.written, draft.signer), (None, None, None, None));
    assert_eq!(draft.markdown, "会议纪要\n\n会议讨论了三项议题。\n");
}

/// A ZIP holding `parts` (path, text), stored: for packages docx-rs would not write.
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (path, text) in parts {
        zip.start_file(*path, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_zip_without_a_document_is_not_word() {
    let err = read(&zip_of(&[("xl/workbook.xml", "<workbook/>")])).unwrap_err();
    assert!(matches!(err, DocxError::NoDocument), "{err}");
    assert!(err.to_string().contains("save the text from Word or WPS as .docx"), "{err}");
    let err = read(&zip_of(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")])).unwrap_err();
    assert!(matches!(err, DocxError::Damaged { .. }) && err.to_string().contains("word/document.xml"), "{err}");
}

#[test]
fn tables_nested_thousands_deep_do_not_overflow_the_stack() {
    let depth = 20_000;
    let xml = format!(
        "<w:document xmlns:w=\"w\"><w:body>{}<w:p><w:r><w:t>深</w:t></w:r></w:p>{}<w:p><w:r><w:t>后文</w:t></w:r></w:p></w:body></w:document>",
        "<w:tbl><w:tr><w:tc>".repeat(depth),
        "</w:tc></w:tr></w:tbl>".repeat(depth)
    );
    let draft = read(&zip_of(&[("word/document.xml", &xml)])).unwrap();
    assert!(draft.markdown.ends_with("后文\n"), "{}", draft.markdown);
}

#[test]
fn a_joint_red_head_set_in_a_table() {
    let issuers = Table::new(vec![
        TableRow::new(vec![TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text("某某市生态环境局").color("E60012").size(60)))]),
        TableRow::new(vec![TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text("某某市财政局").color("E60012").size(60)))]),
    ]);
    let docx = Docx::new()
        .add_table(issuers)
        .add_paragraph(text("某环联发（2023）7号　　　　签发人：王某"))
        .add_paragraph(centred(Run::new().add_text("关于联合开展检查的通知").bold()))
        .add_paragraph(text("各有关单位："))
        .add_paragraph(text("现开展联合检查。"))
        .add_paragraph(right("某某市生态环境局　　某某市财政局"))
        .add_paragraph(right("二〇二三年十二月三十一日"));
    let draft = convert(docx);
    assert_eq!(draft.doc_no.as_deref(), Some("某环联发〔2023〕7号"));
    assert_eq!(draft.title.as_deref(), Some("关于联合开展检查的通知"));
    assert_eq!(draft.written, NaiveDate::from_ymd_opt(2023, 12, 31));
    assert_eq!(draft.signer.as_deref(), Some("某某市生态环境局　　某某市财政局"));
    assert_eq!(draft.markdown, "各有关单位：\n\n现开展联合检查。\n");
}

#[test]
fn word_numbering_in_chinese_gives_official_headings() {
    let level = |l: usize, text: &str| Level::new(l, Start::new(1), NumberFormat::new("chineseCounting"), LevelText::new(text), LevelJc::new("left"));
    let numbered = |l: usize, s: &str| text(s).numbering(NumberingId::new(4), IndentLevel::new(l));
    let docx = Docx::new()
        .add_abstract_numbering(AbstractNumbering::new(3).add_level(level(0, "%1、")).add_level(level(1, "（%2）")))
        .add_numbering(Numbering::new(4, 3))
        .add_paragraph(numbered(0, "总体要求"))
        .add_paragraph(numbered(1, "加强领导"))
        .add_paragraph(numbered(1, "落实责任。各地要明确分工。"))
        .add_paragraph(numbered(0, "工作措施"))
        .add_paragraph(numbered(1, "强化监测"));
    let draft = convert(docx);
    assert_eq!(
        draft.markdown,
        "## 一、总体要求\n\n### （一）加强领导\n\n（二）落实责任。各地要明确分工。\n\n## 二、工作措施\n\n### （一）强化监测\n"
    );
}

#[test]
fn a_gazette_notice_has_its_doc_number_under_the_title() {
    let docx = Docx::new()
        .add_paragraph(centred(Run::new().add_text("某某县人民政府办公室关于印发").size(44)))
        .add_paragraph(centred(Run::new().add_text("防汛工作方案的通知").size(44)))
        .add_paragraph(centred(Run::new().add_text("（某政办发〔2024〕12号）")))
        .add_paragraph(text("各乡镇人民政府："))
        .add_paragraph(text("现将方案印发给你们，请认真贯彻执行。"))
        .add_paragraph(right("某某县人民政府办公室"))
        .add_paragraph(right("2024年6月1日"));
    let draft = convert(docx);
    assert_eq!(draft.title.as_deref(), Some("某某县人民政府办公室关于印发防汛工作方案的通知"));
    assert_eq!(draft.doc_no.as_deref(), Some("某政办发〔2024〕12号"));
    assert_eq!(draft.written, NaiveDate::from_ymd_opt(2024, 6, 1));
    assert_eq!(draft.markdown, "各乡镇人民政府：\n\n现将方案印发给你们，请认真贯彻执行。\n");
}

#[test]
fn a_cell_of_several_paragraphs_keeps_its_lines() {
    let table = Table::new(vec![
        TableRow::new(vec![cell("事项"), cell("依据")]),
        TableRow::new(vec![cell("许可|备案"), TableCell::new().add_paragraph(text("《条例》")).add_paragraph(text("第十条"))]),
    ]);
    let draft = convert(Docx::new().add_table(table));
    assert_eq!(draft.markdown, "| 事项 | 依据 |\n| --- | --- |\n| 许可\\|备案 | 《条例》<br>第十条 |\n");
    assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
    let html = gongkai::render::markdown::to_html(&draft.markdown, "/", false, &|_| None);
    assert!(html.contains("<td>许可|备案</td>") && html.contains("<td>《条例》<br>第十条</td>"), "the sanitiser keeps the line break: {html}");
}

// `gongkai import docx`: the command on generated Word files, into the basic fixture.

mod command {
    use std::path::{Path, PathBuf};

    use super::{notice, pack, text, PNG};
    use crate::import::{assert_front_matter, body_of, checks};
    use crate::util::*;

    /// A folder holding `notice.docx` (the full 通知 fixture) and the other files given.
    fn word_files(others: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let notice_file = dir.path().join("notice.docx");
        std::fs::write(&notice_file, pack(notice())).unwrap();
        for (name, bytes) in others {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        (dir, notice_file)
    }

    fn run(site: &TestSite, files: &[&Path], flags: &[&str]) -> std::process::Output {
        let mut args: Vec<&str> = vec!["import", "docx"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        args.extend(flags);
        site.cli(&args)
    }

    fn stdout(out: &std::process::Output) -> String {
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn a_word_notice_is_imported_field_by_field_with_its_picture_and_checks() {
        let site = TestSite::basic();
        let (_dir, file) = word_files(&[]);
        let out = run(&site, &[&file], &["--category", "gzjh", "--date", "2024-03-08"]);
        assert!(out.status.success(), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        let report = stdout(&out);
        assert!(report.contains("imported ") && report.contains("content/docs/2024/notice.md"), "{report}");
        assert!(report.contains("warning: ") && report.contains("merged"), "the converter's warnings are in the summary:\n{report}");
        assert!(!report.contains("no --date"), "{report}");
        assert_front_matter(&site, "content/docs/2024/notice.md", r#"
            title = "关于加强大气污染防治工作的通知"
            index_no = "11111111-1-/2024-0308001"
            publisher = "测试市生态环境局"
            category = "gzjh"
            date = 2024-03-08
            written = 2024-03-05
            doc_no = "某环发〔2024〕3号"
        "#);
        let body = body_of(&site, "content/docs/2024/notice.md");
        assert!(body.starts_with("各区县生态环境分局："), "the red head, 文号 and title are not text:\n{body}");
        assert!(body.contains("## 一、总体要求") && body.ends_with("（此件公开发布）"), "{body}");
        // The picture is written under files/<year>/, named after the document, and linked.
        let pictures: Vec<String> = std::fs::read_dir(site.root().join("content/files/2024"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(pictures.len(), 1, "{pictures:?}");
        assert!(pictures[0].starts_with("notice-") && pictures[0].ends_with(".png"), "{pictures:?}");
        assert_eq!(std::fs::read(site.root().join("content/files/2024").join(&pictures[0])).unwrap(), PNG);
        assert!(body.contains(&format!("](/files/2024/{})", pictures[0])), "the picture is relinked:\n{body}");
        checks(&site);
        site.build_ok();
    }

    #[test]
    fn without_date_it_is_today_and_the_summary_says_so_and_the_publisher_is_given() {
        let site = TestSite::basic();
        let (_dir, file) = word_files(&[]);
        let out = run(&site, &[&file], &["--category", "工作计划", "--publisher", "测试市人民政府办公室", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let today = gongkai::LoadOptions::default().today;
        let path = report["imported"][0]["path"].as_str().unwrap().to_string();
        assert_eq!(path, format!("content/docs/{}/notice.md", today.format("%Y")));
        let index_no = report["imported"][0]["index_no"].as_str().unwrap();
        let prefix = format!("11111111-1-/{}", today.format("%Y-%m%d"));
        assert!(index_no.starts_with(&prefix) && index_no.len() == prefix.len() + 3, "{index_no} follows the pattern");
        assert_eq!(report["imported"][0]["assigned"], true);
        let warnings = report["warnings"].as_array().unwrap();
        assert!(warnings.iter().any(|w| w.as_str().unwrap().contains(&format!("no --date given: 发布日期 is today, {today}"))), "{warnings:?}");
        assert_front_matter(&site, &path, &format!(r#"
            title = "关于加强大气污染防治工作的通知"
            index_no = "{index_no}"
            publisher = "测试市人民政府办公室"
            category = "gzjh"
            date = {today}
            written = 2024-03-05
            doc_no = "某环发〔2024〕3号"
        "#));
        checks(&site);
    }

    #[test]
    fn a_dry_run_writes_nothing() {
        let site = TestSite::basic();
        let (_dir, file) = word_files(&[]);
        let before = dir_snapshot(site.root());
        let out = run(&site, &[&file], &["--category", "gzjh", "--date", "2024-03-08", "--dry-run"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report = stdout(&out);
        assert!(report.contains("would import") && report.contains("(dry run: nothing written)"), "{report}");
        assert_eq!(dir_snapshot(site.root()), before);
    }

    #[test]
    fn into_a_department_with_its_org_code_and_name() {
        let site = crate::departments::platform();
        let (_dir, file) = word_files(&[]);
        let out = run(&site, &[&file], &["--category", "gfxwj", "--date", "2024-03-08", "--dept", "jyj"]);
        // The running number counts on from the department's 2024 report (2024-0120001).
        assert!(out.status.success(), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        assert_front_matter(&site, "content/departments/jyj/docs/2024/notice.md", r#"
            title = "关于加强大气污染防治工作的通知"
            index_no = "22222222-2-/2024-0308002"
            publisher = "测试县教育局"
            category = "gfxwj"
            date = 2024-03-08
            written = 2024-03-05
            doc_no = "某环发〔2024〕3号"
        "#);
        let pictures: Vec<_> = std::fs::read_dir(site.root().join("content/departments/jyj/files/2024")).unwrap().collect();
        assert_eq!(pictures.len(), 1);
        assert!(!site.root().join("content/docs/2024").exists(), "nothing goes into the site's own section");
        checks(&site);
        site.build_ok();
    }

    #[test]
    fn a_doc_is_refused_with_how_to_save_it_as_docx() {
        let site = TestSite::basic();
        let old = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1old word";
        let (dir, file) = word_files(&[("old.doc", old), ("scan.pdf", b"%PDF-1.4")]);
        let doc = dir.path().join("old.doc");
        // Alone: nothing imported, the reason given, a failure for scripts, nothing written.
        let before = dir_snapshot(site.root());
        let out = run(&site, &[&doc], &["--category", "gzjh", "--date", "2024-03-08"]);
        assert!(!out.status.success());
        let report = stdout(&out);
        assert!(report.contains("skipped ") && report.contains("old Word .doc files cannot be imported") && report.contains("save it as .docx"), "{report}");
        assert_eq!(dir_snapshot(site.root()), before);
        // With a .docx: that one is imported, the others are skipped with why.
        let out = run(&site, &[&doc, &dir.path().join("scan.pdf"), &file], &["--category", "gzjh", "--date", "2024-03-08", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["imported"].as_array().unwrap().len(), 1);
        let reasons: Vec<&str> = report["skipped"].as_array().unwrap().iter().map(|s| s["reason"].as_str().unwrap()).collect();
        assert_eq!(reasons.len(), 2);
        assert!(reasons[0].contains("old Word .doc") && reasons[1].contains("PDF files cannot be imported"), "{reasons:?}");
        checks(&site);
    }

    #[test]
    fn a_wrong_category_is_an_error_with_did_you_mean_before_anything_is_written() {
        let site = TestSite::basic();
        let (_dir, file) = word_files(&[]);
        let before = dir_snapshot(site.root());
        let out = run(&site, &[&file], &["--category", "gzjx", "--date", "2024-03-08"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--category") && stderr.contains("did you mean gzjh"), "{stderr}");
        assert_eq!(dir_snapshot(site.root()), before);
    }

    #[test]
    fn a_document_without_a_title_is_skipped_with_why() {
        let site = TestSite::basic();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain.docx");
        std::fs::write(&file, pack(docx_rs::Docx::new().add_paragraph(text("只有一段正文。")))).unwrap();
        let out = run(&site, &[&file], &["--category", "gzjh", "--date", "2024-03-08"]);
        assert!(!out.status.success());
        assert!(stdout(&out).contains("no title found"), "{}", stdout(&out));
    }
}
