//! Integration tests: fixture sites under tests/fixtures, built into temporary folders.

mod util;

mod build;
mod cli;
mod columns;
mod departments;
mod escaping;
mod example;
mod hardening_serve;
mod hardening_urls;
mod hardening_content;
mod html5;
mod identity;
mod inspect_documents;
mod import;
mod import_docx;
mod inspect_relations;
mod links;
mod init;
mod inspect_reports;
mod inspect_timeliness;
mod inspect_report;
mod new;
mod rebuild_in_place;
mod report;
mod search;
mod search_cache;
mod serve;
mod validation;
mod versions;
mod write;
