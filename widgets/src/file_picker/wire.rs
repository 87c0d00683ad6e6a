//! How a picker's messages are written to a recording and read back, so an
//! app that records its runs can keep a picker in its messages.

use oneloop::record::{Reader, Wire, WireError, Writer};

use super::PickerMsg;

impl Wire for PickerMsg {
    fn encode(&self, out: &mut Writer) {
        // New messages take new tags at the end, so old recordings still read.
        match self {
            PickerMsg::PathEdited(text) => {
                out.u64(0);
                out.put(text);
            }
            PickerMsg::PathSubmitted => out.u64(1),
            PickerMsg::Parent => out.u64(2),
            PickerMsg::Home => out.u64(3),
            PickerMsg::FilterEdited(text) => {
                out.u64(4);
                out.put(text);
            }
            PickerMsg::Pressed(row) => {
                out.u64(5);
                out.put(row);
            }
            PickerMsg::Move(by) => {
                out.u64(6);
                out.i64(*by as i64);
            }
            PickerMsg::MoveToEnd(last) => {
                out.u64(7);
                out.put(last);
            }
            PickerMsg::Activate => out.u64(8),
            PickerMsg::Choose => out.u64(9),
            PickerMsg::Cancel => out.u64(10),
            PickerMsg::Listed(dir, listing) => {
                out.u64(11);
                out.put(dir);
                out.put(listing);
            }
        }
    }

    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match input.u64()? {
            0 => PickerMsg::PathEdited(input.get()?),
            1 => PickerMsg::PathSubmitted,
            2 => PickerMsg::Parent,
            3 => PickerMsg::Home,
            4 => PickerMsg::FilterEdited(input.get()?),
            5 => PickerMsg::Pressed(input.get()?),
            6 => {
                let by = input.i64()?;
                PickerMsg::Move(
                    isize::try_from(by).map_err(|_| input.error("a move out of range"))?,
                )
            }
            7 => PickerMsg::MoveToEnd(input.get()?),
            8 => PickerMsg::Activate,
            9 => PickerMsg::Choose,
            10 => PickerMsg::Cancel,
            11 => PickerMsg::Listed(input.get()?, input.get()?),
            tag => return Err(input.bad_tag(tag, "file picker message")),
        })
    }
}
