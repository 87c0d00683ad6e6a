//! Text: fonts, shaping, wrapping, ellipsizing, and drawing with a glyph cache.
//!
//! Text is shaped by a real shaper (cosmic-text), so combining marks,
//! right-to-left and complex scripts come out right, and characters missing
//! from one font are taken from another. Fonts are embedded in the binary
//! (DejaVu Sans, DejaVu Sans Mono, and Noto Emoji as a monochrome fallback),
//! so text renders the same on a machine with no fonts installed; system
//! fonts are only a fallback for scripts the embedded fonts lack, such as CJK.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Instant;

use cosmic_text::fontdb::{self, Database, Source};
use cosmic_text::{Attrs, Buffer, CacheKey, Family, FontSystem, Metrics, Shaping, Weight, Wrap};

use super::cache::{FastHasher, RecentCache};
use super::glyph_cache::{GlyphCache, Target};
use super::layout::{PlacedGlyph, TextLayout};
use super::{Color, GlyphCacheStats, Point, Size};

/// The embedded proportional family, used for [`FontFamily::Sans`].
const SANS: &str = "DejaVu Sans";
/// The embedded monospaced family, used for [`FontFamily::Mono`].
const MONO: &str = "DejaVu Sans Mono";
/// Shown where text was cut short by [`TextEngine::ellipsize`].
const ELLIPSIS: &str = "\u{2026}";
/// How many distinct layouts stay cached; a busy screen has a few hundred.
const LAYOUT_CAPACITY: usize = 1024;

/// Which typeface a piece of text uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FontFamily {
    /// Proportional sans-serif, for most UI text.
    #[default]
    Sans,
    /// Monospaced, for code, numbers in columns and logs.
    Mono,
}

/// How heavy the strokes of a piece of text are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FontWeight {
    /// Normal body text.
    #[default]
    Regular,
    /// Emphasis and headings.
    Bold,
}

/// How text looks: size, color, weight, family and line spacing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// Font size in logical pixels (the em size).
    pub size: f32,
    /// Text color; layouts do not depend on it, so changing it is free.
    pub color: Color,
    /// Regular or bold.
    pub weight: FontWeight,
    /// Sans or mono.
    pub family: FontFamily,
    /// Line height as a multiple of `size`.
    pub line_height: f32,
}

impl TextStyle {
    /// Black regular sans text of `size` logical pixels with 1.25 line spacing.
    pub const fn new(size: f32) -> Self {
        TextStyle {
            size,
            color: Color::BLACK,
            weight: FontWeight::Regular,
            family: FontFamily::Sans,
            line_height: 1.25,
        }
    }

    /// The same style in another color.
    #[must_use]
    pub const fn with_color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    /// The same style in bold.
    #[must_use]
    pub const fn bold(mut self) -> Self {
        self.weight = FontWeight::Bold;
        self
    }

    /// The same style in the monospaced family.
    #[must_use]
    pub const fn mono(mut self) -> Self {
        self.family = FontFamily::Mono;
        self
    }

    /// The same style with another line height (a multiple of the size).
    #[must_use]
    pub const fn with_line_height(mut self, line_height: f32) -> Self {
        self.line_height = line_height;
        self
    }

    /// Size and line height made safe for the shaper, which rejects zero,
    /// negative and non-finite values.
    fn metrics(&self) -> Metrics {
        let size = if self.size.is_finite() {
            self.size.clamp(1.0, 1000.0)
        } else {
            14.0
        };
        let factor = if self.line_height.is_finite() {
            self.line_height.clamp(0.5, 10.0)
        } else {
            1.25
        };
        Metrics::new(size, size * factor)
    }

    fn attrs(&self) -> Attrs<'static> {
        let family = match self.family {
            FontFamily::Sans => SANS,
            FontFamily::Mono => MONO,
        };
        let weight = match self.weight {
            FontWeight::Regular => Weight::NORMAL,
            FontWeight::Bold => Weight::BOLD,
        };
        Attrs::new().family(Family::Name(family)).weight(weight)
    }
}

