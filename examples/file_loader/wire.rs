//! How the loader's messages are written to a recording and read back, so a
//! run (`ONELOOP_RECORD=run.oneloop`) can be replayed as a test.

use oneloop::record::{Reader, Wire, WireError, Writer};

use oneloop_widgets::SortOrder;

use super::model::{Msg, Reason};
use super::order::SortKey;
use super::scan::Summary;

impl Wire for Msg {
    fn encode(&self, out: &mut Writer) {
        match self {
            Msg::PathChanged(text) => {
                out.u64(0);
                out.put(text);
            }
            Msg::Open => out.u64(1),
            Msg::Listed(dir, listing) => {
                out.u64(2);
                out.put(dir);
                out.put(listing);
            }
            Msg::LoadAll => out.u64(3),
            Msg::Cancel => out.u64(4),
            Msg::Progress(index, progress) => {
                out.u64(5);
                out.put(index);
                out.put(progress);
            }
            Msg::Scanned(index, outcome) => {
                out.u64(6);
                out.put(index);
                out.put(outcome);
            }
            Msg::Select(index) => {
                out.u64(7);
                out.put(index);
            }
            Msg::PreviewLoaded(index, bytes) => {
                out.u64(8);
                out.put(index);
                out.put(bytes);
            }
            Msg::Tick => out.u64(9),
            Msg::Browse => out.u64(10),
            Msg::Picker(msg) => {
                out.u64(11);
                out.put(msg);
            }
            Msg::Sort(key, order) => {
                out.u64(12);
                let key = SortKey::ALL.iter().position(|k| k == key).unwrap_or(0);
                out.put(&key);
                out.put(&(*order == SortOrder::Ascending));
            }
        }
    }

    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match input.u64()? {
            0 => Msg::PathChanged(input.get()?),
            1 => Msg::Open,
            2 => Msg::Listed(input.get()?, input.get()?),
            3 => Msg::LoadAll,
            4 => Msg::Cancel,
            5 => Msg::Progress(input.get()?, input.get()?),
            6 => Msg::Scanned(input.get()?, input.get()?),
            7 => Msg::Select(input.get()?),
            8 => Msg::PreviewLoaded(input.get()?, input.get()?),
            9 => Msg::Tick,
            10 => Msg::Browse,
            11 => Msg::Picker(input.get()?),
            12 => {
                let key: usize = input.get()?;
                let key = *SortKey::ALL
                    .get(key)
                    .ok_or_else(|| input.bad_tag(key as u64, "sort column"))?;
                let ascending: bool = input.get()?;
                let order = if ascending {
                    SortOrder::Ascending
                } else {
                    SortOrder::Descending
                };
                Msg::Sort(key, order)
            }
            tag => return Err(input.bad_tag(tag, "file loader message")),
        })
    }
}

impl Wire for Summary {
    fn encode(&self, out: &mut Writer) {
        out.put(&self.bytes);
        out.put(&self.lines);
        out.fixed64(self.checksum);
        out.put(&self.binary);
        out.put(&self.took);
    }

    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Summary {
            bytes: input.get()?,
            lines: input.get()?,
            checksum: input.fixed64()?,
            binary: input.get()?,
            took: input.get()?,
        })
    }
}

/// Tags 1 to 8 in this order; new reasons go at the end so old recordings keep their meaning.
const REASONS: [Reason; 9] = [
    Reason::NotFound,
    Reason::PermissionDenied,
    Reason::Directory,
    Reason::TooLarge,
    Reason::Binary,
    Reason::SymlinkLoop,
    Reason::Cancelled,
    Reason::Other,
    Reason::InUse,
];

impl Wire for Reason {
    fn encode(&self, out: &mut Writer) {
        match self {
            Reason::NotRegular(kind) => {
                out.u64(0);
                out.put(kind);
            }
            other => {
                let i = REASONS.iter().position(|r| r == other).unwrap_or(7);
                out.u64(1 + i as u64);
            }
        }
    }

    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        match input.u64()? {
            0 => Ok(Reason::NotRegular(input.get()?)),
            tag => usize::try_from(tag - 1)
                .ok()
                .and_then(|i| REASONS.get(i))
                .copied()
                .ok_or_else(|| input.bad_tag(tag, "reason")),
        }
    }
}
