//! Feeds arbitrary bytes to the reply decoder and judge: the first byte
//! picks the HTTP status, the rest is the body.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dts::fuzzing::decode_reply(data);
});
