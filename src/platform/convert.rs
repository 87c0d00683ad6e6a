//! winit → oneloop conversions. Nothing else in the crate names winit's event types.

use winit::event::{
    ElementState, KeyEvent as WinitKey, MouseButton, MouseScrollDelta, WindowEvent,
};
use winit::keyboard::{Key as WinitKeyName, ModifiersState, NamedKey as WinitNamed};
use winit::window::CursorIcon;

use crate::geometry::{Point, Size};
use crate::input::{
    ButtonState, Input, Key, KeyEvent, Modifiers, NamedKey, PointerButton, ScrollDelta,
};
use crate::widget::Cursor;

/// What conversion must remember between events: winit reports buttons and
/// wheel without a position, and keys without modifiers.
#[derive(Debug, Default)]
pub(crate) struct Converter {
    pub(crate) position: Point,
    modifiers: Modifiers,
}

impl Converter {
    /// Convert one window event; `None` for events oneloop does not surface
    /// (redraws are handled by the platform loop itself).
    pub(crate) fn convert(&mut self, event: &WindowEvent, scale: f64) -> Option<Input> {
        let logical = |x: f64, y: f64| Point::new((x / scale) as f32, (y / scale) as f32);
        Some(match event {
            WindowEvent::Resized(size) => Input::Resized(Size::new(
                (f64::from(size.width) / scale) as f32,
                (f64::from(size.height) / scale) as f32,
            )),
            WindowEvent::ScaleFactorChanged { scale_factor, .. } => {
                Input::ScaleFactorChanged(*scale_factor)
            }
            WindowEvent::Focused(focused) => Input::Focused(*focused),
            WindowEvent::CloseRequested => Input::CloseRequested,
            WindowEvent::ModifiersChanged(m) => {
                self.modifiers = modifiers(m.state());
                Input::ModifiersChanged(self.modifiers)
            }
            // winit invents a press for each key already held when the
            // window gains focus. The user pressed it somewhere else, and on
            // X11 the real press may still be on its way here as well: acting
            // on the invented one would run a shortcut twice or for nothing.
            // Invented releases pass, so no key looks stuck.
            WindowEvent::KeyboardInput {
                event,
                is_synthetic: true,
                ..
            } if event.state == ElementState::Pressed => return None,
            WindowEvent::KeyboardInput { event, .. } => Input::Key(self.key(event)),
            WindowEvent::CursorMoved { position, .. } => {
                self.position = logical(position.x, position.y);
                Input::PointerMoved {
                    position: self.position,
                }
            }
            WindowEvent::CursorEntered { .. } => Input::PointerEntered,
            WindowEvent::CursorLeft { .. } => Input::PointerLeft,
            WindowEvent::MouseInput { state, button, .. } => Input::PointerButton {
                button: pointer_button(*button),
                state: button_state(*state),
                position: self.position,
            },
            WindowEvent::MouseWheel { delta, .. } => Input::Wheel {
                delta: match delta {
                    MouseScrollDelta::LineDelta(x, y) => ScrollDelta::Lines { x: *x, y: *y },
                    MouseScrollDelta::PixelDelta(p) => {
                        let p = logical(p.x, p.y);
                        ScrollDelta::Pixels { x: p.x, y: p.y }
                    }
                },
                position: self.position,
            },
            WindowEvent::HoveredFile(path) => Input::FileHovered(path.clone()),
            WindowEvent::HoveredFileCancelled => Input::FileHoverCancelled,
            WindowEvent::DroppedFile(path) => Input::FileDropped(path.clone()),
            _ => return None,
        })
    }

    fn key(&self, event: &WinitKey) -> KeyEvent {
        KeyEvent {
            key: key(&event.logical_key),
            state: button_state(event.state),
            text: event
                .text
                .as_ref()
                .map(|t| t.to_string())
                .filter(|t| !t.chars().all(char::is_control)),
            modifiers: self.modifiers,
            repeat: event.repeat,
        }
    }
}

/// The window system's cursor for the one a widget asks for.
pub(crate) fn cursor_icon(cursor: Cursor) -> CursorIcon {
    match cursor {
        Cursor::Default => CursorIcon::Default,
        Cursor::Pointer => CursorIcon::Pointer,
        Cursor::Text => CursorIcon::Text,
        Cursor::Grab => CursorIcon::Grab,
        Cursor::ResizeColumn => CursorIcon::ColResize,
        Cursor::ResizeRow => CursorIcon::RowResize,
    }
}

