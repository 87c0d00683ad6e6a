//! Bounded Debug text of events, for traces, panic reports and recordings.

/// The longest event description kept for traces and panic reports.
const DESCRIPTION_LIMIT: usize = 512;

/// `Debug` text of `value`, cut at [`DESCRIPTION_LIMIT`] bytes. Formatting
/// stops there, so a message carrying ten thousand directory entries costs
/// no more to describe than a small one.
pub(crate) fn describe(value: &impl std::fmt::Debug) -> String {
    use std::fmt::Write as _;
    struct Bounded(String);
    impl std::fmt::Write for Bounded {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let room = DESCRIPTION_LIMIT.saturating_sub(self.0.len());
            if s.len() <= room {
                self.0.push_str(s);
                return Ok(());
            }
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.0.push_str(&s[..end]);
            self.0.push('…');
            Err(std::fmt::Error)
        }
    }
    let mut out = Bounded(String::new());
    let _ = write!(out, "{value:?}");
    out.0
}

#[cfg(test)]
mod tests {
    use super::{describe, DESCRIPTION_LIMIT};

    #[test]
    fn huge_messages_are_described_briefly() {
        let big: Vec<String> = (0..10_000).map(|i| format!("entry-{i}")).collect();
        let text = describe(&big);
        assert!(text.starts_with(r#"["entry-0", "entry-1""#), "{text}");
        assert!(text.len() <= DESCRIPTION_LIMIT + '…'.len_utf8());
        assert!(text.ends_with('…'));
        assert_eq!(describe(&"short"), r#""short""#);
    }
}
