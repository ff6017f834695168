//! Accepting a frame: decode it whole (outside the lock), then queue its
//! events and requests and match its responses.

use std::collections::HashMap;
use std::time::Duration;

use super::{PendingCall, RateWindow, Received, RejectedHook, Session, State, Target, Work};
use crate::frame::{decode_frame, Decoded};
use crate::invoke::{error_from_text, error_text, InvokeError, RATE_LIMITED};
use crate::player::Player;
use crate::protocol::{Bucket, Direction, MessageKind, Rate};
use crate::stats::RejectReason;
use crate::transport::Channel;
use crate::types::InstanceId;
pub use tether_facts::policy::{
    CLIENT_MESSAGES_PER_SECOND, MAX_OFFENCES, REFUSALS_PER_SECOND, REPORTS_PER_SECOND,
};

/// Refused requests answered a second per client, rate-limited or with
/// arguments that broke the schema; the rest are dropped unanswered.
pub(super) const REFUSALS: Rate = Rate {
    count: REFUSALS_PER_SECOND,
    per: Duration::from_secs(1),
    burst: REFUSALS_PER_SECOND,
};

impl Session {
    /// Sets the hook that sees rejected frames (the server's).
    pub(crate) fn on_rejected(&self, hook: RejectedHook) {
        self.state().rejected_hook = Some(hook);
    }

    /// Players put out for repeated offences since the last call.
    pub(crate) fn take_expelled(&self) -> Vec<(Player, String)> {
        std::mem::take(&mut self.state().expelled)
    }

    /// Counts a rejected frame of peer `from`: in the stats, for the hook
    /// (a few a second), and against the peer's offences, which past
    /// [`MAX_OFFENCES`] put it out.
    fn rejected(&self, from: u32, reason: RejectReason) {
        self.refused(from, reason, true);
    }

    /// Counts a message of peer `from` over its rate, as [`rejected`]
    /// does a frame; against its offences only if the server counts rate
    /// limits so ([`ServerRuntime::expel_for_rate_limits`]).
    ///
    /// [`rejected`]: Self::rejected
    /// [`ServerRuntime::expel_for_rate_limits`]: crate::ServerRuntime::expel_for_rate_limits
    fn rate_limited(&self, from: u32, message: &'static str) {
        let offence = self.state().expel_for_rate_limits;
        self.refused(from, RejectReason::RateLimited { message }, offence);
    }

