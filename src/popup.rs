//! The popup layer: dropdown lists, menus, tooltips and dialogs that paint
//! above the whole view and get input before it.
//!
//! A popup is an ordinary element in the view, a [`Popup`] wrapping its
//! content, placed among the children of the widget that owns it (a
//! dropdown puts its list there while it is open; an app puts a dialog in
//! its view while the dialog should show). It takes no room where it stands.
//! Once the view is laid out, the UI moves each popup's content next to its
//! [`Anchor`], keeps it inside the window (flipping it above or to the left
//! when it would not fit below or to the right), and then:
//!
//! - paints it after the whole view, in tree order, so a submenu (a popup
//!   inside a popup) lands on top of its menu;
//! - hit-tests the pointer against open popups before the view;
//! - sends keys to the topmost popup (and from it up to its owner) unless
//!   the focus is already inside it;
//! - on a click outside every popup, or on Escape that nothing used, sends
//!   [`WidgetEvent::Dismiss`] to the
//!   topmost popup: a popup with [`Popup::on_dismiss`] sends its message, any
//!   other lets the event bubble to its owner, which closes it. That click
//!   does nothing else.
//!
//! A [modal](Popup::modal) popup dims the view behind it and makes it inert:
//! nothing behind it is hovered or clicked, Tab cycles through its own
//! widgets only, and a click outside it does not dismiss it. A
//! [passive](Popup::passive) popup (a tooltip) is only painted: the pointer
//! goes through it and it never catches a click.
//!
//! ```
//! use oneloop::popup::popup;
//! use oneloop::widget::Empty;
//! use oneloop::Element;
//!
//! #[derive(Debug, Clone)]
//! enum Msg { CloseAbout }
//!
//! // A dialog, shown while the app keeps it in its view.
//! fn about<'a>() -> Element<'a, Msg> {
//!     popup(Element::new(Empty)).centered().modal().on_dismiss(Msg::CloseAbout).into()
//! }
//! ```

use crate::geometry::{Point, Rect, Size};
use crate::theme::Theme;
use crate::widget::{
    Constraints, Element, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};

/// What a popup is placed next to.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Anchor {
    /// The widget whose child the popup is (a dropdown's header, a menu row).
    #[default]
    Parent,
    /// A rectangle in window coordinates.
    Rect(Rect),
    /// A point in window coordinates (a context menu at the pointer).
    Point(Point),
}

/// Where a popup goes relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// Below the anchor, left edges aligned; above it when there is no room
    /// below.
    #[default]
    Below,
    /// Right of the anchor, top edges aligned (a submenu); left of it when
    /// there is no room on the right.
    Right,
    /// In the middle of the window (a dialog); the anchor is not used.
    Center,
}

/// How a popup takes part in input, as the UI reads it from the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// What the popup is placed next to.
    pub anchor: Anchor,
    /// Where it goes relative to the anchor.
    pub placement: Placement,
    /// Whether the view behind is dimmed and inert.
    pub modal: bool,
    /// Whether the popup is only painted (tooltips).
    pub passive: bool,
    /// The theme in force where the popup stands, so a popup opened from a
    /// dark panel is dark too; set while laying out.
    pub theme: Option<Theme>,
}

/// Room kept between a popup and the window's edges, and between a popup
/// and its anchor.
pub const MARGIN: f32 = 4.0;

/// Where a popup of `size` goes next to `anchor` in a window of `window`.
///
/// It takes the side that `placement` asks for when it fits there, the
/// opposite side when only that fits, and whichever side has more room
/// otherwise; then it is shifted (never past the top-left corner) to stay
/// inside the window.
///
/// ```
/// use oneloop::popup::{place, Placement};
/// use oneloop::render::{Rect, Size};
///
/// let window = Size::new(300.0, 200.0);
/// // A field near the bottom: its list opens above it.
/// let field = Rect::new(10.0, 160.0, 100.0, 30.0);
/// let list = place(field, Size::new(100.0, 80.0), window, Placement::Below);
/// assert_eq!(list.bottom(), field.y);
/// ```
#[must_use]
pub fn place(anchor: Rect, size: Size, window: Size, placement: Placement) -> Rect {
    let clamp = |start: f32, len: f32, room: f32| start.min(room - len - MARGIN).max(0.0);
    match placement {
        Placement::Center => {
            let x = ((window.w - size.w) / 2.0).max(0.0);
            let y = ((window.h - size.h) / 2.0).max(0.0);
            Rect::new(x.round(), y.round(), size.w, size.h)
        }
        Placement::Below => {
            let y = along(anchor.y, anchor.bottom(), size.h, window.h);
            let x = clamp(anchor.x, size.w, window.w);
            Rect::new(x, y, size.w, size.h)
        }
        Placement::Right => {
            let x = along(anchor.x, anchor.right(), size.w, window.w);
            let y = clamp(anchor.y, size.h, window.h);
            Rect::new(x, y, size.w, size.h)
        }
    }
}

/// The start of a popup of length `len` along one axis: after the anchor
/// (`start..end`) when it fits there, else before it when it fits there,
/// else on the roomier side, clamped into `0..room`.
fn along(start: f32, end: f32, len: f32, room: f32) -> f32 {
    let after = room - end;
    let before = start;
    let at = if len <= after || after >= before {
        end
    } else {
        start - len
    };
    at.min(room - len).max(0.0)
}

