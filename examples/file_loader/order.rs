//! The order the table shows the entries in, and the words and figures of
//! the header above it.

use std::cmp::Ordering;

use oneloop_widgets::SortOrder;

use super::model::{Batch, Entry, Status};
use super::view::human_bytes;

/// What the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SortKey {
    Name,
    Kind,
    Size,
    Status,
}

impl SortKey {
    /// Tags for recordings; new keys go at the end.
    pub(crate) const ALL: [SortKey; 4] =
        [SortKey::Name, SortKey::Kind, SortKey::Size, SortKey::Status];
}

/// The entries' indexes in the order `sort` asks for (listing order when
/// none); equal entries keep their listing order.
pub(crate) fn sorted(entries: &[Entry], sort: Option<(SortKey, SortOrder)>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    let Some((key, direction)) = sort else {
        return order;
    };
    let compare = |a: &Entry, b: &Entry| -> Ordering {
        match key {
            SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            SortKey::Kind => a.kind.to_string().cmp(&b.kind.to_string()),
            SortKey::Size => a.size.cmp(&b.size),
            SortKey::Status => status_rank(&a.status).cmp(&status_rank(&b.status)),
        }
    };
    order.sort_by(|&a, &b| {
        let ord = compare(&entries[a], &entries[b]);
        match direction {
            SortOrder::Ascending => ord,
            SortOrder::Descending => ord.reverse(),
        }
    });
    order
}

/// Loaded first (fewest lines first), then what is still under way, then
/// each kind of failure together.
fn status_rank(status: &Status) -> (u8, u64, String) {
    match status {
        Status::Loaded(summary) => (0, summary.lines, String::new()),
        Status::Loading { done, .. } => (1, *done, String::new()),
        Status::Queued => (2, 0, String::new()),
        Status::Idle => (3, 0, String::new()),
        Status::Failed(reason) => (4, 0, reason.text()),
    }
}

/// `10,053`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the header says about a batch: how far it is, or how it ended.
pub(crate) fn batch_summary(batch: &Batch) -> String {
    let loaded = batch.done - batch.failed;
    let failed = batch.failed - batch.cancelled_files;
    let secs = batch.elapsed().as_secs_f64().max(1e-3);
    let rates = format!(
        "{} · {} files/s · {:.0} MB/s",
        human_bytes(batch.bytes),
        thousands((batch.done as f64 / secs).round() as usize),
        batch.bytes as f64 / secs / 1e6
    );
    match (batch.is_running(), batch.cancelled) {
        (true, false) => format!(
            "Loading {} / {} files · {} failed · {rates}",
            thousands(batch.done),
            thousands(batch.total),
            thousands(batch.failed)
        ),
        (true, true) => format!(
            "Cancelling… {} loaded, {} cancelled, {} failed",
            thousands(loaded),
            thousands(batch.cancelled_files),
            thousands(failed)
        ),
        (false, true) => format!(
            "Cancelled: {} loaded, {} cancelled, {} failed",
            thousands(loaded),
            thousands(batch.cancelled_files),
            thousands(failed)
        ),
        (false, false) => format!(
            "Done: {} loaded, {} failed · {rates} · {:.1} s",
            thousands(loaded),
            thousands(failed),
            secs
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2_577), "2,577");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