    fn refused(&self, from: u32, reason: RejectReason, offence: bool) {
        let (report, player, expel) = {
            let mut state = self.state();
            state.reject(reason.clone());
            let now = state.now;
            let hook = state.rejected_hook.clone();
            let Some(peer) = state.peers.get_mut(&from) else {
                return;
            };
            let reports = Rate {
                count: REPORTS_PER_SECOND,
                per: Duration::from_secs(1),
                burst: REPORTS_PER_SECOND,
            };
            let offences = Rate {
                count: MAX_OFFENCES,
                per: Duration::from_secs(10),
                burst: MAX_OFFENCES,
            };
            let report = hook.filter(|_| !over_window(&mut peer.reported, reports, now));
            let expel = offence
                && self.incoming == Direction::ToServer
                && over_window(&mut peer.offences, offences, now);
            (report, peer.player.clone(), expel)
        };
        if let Some(hook) = report {
            // The hook is the user's: its panic must not end the intake.
            let _ =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(&player, &reason)));
        }
        if expel {
            self.remove_peer(from);
            if let (Some(registry), Some(instance)) = (&self.classes, player.instance) {
                registry.remove(instance);
            }
            let why = format!("more than {MAX_OFFENCES} rejected frames within 10 s");
            self.state().expelled.push((player, why));
        }
    }

    /// Counts a client's message against [`CLIENT_MESSAGES_PER_SECOND`]; a
    /// client never limits what the server sends it.
    fn over_client_rate(&self, bucket: &mut Bucket, now: Duration) -> bool {
        let rate = Rate {
            count: CLIENT_MESSAGES_PER_SECOND,
            per: Duration::from_secs(1),
            burst: CLIENT_MESSAGES_PER_SECOND,
        };
        self.incoming == Direction::ToServer && !bucket.take(rate, now)
    }

    /// Receives a frame or datagram from peer `from`, which arrived at `at`
    /// (the latest poll's time if `None`). `instances` is this side's view
    /// of the frame's instance list. A frame that fails to decode is
    /// dropped whole and counted.
    pub(crate) fn receive(
        &self,
        from: u32,
        channel: Channel,
        bytes: &[u8],
        instances: Vec<Option<InstanceId>>,
        at: Option<Duration>,
    ) {
        if !self.has_peer(from) {
            self.state().reject(RejectReason::UnknownSender);
            return;
        }
        let decoded = decode_frame(
            self.protocol,
            self.incoming,
            channel,
            bytes,
            &instances,
            self.classes.as_ref(),
        );
        let messages = match decoded {
            Ok(messages) => messages,
            Err(reason) => {
                self.rejected(from, reason);
                return;
            }
        };
        let instance_bytes = instances.len() * std::mem::size_of::<Option<InstanceId>>();

        let mut state = self.state();
        let now = at.unwrap_or(state.now);
        let State {
            peers,
            stats,
            results,
            work,
            ..
        } = &mut *state;
        let Some(peer) = peers.get_mut(&from) else {
            state.reject(RejectReason::UnknownSender);
            return;
        };
        stats.frames_received += 1;
        stats.messages_received += messages.len() as u64;
        let mut events = Vec::new();
        let mut limited = Vec::new();
        let mut refused = Vec::new();
        for message in messages {
            match message {
                Decoded::Event {
                    id,
                    seq,
                    body,
                    end,
                    payload,
                } => {
                    if let Some(seq) = seq {
                        if !accept_sequence(&mut peer.recv_seq, id, seq) {
                            stats.stale_dropped += 1;
                            continue;
                        }
                    }
                    let rate = self.incoming_spec(id).kind.rate();
                    if self.over_client_rate(&mut peer.total, now)
                        || over_rate(&mut peer.rates, id, rate, now)
                    {
                        limited.push(self.incoming_spec(id).name);
                        continue;
                    }
                    let event = Received {
                        from: peer.player.clone(),
                        payload,
                        bytes: end.saturating_sub(body.position()) + instance_bytes,
                    };
                    events.push((id, event));
                }
                Decoded::Request { id, call, payload } => {
                    let rate = self.incoming_spec(id).kind.rate();
                    if self.over_client_rate(&mut peer.total, now)
                        || over_rate(&mut peer.rates, id, rate, now)
                    {
                        limited.push(self.incoming_spec(id).name);
                        if !over_window(&mut peer.refused, REFUSALS, now) {
                            let response_id = self.response_id(id);
                            let bytes = self.error_response(response_id, call, RATE_LIMITED);
                            peer.outbox.push_plain(&bytes);
                        }
                        continue;
                    }
                    work.push_back(Work::Request {
                        from: peer.player.clone(),
                        id,
                        call,
                        payload,
                    });
                }
                Decoded::Response { id, call, result } => {
                    let matches = peer
                        .calls
                        .get(&call)
                        .is_some_and(|pending| pending.response_id == id);
                    if !matches {
                        stats.unmatched_responses += 1;
                        continue;
                    }
                    if let Some(PendingCall { slot, .. }) = peer.calls.remove(&call) {
                        results.push((slot, result.map_err(error_from_text)));
                    }
                }
                Decoded::Refused {
                    id,
                    message,
                    call,
                    error,
                } => {
                    match (self.incoming_spec(id).kind, call) {
                        // The caller of a refused request is told why, within
                        // the budget of refusals a second rate limits share.
                        (MessageKind::Request { response_id, .. }, Some(call))
                            if !over_window(&mut peer.refused, REFUSALS, now) =>
                        {
                            let text = error_text(&InvokeError::Rejected(error.to_string()));
                            let bytes = self.error_response(response_id, call, &text);
                            peer.outbox.push_plain(&bytes);
                        }
                        // A response the caller cannot read fails its call now.
                        (MessageKind::Response { .. }, Some(call))
                            if peer
                                .calls
                                .get(&call)
                                .is_some_and(|pending| pending.response_id == id) =>
                        {
                            if let Some(PendingCall { slot, .. }) = peer.calls.remove(&call) {
                                results.push((slot, Err(InvokeError::Decode(error.clone()))));
                            }
                        }
                        _ => {}
                    }
                    refused.push(RejectReason::Decode { message, error });
                }
            }
        }
        for (id, event) in events {
            state.enqueue_event(id, Target::All, event);
        }
        state.stats.messages_refused += refused.len() as u64;
        drop(state);
        for message in limited {
            self.rate_limited(from, message);
        }
        for reason in refused {
            self.rejected(from, reason);
        }
    }
}

