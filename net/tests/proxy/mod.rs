//! A fault proxy between `NetClient`s and a `NetServer` on loopback: it
//! carries the TCP stream and the UDP datagrams both ways, and can lose,
//! duplicate and reorder datagrams, delay everything (with latency and
//! jitter), cut the link (a partition) and stall it (a paused peer).
//!
//! The client connects to the proxy's TCP address. The proxy rewrites the
//! server's datagram offer (`tether_net::datagram::Control::Offer`) to name
//! its own UDP port, so that the client's datagrams pass through it too; it
//! forwards them from one socket per client, so the server still sees one
//! address per player. A stream keeps its order whatever the latency, as
//! TCP does. Bind requests (the token alone) are delayed but otherwise left
//! alone, so that binding takes no retries.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use tether_net::datagram::Control;
use tether_net::framing;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;
use tokio::time::{sleep, sleep_until, Instant};

/// What the proxy does to the traffic, each direction. Chances are per
/// million.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    pub loss: u32,
    pub duplication: u32,
    /// A datagram held back is sent right after the next one, or alone once
    /// nothing else came for [`QUIET`].
    pub reordering: u32,
    /// Of every datagram and every stream chunk.
    pub latency: Duration,
    /// A further delay drawn evenly from zero to this: datagrams may
    /// overtake each other, a stream's chunks never do.
    pub jitter: Duration,
    pub seed: u64,
}

/// The link's switches, shared by every path through the proxy.
#[derive(Debug, Default)]
struct Switches {
    /// A partition: datagrams that come due are lost, stream bytes wait.
    cut: AtomicBool,
    /// A stalled peer: everything waits, datagrams too.
    paused: AtomicBool,
}

impl Switches {
    /// How often held traffic looks whether it may go.
    const POLL: Duration = Duration::from_millis(5);

    fn holds(&self) -> bool {
        self.cut.load(Relaxed) || self.paused.load(Relaxed)
    }
}

/// How long a datagram held back for reordering waits for one to pass it.
pub const QUIET: Duration = Duration::from_millis(200);

/// What the proxy did to the datagrams going one way (bind requests aside).
#[derive(Debug, Default)]
pub struct Counts {
    pub forwarded: AtomicU64,
    pub lost: AtomicU64,
    pub duplicated: AtomicU64,
    pub reordered: AtomicU64,
    /// Lost because they came due while the link was cut.
    pub cut: AtomicU64,
}

impl Counts {
    pub fn get(&self) -> (u64, u64, u64, u64) {
        (
            self.forwarded.load(Relaxed),
            self.lost.load(Relaxed),
            self.duplicated.load(Relaxed),
            self.reordered.load(Relaxed),
        )
    }
}

pub struct Proxy {
    addr: SocketAddr,
    pub to_client: Arc<Counts>,
    pub to_server: Arc<Counts>,
    bound: Arc<AtomicBool>,
    switches: Arc<Switches>,
}

impl Proxy {
    /// A proxy in front of the TCP server at `server`, whose UDP socket
    /// listens on the same address.
    pub async fn start(server: SocketAddr, faults: Faults) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let front = Arc::new(UdpSocket::bind("127.0.0.1:0").await.expect("binds"));
        let udp_port = front.local_addr().expect("bound").port();
        let proxy = Proxy {
            addr: listener.local_addr().expect("bound"),
            to_client: Arc::default(),
            to_server: Arc::default(),
            bound: Arc::default(),
            switches: Arc::default(),
        };
        let bound = proxy.bound.clone();
        let switches = proxy.switches.clone();
        tokio::spawn(async move {
            let mut salt = 0;
            while let Ok((client, _)) = listener.accept().await {
                let Ok(upstream) = TcpStream::connect(server).await else {
                    continue;
                };
                salt += 2;
                let delays = |salt| Delays::new(faults, switches.clone(), salt);
                tokio::spawn(streams(
                    client,
                    upstream,
                    udp_port,
                    (delays(salt), delays(salt + 1)),
                    bound.clone(),
                ));
            }
        });
        tokio::spawn(datagrams(
            front,
            server,
            faults,
            proxy.switches.clone(),
            (proxy.to_server.clone(), proxy.to_client.clone()),
        ));
        proxy
    }

    /// Cuts the link until [`heal`](Self::heal): datagrams either way are
    /// lost, the streams' bytes wait (TCP would send them again).
    pub fn partition(&self) {
        self.switches.cut.store(true, Relaxed);
    }

    pub fn heal(&self) {
        self.switches.cut.store(false, Relaxed);
    }

    /// Stalls the link until [`resume`](Self::resume), as a peer that stops
    /// reading and writing: everything either way waits, datagrams too.
    /// (The client's process still runs, unlike a paused `MemoryNetwork`
    /// peer.)
    pub fn pause(&self) {
        self.switches.paused.store(true, Relaxed);
    }

    pub fn resume(&self) {
        self.switches.paused.store(false, Relaxed);
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether the server has confirmed a client's datagram address: from
    /// then on the server sends that client's `@unreliable` events as
    /// datagrams.
    pub fn bound(&self) -> bool {
        self.bound.load(Relaxed)
    }
}

