//! The arena demo: the example game of `schemas/game.tether` served over TCP,
//! and bots that play it.
//!
//! ```sh
//! cargo run --example arena -- server                  # listens on 127.0.0.1:7777
//! cargo run --example arena -- bots 50                 # 50 bots against that server
//! cargo run --example arena -- both 50 --seconds 30    # both in one process, for 30 s
//! ```
//!
//! `--addr` picks another address; `--seconds N` stops after N seconds
//! (otherwise Ctrl-C stops). Every second the server prints its players,
//! messages received, bytes in and out, events sent and rejections; the
//! bots print how many are connected, what they send and receive, and the
//! results of their remote function calls. On a terminal the status is
//! rewritten in place.
//!
//! The bots keep within every `@rate` of the schema, except one in 25
//! (bots 0, 25, 50, ...: at least one whenever there are bots), which chats
//! four times faster than `Chat`'s `@rate(5/s)` and buys faster than
//! `Shop.Buy`'s `@rate(2/s)`. The server drops those events and refuses
//! those calls, so its rejection counter moves and those bots see errors.

use std::collections::{HashMap, VecDeque};
use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::{Parser, Subcommand};
use tether::types::{CFrame, Color3, DateTime, Matrix3, PlayerClass, Ref, Vector3};
use tether::{InvokeError, Player};
use tether_net::{ClientConfig, NetClient, NetEvent, NetServer, ServerConfig};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

mod game {
    tether::include_schema!("../../schemas/game.tether");
}

use game::{Item, ItemId, Loadout, Rarity, Shape, Team};
use tether::roblox::enums::{KeyCode, Material};

#[derive(Parser)]
#[command(about = "The arena demo: a Tether game server over TCP, and bots that play it")]
struct Args {
    #[command(subcommand)]
    mode: Mode,
    /// Where the server listens, and where the bots connect.
    #[arg(long, global = true, default_value = "127.0.0.1:7777")]
    addr: SocketAddr,
    /// Stop after this many seconds (by default, run until Ctrl-C).
    #[arg(long, global = true)]
    seconds: Option<u64>,
}

