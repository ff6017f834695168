//! A fault proxy between `NetClient`s and a `NetServer` on loopback: it
//! carries the TCP stream and the UDP datagrams both ways, and can lose,
//! duplicate and reorder datagrams and delay everything.
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
    pub seed: u64,
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
        };
        let bound = proxy.bound.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(upstream) = TcpStream::connect(server).await else {
                    continue;
                };
                tokio::spawn(streams(
                    client,
                    upstream,
                    udp_port,
                    faults.latency,
                    bound.clone(),
                ));
            }
        });
        tokio::spawn(datagrams(
            front,
            server,
            faults,
            proxy.to_server.clone(),
            proxy.to_client.clone(),
        ));
        proxy
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

/// Writes what it is sent to a stream, each piece `latency` after it was
/// sent, in order.
struct Delayed(mpsc::UnboundedSender<(Instant, Vec<u8>)>);

impl Delayed {
    fn new(mut writer: OwnedWriteHalf, latency: Duration) -> Delayed {
        let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
        tokio::spawn(async move {
            while let Some((at, bytes)) = rx.recv().await {
                sleep_until(at + latency).await;
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
    latency: Duration,
    bound: Arc<AtomicBool>,
) {
    let (mut client_in, client_out) = client.into_split();
    let (mut server_in, server_out) = upstream.into_split();
    let to_server = Delayed::new(server_out, latency);
    let to_client = Delayed::new(client_out, latency);
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
}

impl Shaper {
    fn new(faults: Faults, salt: u64, counts: Arc<Counts>) -> Shaper {
        Shaper {
            faults,
            state: (faults.seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1,
            held: None,
            counts,
        }
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

async fn send(socket: &Arc<UdpSocket>, datagram: Vec<u8>, to: SocketAddr, latency: Duration) {
    if latency.is_zero() {
        let _ = socket.send_to(&datagram, to).await;
        return;
    }
    let socket = socket.clone();
    tokio::spawn(async move {
        sleep(latency).await;
        let _ = socket.send_to(&datagram, to).await;
    });
}

/// Carries the datagrams of every client: from the front socket to the
/// server through one socket per client, and back.
async fn datagrams(
    front: Arc<UdpSocket>,
    server: SocketAddr,
    faults: Faults,
    to_server: Arc<Counts>,
    to_client: Arc<Counts>,
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
                        send(back, datagram, server, faults.latency).await;
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
                Shaper::new(faults, salt + 1, to_client.clone()),
            ));
            links.insert(client, (back, Shaper::new(faults, salt, to_server.clone())));
        }
        let Some((back, shaper)) = links.get_mut(&client) else {
            continue;
        };
        for datagram in shaper.shape(buffer[..len].to_vec()) {
            send(back, datagram, server, faults.latency).await;
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
    let latency = shaper.faults.latency;
    let mut buffer = vec![0u8; 2048];
    loop {
        let received = tokio::select! {
            received = back.recv_from(&mut buffer) => received,
            _ = sleep(QUIET), if shaper.held.is_some() => {
                if let Some(datagram) = shaper.flush() {
                    send(&front, datagram, client, latency).await;
                }
                continue;
            }
        };
        let Ok((len, _)) = received else {
            continue;
        };
        for datagram in shaper.shape(buffer[..len].to_vec()) {
            send(&front, datagram, client, latency).await;
        }
    }
}
