//! Where the CPU of Tether's generated Luau goes, piece by piece, in the mock
//! Roblox engine's VMs (the breakdown behind `benches/luau.rs`):
//!
//! ```text
//! cargo run -p tether-bench --release --example luau_profile
//! ```
//!
//! The benchmark's copy of `tether.luau` also exports its internals as
//! `T.__prof`, with a few variants beside them (`decodeBare`, `wpkDirect`,
//! `rpkDirect`, and `wcol`/`rcol`, which pack a column of integers with the
//! bit accumulator in locals) that size a possible change without making it;
//! the rows are timed by `luau/profile.luau` (`os.clock` over 20 runs, the
//! garbage collector's share included),
//! which also checks that the column variants give the same bytes and
//! values as the generated code.

#[path = "../luau/harness.rs"]
mod harness;

use std::fmt::Write;

use harness::{tether_bench_modules, Bench, Payload, System};
use tether_roblox_mock::mlua::Table;
use tether_roblox_mock::{MockError, Side};

/// Internals of `tether.luau` (its top-level locals) and the variants.
const EXPORTS: &str = r#"
T.__prof = {
	begin = begin,
	encode = encode,
	commit = commit,
	decodeFrame = decodeFrame,
	receive = receive,
	fire = fire,
	bits = bits,
	rbits = rbits,
	take = take,
	-- Reading from a given string, as decodeFrame sets up a frame.
	readFrom = function(s)
		rb = buffer.fromstring(s)
		rpos = 0
		rend = buffer.len(rb)
		rroom = 0
		ropen = 0
		rinst = {}
	end,
	-- A message's start: byte-aligned, then its id.
	skipId = function(k)
		rroom = 0
		rbits(k)
	end,
	-- decodeFrame's reads without building a table per message.
	decodeBare = function(side, b)
		rb = b
		rpos = 0
		rend = buffer.len(b)
		local incoming, idBits = side.incoming, side.inBits
		while rpos < rend do
			rroom = 0
			rdepth = 0
			incoming[rbits(idBits) + 1].dec()
		end
	end,
	-- wpk and rpk for k <= 32, calling bits/rbits directly.
	wpkDirect = function(v, lo, hi, k)
		if type(v) ~= "number" or v % 1 ~= 0 or v < lo or v > hi then
			bad(`expected an integer from {lo} to {hi}, got {describe(v)}`)
		end
		bits(v - lo, k)
	end,
	rpkDirect = function(lo, hi, k)
		local v = rbits(k) + lo
		if v > hi then
			fail("number out of range")
		end
		return v
	end,
	-- The scratch message so far.
	written = function()
		return buffer.readstring(wb, 0, wpos)
	end,
	-- A column of packed integers `list[i][key]` (k <= 24), the same bits
	-- as n calls of wpk, with the bit accumulator in locals.
	wcol = function(list, n, key, lo, hi, k)
		local i = 1
		-- While the open bit byte lies before the end, fill it value by value.
		while i <= n and wroom > 0 and wopen ~= wpos - 1 do
			local v = list[i][key]
			if type(v) ~= "number" or v % 1 ~= 0 or v < lo or v > hi then
				bad(`expected an integer from {lo} to {hi}, got {describe(v)}`)
			end
			bits(v - lo, k)
			i += 1
		end
		if i > n then
			return
		end
		local need = wpos + rshift((n - i + 1) * k + 7, 3) + 1
		if need > wsize then
			grow(need)
		end
		local b = wb
		local p, acc, used
		if wroom > 0 then
			p, acc, used = wopen, readu8(b, wopen), 8 - wroom
		else
			p, acc, used = wpos, 0, 0
		end
		for j = i, n do
			local v = list[j][key]
			if type(v) ~= "number" or v % 1 ~= 0 or v < lo or v > hi then
				bad(`expected an integer from {lo} to {hi}, got {describe(v)}`)
			end
			acc = bor(acc, lshift(v - lo, used))
			used += k
			while used >= 8 do
				writeu8(b, p, band(acc, 255))
				p += 1
				acc = rshift(acc, 8)
				used -= 8
			end
		end
		if used > 0 then
			writeu8(b, p, acc)
			wopen, wroom, wpos = p, 8 - used, p + 1
		else
			wroom, wpos = 0, p
		end
	end,
	-- Reads a column written by wcol into `t[i][key]`.
	rcol = function(t, n, key, lo, hi, k)
		local i = 1
		while i <= n and rroom > 0 and ropen ~= rpos - 1 do
			local v = rbits(k) + lo
			if v > hi then
				fail("number out of range")
			end
			t[i][key] = v
			i += 1
		end
		if i > n then
			return
		end
		local acc, avail = 0, 0
		if rroom > 0 then
			acc, avail = rshift(readu8(rb, ropen), 8 - rroom), rroom
		end
		local p = rpos
		if p + rshift((n - i + 1) * k - avail + 7, 3) > rend then
			fail("truncated")
		end
		local b, mask = rb, lshift(1, k) - 1
		for j = i, n do
			while avail < k do
				acc = bor(acc, lshift(readu8(b, p), avail))
				p += 1
				avail += 8
			end
			local v = band(acc, mask) + lo
			if v > hi then
				fail("number out of range")
			end
			t[j][key] = v
			acc = rshift(acc, k)
			avail -= k
		end
		rpos = p
		ropen = p - 1
		rroom = avail
	end,
}
"#;

fn luau_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 + 2);
    out.push('"');
    for b in bytes {
        let _ = write!(out, "\\x{b:02x}");
    }
    out.push('"');
    out
}

fn main() -> Result<(), MockError> {
    let mut modules = tether_bench_modules();
    let runtime = &mut modules
        .iter_mut()
        .find(|(name, _)| name == "tether")
        .expect("the runtime module")
        .1;
    let end = runtime.rfind("\nreturn T").expect("`return T` at the end");
    runtime.insert_str(end, EXPORTS);

    let mut bench = Bench::new(System::Tether, &modules)?;
    let chat = bench.capture(Payload::Chat, 1000)?.remove(0);
    let entities = bench.capture(Payload::Entities, 1)?.remove(0);
    let raw = bench.capture(Payload::RawEntities, 1)?.remove(0);
    let movement = bench.capture(Payload::Move, 1)?.remove(0);
    let frames = format!(
        "return {{ Chat = {}, Move = {}, Entities = {}, RawEntities = {}, Zeros = string.rep(\"\\0\", 4096) }}",
        luau_string(&chat),
        luau_string(&movement),
        luau_string(&entities),
        luau_string(&raw)
    );
    let profile =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/luau/profile.luau"))
            .expect("luau/profile.luau");
    bench.place.install_modules(
        "ReplicatedStorage.Bench",
        &[("frames", &frames), ("profile", &profile)],
    )?;
    bench.place.step(harness::DT)?;

    for (title, side) in [
        ("client VM", Side::Client(bench.client)),
        ("server VM", Side::Server),
    ] {
        let rows: Table = bench
            .place
            .eval_as(side, "require(game.ReplicatedStorage.Bench.profile)({})")?;
        println!("{title}, ns per operation:");
        for row in rows.sequence_values::<Table>() {
            let row = row?;
            let label: String = row.get(1)?;
            let ns: f64 = row.get(2)?;
            println!("  {label:<56} {ns:>9.1}");
        }
    }
    bench.assert_clean();
    Ok(())
}
