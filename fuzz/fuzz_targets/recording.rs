//! A recording is untrusted input: any bytes at all must be read without a
//! panic or a huge allocation, as contents or as an error naming an offset
//! inside the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use oneloop::record::{inspect, ReplayError};

fuzz_target!(|data: &[u8]| {
    match inspect(data) {
        Ok(contents) => {
            assert!(data.starts_with(b"ONELOOP-REC\n"));
            let recorded = contents.events.iter().sum::<u64>() + contents.widget_messages;
            assert!(recorded + contents.inputs + contents.frames <= data.len() as u64);
        }
        Err(ReplayError::Corrupt(e)) => assert!(e.offset <= data.len() as u64, "{e}"),
        Err(_) => {}
    }
});