impl State {
    fn reject(&mut self, reason: RejectReason) {
        self.stats.rejected.count(&reason);
        self.stats.last_rejection = Some(reason);
    }
}

/// Section 6.2: accept the first sequence number, then one only if it is
/// newer by 1 to 32767 (modulo 2^16).
fn accept_sequence(last: &mut HashMap<u16, u16>, id: u16, seq: u16) -> bool {
    match last.get(&id) {
        Some(&previous) if !(1..=0x7FFF).contains(&seq.wrapping_sub(previous)) => false,
        _ => {
            last.insert(id, seq);
            true
        }
    }
}

/// Counts a message against its `@rate` bucket; true if it is over.
fn over_rate(
    buckets: &mut HashMap<u16, Bucket>,
    id: u16,
    rate: Option<Rate>,
    now: Duration,
) -> bool {
    let Some(rate) = rate else {
        return false;
    };
    !buckets.entry(id).or_default().take(rate, now)
}

/// Counts one message in `window`, which restarts every `rate.per`; true if
/// the window already holds `rate.count`.
pub(super) fn over_window(window: &mut RateWindow, rate: Rate, now: Duration) -> bool {
    if now < window.start || now >= window.start.saturating_add(rate.per) {
        *window = RateWindow {
            start: now,
            count: 0,
        };
    }
    if window.count >= rate.count {
        return true;
    }
    window.count += 1;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_wrap() {
        let mut last = HashMap::new();
        assert!(accept_sequence(&mut last, 0, 65535));
        assert!(accept_sequence(&mut last, 0, 0));
        assert!(!accept_sequence(&mut last, 0, 65535));
        assert!(!accept_sequence(&mut last, 0, 0));
        assert!(accept_sequence(&mut last, 0, 32767));
        assert!(!accept_sequence(&mut last, 0, 32767 + 32768));
        assert!(accept_sequence(&mut last, 1, 9));
    }

    #[test]
    fn rates_are_buckets_per_message() {
        let rate = Some(Rate {
            count: 2,
            per: Duration::from_secs(1),
            burst: 2,
        });
        let mut buckets = HashMap::new();
        let t = Duration::from_millis;
        assert!(!over_rate(&mut buckets, 0, rate, t(0)));
        assert!(!over_rate(&mut buckets, 0, rate, t(10)));
        assert!(over_rate(&mut buckets, 0, rate, t(499)));
        // Another message id has a bucket of its own.
        assert!(!over_rate(&mut buckets, 1, rate, t(499)));
        // One token back every half second.
        assert!(!over_rate(&mut buckets, 0, rate, t(510)));
        assert!(over_rate(&mut buckets, 0, rate, t(600)));
        assert!(!over_rate(&mut buckets, 0, None, t(600)));
    }
}
