//! Network load: N clients over loopback TCP against one server. Each client
//! fires M `Ping` events per tick of a 60 Hz loop; the server echoes each to
//! its sender as a `Pong`, which carries the client's send time back. For
//! each N it prints a Markdown table row: the pings sent and the pings the
//! server handled per second, the round trip (p50, p99) as the clients
//! measure it, the CPU of the server and of the clients (in % of one core),
//! and the server's resident memory per client.
//!
//! ```sh
//! cargo bench -p tether-net --bench load                      # N = 10, 100, 500
//! TETHER_LOAD_N=100 cargo bench -p tether-net --bench load    # one N (or a list: 10,50)
//! ```
//!
//! Other settings, from the environment: `TETHER_LOAD_M` (pings per client
//! tick, default 4), `TETHER_LOAD_HZ` (client ticks per second, 60),
//! `TETHER_LOAD_WARMUP` (seconds before measuring, 2) and
//! `TETHER_LOAD_SECONDS` (seconds measured, 5). A client's pings per second
//! must stay within the server's per-client limit
//! ([`tether::CLIENT_MESSAGES_PER_SECOND`], 500), or the server drops the
//! excess.
//!
//! The server runs in a child process (this executable again, with
//! `TETHER_LOAD_ROLE=server`), so that its CPU time and resident memory,
//! read from `/proc`, are its own. Each N gets a fresh server.

use std::env;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tether_net::{ClientConfig, NetClient, NetServer, ServerConfig};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

mod load {
    tether::include_schema!("load.tether");
}

/// Set (to `server`) in the child process that runs the server.
const ROLE: &str = "TETHER_LOAD_ROLE";

fn main() {
    if env::var(ROLE).is_ok_and(|role| role == "server") {
        return serve();
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    let runtime = Runtime::new().expect("a tokio runtime for the clients");
    println!("{}", settings.describe());
    println!();
    println!("| clients | pings sent/s | pings handled/s | RTT p50 | RTT p99 | server CPU | clients CPU | server memory/client |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &clients in &settings.clients {
        let row = measure(&runtime, clients, &settings);
        println!("{}", row.markdown(clients));
    }
}

/// What a run measures, from the environment.
struct Settings {
    clients: Vec<usize>,
    pings_per_tick: u32,
    ticks_per_second: u32,
    warmup: Duration,
    measured: Duration,
}

impl Settings {
    fn from_env() -> Result<Settings, String> {
        let clients = match env::var("TETHER_LOAD_N") {
            Ok(list) => list
                .split(',')
                .map(|n| n.trim().parse::<usize>().ok().filter(|&n| n > 0))
                .collect::<Option<Vec<_>>>()
                .ok_or(format!(
                    "TETHER_LOAD_N: {list:?} is not a list of client counts"
                ))?,
            Err(_) => vec![10, 100, 500],
        };
        let settings = Settings {
            clients,
            pings_per_tick: number("TETHER_LOAD_M", 4)?,
            ticks_per_second: number("TETHER_LOAD_HZ", 60)?.max(1),
            warmup: seconds("TETHER_LOAD_WARMUP", 2.0)?,
            measured: seconds("TETHER_LOAD_SECONDS", 5.0)?.max(Duration::from_millis(100)),
        };
        let per_second = settings.pings_per_tick * settings.ticks_per_second;
        if per_second > tether::CLIENT_MESSAGES_PER_SECOND {
            return Err(format!(
                "{per_second} pings a second per client is over the server's limit of {}",
                tether::CLIENT_MESSAGES_PER_SECOND
            ));
        }
        Ok(settings)
    }

    fn tick(&self) -> Duration {
        Duration::from_secs_f64(1.0 / f64::from(self.ticks_per_second))
    }

    fn describe(&self) -> String {
        format!(
            "Loopback TCP, M = {} pings per client tick at {} Hz ({} per client per second), \
             {} s warm-up, {} s measured.",
            self.pings_per_tick,
            self.ticks_per_second,
            self.pings_per_tick * self.ticks_per_second,
            self.warmup.as_secs_f64(),
            self.measured.as_secs_f64(),
        )
    }
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .map_err(|_| format!("{name}: {value:?} is not a number")),
        Err(_) => Ok(default),
    }
}

fn seconds(name: &str, default: f64) -> Result<Duration, String> {
    let value = number(name, default)?;
    Duration::try_from_secs_f64(value).map_err(|_| format!("{name}: {value} is not a duration"))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// The server, in the child process
// ---------------------------------------------------------------------------

/// Serves on a free loopback port, prints it, then answers the parent's
/// `count` queries (pings handled so far) until its stdin closes.
fn serve() {
    let runtime = Runtime::new().expect("a tokio runtime for the server");
    let server = load::Server::new();
    let handled = Arc::new(AtomicU64::new(0));
    let (pong, count) = (server.pong(), handled.clone());
    server.ping().connect(move |player, seq, sent| {
        count.fetch_add(1, Relaxed);
        let _ = pong.fire_client(player, seq, sent);
    });
    // No `@unreliable` event: a UDP socket per client would only double the
    // clients' file descriptors (1,000 at N = 500, near the usual limit).
    let config = ServerConfig::default().with_datagrams(false);
    let bind = NetServer::bind("127.0.0.1:0", &server, config);
    let net = runtime
        .block_on(bind)
        .expect("the server binds on loopback");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", net.local_addr());
    let _ = out.flush();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim() == "count" {
            let _ = writeln!(out, "{}", handled.load(Relaxed));
            let _ = out.flush();
        }
    }
    drop(net);
}

