// unreliable-too-large[T110]: an unreliable event whose smallest payload is
// over 1000 bytes can never be delivered.
#[tether::protocol]
mod replication {
    #[remote(event, server -> client)]
    #[tether(unreliable)]
    fn snapshot(#[tether(buffer, len = "1200")] frame: Vec<u8>);
}

fn main() {}