/// The delays of one way through the proxy: latency, jitter and the
/// switches.
struct Delays {
    latency: Duration,
    jitter: Duration,
    state: u64,
    switches: Arc<Switches>,
}

impl Delays {
    fn new(faults: Faults, switches: Arc<Switches>, salt: u64) -> Delays {
        Delays {
            latency: faults.latency,
            jitter: faults.jitter,
            state: (faults.seed ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9)) | 1,
            switches,
        }
    }

    /// The next delay: the latency and a draw of the jitter.
    fn next(&mut self) -> Duration {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let value = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let jitter = self.jitter.as_nanos() as u64;
        self.latency + Duration::from_nanos(value % (jitter + 1))
    }
}

/// Writes what it is sent to a stream, each piece after its delay, in
/// order, and not while the link is cut or stalled.
struct Delayed(mpsc::UnboundedSender<(Instant, Vec<u8>)>);

impl Delayed {
    fn new(mut writer: OwnedWriteHalf, mut delays: Delays) -> Delayed {
        let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
        tokio::spawn(async move {
            while let Some((at, bytes)) = rx.recv().await {
                // One piece at a time: a later piece never overtakes.
                sleep_until(at + delays.next()).await;
                while delays.switches.holds() {
                    sleep(Switches::POLL).await;
                }
                if writer.write_all(&bytes).await.is_err() {
                    return;
                }
            }
        });
        Delayed(tx)
    }

    /// False once the stream is gone.
    fn send(&self, bytes: Vec<u8>) -> bool {
        self.0.send((Instant::now(), bytes)).is_ok()
    }
}

/// Carries one TCP connection both ways: the client's bytes as they come,
/// the server's blob by blob, rewriting the datagram offer.
async fn streams(
    client: TcpStream,
    upstream: TcpStream,
    udp_port: u16,
    (up, down): (Delays, Delays),
    bound: Arc<AtomicBool>,
) {
    let (mut client_in, client_out) = client.into_split();
    let (mut server_in, server_out) = upstream.into_split();
    let to_server = Delayed::new(server_out, up);
    let to_client = Delayed::new(client_out, down);
    tokio::spawn(async move {
        let mut buffer = vec![0u8; 4096];
        while let Ok(n) = client_in.read(&mut buffer).await {
            if n == 0 || !to_server.send(buffer[..n].to_vec()) {
                return;
            }
        }
    });
    while let Ok(blob) = framing::read_blob(&mut server_in, u32::MAX).await {
        let blob = match Control::decode(&blob) {
            Some(Control::Offer { token, .. }) => Control::Offer {
                token,
                port: udp_port,
            }
            .encode(),
            Some(Control::Bound) => {
                bound.store(true, Relaxed);
                blob
            }
            None => blob,
        };
        let Ok(framed) = framing::framed(&blob) else {
            return;
        };
        if !to_client.send(framed) {
            return;
        }
    }
}

/// Chooses what happens to the datagrams going one way.
struct Shaper {
    faults: Faults,
    state: u64,
    held: Option<Vec<u8>>,
    counts: Arc<Counts>,
    delays: Delays,
}