/// Content that shows above the view; see the [module docs](self).
#[must_use]
pub struct Popup<'a, M> {
    content: [Element<'a, M>; 1],
    layer: Layer,
    on_dismiss: Option<M>,
}

/// A popup showing `content` below its parent widget.
pub fn popup<'a, M>(content: impl Into<Element<'a, M>>) -> Popup<'a, M> {
    Popup {
        content: [content.into()],
        layer: Layer {
            anchor: Anchor::Parent,
            placement: Placement::Below,
            modal: false,
            passive: false,
            theme: None,
        },
        on_dismiss: None,
    }
}

impl<M> Popup<'_, M> {
    /// Place it next to `anchor` instead of its parent widget.
    pub fn anchor(mut self, anchor: Anchor) -> Self {
        self.layer.anchor = anchor;
        self
    }

    /// Place it as `placement` says.
    pub fn placement(mut self, placement: Placement) -> Self {
        self.layer.placement = placement;
        self
    }

    /// Below the anchor (the default), flipping above it.
    pub fn below(self) -> Self {
        self.placement(Placement::Below)
    }

    /// Right of the anchor, flipping to its left: a submenu.
    pub fn right(self) -> Self {
        self.placement(Placement::Right)
    }

    /// In the middle of the window: a dialog.
    pub fn centered(self) -> Self {
        self.placement(Placement::Center)
    }

    /// Dim the view behind it and make it inert, and keep Tab inside.
    pub fn modal(mut self) -> Self {
        self.layer.modal = true;
        self
    }

    /// Only paint it: the pointer passes through and clicks never dismiss it.
    pub fn passive(mut self) -> Self {
        self.layer.passive = true;
        self
    }

    /// Send `msg` when the user dismisses it (Escape, a click outside a
    /// non-modal popup). Without it, the dismissal goes to the popup's owner.
    pub fn on_dismiss(mut self, msg: M) -> Self {
        self.on_dismiss = Some(msg);
        self
    }
}

impl<'a, M: Clone> Widget<'a, M> for Popup<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let room = Size::new(
            (cx.window_size().w - 2.0 * MARGIN).max(0.0),
            (cx.window_size().h - 2.0 * MARGIN).max(0.0),
        );
        self.content[0].layout(cx, Constraints::loose(room));
        self.content[0].set_origin(Point::new(0.0, 0.0));
        self.layer.theme = Some(cx.theme().clone());
        // Takes no room where it stands: the UI moves it once laid out.
        constraints.min
    }

    /// Painted by the UI after the view, not by its parent.
    fn paint(&self, _cx: &mut PaintCx<'_, '_>, _rect: Rect) {}

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        match (event, &self.on_dismiss) {
            (WidgetEvent::Dismiss, Some(msg)) => {
                cx.emit(msg.clone());
                Handled::Yes
            }
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.content
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.content
    }

    fn layer(&self) -> Option<&Layer> {
        Some(&self.layer)
    }

    fn kind(&self) -> &'static str {
        "popup"
    }
}

impl<'a, M: Clone + 'a> From<Popup<'a, M>> for Element<'a, M> {
    fn from(popup: Popup<'a, M>) -> Self {
        Element::new(popup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Size = Size::new(400.0, 300.0);

    #[test]
    fn below_fits_below_or_flips_above() {
        let size = Size::new(120.0, 100.0);
        let top = Rect::new(20.0, 20.0, 80.0, 30.0);
        assert_eq!(
            place(top, size, WINDOW, Placement::Below),
            Rect::new(20.0, 50.0, 120.0, 100.0)
        );
        let bottom = Rect::new(20.0, 240.0, 80.0, 30.0);
        let placed = place(bottom, size, WINDOW, Placement::Below);
        assert_eq!((placed.y, placed.bottom()), (140.0, 240.0));
    }

    #[test]
    fn right_flips_left_and_everything_stays_inside() {
        let size = Size::new(150.0, 120.0);
        let near_right = Rect::new(300.0, 250.0, 60.0, 24.0);
        let placed = place(near_right, size, WINDOW, Placement::Right);
        assert_eq!(placed.right(), 300.0, "flipped to the left: {placed:?}");
        assert!(placed.bottom() <= WINDOW.h && placed.y >= 0.0, "{placed:?}");
        // Pressed against the right edge, a list is shifted left to fit.
        let edge = Rect::new(350.0, 10.0, 40.0, 20.0);
        let list = place(edge, size, WINDOW, Placement::Below);
        assert!(list.right() <= WINDOW.w && list.x >= 0.0, "{list:?}");
    }

    #[test]
    fn too_big_takes_the_roomier_side_and_never_leaves_the_top_left() {
        let tall = Size::new(100.0, 500.0);
        let anchor = Rect::new(10.0, 200.0, 50.0, 20.0);
        let placed = place(anchor, tall, WINDOW, Placement::Below);
        assert_eq!((placed.x, placed.y), (10.0, 0.0));
        let centered = place(anchor, Size::new(200.0, 100.0), WINDOW, Placement::Center);
        assert_eq!(centered, Rect::new(100.0, 100.0, 200.0, 100.0));
    }
}
