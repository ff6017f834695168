//! The encoded size of every benchmark payload, without timing:
//!
//! ```text
//! cargo run -p tether-bench --release --example sizes
//! ```
//!
//! Tether counts the whole message (id bits and body); bitcode and postcard
//! encode the bare mirror struct. Each codec's round trip, and the Tether
//! bytes against what the generated remote handle sends through the runtime,
//! are checked first.

use tether_bench::{for_each_case, Sizes};

/// The size goals, where the task sets one (bytes, whole message).
fn goal(name: &str) -> Option<usize> {
    match name {
        "chat" => Some(14),
        "move" => Some(40),
        "entities" | "entities-uniform" => Some(603),
        "flags" => Some(130),
        _ => None,
    }
}

fn main() {
    println!(
        "{:<17} {:>7} {:>8} {:>14} {:>9} {:>6}  verdict",
        "payload", "tether", "bitcode", "bitcode-serde", "postcard", "goal"
    );
    for_each_case!(true, |case| {
        case.verify();
        let Sizes {
            tether,
            bitcode,
            bitcode_serde,
            postcard,
        } = case.sizes();
        let goal = goal(case.name);
        let mut verdict = Vec::new();
        if let Some(goal) = goal {
            verdict.push(if tether <= goal {
                "goal met"
            } else {
                "GOAL MISSED"
            });
        }
        verdict.push(if tether <= bitcode {
            "<= bitcode"
        } else {
            "LARGER than bitcode"
        });
        println!(
            "{:<17} {:>7} {:>8} {:>14} {:>9} {:>6}  {}",
            case.name,
            tether,
            bitcode,
            bitcode_serde,
            postcard,
            goal.map_or("-".to_string(), |g| format!("<={g}")),
            verdict.join(", ")
        );
    });
    println!(
        "\ntether: the whole message (id bits, then the body); \
         bitcode, bitcode-serde, postcard: the bare mirror struct"
    );
}