impl Shaper {
    fn new(faults: Faults, switches: Arc<Switches>, salt: u64, counts: Arc<Counts>) -> Shaper {
        Shaper {
            faults,
            state: (faults.seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1,
            held: None,
            counts,
            delays: Delays::new(faults, switches, salt),
        }
    }

    /// Sends a datagram after its delay: lost if the link is cut then,
    /// held while it is stalled. Without a delay, at once, in order.
    async fn send(&mut self, socket: &Arc<UdpSocket>, datagram: Vec<u8>, to: SocketAddr) {
        let delay = self.delays.next();
        let switches = self.delays.switches.clone();
        if delay.is_zero() && !switches.holds() {
            let _ = socket.send_to(&datagram, to).await;
            return;
        }
        let counts = self.counts.clone();
        let socket = socket.clone();
        tokio::spawn(async move {
            sleep(delay).await;
            while switches.paused.load(Relaxed) {
                sleep(Switches::POLL).await;
            }
            if switches.cut.load(Relaxed) {
                counts.cut.fetch_add(1, Relaxed);
                return;
            }
            let _ = socket.send_to(&datagram, to).await;
        });
    }

    fn chance(&mut self, per_million: u32) -> bool {
        // xorshift64*, as the MemoryNetwork's links.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let value = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        per_million > 0 && (value >> 32) % 1_000_000 < u64::from(per_million)
    }

    /// The datagrams to send now, in order, for one that came in.
    fn shape(&mut self, datagram: Vec<u8>) -> Vec<Vec<u8>> {
        // A bind request is the token alone.
        if datagram.len() == 8 {
            return vec![datagram];
        }
        if self.chance(self.faults.loss) {
            self.counts.lost.fetch_add(1, Relaxed);
            return Vec::new();
        }
        let mut out = vec![datagram];
        if self.chance(self.faults.duplication) {
            self.counts.duplicated.fetch_add(1, Relaxed);
            out.push(out[0].clone());
        }
        if let Some(held) = self.held.take() {
            self.counts.reordered.fetch_add(1, Relaxed);
            out.push(held);
        } else if self.chance(self.faults.reordering) {
            self.held = Some(out.remove(0));
        }
        self.counts.forwarded.fetch_add(out.len() as u64, Relaxed);
        out
    }

    /// The datagram held back, once nothing came to pass it.
    fn flush(&mut self) -> Option<Vec<u8>> {
        let held = self.held.take()?;
        self.counts.forwarded.fetch_add(1, Relaxed);
        Some(held)
    }
}

/// Carries the datagrams of every client: from the front socket to the
/// server through one socket per client, and back.
async fn datagrams(
    front: Arc<UdpSocket>,
    server: SocketAddr,
    faults: Faults,
    switches: Arc<Switches>,
    (to_server, to_client): (Arc<Counts>, Arc<Counts>),
) {
    let mut links: HashMap<SocketAddr, (Arc<UdpSocket>, Shaper)> = HashMap::new();
    let mut buffer = vec![0u8; 2048];
    loop {
        let held = links.values().any(|(_, shaper)| shaper.held.is_some());
        let received = tokio::select! {
            received = front.recv_from(&mut buffer) => received,
            _ = sleep(QUIET), if held => {
                for (back, shaper) in links.values_mut() {
                    if let Some(datagram) = shaper.flush() {
                        shaper.send(back, datagram, server).await;
                    }
                }
                continue;
            }
        };
        let Ok((len, client)) = received else {
            continue;
        };
        if !links.contains_key(&client) {
            let Ok(back) = UdpSocket::bind("127.0.0.1:0").await else {
                continue;
            };
            let back = Arc::new(back);
            let salt = links.len() as u64 * 2;
            tokio::spawn(back_to_client(
                back.clone(),
                front.clone(),
                client,
                Shaper::new(faults, switches.clone(), salt + 1, to_client.clone()),
            ));
            let shaper = Shaper::new(faults, switches.clone(), salt, to_server.clone());
            links.insert(client, (back, shaper));
        }
        let Some((back, shaper)) = links.get_mut(&client) else {
            continue;
        };
        for datagram in shaper.shape(buffer[..len].to_vec()) {
            shaper.send(back, datagram, server).await;
        }
    }
}

/// Carries the server's datagrams for one client back to it.
async fn back_to_client(
    back: Arc<UdpSocket>,
    front: Arc<UdpSocket>,
    client: SocketAddr,
    mut shaper: Shaper,
) {
    let mut buffer = vec![0u8; 2048];
    loop {
        let received = tokio::select! {
            received = back.recv_from(&mut buffer) => received,
            _ = sleep(QUIET), if shaper.held.is_some() => {
                if let Some(datagram) = shaper.flush() {
                    shaper.send(&front, datagram, client).await;
                }
                continue;
            }
        };
        let Ok((len, _)) = received else {
            continue;
        };
        for datagram in shaper.shape(buffer[..len].to_vec()) {
            shaper.send(&front, datagram, client).await;
        }
    }
}
