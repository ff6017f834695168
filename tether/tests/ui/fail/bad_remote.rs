// `#[remote(..)]` names the call kind and the route.
#[tether::protocol]
mod shop {
    #[remote(event, client => server)]
    fn buy(item: u32);

    #[remote(request, client -> server)]
    fn price(item: u32) -> u32;
}

fn main() {}