impl Default for TextStyle {
    /// 14 px regular black sans: a comfortable UI body size.
    fn default() -> Self {
        TextStyle::new(14.0)
    }
}

/// Whether system fonts take part in fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SystemFonts {
    /// Never: output is identical on every machine (snapshot tests).
    Excluded,
    /// On the first character no embedded font has (scanning fonts is slow).
    OnDemand,
    Loaded,
}

/// How a layout is broken into lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    /// Only at line breaks in the text.
    Unbounded,
    /// Also at word (or, for long words, glyph) boundaries to fit a width.
    Wrap(u32),
    /// One line, cut with "…" to fit a width.
    Ellipsize(u32),
}

/// Everything a cached layout depends on besides its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct LayoutParams {
    size: u32,
    line_height: u32,
    weight: FontWeight,
    family: FontFamily,
    mode: Mode,
}

#[derive(Debug)]
struct LayoutEntry {
    params: LayoutParams,
    source: String,
    layout: TextLayout,
}

/// Fonts, shaping and the glyph and layout caches: everything text needs.
///
/// Create one per window (or per test) and hand it to every
/// [`Painter`](super::Painter); the caches make the second frame cheap.
pub struct TextEngine {
    fonts: FontSystem,
    glyphs: GlyphCache,
    layouts: RecentCache<u64, LayoutEntry>,
    system_fonts: SystemFonts,
}

impl std::fmt::Debug for TextEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextEngine")
            .field("faces", &self.fonts.db().len())
            .field("system_fonts", &self.system_fonts)
            .field("glyphs", &self.glyphs)
            .finish_non_exhaustive()
    }
}

impl Default for TextEngine {
    fn default() -> Self {
        TextEngine::new()
    }
}

impl TextEngine {
    /// Embedded fonts first; system fonts are scanned the first time some
    /// text needs a character the embedded fonts lack (e.g. CJK).
    pub fn new() -> Self {
        TextEngine::with_system_fonts(SystemFonts::OnDemand, locale_from_env())
    }

    /// Embedded fonts only, with a fixed locale: the same pixels on every
    /// machine, which is what snapshot tests need.
    pub fn embedded_only() -> Self {
        TextEngine::with_system_fonts(SystemFonts::Excluded, "en-US".to_owned())
    }

    fn with_system_fonts(system_fonts: SystemFonts, locale: String) -> Self {
        let mut db = Database::new();
        let embedded: [&'static [u8]; 5] = [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans_mono::regular(),
            dejavu::sans_mono::bold(),
            epaint_default_fonts::NOTO_EMOJI_REGULAR,
        ];
        for data in embedded {
            db.load_font_source(Source::Binary(Arc::new(data)));
        }
        db.set_sans_serif_family(SANS);
        db.set_monospace_family(MONO);
        TextEngine {
            fonts: FontSystem::new_with_locale_and_db(locale, db),
            glyphs: GlyphCache::new(),
            layouts: RecentCache::new(LAYOUT_CAPACITY),
            system_fonts,
        }
    }

    /// Scans the system's fonts now instead of on first need, e.g. while a
    /// splash screen is up. Does nothing for [`TextEngine::embedded_only`].
    pub fn load_system_fonts(&mut self) {
        if self.system_fonts != SystemFonts::OnDemand {
            return;
        }
        let started = Instant::now();
        let placeholder = FontSystem::new_with_locale_and_db(String::new(), Database::new());
        let (locale, mut db) = std::mem::replace(&mut self.fonts, placeholder).into_locale_and_db();
        db.load_system_fonts();
        // The embedded copies of our own families win, so text looks the same
        // whatever version of them the system has.
        let shadowed: Vec<fontdb::ID> = db
            .faces()
            .filter(|f| !matches!(f.source, Source::Binary(_)))
            .filter(|f| f.families.iter().any(|(n, _)| n == SANS || n == MONO))
            .map(|f| f.id)
            .collect();
        for id in shadowed {
            db.remove_face(id);
        }
        tracing::debug!(
            faces = db.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "loaded system fonts"
        );
        self.fonts = FontSystem::new_with_locale_and_db(locale, db);
        self.system_fonts = SystemFonts::Loaded;
        self.layouts.clear();
    }

