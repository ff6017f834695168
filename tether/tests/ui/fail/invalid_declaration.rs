// invalid-declaration[T014]: a remote travels between sides, a bindable
// stays on one, and a remote function goes one way.
#[tether::protocol]
mod lobby {
    #[remote(event, server)]
    fn ready(player: u32);

    #[bindable(event, client -> server)]
    fn round_started(round: u32);

    #[remote(function, client <-> server)]
    fn ping(sequence: u32) -> u32;
}

fn main() {}
