//! How a [`MemoryNetwork`](super::memory::MemoryNetwork) link misbehaves:
//! [`LinkFaults`], and the packets in flight one way on one link.
//!
//! Every random choice comes from a xorshift generator seeded per link and
//! direction, and only the network's clock decides when a packet is due, so
//! a run repeats exactly for the same seeds and the same calls.

use std::time::Duration;

use super::memory::NetworkStats;
use super::replay::ReplayWindow;
use super::{Channel, Packet};

/// How one link (a client and the server, each direction on its own)
/// misbehaves. [`Default`] is a perfect link: nothing lost, duplicated or
/// reordered, and no latency.
///
/// Loss, duplication and reordering touch unreliable datagrams only:
/// reliable frames arrive once and in order, as a retransmitting transport
/// delivers them, though latency and jitter delay them too. Chances are in
/// parts per million: `with_loss(250_000)` loses one datagram in four.
///
/// ```
/// use std::time::Duration;
/// use tether_runtime::LinkFaults;
///
/// let faults = LinkFaults::default()
///     .with_loss(100_000)
///     .with_duplication(50_000)
///     .with_latency(Duration::from_millis(40))
///     .with_jitter(Duration::from_millis(20))
///     .with_seed(7);
/// assert_eq!(faults.loss, 100_000);
/// assert_ne!(faults, LinkFaults::default());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct LinkFaults {
    /// The chance, per million, that a datagram is lost.
    pub loss: u32,
    /// The chance, per million, that a datagram that is not lost arrives
    /// twice (each copy with its own jitter).
    pub duplication: u32,
    /// The chance, per million, that a datagram is held back until the next
    /// datagram sent the same way has overtaken it. One that nothing
    /// overtakes by the sender's next step is delivered then, late but in
    /// its place.
    pub reordering: u32,
    /// The one-way delay of every packet: it is delivered at the first step
    /// at which the network's clock has reached its send time plus this.
    pub latency: Duration,
    /// A further delay of every packet, drawn evenly from zero to this.
    /// Datagrams may overtake each other; a reliable frame is never due
    /// before the frame sent ahead of it.
    pub jitter: Duration,
    /// Seeds the link's generators, mixed with the player's id and the
    /// direction so that links with equal faults still differ.
    pub seed: u64,
}

impl LinkFaults {
    /// A perfect link, as [`Default`].
    pub fn new() -> Self {
        LinkFaults::default()
    }

    /// Sets [`loss`](Self::loss), in parts per million.
    #[must_use]
    pub fn with_loss(mut self, per_million: u32) -> Self {
        self.loss = per_million;
        self
    }

    /// Sets [`duplication`](Self::duplication), in parts per million.
    #[must_use]
    pub fn with_duplication(mut self, per_million: u32) -> Self {
        self.duplication = per_million;
        self
    }

    /// Sets [`reordering`](Self::reordering), in parts per million.
    #[must_use]
    pub fn with_reordering(mut self, per_million: u32) -> Self {
        self.reordering = per_million;
        self
    }

    /// Sets [`latency`](Self::latency).
    #[must_use]
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Sets [`jitter`](Self::jitter).
    #[must_use]
    pub fn with_jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets [`seed`](Self::seed).
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// xorshift64*: small, fast, and plenty for choosing which packets misbehave.
#[derive(Debug, Clone)]
struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Self {
        // xorshift needs a non-zero state.
        Rng { state: seed | 1 }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `per_million / 10^6`. Draws nothing for a
    /// chance of zero, so that a fault left off does not shift the choices
    /// of the others.
    fn chance(&mut self, per_million: u32) -> bool {
        per_million > 0 && (self.next() >> 32) % 1_000_000 < u64::from(per_million)
    }

    /// A duration from zero to `max`, both included.
    fn up_to(&mut self, max: Duration) -> Duration {
        if max.is_zero() {
            return Duration::ZERO;
        }
        let nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.next() % nanos.saturating_add(1))
    }
}

/// splitmix64's finalizer: spreads a seed's bits so that neighbouring
/// seeds (player 1 and 2, say) start far apart.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// What a send or a delivery needs from the network besides the lane.
pub(super) struct Clock<'a> {
    pub(super) now: Duration,
    /// The network's step count, for how long a reordered datagram waits.
    pub(super) step: u64,
    /// Counts packets in the order they were put in flight, network-wide,
    /// to break ties between packets due at the same time.
    pub(super) order: &'a mut u64,
    pub(super) stats: &'a mut NetworkStats,
}

