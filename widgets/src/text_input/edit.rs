//! Editing a field's text: the caret and selection kept between views,
//! and what each key, click and drag does to them and to the text.

use std::ops::Range;

use oneloop::clipboard::Clipboard;
use oneloop::render::{Point, Rect, TextLayout};
use oneloop::widget::Handled;
use oneloop::{Key, KeyEvent, NamedKey, Theme};

use super::text_origin;

/// What a field remembers between views.
#[derive(Debug, Default)]
pub(super) struct FieldState {
    /// Byte index of the caret, always on a grapheme boundary of the text.
    pub(super) caret: usize,
    /// The other end of the selection; equal to `caret` when nothing is selected.
    pub(super) anchor: usize,
    /// How far the text is scrolled left, in logical pixels.
    pub(super) scroll: f32,
    /// A primary-button drag that selects text is under way.
    pub(super) dragging: bool,
    /// Edits sent to the app that the view may not show yet.
    echo: Option<Echo>,
}

/// An edit sent to the app. The loop hands it to the app before the next
/// input, so by the next event the view shows whether the app took it; if
/// the app kept its old value, the caret goes back to where it was.
#[derive(Debug)]
struct Echo {
    /// The app's value when the first of these edits was sent.
    before: String,
    /// The value the latest edit sent.
    sent: String,
    /// Caret and anchor before the first edit, restored if the app declines.
    caret: usize,
    anchor: usize,
}

impl FieldState {
    /// Forget the sent edit now that the app has seen it; if the app kept
    /// its old value, put the caret back where it was.
    pub(super) fn settle(&mut self, value: &str) {
        let Some(echo) = self.echo.take() else { return };
        if value == echo.before && value != echo.sent {
            self.caret = echo.caret;
            self.anchor = echo.anchor;
        }
    }

    /// The text the user is editing: the app's `value`, or what was sent
    /// this turn if the app has not seen it yet (call [`Self::settle`] first).
    pub(super) fn text(&self, value: &str) -> String {
        self.echo
            .as_ref()
            .map_or(value, |echo| echo.sent.as_str())
            .to_owned()
    }

    /// Remember that `sent` went to the app when its value was `before` and
    /// the caret and anchor stood at `caret` and `anchor`.
    pub(super) fn sent(&mut self, before: &str, sent: String, caret: usize, anchor: usize) {
        let echo = self.echo.get_or_insert_with(|| Echo {
            before: before.to_owned(),
            sent: String::new(),
            caret,
            anchor,
        });
        echo.sent = sent;
    }

    /// Keep the caret and anchor on grapheme boundaries of `layout`'s text,
    /// which may have changed under the field.
    pub(super) fn clamp(&mut self, layout: &TextLayout) {
        self.caret = layout.snap_to_stop(self.caret);
        self.anchor = layout.snap_to_stop(self.anchor);
    }

    pub(super) fn selection(&self) -> Range<usize> {
        self.caret.min(self.anchor)..self.caret.max(self.anchor)
    }
}

/// Which way an arrow or a delete key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Back,
    Forward,
}

/// The field while one event is handled: the text the user sees, its
/// layout for grapheme stops and hit testing, and the caret.
pub(super) struct Field<'c> {
    pub(super) text: String,
    pub(super) layout: TextLayout,
    pub(super) theme: Theme,
    pub(super) clipboard: &'c mut dyn Clipboard,
    pub(super) editable: bool,
    pub(super) submittable: bool,
    pub(super) state: FieldState,
    /// The new value, when the event changed the text.
    pub(super) changed: Option<String>,
    /// Enter was pressed and the app listens for it.
    pub(super) submit: bool,
}

