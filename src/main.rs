//! The `gongkai` command line: parses flags, calls the library, prints results.
//! Exit codes: 0 success, 1 invalid content or failed build, 2 usage error (clap).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gongkai::{BuildOptions, Diagnostic, Error, LoadOptions};

#[derive(Parser)]
#[command(name = "gongkai", version, about = "政府信息公开 static site generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output).
    Build {
        /// The site folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Path the site is served under, e.g. /xxgk/ (overrides site.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Treat every warning as an error and write nothing (for CI before going live).
        #[arg(long)]
        strict: bool,
    },
    /// Load and validate the site without writing anything, links and anchors included.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to give the findings: text for editors, JSON for CI and editors' tools, or
        /// an HTML 体检报告 for the head of the office (written to --output).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// The file the HTML report is written to (with --format html, which needs it).
        #[arg(long, required_if_eq("format", "html"))]
        output: Option<PathBuf>,
        /// Treat every warning as an error (for CI before going live).
        #[arg(long)]
        strict: bool,
        /// The day to check timeliness and deadlines against, written 2025-02-01
        /// [default: today], for runs that give the same findings whenever they run.
        #[arg(long, value_parser = parse_day)]
        today: Option<chrono::NaiveDate>,
        /// Also request every link to another site (http, https) and warn about those
        /// that do not answer; each address is asked once.
        #[arg(long)]
        external: bool,
        /// Seconds an external link may take to answer (with --external).
        #[arg(long, default_value_t = 10.0, value_parser = parse_seconds)]
        external_timeout: f64,
    },
    /// Build, serve on this machine, and rebuild and reload the browser on every save.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on [default: 8000, or a free one if 8000 is taken].
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on; other machines can reach the preview only if you
        /// choose one of this machine's network addresses (or 0.0.0.0).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Output folder [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Start a new document: the next free 索引号, the date, the front matter to fill in.
    New {
        /// Leaf category of the current directory: its code (gfxwj) or its name (行政规范性文件).
        category: String,
        /// The document's title, in quotes.
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 发布机构 [default: organization in site.toml].
        #[arg(long)]
        publisher: Option<String>,
        /// 发布日期, written 2024-03-05 [default: today].
        #[arg(long)]
        date: Option<String>,
        /// File name without .md: lowercase letters, digits and '-' [default: the 索引号's
        /// month, day and running number, e.g. 1124001].
        #[arg(long)]
        slug: Option<String>,
        /// The department or town to write into: its folder name under
        /// content/departments/ [default: the site's own section].
        #[arg(long)]
        dept: Option<String>,
    },
    /// Bring existing documents in: pages saved from the old site (html), Word files (docx).
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Create a new site in DIR (a new or empty folder), ready to build and serve.
    Init {
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// Pages saved from an existing site (e.g. by wget --mirror): folders or files.
    Html {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The department or town to import into [default: the site's own section].
        #[arg(long)]
        dept: Option<String>,
        /// TOML file of "公开目录 name" = "code" lines for names the directory lacks.
        #[arg(long)]
        category_map: Option<PathBuf>,
        /// Report what would be imported, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Word documents (.docx): title, 文号 and 成文日期 read from the document.
    Docx {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Leaf category of the current directory for all the files: its code or name.
        #[arg(long)]
        category: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The department or town to import into [default: the site's own section].
        #[arg(long)]
        dept: Option<String>,
        /// 发布机构 [default: the organization (or department) name].
        #[arg(long)]
        publisher: Option<String>,
        /// 发布日期, written 2024-03-05 [default: today].
        #[arg(long)]
        date: Option<String>,
        /// Report what would be imported, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// What `check` gives: `Format`'s two, and the 体检报告.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Html,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e);
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Build { root, output, base_url, strict } => {
            let options = BuildOptions {
                load: LoadOptions { base_url, strict, ..LoadOptions::default() },
                output,
                progress: std::io::stderr().is_terminal(),
            };
            let report = gongkai::build(&root, &options).with_context(|| format!("build of {} failed", root.display()))?;
            print_diagnostics(&report.warnings);
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            eprintln!(
                "gongkai: {} documents, {} pages, {} files in {:.2} s → {} ({} pages made, {} files written, {} removed)",
                report.documents,
                report.pages,
                report.files,
                report.elapsed.as_secs_f64(),
                report.output.display(),
                report.made,
                report.written,
                report.removed
            );
        }
        Command::Check { root, format, output, strict, today, external, external_timeout } => {
            if output.is_some() && format != CheckFormat::Html {
                use clap::CommandFactory;
                let message = "--output is only for --format html (the report's file); text and JSON are printed";
                Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message).exit();
            }
            let options = gongkai::CheckOptions {
                load: check_options(strict, today),
                external: external.then(|| gongkai::external::ExternalOptions {
                    timeout: std::time::Duration::from_secs_f64(external_timeout),
                    ..Default::default()
                }),
            };
            let failed = || format!("check of {} failed", root.display());
            match (format, output) {
                (CheckFormat::Text, _) => {
                    let loaded = gongkai::check_with(&root, &options).with_context(failed)?;
                    print_diagnostics(&loaded.warnings);
                    eprintln!("gongkai: {} documents, no errors", loaded.site.documents.len());
                }
                (CheckFormat::Json, _) => {
                    let inspection = gongkai::inspect(&root, &options).with_context(failed)?;
                    let errors = inspection.errors();
                    let documents = inspection.site.as_ref().filter(|_| errors == 0).map(|s| s.documents.len());
                    let report = serde_json::json!({
                        "ok": errors == 0,
                        "documents": documents,
                        "errors": errors,
                        "warnings": inspection.diagnostics.len() - errors,
                        "diagnostics": inspection.diagnostics,
                    });
                    println!("{}", serde_json::to_string_pretty(&report)?);
                    if errors > 0 {
                        return Err(Reported.into());
                    }
                }
                (CheckFormat::Html, output) => {
                    let output = output.expect("clap requires --output with --format html");
                    let inspection = gongkai::inspect(&root, &options).with_context(failed)?;
                    let names = match &inspection.site {
                        Some(site) => gongkai::checkup::Names::of(site),
                        None => gongkai::checkup::Names::read(&root, &options.load),
                    };
                    let checkup = gongkai::checkup::Checkup {
                        names: &names,
                        diagnostics: &inspection.diagnostics,
                        today: options.load.today,
                        loaded: inspection.site.is_some(),
                        external: options.external.is_some(),
                    };
                    std::fs::write(&output, checkup.to_html()).with_context(|| format!("cannot write the report {}", output.display()))?;
                    let errors = inspection.errors();
                    eprintln!(
                        "gongkai: 体检报告 written to {} ({errors} error(s), {} warning(s))",
                        output.display(),
                        inspection.diagnostics.len() - errors
                    );
                    // The report is written even then, when the office needs it most; the
                    // exit code still tells a script that the site has errors.
                    if errors > 0 {
                        return Err(Reported.into());
                    }
                }
            }
        }
        Command::Serve { root, port, bind, open, output } => {
            let build = BuildOptions { output, ..BuildOptions::default() };
            gongkai::serve::run(gongkai::serve::ServeOptions { root: root.clone(), build, bind, port, open })
                .with_context(|| format!("serving {} failed", root.display()))?;
        }
        Command::New { category, title, root, publisher, date, slug, dept } => {
            let date = date.as_deref().map(gongkai::new::parse_date).transpose()?;
            let request = gongkai::new::NewDocument { category, title, publisher, date, slug, dept };
            let created = gongkai::new::new_document(&root, &request).with_context(|| format!("new in {} failed", root.display()))?;
            // The path alone on stdout, for scripts (`$EDITOR $(gongkai new …)`).
            println!("{}", under_root(&root, &created.path).display());
            eprintln!("gongkai: 索引号 {}", created.index_no);
        }
        Command::Import { source: ImportSource::Html { inputs, root, dept, category_map, dry_run, format } } => {
            let options = gongkai::import::ImportOptions { dept, category_map, dry_run, today: None };
            let summary = gongkai::import::html::import_html(&root, &inputs, &options)
                .with_context(|| format!("import into {} failed", root.display()))?;
            match format {
                Format::Text => print!("{}", summary.to_text()),
                Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
            }
        }
        Command::Import { source: ImportSource::Docx { files, category, root, dept, publisher, date, dry_run, format } } => {
            let date = date.as_deref().map(gongkai::new::parse_date).transpose()?;
            let options = gongkai::import::ImportOptions { dept, category_map: None, dry_run, today: None };
            let request = gongkai::import::docx::DocxRequest { category, publisher, date };
            let summary = gongkai::import::docx::import_docx(&root, &files, &request, &options)
                .with_context(|| format!("import into {} failed", root.display()))?;
            match format {
                Format::Text => print!("{}", summary.to_text()),
                Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
            }
            // Nothing could be imported: a script must not take that for success.
            if summary.imported.is_empty() && !summary.skipped.is_empty() {
                return Err(Reported.into());
            }
        }
        Command::Init { dir } => {
            let files = gongkai::init::create_site(&dir, LoadOptions::default().today)
                .with_context(|| format!("init of {} failed", dir.display()))?;
            print_next_steps(&dir, &files);
        }
    }
    Ok(())
}

fn check_options(strict: bool, today: Option<chrono::NaiveDate>) -> LoadOptions {
    let defaults = LoadOptions::default();
    LoadOptions { strict, today: today.unwrap_or(defaults.today), ..defaults }
}

/// A `--today` value: a date written as everywhere else in gongkai.
fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    gongkai::new::parse_date(s).map_err(|e| e.to_string().replacen("--date ", "", 1))
}

/// An `--external-timeout` value: seconds, more than none.
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err(format!("\"{s}\" is not a number of seconds between 0 and 3600, such as 10 or 2.5")),
    }
}

