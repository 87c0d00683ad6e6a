//! [`Wire`] for oneloop's own types: input, geometry, file results and
//! the figures a handler may read from `cx.stats()`.

use std::path::PathBuf;
use std::sync::Arc;

use super::wire::{Reader, Wire, WireError, Writer};
use crate::event::{Lane, PanicReport};
use crate::geometry::{Point, Size};
use crate::input::{
    ButtonState, Input, Key, KeyEvent, Modifiers, NamedKey, PointerButton, ScrollDelta,
};
use crate::io::fs::{DirEntry, EntryKind, FsError, Progress};
use crate::stats::{Rates, SlowHandler, Stats};

impl Wire for Point {
    fn encode(&self, out: &mut Writer) {
        out.f32(self.x);
        out.f32(self.y);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Point::new(input.f32()?, input.f32()?))
    }
}

impl Wire for Size {
    fn encode(&self, out: &mut Writer) {
        out.f32(self.w);
        out.f32(self.h);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Size::new(input.f32()?, input.f32()?))
    }
}

impl Wire for Lane {
    fn encode(&self, out: &mut Writer) {
        let i = Lane::ALL.iter().position(|l| l == self).unwrap_or(0);
        out.u8(i as u8);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let b = input.u8()?;
        Lane::ALL
            .get(usize::from(b))
            .copied()
            .ok_or_else(|| input.bad_tag(u64::from(b), "lane"))
    }
}

impl Wire for ButtonState {
    fn encode(&self, out: &mut Writer) {
        out.put(&matches!(self, ButtonState::Pressed));
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(if input.get::<bool>()? {
            ButtonState::Pressed
        } else {
            ButtonState::Released
        })
    }
}

impl Wire for Modifiers {
    fn encode(&self, out: &mut Writer) {
        let bits = u8::from(self.shift)
            | u8::from(self.ctrl) << 1
            | u8::from(self.alt) << 2
            | u8::from(self.logo) << 3;
        out.u8(bits);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let bits = input.u8()?;
        if bits > 0xf {
            return Err(input.error(format!("modifier bits {bits:#x}")));
        }
        Ok(Modifiers {
            shift: bits & 1 != 0,
            ctrl: bits & 2 != 0,
            alt: bits & 4 != 0,
            logo: bits & 8 != 0,
        })
    }
}

// New keys go at the end: a recording stores a key's index here.
const NAMED: [NamedKey; 20] = [
    NamedKey::Enter,
    NamedKey::Escape,
    NamedKey::Tab,
    NamedKey::Backspace,
    NamedKey::Delete,
    NamedKey::Insert,
    NamedKey::Space,
    NamedKey::ArrowLeft,
    NamedKey::ArrowRight,
    NamedKey::ArrowUp,
    NamedKey::ArrowDown,
    NamedKey::Home,
    NamedKey::End,
    NamedKey::PageUp,
    NamedKey::PageDown,
    NamedKey::Shift,
    NamedKey::Control,
    NamedKey::Alt,
    NamedKey::Super,
    NamedKey::ContextMenu,
];

impl Wire for Key {
    fn encode(&self, out: &mut Writer) {
        match self {
            Key::Named(NamedKey::F(n)) => {
                out.u64(0);
                out.put(&u16::from(*n));
            }
            Key::Named(named) => {
                out.u64(1);
                out.u64(NAMED.iter().position(|k| k == named).unwrap_or(0) as u64);
            }
            Key::Character(s) => {
                out.u64(2);
                out.str(s);
            }
            Key::Unidentified => out.u64(3),
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        match input.u64()? {
            0 => {
                let n: u16 = input.get()?;
                u8::try_from(n)
                    .map(|n| Key::Named(NamedKey::F(n)))
                    .map_err(|_| input.error(format!("function key F{n}")))
            }
            1 => {
                let i = input.u64()?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| NAMED.get(i))
                    .map(|k| Key::Named(*k))
                    .ok_or_else(|| input.bad_tag(i, "named key"))
            }
            2 => Ok(Key::Character(input.str()?)),
            3 => Ok(Key::Unidentified),
            tag => Err(input.bad_tag(tag, "key")),
        }
    }
}