#[derive(Subcommand)]
enum Mode {
    /// Serve the arena.
    Server,
    /// Connect bots to a running server.
    Bots {
        #[arg(default_value_t = 50)]
        count: usize,
    },
    /// Serve the arena and play it with bots, in one process.
    Both {
        #[arg(default_value_t = 50)]
        count: usize,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let (serve, bot_count) = match args.mode {
        Mode::Server => (true, 0),
        Mode::Bots { count } => (false, count),
        Mode::Both { count } => (true, count),
    };
    let console = Console::new();
    let arena = if serve {
        match ArenaServer::start(args.addr, console.clone()).await {
            Ok(arena) => Some(arena),
            Err(error) => {
                eprintln!("cannot listen on {}: {error}", args.addr);
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let bots = (bot_count > 0).then(|| Bots::start(args.addr, bot_count, console.clone()));
    run(arena, bots, args.seconds, &console).await
}

/// Serves connection events and prints the status every second until a stop
/// is asked for (or, with bots only, until none is connected any more).
/// Fails if there were bots and none could connect.
async fn run(
    mut arena: Option<ArenaServer>,
    mut bots: Option<Bots>,
    seconds: Option<u64>,
    console: &Console,
) -> ExitCode {
    let stop = stop_requested(seconds);
    tokio::pin!(stop);
    let mut second = tokio::time::interval(Duration::from_secs(1));
    second.set_missed_tick_behavior(MissedTickBehavior::Skip);
    second.tick().await;
    let why = loop {
        tokio::select! {
            why = &mut stop => break why,
            Some(event) = next_event(arena.as_mut()) => {
                if let Some(arena) = arena.as_mut() {
                    arena.handle(event);
                }
            }
            _ = second.tick() => {
                let mut lines = Vec::new();
                if let Some(arena) = arena.as_mut() {
                    arena.every_second();
                    lines.push(arena.status());
                }
                if let Some(bots) = bots.as_mut() {
                    lines.push(bots.status());
                }
                console.show(&lines);
                let alone = arena.is_none() && bots.as_ref().is_some_and(Bots::all_gone);
                if alone {
                    break "no bot is connected any more".to_string();
                }
            }
        }
    };
    console.keep_status();
    console.log(format!("stopping: {why}"));
    let mut outcome = ExitCode::SUCCESS;
    // The bots first, so that the server sees them leave rather than break.
    if let Some(bots) = bots {
        if bots.counters.joined.load(Relaxed) == 0 {
            outcome = ExitCode::FAILURE;
        }
        bots.stop().await;
    }
    drop(arena);
    outcome
}

/// Resolves when Ctrl-C is pressed or after `seconds`, with the reason.
async fn stop_requested(seconds: Option<u64>) -> String {
    let ctrl_c = async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C".to_string(),
            // Without a signal handler, only the deadline can stop the demo.
            Err(_) => std::future::pending().await,
        }
    };
    let deadline = async {
        match seconds {
            Some(seconds) => {
                tokio::time::sleep(Duration::from_secs(seconds)).await;
                format!("{seconds} s are over")
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        why = ctrl_c => why,
        why = deadline => why,
    }
}

async fn next_event(arena: Option<&mut ArenaServer>) -> Option<NetEvent> {
    match arena {
        Some(arena) => arena.net.next_event().await,
        None => std::future::pending().await,
    }
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/// What the shop sells: id, name, price, rarity.
const CATALOG: [(ItemId, &str, u32, Rarity); 5] = [
    (1, "Sword", 100, Rarity::Common),
    (2, "Bow", 150, Rarity::Common),
    (3, "Shield", 120, Rarity::Rare),
    (4, "Potion", 20, Rarity::Common),
    (5, "Dragon Blade", 900, Rarity::Legendary),
];

/// How many of each item the shop holds after a restock.
const RESTOCK: u16 = 100;

/// How many players the scoreboard of an announcement lists.
const BOARD_SIZE: usize = 5;

/// The game's state, shared by the handlers.
#[derive(Default)]
struct Arena {
    scores: HashMap<String, u32>,
    team_scores: HashMap<Team, u32>,
    stock: HashMap<ItemId, u16>,
    loadouts: HashMap<u32, Loadout>,
    /// Who each player watches (`None`: the game as a whole).
    watching: HashMap<u32, Option<Ref<PlayerClass>>>,
    /// The latest players to join, newest last, for the welcome.
    recent: VecDeque<String>,
}

impl Arena {
    fn scored(&mut self, player: &Player) {
        *self.scores.entry(player.name.clone()).or_default() += 1;
        *self.team_scores.entry(team_of(player)).or_default() += 1;
    }

    /// The best players, for an announcement.
    fn board(&self) -> HashMap<String, u32> {
        let mut best: Vec<_> = self.scores.iter().collect();
        best.sort_unstable_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        best.into_iter()
            .take(BOARD_SIZE)
            .map(|(name, score)| (name.clone(), *score))
            .collect()
    }

    fn restock(&mut self) {
        for (id, ..) in CATALOG {
            self.stock.insert(id, RESTOCK);
        }
    }

    fn left(&mut self, player: &Player) {
        self.scores.remove(&player.name);
        self.loadouts.remove(&player.id);
        self.watching.remove(&player.id);
    }
}

fn team_of(player: &Player) -> Team {
    if player.id.is_multiple_of(2) {
        Team::Red
    } else {
        Team::Blue
    }
}

fn catalog_item(id: ItemId) -> Option<(&'static str, u32, Rarity)> {
    CATALOG
        .iter()
        .find(|(item, ..)| *item == id)
        .map(|&(_, name, price, rarity)| (name, price, rarity))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The arena's server: the runtime with the game's handlers, on a TCP
/// listener.
struct ArenaServer {
    net: NetServer,
    game: game::Server,
    arena: Arc<Mutex<Arena>>,
    /// Events handed to the runtime, one per receiving player.
    events_sent: Arc<AtomicU64>,
    console: Console,
    seconds: u64,
    rates: ServerRates,
}

#[derive(Default)]
struct ServerRates {
    messages: Rate,
    bytes_in: Rate,
    bytes_out: Rate,
    events: Rate,
    rejected: Rate,
}

impl ArenaServer {
    async fn start(addr: SocketAddr, console: Console) -> std::io::Result<ArenaServer> {
        let game = game::Server::new();
        let arena = Arc::new(Mutex::new(Arena::default()));
        lock(&arena).restock();
        let events_sent = Arc::new(AtomicU64::new(0));
        connect_handlers(&game, &arena, &events_sent);
        let net = NetServer::bind(addr, &game, ServerConfig::default()).await?;
        console.log(format!("the arena listens on {}", net.local_addr()));
        Ok(ArenaServer {
            net,
            game,
            arena,
            events_sent,
            console,
            seconds: 0,
            rates: ServerRates::default(),
        })
    }

    fn handle(&mut self, event: NetEvent) {
        match event {
            NetEvent::Connected(player) => self.welcome(&player),
            NetEvent::Disconnected { player, reason } => {
                lock(&self.arena).left(&player);
                // Bots leaving at the end of a run are not news.
                if !reason.contains("closed the connection") {
                    self.console.log(format!("{} left: {reason}", player.name));
                }
            }
            NetEvent::Refused { addr, reason } => {
                self.console.log(format!("refused {addr}: {reason}"));
            }
        }
    }

    fn welcome(&self, player: &Player) {
        let recent_names = {
            let mut arena = lock(&self.arena);
            arena.recent.push_back(player.name.clone());
            if arena.recent.len() > 10 {
                arena.recent.pop_front();
            }
            arena.recent.iter().cloned().collect()
        };
        let seed = u64::from(player.id).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let session = game::Session {
            token: format!("{:08x}", seed >> 32),
            started: now().unix_millis,
            seed,
            offset: 0,
            ratio: 1.0,
            heat: 0.0,
            flags: 0,
            recent_names,
            blob: Vec::new(),
            ids: Vec::new(),
        };
        let team = Some(team_of(player));
        if self
            .game
            .welcome()
            .fire_client(player, session, team)
            .is_ok()
        {
            self.events_sent.fetch_add(1, Relaxed);
        }
    }

    /// The game's clock: a restock every 10 s, a teleport vote every 5 s.
    fn every_second(&mut self) {
        self.seconds += 1;
        if self.seconds.is_multiple_of(10) {
            self.restock();
        }
        if self.seconds.is_multiple_of(5) {
            self.ask_to_teleport();
        }
    }

    fn restock(&self) {
        lock(&self.arena).restock();
        let items = CATALOG
            .iter()
            .map(|&(id, name, _, rarity)| Item {
                id,
                name: name.to_string(),
                rarity,
                stack: RESTOCK,
                tint: None,
            })
            .collect();
        if self
            .game
            .shop()
            .restocked()
            .fire_all_clients(items, now())
            .is_ok()
        {
            self.count_broadcast();
        }
    }

    /// Asks one player (a different one each time) to confirm a teleport.
    fn ask_to_teleport(&self) {
        let players = self.game.runtime().players();
        if players.is_empty() {
            return;
        }
        let player = &players[(self.seconds / 5) as usize % players.len()];
        let answer = self
            .game
            .confirm_teleport()
            .invoke_client(player, "arena-2".to_string());
        self.events_sent.fetch_add(1, Relaxed);
        let console = self.console.clone();
        let name = player.name.clone();
        tokio::spawn(async move {
            if let Err(error) = answer.await {
                console.log(format!("{name} did not confirm the teleport: {error}"));
            }
        });
    }

    fn count_broadcast(&self) {
        count_broadcast(&self.game, &self.events_sent);
    }

    fn status(&mut self) -> String {
        let net = self.net.stats();
        let runtime = self.game.runtime().stats();
        let rejected = runtime.rejected.total();
        let rates = &mut self.rates;
        format!(
            "server: {} players | in {} msg/s {}B/s | out {} ev/s {}B/s | rejected {} (+{}/s)",
            net.players,
            si(rates.messages.per_second(runtime.messages_received)),
            si(rates.bytes_in.per_second(net.bytes_received)),
            si(rates.events.per_second(self.events_sent.load(Relaxed))),
            si(rates.bytes_out.per_second(net.bytes_sent)),
            si(rejected as f64),
            si(rates.rejected.per_second(rejected)),
        )
    }
}

/// A broadcast is one event for each player.
fn count_broadcast(server: &game::Server, events_sent: &AtomicU64) {
    events_sent.fetch_add(server.runtime().players().len() as u64, Relaxed);
}

/// What the server does with what players send.
fn connect_handlers(game: &game::Server, arena: &Arc<Mutex<Arena>>, events_sent: &Arc<AtomicU64>) {
    on_chat(game, arena, events_sent);
    on_attack(game, arena, events_sent);
    on_aim(game, events_sent);
    on_shop(game, arena);
    let loadouts = arena.clone();
    game.equip().connect(move |player, loadout, _keybind| {
        lock(&loadouts).loadouts.insert(player.id, loadout);
    });
    let watching = arena.clone();
    game.spectate().connect(move |player, target, _focus| {
        lock(&watching).watching.insert(player.id, target);
    });
}

/// A chat line goes to everyone, with the scores.
fn on_chat(game: &game::Server, arena: &Arc<Mutex<Arena>>, events_sent: &Arc<AtomicU64>) {
    let (server, arena, events_sent) = (game.clone(), arena.clone(), events_sent.clone());
    game.chat().connect(move |player, message, _channel| {
        let (scores, board) = {
            let arena = lock(&arena);
            (arena.team_scores.clone(), arena.board())
        };
        let line = format!("{}: {message}", player.name);
        let announce = server.announce();
        if announce
            .fire_all_clients(line, player.instance(), scores, board)
            .is_ok()
        {
            count_broadcast(&server, &events_sent);
        }
    });
}

/// One attack in four hits; a hit with the Dragon Blade is critical and
/// bursts for everyone to see.
fn on_attack(game: &game::Server, arena: &Arc<Mutex<Arena>>, events_sent: &Arc<AtomicU64>) {
    let (server, arena, events_sent) = (game.clone(), arena.clone(), events_sent.clone());
    let mut attacks = 0u64;
    game.combat().attack().connect(move |player, aim, weapon| {
        attacks += 1;
        if !attacks.is_multiple_of(4) {
            return;
        }
        lock(&arena).scored(player);
        let critical = weapon == 5;
        let hit = game::combat::Hit {
            target: None,
            damage: if critical {
                40
            } else {
                10 + (attacks % 20) as u16
            },
            critical,
            knockback: Vector3::new(0.0, 2.0, -1.0),
        };
        if server
            .combat()
            .hit_confirmed()
            .fire_client(player, hit)
            .is_ok()
        {
            events_sent.fetch_add(1, Relaxed);
        }
        if critical {
            let burst = server.combat().effects().burst().fire_all_clients(
                aim.position,
                Shape::Circle { radius: 4.0 },
                Color3::new(1.0, 0.4, 0.0),
                Material::Neon,
            );
            if burst.is_ok() {
                count_broadcast(&server, &events_sent);
            }
        }
    });
}

/// Where a player aims is relayed to every other player.
fn on_aim(game: &game::Server, events_sent: &Arc<AtomicU64>) {
    let (server, events_sent) = (game.clone(), events_sent.clone());
    game.combat().aim().connect(move |player, look, spread| {
        let aim = server.combat().aim();
        for other in server.runtime().players() {
            if other.id != player.id && aim.fire_client(&other, look, spread).is_ok() {
                events_sent.fetch_add(1, Relaxed);
            }
        }
    });
}

fn on_shop(game: &game::Server, arena: &Arc<Mutex<Arena>>) {
    let stock = arena.clone();
    game.shop().buy().on_invoke(move |_player, item, quantity| {
        let Some((name, ..)) = catalog_item(item) else {
            return Ok((false, Some("no such item".to_string())));
        };
        let mut arena = lock(&stock);
        let left = arena.stock.entry(item).or_default();
        if *left < u16::from(quantity) {
            return Ok((false, Some(format!("{name}: sold out"))));
        }
        *left -= u16::from(quantity);
        Ok((true, Some(format!("{quantity} x {name}"))))
    });
    game.shop().prices().on_invoke(|_player| {
        Ok(CATALOG
            .iter()
            .map(|&(_, name, price, _)| (name.to_string(), price))
            .collect())
    });
}

fn now() -> DateTime {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    DateTime::from_unix_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}

// ---------------------------------------------------------------------------
// The bots
// ---------------------------------------------------------------------------

/// How often a bot acts; its rates below are per tick of this.
const BOT_TICK: Duration = Duration::from_millis(100);

/// One bot in this many misbehaves (bot 0 always does).
const MISBEHAVING_ONE_IN: usize = 25;

/// What all bots count together.
#[derive(Default)]
struct BotCounters {
    connected: AtomicUsize,
    /// Bots that ever connected.
    joined: AtomicUsize,
    /// Bots that could not connect or whose connection ended.
    gone: AtomicUsize,
    sent: AtomicU64,
    received: AtomicU64,
    /// `Shop.Buy` calls answered with a purchase, or with a refusal.
    bought: AtomicU64,
    declined: AtomicU64,
    /// `Shop.Prices` calls answered.
    prices: AtomicU64,
    /// Calls the server refused over a rate limit.
    limited: AtomicU64,
    /// Calls that failed otherwise: timed out, or cut off.
    failed: AtomicU64,
    /// Teleports the server asked for and a bot confirmed.
    teleports: AtomicU64,
    /// The first reason a bot could not connect or was disconnected: one
    /// line, not one per bot.
    first_loss: Mutex<Option<String>>,
}

impl BotCounters {
    /// Counts a bot that is gone; the first one says why.
    fn lost(&self, why: String, console: &Console) {
        self.gone.fetch_add(1, Relaxed);
        let mut first = lock(&self.first_loss);
        if first.is_none() {
            console.log(&why);
            *first = Some(why);
        }
    }
}

/// Bots, each on its own task and connection.
struct Bots {
    count: usize,
    counters: Arc<BotCounters>,
    tasks: Vec<JoinHandle<()>>,
    sent: Rate,
    received: Rate,
}

impl Bots {
    fn start(addr: SocketAddr, count: usize, console: Console) -> Bots {
        let counters = Arc::new(BotCounters::default());
        let tasks = (0..count)
            .map(|index| tokio::spawn(play(index, addr, counters.clone(), console.clone())))
            .collect();
        Bots {
            count,
            counters,
            tasks,
            sent: Rate::default(),
            received: Rate::default(),
        }
    }

    fn all_gone(&self) -> bool {
        self.counters.gone.load(Relaxed) >= self.count
    }

    async fn stop(self) {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }

    fn status(&mut self) -> String {
        let c = &self.counters;
        format!(
            "bots: {}/{} up | sent {} ev/s | got {} ev/s | calls: {} bought {} declined {} prices {} limited {} failed | {} teleports",
            c.connected.load(Relaxed),
            self.count,
            si(self.sent.per_second(c.sent.load(Relaxed))),
            si(self.received.per_second(c.received.load(Relaxed))),
            c.bought.load(Relaxed),
            c.declined.load(Relaxed),
            c.prices.load(Relaxed),
            c.limited.load(Relaxed),
            c.failed.load(Relaxed),
            c.teleports.load(Relaxed),
        )
    }
}

/// One bot, from its connection to its end.
async fn play(index: usize, addr: SocketAddr, counters: Arc<BotCounters>, console: Console) {
    // Staggered, as players arrive: 50 bots join within a second.
    tokio::time::sleep(Duration::from_millis(20 * index as u64 % 1000)).await;
    let client = game::Client::new();
    let seen = listen(&client, &counters);
    let config = ClientConfig::default();
    let mut connection = match NetClient::connect(addr, client.runtime().clone(), config).await {
        Ok(connection) => connection,
        Err(error) => return counters.lost(format!("a bot cannot connect: {error}"), &console),
    };
    counters.connected.fetch_add(1, Relaxed);
    counters.joined.fetch_add(1, Relaxed);
    let mut bot = Bot::new(index, client, seen, counters.clone());
    let mut tick = tokio::time::interval(BOT_TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let why = loop {
        tokio::select! {
            why = connection.closed() => break why,
            _ = tick.tick() => bot.act(),
        }
    };
    counters.connected.fetch_sub(1, Relaxed);
    counters.lost(format!("a bot was disconnected: {why}"), &console);
}

/// What a bot learned from the server.
#[derive(Default)]
struct Seen {
    team: Option<Team>,
    /// The latest player to speak, whom the bot may spectate.
    last_speaker: Option<Ref<PlayerClass>>,
}

/// Handlers for everything the server sends a bot; they count it.
fn listen(client: &game::Client, counters: &Arc<BotCounters>) -> Arc<Mutex<Seen>> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let (got, welcomed) = (received(counters), seen.clone());
    client.welcome().connect(move |_session, team| {
        got();
        lock(&welcomed).team = team;
    });
    let (got, heard) = (received(counters), seen.clone());
    client
        .announce()
        .connect(move |_line, from, _scores, _board| {
            got();
            lock(&heard).last_speaker = from;
        });
    let got = received(counters);
    client.combat().aim().connect(move |_look, _spread| got());
    let got = received(counters);
    client.combat().hit_confirmed().connect(move |_hit| got());
    let got = received(counters);
    client
        .combat()
        .effects()
        .burst()
        .connect(move |_at, _shape, _tint, _material| got());
    let got = received(counters);
    client.shop().restocked().connect(move |_items, _at| got());
    let teleports = counters.clone();
    client.confirm_teleport().on_invoke(move |_destination| {
        teleports.teleports.fetch_add(1, Relaxed);
        Ok(true)
    });
    seen
}

/// What a handler calls to count an event it received.
fn received(counters: &Arc<BotCounters>) -> impl Fn() + Send + 'static {
    let counters = counters.clone();
    move || {
        counters.received.fetch_add(1, Relaxed);
    }
}

const CHAT_LINES: [&str; 6] = [
    "gg",
    "push B",
    "need healing",
    "nice shot",
    "regroup at spawn",
    "who has the bow?",
];

/// A bot's play, one tick at a time. At 10 ticks a second an honest bot
/// sends about 16 messages a second: Aim 10/s (of 60/s allowed), Attack 5/s
/// (of 20/s), Chat 0.5/s (of 5/s), Buy 0.33/s (of 2/s), Spectate 0.2/s (of
/// 10/s), Prices 0.1/s (of 10/s), Equip every 15 s (of 1/s).
struct Bot {
    index: usize,
    client: game::Client,
    seen: Arc<Mutex<Seen>>,
    counters: Arc<BotCounters>,
    dice: Dice,
    tick: usize,
    misbehaves: bool,
}

impl Bot {
    fn new(
        index: usize,
        client: game::Client,
        seen: Arc<Mutex<Seen>>,
        counters: Arc<BotCounters>,
    ) -> Bot {
        Bot {
            index,
            client,
            seen,
            counters,
            dice: Dice::new(index as u64 + 1),
            tick: 0,
            misbehaves: index.is_multiple_of(MISBEHAVING_ONE_IN),
        }
    }

    fn act(&mut self) {
        self.tick += 1;
        // Offsets by index spread the occasional calls over the ticks.
        let phase = self.tick + self.index;
        self.aim();
        if self.tick.is_multiple_of(2) {
            self.attack();
        }
        if self.dice.one_in(20) {
            self.chat();
        }
        if phase.is_multiple_of(30) {
            self.buy();
        }
        if phase.is_multiple_of(50) {
            self.spectate();
        }
        if phase.is_multiple_of(100) {
            self.ask_prices();
        }
        if self.tick % 150 == 1 {
            self.equip();
        }
        if self.misbehaves {
            self.flood();
        }
    }

    /// Chat at 20/s against `@rate(5/s)`, and Buy at 5/s against
    /// `@rate(2/s)`: the server drops and refuses the excess.
    fn flood(&mut self) {
        self.chat();
        self.chat();
        if self.tick.is_multiple_of(2) {
            self.buy();
        }
    }

    fn sent(&self, result: Result<(), tether::SendError>) {
        if result.is_ok() {
            self.counters.sent.fetch_add(1, Relaxed);
        }
    }

    fn aim(&mut self) {
        let angle = (self.tick as f32 * 0.1) + self.index as f32;
        let look = Vector3::new(angle.cos(), 0.0, angle.sin());
        let spread = self.dice.below(30) as f32;
        self.sent(self.client.combat().aim().fire_server(look, spread));
    }

    fn attack(&mut self) {
        let at = Vector3::new(
            self.dice.below(200) as f32,
            5.0,
            self.dice.below(200) as f32,
        );
        let weapon = 1 + (self.index as u32 % 5);
        let aim = CFrame::new(at, Matrix3::identity());
        self.sent(self.client.combat().attack().fire_server(aim, weapon));
    }

    fn chat(&mut self) {
        let line = CHAT_LINES[self.dice.below(CHAT_LINES.len() as u64) as usize];
        let team = lock(&self.seen).team.unwrap_or(Team::Spectator);
        self.sent(self.client.chat().fire_server(line.to_string(), team));
    }

    fn spectate(&mut self) {
        let target = lock(&self.seen).last_speaker;
        self.sent(self.client.spectate().fire_server(target, None));
    }

    fn equip(&mut self) {
        let loadout = Loadout {
            primary: item(1 + (self.index as u32 % 5), 1),
            secondary: Some(item(4, 3)),
            perks: vec!["Swift".to_string()],
        };
        self.sent(self.client.equip().fire_server(loadout, KeyCode::One));
    }

    /// Buys one to three of an item; item 6 is not sold, so some calls are
    /// declined.
    fn buy(&mut self) {
        let item = 1 + self.dice.below(6) as ItemId;
        let quantity = 1 + self.dice.below(3) as u8;
        let call = self.client.shop().buy().invoke_server(item, quantity);
        self.counters.sent.fetch_add(1, Relaxed);
        let counters = self.counters.clone();
        tokio::spawn(async move {
            let outcome = match call.await {
                Ok((true, _receipt)) => &counters.bought,
                Ok((false, _why)) => &counters.declined,
                Err(InvokeError::RateLimited) => &counters.limited,
                Err(_) => &counters.failed,
            };
            outcome.fetch_add(1, Relaxed);
        });
    }

    fn ask_prices(&mut self) {
        let call = self.client.shop().prices().invoke_server();
        self.counters.sent.fetch_add(1, Relaxed);
        let counters = self.counters.clone();
        tokio::spawn(async move {
            let outcome = match call.await {
                Ok(_prices) => &counters.prices,
                Err(InvokeError::RateLimited) => &counters.limited,
                Err(_) => &counters.failed,
            };
            outcome.fetch_add(1, Relaxed);
        });
    }
}

fn item(id: ItemId, stack: u16) -> Item {
    let (name, _, rarity) = catalog_item(id).unwrap_or(("Stick", 0, Rarity::Common));
    Item {
        id,
        name: name.to_string(),
        rarity,
        stack,
        tint: Some(Color3::new(0.8, 0.8, 0.8)),
    }
}

/// A small generator (xorshift64*): bots need variety, not quality, and
/// the same run twice.
struct Dice(u64);

impl Dice {
    fn new(seed: u64) -> Dice {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

/// Turns a growing counter into a rate between two readings.
struct Rate {
    last: u64,
    at: Instant,
}

impl Default for Rate {
    fn default() -> Self {
        Rate {
            last: 0,
            at: Instant::now(),
        }
    }
}

impl Rate {
    fn per_second(&mut self, total: u64) -> f64 {
        let now = Instant::now();
        let seconds = now.duration_since(self.at).as_secs_f64().max(1e-3);
        let rate = total.saturating_sub(self.last) as f64 / seconds;
        self.last = total;
        self.at = now;
        rate
    }
}

/// `1234` as `1.2k`, `2500000` as `2.5M`: status lines stay short.
fn si(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if value >= 1e4 {
        format!("{:.0}k", value / 1e3)
    } else if value >= 1e3 {
        format!("{:.1}k", value / 1e3)
    } else {
        format!("{value:.0}")
    }
}

/// Standard output shared by the server and the bots: status lines,
/// rewritten in place on a terminal and printed one after another
/// otherwise (a log file then reads as a time series), and messages.
#[derive(Clone)]
struct Console(Arc<Mutex<Screen>>);

struct Screen {
    in_place: bool,
    /// Status lines on screen now, which the next status overwrites.
    status_lines: usize,
}

impl Console {
    fn new() -> Console {
        Console(Arc::new(Mutex::new(Screen {
            in_place: std::io::stdout().is_terminal(),
            status_lines: 0,
        })))
    }

    fn show(&self, lines: &[String]) {
        let mut screen = lock(&self.0);
        let mut out = std::io::stdout().lock();
        // A closed stdout (`| head`) must not stop the demo.
        let _ = if screen.in_place {
            screen.back_to_status(&mut out);
            screen.status_lines = lines.len();
            // Wrapping off: a line wider than the terminal is cut at its
            // edge instead of taking two rows, which would throw the
            // cursor off the status the next time.
            write!(out, "\x1b[?7l{}\x1b[K\x1b[?7h", lines.join("\x1b[K\n"))
        } else {
            lines.iter().try_for_each(|line| writeln!(out, "{line}"))
        };
        let _ = out.flush();
    }

    /// Leaves the status on screen: what follows goes below it.
    fn keep_status(&self) {
        let mut screen = lock(&self.0);
        if screen.in_place && screen.status_lines > 0 {
            let _ = writeln!(std::io::stdout());
        }
        screen.status_lines = 0;
    }

    /// A message above the status, which the next status redraws below.
    fn log(&self, message: impl Display) {
        let mut screen = lock(&self.0);
        let mut out = std::io::stdout().lock();
        if screen.in_place {
            screen.back_to_status(&mut out);
            let _ = write!(out, "\x1b[J");
            screen.status_lines = 0;
        }
        let _ = writeln!(out, "{message}");
        let _ = out.flush();
    }
}

impl Screen {
    /// Moves the cursor to the start of the first status line on screen.
    fn back_to_status(&self, out: &mut impl Write) {
        if self.status_lines > 1 {
            let _ = write!(out, "\x1b[{}A", self.status_lines - 1);
        }
        let _ = write!(out, "\r");
    }
}
