type event = u8
type function = u8
event data = { from: Server, type: Reliable, call: ManyAsync, data: (type: event, in: function) }