impl Wire for PointerButton {
    fn encode(&self, out: &mut Writer) {
        match self {
            PointerButton::Primary => out.u64(0),
            PointerButton::Secondary => out.u64(1),
            PointerButton::Middle => out.u64(2),
            PointerButton::Other(n) => {
                out.u64(3);
                out.put(n);
            }
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        match input.u64()? {
            0 => Ok(PointerButton::Primary),
            1 => Ok(PointerButton::Secondary),
            2 => Ok(PointerButton::Middle),
            3 => Ok(PointerButton::Other(input.get()?)),
            tag => Err(input.bad_tag(tag, "pointer button")),
        }
    }
}

impl Wire for Input {
    fn encode(&self, out: &mut Writer) {
        match self {
            Input::Key(k) => {
                out.u64(0);
                out.put(&k.key);
                out.put(&k.state);
                out.put(&k.text);
                out.put(&k.modifiers);
                out.put(&k.repeat);
            }
            Input::ModifiersChanged(m) => {
                out.u64(1);
                out.put(m);
            }
            Input::PointerMoved { position } => {
                out.u64(2);
                out.put(position);
            }
            Input::PointerEntered => out.u64(3),
            Input::PointerLeft => out.u64(4),
            Input::PointerButton {
                button,
                state,
                position,
            } => {
                out.u64(5);
                out.put(button);
                out.put(state);
                out.put(position);
            }
            Input::Wheel { delta, position } => {
                out.u64(6);
                let (lines, x, y) = match *delta {
                    ScrollDelta::Lines { x, y } => (true, x, y),
                    ScrollDelta::Pixels { x, y } => (false, x, y),
                };
                out.put(&lines);
                out.f32(x);
                out.f32(y);
                out.put(position);
            }
            Input::Resized(size) => {
                out.u64(7);
                out.put(size);
            }
            Input::ScaleFactorChanged(s) => {
                out.u64(8);
                out.f64(*s);
            }
            Input::Focused(f) => {
                out.u64(9);
                out.put(f);
            }
            Input::CloseRequested => out.u64(10),
            // Tags only ever grow, so recordings made before these existed still read.
            Input::FileHovered(path) => {
                out.u64(11);
                out.put(path);
            }
            Input::FileHoverCancelled => out.u64(12),
            Input::FileDropped(path) => {
                out.u64(13);
                out.put(path);
            }
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match input.u64()? {
            0 => Input::Key(KeyEvent {
                key: input.get()?,
                state: input.get()?,
                text: input.get()?,
                modifiers: input.get()?,
                repeat: input.get()?,
            }),
            1 => Input::ModifiersChanged(input.get()?),
            2 => Input::PointerMoved {
                position: input.get()?,
            },
            3 => Input::PointerEntered,
            4 => Input::PointerLeft,
            5 => Input::PointerButton {
                button: input.get()?,
                state: input.get()?,
                position: input.get()?,
            },
            6 => {
                let lines: bool = input.get()?;
                let (x, y) = (input.f32()?, input.f32()?);
                let delta = if lines {
                    ScrollDelta::Lines { x, y }
                } else {
                    ScrollDelta::Pixels { x, y }
                };
                Input::Wheel {
                    delta,
                    position: input.get()?,
                }
            }
            7 => Input::Resized(input.get()?),
            8 => Input::ScaleFactorChanged(input.f64()?),
            9 => Input::Focused(input.get()?),
            10 => Input::CloseRequested,
            11 => Input::FileHovered(input.get()?),
            12 => Input::FileHoverCancelled,
            13 => Input::FileDropped(input.get()?),
            tag => return Err(input.bad_tag(tag, "input")),
        })
    }
}

const KINDS: [EntryKind; 8] = [
    EntryKind::File,
    EntryKind::Dir,
    EntryKind::Symlink,
    EntryKind::Fifo,
    EntryKind::Socket,
    EntryKind::CharDevice,
    EntryKind::BlockDevice,
    EntryKind::Other,
];

impl Wire for EntryKind {
    fn encode(&self, out: &mut Writer) {
        out.u64(KINDS.iter().position(|k| k == self).unwrap_or(7) as u64);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let i = input.u64()?;
        usize::try_from(i)
            .ok()
            .and_then(|i| KINDS.get(i))
            .copied()
            .ok_or_else(|| input.bad_tag(i, "entry kind"))
    }
}

impl Wire for DirEntry {
    fn encode(&self, out: &mut Writer) {
        out.put(&self.name);
        out.put(&self.path);
        out.put(&self.kind);
        out.put(&self.size);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(DirEntry {
            name: input.get()?,
            path: input.get()?,
            kind: input.get()?,
            size: input.get()?,
        })
    }
}

impl Wire for Progress {
    fn encode(&self, out: &mut Writer) {
        out.put(&self.done);
        out.put(&self.total);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Progress {
            done: input.get()?,
            total: input.get()?,
        })
    }
}