impl Field<'_> {
    pub(super) fn press(&mut self, rect: Rect, at: Point) -> Handled {
        let index = self.hit(rect, at);
        self.select(index, index);
        self.state.dragging = true;
        Handled::Yes
    }

    pub(super) fn drag(&mut self, rect: Rect, at: Point) -> Handled {
        self.state.caret = self.hit(rect, at);
        Handled::Yes
    }

    /// The caret stop under `at`, with the text where the last frame showed it.
    fn hit(&self, rect: Rect, at: Point) -> usize {
        let origin = text_origin(rect, &self.theme, self.state.scroll);
        self.layout.hit(at.x - origin.x, 0.0)
    }

    pub(super) fn select(&mut self, anchor: usize, caret: usize) {
        self.state.anchor = anchor;
        self.state.caret = caret;
    }

    pub(super) fn key(&mut self, key: &KeyEvent) -> Handled {
        let m = key.modifiers;
        let (word, extend) = (m.ctrl, m.shift);
        match &key.key {
            Key::Named(NamedKey::Enter) => {
                self.submit = self.submittable;
                if self.submit {
                    Handled::Yes
                } else {
                    Handled::No
                }
            }
            Key::Named(NamedKey::Backspace) => self.delete(Direction::Back, word),
            Key::Named(NamedKey::Delete) => self.delete(Direction::Forward, word),
            Key::Named(NamedKey::ArrowLeft) => self.step(Direction::Back, word, extend),
            Key::Named(NamedKey::ArrowRight) => self.step(Direction::Forward, word, extend),
            Key::Named(NamedKey::Home) => self.move_to(0, extend),
            Key::Named(NamedKey::End) => self.move_to(self.text.len(), extend),
            Key::Character(_) if m.ctrl && !m.alt && !m.logo => self.shortcut(&key.key),
            _ if m.ctrl || m.alt || m.logo => Handled::No,
            _ => match key.text.as_deref().map(printable) {
                Some(typed) if !typed.is_empty() && self.editable => {
                    self.replace(self.state.selection(), &typed)
                }
                _ => Handled::No,
            },
        }
    }

    /// Ctrl+A, Ctrl+C, Ctrl+X and Ctrl+V; other shortcuts are the app's.
    fn shortcut(&mut self, key: &Key) -> Handled {
        let selection = self.state.selection();
        if key.is_char('a') {
            self.select(0, self.text.len());
            Handled::Yes
        } else if key.is_char('c') && !selection.is_empty() {
            self.clipboard.set(self.text[selection].to_owned());
            Handled::Yes
        } else if key.is_char('x') && !selection.is_empty() && self.editable {
            self.clipboard.set(self.text[selection.clone()].to_owned());
            self.replace(selection, "")
        } else if key.is_char('v') && self.editable {
            match self.clipboard.get() {
                Some(pasted) => self.replace(selection, &single_line(&pasted)),
                None => Handled::No,
            }
        } else {
            Handled::No
        }
    }

    fn delete(&mut self, direction: Direction, word: bool) -> Handled {
        if !self.editable {
            return Handled::No;
        }
        let selection = self.state.selection();
        if !selection.is_empty() {
            return self.replace(selection, "");
        }
        let caret = self.state.caret;
        let to = self.target(direction, word);
        self.replace(caret.min(to)..caret.max(to), "")
    }

    /// Arrow keys: by grapheme or word; without Shift a selection collapses
    /// to its edge first.
    fn step(&mut self, direction: Direction, word: bool, extend: bool) -> Handled {
        let selection = self.state.selection();
        if !extend && !word && !selection.is_empty() {
            let edge = match direction {
                Direction::Back => selection.start,
                Direction::Forward => selection.end,
            };
            return self.move_to(edge, false);
        }
        let to = self.target(direction, word);
        self.move_to(to, extend)
    }

    fn move_to(&mut self, index: usize, extend: bool) -> Handled {
        self.state.caret = index;
        if !extend {
            self.state.anchor = index;
        }
        Handled::Yes
    }

    /// The caret stop one grapheme or one word away from the caret.
    fn target(&self, direction: Direction, word: bool) -> usize {
        let caret = self.state.caret;
        match (direction, word) {
            (Direction::Back, false) => self.layout.prev_stop(caret),
            (Direction::Forward, false) => self.layout.next_stop(caret),
            (Direction::Back, true) => word_before(&self.text, &self.layout.caret_stops(), caret),
            (Direction::Forward, true) => word_after(&self.text, &self.layout.caret_stops(), caret),
        }
    }

    /// Replace `range` with `with` and put the caret after it.
    fn replace(&mut self, range: Range<usize>, with: &str) -> Handled {
        let mut text = String::with_capacity(self.text.len() + with.len());
        text.push_str(&self.text[..range.start]);
        text.push_str(with);
        text.push_str(&self.text[range.end..]);
        let caret = range.start + with.len();
        self.select(caret, caret);
        if text != self.text {
            self.changed = Some(text.clone());
            self.text = text;
        }
        Handled::Yes
    }
}

/// Text fit for one line: a trailing line break (as copied from a terminal)
/// goes, other line breaks and tabs become spaces, control characters go.
fn single_line(text: &str) -> String {
    text.trim_end_matches(['\r', '\n'])
        .chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Typed text without the control characters some keys carry (Tab's "\t").
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Whether a grapheme belongs to a word (for Ctrl+arrows and Ctrl+Backspace).
fn is_word(grapheme: &str) -> bool {
    grapheme
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The start of the word before `index`: what separates words is skipped,
/// then the word. `stops` are the text's grapheme boundaries.
fn word_before(text: &str, stops: &[usize], index: usize) -> usize {
    let mut k = stops.partition_point(|&s| s < index);
    let grapheme = |k: usize| &text[stops[k - 1]..stops[k]];
    while k > 0 && !is_word(grapheme(k)) {
        k -= 1;
    }
    while k > 0 && is_word(grapheme(k)) {
        k -= 1;
    }
    stops.get(k).copied().unwrap_or(0)
}

/// The end of the word after `index`, the mirror of [`word_before`].
fn word_after(text: &str, stops: &[usize], index: usize) -> usize {
    let last = stops.len().saturating_sub(1);
    let mut k = stops.partition_point(|&s| s <= index).saturating_sub(1);
    let grapheme = |k: usize| &text[stops[k]..stops[k + 1]];
    while k < last && !is_word(grapheme(k)) {
        k += 1;
    }
    while k < last && is_word(grapheme(k)) {
        k += 1;
    }
    stops.get(k).copied().unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_text_becomes_one_line() {
        assert_eq!(single_line("/home/me\n"), "/home/me");
        assert_eq!(single_line("one\r\ntwo\tthree\u{7}"), "one two three");
    }

    #[test]
    fn words_are_runs_of_letters_digits_and_underscores() {
        let text = "a_1 ,b";
        let stops: Vec<usize> = (0..=text.len()).collect();
        assert_eq!(word_before(text, &stops, 6), 5);
        assert_eq!(word_before(text, &stops, 5), 0);
        assert_eq!(word_after(text, &stops, 0), 3);
        assert_eq!(word_after(text, &stops, 3), 6);
    }
}