    /// True once system fonts take part in fallback (never for
    /// [`TextEngine::embedded_only`]).
    pub fn system_fonts_loaded(&self) -> bool {
        self.system_fonts == SystemFonts::Loaded
    }

    /// Adds a font (TTF/OTF/TTC bytes) for fallback or for apps with their
    /// own typeface; returns how many faces it contained (0: not a font).
    pub fn add_font(&mut self, data: Vec<u8>) -> usize {
        let before = self.fonts.db().len();
        self.fonts.db_mut().load_font_data(data);
        self.layouts.clear();
        self.fonts.db().len() - before
    }

    /// True when a font family of this exact name is loaded.
    pub fn has_family(&self, name: &str) -> bool {
        self.fonts
            .db()
            .faces()
            .any(|f| f.families.iter().any(|(n, _)| n == name))
    }

    /// Width and height of `text` on as many lines as it has line breaks.
    pub fn measure(&mut self, text: &str, style: &TextStyle) -> Size {
        self.layout(text, style, None).size()
    }

    /// Shapes and lays out `text`, wrapping at word boundaries (or inside
    /// words that are too long) to fit `max_width` when given.
    pub fn layout(&mut self, text: &str, style: &TextStyle, max_width: Option<f32>) -> TextLayout {
        let mode = max_width.map_or(Mode::Unbounded, |w| Mode::Wrap(w.max(0.0).to_bits()));
        self.cached(text, style, mode)
    }

    /// `text` on one line, cut at a character boundary and ended with "…"
    /// when it is wider than `max_width`. Only the first line of multi-line
    /// text is kept. The result's [`TextLayout::text`] is what is shown.
    pub fn ellipsize(&mut self, text: &str, style: &TextStyle, max_width: f32) -> TextLayout {
        self.cached(text, style, Mode::Ellipsize(max_width.max(0.0).to_bits()))
    }

    /// How well the glyph cache is working (hits rise when text is redrawn).
    pub fn glyph_cache_stats(&self) -> GlyphCacheStats {
        self.glyphs.stats()
    }

    fn cached(&mut self, text: &str, style: &TextStyle, mode: Mode) -> TextLayout {
        let metrics = style.metrics();
        let params = LayoutParams {
            size: metrics.font_size.to_bits(),
            line_height: metrics.line_height.to_bits(),
            weight: style.weight,
            family: style.family,
            mode,
        };
        // A collision costs only a re-layout: hits are verified below.
        let mut hasher = FastHasher::default();
        (text, params).hash(&mut hasher);
        let key = hasher.finish();
        if let Some(entry) = self.layouts.get(&key) {
            if entry.params == params && entry.source == text {
                return entry.layout.clone();
            }
        }
        let layout = match mode {
            Mode::Unbounded => self.shape_with_fallback(text, style, None),
            Mode::Wrap(w) => self.shape_with_fallback(text, style, Some(f32::from_bits(w))),
            Mode::Ellipsize(w) => self.build_ellipsized(text, style, f32::from_bits(w)),
        };
        let entry = LayoutEntry {
            params,
            source: text.to_owned(),
            layout: layout.clone(),
        };
        self.layouts.insert(key, entry);
        layout
    }

    fn shape_with_fallback(
        &mut self,
        text: &str,
        style: &TextStyle,
        width: Option<f32>,
    ) -> TextLayout {
        let layout = self.shape(text, style, width);
        if self.system_fonts == SystemFonts::OnDemand && layout.has_missing_glyphs() {
            tracing::debug!(
                text,
                "no embedded font covers this text; loading system fonts"
            );
            self.load_system_fonts();
            return self.shape(text, style, width);
        }
        layout
    }

