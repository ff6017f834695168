// unchecked-client-value[T109]: the server cannot validate `any` from a
// client.
#[tether::protocol]
mod settings {
    use tether::types::Value;

    #[remote(event, client -> server)]
    fn save(#[tether(max_len = 32)] key: String, value: Value);
}

fn main() {}
