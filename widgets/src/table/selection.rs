//! Which rows of a table are selected, and how clicks and keys change that.

use std::collections::BTreeSet;

/// The selected rows of a table (by their place on screen, top row 0), the
/// row the keyboard is on, and the anchor a Shift+click or Shift+arrow
/// extends from. The app keeps it and stores the new one the table sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    rows: BTreeSet<usize>,
    cursor: Option<usize>,
    anchor: Option<usize>,
}

impl Selection {
    /// Nothing selected.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Only `row`, with the keyboard on it.
    #[must_use]
    pub fn single(row: usize) -> Self {
        Self {
            rows: BTreeSet::from([row]),
            cursor: Some(row),
            anchor: Some(row),
        }
    }

    /// Whether `row` is selected.
    #[must_use]
    pub fn contains(&self, row: usize) -> bool {
        self.rows.contains(&row)
    }

    /// The selected rows, top to bottom.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows.iter().copied()
    }

    /// How many rows are selected.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row is selected.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row the keyboard is on (drawn with a focus outline).
    #[must_use]
    pub fn cursor(&self) -> Option<usize> {
        self.cursor
    }

    /// A click on `row`: with Ctrl it is added or removed, with Shift the
    /// rows from the anchor to it are selected, else only it is.
    #[must_use]
    pub(crate) fn click(&self, row: usize, ctrl: bool, shift: bool) -> Self {
        if shift {
            return self.extend_to(row);
        }
        if ctrl {
            let mut next = self.clone();
            if !next.rows.remove(&row) {
                next.rows.insert(row);
            }
            next.cursor = Some(row);
            next.anchor = Some(row);
            return next;
        }
        Self::single(row)
    }

    /// The keyboard moved to `row`: with Shift the range from the anchor
    /// is selected, else only `row` is.
    #[must_use]
    pub(crate) fn move_to(&self, row: usize, shift: bool) -> Self {
        if shift {
            self.extend_to(row)
        } else {
            Self::single(row)
        }
    }

    /// Every row from the anchor to `row`, the anchor kept.
    fn extend_to(&self, row: usize) -> Self {
        let anchor = self.anchor.or(self.cursor).unwrap_or(row);
        let (from, to) = (anchor.min(row), anchor.max(row));
        Self {
            rows: (from..=to).collect(),
            cursor: Some(row),
            anchor: Some(anchor),
        }
    }

    /// The same selection without rows at or past `count` (the table shrank).
    #[must_use]
    pub(crate) fn within(&self, count: usize) -> Self {
        Self {
            rows: self.rows.range(..count).copied().collect(),
            cursor: self.cursor.filter(|r| *r < count),
            anchor: self.anchor.filter(|r| *r < count),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctrl_toggles_and_shift_extends_from_the_anchor() {
        let s = Selection::single(3).click(5, true, false);
        assert_eq!(s.rows().collect::<Vec<_>>(), [3, 5]);
        // Ctrl+click takes a row out and puts the anchor on it, as file
        // managers do: Shift then extends from there.
        let s = s.click(3, true, false);
        assert_eq!(s.rows().collect::<Vec<_>>(), [5]);
        let s = s.click(2, false, true);
        assert_eq!(s.rows().collect::<Vec<_>>(), [2, 3]);
        assert_eq!(s.cursor(), Some(2));
        // The anchor stays at 3 while Shift moves on.
        let s = s.move_to(7, true);
        assert_eq!(s.rows().collect::<Vec<_>>(), [3, 4, 5, 6, 7]);
        let s = s.move_to(8, false);
        assert_eq!(s.rows().collect::<Vec<_>>(), [8]);
    }
}
