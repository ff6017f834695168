-- An event that carries nothing.
event Ping = { from: Client, type: Reliable, call: ManyAsync }
