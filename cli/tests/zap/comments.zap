-- The health of a player.
--[[ Inclusive on both ends. ]]
type Health = u8(0..100)

-- Fired when a player is hurt.
event Hurt = { from: Server, type: Reliable, call: ManyAsync, data: Health } -- trailing

type Item = struct {
	-- inside a body: dropped
	id: u32,
}
type A = u8 -- about A
type B = struct {
  -- inner
  x: u8,
} -- about B
-- before C
type C = u8
-- end
