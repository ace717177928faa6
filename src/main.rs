//! The `gongkai` command line: parses flags, calls the library, prints results.
//! Exit codes: 0 success, 1 invalid content or failed build, 2 usage error (clap).

use std::io::IsTerminal;
use std::path::PathBuf;
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
    },
    /// Load and validate the site without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
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
        Command::Build { root, output, base_url } => {
            let options = BuildOptions {
                load: LoadOptions { base_url, ..LoadOptions::default() },
                output,
                progress: std::io::stderr().is_terminal(),
            };
            let report = gongkai::build(&root, &options).with_context(|| format!("build of {} failed", root.display()))?;
            print_diagnostics(&report.warnings);
            eprintln!(
                "gongkai: {} documents, {} pages, {} files in {:.2} s → {}",
                report.documents,
                report.pages,
                report.files,
                report.elapsed.as_secs_f64(),
                report.output.display()
            );
        }
        Command::Check { root } => {
            let loaded = gongkai::check(&root, &LoadOptions::default()).with_context(|| format!("check of {} failed", root.display()))?;
            print_diagnostics(&loaded.warnings);
            eprintln!("gongkai: {} documents, no errors", loaded.site.documents.len());
        }
    }
    Ok(())
}

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

/// Invalid content is listed line by line, as the editor needs it; other errors are
/// printed with their chain of causes.
fn report_error(e: &anyhow::Error) {
    if let Some(Error::Invalid { diagnostics }) = e.downcast_ref::<Error>() {
        print_diagnostics(diagnostics);
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!("error: {e}: {errors} error(s); nothing was written");
    } else {
        eprintln!("error: {e:#}");
    }
}
