module example.com/go-baseline

// go 1.24: http.Server.Protocols serves unencrypted HTTP/2 (h2c) beside HTTP/1.1.
go 1.24

// Go 1.24 turned MPTCP on for listeners by default; the study compares plain TCP servers,
// as go-server was before (see README.md, GODEBUG defaults).
godebug multipathtcp=0
