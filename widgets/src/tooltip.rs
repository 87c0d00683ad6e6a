//! A tooltip: a short text that shows below a widget once the pointer has
//! rested on it for a moment, and hides when the pointer leaves or a button
//! is pressed. The wait is a timer on the loop, like any other.

use std::borrow::Cow;
use std::time::Duration;

use oneloop::popup::popup;
use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{
    Constraints, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent, WidgetTimer,
};
use oneloop::Element;

use crate::{container, label};

/// How long the pointer rests on a widget before its tooltip shows.
pub const TOOLTIP_DELAY: Duration = Duration::from_millis(500);

/// `child` with a tooltip.
#[must_use]
pub struct Tooltip<'a, M> {
    text: Cow<'a, str>,
    delay: Duration,
    /// The child, then the tooltip's popup while it shows.
    children: Vec<Element<'a, M>>,
}

/// Show `text` below `child` when the pointer rests on it.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{button, tooltip};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Save }
///
/// fn view<'a>() -> Element<'a, Msg> {
///     tooltip(button("Save").on_press(Msg::Save), "Write the file to disk").into()
/// }
/// ```
pub fn tooltip<'a, M>(
    child: impl Into<Element<'a, M>>,
    text: impl Into<Cow<'a, str>>,
) -> Tooltip<'a, M> {
    Tooltip {
        text: text.into(),
        delay: TOOLTIP_DELAY,
        children: vec![child.into()],
    }
}

impl<M> Tooltip<'_, M> {
    /// Wait `delay` before showing, instead of [`TOOLTIP_DELAY`].
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// Whether the tooltip shows, or which timer will show it.
#[derive(Debug, Default)]
struct TipState {
    shown: bool,
    waiting: Option<WidgetTimer>,
}

impl<'a, M: Clone + 'a> Widget<'a, M> for Tooltip<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        self.children.truncate(1);
        let size = self.children[0].layout(cx, constraints);
        self.children[0].set_origin(Point::new(0.0, 0.0));
        if cx.state::<TipState>().shown {
            let text = label(self.text.clone()).size(cx.theme().font_size - 1.0);
            let mut tip: Element<'a, M> = popup(container(text).padding(6.0)).passive().into();
            cx.adopt(1, &mut tip);
            tip.layout(cx, Constraints::loose(size));
            self.children.push(tip);
        }
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        self.children[0].paint(cx);
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        match event {
            WidgetEvent::HoverWithin(true) => {
                let timer = cx.start_timer(self.delay);
                cx.state::<TipState>().waiting = Some(timer);
                Handled::No
            }
            WidgetEvent::HoverWithin(false) => {
                hide(cx);
                Handled::No
            }
            WidgetEvent::Dismiss => {
                hide(cx);
                Handled::Yes
            }
            WidgetEvent::Timer(timer) => {
                let state = cx.state::<TipState>();
                if state.waiting != Some(*timer) {
                    return Handled::No;
                }
                state.waiting = None;
                state.shown = true;
                cx.request_layout();
                Handled::Yes
            }
            WidgetEvent::Key(_) => {
                hide(cx);
                Handled::No
            }
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.children
    }

    fn kind(&self) -> &'static str {
        "tooltip"
    }
}

/// Hide the tooltip and forget a timer that would show it.
fn hide<M>(cx: &mut EventCx<'_, M>) {
    let state = cx.state::<TipState>();
    state.waiting = None;
    if std::mem::take(&mut state.shown) {
        cx.request_layout();
    }
}

impl<'a, M: Clone + 'a> From<Tooltip<'a, M>> for Element<'a, M> {
    fn from(tip: Tooltip<'a, M>) -> Self {
        Element::new(tip)
    }
}