/// `rel` as the user can open it from the current folder.
fn under_root(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") { rel.to_path_buf() } else { root.join(rel) }
}

fn print_next_steps(dir: &Path, files: &[PathBuf]) {
    println!("gongkai: created a site in {}:", dir.display());
    for file in files {
        println!("  {}", file.display());
    }
    println!("next:");
    println!(
        "  1. edit {}: title, organization, org_code and the [identity] marks (marked 请修改)",
        dir.join("content/site.toml").display()
    );
    println!("  2. cd {} && gongkai serve", dir.display());
    println!("  3. add documents with gongkai new <category> \"<title>\"");
}

/// A failure already reported on stdout (as JSON): exit 1 without more output.
#[derive(Debug, thiserror::Error)]
#[error("already reported")]
struct Reported;

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

/// Invalid content is listed line by line, as the editor needs it; other errors are
/// printed with their chain of causes.
fn report_error(e: &anyhow::Error) {
    if e.is::<Reported>() {
        return;
    }
    if let Some(Error::Invalid { diagnostics }) = e.downcast_ref::<Error>() {
        print_diagnostics(diagnostics);
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!("error: {e}: {errors} error(s); nothing was written");
    } else {
        eprintln!("error: {}", without_repeats(e));
    }
}

/// The error and its causes on one line, leaving out a cause whose text the message
/// before it already shows (an I/O error is part of our own message for it).
fn without_repeats(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line
}
