module github.com/mapgen/mapgen

go 1.26.0

require (
	github.com/cilium/ebpf v0.22.0
	github.com/dave/jennifer v1.7.1
	github.com/spf13/pflag v1.0.10
	golang.org/x/mod v0.31.0
	golang.org/x/sys v0.49.0
	golang.org/x/tools v0.40.1-0.20260108161641-ca281cf95054
)

require golang.org/x/sync v0.24.0 // indirect
