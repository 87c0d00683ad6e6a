//! The popup layer as the UI sees it: where each open popup of a laid-out
//! view is, what the pointer hits through them, and painting them over the
//! view. What a popup is, and the rules, are in [`crate::popup`].

use super::hit_path;
use crate::geometry::{Point, Rect, Size};
use crate::popup::{place, Anchor};
use crate::render::Color;
use crate::widget::{Element, PaintCx, WidgetId};

/// Covers the view behind a modal popup.
const DIM: Color = Color::rgba(0, 0, 0, 96);

/// An open popup of the current view, bottom first.
#[derive(Debug, Clone)]
pub(crate) struct OpenLayer {
    /// Child indices from the root to the popup element.
    pub(crate) path: Vec<usize>,
    pub(crate) id: WidgetId,
    /// Where its content is, in window coordinates.
    pub(crate) rect: Rect,
    pub(crate) modal: bool,
    pub(crate) passive: bool,
}

impl OpenLayer {
    /// Whether the element at `path` is this popup or inside it.
    pub(crate) fn holds(&self, path: &[usize]) -> bool {
        path.starts_with(&self.path)
    }
}

/// What the pointer is over, popups first.
pub(crate) enum LayerHit {
    /// This path, into a popup.
    Layer(Vec<usize>),
    /// The view, which a modal popup makes inert.
    Blocked,
    /// The view.
    View,
}

/// Move every popup of a resolved tree to its place, in tree order (a
/// popup before the popups inside it), and list them.
pub(crate) fn place_layers<M>(tree: &mut Element<'_, M>, window: Size) -> Vec<OpenLayer> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    place_within(tree, window, &mut path, &mut out);
    out
}

fn place_within<M>(
    element: &mut Element<'_, M>,
    window: Size,
    path: &mut Vec<usize>,
    out: &mut Vec<OpenLayer>,
) {
    let parent = element.rect();
    for (index, child) in element.widget_mut().children_mut().iter_mut().enumerate() {
        path.push(index);
        if let Some(layer) = child.widget().layer() {
            let anchor = match layer.anchor {
                Anchor::Parent => parent,
                Anchor::Rect(rect) => rect,
                Anchor::Point(p) => Rect::new(p.x, p.y, 0.0, 0.0),
            };
            let (modal, passive, placement) = (layer.modal, layer.passive, layer.placement);
            let content = child.widget().children().first().map(Element::rect);
            let size = content.map_or(Size::ZERO, |r| r.size());
            let target = place(anchor, size, window, placement);
            if let (Some(content), Some(first)) =
                (content, child.widget_mut().children_mut().first_mut())
            {
                first.translate(target.x - content.x, target.y - content.y);
            }
            child.set_rect(target);
            out.push(OpenLayer {
                path: path.clone(),
                id: child.id(),
                rect: target,
                modal,
                passive,
            });
        }
        place_within(child, window, path, out);
        path.pop();
    }
}

/// What is under `point`: the topmost popup that contains it, else the view
/// unless a modal popup blocks it. Passive popups are not hit.
pub(crate) fn hit<M>(tree: &Element<'_, M>, layers: &[OpenLayer], point: Point) -> LayerHit {
    for layer in layers.iter().rev().filter(|l| !l.passive) {
        if layer.rect.contains(point) {
            if let Some(popup) = super::element_at(tree, &layer.path) {
                let mut path = layer.path.clone();
                path.extend(hit_path(popup, point));
                return LayerHit::Layer(path);
            }
        }
        if layer.modal {
            return LayerHit::Blocked;
        }
    }
    LayerHit::View
}

/// Paint each popup over the view, bottom first: the view behind a modal
/// one dimmed, then a panel with a soft shadow, then its content, in the
/// theme that was in force where the popup stands.
pub(crate) fn paint_layers<M>(
    tree: &Element<'_, M>,
    layers: &[OpenLayer],
    cx: &mut PaintCx<'_, '_>,
) {
    for layer in layers {
        let Some(popup) = super::element_at(tree, &layer.path) else {
            continue;
        };
        let Some(content) = popup.widget().children().first() else {
            continue;
        };
        let theme = popup
            .widget()
            .layer()
            .and_then(|l| l.theme.clone())
            .unwrap_or_else(|| cx.theme().clone());
        if layer.modal {
            let window = cx.painter().size();
            cx.painter()
                .fill_rect(Rect::from_origin_size(Point::new(0.0, 0.0), window), DIM);
        }
        cx.with_theme(&theme, |cx| {
            let rect = layer.rect;
            let radius = theme.radius + 1.0;
            let painter = cx.painter();
            for (spread, alpha) in [(3.0, 18), (1.5, 28)] {
                let shadow = rect.translate(0.0, 2.0).inset(-spread);
                painter.fill_rounded_rect(shadow, radius + spread, Color::rgba(0, 0, 0, alpha));
            }
            painter.fill_rounded_rect(rect, radius, theme.surface);
            painter.stroke_rounded_rect(rect.inset(0.5), radius, 1.0, theme.border);
            content.paint(cx);
        });
    }
}
