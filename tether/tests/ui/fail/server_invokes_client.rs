// server-invokes-client[T112] is a warning, silenced by
// `#[tether(allow(server-invokes-client))]`; a crate that denies warnings
// fails on it.
#![deny(warnings)]

#[tether::protocol]
mod teleport {
    #[remote(function, server -> client)]
    #[tether(timeout(2s))]
    fn confirm(#[tether(max_len = 64)] destination: String) -> bool;
}

fn main() {}
