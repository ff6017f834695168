//! A place running the generated Luau of a schema, as a Roblox game would:
//! the server Script and each client's LocalScript require the modules that
//! `tests/tests/luau/mod.rs` installs, and a small `Spec` module gives every
//! script a canonical text of any value (`show`) so that tests compare what
//! a handler received with what was sent.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::HashMap;

use tether_roblox_mock::{ClientId, OutputKind, OutputLine, Place, Side};

use crate::luau;
pub use crate::luau::assert_no_script_errors;

/// One frame at 60 Hz.
pub const DT: f64 = 1.0 / 60.0;

/// `show(v)`: a deterministic text of a value, tables with sorted keys and
/// datatypes by their components (CFrame rotations to 3 decimals, since
/// they travel quantized).
pub const SPEC: &str = r##"
local Spec = {}

local function num(v: number): string
	if v ~= v then
		return "nan"
	elseif v == math.huge then
		return "inf"
	elseif v == -math.huge then
		return "-inf"
	elseif v % 1 == 0 and math.abs(v) < 2 ^ 53 then
		return string.format("%d", v)
	end
	return string.format("%.17g", v)
end

local function round(v: number): string
	local r = math.round(v * 1000) / 1000
	if r == 0 then
		r = 0
	end
	return num(r)
end

local show

local function list(values: { any }, n: number?): string
	local parts = {}
	for i = 1, n or #values do
		parts[i] = show(values[i])
	end
	return table.concat(parts, ", ")
end

function show(v: any): string
	local kind = typeof(v)
	if v == nil then
		return "nil"
	elseif kind == "number" then
		return num(v)
	elseif kind == "string" then
		return string.format("%q", v)
	elseif kind == "boolean" then
		return tostring(v)
	elseif kind == "buffer" then
		local bytes = {}
		for i = 0, buffer.len(v) - 1 do
			bytes[i + 1] = string.format("%02x", buffer.readu8(v, i))
		end
		return "buffer(" .. table.concat(bytes) .. ")"
	elseif kind == "table" then
		local n = 0
		for _ in v do
			n += 1
		end
		if n == #v then
			return "{" .. list(v) .. "}"
		end
		local entries = {}
		for key, value in v do
			table.insert(entries, "[" .. show(key) .. "]=" .. show(value))
		end
		table.sort(entries)
		return "{" .. table.concat(entries, ", ") .. "}"
	elseif kind == "Instance" then
		return v:GetFullName()
	elseif kind == "EnumItem" then
		return tostring(v)
	elseif kind == "Vector3" or kind == "Vector2" then
		return kind .. "(" .. list(if kind == "Vector3" then { v.X, v.Y, v.Z } else { v.X, v.Y }) .. ")"
	elseif kind == "CFrame" then
		local parts = {}
		for i, c in { v:GetComponents() } do
			parts[i] = round(c)
		end
		return "CFrame(" .. table.concat(parts, ", ") .. ")"
	elseif kind == "Color3" then
		return "Color3(" .. list({ v.R, v.G, v.B }) .. ")"
	elseif kind == "BrickColor" then
		return "BrickColor(" .. v.Number .. ")"
	elseif kind == "UDim" then
		return "UDim(" .. list({ v.Scale, v.Offset }) .. ")"
	elseif kind == "UDim2" then
		return "UDim2(" .. list({ v.X.Scale, v.X.Offset, v.Y.Scale, v.Y.Offset }) .. ")"
	elseif kind == "Rect" then
		return "Rect(" .. list({ v.Min.X, v.Min.Y, v.Max.X, v.Max.Y }) .. ")"
	elseif kind == "NumberRange" then
		return "NumberRange(" .. list({ v.Min, v.Max }) .. ")"
	elseif kind == "NumberSequence" then
		local points = {}
		for i, p in v.Keypoints do
			points[i] = list({ p.Time, p.Value, p.Envelope })
		end
		return "NumberSequence(" .. table.concat(points, "; ") .. ")"
	elseif kind == "ColorSequence" then
		local points = {}
		for i, p in v.Keypoints do
			points[i] = list({ p.Time, p.Value.R, p.Value.G, p.Value.B })
		end
		return "ColorSequence(" .. table.concat(points, "; ") .. ")"
	elseif kind == "DateTime" then
		return "DateTime(" .. num(v.UnixTimestampMillis) .. ")"
	end
	return kind
end
Spec.show = show

-- All arguments, comma-separated.
function Spec.args(...: any): string
	return list({ ... }, select("#", ...))
end

-- What `pcall` caught, as text: an invoke error as `Kind|Remote|Message`.
function Spec.err(e: any): string
	if type(e) == "table" and e.Kind then
		return `{e.Kind}|{e.Remote}|{e.Message}`
	end
	return tostring(e)
end

-- Calls `f`: "ok <returns>" or "err <what it raised>".
function Spec.try(f: (...any) -> ...any, ...: any): string
	local r = table.pack(pcall(f, ...))
	if r[1] then
		return "ok " .. list({ table.unpack(r, 2, r.n) }, r.n - 1)
	end
	return "err " .. Spec.err(r[2])
end

return Spec
"##;

/// A place with a schema's modules under `ReplicatedStorage.Net`, the `Spec`
/// module beside them, and the server module already required (so that the
/// protocol's remotes exist before any client joins).
pub struct Game {
    pub place: Place,
    server_module: String,
    client_module: String,
    /// Output lines taken from the place but not yet asked for.
    kept: RefCell<HashMap<Side, Vec<OutputLine>>>,
}

