module example.com/go-baseline

go 1.22