impl Clock<'_> {
    fn next_order(&mut self) -> u64 {
        *self.order += 1;
        *self.order
    }
}

/// A packet in flight.
#[derive(Debug)]
struct InFlight {
    due: Duration,
    order: u64,
    /// The step at which a reordered datagram began to wait for one to
    /// overtake it; `None` once it may be delivered.
    held_since: Option<u64>,
    /// Already counted in [`NetworkStats::packets_held`].
    counted_held: bool,
    /// The number the sending end gave a datagram (`None` for a frame).
    number: Option<u32>,
    packet: Packet,
}

/// A packet that has come due, with what orders it among others.
#[derive(Debug)]
pub(super) struct Arrival {
    pub(super) due: Duration,
    pub(super) order: u64,
    pub(super) packet: Packet,
}

/// The packets in flight one way on one link, and the two ends' datagram
/// numbering: the faults act between the sending end, which numbers each
/// datagram, and the receiving end, which drops a number seen before, as
/// tether-net's datagrams do.
#[derive(Debug)]
pub(super) struct Lane {
    rng: Rng,
    flight: Vec<InFlight>,
    /// When the latest reliable frame is due: a later frame is never due
    /// before it, so that jitter cannot reorder the reliable channel.
    reliable_due: Duration,
    next_number: u32,
    received: ReplayWindow,
}

impl Lane {
    /// A lane of the link of player `player`; `toward_server` tells the two
    /// directions apart.
    pub(super) fn new(seed: u64, player: u32, toward_server: bool) -> Self {
        let lane = u64::from(player) << 1 | u64::from(toward_server);
        Lane {
            rng: Rng::new(mix(seed ^ mix(lane))),
            flight: Vec::new(),
            reliable_due: Duration::ZERO,
            next_number: 0,
            received: ReplayWindow::new(),
        }
    }

    /// Starts the generator over from `seed`; what is in flight stays.
    pub(super) fn reseed(&mut self, seed: u64, player: u32, toward_server: bool) {
        self.rng = Lane::new(seed, player, toward_server).rng;
    }

    pub(super) fn in_flight(&self) -> usize {
        self.flight.len()
    }

    fn delay(&mut self, faults: &LinkFaults) -> Duration {
        faults.latency.saturating_add(self.rng.up_to(faults.jitter))
    }

    /// Puts a packet in flight, as `faults` treat it.
    pub(super) fn send(&mut self, packet: Packet, faults: &LinkFaults, clock: &mut Clock<'_>) {
        if packet.channel == Channel::Reliable {
            let due = clock
                .now
                .saturating_add(self.delay(faults))
                .max(self.reliable_due);
            self.reliable_due = due;
            let order = clock.next_order();
            self.flight.push(InFlight {
                due,
                order,
                held_since: None,
                counted_held: false,
                number: None,
                packet,
            });
            return;
        }
        let number = self.next_number;
        self.next_number = number.wrapping_add(1);
        if self.rng.chance(faults.loss) {
            clock.stats.datagrams_lost += 1;
            return;
        }
        let twice = self.rng.chance(faults.duplication);
        let held_back = self.rng.chance(faults.reordering);
        let waiting = self.flight.len();
        let mut overtaker = None;
        let copies = if twice {
            clock.stats.datagrams_duplicated += 1;
            vec![packet.clone(), packet]
        } else {
            vec![packet]
        };
        for (copy, packet) in copies.into_iter().enumerate() {
            let due = clock.now.saturating_add(self.delay(faults));
            let held_since = (copy == 0 && held_back).then_some(clock.step);
            if held_since.is_none() {
                overtaker = overtaker.max(Some(due));
            }
            let order = clock.next_order();
            self.flight.push(InFlight {
                due,
                order,
                held_since,
                counted_held: false,
                number: Some(number),
                packet,
            });
        }
        // Datagrams held back before this one now come after it.
        let Some(overtaker) = overtaker else {
            return;
        };
        for index in 0..waiting {
            let Some(held) = self.flight.get_mut(index) else {
                break;
            };
            if held.held_since.is_some() {
                held.held_since = None;
                held.due = held.due.max(overtaker);
                held.order = clock.next_order();
                clock.stats.datagrams_reordered += 1;
            }
        }
    }

