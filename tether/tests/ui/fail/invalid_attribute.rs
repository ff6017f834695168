// invalid-attribute[T005]: `rate` limits what clients send, `timeout` is for
// functions.
#[tether::protocol]
mod feed {
    #[remote(event, server -> client)]
    #[tether(rate(5/s))]
    fn news(#[tether(max_len = 200)] text: String);

    #[remote(event, client -> server)]
    #[tether(timeout(2s))]
    fn ping(sequence: u32);
}

fn main() {}
