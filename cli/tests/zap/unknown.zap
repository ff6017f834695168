type Anything = unknown
event Log = { from: Server, type: Reliable, call: ManyAsync, data: unknown }
