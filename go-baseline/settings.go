package main

import (
	"math"
	"runtime/debug"
	"sync"
)

// builtWith holds the build settings that change how the runtime behaves, as recorded in
// the binary by the go command (runtime/debug.BuildInfo): a GOEXPERIMENT or GOAMD64 in the
// environment of `go build` changes the program, not only the build, so a result must say
// which it was.
type builtWith struct {
	goexperiment   string // "GOEXPERIMENT", absent when the toolchain's defaults were used
	goamd64        string // "GOAMD64", amd64 only
	defaultGODEBUG string // "DefaultGODEBUG": the GODEBUG defaults implied by go.mod's go line
}

// buildSettings reads the binary's build settings once.
var buildSettings = sync.OnceValue(func() builtWith {
	var b builtWith
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, setting := range info.Settings {
		switch setting.Key {
		case "GOEXPERIMENT":
			b.goexperiment = setting.Value
		case "GOAMD64":
			b.goamd64 = setting.Value
		case "DefaultGODEBUG":
			b.defaultGODEBUG = setting.Value
		}
	}
	return b
})

// gogcPercent turns /gc/gogc:percent into a signed percentage. The runtime stores GOGC=off
// as -1 and the metric reports that bit pattern as a uint64, so anything beyond int32's
// range means off.
func gogcPercent(metric uint64) int64 {
	if metric > math.MaxInt32 {
		return -1
	}
	return int64(metric)
}
