// non-string-key[T102]: Roblox turns a number key into a string when it
// copies a bindable's table.

#[tether::protocol]
mod scores {
    use std::collections::HashMap;

    #[bindable(event, server)]
    fn tally(scores: HashMap<u32, u32>);
}

fn main() {}
