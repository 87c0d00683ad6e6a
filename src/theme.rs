//! Colors and sizes widgets draw with: a light and a dark theme.

use crate::render::Color;

/// The look every widget takes its colors and sizes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Window background.
    pub background: Color,
    /// Raised surfaces: buttons, inputs, list rows.
    pub surface: Color,
    /// Surfaces under the pointer.
    pub surface_hover: Color,
    /// Surfaces being pressed.
    pub surface_pressed: Color,
    /// Body text.
    pub text: Color,
    /// Secondary text: hints, captions, disabled labels.
    pub text_muted: Color,
    /// Accent: primary buttons, progress, selection, checked boxes.
    pub accent: Color,
    /// Text on the accent color.
    pub on_accent: Color,
    /// Hairlines and outlines.
    pub border: Color,
    /// The focus ring.
    pub focus: Color,
    /// Text selection background.
    pub selection: Color,
    /// Errors.
    pub danger: Color,
    /// Success.
    pub success: Color,
    /// Body text size in logical pixels.
    pub font_size: f32,
    /// Corner radius of buttons and inputs.
    pub radius: f32,
    /// The default space between widgets.
    pub spacing: f32,
    /// The default inner padding of controls.
    pub padding: f32,
}

impl Theme {
    /// Dark text on light surfaces.
    #[must_use]
    pub fn light() -> Self {
        Self {
            background: Color::from_rgb(0xf4, 0xf5, 0xf7),
            surface: Color::from_rgb(0xff, 0xff, 0xff),
            surface_hover: Color::from_rgb(0xea, 0xee, 0xf3),
            surface_pressed: Color::from_rgb(0xd9, 0xe0, 0xe8),
            text: Color::from_rgb(0x1d, 0x22, 0x2b),
            text_muted: Color::from_rgb(0x5f, 0x68, 0x75),
            accent: Color::from_rgb(0x25, 0x63, 0xeb),
            on_accent: Color::from_rgb(0xff, 0xff, 0xff),
            border: Color::from_rgb(0xc9, 0xd0, 0xd9),
            focus: Color::from_rgb(0x3b, 0x82, 0xf6),
            selection: Color::from_rgb(0xbf, 0xd7, 0xff),
            danger: Color::from_rgb(0xc2, 0x2b, 0x2b),
            success: Color::from_rgb(0x1b, 0x8a, 0x4b),
            font_size: 14.0,
            radius: 5.0,
            spacing: 8.0,
            padding: 8.0,
        }
    }

    /// Light text on dark surfaces.
    #[must_use]
    pub fn dark() -> Self {
        Self {
            background: Color::from_rgb(0x17, 0x1a, 0x20),
            surface: Color::from_rgb(0x23, 0x27, 0x2f),
            surface_hover: Color::from_rgb(0x2d, 0x32, 0x3c),
            surface_pressed: Color::from_rgb(0x38, 0x3e, 0x4a),
            text: Color::from_rgb(0xe6, 0xe9, 0xee),
            text_muted: Color::from_rgb(0x9a, 0xa3, 0xb0),
            accent: Color::from_rgb(0x4f, 0x8c, 0xff),
            on_accent: Color::from_rgb(0x0b, 0x10, 0x1a),
            border: Color::from_rgb(0x3c, 0x43, 0x50),
            focus: Color::from_rgb(0x7a, 0xa8, 0xff),
            selection: Color::from_rgb(0x2c, 0x4a, 0x7a),
            danger: Color::from_rgb(0xff, 0x6b, 0x6b),
            success: Color::from_rgb(0x4c, 0xc9, 0x7e),
            ..Self::light()
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::light()
    }
}
