// `#[tether(buffer)]` makes a `Vec<u8>` a Luau buffer; it means nothing on
// another type.
#[derive(tether::Replicable)]
pub struct Upload {
    #[tether(buffer, max_len = 4096)]
    pub data: String,
}

fn main() {}
