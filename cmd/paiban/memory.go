package main

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// memoryLimit is a soft limit on the heap: the garbage of a long book
// (line-breaking state, page buffers) is collected before the process
// grows past it, while the live data of a 1,000,000-character book stays
// under it (peak RSS 290 MiB instead of 435). GOMEMLIMIT overrides it.
const memoryLimit = 256 << 20

// limitMemory sets the soft limit and lifts it once the live heap itself
// passes it: for a book whose own data is larger, keeping to the limit
// would run the collector without end (100,000 footnotes took 28 s
// instead of 9) and save nothing.
func limitMemory() {
	debug.SetMemoryLimit(memoryLimit)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for range time.Tick(50 * time.Millisecond) {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > memoryLimit {
				debug.SetMemoryLimit(math.MaxInt64)
				return
			}
		}
	}()
}
