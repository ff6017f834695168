//! At most once for datagrams: a transport numbers the datagrams it sends
//! one way and the receiving end drops a number it has seen, as Roblox's
//! own transport never hands an `UnreliableRemoteEvent` firing over twice.
//! Without it, a datagram the network duplicates would reach its handler
//! twice, since unreliable events without `@ordered` carry no sequence
//! number on the wire (`docs/wire-format.md`, section 6.2).

/// How far behind the newest datagram a late one may be and still be told
/// apart from a repeat: older ones are dropped as lost.
pub const REPLAY_WINDOW: u32 = 128;

/// The numbers a receiver has seen of one sender's datagrams: the newest,
/// and which of the [`REPLAY_WINDOW`] before it arrived.
///
/// Numbers count up from 0 by one per datagram, wrapping at 2^32; a number
/// up to 2^31 ahead of the newest is newer, anything else is behind it.
///
/// ```
/// use tether_runtime::ReplayWindow;
///
/// let mut window = ReplayWindow::new();
/// assert!(window.accept(0));
/// assert!(window.accept(2));
/// assert!(!window.accept(2)); // a duplicate
/// assert!(window.accept(1)); // late, but not seen before
/// assert!(!window.accept(0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayWindow {
    /// The newest number accepted, `None` before the first.
    newest: Option<u32>,
    /// Bit `i` set: `newest - i` was accepted (bit 0 is `newest` itself).
    seen: u128,
}

impl ReplayWindow {
    /// A window that has seen nothing.
    pub fn new() -> Self {
        ReplayWindow::default()
    }

    /// True if datagram `number` is handed on: it is neither a number seen
    /// before nor more than [`REPLAY_WINDOW`] behind the newest.
    pub fn accept(&mut self, number: u32) -> bool {
        let Some(newest) = self.newest else {
            self.newest = Some(number);
            self.seen = 1;
            return true;
        };
        let ahead = number.wrapping_sub(newest);
        if ahead != 0 && ahead <= u32::MAX / 2 {
            self.seen = self.seen.checked_shl(ahead).unwrap_or(0) | 1;
            self.newest = Some(number);
            return true;
        }
        let behind = newest.wrapping_sub(number);
        if behind >= REPLAY_WINDOW {
            return false;
        }
        let bit = 1u128 << behind;
        let fresh = self.seen & bit == 0;
        self.seen |= bit;
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_number_passes_once_in_any_order_within_the_window() {
        let mut window = ReplayWindow::new();
        let order = [5u32, 3, 9, 4, 3, 9, 0, 1, 2, 5, 8, 7, 6];
        let passed: Vec<u32> = order.into_iter().filter(|&n| window.accept(n)).collect();
        assert_eq!(passed, [5, 3, 9, 4, 0, 1, 2, 8, 7, 6]);
    }

    #[test]
    fn numbers_too_far_behind_are_dropped() {
        let mut window = ReplayWindow::new();
        assert!(window.accept(1000));
        assert!(window.accept(1000 - (REPLAY_WINDOW - 1)));
        assert!(!window.accept(1000 - REPLAY_WINDOW));
        // A jump past the window forgets what it held.
        assert!(window.accept(1000 + 500));
        assert!(!window.accept(1000));
    }

    #[test]
    fn numbering_wraps() {
        let mut window = ReplayWindow::new();
        assert!(window.accept(u32::MAX - 1));
        assert!(window.accept(1));
        assert!(window.accept(u32::MAX));
        assert!(window.accept(0));
        assert!(!window.accept(u32::MAX));
        assert!(!window.accept(1));
    }

    #[test]
    fn a_number_half_the_space_away_counts_as_behind() {
        let mut window = ReplayWindow::new();
        assert!(window.accept(0));
        assert!(!window.accept(u32::MAX / 2 + 1));
        assert!(window.accept(u32::MAX / 2));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever order and repeats the network makes of numbers sent in
        /// sequence, each passes at most once, and every one that arrives
        /// within the window of the newest passes.
        #[test]
        fn at_most_once_and_nothing_fresh_lost(
            start in any::<u32>(),
            arrivals in proptest::collection::vec(0u32..300, 0..400),
        ) {
            let mut window = ReplayWindow::new();
            let mut passed = std::collections::HashSet::new();
            let mut newest: Option<u32> = None;
            for offset in arrivals {
                let number = start.wrapping_add(offset);
                let within = newest.is_none_or(|newest| offset + REPLAY_WINDOW > newest);
                let accepted = window.accept(number);
                prop_assert!(!accepted || passed.insert(offset), "{offset} passed twice");
                if within && !passed.contains(&offset) {
                    prop_assert!(accepted, "{offset} was fresh and within the window");
                }
                newest = newest.max(Some(offset));
            }
        }
    }
}
