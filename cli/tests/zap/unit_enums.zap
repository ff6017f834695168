type RoundStatus = enum { Starting, Playing, Intermission }
type Quoted = enum { "hello", "world" }
type Inline = struct { status: enum { On, Off } }
type Keyword = enum { in, out }
type OldStyle = ( Playing, Intermission )
