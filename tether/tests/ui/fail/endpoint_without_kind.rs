// In a protocol, a function without a body is an endpoint, which says what
// kind it is.
#[tether::protocol]
mod chat {
    #[tether(rate(5/s))]
    fn say(#[tether(max_len = 200)] message: String);
}

fn main() {}
