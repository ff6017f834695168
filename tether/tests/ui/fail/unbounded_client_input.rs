// unbounded-client-input[T111] is a warning, shown as rustc's deprecation
// warning at the token; a crate that denies warnings fails on it.
#![deny(warnings)]

#[tether::protocol]
mod chat {
    #[remote(event, client -> server)]
    #[tether(rate(5/s))]
    fn say(message: String);
}

fn main() {}
