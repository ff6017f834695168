event Reordered = { type: Reliable, data: boolean, call: ManyAsync, from: Server };