fn modifiers(state: ModifiersState) -> Modifiers {
    Modifiers {
        shift: state.shift_key(),
        ctrl: state.control_key(),
        alt: state.alt_key(),
        logo: state.super_key(),
    }
}

fn button_state(state: ElementState) -> ButtonState {
    match state {
        ElementState::Pressed => ButtonState::Pressed,
        ElementState::Released => ButtonState::Released,
    }
}

fn pointer_button(button: MouseButton) -> PointerButton {
    match button {
        MouseButton::Left => PointerButton::Primary,
        MouseButton::Right => PointerButton::Secondary,
        MouseButton::Middle => PointerButton::Middle,
        MouseButton::Back => PointerButton::Other(4),
        MouseButton::Forward => PointerButton::Other(5),
        MouseButton::Other(n) => PointerButton::Other(n),
    }
}

fn key(key: &WinitKeyName) -> Key {
    match key {
        WinitKeyName::Character(c) => Key::Character(c.to_string()),
        WinitKeyName::Named(named) => named_key(*named).map_or(Key::Unidentified, Key::Named),
        WinitKeyName::Unidentified(_) | WinitKeyName::Dead(_) => Key::Unidentified,
    }
}

fn named_key(key: WinitNamed) -> Option<NamedKey> {
    use WinitNamed as W;
    Some(match key {
        W::Enter => NamedKey::Enter,
        W::Escape => NamedKey::Escape,
        W::Tab => NamedKey::Tab,
        W::Backspace => NamedKey::Backspace,
        W::Delete => NamedKey::Delete,
        W::Insert => NamedKey::Insert,
        W::Space => NamedKey::Space,
        W::ArrowLeft => NamedKey::ArrowLeft,
        W::ArrowRight => NamedKey::ArrowRight,
        W::ArrowUp => NamedKey::ArrowUp,
        W::ArrowDown => NamedKey::ArrowDown,
        W::Home => NamedKey::Home,
        W::End => NamedKey::End,
        W::PageUp => NamedKey::PageUp,
        W::PageDown => NamedKey::PageDown,
        W::Shift => NamedKey::Shift,
        W::Control => NamedKey::Control,
        W::Alt => NamedKey::Alt,
        W::Super | W::Meta => NamedKey::Super,
        W::ContextMenu => NamedKey::ContextMenu,
        W::F1 => NamedKey::F(1),
        W::F2 => NamedKey::F(2),
        W::F3 => NamedKey::F(3),
        W::F4 => NamedKey::F(4),
        W::F5 => NamedKey::F(5),
        W::F6 => NamedKey::F(6),
        W::F7 => NamedKey::F(7),
        W::F8 => NamedKey::F(8),
        W::F9 => NamedKey::F(9),
        W::F10 => NamedKey::F(10),
        W::F11 => NamedKey::F(11),
        W::F12 => NamedKey::F(12),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn dragged_and_dropped_files_become_input_with_their_paths() {
        let mut converter = Converter::default();
        let path = PathBuf::from("photos").join("Größe 1.png");
        let hovered = WindowEvent::HoveredFile(path.clone());
        assert_eq!(
            converter.convert(&hovered, 2.0),
            Some(Input::FileHovered(path.clone()))
        );
        assert_eq!(
            converter.convert(&WindowEvent::HoveredFileCancelled, 1.0),
            Some(Input::FileHoverCancelled)
        );
        let dropped = WindowEvent::DroppedFile(path.clone());
        assert_eq!(
            converter.convert(&dropped, 1.0),
            Some(Input::FileDropped(path))
        );
    }

    #[test]
    fn each_widget_cursor_shows_its_own_icon() {
        assert_eq!(cursor_icon(Cursor::Default), CursorIcon::Default);
        assert_eq!(cursor_icon(Cursor::Pointer), CursorIcon::Pointer);
        assert_eq!(cursor_icon(Cursor::Text), CursorIcon::Text);
        assert_eq!(cursor_icon(Cursor::Grab), CursorIcon::Grab);
        assert_eq!(cursor_icon(Cursor::ResizeColumn), CursorIcon::ColResize);
    }
}
