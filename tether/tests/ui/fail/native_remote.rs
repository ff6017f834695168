// A remote declared in Rust is packed: `native` remotes exist only in the
// generated Luau, so asking for one here is an error rather than a remote
// that generates nothing.
#[tether::protocol]
mod feed {
    #[remote(event, server -> client)]
    #[tether(native)]
    fn news(#[tether(max_len = 200)] text: String);

    #[remote(event, server -> client)]
    #[tether(packed)]
    fn ping(sequence: u32);
}

fn main() {}