impl Game {
    pub fn new(schema: &str) -> Game {
        Game::with_modules(luau::place(schema), "Net")
    }

    /// A place whose modules are already installed under
    /// `ReplicatedStorage.<folder>`.
    pub fn with_modules(place: Place, folder: &str) -> Game {
        let mut game = Game::installed(place, folder);
        game.server("");
        game
    }

    /// A place with `schema`'s modules whose server never requires the
    /// server module: the server is played by something else (a Rust
    /// runtime behind the remotes), and its scripts run with `place.run`.
    pub fn without_server(schema: &str) -> Game {
        Game::installed(luau::place(schema), "Net")
    }

    fn installed(mut place: Place, folder: &str) -> Game {
        place
            .install_modules("ReplicatedStorage", &[("Spec", SPEC)])
            .expect("the Spec module installs");
        Game {
            place,
            server_module: format!("game.ReplicatedStorage.{folder}.server"),
            client_module: format!("game.ReplicatedStorage.{folder}.client"),
            kept: RefCell::default(),
        }
    }

    /// The lines every script of that side starts with: `Net`, `T` (the
    /// runtime), `Spec`, `show`, `args`, `err` and `try`.
    fn prelude(&self, side: Side) -> String {
        let module = match side {
            Side::Server => &self.server_module,
            Side::Client(_) => &self.client_module,
        };
        let tether = module.rsplit_once('.').expect("a dotted path").0;
        format!(
            "local Net = require({module}) local T = require({tether}.tether) \
             local Spec = require(game.ReplicatedStorage.Spec) \
             local show, args, err, try = Spec.show, Spec.args, Spec.err, Spec.try "
        )
    }

    /// Runs a Script on the server, after the prelude (on the same line, so
    /// line numbers in errors are the script's own).
    pub fn server(&mut self, source: &str) {
        let source = format!("{}{source}", self.prelude(Side::Server));
        self.place
            .run(Side::Server, &source)
            .unwrap_or_else(|e| panic!("the server script fails: {e}"));
    }

    /// Runs a LocalScript on a client, after the prelude.
    pub fn client(&mut self, client: ClientId, source: &str) {
        let source = format!("{}{source}", self.prelude(Side::Client(client)));
        self.place
            .run(Side::Client(client), &source)
            .unwrap_or_else(|e| panic!("the client script fails: {e}"));
    }

    /// Runs a script and returns the error it raised before yielding.
    pub fn run_err(&mut self, side: Side, source: &str) -> String {
        let source = format!("{}{source}", self.prelude(side));
        match self.place.run(side, &source) {
            Err(tether_roblox_mock::MockError::Script { message, .. }) => message,
            other => panic!("expected a script error, got {other:?}"),
        }
    }

    /// A client that joined and required the client module.
    pub fn join(&mut self, name: &str) -> ClientId {
        let client = self.place.add_client(name).expect("the client joins");
        self.client(client, "");
        client
    }

    pub fn step(&mut self) {
        self.place.step(DT).expect("the place steps");
    }

    pub fn steps(&mut self, n: usize) {
        self.place.step_n(n, DT).expect("the place steps");
    }

    /// Steps frames until `seconds` of simulated time have passed.
    pub fn wait(&mut self, seconds: f64) {
        let frames = (seconds / DT).ceil() as usize;
        self.steps(frames);
    }

    /// An expression evaluated on that side, with the prelude's names.
    pub fn eval<R: tether_roblox_mock::mlua::FromLuaMulti>(
        &mut self,
        side: Side,
        expression: &str,
    ) -> R {
        let source = format!("{} return {expression}", self.prelude(side));
        self.place
            .eval_as(side, &source)
            .unwrap_or_else(|e| panic!("`{expression}` does not evaluate: {e}"))
    }

    /// A counter of `T.Stats` on that side (`"rateLimited"`,
    /// `"rejected['truncated']"`, ...); 0 when absent.
    pub fn stat(&mut self, side: Side, name: &str) -> f64 {
        self.eval(side, &format!("T.Stats.{name} or 0"))
    }

    /// What that side printed since the last take of its prints.
    pub fn printed(&self, side: Side) -> Vec<String> {
        self.take_lines(side, OutputKind::Print)
    }

    /// What that side warned since the last take of its warnings.
    pub fn warned(&self, side: Side) -> Vec<String> {
        self.take_lines(side, OutputKind::Warn)
    }

    /// The lines of one kind; the other kinds stay for their own take.
    fn take_lines(&self, side: Side, kind: OutputKind) -> Vec<String> {
        let mut kept = self.kept.borrow_mut();
        let lines = kept.entry(side).or_default();
        lines.extend(self.place.take_output(side).expect("the side exists"));
        let (taken, rest) = std::mem::take(lines)
            .into_iter()
            .partition(|line| line.kind == kind);
        *lines = rest;
        taken.into_iter().map(|line| line.text).collect()
    }

    /// The messages of the script errors of that side, cleared.
    pub fn take_errors(&self, side: Side) -> Vec<String> {
        self.place
            .take_script_errors(side)
            .expect("the side exists")
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    /// Fails if any side raised a script error.
    pub fn assert_quiet(&self) {
        assert_no_script_errors(&self.place, Side::Server);
        for client in self.place.clients() {
            assert_no_script_errors(&self.place, Side::Client(client));
        }
    }
}