/// The server's child process, as the parent sees it.
struct ServerProcess {
    child: Child,
    /// Closing it tells the server to stop.
    commands: Option<ChildStdin>,
    answers: BufReader<ChildStdout>,
    addr: SocketAddr,
}

impl ServerProcess {
    fn spawn() -> ServerProcess {
        let exe = env::current_exe().expect("the benchmark's own path");
        let mut child = Command::new(exe)
            .env(ROLE, "server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server process starts");
        let commands = child.stdin.take();
        let mut answers = BufReader::new(child.stdout.take().expect("the server's stdout"));
        let addr = read_line(&mut answers)
            .parse()
            .expect("the server prints its address");
        ServerProcess {
            child,
            commands,
            answers,
            addr,
        }
    }

    /// Pings the server has handled so far.
    fn handled(&mut self) -> u64 {
        let commands = self.commands.as_mut().expect("the server runs");
        writeln!(commands, "count").expect("the server reads its commands");
        commands.flush().expect("the server reads its commands");
        read_line(&mut self.answers)
            .parse()
            .expect("the server answers with a count")
    }

    fn cpu_ticks(&self) -> Option<u64> {
        cpu_ticks(&format!("/proc/{}/stat", self.child.id()))
    }

    fn resident_bytes(&self) -> Option<u64> {
        resident_bytes(&format!("/proc/{}/status", self.child.id()))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.commands.take());
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .expect("the server answers on stdout");
    line.trim().to_string()
}

/// User plus system CPU time of a process, in clock ticks, from its
/// `/proc/<pid>/stat` (fields 14 and 15).
fn cpu_ticks(stat_path: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name (field 2) may hold spaces; the fields after it do not.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

/// Resident memory of a process, from `VmRSS` in its `/proc/<pid>/status`.
fn resident_bytes(status_path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_path).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Clock ticks per second of `/proc`'s CPU times.
fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|ticks| ticks.trim().parse().ok())
        .unwrap_or(100.0)
}

// ---------------------------------------------------------------------------
// The clients, in this process
// ---------------------------------------------------------------------------

/// N connected clients and the task that makes them ping.
struct Fleet {
    /// Held for the connections' sake: dropping one closes it.
    _connections: Vec<NetClient>,
    driver: JoinHandle<()>,
    sent: Arc<AtomicU64>,
    /// Whether pongs are being timed (only during the measured window).
    timing: Arc<AtomicBool>,
    round_trips: Vec<Arc<Mutex<Vec<u32>>>>,
}

/// One connected client.
struct Pinger {
    connection: NetClient,
    client: load::Client,
    /// Round trips in microseconds, while timing.
    round_trips: Arc<Mutex<Vec<u32>>>,
}

