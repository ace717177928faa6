//! Integration tests: fixture sites under tests/fixtures, built into temporary folders.

mod util;

mod build;
mod cli;
mod escaping;
mod html5;
mod report;
mod validation;
mod versions;
