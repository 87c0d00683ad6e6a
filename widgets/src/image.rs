//! A picture from a PNG or JPEG file. The file is read and decoded on the
//! worker pool, never on the loop thread: [`load_image`] issues the request
//! and its completion arrives as an [`Event::Io`](oneloop::Event::Io)
//! message carrying a [`Picture`], which the app keeps and shows with
//! [`image`]. Until then the widget shows a placeholder; a missing or
//! corrupt file shows an error state that says why.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oneloop::render::{Image, Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};
use oneloop::{Cx, Element, Interrupted, RequestId};

/// Why a picture could not be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The file could not be read (missing, no permission, a directory…).
    /// The message names only the file, so it fits under a picture.
    #[error("cannot read {}: {reason}", file_name(path))]
    Read {
        /// The file asked for.
        path: PathBuf,
        /// What the OS said.
        reason: String,
    },
    /// The bytes are not a PNG or JPEG this decoder understands.
    #[error("not a PNG or JPEG image")]
    UnknownFormat,
    /// The file looks like an image but its data is broken or cut short.
    #[error("corrupt image: {0}")]
    Corrupt(String),
    /// The request was cancelled, or the decoder panicked.
    #[error("loading stopped: {0}")]
    Interrupted(Interrupted),
}

/// What an image widget shows: the app keeps one per picture.
#[derive(Debug, Clone, Default)]
pub enum Picture {
    /// Not decoded yet: a placeholder shows.
    #[default]
    Loading,
    /// Decoded pixels, shared cheaply between views.
    Ready(Arc<Image>),
    /// Could not be shown, and why.
    Failed(ImageError),
}

impl Picture {
    /// The decoded image, if there is one.
    #[must_use]
    pub fn image(&self) -> Option<&Image> {
        match self {
            Picture::Ready(image) => Some(image),
            _ => None,
        }
    }
}

/// Read and decode the PNG or JPEG at `path` on the worker pool; `map`
/// turns the outcome into the app's message, delivered as
/// [`Event::Io`](oneloop::Event::Io). Nothing of the work runs on the loop
/// thread except `map`.
///
/// ```no_run
/// use oneloop_widgets::{load_image, Picture};
///
/// #[derive(Debug)]
/// enum Msg { Photo(Picture) }
///
/// fn open(cx: &mut oneloop::Cx<Msg>) {
///     load_image(cx, "photo.jpg", Msg::Photo);
/// }
/// ```
pub fn load_image<M, F>(cx: &mut Cx<M>, path: impl Into<PathBuf>, map: F) -> RequestId
where
    M: Send + 'static,
    F: FnOnce(Picture) -> M + Send + 'static,
{
    let path = path.into();
    cx.blocking(
        move |_job| read_and_decode(&path),
        move |outcome| {
            map(match outcome {
                Ok(Ok(image)) => Picture::Ready(Arc::new(image)),
                Ok(Err(e)) => Picture::Failed(e),
                Err(interrupted) => Picture::Failed(ImageError::Interrupted(interrupted)),
            })
        },
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// `text` with its first letter in upper case: an error as a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn read_and_decode(path: &Path) -> Result<Image, ImageError> {
    let bytes = std::fs::read(path).map_err(|e| ImageError::Read {
        path: path.to_owned(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::IsADirectory => "it is a folder".to_owned(),
            _ => e.to_string(),
        },
    })?;
    decode_image(&bytes)
}

/// Decode PNG or JPEG `bytes` into an image. Blocking and slow for big
/// pictures: call it on the pool (as [`load_image`] does), not in a handler.
pub fn decode_image(bytes: &[u8]) -> Result<Image, ImageError> {
    let format = image::guess_format(bytes).map_err(|_| ImageError::UnknownFormat)?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(ImageError::UnknownFormat);
    }
    let decoded = image::load_from_memory_with_format(bytes, format)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let rgba = decoded.into_rgba8();
    let (width, height) = rgba.dimensions();
    tracing::debug!(width, height, ?format, "decoded image");
    Image::from_rgba8(width, height, rgba.into_raw())
        .map_err(|e| ImageError::Corrupt(e.to_string()))
}

/// How a picture is placed in the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fit {
    /// As large as the widget allows, keeping its aspect, centered.
    #[default]
    Contain,
    /// One image pixel per logical pixel, centered and cut off at the edges.
    Actual,
}

/// Shows a [`Picture`]: its pixels, a placeholder or an error.
#[must_use]
pub struct ImageView<'a> {
    picture: &'a Picture,
    fit: Fit,
    size: Option<Size>,
    message: Option<Cow<'a, str>>,
    layout: Option<TextLayout>,
}

/// A widget showing `picture`, fitted into its room ([`Fit::Contain`]).
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{image, Picture};
///
/// fn view<'a, M: 'a>(photo: &'a Picture) -> Element<'a, M> {
///     image(photo).size(320.0, 200.0).into()
/// }
/// ```
pub fn image(picture: &Picture) -> ImageView<'_> {
    let message = match picture {
        Picture::Loading => Some(Cow::Borrowed("Loading image…")),
        Picture::Ready(_) => None,
        Picture::Failed(e) => Some(Cow::Owned(sentence(&e.to_string()))),
    };
    ImageView {
        picture,
        fit: Fit::Contain,
        size: None,
        message,
        layout: None,
    }
}

