//! Bytes per message of the payloads of `schemas/payloads.tether` as the
//! generated Luau sends them, measured in the mock Roblox engine's VMs, beside
//! the Rust runtime's and the Zap-style re-creation's (`luau/zap_style/`):
//!
//! ```text
//! cargo run -p tether-bench --release --example luau_frames
//! ```
//!
//! Each payload is fired once through the sending side's public API; the
//! frame (or datagram) is recorded where it arrives, on the other VM.

#[path = "../luau/harness.rs"]
mod harness;

use harness::{tether_modules, Bench, Payload, System};
use tether_roblox_mock::MockError;

fn main() -> Result<(), MockError> {
    let modules = tether_modules();
    let mut tether = Bench::new(System::Tether, &modules)?;
    let mut zap = Bench::new(System::ZapStyle, &modules)?;
    println!(
        "{:<28} {:>6} {:>12} {:>11} {:>10}",
        "payload", "Rust", "Luau (VM)", "same bytes", "Zap-style"
    );
    for payload in Payload::ALL {
        let rust = payload.rust_frame();
        let frames = tether.capture(payload, 1)?;
        assert_eq!(
            frames.len(),
            1,
            "{}: one message, one frame",
            payload.name()
        );
        let luau = &frames[0];
        let zap_bytes = if Payload::TIMED.contains(&payload) {
            let frames = zap.capture(payload, 1)?;
            assert_eq!(frames.len(), 1, "{}: one Zap-style frame", payload.name());
            frames[0].len().to_string()
        } else {
            "-".to_string()
        };
        println!(
            "{:<28} {:>6} {:>12} {:>11} {:>10}",
            payload.label(),
            rust.len(),
            luau.len(),
            if *luau == rust { "yes" } else { "NO" },
            zap_bytes
        );
    }
    tether.assert_clean();
    zap.assert_clean();
    println!(
        "\nRust: the frame of tether-runtime's generated Rust for the same message; \
         Luau: the frame tether gen luau's modules send;\n\
         Zap-style: the hand-written re-creation of Zap 0.6.29's encoding (not Zap's own output)"
    );
    Ok(())
}