impl Wire for FsError {
    fn encode(&self, out: &mut Writer) {
        let path = || self.path().map(PathBuf::from).unwrap_or_default();
        match self {
            FsError::NotFound { .. } => out.u64(0),
            FsError::PermissionDenied { .. } => out.u64(1),
            FsError::IsADirectory { .. } => out.u64(2),
            FsError::NotADirectory { kind, .. } => {
                out.u64(3);
                out.put(kind);
            }
            FsError::NotARegularFile { kind, .. } => {
                out.u64(4);
                out.put(kind);
            }
            FsError::TooLarge { size, limit, .. } => {
                out.u64(5);
                out.put(size);
                out.put(limit);
            }
            FsError::SymlinkLoop { .. } => out.u64(6),
            FsError::InUse { .. } => out.u64(9),
            FsError::Cancelled => {
                out.u64(7);
                return;
            }
            // The OS error is kept as its text: what a user is shown.
            FsError::Other { source, .. } => {
                out.u64(8);
                out.str(&source.to_string());
            }
        }
        out.put(&path());
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let tag = input.u64()?;
        let err = match tag {
            0 => FsError::NotFound { path: input.get()? },
            1 => FsError::PermissionDenied { path: input.get()? },
            2 => FsError::IsADirectory { path: input.get()? },
            3 => {
                let kind = input.get()?;
                FsError::NotADirectory {
                    kind,
                    path: input.get()?,
                }
            }
            4 => {
                let kind = input.get()?;
                FsError::NotARegularFile {
                    kind,
                    path: input.get()?,
                }
            }
            5 => {
                let (size, limit) = (input.get()?, input.get()?);
                FsError::TooLarge {
                    size,
                    limit,
                    path: input.get()?,
                }
            }
            6 => FsError::SymlinkLoop { path: input.get()? },
            7 => FsError::Cancelled,
            9 => FsError::InUse { path: input.get()? },
            8 => {
                let text = input.str()?;
                FsError::Other {
                    source: Arc::new(std::io::Error::other(text)),
                    path: input.get()?,
                }
            }
            tag => return Err(input.bad_tag(tag, "file error")),
        };
        Ok(err)
    }
}

impl Wire for PanicReport {
    fn encode(&self, out: &mut Writer) {
        out.put(&self.lane);
        out.str(&self.event);
        out.str(&self.message);
        out.put(&self.sequence);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(PanicReport {
            lane: input.get()?,
            event: input.get()?,
            message: input.get()?,
            sequence: input.get()?,
        })
    }
}

impl Wire for Stats {
    fn encode(&self, out: &mut Writer) {
        for n in &self.dispatched {
            out.put(n);
        }
        out.put(&self.turns);
        out.put(&self.frames);
        out.put(&self.panics);
        out.put(&self.budget_exhausted);
        out.put(&self.longest_handler);
        out.put(&self.last_frame);
        out.put(&self.slow_handlers);
        out.put(&self.slow_frames);
        out.put(&self.watchdog_parks);
        out.put(&self.rates);
        out.put(&self.queue_depth);
        out.put(&self.turn_times);
        out.put(&self.frame_times);
        out.put(&self.slowest);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let mut stats = Stats::default();
        for n in &mut stats.dispatched {
            *n = input.get()?;
        }
        stats.turns = input.get()?;
        stats.frames = input.get()?;
        stats.panics = input.get()?;
        stats.budget_exhausted = input.get()?;
        stats.longest_handler = input.get()?;
        stats.last_frame = input.get()?;
        stats.slow_handlers = input.get()?;
        stats.slow_frames = input.get()?;
        stats.watchdog_parks = input.get()?;
        stats.rates = input.get()?;
        stats.queue_depth = input.get()?;
        stats.turn_times = input.get()?;
        stats.frame_times = input.get()?;
        stats.slowest = input.get()?;
        Ok(stats)
    }
}

impl Wire for Rates {
    fn encode(&self, out: &mut Writer) {
        for r in &self.per_lane {
            out.f64(*r);
        }
        out.f64(self.turns);
        out.f64(self.frames);
        out.put(&self.queue_depth_peak);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let mut rates = Rates::default();
        for r in &mut rates.per_lane {
            *r = input.f64()?;
        }
        rates.turns = input.f64()?;
        rates.frames = input.f64()?;
        rates.queue_depth_peak = input.get()?;
        Ok(rates)
    }
}

impl Wire for SlowHandler {
    fn encode(&self, out: &mut Writer) {
        out.put(&self.took);
        out.put(&self.lane);
        out.str(&self.kind);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(SlowHandler {
            took: input.get()?,
            lane: input.get()?,
            kind: input.get()?,
        })
    }
}

#[cfg(test)]
mod tests;