impl ImageView<'_> {
    /// How the picture is placed.
    pub fn fit(mut self, fit: Fit) -> Self {
        self.fit = fit;
        self
    }

    /// One image pixel per logical pixel ([`Fit::Actual`]).
    pub fn actual_size(self) -> Self {
        self.fit(Fit::Actual)
    }

    /// Ask for this size (the parent may still limit it). Without it the
    /// widget asks for the picture's own size, or 160×120 while there is none.
    pub fn size(mut self, width: f32, height: f32) -> Self {
        self.size = Some(Size::new(width.max(0.0), height.max(0.0)));
        self
    }

    /// Where the picture goes inside `rect`.
    fn placement(&self, image: &Image, rect: Rect) -> Rect {
        let (w, h) = (image.width() as f32, image.height() as f32);
        let scale = match self.fit {
            Fit::Actual => 1.0,
            Fit::Contain => (rect.w / w).min(rect.h / h),
        };
        let (dw, dh) = (w * scale, h * scale);
        let mut at = Rect::new(
            rect.x + (rect.w - dw) / 2.0,
            rect.y + (rect.h - dh) / 2.0,
            dw,
            dh,
        );
        if self.fit == Fit::Actual {
            // On the pixel grid an unscaled image is copied exactly.
            at.x = at.x.round();
            at.y = at.y.round();
        }
        at
    }
}

/// The placeholder's and the error's icon height, and the space under it.
const ICON: f32 = 20.0;
const ICON_GAP: f32 = 8.0;

/// The size a widget with no picture and no size asks for.
const PLACEHOLDER: Size = Size::new(160.0, 120.0);

impl<'a, M> Widget<'a, M> for ImageView<'a> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let natural = self.size.unwrap_or(match self.picture {
            Picture::Ready(image) => Size::new(image.width() as f32, image.height() as f32),
            _ => PLACEHOLDER,
        });
        let size = constraints.constrain(natural);
        self.layout = self.message.as_ref().map(|text| {
            let style = TextStyle::new(cx.theme().font_size - 1.0);
            cx.text()
                .layout(text, &style, Some((size.w - 16.0).max(1.0)))
        });
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        // The icon above the message, the two centered together.
        let text_h = self.layout.as_ref().map_or(0.0, |l| l.size().h);
        let top = (rect.center().y - (ICON + ICON_GAP + text_h) / 2.0).max(rect.y + 4.0);
        let icon_center = Point::new(rect.center().x, top + ICON / 2.0);
        let painter = cx.painter();
        match self.picture {
            Picture::Ready(image) => {
                let at = self.placement(image, rect);
                painter.with_clip(rect, |p| p.image(at, image));
                return;
            }
            Picture::Loading => {
                painter.fill_rounded_rect(rect, theme.radius, theme.surface_hover);
                // A small landscape: the universal "a picture goes here".
                let icon = Rect::new(icon_center.x - 14.0, top, 28.0, ICON);
                painter.stroke_rounded_rect(icon, 2.0, 1.5, theme.text_muted);
                let sun = Point::new(icon.x + 8.0, icon.y + 6.0);
                painter.fill_circle(sun, 2.5, theme.text_muted);
                let base = icon.bottom() - 3.0;
                painter.line(
                    Point::new(icon.x + 4.0, base),
                    Point::new(icon.x + 13.0, icon.y + 10.0),
                    1.5,
                    theme.text_muted,
                );
                painter.line(
                    Point::new(icon.x + 13.0, icon.y + 10.0),
                    Point::new(icon.right() - 4.0, base),
                    1.5,
                    theme.text_muted,
                );
            }
            Picture::Failed(_) => {
                painter.fill_rounded_rect(rect, theme.radius, theme.surface);
                // On whole pixels, so the outline is one crisp pixel wide.
                let frame = Rect::new(
                    rect.x.round(),
                    rect.y.round(),
                    rect.w.round(),
                    rect.h.round(),
                );
                painter.stroke_rounded_rect(frame, theme.radius, 1.0, theme.danger);
                // A crossed-out frame.
                let icon = Rect::new(icon_center.x - ICON / 2.0, top, ICON, ICON);
                painter.line(
                    icon.origin(),
                    Point::new(icon.right(), icon.bottom()),
                    2.0,
                    theme.danger,
                );
                painter.line(
                    Point::new(icon.right(), icon.y),
                    Point::new(icon.x, icon.bottom()),
                    2.0,
                    theme.danger,
                );
            }
        }
        if let Some(layout) = &self.layout {
            let text = layout.size();
            let at = Point::new(
                (rect.x + (rect.w - text.w) / 2.0).round(),
                (top + ICON + ICON_GAP).round(),
            );
            let color = match self.picture {
                Picture::Failed(_) => theme.danger,
                _ => theme.text_muted,
            };
            painter.with_clip(rect, |p| p.text_layout(at, layout, color));
        }
    }

    fn label(&self) -> Option<&str> {
        self.message.as_deref()
    }

    fn kind(&self) -> &'static str {
        "image"
    }
}

impl<'a, M: 'a> From<ImageView<'a>> for Element<'a, M> {
    fn from(view: ImageView<'a>) -> Self {
        Element::new(view)
    }
}