impl Fleet {
    async fn connect(addr: SocketAddr, count: usize, settings: &Settings) -> Fleet {
        let epoch = Instant::now();
        let timing = Arc::new(AtomicBool::new(false));
        // A client's transport ticks from when it connects: connections
        // spread over one tick spread the ticks as independent players'
        // are, rather than all in phase.
        let connecting: Vec<_> = (0..count)
            .map(|i| {
                let delay = settings.tick().mul_f64(i as f64 / count as f64);
                let timing = timing.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    Pinger::connect(addr, epoch, timing).await
                })
            })
            .collect();
        let mut pingers = Vec::with_capacity(count);
        for connected in connecting {
            let pinger = connected
                .await
                .expect("a client connects without panicking");
            pingers.push(pinger.expect("a client connects to the server"));
        }
        let sent = Arc::new(AtomicU64::new(0));
        let clients = pingers.iter().map(|p| p.client.clone()).collect();
        let driver = tokio::spawn(drive(
            clients,
            settings.pings_per_tick,
            settings.tick(),
            epoch,
            sent.clone(),
        ));
        Fleet {
            round_trips: pingers.iter().map(|p| p.round_trips.clone()).collect(),
            _connections: pingers.into_iter().map(|p| p.connection).collect(),
            driver,
            sent,
            timing,
        }
    }

    /// Every round trip timed, in microseconds, sorted.
    fn sorted_round_trips(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self
            .round_trips
            .iter()
            .flat_map(|trips| lock(trips).clone())
            .collect();
        all.sort_unstable();
        all
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

impl Pinger {
    async fn connect(
        addr: SocketAddr,
        epoch: Instant,
        timing: Arc<AtomicBool>,
    ) -> Result<Pinger, tether_net::ConnectError> {
        let client = load::Client::new();
        let round_trips = Arc::new(Mutex::new(Vec::new()));
        let trips = round_trips.clone();
        client.pong().connect(move |_seq, sent| {
            if timing.load(Relaxed) {
                let seconds = epoch.elapsed().as_secs_f64() - sent;
                lock(&trips).push((seconds * 1e6) as u32);
            }
        });
        let connection =
            NetClient::connect(addr, client.runtime().clone(), ClientConfig::default()).await?;
        Ok(Pinger {
            connection,
            client,
            round_trips,
        })
    }
}

/// Fires `per_tick` pings from every client each `tick`, stamped with the
/// time since `epoch`. One task for all clients: the clients' own transport
/// tasks already take one wake-up per client and tick.
async fn drive(
    clients: Vec<load::Client>,
    per_tick: u32,
    tick: Duration,
    epoch: Instant,
    sent: Arc<AtomicU64>,
) {
    let mut ticks = tokio::time::interval(tick);
    // A late tick is skipped, as a game loop drops a frame: the offered load
    // then shows in the pings sent per second.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut seq = 0u32;
    loop {
        ticks.tick().await;
        for client in &clients {
            for _ in 0..per_tick {
                let now = epoch.elapsed().as_secs_f64();
                if client.ping().fire_server(seq, now).is_ok() {
                    sent.fetch_add(1, Relaxed);
                }
                seq = seq.wrapping_add(1);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// One measurement
// ---------------------------------------------------------------------------

/// The figures of one row.
struct Row {
    sent_per_second: f64,
    handled_per_second: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    server_cpu: Option<f64>,
    clients_cpu: Option<f64>,
    server_bytes_per_client: Option<f64>,
}

/// A fresh server, `clients` clients connected and pinging through a
/// warm-up, then one measured window.
fn measure(runtime: &Runtime, clients: usize, settings: &Settings) -> Row {
    let mut server = ServerProcess::spawn();
    // The idle server's memory: its runtime and listener, no client yet.
    std::thread::sleep(Duration::from_millis(300));
    let idle_bytes = server.resident_bytes();
    let fleet = runtime.block_on(Fleet::connect(server.addr, clients, settings));
    std::thread::sleep(settings.warmup);

    let start = Edge::read(&mut server, &fleet);
    fleet.timing.store(true, Relaxed);
    std::thread::sleep(settings.measured);
    fleet.timing.store(false, Relaxed);
    let end = Edge::read(&mut server, &fleet);
    let busy_bytes = server.resident_bytes();

    let seconds = end.at.duration_since(start.at).as_secs_f64();
    let trips = fleet.sorted_round_trips();
    let ticks = clock_ticks_per_second();
    let cpu =
        |from: Option<u64>, to: Option<u64>| Some((to? - from?) as f64 / ticks / seconds * 100.0);
    let row = Row {
        sent_per_second: (end.sent - start.sent) as f64 / seconds,
        handled_per_second: (end.handled - start.handled) as f64 / seconds,
        p50_ms: percentile(&trips, 0.50),
        p99_ms: percentile(&trips, 0.99),
        server_cpu: cpu(start.server_cpu, end.server_cpu),
        clients_cpu: cpu(start.clients_cpu, end.clients_cpu),
        server_bytes_per_client: busy_bytes
            .zip(idle_bytes)
            .map(|(busy, idle)| busy.saturating_sub(idle) as f64 / clients as f64),
    };
    drop(fleet);
    drop(server);
    row
}

/// The counters at one edge of the measured window.
struct Edge {
    at: Instant,
    sent: u64,
    handled: u64,
    server_cpu: Option<u64>,
    clients_cpu: Option<u64>,
}

impl Edge {
    fn read(server: &mut ServerProcess, fleet: &Fleet) -> Edge {
        Edge {
            at: Instant::now(),
            sent: fleet.sent.load(Relaxed),
            handled: server.handled(),
            server_cpu: server.cpu_ticks(),
            clients_cpu: cpu_ticks("/proc/self/stat"),
        }
    }
}

/// The `q` quantile of sorted microseconds, in milliseconds.
fn percentile(sorted: &[u32], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let index = (last as f64 * q).round() as usize;
    Some(f64::from(sorted[index]) / 1000.0)
}

impl Row {
    fn markdown(&self, clients: usize) -> String {
        let or_na = |value: Option<f64>, unit: &str, digits: usize| match value {
            Some(value) => format!("{value:.digits$}{unit}"),
            None => "n/a".to_string(),
        };
        format!(
            "| {clients} | {} | {} | {} | {} | {} | {} | {} |",
            grouped(self.sent_per_second),
            grouped(self.handled_per_second),
            or_na(self.p50_ms, " ms", 1),
            or_na(self.p99_ms, " ms", 1),
            or_na(self.server_cpu, " %", 0),
            or_na(self.clients_cpu, " %", 0),
            or_na(self.server_bytes_per_client.map(|b| b / 1024.0), " KiB", 1),
        )
    }
}

/// `123456.7` as `123,457`.
fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