    /// Lets go of reordered datagrams that nothing overtook since an
    /// earlier step: they are delivered when due, in their place.
    pub(super) fn release_held(&mut self, step: u64) {
        for packet in &mut self.flight {
            if packet.held_since.is_some_and(|since| since < step) {
                packet.held_since = None;
            }
        }
    }

    /// Takes the packets due at `now`, in the order they are delivered,
    /// leaving out the copies of datagrams the receiving end already took.
    pub(super) fn take_due(&mut self, now: Duration, stats: &mut NetworkStats) -> Vec<Arrival> {
        let (mut due, waiting): (Vec<InFlight>, _) = std::mem::take(&mut self.flight)
            .into_iter()
            .partition(|packet| packet.held_since.is_none() && packet.due <= now);
        self.flight = waiting;
        due.sort_by_key(|packet| (packet.due, packet.order));
        let received = &mut self.received;
        due.into_iter()
            .filter(|packet| match packet.number {
                Some(number) if !received.accept(number) => {
                    stats.datagram_repeats_dropped += 1;
                    false
                }
                _ => true,
            })
            .map(|packet| Arrival {
                due: packet.due,
                order: packet.order,
                packet: packet.packet,
            })
            .collect()
    }

    /// Keeps what is due from being delivered: a partition loses the
    /// datagrams and holds the frames (a reliable transport would send them
    /// again), a paused receiver holds both.
    pub(super) fn block(&mut self, now: Duration, partitioned: bool, stats: &mut NetworkStats) {
        self.flight.retain_mut(|packet| {
            if packet.held_since.is_some() || packet.due > now {
                return true;
            }
            if partitioned && packet.packet.channel == Channel::Unreliable {
                stats.datagrams_lost += 1;
                return false;
            }
            if !packet.counted_held {
                packet.counted_held = true;
                stats.packets_held += 1;
            }
            true
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datagram(n: u8) -> Packet {
        Packet::unreliable(vec![n])
    }

    fn frame(n: u8) -> Packet {
        Packet::reliable(vec![n])
    }

    /// The packets `lane` delivers at `now`, in order.
    fn due(lane: &mut Lane, now: Duration, stats: &mut NetworkStats) -> Vec<Packet> {
        let arrivals = lane.take_due(now, stats);
        arrivals.into_iter().map(|a| a.packet).collect()
    }

    /// The clock of a lane's first step, at time zero.
    fn first_step<'a>(order: &'a mut u64, stats: &'a mut NetworkStats) -> Clock<'a> {
        Clock {
            now: Duration::ZERO,
            step: 1,
            order,
            stats,
        }
    }

    /// Sends `packets` one per step at 1 ms apart through a lane with
    /// `faults`, then waits a second: what arrived, in order.
    fn run(faults: LinkFaults, packets: &[Packet]) -> (Vec<Packet>, NetworkStats) {
        let mut lane = Lane::new(faults.seed, 1, false);
        let mut stats = NetworkStats::default();
        let mut order = 0;
        let mut arrived = Vec::new();
        let mut step = 0;
        let mut now = Duration::ZERO;
        let mut tick = |lane: &mut Lane, packet: Option<&Packet>, now, step| {
            let mut clock = Clock {
                now,
                step,
                order: &mut order,
                stats: &mut stats,
            };
            if let Some(packet) = packet {
                lane.send(packet.clone(), &faults, &mut clock);
            }
            lane.release_held(step);
            lane.take_due(now, clock.stats)
        };
        for packet in packets {
            step += 1;
            now += Duration::from_millis(1);
            arrived.extend(tick(&mut lane, Some(packet), now, step));
        }
        for _ in 0..2 {
            step += 1;
            now += Duration::from_secs(1);
            arrived.extend(tick(&mut lane, None, now, step));
        }
        assert_eq!(lane.in_flight(), 0);
        (arrived.into_iter().map(|a| a.packet).collect(), stats)
    }

    #[test]
    fn a_perfect_link_delivers_everything_once_in_order() {
        let packets: Vec<_> = (0..50).map(datagram).chain((0..50).map(frame)).collect();
        let (arrived, stats) = run(LinkFaults::default(), &packets);
        assert_eq!(arrived, packets);
        assert_eq!(stats, NetworkStats::default());
    }

    #[test]
    fn loss_and_duplication_touch_datagrams_only() {
        let faults = LinkFaults::default()
            .with_loss(300_000)
            .with_duplication(300_000)
            .with_seed(3);
        let packets: Vec<_> = (0..100).map(|n| [datagram(n), frame(n)]).collect();
        let (arrived, stats) = run(faults, &packets.concat());
        let frames: Vec<_> = arrived
            .iter()
            .filter(|p| p.channel == Channel::Reliable)
            .cloned()
            .collect();
        assert_eq!(frames, (0..100).map(frame).collect::<Vec<_>>());
        let mut datagrams: Vec<_> = arrived
            .iter()
            .filter(|p| p.channel == Channel::Unreliable)
            .map(|p| p.bytes.clone())
            .collect();
        assert!(stats.datagrams_lost > 10 && stats.datagrams_duplicated > 10);
        // Every copy the network made is dropped by the receiving end.
        assert_eq!(stats.datagram_repeats_dropped, stats.datagrams_duplicated);
        assert_eq!(datagrams.len() as u64, 100 - stats.datagrams_lost);
        datagrams.dedup();
        assert_eq!(datagrams.len() as u64, 100 - stats.datagrams_lost);
    }

    #[test]
    fn jitter_reorders_datagrams_but_never_frames() {
        let faults = LinkFaults::default()
            .with_latency(Duration::from_millis(5))
            .with_jitter(Duration::from_millis(30))
            .with_seed(9);
        let (datagrams, _) = run(faults, &(0..100).map(datagram).collect::<Vec<_>>());
        assert_eq!(datagrams.len(), 100);
        assert_ne!(datagrams, (0..100).map(datagram).collect::<Vec<_>>());
        let frames: Vec<_> = (0..100).map(frame).collect();
        assert_eq!(run(faults, &frames).0, frames);
    }

    #[test]
    fn a_reordered_datagram_comes_after_the_next_one() {
        let faults = LinkFaults::default().with_reordering(1_000_000);
        let mut lane = Lane::new(0, 1, true);
        let mut stats = NetworkStats::default();
        let mut order = 0;
        let now = Duration::ZERO;
        let mut clock = first_step(&mut order, &mut stats);
        lane.send(datagram(0), &faults, &mut clock);
        lane.send(datagram(1), &LinkFaults::default(), &mut clock);
        lane.send(datagram(2), &faults, &mut clock);
        lane.release_held(1);
        let arrived = due(&mut lane, now, &mut stats);
        assert_eq!(arrived, [datagram(1), datagram(0)]);
        assert_eq!(stats.datagrams_reordered, 1);
        // Nothing overtook datagram 2 by the next step: it goes then.
        lane.release_held(2);
        let arrived = due(&mut lane, now, &mut stats);
        assert_eq!(arrived, [datagram(2)]);
        assert_eq!(stats.datagrams_reordered, 1);
    }

    #[test]
    fn the_same_seed_repeats_and_another_differs() {
        let faults = LinkFaults::default()
            .with_loss(200_000)
            .with_duplication(200_000)
            .with_reordering(200_000)
            .with_jitter(Duration::from_millis(3));
        let packets: Vec<_> = (0..100).map(datagram).collect();
        let first = run(faults.with_seed(1), &packets);
        assert_eq!(run(faults.with_seed(1), &packets), first);
        assert_ne!(run(faults.with_seed(2), &packets).0, first.0);
    }

    #[test]
    fn a_partition_loses_datagrams_and_holds_frames() {
        let mut lane = Lane::new(0, 1, true);
        let mut stats = NetworkStats::default();
        let mut order = 0;
        let now = Duration::ZERO;
        let mut clock = first_step(&mut order, &mut stats);
        let faults = LinkFaults::default();
        lane.send(frame(0), &faults, &mut clock);
        lane.send(datagram(0), &faults, &mut clock);
        lane.send(frame(1), &faults, &mut clock);
        lane.block(now, true, &mut stats);
        lane.block(now, true, &mut stats);
        assert_eq!(stats.datagrams_lost, 1);
        assert_eq!(stats.packets_held, 2, "each held frame counted once");
        let arrived = due(&mut lane, now, &mut stats);
        assert_eq!(arrived, [frame(0), frame(1)]);
    }
}
