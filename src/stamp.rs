/*!
Stamps of what a file is made from. A build compares them with the stamps the last
build recorded, so that what did not change is neither made nor written again: the
search index as a whole ([`crate::search::input_stamp`]), each of its documents, and
each page ([`crate::render::Inputs`]). A stamp only has to change when its inputs do;
two different inputs with one stamp would keep a stale file, so whatever is fed is
fed whole and kept apart from its neighbours.
*/

use std::fmt;
use std::io;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// A 64-bit hash fed piece by piece.
#[derive(Clone, Default)]
pub struct Stamper(Xxh3);

impl Stamper {
    pub fn new() -> Stamper {
        Stamper(Xxh3::new())
    }

    /// Feeds one text, marked off from the next (0xff is a byte no UTF-8 text holds,
    /// so a text moved between two fields changes the stamp).
    pub fn text(&mut self, text: &str) {
        self.0.update(&[0xff]);
        self.0.update(text.as_bytes());
    }

    /// Feeds one number.
    pub fn number(&mut self, n: u64) {
        self.0.update(&[0xfe]);
        self.0.update(&n.to_le_bytes());
    }

    /// Feeds a value as JSON: every field it would show a template, in order.
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.0.update(&[0xfd]);
        // Writing into a hash cannot fail; a value that does not serialise is fed as
        // far as it went and then the failure, so it never stamps like another.
        if let Err(e) = serde_json::to_writer(&mut *self, value) {
            self.text(&e.to_string());
        }
    }

    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// Formatted text goes into the hash without building the string.
impl fmt::Write for Stamper {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl io::Write for Stamper {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The running program as its file is: another build of gongkai may make the same
/// input into other bytes.
pub fn program() -> Option<(u64, Option<std::time::SystemTime>)> {
    std::env::current_exe().and_then(std::fs::metadata).map(|m| (m.len(), m.modified().ok())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_moved_between_fields_stamp_apart() {
        let stamp = |parts: &[&str]| {
            let mut s = Stamper::new();
            parts.iter().for_each(|p| s.text(p));
            s.finish()
        };
        assert_ne!(stamp(&["ab", "c"]), stamp(&["a", "bc"]));
        assert_ne!(stamp(&["a", ""]), stamp(&["a"]));
        assert_eq!(stamp(&["a", "b"]), stamp(&["a", "b"]));
    }
}
