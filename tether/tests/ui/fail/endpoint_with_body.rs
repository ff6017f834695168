// An endpoint is declared, not implemented: the generated handles run it.
#[tether::protocol]
mod chat {
    #[remote(event, client -> server)]
    fn say(#[tether(max_len = 200)] message: String) {
        println!("{message}");
    }
}

fn main() {}
