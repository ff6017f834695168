event Announce = {
	from: Server,
	type: Reliable,
	call: ManyAsync,
	data: string.utf8(..100),
}
