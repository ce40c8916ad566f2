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
// under it. GOMEMLIMIT overrides it. The measurements behind this and
// limitMemory are in docs/performance.md.
const memoryLimit = 256 << 20

// liftAt is the live heap past which the limit is lifted (limitMemory).
const liftAt = memoryLimit / 8 * 5

// largeGCPercent is the collector's pace once the limit is lifted: the
// heap of a book whose data outgrew the limit grows to one and a half
// times its live data, not twice (GOGC=100). 100,000 headings peak at
// 0.77 GB instead of 1.15, 5% slower; a 10 MB paragraph, whose peak
// comes while its editions are written, at 1.18 GB instead of 1.21, 8%
// slower.
const largeGCPercent = 50

// limitMemory sets the soft limit and lifts it once the live heap passes
// liftAt. Under a limit the collector runs each time the garbage fills the
// room left above the live data: with live data at five eighths of the
// limit that is 5/3 as often as GOGC=100, at seven eighths seven times,
// and past the limit without end. A book whose live data settles just
// under the limit (100,000 headings hover at 200–250 MiB for seconds)
// spent more CPU time collecting than building.
//
// With onlyNearLimit the collector runs only as the heap nears the limit,
// not each time it doubles (GOGC=100): a build is short, its garbage goes
// with the process, and collecting early costs more CPU time than the
// memory it saves is worth. Once the live heap passes half the limit the
// collector keeps its usual pace again, so that a book whose data
// outgrows the limit peaks no higher than with GOGC=100.
func limitMemory(onlyNearLimit bool) {
	debug.SetMemoryLimit(memoryLimit)
	if onlyNearLimit {
		debug.SetGCPercent(-1)
	}
	pace := onlyNearLimit // the collector's pace is ours to set
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for range time.Tick(50 * time.Millisecond) {
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			live := sample[0].Value.Uint64()
			if onlyNearLimit && live > memoryLimit/2 {
				debug.SetGCPercent(100)
				onlyNearLimit = false
			}
			if live > liftAt {
				if pace {
					debug.SetGCPercent(largeGCPercent)
				}
				debug.SetMemoryLimit(math.MaxInt64)
				return
			}
		}
	}()
}
