// duplicate-name[T003]: a type and an endpoint share one scope, and a
// remote's parameters need their own names.
#[tether::protocol]
mod chat {
    pub struct Message {
        #[tether(max_len = 200)]
        pub text: String,
    }

    #[remote(event, server -> client)]
    fn message(message: Message);

    #[remote(event, client -> server)]
    fn whisper(to: u32, #[tether(max_len = 200)] text: String, to: u32);
}

fn main() {}
