//! What crosses between the VMs of a place, and the faults a test may inject.

use crate::place::ClientId;
use crate::wire::{NetId, WireValue};

/// Whom a VM addressed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target {
    Server,
    Player(NetId),
    AllPlayers,
}

/// What a VM queued for the network during a call into it.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Event {
        remote: NetId,
        target: Target,
        unreliable: bool,
        args: Vec<WireValue>,
    },
    Invoke {
        remote: NetId,
        target: Target,
        call: u64,
        args: Vec<WireValue>,
    },
    /// `values[0]` is the callback's success flag, then its results or error message.
    Return {
        call: u64,
        target: Target,
        values: Vec<WireValue>,
    },
    Kick {
        player: NetId,
        message: String,
    },
}

/// A message in flight, delivered at the next step.
#[derive(Clone, Debug)]
pub(crate) enum Message {
    Event {
        remote: NetId,
        unreliable: bool,
        args: Vec<WireValue>,
        /// From a Rust tap: never intercepted.
        raw: bool,
    },
    Invoke {
        remote: NetId,
        call: u64,
        args: Vec<WireValue>,
    },
    Return {
        call: u64,
        values: Vec<WireValue>,
    },
}

#[derive(Clone, Debug)]
pub(crate) enum Packet {
    ToServer { from: ClientId, message: Message },
    ToClient { to: ClientId, message: Message },
}

impl Packet {
    pub(crate) fn involves(&self, client: ClientId) -> bool {
        match self {
            Packet::ToServer { from, .. } => *from == client,
            Packet::ToClient { to, .. } => *to == client,
        }
    }

    fn is_unreliable(&self) -> bool {
        let (Packet::ToServer { message, .. } | Packet::ToClient { message, .. }) = self;
        matches!(
            message,
            Message::Event {
                unreliable: true,
                ..
            }
        )
    }
}

/// Faults applied to UnreliableRemoteEvent firings at delivery, reproducibly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnreliableFaults {
    /// Chance in `[0, 1]` that an unreliable firing is lost.
    pub drop_probability: f64,
    /// Whether the unreliable firings of one step arrive in a shuffled order (reliable
    /// firings keep their places).
    pub reorder: bool,
    /// Seed of the generator; equal seeds give equal runs.
    pub seed: u64,
}

/// splitmix64: tiny, seedable and good enough to pick drops and permutations.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Drops and shuffles the unreliable packets of one delivery batch.
pub(crate) fn apply_faults(packets: &mut Vec<Packet>, faults: &UnreliableFaults, rng: &mut Rng) {
    if faults.drop_probability > 0.0 {
        packets.retain(|p| !p.is_unreliable() || rng.unit() >= faults.drop_probability);
    }
    if faults.reorder {
        let slots: Vec<usize> = (0..packets.len())
            .filter(|&i| packets[i].is_unreliable())
            .collect();
        for i in (1..slots.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            packets.swap(slots[i], slots[j]);
        }
    }
}