    fn shape(&mut self, text: &str, style: &TextStyle, width: Option<f32>) -> TextLayout {
        let mut buffer = Buffer::new_empty(style.metrics());
        buffer.set_wrap(if width.is_some() {
            Wrap::WordOrGlyph
        } else {
            Wrap::None
        });
        buffer.set_size(width, None);
        buffer.set_text(text, &style.attrs(), Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.fonts, false);
        TextLayout::from_buffer(text.to_owned(), &buffer)
    }

    fn build_ellipsized(&mut self, text: &str, style: &TextStyle, max_width: f32) -> TextLayout {
        let first_line = text.lines().next().unwrap_or("");
        let full = self.shape_with_fallback(first_line, style, None);
        if full.size().w <= max_width && first_line.len() == text.len() {
            return full;
        }
        let fits = |engine: &mut Self, cut: usize| {
            let candidate = format!("{}{ELLIPSIS}", first_line[..cut].trim_end());
            let layout = engine.shape(&candidate, style, None);
            (layout.size().w <= max_width).then_some(layout)
        };
        // Cut only between graphemes, so no accent is separated from its letter.
        let stops = full.caret_stops();
        let Some(mut best) = fits(self, 0) else {
            return self.shape("", style, None);
        };
        let (mut lo, mut hi) = (0, stops.len().saturating_sub(2));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            match fits(self, stops[mid]) {
                Some(layout) => {
                    best = layout;
                    lo = mid;
                }
                None => hi = mid - 1,
            }
        }
        best
    }

    /// Draws `layout` with its top-left corner at `origin` (logical units).
    pub(crate) fn draw_layout(
        &mut self,
        target: &mut Target<'_>,
        layout: &TextLayout,
        origin: Point,
        scale: f32,
        color: Color,
    ) {
        let premultiplied = color.premultiplied();
        let clip = target.clip;
        for line in layout.lines() {
            // Whole lines outside the clip cost nothing, e.g. in a scrolled list.
            // Written as "inside" tests so that NaN positions count as outside.
            let top = (origin.y + line.top) * scale;
            let slack = line.height * scale;
            let near = top + 2.0 * slack >= clip.y0 as f32 && top - slack <= clip.y1 as f32;
            if !near {
                continue;
            }
            // Baselines on whole pixels keep stems crisp and lines level.
            let baseline = ((origin.y + line.baseline) * scale).round();
            for glyph in &line.glyphs {
                let x = (origin.x + glyph.pen_x) * scale;
                let reach = 4.0 * glyph.font_size * scale;
                if !(x + reach >= clip.x0 as f32 && x - reach <= clip.x1 as f32) {
                    continue;
                }
                let (key, x, y) = physical_key(glyph, x, baseline, scale);
                if let Some(image) = self.glyphs.get(&mut self.fonts, key) {
                    image.draw(target, x, y, premultiplied);
                }
            }
        }
    }
}

/// The glyph cache key and integer pen position of a glyph whose pen is at
/// physical `x` on the line with physical `baseline`; the fractional part of
/// `x` goes into the key as a quarter-pixel bin.
fn physical_key(glyph: &PlacedGlyph, x: f32, baseline: f32, scale: f32) -> (CacheKey, i32, i32) {
    let y = baseline + (glyph.pen_y * scale).round();
    CacheKey::new(
        glyph.font_id,
        glyph.glyph_id,
        glyph.font_size * scale,
        (x, y),
        glyph.weight,
        glyph.flags,
    )
}

/// The user's language as a BCP 47 tag (e.g. "ja-JP"), which decides how
/// Han characters shared by Chinese and Japanese are drawn.
fn locale_from_env() -> String {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| {
            let tag = v.split(['.', '@']).next().unwrap_or("").replace('_', "-");
            (!tag.is_empty() && tag != "C" && tag != "POSIX").then_some(tag)
        })
        .unwrap_or_else(|| "en-US".to_owned())
}
